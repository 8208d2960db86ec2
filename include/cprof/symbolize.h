/*
 * symbolize.h - turning addresses into functions, files and lines, in
 * process, with libelf and libdw (no addr2line, no llvm-symbolizer).
 *
 * Two layers:
 *
 *   object files   struct cprof_objtool opens ELF files (executables and
 *                  shared libraries, PIE or not) for a mapping of the
 *                  profile and answers, for a runtime address: the object
 *                  address (load bias removed, pprof's GetBase), the frames
 *                  there (inline frames from DWARF, innermost first), the
 *                  symbols matching a regex, and the code bytes (for the
 *                  disassembler). Separate debug files are found by build
 *                  id (<debug dir>/.build-id/xx/yyyy.debug) and by
 *                  .gnu_debuglink (beside the binary, in .debug/, in
 *                  <debug dir>/<binary dir>/), as gdb and llvm-symbolizer
 *                  look for them.
 *
 *   profiles       cprof_profile_symbolize() is pprof's "Symbolize" step of
 *                  the driver: every location of a mapping that has no
 *                  symbols yet gets the frames of its address; new
 *                  functions are de-duplicated; the mapping's has_* flags
 *                  are set; then C++ names are demangled (pprof's
 *                  Demangle with its simplification modes).
 *
 * The frames follow what upstream pprof gets from `llvm-symbolizer
 * --inlining -demangle=false`: function names are DWARF linkage names
 * (mangled) or plain names; the outermost frame takes its name from the
 * ELF symbol table when one covers the address (so gcc clones read
 * `foo.constprop.0`); without DWARF the name comes from .symtab (or
 * .dynsym when there is no .symtab), with symbol sizes respected, and a
 * local symbol gets the file name of its STT_FILE symbol.
 *
 * Everything an objtool opens stays cached until cprof_objtool_free():
 * results are cached per (object, address), and an object that failed to
 * open is remembered so it is tried once.
 */
#ifndef CPROF_SYMBOLIZE_H
#define CPROF_SYMBOLIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cprof/error.h"
#include "cprof/profile.h"
#include "cprof/regex.h"
#include "cprof/strbuf.h"

/* ---- object files --------------------------------------------------------- */

struct cprof_objtool_opts {
	/*
	 * Colon-separated directories holding separate debug files
	 * (".build-id/xx/yyyy.debug" and debuglink targets). NULL means
	 * "/usr/lib/debug".
	 */
	const char *debug_dirs;
};

struct cprof_objtool;
struct cprof_objfile;

/* One frame of a symbolized address. Strings belong to the objtool. */
struct cprof_frame {
	const char *func; /* raw (linkage) name, "" if unknown */
	const char *file; /* "" if unknown */
	int64_t line;     /* 0 if unknown */
	int64_t column;
};

/*
 * A symbol of an object file, as pprof's disassembly finds them in
 * `nm -n` output: all names at one address form one symbol that ends
 * where the next address starts; start and end are object addresses,
 * end inclusive.
 */
struct cprof_sym {
	const char **names; /* names[0] is shown; more ("AKA") only for an address match */
	size_t nnames;
	uint64_t start, end;
};

struct cprof_objtool *cprof_objtool_new(const struct cprof_objtool_opts *o);
/* Frees every object file the tool opened. NULL is fine. */
void cprof_objtool_free(struct cprof_objtool *t);

/*
 * Start reading path's symbols and DWARF (debug sections inflated, every
 * compile unit's subroutines and line table indexed) on a second thread,
 * while the caller goes on with something else (reading the profile).
 * The first later call that needs the file, or any call on an object
 * file, stops the reading at the next compile unit and waits for it:
 * what is left is done on demand as without prefetching. Nothing is
 * printed and no result changes; a file that cannot be opened fails
 * there with the error cprof_objtool_open() would give. One prefetch per
 * tool; does nothing if thread creation fails.
 */
void cprof_objtool_prefetch(struct cprof_objtool *t, const char *path);
/* Tell the second thread to stop at its next step (the file is not needed after all). */
void cprof_objtool_prefetch_cancel(struct cprof_objtool *t);
/*
 * Give the second thread the addresses of the mapping [start, limit) at
 * offset that the prefetched file will symbolize: their frames are found
 * there, once the DWARF is read, and cprof_objfile_frames_once() takes
 * them from there (the same answers). Once per prefetch; the addresses
 * are copied.
 */
