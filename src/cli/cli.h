/*
 * The scenario language: one command per line, run against a simulated machine.
 *
 * A script goes through three stages, each in its own file:
 *   lexer.c   bytes of one line -> tokens (the parser asks for one token at a time, saying whether it
 *             expects an operand, so that "/proc/x" is a path there and "a / b" a division elsewhere)
 *   parser.c  tokens -> statements (struct stmt), the arguments of a command checked against its
 *             entry in a command table; expr.c parses expressions into trees (struct expr)
 *   interp.c  statements -> effects on the machine, through the command handlers (cmd_*.c)
 * A whole file is parsed before anything runs, so a syntax error anywhere means nothing runs.
 *
 * Every diagnostic names a place: FILE:LINE:COL, line and column counted from 1, columns in bytes.
 */
#ifndef MMLAB_CLI_H
#define MMLAB_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <mmlab/mmzone.h>
#include <mmlab/sched.h>

struct machine;
struct machine_config;

/* Exit statuses of `mmlab run`. */
enum cli_status {
	CLI_OK = 0,
	CLI_EXPECT_FAILED = 1,	/* every line ran, some expect did not hold */
	CLI_ERROR = 2,		/* bad input: a syntax or runtime error stopped the script */
	CLI_CHECK_FAILED = 3,	/* machine_check found a violated invariant */
	CLI_PANIC = 4,		/* the machine panicked: the script stopped there */
};

/* Nesting limits: deeper input is a located error, never a deep recursion. */
#define EXPR_MAX_DEPTH	100	/* operators and parentheses inside one expression */
#define BLOCK_MAX_DEPTH	32	/* repeat blocks inside each other */

struct loc {
	int line;
	int col;
};

/* ---- Allocation: every node of a parsed script lives in one arena, freed at once. ---- */

struct arena_chunk;
struct arena {
	struct arena_chunk *head;
};

void *arena_alloc(struct arena *a, size_t size);
char *arena_strndup(struct arena *a, const char *s, size_t len);
void arena_release(struct arena *a);

/* malloc, calloc, strdup that abort (with a message) when the host is out of memory. */
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
char *xstrdup(const char *s);

/* ---- Tokens (lexer.c) ---- */

enum tok_kind {
	TOK_EOL,	/* end of line, or a comment */
	TOK_IDENT,	/* [A-Za-z_][A-Za-z0-9_]* */
	TOK_NUMBER,	/* 42, 0x2a, 16M, 500ms: value in num, scaled by the suffix */
	TOK_STRING,	/* "text": text/len span the quotes; lex_string() decodes */
	TOK_PATH,	/* /proc/meminfo or /proc/meminfo:MemFree (key_len > 0) */
	TOK_OP,		/* punctuation: op holds the character, or one of enum tok_op */
	TOK_WORD,	/* raw bytes up to white space (lex_word only) */
	TOK_ERROR,	/* bad input at loc: error says what */
};

/* Two-character operators; single-character ones are their own character. */
enum tok_op {
	OP_EQ = 256,	/* == */
	OP_NE,		/* != */
	OP_LE,		/* <= */
	OP_GE,		/* >= */
};

/* A number's unit, from its suffix: sizes are bytes, durations nanoseconds. */
enum num_unit {
	UNIT_NONE,
	UNIT_BYTES,
	UNIT_TIME,
};

struct token {
	enum tok_kind kind;
	const char *text;	/* the token's bytes in the line */
	size_t len;
	struct loc loc;
	int op;			/* TOK_OP */
	uint64_t num;		/* TOK_NUMBER */
	enum num_unit unit;	/* TOK_NUMBER */
	size_t key_len;		/* TOK_PATH: length of KEY after the ':' (0: no key) */
	char error[64];		/* TOK_ERROR: what is wrong */
};

/* Where a token may start: in operand position '/' begins a path, elsewhere it divides. */
enum lex_mode {
	LEX_OPERAND,
	LEX_OPERATOR,
};

struct lexer {
	const char *line;	/* one line, without its newline; may hold any byte */
	size_t len;
	size_t pos;		/* next byte to scan */
	int lineno;
};

