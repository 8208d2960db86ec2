/*
 * test_symbolize.c - object files, frames, demangling, the profile step and
 * source lookup. Fixtures: the binutils test binaries of the conformance
 * corpus (../shared/conformance/pprof/internal/binutils/testdata, skipped
 * when absent) and this test binary itself (built with -g).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "cprof/source.h"
#include "cprof/symbolize.h"

static const char *binutils_testdata(const char *name)
{
	static char path[4096];
	const char *shared = getenv("SHARED");
	if (shared)
		snprintf(path, sizeof(path), "%s/conformance/pprof/internal/binutils/testdata/%s", shared, name);
	else /* ../shared beside the repository, seen from this file's directory tests/unit */
		snprintf(path, sizeof(path), "%.*s/../../../shared/conformance/pprof/internal/binutils/testdata/%s",
			 (int)(strrchr(__FILE__, '/') ? strrchr(__FILE__, '/') - __FILE__ : 1),
			 strrchr(__FILE__, '/') ? __FILE__ : ".", name);
	return access(path, R_OK) == 0 ? path : NULL;
}

static int demangled_is(const char *mangled, enum cprof_demangle_mode mode, const char *want)
{
	struct strbuf sb = STRBUF_INIT;
	cprof_demangle(mangled, mode, &sb);
	int bad = strcmp(sb.buf, want);
	if (bad)
		fprintf(stderr, "demangle(%s, %d) = [%s], want [%s]\n", mangled, (int)mode, sb.buf, want);
	strbuf_release(&sb);
	return bad;
}

