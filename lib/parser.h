/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lib/parser.h: keepalived.conf reader: tokenizer, includes, definitions, keyword tree, diagnostics. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "utils.h"

/*
 * The reader turns files into logical lines (after comments, @id conditions,
 * $NAME definitions and expansion, ~SEQ/~LST repetition and include), splits them
 * into words and walks a keyword tree. Each module declares `static const struct
 * cfg_kw` tables next to the struct they fill; a handler gets the object under
 * construction and stores values, nothing more (applying happens after the parse).
 *
 * Every problem is reported through the diagnostic sink as
 *   FILE:LINE:COL: error|warning: message
 * and the parse goes on, so one run reports all of them.
 *
 * Words: blanks separate them; an unquoted '{' or '}' is a word of its own, even
 * glued to others (as in keepalived). "..." and '...' quote and join their
 * neighbours as in the shell; inside "...", \a \b \E \f \n \r \t \v \nnn \xXX \cC
 * \\ \" \' are escapes and any other \C stays as it is (regular expressions pass
 * through); '...' is literal; outside quotes a backslash protects a blank, a
 * quote, '#', '!', '{', '}' or itself. So `notify "/bin/x 'a b'"` gives the word
 * /bin/x 'a b', which script keywords split again into argv (shell-like), as
 * keepalived does with the line.
 */
struct cfg;

/* The words of one keyword line. Borrowed: valid only during the handler call. */
struct cfg_args {
	int argc;		/* argv[0] is the keyword itself */
	char *const *argv;
	const char *file;	/* where argv[0] was read */
	int line;
};

typedef int cfg_kw_fn(struct cfg *c, void *obj, const struct cfg_args *a);
/* Returns the object the block's keywords fill; NULL means "skip the block" (after an error). */
typedef void *cfg_open_fn(struct cfg *c, void *parent, const struct cfg_args *a);
/* After the block's closing brace: cross-field checks, defaults. */
typedef int cfg_close_fn(struct cfg *c, void *obj);

#define CFG_ANY (-1)	/* max_args: no upper limit */

enum cfg_kw_flags {
	CFG_KW_BLOCK_OPTIONAL = 1 << 0,	/* the { } after a block keyword may be absent */
	CFG_KW_DEPRECATED     = 1 << 1,	/* accepted with a warning naming .alias */
	/* with DEPRECATED: keepalived's -t passes it, so the warning stays one under -t (else
	 * a deprecated keyword is a mistake, see cfg_mistake()) */
	CFG_KW_DEPRECATED_OK  = 1 << 7,
};

/*
 * Does the daemon act on a keyword? Every entry of the daemon's tables says so
 * (tests/unit/test_keywords.c walks them, and checks keepalived.conf(5) against them).
 */
enum cfg_kw_acted {
	CFG_ACTED_UNSTATED,	/* only in tests' own tables: handled as CFG_ACTED */
	CFG_ACTED,		/* does what keepalived 2.2.7 does with it */
	CFG_NOT_YET,		/* a valid keepalived keyword not acted on yet: its arguments are
				 * checked, then "'NAME' is not acted on yet: it is parsed and
				 * ignored" is warned once per name (not again for the keywords
				 * inside such a block, which are all CFG_NOT_YET too) */
};

/*
 * How a keyword line is handled: the argument count is checked first (on a
 * mismatch nothing is called, and a block that follows is skipped). A block
 * keyword then gets open() (if any), then fn() with the block's object (what
 * open() returned, else the parent's), then its lines, then close() with the
 * same object (diagnostics from close() point at the block's keyword). With
 * CFG_KW_BLOCK_OPTIONAL and no { }, open/fn/close run as for an empty block.
 * A block with both .block and .line: lines starting with one of .block's
 * keywords are keywords, the others go to .line. A handler returning < 0
 * without reporting anything gets a generic error, so the parse still fails.
 */
struct cfg_kw {
	const char *name;
	cfg_kw_fn *fn;		/* NULL: accepted (after the argument count check), nothing stored */
	short args;		/* minimum number of arguments after the keyword */
	short max_args;		/* maximum; 0 means "same as args"; CFG_ANY: no limit */
	const struct cfg_kw *block;	/* takes { ... } holding these keywords (ends with { 0 }) */
	cfg_kw_fn *line;	/* takes { ... } of free-form lines, each passed here whole */
	cfg_open_fn *open;	/* object for the block (default: the parent's object) */
	cfg_close_fn *close;
	unsigned flags;		/* enum cfg_kw_flags */
	const char *alias;	/* CFG_KW_DEPRECATED: the keyword to use instead */
	enum cfg_kw_acted acted;
};

/*
 * The vocabulary of keyword tables (global_defs, vrrp, check): each entry is
 *   CFG_KW(name, fn, ...)         acted on
 *   CFG_KW_LATER(name, fn, ...)   not acted on yet (fn may still check and store the value)
 * where fn may be NULL and "..." names the other fields: .args, .max_args, .block,
 * .line, .open, .close, .flags, .alias, or the argument shapes below. A table ends
 * with { 0 }.
 */
