/* Unit tests of render/dot.c (test_dot.c). */
#define TESTS_DOT(X) X(dot_compose_goldens) X(dot_cgraph_model) X(dot_shorten_names) \
	X(dot_multiline_name) X(dot_escape) X(dot_colors) X(dot_svg_massage) X(dot_graphviz_render)
