/* Unit tests of src/core and the option parser (test_core.c). */
#define TESTS_CORE(X) X(arena_alignment) X(arena_large) X(strtab_identity) X(strtab_grow) \
	X(strbuf_basics) X(options_go_syntax) X(options_conflicts) X(options_aliases) X(utf8_go_rules) \
	X(go_tabwriter) X(regex_invalid_utf8)