#define CFG_KW(n, fn, ...)	 { (n), (fn), .acted = CFG_ACTED, __VA_ARGS__ }
#define CFG_KW_LATER(n, fn, ...) { (n), (fn), .acted = CFG_NOT_YET, __VA_ARGS__ }
#define CFG_ARG1		.args = 1			/* exactly one argument */
#define CFG_OPT1		.max_args = 1			/* none or one */
#define CFG_ARGS(lo, hi)	.args = (lo), .max_args = (hi)	/* hi may be CFG_ANY */
#define CFG_FLAGARGS		.max_args = CFG_ANY		/* a flag: keepalived ignores
								 * the words after it */
#define CFG_ALIAS(a)		.flags = CFG_KW_DEPRECATED, .alias = (a)

/* One top-level keyword table and the object its handlers fill. */
struct cfg_root {
	const struct cfg_kw *kws;
	void *obj;
	/* After the whole parse (references between objects); may report with cfg_error_at(). */
	cfg_close_fn *finish;
};

enum cfg_sev {
	CFG_SEV_ERROR,
	CFG_SEV_WARNING,
	/* for reporting only (never in a cfg_diag): see cfg_mistake() */
	CFG_SEV_MISTAKE,
};

struct cfg_diag {
	enum cfg_sev sev;
	const char *file;	/* NULL when there is no location (e.g. a missing main file) */
	int line, col;		/* 1-based; col 0 when unknown */
	const char *msg;	/* without location or severity */
};
typedef void cfg_diag_fn(void *arg, const struct cfg_diag *d);

struct cfg_opts {
	const char *config_id;	/* for @ID lines; NULL: the host name up to its first dot */
	bool skip_unknown_top;	/* a child: top-level keywords not installed are skipped silently */
	bool includes_required;	/* -e/--all-config: a missing include file is an error */
	cfg_diag_fn *diag;	/* NULL: log_msg() with the formatted line */
	void *diag_arg;
	unsigned max_depth;	/* block + include nesting limit; 0: 64 */
	bool no_includes;	/* include lines are errors, no file is opened */
	/* Includes may read only files whose real path is below this directory (absolute,
	 * without symbolic links); others are errors and are not opened. NULL: anywhere.
	 * For fuzzing: the parser reads the files the fuzzer wrote, never /dev or /proc. */
	const char *include_root;
	/* Bytes that $NAME, ~SEQ and ~LST may produce, and included files may add, in one
	 * parse (past it, the rest of the configuration is skipped with an error); 0: 256 MiB.
	 * Counting included files bounds a fan-out of files that include each other. */
	uint64_t max_expansion;
	/*
	 * keepalived -t: its verdict. A mistake (cfg_mistake()) is an error, and handlers
	 * check names against this host (cfg_config_test()).
	 */
	bool config_test;
	/* Files that includes may read in one parse; past it, include lines are errors and
	 * open nothing. 0: no limit. For fuzzing: a fan-out of files that include each other
	 * costs a few reads, not thousands. */
	unsigned max_includes;
	/* The index of the keyword tree that an unknown keyword's report builds (where each
	 * name is valid, for "did you mean") is kept for the next parse with the same roots,
	 * not freed at the end of this one. For fuzzing: millions of parses. */
	bool keep_index;
	/* How a host name becomes an address for cfg_host() (smtp_server): 0 and *out, or
	 * -1 when the name has no address. NULL: inet_addr_resolve(), the system's resolver.
	 * Tests and fuzzers give their own, so that a name is never a DNS query. */
	int (*resolve)(const char *name, struct inet_addr *out);
};

/*
 * Parse path with the given roots. Returns 0 when no error was reported,
 * -ENOENT when the main file cannot be read, -EINVAL when errors were reported.
 * *n_errors / *n_warnings (either may be NULL) get the counts.
 */
int cfg_parse_file(const char *path, const struct cfg_root *roots, size_t n_roots,
		   const struct cfg_opts *o, unsigned *n_errors, unsigned *n_warnings);
/* The same on a buffer; name is used in diagnostics and as the base for relative includes. */
int cfg_parse_buf(const char *name, const char *buf, size_t len, const struct cfg_root *roots,
		  size_t n_roots, const struct cfg_opts *o, unsigned *n_errors, unsigned *n_warnings);

/* Format a diagnostic as "FILE:LINE:COL: error: msg" into buf; returns buf. */
const char *cfg_diag_format(const struct cfg_diag *d, char *buf, size_t len);

