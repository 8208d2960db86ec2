/* Unit tests of the pipeline steps: merge, base, filters, pruning, aggregation (test_transform.c). */
#define TESTS_TRANSFORM(X) X(merge_two) X(merge_single_compacts) X(merge_reuses_arrays) X(merge_incompatible) \
	X(merge_units) X(merge_labels) X(base_cancels) X(base_normalize) X(base_twice) X(diff_base) \
	X(scale_n) X(sample_index) X(filter_focus_ignore) X(filter_hide_show) X(filter_show_from) \
	X(filter_tagfocus_range) X(filter_tagfocus_regex) X(filter_tagshow_taghide) X(filter_prune_from) \
	X(filter_bad_regex) X(drop_frames) X(simplify_func) X(tag_frames) X(aggregate_granularity)
