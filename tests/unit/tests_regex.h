/* Unit tests of the RE2 validator and its PCRE2 translation (test_regex.c). */
#define TESTS_REGEX(X) X(regex_errors) X(regex_error_order) X(regex_translation) X(regex_groups) \
	X(regex_semantics) X(regex_invalid_text) X(regex_unicode_names) X(regex_limits) \
	X(regex_backtracking) X(regex_full)