void lex_init(struct lexer *lx, const char *line, size_t len, int lineno);
/* lex_peek: the next token, without consuming it; lex_take consumes a token lex_peek returned. */
struct token lex_peek(const struct lexer *lx, enum lex_mode mode);
void lex_take(struct lexer *lx, const struct token *tok);
/* lex_word: the next run of bytes up to white space, '#' or one of stops (option values such as
 * 10,20;20,10); TOK_EOL if there is none. */
struct token lex_word(const struct lexer *lx, const char *stops);
/* lex_string: decode a TOK_STRING's escapes into the arena; NULL with *bad at an unknown escape. */
char *lex_string(struct arena *a, const struct token *tok, size_t *len, struct loc *bad);
/* lex_describe: the token as a diagnostic shows it ("'foo'", "end of line"), into buf. */
const char *lex_describe(const struct token *tok, char *buf, size_t size);

/* ---- Values ---- */

/* A value is a 64-bit integer with a kind: addresses print in hex and compare unsigned. */
enum value_kind {
	VAL_INT,
	VAL_ADDR,
};

struct value {
	int64_t v;
	enum value_kind kind;
};

static inline struct value value_int(int64_t v)
{
	return (struct value){ .v = v, .kind = VAL_INT };
}

static inline struct value value_addr(uint64_t a)
{
	return (struct value){ .v = (int64_t)a, .kind = VAL_ADDR };
}

/* value_format: as echo prints it: decimal, or 0x%lx for an address. Returns buf. */
const char *value_format(struct value val, char *buf, size_t size);
#define VALUE_BUFSZ 24

/* ---- Expressions (expr.c parses, eval.c evaluates) ---- */

enum expr_kind {
	EXPR_NUM,	/* a literal or an errno constant */
	EXPR_VAR,	/* NAME or NAME[index] */
	EXPR_PATH,	/* PATH (one-value file) or PATH:KEY */
	EXPR_NEG,	/* -operand */
	EXPR_BINARY,	/* lhs op rhs: + - * / and the comparisons */
};

struct expr {
	enum expr_kind kind;
	struct loc loc;
	int height;				/* 1 for a leaf: bounds evaluation depth */
	union {
		struct value num;			/* EXPR_NUM */
		struct {
			const char *name;
			struct expr *index;		/* NULL: a plain variable */
		} var;					/* EXPR_VAR */
		struct {
			const char *path;
			const char *key;		/* NULL: the file holds one value */
		} path;					/* EXPR_PATH */
		struct expr *operand;			/* EXPR_NEG */
		struct {
			int op;				/* '+', '-', '*', '/', '<', '>', OP_* */
			struct expr *lhs, *rhs;
		} bin;					/* EXPR_BINARY */
	};
};

static inline bool expr_is_comparison(const struct expr *e)
{
	return e->kind == EXPR_BINARY && e->bin.op != '+' && e->bin.op != '-' && e->bin.op != '*' &&
	       e->bin.op != '/';
}

/* errno_by_name: ENOMEM -> 12; -1 if name is no errno constant. */
int errno_by_name(const char *name, size_t len);

/* ---- Statements (parser.c) ---- */

/* What a command argument or option may be, as written in a command's spec string. */
enum arg_spec {
	SPEC_EXPR = 'e',	/* an arithmetic expression */
	SPEC_COND = 'c',	/* an expression with at most one comparison (expect) */
	SPEC_VALUE = 'v',	/* a string literal or an arithmetic expression (echo) */
	SPEC_PATH = 'p',	/* a path without :KEY */
	SPEC_WORD = 'w',	/* raw bytes up to white space: 10,20;20,10 */
	SPEC_SETTING = 's',	/* KEY or KEY=VALUE, VALUE a word or a string literal (sysctl) */
	SPEC_LIST = 'l',	/* identifiers separated by commas */
	SPEC_GFP = 'g',		/* gfp flag names joined with '|' */
	SPEC_MANY = '*',	/* after a letter: that kind, any number of times */
};

/* A parsed argument: which of the union members holds it. */
enum arg_type {
	ARG_NONE,		/* an option that was not given */
	ARG_EXPR,
	ARG_STRING,
	ARG_WORD,		/* also a path (SPEC_PATH) */
	ARG_SETTING,
	ARG_LIST,
	ARG_GFP,
};