int test_sym_demangle_modes(void)
{
	static const struct {
		const char *in, *def, *templates, *full;
	} cases[] = {
		{"_ZN3geo5Field4fillEj", "geo::Field::fill", "geo::Field::fill", "geo::Field::fill(unsigned int)"},
		{"_ZNK3geo5Field6energyEv", "geo::Field::energy", "geo::Field::energy", "geo::Field::energy() const"},
		{"_ZNSt6vectorIiSaIiEE9push_backERKi", "std::vector::push_back",
		 "std::vector<int, std::allocator<int> >::push_back",
		 "std::vector<int, std::allocator<int> >::push_back(int const&)"},
		/* clones: dropped without parameters and with "full" (NoClones) */
		{"_Z3fooi.constprop.0", "foo", "foo", "foo(int)"},
		/* operator< keeps its bracket; libiberty's "operator< <" space goes with the arguments */
		{"_ZStltIcSt11char_traitsIcESaIcEEbRKNSt7__cxx1112basic_stringIT_T0_T1_EESA_", "std::operator<",
		 "std::operator< <char, std::char_traits<char>, std::allocator<char> >",
		 "bool std::operator< <char, std::char_traits<char>, std::allocator<char> >(std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > const&, std::__cxx11::basic_string<char, std::char_traits<char>, std::allocator<char> > const&)"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK(!demangled_is(cases[i].in, CPROF_DEMANGLE_DEFAULT, cases[i].def));
		CHECK(!demangled_is(cases[i].in, CPROF_DEMANGLE_TEMPLATES, cases[i].templates));
		CHECK(!demangled_is(cases[i].in, CPROF_DEMANGLE_FULL, cases[i].full));
	}
	/* "none" is pprof's empty option list: the demangler's whole output */
	CHECK(!demangled_is("_Z3fooi.constprop.0", CPROF_DEMANGLE_NONE, "foo(int) [clone .constprop.0]"));
	return 0;
}

int test_sym_demangle_heuristics(void)
{
	/* not mangled: Go and C names stay; demangled-looking C++ is simplified */
	CHECK(!demangled_is("main.main", CPROF_DEMANGLE_DEFAULT, "main.main"));
	CHECK(!demangled_is("main.(*matrix).at", CPROF_DEMANGLE_DEFAULT, "main.(*matrix).at"));
	CHECK(!demangled_is("pkg.(*T[...]).M", CPROF_DEMANGLE_DEFAULT, "pkg.(*T[...]).M"));
	CHECK(!demangled_is("main.sum[...]", CPROF_DEMANGLE_DEFAULT, "main.sum[...]"));
	CHECK(!demangled_is("ns::Foo<int>::bar(int)", CPROF_DEMANGLE_DEFAULT, "ns::Foo::bar"));
	CHECK(!demangled_is("ns::Foo<int>::bar(int)", CPROF_DEMANGLE_TEMPLATES, "ns::Foo<int>::bar"));
	CHECK(!demangled_is("ns::Foo<int>::bar(int)", CPROF_DEMANGLE_FULL, "ns::Foo<int>::bar(int)"));
	CHECK(!demangled_is("java.Foo.<init>", CPROF_DEMANGLE_DEFAULT, "java.Foo.<init>"));
	/* a mismatch stops the removal where it is */
	CHECK(!demangled_is("a::b(c))d", CPROF_DEMANGLE_DEFAULT, "a::b)d"));
	return 0;
}

int test_sym_parse_modes(void)
{
	struct cprof_symbolize_opts o;
	struct strbuf notes = STRBUF_INIT;
	cprof_symbolize_parse("", &o, &notes);
	CHECK(!o.none && o.local && !o.fast && !o.force && o.demangle == CPROF_DEMANGLE_DEFAULT);
	cprof_symbolize_parse("None", &o, &notes);
	CHECK(o.none);
	cprof_symbolize_parse("fastlocal:force", &o, &notes);
	CHECK(o.local && o.fast && o.force);
	cprof_symbolize_parse("local:demangle=templates", &o, &notes);
	CHECK(o.force && o.demangle == CPROF_DEMANGLE_TEMPLATES);
	cprof_symbolize_parse("full", &o, &notes); /* pprof accepts the mode without its prefix */
	CHECK(o.force && o.demangle == CPROF_DEMANGLE_FULL);
	cprof_symbolize_parse("demangle=default", &o, &notes);
	CHECK(!o.force && o.demangle == CPROF_DEMANGLE_DEFAULT);
	CHECK_INT(notes.len, 0);
	cprof_symbolize_parse("local:bogus", &o, &notes);
	CHECK_STR(notes.buf, "ignoring unrecognized symbolization option: local:bogus\n"
			     "expecting -symbolize=[local|fastlocal|remote|none][:force][:demangle=[none|full|templates|default]\n");
	strbuf_release(&notes);
	return 0;
}

/* pprof's binutils TestObjAddr table on exe_linux_64 (conformance README section 6). */
int test_sym_objaddr_table(void)
{
	const char *exe = binutils_testdata("exe_linux_64");
	if (!exe)
		return 0;
	static const struct {
		uint64_t start, limit, offset, addr, want;
		bool err;
	} cases[] = {
		{0x5400000, 0x5401000, 0, 0x5400400, 0x400400, false},
		{0x5400000, 0x5401000, 0, 0x5400800, 0, true}, /* nothing at that file offset */
		{0x5600e00, 0x5602000, 0xe00, 0x5600e10, 0x600e10, false},
		{0x5600e00, 0x5602000, 0xe00, 0x5600e00, 0x600e00, false},
		{0x5600000, 0x5602000, 0, 0x5601000, 0x601000, false},
		{0x5600000, 0x5602000, 0, 0x5601048, 0, true}, /* two headers match */
		{0x5600000, 0x5602000, 0x2000, 0x5600e10, 0, true},
		{0x5600000, 0x5603000, 0, 0x5600e10, 0x600e10, false},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		/* a fresh tool per case: the bias is computed from the first address */
		struct cprof_objtool *t = cprof_objtool_new(NULL);
		struct cprof_error err = {0};
		struct cprof_objfile *f = cprof_objtool_open(t, exe, cases[i].start, cases[i].limit, cases[i].offset, &err);
		CHECK(f != NULL);
		uint64_t got = 0;
		int rc = cprof_objfile_obj_addr(f, cases[i].addr, &got, &err);
		if (cases[i].err) {
			CHECK_INT(rc, -1);
		} else {
			CHECK_INT(rc, 0);
			CHECK_INT(got, cases[i].want);
		}
		cprof_objtool_free(t);
	}
	return 0;
}

int test_sym_hello_frames(void)
{
	const char *exe = binutils_testdata("exe_linux_64");
	if (!exe)
		return 0;
	/* the binary as mapped at 0x400000, then "relocated" to 0x500000 */
	static const uint64_t starts[] = {0x400000, 0x500000};
	for (size_t i = 0; i < 2; i++) {
		struct cprof_objtool *t = cprof_objtool_new(NULL);
		struct cprof_error err = {0};
		struct cprof_objfile *f = cprof_objtool_open(t, exe, starts[i], starts[i] + 0x6fc, 0, &err);
		CHECK(f != NULL);
		const struct cprof_frame *fr;
		size_t n;
		CHECK_INT(cprof_objfile_frames(f, starts[i] + 0x52d, false, &fr, &n, &err), 0);
		CHECK_INT(n, 1);
		CHECK_STR(fr[0].func, "main");
		CHECK_STR(fr[0].file, "/tmp/hello.c");
		CHECK_INT(fr[0].line, 3);
		uint64_t oa;
		CHECK_INT(cprof_objfile_obj_addr(f, starts[i] + 0x52d, &oa, &err), 0);
		CHECK_INT(oa, 0x40052d);
		/* by address (the regex matches nothing), then by name */
		struct cprof_regex *re = cprof_regex_compile("^nothing$", &err);
		struct cprof_sym *syms;
		size_t ns = cprof_objfile_symbols(f, re, 0x40052d, &syms);
		CHECK_INT(ns, 1);
		CHECK_STR(syms[0].names[0], "main");
		CHECK_INT(syms[0].start, 0x40052d);
		CHECK_INT(syms[0].end, 0x40053f); /* up to the next symbol */
		cprof_syms_free(syms, ns);
		cprof_regex_free(re);
		re = cprof_regex_compile("^frame_dummy$", &err);
		ns = cprof_objfile_symbols(f, re, 0, &syms);
		CHECK_INT(ns, 1);
		CHECK_INT(syms[0].start, 0x400500);
		cprof_syms_free(syms, ns);
		cprof_regex_free(re);
		cprof_objtool_free(t);
	}
	return 0;
}

int test_sym_reject_bad_files(void)
{
	struct cprof_objtool *t = cprof_objtool_new(NULL);
	struct cprof_error err = {0};
	const char *bad = binutils_testdata("malformed_elf");
	if (bad)
		CHECK(cprof_objtool_open(t, bad, 0, 0, 0, &err) == NULL);
	const char *macho = binutils_testdata("exe_mac_64");
	if (macho) {
		CHECK(cprof_objtool_open(t, macho, 0, 0, 0, &err) == NULL);
		CHECK(strstr(cprof_error_msg(&err), "unrecognized binary format") != NULL);
	}
	CHECK(cprof_objtool_open(t, "/nonexistent/binary", 0, 0, 0, &err) == NULL);
	CHECK_STR(cprof_error_msg(&err), "stat /nonexistent/binary: no such file or directory");
	cprof_objtool_free(t);
	return 0;
}

/* The mapping of this program's text, from /proc/self/maps. */
static int self_mapping(uint64_t addr, uint64_t *start, uint64_t *limit, uint64_t *offset, char *path, size_t n)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[4096];
	int found = -1;
	while (f && found && fgets(line, sizeof(line), f)) {
		unsigned long long s, l, o;
		char perm[8], file[4096] = "";
		if (sscanf(line, "%llx-%llx %7s %llx %*s %*s %4095s", &s, &l, perm, &o, file) < 4)
			continue;
		if (addr >= s && addr < l) {
			*start = s, *limit = l, *offset = o;
			snprintf(path, n, "%s", file);
			found = 0;
		}
	}
	if (f)
		fclose(f);
	return found;
}