void cprof_objtool_prefetch_addresses(struct cprof_objtool *t, uint64_t start, uint64_t limit, uint64_t offset,
				      const uint64_t *addrs, size_t n);
/* The file being prefetched, or NULL. */
const char *cprof_objtool_prefetching(const struct cprof_objtool *t);

/*
 * Open path as the object file of a mapping [start, limit) at file
 * offset `offset` (all zero: addresses are object addresses already).
 * The result belongs to the tool (the same path and mapping give the
 * same object). NULL with err set when the file cannot be read, is not
 * ELF, or no load bias can be found ("could not identify base for ...").
 */
struct cprof_objfile *cprof_objtool_open(struct cprof_objtool *t, const char *path, uint64_t start,
					 uint64_t limit, uint64_t offset, struct cprof_error *err);

const char *cprof_objfile_path(const struct cprof_objfile *f);
/* Lower-case hex GNU build id, "" when the file has none. */
const char *cprof_objfile_build_id(const struct cprof_objfile *f);
/* Whether DWARF was found (in the file or a separate debug file). */
bool cprof_objfile_has_dwarf(const struct cprof_objfile *f);
/* The file the DWARF came from (the object itself or a debug file), "" if none. */
const char *cprof_objfile_debug_path(const struct cprof_objfile *f);

/*
 * pprof's ObjAddr: runtime address → object address. The load bias is
 * computed once, from the first address asked (pprof's rule), with the
 * program header that holds it. -1 with err set when the address is
 * outside the mapping or no header matches.
 */
int cprof_objfile_obj_addr(struct cprof_objfile *f, uint64_t addr, uint64_t *objaddr,
			   struct cprof_error *err);

/*
 * The frames at runtime address addr, innermost first. fast: symbol
 * tables only (names, no files or lines), as pprof's -symbolize=fastlocal.
 * *frames points into the tool's cache and stays valid until the tool is
 * freed; *n may be 0 (nothing known). -1 with err set as obj_addr.
 */
int cprof_objfile_frames(struct cprof_objfile *f, uint64_t addr, bool fast,
			 const struct cprof_frame **frames, size_t *n, struct cprof_error *err);

/* The same for an object address (no bias applied). */
int cprof_objfile_frames_obj(struct cprof_objfile *f, uint64_t objaddr, bool fast,
			     const struct cprof_frame **frames, size_t *n);

/*
 * cprof_objfile_frames without the tool's per-address cache, for a caller
 * that asks each address once (the profile symbolizer sweeps its distinct
 * addresses in order). The frames still live until the tool is freed.
 */
int cprof_objfile_frames_once(struct cprof_objfile *f, uint64_t addr, bool fast,
			      const struct cprof_frame **frames, size_t *n, struct cprof_error *err);

/*
 * pprof's Symbols(rx, addr): the symbols of the file whose range holds
 * object address addr (addr not 0: with all their names), or one of whose
 * names matches re, raw or demangled (without clones; without parameters;
 * without parameters and template arguments: the first that matches is
 * the name shown). Sorted by address. Free with cprof_syms_free().
 */
size_t cprof_objfile_symbols(struct cprof_objfile *f, const struct cprof_regex *re, uint64_t addr,
			     struct cprof_sym **out);
void cprof_syms_free(struct cprof_sym *v, size_t n);

/*
 * The file bytes at object addresses [start, end) of an executable
 * segment, for the disassembler. *data points into the mapped file; *n
 * is shortened at the end of the segment. -1 when start is not in a
 * loaded segment with file contents.
 */
int cprof_objfile_code(struct cprof_objfile *f, uint64_t start, uint64_t end, const unsigned char **data,
		       size_t *n);

/*
 * The symbol-table name holding object address objaddr (the name
 * llvm-symbolizer would override with), and its start in *start; NULL if
 * none.
 */
const char *cprof_objfile_symbol_at(struct cprof_objfile *f, uint64_t objaddr, uint64_t *start);

/* ELF machine (EM_X86_64, EM_AARCH64, ...) and class (32 or 64). */
int cprof_objfile_machine(const struct cprof_objfile *f, int *elf_class);

/* ---- demangling --------------------------------------------------------------- */

enum cprof_demangle_mode {
	CPROF_DEMANGLE_DEFAULT,   /* no parameters, no template arguments (pprof's default) */
	CPROF_DEMANGLE_TEMPLATES, /* no parameters */
	CPROF_DEMANGLE_FULL,      /* everything but clone suffixes */
	CPROF_DEMANGLE_NONE,      /* leave names as they are */
};

