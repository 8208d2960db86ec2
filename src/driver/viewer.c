/*
 * viewer.c - -web and -kcachegrind: hand a report to a browser or to
 * KCachegrind through a temporary file (pprof's invokeVisualizer),
 * starting the program directly with posix_spawnp, never through a shell.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cprof/strbuf.h"
#include "src/driver/viewer.h"

extern char **environ;

size_t cprof_browsers(const char **out, size_t max)
{
	static const char *const known[] = {"chrome", "google-chrome", "chromium", "firefox",
					    "sensible-browser"};
	size_t n = 0;
	const char *user = getenv("BROWSER");
	if (user && *user && n < max)
		out[n++] = user;
	for (size_t i = 0; i < CPROF_ARRAY_SIZE(known) && n < max; i++)
		out[n++] = known[i];
	/* xdg-open only makes sense inside a desktop session */
	const char *x11 = getenv("DISPLAY"), *wl = getenv("WAYLAND_DISPLAY");
	if (((x11 && *x11) || (wl && *wl)) && n < max)
		out[n++] = "xdg-open";
	return n;
}

static int write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t w = write(fd, data, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		data += w;
		len -= (size_t)w;
	}
	return 0;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Split cmd at spaces (pprof's strings.Split(v, " "), empty pieces dropped) and append path. */
static char **command_argv(const char *cmd, const char *path, char **buf)
{
	*buf = cprof_xstrdup(cmd);
	size_t n = 0, alloc = 0;
	char **argv = NULL;
	for (char *s = *buf, *tok; (tok = strsep(&s, " "));) {
		if (!*tok)
			continue;
		ALLOC_GROW(argv, n + 1, alloc);
		argv[n++] = tok;
	}
	ALLOC_GROW(argv, n + 2, alloc);
	argv[n++] = (char *)path;
	argv[n] = NULL;
	return argv;
}

/* Start argv with stdin and stdout on /dev/null; 0 (pid set) or an errno value. */
static int spawn(char **argv, pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	int rc = posix_spawnp(pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	return rc;
}

/*
 * What viewers started in the background left: their files, removed at
 * exit (pprof's deferDeleteTempFile), and their processes, reaped when
 * they end.
 */
static char **bg_files;
static size_t nbg_files, abg_files;
static pid_t *bg_pids;
static size_t nbg_pids, abg_pids;

static void remove_bg_files(void)
{
	for (size_t i = 0; i < nbg_files; i++) {
		unlink(bg_files[i]);
		free(bg_files[i]);
	}
	free(bg_files);
	free(bg_pids);
	bg_files = NULL;
	bg_pids = NULL;
	nbg_files = nbg_pids = 0;
}

static void reap_bg(void)
{
	for (size_t i = 0; i < nbg_pids;) {
		int status;
		if (waitpid(bg_pids[i], &status, WNOHANG) != 0)
			bg_pids[i] = bg_pids[--nbg_pids];
		else
			i++;
	}
}

int cprof_view(const char *data, size_t len, const char *suffix, const char *const *viewers,
	       size_t n, const char *none, bool background, struct cprof_error *err)
{
	reap_bg();
	const char *dir = getenv("TMPDIR");
	struct strbuf path = STRBUF_INIT;
	strbuf_addf(&path, "%s/cprof-XXXXXX.%s", dir && *dir ? dir : "/tmp", suffix);
	int fd = mkstemps(path.buf, (int)strlen(suffix) + 1);
	if (fd < 0) {
		cprof_error_set(err, CPROF_E_IO, "cannot create '%s': %s", path.buf, strerror(errno));
		strbuf_release(&path);
		return -1;
	}
	if (write_all(fd, data, len) || close(fd)) {
		cprof_error_set(err, CPROF_E_IO, "cannot write '%s': %s", path.buf, strerror(errno));
		unlink(path.buf);
		strbuf_release(&path);
		return -1;
	}

	int rc = -1;
	bool started = false;
	double t0 = now();
	for (size_t i = 0; i < n && !started; i++) {
		char *buf;
		char **argv = command_argv(viewers[i], path.buf, &buf);
		pid_t pid;
		if (argv[0] != path.buf && spawn(argv, &pid) == 0) { /* the candidate names a program */
			started = true;
			if (background) {
				rc = 0;
				ALLOC_GROW(bg_pids, nbg_pids + 1, abg_pids);
				bg_pids[nbg_pids++] = pid;
				free(argv);
				free(buf);
				break;
			}
			int status;
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
				rc = 0;
			else if (WIFEXITED(status))
				cprof_error_set(err, CPROF_E_IO, "'%s' exited with status %d", argv[0],
						WEXITSTATUS(status));
			else
				cprof_error_set(err, CPROF_E_IO, "'%s' was killed by signal %d", argv[0],
						WIFSIGNALED(status) ? WTERMSIG(status) : 0);
		}
		free(argv);
		free(buf);
	}
	if (!started) {
		cprof_error_set(err, CPROF_E_IO, "%s", none);
	} else {
		/* a launcher may return before the viewer has opened the file */
		double left = 1.0 - (now() - t0);
		if (left > 0) {
			struct timespec ts = {0, (long)(left * 1e9)};
			while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
				;
		}
	}
	if (started && background) {
		if (!bg_files)
			atexit(remove_bg_files);
		ALLOC_GROW(bg_files, nbg_files + 1, abg_files);
		bg_files[nbg_files++] = strbuf_detach(&path, NULL);
	} else {
		unlink(path.buf);
	}
	strbuf_release(&path);
	return rc;
}
