/*
 * Unit tests of the legacy profile parsers (test_legacy.c): each format on
 * inputs checked against Go 1.19's pprof, errors, every truncation, the
 * Go-compatible number parsing and math.Exp, memory map lines, and the
 * '#' comment lines of Go's debug=1 text.
 */
#define TESTS_LEGACY(X) X(legacy_cpu_forms) X(legacy_cpu_signal_frame) X(legacy_cpu_truncated_words) \
	X(legacy_heap) X(legacy_count) X(legacy_contention) X(legacy_thread) X(legacy_java) \
	X(legacy_errors) X(legacy_truncation) X(legacy_drop_frames) X(legacy_roundtrip) \
	X(legacy_strconv) X(legacy_go_exp) X(legacy_trim_space) X(legacy_map_lines) \
	X(legacy_text_comments)
