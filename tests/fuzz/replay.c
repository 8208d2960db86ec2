/*
 * replay.c - feed files to a fuzz target's LLVMFuzzerTestOneInput()
 * without libFuzzer: `fuzz_x_replay FILE|DIR...` runs every file (a
 * directory's regular files, sorted by readdir order) once, so a saved
 * crasher is a regression test in any build. Exit 0 when all returned.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	size_t len = 0, cap = 0, n;

	if (!f) {
		perror(path);
		return -1;
	}
	for (;;) {
		if (len == cap) {
			unsigned char *nb;
			cap = cap ? cap * 2 : 65536;
			nb = realloc(buf, cap);
			if (!nb) {
				fclose(f);
				free(buf);
				return -1;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		if (n == 0)
			break;
		len += n;
	}
	fclose(f);
	LLVMFuzzerTestOneInput(buf, len);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	int ret = 0, files = 0;

	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) < 0) {
			perror(argv[i]);
			return 1;
		}
		if (S_ISDIR(st.st_mode)) {
			DIR *d = opendir(argv[i]);
			struct dirent *e;
			if (!d) {
				perror(argv[i]);
				return 1;
			}
			while ((e = readdir(d)) != NULL) {
				char path[4096];
				struct stat fst;
				snprintf(path, sizeof(path), "%s/%s", argv[i], e->d_name);
				if (stat(path, &fst) < 0 || !S_ISREG(fst.st_mode) || e->d_name[0] == '.')
					continue;
				if (run_file(path) < 0)
					ret = 1;
				files++;
			}
			closedir(d);
		} else {
			if (run_file(argv[i]) < 0)
				ret = 1;
			files++;
		}
	}
	printf("replayed %d file(s)\n", files);
	return ret;
}
