/*
 * cmd_heapdump.c - `cprof heapdump DUMP [BINARY]`: a Go heap dump
 * (runtime/debug.WriteHeapDump) explained: totals, what retains the
 * memory (dominators), the largest objects and where they were allocated,
 * as text, JSON, a DOT or SVG graph of the big retainers, the dump as a
 * profile.proto (dominator paths as stacks), or an hprof file.
 *
 * An uncompressed regular file is mapped, not read, and its pages are
 * given back as the parser passes them, so memory follows the number of
 * objects and pointers, not the dump's size.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cprof/formats.h"

#include "cprof/heapdump.h"
#include "cprof/outfile.h"
#include "src/cmd/commands.h"
#include "src/cmd/subcmd_flags.h"

static const char synopsis[] = "cprof heapdump [flags] DUMP [BINARY]";
static const char summary[] =
	"Explain a Go heap dump written by runtime/debug.WriteHeapDump: objects, roots and\n"
	"goroutines; what retains the memory (the dominator tree over every root: global\n"
	"variables, named from BINARY's symbols, goroutine stack frames by function,\n"
	"finalizers); the largest objects and, where the dump has allocation samples\n"
	"(runtime.MemProfileRate), where they were allocated. The dump is also a profile:\n"
	"'cprof -top -cum DUMP' lists retained memory by dominator path.";

struct input {
	void *map;
	size_t maplen;
	struct strbuf raw, inflated;
	const unsigned char *data;
	size_t len;
};

static void input_release(struct input *in)
{
	if (in->map)
		munmap(in->map, in->maplen);
	strbuf_release(&in->raw);
	strbuf_release(&in->inflated);
}

/* Map a regular uncompressed file; read anything else (stdin, gzip). */
static int input_open(const char *path, struct input *in, bool *mapped, struct cprof_error *err)
{
	struct stat st;
	*mapped = false;
	if (strcmp(path, "-")) {
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return cprof_error_set(err, CPROF_E_IO, "cannot open: %s", strerror(errno));
		unsigned char magic[2] = {0, 0};
		if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 2 && pread(fd, magic, 2, 0) == 2 &&
		    !(magic[0] == 0x1f && magic[1] == 0x8b)) {
			if ((uint64_t)st.st_size > cprof_limits.max_inflated) {
				close(fd);
				return cprof_error_set(err, CPROF_E_LIMIT,
						       "input size exceeds the limit of %llu bytes (-max_input_size)",
						       (unsigned long long)cprof_limits.max_inflated);
			}
			void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
			close(fd);
			if (m == MAP_FAILED)
				return cprof_error_set(err, CPROF_E_IO, "cannot map: %s", strerror(errno));
			(void)madvise(m, (size_t)st.st_size, MADV_SEQUENTIAL);
			in->map = m;
			in->maplen = (size_t)st.st_size;
			in->data = m;
			in->len = in->maplen;
			*mapped = true;
			return 0;
		}
		close(fd);
	}
	if (cprof_read_file(path, &in->raw, err) < 0)
		return -1;
	int gz = cprof_gunzip((const unsigned char *)in->raw.buf, in->raw.len, &in->inflated, err);
	if (gz < 0)
		return -1;
	const struct strbuf *b = gz ? &in->inflated : &in->raw;
	in->data = (const unsigned char *)b->buf;
	in->len = b->len;
	return 0;
}

static int fatal(const char *subject, const struct cprof_error *err)
{
	fprintf(stderr, "cprof: error: %s: %s\n", subject, cprof_error_msg(err));
	return CPROF_EXIT_FATAL;
}

static int usage(const char *msg)
{
	fprintf(stderr, "cprof: error: %s\nTry 'cprof heapdump -help' for more information.\n", msg);
	return CPROF_EXIT_USAGE;
}

static bool parse_count(const char *s, size_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (!*s || *end || errno || v > 1000000000 || *s == '-')
		return false;
	*out = (size_t)v;
	return true;
}

