/* Unit tests of folded stacks in and out, the flame graph and -tags (test_stacks.c). */
#define TESTS_STACKS(X) X(folded_parse) X(folded_parse_reject) X(folded_render) \
	X(folded_render_profile) X(tags_layout) \
	X(flame_svg)