struct arg {
	enum arg_type type;
	struct loc loc;
	const char *text;			/* the source text, for messages (NUL-terminated copy) */
	union {
		struct expr *expr;		/* ARG_EXPR */
		struct {
			const char *s;
			size_t len;
		} str;				/* ARG_STRING, ARG_WORD */
		struct {
			const char *key;
			const char *value;	/* NULL: KEY alone */
			size_t value_len;
		} setting;			/* ARG_SETTING */
		struct {
			const char **items;
			struct loc *locs;	/* where each item is */
			int n;
		} list;				/* ARG_LIST */
		gfp_t gfp;			/* ARG_GFP */
	};
};

struct stmt;
struct parser;
struct interp;

/* A command: one entry of a subsystem's table (cmd_core.c, cmd_page_alloc.c, ...). */
struct cmd_option {
	const char *name;
	char spec;				/* enum arg_spec */
};

enum cmd_flags {
	CMD_RESULT = 1 << 0,	/* returns a value: `p = alloc_pages 0` */
	CMD_REDIRECT = 1 << 1,	/* takes a trailing `> PATH` (echo) */
	CMD_MACHINE = 1 << 2,	/* needs a machine: boots the default one if none is running */
	CMD_PROCESS = 1 << 3,	/* runs in a process: `NAME: command` (cmd_process.c) */
};

struct command {
	const char *name;
	const char *args;			/* positional arguments, enum arg_spec letters */
	const struct cmd_option *opts;		/* KEY=VALUE options, ended by {NULL}; or NULL */
	unsigned flags;				/* enum cmd_flags */
	/* check: optional parse-time validation beyond the spec; reports with parser_error. */
	int (*check)(struct parser *p, const struct stmt *st);
	/* run: do it; 0, or a cli_status to stop with (the error already reported). */
	int (*run)(struct interp *in, const struct stmt *st, struct value *result);
	const char *usage;			/* "alloc_pages ORDER [gfp=FLAGS] [node=N]" */
	const char *help;			/* one line for `mmlab help` */
};

struct command_table {
	const char *subsystem;
	const struct command *cmds;
	size_t n;
};

extern const struct command_table cmd_core_table;
extern const struct command_table cmd_page_alloc_table;
extern const struct command_table cmd_slab_table;
extern const struct command_table cmd_swap_table;
extern const struct command_table cmd_zram_table;
extern const struct command_table cmd_process_table;
extern const struct command_table cmd_mmap_table;
extern const struct command_table cmd_mempolicy_table;
extern const struct command_table cmd_file_table;
extern const struct command_table cmd_malloc_table;
extern const struct command_table cmd_access_table;
extern const struct command_table cmd_pgtable_table;
extern const struct command_table cmd_procps_table;

/* command_lookup: the command called name, NULL if none (commands.c). Where two share a name (libc's
 * `NAME: free P` and procps's `free`), the one that runs in a process when in_process. */
const struct command *command_lookup(const char *name, size_t len, bool in_process);
/* command_help: the usage and help line of every command, table by table. */
void command_help(FILE *out);

enum stmt_kind {
	STMT_COMMAND,	/* [target =] command args... options... */
	STMT_ASSIGN,	/* target = expression */
	STMT_REPEAT,	/* repeat count [as var] ... end */
};

/* The left side of `NAME = ...` or `NAME[EXPR] = ...`. */
struct target {
	const char *name;	/* NULL: none */
	struct expr *index;	/* NULL: a plain variable */
	struct loc loc;
};

struct stmt {
	enum stmt_kind kind;
	struct loc loc;			/* where the statement's command or keyword starts */
	struct stmt *next;
	const char *proc;		/* `NAME: command`: the process it runs in, or NULL */
	struct loc proc_loc;
	struct target target;
	union {
		struct {
			const struct command *cmd;
			struct arg *args;	/* positional, in order */
			int nargs;
			struct arg *opts;	/* one per cmd->opts entry, ARG_NONE if not given */
			struct arg redirect;	/* CMD_REDIRECT: `> PATH`, ARG_NONE if not given */
			struct stmt *nested;	/* `expect signal SIG NAME: COMMAND`: the command, or NULL */
			int signo;		/* and the signal it must die of */
		} command;
		struct expr *value;		/* STMT_ASSIGN */
		struct {
			struct expr *count;
			const char *var;	/* `as VAR`, or NULL */
			struct stmt *body;
		} repeat;
	};
};