static int write_out(const char *output, const struct strbuf *out)
{
	struct cprof_error err = {0};
	if (!output) {
		if (strbuf_write(out, stdout) || fflush(stdout)) {
			cprof_error_set(&err, CPROF_E_IO, "cannot write: %s", strerror(errno));
			return fatal("standard output", &err);
		}
		return 0;
	}
	if (cprof_write_file(output, out->buf, out->len, &err))
		return fatal(output, &err);
	return 0;
}

static int outfile_write(void *ctx, const void *p, size_t n)
{
	return cprof_outfile_write(ctx, p, n);
}

/* -hprof: through a temporary file renamed at the end (none left on error). */
static int write_hprof(const char *path, const struct cprof_heapgraph *g, const struct input *in,
		       const struct cprof_heapsyms *syms)
{
	struct cprof_error err = {0};
	struct cprof_outfile f;
	if (cprof_outfile_open(&f, path, &err) < 0)
		return fatal(path, &err);
	struct cprof_hprof_opts ho = {in->data, syms, outfile_write, &f};
	if (cprof_heapdump_write_hprof(g, &ho, &err) < 0) {
		if (f.error) /* a write failed: commit says so and removes the file */
			cprof_outfile_commit(&f, &err);
		else
			cprof_outfile_abort(&f);
		return fatal(path, &err);
	}
	if (cprof_outfile_commit(&f, &err) < 0)
		return fatal(path, &err);
	return 0;
}