/* Diagnostics from handlers: at the keyword, or at argument i (its column). */
void cfg_error(struct cfg *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cfg_warn(struct cfg *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cfg_error_arg(struct cfg *c, int i, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void cfg_warn_arg(struct cfg *c, int i, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/*
 * A mistake the daemon works around (it ignores or corrects what is named, as keepalived
 * 2.2.7 does, and runs): a warning, but an error under cfg_opts.config_test, since
 * keepalived's -t fails on it.
 */
void cfg_mistake(struct cfg *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cfg_mistake_arg(struct cfg *c, int i, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Is this keepalived -t (cfg_opts.config_test)? Then handlers may check names on this host. */
bool cfg_config_test(const struct cfg *c);

/*
 * Value helpers: parse argument i of the current line, report a precise error
 * naming the keyword, the value and what was expected, and return 0 or -EINVAL
 * (leaving *out untouched on error).
 */
int cfg_uint(struct cfg *c, const struct cfg_args *a, int i, unsigned min, unsigned max,
	     unsigned *out);
int cfg_int(struct cfg *c, const struct cfg_args *a, int i, int min, int max, int *out);
/* on|off|true|false|yes|no; an absent argument i means true (keepalived's flag keywords). */
int cfg_bool(struct cfg *c, const struct cfg_args *a, int i, bool *out);
/* Seconds, fraction allowed ("2.5"), to µs, within [min_us, max_us]. */
int cfg_timer_us(struct cfg *c, const struct cfg_args *a, int i, uint64_t min_us,
		 uint64_t max_us, uint64_t *out);
/* Replaces *out (freed) with a copy of argument i. */
int cfg_str(struct cfg *c, const struct cfg_args *a, int i, char **out);
int cfg_addr(struct cfg *c, const struct cfg_args *a, int i, struct inet_addr *out);
/* An IPv4 or IPv6 address, or a host name resolved now (cfg_opts.resolve). */
int cfg_host(struct cfg *c, const struct cfg_args *a, int i, struct inet_addr *out);
/* One of names[] (NULL-terminated); *out is its index. */
int cfg_enum(struct cfg *c, const struct cfg_args *a, int i, const char *const names[],
	     int *out);

/*
 * Ready-made handlers for keyword tables (fn or .line), storing nothing:
 * cfg_kw_flag: a keepalived flag keyword; an argument given is ignored with a warning.
 * cfg_kw_check_bool / cfg_kw_check_addr: argument 1 must be a boolean / an address.
 * cfg_line_any: the lines of a block not acted on yet, accepted as they are.
 */
int cfg_kw_flag(struct cfg *c, void *obj, const struct cfg_args *a);
int cfg_kw_check_bool(struct cfg *c, void *obj, const struct cfg_args *a);
int cfg_kw_check_addr(struct cfg *c, void *obj, const struct cfg_args *a);
int cfg_line_any(struct cfg *c, void *obj, const struct cfg_args *a);

/* Writes one word for a config dump, quoted when the parser would otherwise split or change it. */
void cfg_dump_word(FILE *f, const char *s);
/* Seconds with the fraction they need, as the timer keywords read them: 1500000 -> "1.5". */
void cfg_dump_secs(FILE *f, uint64_t us);

/*
 * Current location, for handlers that keep it for later cross-object checks.
 * The file name stays valid until the parse ends (finish callbacks included).
 */
const char *cfg_file(const struct cfg *c);
int cfg_line(const struct cfg *c);
/* The column of word i of the current line (the keyword's when i is out of range). */
int cfg_col(const struct cfg *c, int i);
/*
 * The object of the root whose keyword table is kws (struct cfg_root.obj), or NULL:
 * for a handler deep in a block that stores into its module's top-level object
 * (e.g. one copy of a string shared by many objects).
 */
void *cfg_root_obj(const struct cfg *c, const struct cfg_kw *kws);
void cfg_error_at(struct cfg *c, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void cfg_warn_at(struct cfg *c, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* At a place kept with cfg_file()/cfg_line()/cfg_col() (col 0: unknown); any severity. */
void cfg_report_at(struct cfg *c, enum cfg_sev sev, const char *file, int line, int col,
		   const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/*
 * include_check (global_defs): extra checks for every include read from now on.
 * The setting in force when a file is opened is restored when it ends, as in
 * keepalived. includer/includem/includew/includeb/includea add their own check.
 */
enum cfg_include_check {
	CFG_INC_READABLE = 1 << 0,	/* a matched file cannot be read: error */
	CFG_INC_MATCH    = 1 << 1,	/* a name without wildcards matches nothing: error */
	CFG_INC_WILDCARD = 1 << 2,	/* a pattern with wildcards matches nothing: error */
	CFG_INC_BRACE    = 1 << 3,	/* one term of a {a,b} expansion matches nothing: error */
	CFG_INC_ALL      = 0xf,
};
void cfg_set_include_check(struct cfg *c, unsigned checks);	/* enum cfg_include_check */
unsigned cfg_include_check(const struct cfg *c);
/* random_seed (global_defs): ${_RANDOM} is repeatable from here on. */
void cfg_set_random_seed(struct cfg *c, unsigned seed);
