/* Unit tests of Go heap dumps: parser, dominators, the dump as a profile (test_heapdump.c). */
#define TESTS_HEAPDUMP(X) X(heapdump_parse) X(heapdump_dominators_random) X(heapdump_long_list) \
	X(heapdump_finalizers) X(heapdump_errors) X(heapdump_profile) X(heapdump_tree_fold)
