/* Unit tests of src/core/units.c, src/pipeline/graph*.c and render/ (test_units.c, test_graph.c). */
#define TESTS_GRAPH(X) X(units_percentage) X(units_scaled_label) X(units_go_duration) \
	X(units_go_float) X(units_go_time) X(units_family) \
	X(graph_clean_path) X(graph_printable_name) X(graph_flat_cum_recursion) \
	X(graph_inline_edges) X(graph_kept_residual) X(graph_mean_and_negative) \
	X(graph_call_tree) X(graph_sort_orders) X(graph_select_and_trim) X(graph_tags) \
	X(graph_redundant_edges) X(report_text) X(report_traces) X(report_labels_duration)
