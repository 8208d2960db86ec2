/* all_tests.h - every unit-test list, for the runner in main.c. */
#ifndef CPROF_ALL_TESTS_H
#define CPROF_ALL_TESTS_H

#include "tests_core.h"
#include "tests_diff.h"
#include "tests_dot.h"
#include "tests_fetch.h"
#include "tests_formats.h"
#include "tests_goroutines.h"
#include "tests_graph.h"
#include "tests_heapdump.h"
#include "tests_legacy.h"
#include "tests_regex.h"
#include "tests_reliability.h"
#include "tests_runtime.h"
#include "tests_stacks.h"
#include "tests_symbolize.h"
#include "tests_transform.h"

#define ALL_TESTS(X) TESTS_CORE(X) TESTS_DIFF(X) TESTS_DOT(X) TESTS_FETCH(X) TESTS_FORMATS(X) TESTS_GOROUTINES(X) TESTS_GRAPH(X) TESTS_HEAPDUMP(X) TESTS_LEGACY(X) TESTS_REGEX(X) TESTS_RELIABILITY(X) TESTS_RUNTIME(X) TESTS_STACKS(X) TESTS_SYMBOLIZE(X) TESTS_TRANSFORM(X)

#endif
