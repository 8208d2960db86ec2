/* Unit tests of remote sources: symbolz and the -symbolize words (test_fetch.c). */
#define TESTS_FETCH(X) X(symbolz_parse_lines) X(symbolz_apply) X(symbolz_failures) X(symbolize_remote_words)