static __attribute__((noinline)) uint64_t marker_function(void)
{
	return (uint64_t)(uintptr_t)__builtin_return_address(0);
}

int test_sym_self_frames(void)
{
	/* a runtime address of this (PIE) test program, through its real mapping */
	uint64_t addr = (uint64_t)(uintptr_t)&marker_function + 1, start, limit, offset;
	char path[4096];
	CHECK_INT(self_mapping(addr, &start, &limit, &offset, path, sizeof(path)), 0);
	struct cprof_objtool *t = cprof_objtool_new(NULL);
	struct cprof_error err = {0};
	struct cprof_objfile *f = cprof_objtool_open(t, path, start, limit, offset, &err);
	CHECK(f != NULL);
	const struct cprof_frame *fr;
	size_t n;
	CHECK_INT(cprof_objfile_frames(f, addr, false, &fr, &n, &err), 0);
	CHECK(n >= 1);
	CHECK_STR(fr[n - 1].func, "marker_function");
	if (cprof_objfile_has_dwarf(f)) {
		CHECK(strstr(fr[0].file, "test_symbolize.c") != NULL);
		CHECK(fr[0].line > 0);
	}
	/* fastlocal: the symbol only */
	CHECK_INT(cprof_objfile_frames(f, addr, true, &fr, &n, &err), 0);
	CHECK_INT(n, 1);
	CHECK_STR(fr[0].func, "marker_function");
	CHECK_STR(fr[0].file, "");
	cprof_objtool_free(t);
	return 0;
}

