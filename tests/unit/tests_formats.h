/*
 * Unit tests of formats/: the profile.proto decoder and its validity
 * checks (test_pprof_read.c), the encoder and round trips
 * (test_pprof_write.c), gzip, file reading, the registry and the dump
 * (test_formats_io.c).
 */
#define TESTS_FORMATS(X) X(pprof_decode_handbuilt) X(pprof_decode_packed_unpacked) \
	X(pprof_decode_unknown_fields) X(pprof_decode_wire_errors) X(pprof_decode_truncated) \
	X(pprof_decode_string_index) X(pprof_decode_string0) X(pprof_decode_labels) \
	X(pprof_decode_concatenated) X(pprof_decode_id_zero) X(pprof_decode_duplicate_ids) \
	X(pprof_decode_unknown_refs) X(pprof_decode_value_count) X(pprof_decode_sparse_ids) \
	X(pprof_decode_depth_limit) X(pprof_check_valid_order) X(pprof_compact) \
	X(pprof_roundtrip) X(pprof_roundtrip_gzip) X(pprof_encode_string_order) \
	X(pprof_encode_period_type) X(gunzip_members) X(gunzip_errors) X(gunzip_limit) \
	X(read_file_errors) X(parse_empty) X(parse_unrecognized) X(dump_layout) \
	X(dump_upstream_layout) X(head_check) X(read_input_head)
