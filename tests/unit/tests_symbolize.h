/* Unit tests of symbolization, demangling, source lookup (test_symbolize.c). */
#define TESTS_SYMBOLIZE(X) X(sym_demangle_modes) X(sym_demangle_heuristics) X(sym_parse_modes) \
	X(sym_objaddr_table) X(sym_hello_frames) X(sym_reject_bad_files) X(sym_self_frames) \
	X(sym_profile_step) X(source_trim_path) X(source_lookup_go)