/* The profile step: a location gets frames, functions are shared, flags set. */
int test_sym_profile_step(void)
{
	uint64_t addr = (uint64_t)(uintptr_t)&marker_function + 1, start, limit, offset;
	char path[4096];
	CHECK_INT(self_mapping(addr, &start, &limit, &offset, path, sizeof(path)), 0);
	struct cprof_profile *p = cprof_profile_new();
	struct cprof_value_type vt = {"samples", "count"};
	cprof_profile_set_sample_types(p, &vt, 1);
	struct cprof_mapping *m = cprof_profile_add_mapping(p);
	m->id = 1, m->start = start, m->limit = limit, m->offset = offset;
	m->file = cprof_profile_str(p, path);
	struct cprof_mapping *m2 = cprof_profile_add_mapping(p);
	m2->id = 2, m2->start = 0x7f0000000000, m2->limit = 0x7f0000001000;
	m2->file = cprof_profile_str(p, "/nonexistent/libgone.so");
	for (int i = 0; i < 3; i++) {
		struct cprof_location *l = cprof_profile_add_location(p);
		l->id = (uint64_t)i + 1;
		l->address = i == 2 ? 0x7f0000000100 : addr + (uint64_t)i;
		l->mapping = i == 2 ? 1 : 0;
	}
	struct cprof_objtool *t = cprof_objtool_new(NULL);
	struct cprof_symbolize_opts o;
	struct strbuf notes = STRBUF_INIT;
	struct cprof_error err = {0};
	cprof_symbolize_parse("local", &o, NULL);
	CHECK_INT(cprof_profile_symbolize(p, t, &o, &notes, &err), 0);
	CHECK(p->location[0].nline >= 1);
	CHECK_INT(p->location[2].nline, 0); /* missing binary: address kept */
	CHECK(strstr(notes.buf, "Local symbolization failed for libgone.so: stat /nonexistent/libgone.so") != NULL);
	CHECK(strstr(notes.buf, "Some binary filenames not available.") != NULL);
	const struct cprof_function *fn = &p->function[p->location[0].line[p->location[0].nline - 1].fn];
	CHECK_STR(fn->name, "marker_function");
	CHECK_INT(fn->id, p->location[0].line[p->location[0].nline - 1].fn + 1);
	CHECK(p->mapping[0].has_functions && p->mapping[0].has_inline_frames);
	CHECK(!p->mapping[1].has_functions);
	/* already symbolized: a second run leaves it alone */
	size_t nfn = p->nfunction;
	strbuf_reset(&notes);
	CHECK_INT(cprof_profile_symbolize(p, t, &o, &notes, &err), 0);
	CHECK_INT(p->nfunction, nfn);
	strbuf_release(&notes);
	cprof_objtool_free(t);
	cprof_profile_free(p);
	return 0;
}