/* The parser takes a script line by line; finished top-level statements pile up until taken. */
struct parser {
	struct arena *arena;
	struct lexer lx;
	struct stmt *done;		/* complete top-level statements, in order */
	struct stmt **done_tail;
	struct stmt *open[BLOCK_MAX_DEPTH];	/* unfinished repeat blocks, outermost first */
	struct stmt **open_tail[BLOCK_MAX_DEPTH];
	int depth;
	int expr_depth;			/* recursion depth inside the expression being parsed */
	bool failed;
	struct loc err_loc;		/* the first error */
	char err[256];
};

void parser_init(struct parser *p, struct arena *arena);
/* parser_feed: parse one line (without its newline); 0, or -1 with p->err set. */
int parser_feed(struct parser *p, const char *line, size_t len, int lineno);
/* parser_finish: end of input: an unclosed repeat is an error. 0 or -1. */
int parser_finish(struct parser *p);
/* parser_take: the statements completed so far, which the parser forgets. */
struct stmt *parser_take(struct parser *p);
/* parser_error: record the first error (later ones are dropped); returns -1. */
int parser_error(struct parser *p, struct loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* parser_error_tok: "unexpected TOKEN" (or the lexer's own message for a TOK_ERROR). */
int parser_error_tok(struct parser *p, const struct token *tok, const char *what);

/* expr_parse: an expression; comparisons allowed when cond. NULL after an error. */
struct expr *expr_parse(struct parser *p, bool cond);
/* expr_can_start: can tok begin an operand? */
bool expr_can_start(const struct token *tok);

/* ---- Variables (vars.c): NAME and NAME[INDEX] -> value ---- */

struct var;
struct vartab {
	struct var *slots;
	size_t cap, used;
};

void vars_release(struct vartab *t);
bool vars_get(const struct vartab *t, const char *name, bool indexed, int64_t index, struct value *out);
void vars_set(struct vartab *t, const char *name, bool indexed, int64_t index, struct value val);

/* ---- The interpreter (interp.c) ---- */

/* Bounds for untrusted scripts (the fuzzer); 0 means no bound. */
struct interp_limits {
	uint64_t max_steps;	/* statements executed */
	uint64_t max_ram;	/* bytes a `machine ram=` may ask for */
	uint64_t max_tick_ns;	/* nanoseconds one `tick` may advance */
};

struct interp {
	struct machine *m;		/* NULL until a `machine` line or a command that needs one */
	const char *file;		/* the script's name in diagnostics */
	FILE *out;			/* echo, cat, traces, the kernel console */
	FILE *err;			/* diagnostics */
	bool check;			/* --check: machine_check after every command */
	struct interp_limits limits;
	uint64_t steps;
	int expect_failures;
	struct vartab vars;
	int signal;			/* the signal the last process command's task died of, or 0 */
	char current_comm[TASK_COMM_LEN];	/* the task a `NAME: command` runs as: current for printk */
};

void interp_init(struct interp *in, FILE *out, FILE *err);
void interp_release(struct interp *in);
/* interp_run_script: parse all of buf, then run it; returns an enum cli_status. */
int interp_run_script(struct interp *in, const char *file, const char *buf, size_t len);
/* interp_run_stream: the same for a whole stream (a file, or standard input for `mmlab run -`). */
int interp_run_stream(struct interp *in, const char *file, FILE *f);
/* interp_exec: run statements; 0, or the cli_status that stopped them. */
int interp_exec(struct interp *in, const struct stmt *list);
/* interp_machine: the running machine, booting the default one if there is none; NULL on error. */
struct machine *interp_machine(struct interp *in, struct loc loc);
/* interp_boot: replace the machine by one booted from cfg; 0 or CLI_ERROR (reported). */
int interp_boot(struct interp *in, const struct machine_config *cfg, struct loc loc);
/* interp_check: machine_check now; a violation is reported at loc and returns CLI_CHECK_FAILED. */
int interp_check(struct interp *in, struct loc loc);
/* interp_parse_error: report the parser's first error; returns CLI_ERROR. */
int interp_parse_error(struct interp *in, const struct parser *p);
/* interp_error: print FILE:LINE:COL: error: ... to in->err; returns CLI_ERROR. */
int interp_error(struct interp *in, struct loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* interp_note: print FILE:LINE:COL: note: ... to in->err: something the script should know that
 * is not an error (it goes on). */
void interp_note(struct interp *in, struct loc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* interp_errno: "WHAT: PATH: strerror(-err)" as a located error; returns CLI_ERROR. */
int interp_errno(struct interp *in, struct loc loc, const char *what, const char *path, int err);

/* expect_failed: report a failed expectation (cmd_core.c); the script goes on, and exits 1. */
void expect_failed(struct interp *in, const struct stmt *st, const char *values);

/* ---- Processes (cmd_process.c; used by cmd_mmap.c, cmd_malloc.c, cmd_access.c, cmd_pgtable.c) ---- */

/* The flags of a command that runs in a process: `NAME: command`. */
#define PROC_FLAGS (CMD_PROCESS | CMD_MACHINE)

struct task_struct;
/* lookup_task: the process called NAME (or with pid NAME), or NULL after a located error. */
struct task_struct *lookup_task(struct interp *in, struct loc loc, const char *name);
/* stmt_task: the process a `NAME: command` runs in, or NULL after a located error. */
struct task_struct *stmt_task(struct interp *in, const struct stmt *st);
/* needs_process: a command's check that it has the `NAME:` prefix; 0, or the parser's error. */
int needs_process(struct parser *p, const struct stmt *st);
/* access_size: the optional SIZE argument i of a load-like command: 1, 2, 4 or 8 (default 8). */
int access_size(struct interp *in, const struct stmt *st, int i, unsigned int *size);
/* task_args: the process of a `NAME: command` and the values of its first n arguments; 0, or the
 * status of the error reported. */
int task_args(struct interp *in, const struct stmt *st, int n, uint64_t *v, struct task_struct **tsk);

/* process_prefix_error: `NAME: command` for a command that does not run in a process. */
int process_prefix_error(struct interp *in, const struct stmt *st);
/* signal_by_name: SIGSEGV -> 11; -1 if unknown. */
int signal_by_name(const char *name, size_t len);
/* expect_signal_run: run the nested command; the expectation holds if its process died of signo. */
int expect_signal_run(struct interp *in, const struct stmt *st);

/* ---- Evaluation (eval.c, procval.c) ---- */

/* eval: the value of e; 0, or CLI_ERROR (reported). */
int eval(struct interp *in, const struct expr *e, struct value *out);
/* eval_arg: the value of an ARG_EXPR argument. */
int eval_arg(struct interp *in, const struct arg *a, struct value *out);
/* eval_arg_range: an ARG_EXPR argument that must lie in [min, max]; what names it in the error. */
int eval_arg_range(struct interp *in, const struct arg *a, const char *what, int64_t min, int64_t max,
		   int64_t *out);
/* value_compare: a OP b for a comparison operator (unsigned when either is an address). */
bool value_compare(int op, struct value a, struct value b);
/* procfs_value: the number in PATH (key NULL) or in the KEY line of PATH. */
int procfs_value(struct interp *in, struct loc loc, const char *path, const char *key, struct value *out);
struct seq_file;
/* procfs_load: render PATH into s, as `cat` reads it; 0, or CLI_ERROR ("WHAT: PATH: error", reported). */
int procfs_load(struct interp *in, struct loc loc, const char *what, const char *path, struct seq_file *s);
/* procfs_key: KEY's value in a rendered file, read as PATH:KEY reads it (kB as bytes); 0, 1 if no line
 * is KEY's, -1 if its value is no number. */
int procfs_key(const struct seq_file *s, const char *key, int64_t *out);

/* ---- Allocation options (cmd_page_alloc.c) ---- */

/* OPT_GFP: gfp= is the first option of every allocating command's table. gfp_opts: that option
 * alone; opt_gfp: its flags, GFP_KERNEL when absent. */
enum { OPT_GFP };
extern const struct cmd_option gfp_opts[];
gfp_t opt_gfp(const struct stmt *st);

/* ---- The shell (repl.c) ---- */

int repl_run(struct interp *in);

#endif