int cmd_heapdump(int argc, char **argv)
{
	bool json = false, dot = false, svg = false, proto = false, help = false;
	const char *output = NULL, *top_s = NULL, *nodecount_s = NULL, *nodefraction_s = NULL, *sites = "auto";
	const char *hprof = NULL;
	const struct subcmd_flag flags[] = {
		{"json", SUBCMD_BOOL, &json, NULL, "print every figure as JSON"},
		{"dot", SUBCMD_BOOL, &dot, NULL, "print the big retainers' graph (the dominator tree, merged by name) as DOT"},
		{"svg", SUBCMD_BOOL, &svg, NULL, "the same graph laid out by Graphviz (in process), as SVG"},
		{"proto", SUBCMD_BOOL, &proto, NULL,
		 "write the dump as a profile.proto (dominator paths as stacks; needs -output or a pipe)"},
		{"hprof", SUBCMD_STRING, &hprof, "FILE",
		 "write the dump as a Java HPROF file for Eclipse MAT or VisualVM (the report is not printed)"},
		{"output", SUBCMD_STRING, &output, "FILE", "write to FILE instead of standard output"},
		{"top", SUBCMD_STRING, &top_s, "N", "rows per table (default 20)"},
		{"nodecount", SUBCMD_STRING, &nodecount_s, "N", "at most N nodes in the tree and the graph (default 40)"},
		{"nodefraction", SUBCMD_STRING, &nodefraction_s, "F",
		 "hide tree nodes retaining less than F of the heap (default 0.01; JSON and graph 0.005)"},
		{"sites", SUBCMD_STRING, &sites, "auto|on|off",
		 "name objects by allocation site when sampled (auto: when most objects are)"},
	};
	struct cprof_error err = {0};
	int npos = 0;

	if (subcmd_flags_parse(flags, CPROF_ARRAY_SIZE(flags), argc, argv, &npos, &help, &err) < 0)
		return usage(cprof_error_msg(&err));
	if (help) {
		subcmd_flags_usage(stdout, synopsis, summary, flags, CPROF_ARRAY_SIZE(flags));
		return 0;
	}
	if (npos < 1)
		return usage("no heap dump given");
	if (npos > 2)
		return usage("one heap dump and at most one binary expected");
	if (json + dot + svg + proto + (hprof != NULL) > 1)
		return usage("-json, -dot, -svg, -proto and -hprof exclude each other");
	if (hprof && !*hprof)
		return usage("-hprof needs a file name");
	if (hprof && output)
		return usage("-hprof names its own file: -output does not apply");
	if (output && !*output)
		return usage("-output needs a file name");
	if (proto && !output && isatty(STDOUT_FILENO))
		return usage("-proto writes a binary file: give -output=FILE");
	struct cprof_heapdump_report_opts ro = {argv[1], npos > 1 ? argv[2] : NULL, 20, -1, 0};
	if (top_s && !parse_count(top_s, &ro.top))
		return usage("-top needs a count");
	if (nodecount_s && !parse_count(nodecount_s, &ro.nodecount))
		return usage("-nodecount needs a count");
	if (nodefraction_s) {
		char *end;
		ro.nodefraction = strtod(nodefraction_s, &end);
		if (!*nodefraction_s || *end || !(ro.nodefraction >= 0 && ro.nodefraction <= 1))
			return usage("-nodefraction needs a number from 0 to 1");
	}
	struct cprof_heapgraph_opts go = {NULL, -1, false};
	if (!strcmp(sites, "on"))
		go.site_names = 1;
	else if (!strcmp(sites, "off"))
		go.site_names = 0;
	else if (strcmp(sites, "auto"))
		return usage("-sites is auto, on or off");

	const char *path = argv[1];
	struct input in = {0};
	struct cprof_heapsyms *syms = NULL;
	struct cprof_heapdump *d = NULL;
	struct cprof_heapgraph *g = NULL;
	struct strbuf out = STRBUF_INIT;
	int rc = 0;
	bool mapped;

	in.raw = (struct strbuf)STRBUF_INIT;
	in.inflated = (struct strbuf)STRBUF_INIT;
	if (ro.binary && cprof_heapsyms_load(ro.binary, &syms, &err) < 0) {
		rc = fatal(ro.binary, &err);
		goto done;
	}
	if (input_open(path, &in, &mapped, &err) < 0) {
		rc = fatal(path, &err);
		goto done;
	}
	if (in.len == 0) {
		cprof_error_set(&err, CPROF_E_EMPTY, "empty input file");
		rc = fatal(path, &err);
		goto done;
	}
	/* -hprof copies the objects' contents: the bytes stay, and so do the layout and the pointers */
	struct cprof_heapdump_parse_opts po = {mapped && !hprof, hprof != NULL};
	if (cprof_heapdump_parse(in.data, in.len, &po, &d, &err) < 0) {
		rc = fatal(path, &err);
		goto done;
	}
	if (!hprof) { /* the contents are not needed any more */
		input_release(&in);
		memset(&in, 0, sizeof(in));
		in.raw = (struct strbuf)STRBUF_INIT;
		in.inflated = (struct strbuf)STRBUF_INIT;
	}
	if (syms && cprof_heapsyms_check(syms, d, &err) < 0) {
		rc = fatal(ro.binary, &err);
		goto done;
	}
	go.syms = syms;
	go.keep_pointers = hprof != NULL;
	if (cprof_heapgraph_build(d, &go, &g, &err) < 0) {
		rc = fatal(path, &err);
		goto done;
	}
	if (hprof) {
		rc = write_hprof(hprof, g, &in, syms);
		goto done;
	} else if (json) {
		cprof_heapdump_render_json(g, &ro, &out);
	} else if (dot) {
		cprof_heapdump_render_dot(g, &ro, &out);
	} else if (svg) {
		if (cprof_heapdump_render_svg(g, &ro, &out, &err) < 0) {
			rc = fatal(path, &err);
			goto done;
		}
	} else if (proto) {
		struct cprof_profile *p = cprof_heapgraph_profile(g);
		p->source = cprof_profile_str(p, path);
		int r = cprof_pprof_encode(p, &out, &err);
		cprof_profile_free(p);
		if (r < 0) {
			rc = fatal(path, &err);
			goto done;
		}
	} else {
		cprof_heapdump_render_text(g, &ro, &out);
	}
	rc = write_out(output, &out);
done:
	strbuf_release(&out);
	cprof_heapgraph_free(g);
	cprof_heapdump_free(d);
	cprof_heapsyms_free(syms);
	input_release(&in);
	return rc;
}