int test_source_trim_path(void)
{
	/* pprof's TestTrimPath table (internal/report/source_test.go) */
	static const struct {
		const char *trim, *search, *path, *want;
	} cases[] = {
		{"", "", "/some/path/to/foo.c", "/some/path/to/foo.c"},
		{"", "", "/proc/self/cwd/foo.c", "foo.c"},
		{"", "", "/proc/self/cwd/./foo.c", "foo.c"},
		{"", "/some/path", "/some/path/foo.c", "foo.c"},
		{"", "/x:/some/path", "/some/path/to/foo.c", "to/foo.c"},
		{"/some/path", "", "/some/path/to/foo.c", "to/foo.c"},
		{"/some/path/", "", "/some/path/to/foo.c", "to/foo.c"},
		{"/a:/some/path", "", "/some/path/to/foo.c", "to/foo.c"},
		{"", "/local/my-project", "/remote/my-project/foo/bar.c", "foo/bar.c"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK_STR(cprof_source_trim_path(cases[i].path, cases[i].trim, cases[i].search), cases[i].want);
	return 0;
}

/* Go layouts: a -trimpath standard-library name under $GOROOT, a module name under go.mod. */
int test_source_lookup_go(void)
{
	char dir[] = "/tmp/cprof-srcXXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char p[512];
	snprintf(p, sizeof(p), "%s/goroot/src/runtime", dir);
	char cmd[4096];
	snprintf(cmd, sizeof(cmd), "mkdir -p %s %s/mod/sub && printf 'a\\nb\\r\\nc' > %s/proc.go && "
		 "printf 'module example.com/Mod\\n' > %s/mod/go.mod && printf 'x\\n' > %s/mod/sub/f.go",
		 p, dir, p, dir, dir);
	CHECK_INT(system(cmd), 0);
	snprintf(p, sizeof(p), "%s/goroot", dir);
	setenv("GOROOT", p, 1);
	snprintf(p, sizeof(p), "%s/mod", dir);
	struct cprof_source_reader *r = cprof_source_reader_new(p, NULL);
	const char *t;
	size_t n;
	CHECK(cprof_source_line(r, "runtime/proc.go", 2, &t, &n));
	CHECK_INT(n, 1); /* "b", its \r dropped as bufio.Scanner does */
	CHECK(t[0] == 'b');
	CHECK(cprof_source_line(r, "runtime/proc.go", 3, &t, &n) && n == 1 && t[0] == 'c');
	CHECK(!cprof_source_line(r, "runtime/proc.go", 4, &t, &n));
	CHECK(cprof_source_error(r, "runtime/proc.go") == NULL);
	CHECK(cprof_source_line(r, "example.com/Mod/sub/f.go", 1, &t, &n) && n == 1 && t[0] == 'x');
	CHECK(!cprof_source_line(r, "missing/file.go", 1, &t, &n));
	snprintf(cmd, sizeof(cmd), "could not find file missing/file.go on path %s", p);
	CHECK_STR(cprof_source_error(r, "missing/file.go"), cmd);
	CHECK(!cprof_source_line(r, "/no/such/abs.c", 1, &t, &n));
	CHECK_STR(cprof_source_error(r, "/no/such/abs.c"), "open /no/such/abs.c: no such file or directory");
	cprof_source_reader_free(r);
	unsetenv("GOROOT");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	CHECK_INT(system(cmd), 0);
	return 0;
}