/*
 * Demangle one name as pprof does (C++ Itanium names through libiberty,
 * then the simplification of the mode; names that look demangled already
 * are simplified by pprof's heuristics). Appends the result to out.
 */
void cprof_demangle(const char *name, enum cprof_demangle_mode mode, struct strbuf *out);

/*
 * Demangle an Itanium C++ name (_Z..., _GLOBAL_...) with the mode's
 * simplification; false (out untouched) when name is not one.
 */
bool cprof_demangle_itanium(const char *name, enum cprof_demangle_mode mode, struct strbuf *out);

/* pprof's Demangle over every function of p (force: redo names that differ from system names). */
void cprof_profile_demangle(struct cprof_profile *p, bool force, enum cprof_demangle_mode mode);

/* ---- the profile step ----------------------------------------------------------- */

struct cprof_symbolize_opts {
	bool none;   /* -symbolize=none: do nothing */
	bool local;  /* symbolize from local binaries (false for "remote" alone) */
	bool remote; /* then ask the servers of fetched profiles (false for "local", "fastlocal") */
	bool fast;   /* fastlocal: symbol tables only */
	bool force;  /* re-symbolize mappings that have symbols */
	enum cprof_demangle_mode demangle;
	/*
	 * The remote step, run between the local one and demangling when
	 * remote is set (the driver's symbolz client); NULL for none. -1
	 * with err set fails the symbolization.
	 */
	int (*remote_fn)(struct cprof_profile *p, bool force, void *ctx, struct strbuf *notes,
			 struct cprof_error *err);
	void *remote_ctx;
};

/*
 * Parse a -symbolize value ("local", "fastlocal:force", "demangle=full",
 * ...), as pprof: local and remote by default; "local" and "fastlocal"
 * leave out remote, "remote" leaves out local. Unknown tokens add pprof's
 * two "ignoring unrecognized symbolization option" lines to notes.
 * remote_fn is left NULL.
 */
void cprof_symbolize_parse(const char *spec, struct cprof_symbolize_opts *o, struct strbuf *notes);

/*
 * pprof's locateBinaries: for each mapping, look in every directory of
 * search_path (PPROF_BINARY_PATH; NULL or "" means $HOME/pprof/binaries)
 * for <dir>/<build id>/<basename>, every file in <dir>/<build id>/, <dir>/<file>/<build
 * id>, <dir>/<basename>, <dir>/<file>; the first ELF file found whose
 * build id matches (or when either has none) becomes the mapping's file.
 * A build-id mismatch adds pprof's "Ignoring local file ..." note.
 */
void cprof_profile_locate_binaries(struct cprof_profile *p, struct cprof_objtool *t,
				   const char *search_path, struct strbuf *notes);

/*
 * Symbolize the locations of p with the binaries its mappings name,
 * then demangle. Messages pprof prints (missing binaries, build id
 * mismatch, failures) are added to notes, each once. Never fails on a
 * missing or unreadable binary: those locations keep their addresses.
 */
int cprof_profile_symbolize(struct cprof_profile *p, struct cprof_objtool *t,
			    const struct cprof_symbolize_opts *o, struct strbuf *notes,
			    struct cprof_error *err);

/*
 * What cprof_profile_symbolize() will do for p's main mapping (mapping 0),
 * started ahead on a second thread: when local symbolization with DWARF
 * will read that mapping's file, the file is read and the addresses of the
 * mapping's locations are symbolized there (cprof_objtool_prefetch(), with
 * cprof_objtool_prefetch_addresses()) while the caller merges. A prefetch
 * of another file (or of a file p does not need) is cancelled. The
 * results are the same as without.
 */
void cprof_profile_prefetch_symbols(const struct cprof_profile *p, struct cprof_objtool *t,
				    const struct cprof_symbolize_opts *o);
/*
 * The first half of that, for a profile whose mappings are read but not
 * yet its locations (cprof_pprof_set_mapping_hook()): when nothing is
 * being prefetched and local symbolization with DWARF will read the main
 * mapping's file, start reading it. cprof_profile_prefetch_symbols() then
 * gives it the addresses, or cancels it.
 */
void cprof_profile_prefetch_binary(const struct cprof_profile *p, struct cprof_objtool *t,
				   const struct cprof_symbolize_opts *o);
/* Whether o symbolizes locally with DWARF (not none, remote or fastlocal). */
bool cprof_symbolize_uses_dwarf(const struct cprof_symbolize_opts *o);

#endif
