/* Unit tests of the scenario language's front end: the lexer, the parser and the expression trees,
 * and its robustness against hostile input (NUL bytes, huge numbers, deep nesting, 10 MB lines). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cli/cli.h"

/* ---- the lexer ---- */

static struct token lex1(const char *s, enum lex_mode mode)
{
	struct lexer lx;

	lex_init(&lx, s, strlen(s), 1);
	return lex_peek(&lx, mode);
}

static void test_numbers(void **state)
{
	static const struct {
		const char *text;
		uint64_t value;
	} cases[] = {
		{ "0", 0 },		  { "42", 42 },
		{ "0x2a", 42 },		  { "0X2A", 42 },
		{ "16M", 16ULL << 20 },	  { "4K", 4096 },
		{ "1G", 1ULL << 30 },	  { "2T", 2ULL << 40 },
		{ "500ms", 500000000 },	  { "10us", 10000 },
		{ "7ns", 7 },		  { "3s", 3000000000ULL },
		{ "0x10K", 16384 },	  { "18446744073709551615", UINT64_MAX },
		{ "0xffffffffffffffff", UINT64_MAX },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct token tok = lex1(cases[i].text, LEX_OPERAND);

		assert_int_equal(tok.kind, TOK_NUMBER);
		assert_true(tok.num == cases[i].value);
		assert_int_equal(tok.len, strlen(cases[i].text));
	}
}

static void test_bad_numbers(void **state)
{
	static const struct {
		const char *text;
		const char *error;
	} cases[] = {
		{ "18446744073709551616", "number too large" },
		{ "99999999999999999999999999", "number too large" },
		{ "0x1ffffffffffffffff", "number too large" },
		{ "16777216T", "number too large" },
		{ "0x", "hexadecimal number without digits" },
		{ "0xg", "hexadecimal number without digits" },
		{ "16Mb", "unknown suffix on number" },
		{ "12abc", "unknown suffix on number" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct token tok = lex1(cases[i].text, LEX_OPERAND);

		assert_int_equal(tok.kind, TOK_ERROR);
		assert_string_equal(tok.error, cases[i].error);
	}
}

static void test_strings(void **state)
{
	struct arena a = { 0 };
	struct token tok = lex1("\"a\\tb\\n\\\"q\\\" \\\\ # not a comment\" rest", LEX_OPERAND);
	struct loc bad;
	size_t len;
	char *s;

	(void)state;
	assert_int_equal(tok.kind, TOK_STRING);
	s = lex_string(&a, &tok, &len, &bad);
	assert_string_equal(s, "a\tb\n\"q\" \\ # not a comment");
	assert_int_equal(len, strlen(s));

	tok = lex1("  \"ab\\qc\"", LEX_OPERAND);
	assert_null(lex_string(&a, &tok, &len, &bad));
	assert_int_equal(bad.col, 6);	/* the backslash */

	tok = lex1("\"no end", LEX_OPERAND);
	assert_int_equal(tok.kind, TOK_ERROR);
	assert_string_equal(tok.error, "unterminated string");
	tok = lex1("\"ends in a backslash\\", LEX_OPERAND);
	assert_int_equal(tok.kind, TOK_ERROR);
	arena_release(&a);
}

static void test_paths_and_division(void **state)
{
	struct token tok;

	(void)state;
	tok = lex1("/proc/meminfo:MemFree > 1", LEX_OPERAND);
	assert_int_equal(tok.kind, TOK_PATH);
	assert_int_equal(tok.len, strlen("/proc/meminfo:MemFree"));
	assert_int_equal(tok.key_len, strlen("MemFree"));

	tok = lex1("/proc/meminfo:Active(anon))", LEX_OPERAND);
	assert_int_equal(tok.key_len, strlen("Active(anon)"));

	tok = lex1("/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", LEX_OPERAND);
	assert_int_equal(tok.kind, TOK_PATH);
	assert_int_equal(tok.key_len, 0);

	/* a colon followed by a '/' after its key is part of a directory's name (sysfs's MAJ:MIN) */
	tok = lex1("/sys/class/bdi/0:2/read_ahead_kb == 128", LEX_OPERAND);
	assert_int_equal(tok.kind, TOK_PATH);
	assert_int_equal(tok.len, strlen("/sys/class/bdi/0:2/read_ahead_kb"));
	assert_int_equal(tok.key_len, 0);
	tok = lex1("/sys/dev/block/8:0/stat:reads", LEX_OPERAND);
	assert_int_equal(tok.len, strlen("/sys/dev/block/8:0/stat:reads"));
	assert_int_equal(tok.key_len, strlen("reads"));

	tok = lex1("/proc/meminfo: x", LEX_OPERAND);
	assert_int_equal(tok.kind, TOK_ERROR);
	assert_string_equal(tok.error, "expected a key after ':'");

	tok = lex1("/2", LEX_OPERATOR);
	assert_int_equal(tok.kind, TOK_OP);
	assert_int_equal(tok.op, '/');
}

static void test_operators_and_comments(void **state)
{
	static const struct {
		const char *text;
		int op;
	} ops[] = { { "==", OP_EQ }, { "!=", OP_NE }, { "<=", OP_LE }, { ">=", OP_GE },
		    { "<", '<' },    { ">", '>' },	  { "=", '=' },	   { "|", '|' } };
	struct token tok;
	char buf[160];

	(void)state;
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		tok = lex1(ops[i].text, LEX_OPERATOR);
		assert_int_equal(tok.kind, TOK_OP);
		assert_int_equal(tok.op, ops[i].op);
	}
	assert_int_equal(lex1("   # a comment", LEX_OPERAND).kind, TOK_EOL);
	tok = lex1("!", LEX_OPERAND);
	assert_int_equal(tok.kind, TOK_ERROR);
	assert_string_equal(tok.error, "unexpected character '!'");
	tok = lex1("\xff\xfe", LEX_OPERAND);
	assert_string_equal(tok.error, "unexpected character '\\xff'");
	tok = lex1("abc", LEX_OPERAND);
	assert_string_equal(lex_describe(&tok, buf, sizeof(buf)), "'abc'");
}

/* ---- the parser ---- */

struct parsed {
	struct arena arena;
	struct parser p;
	struct stmt *list;
	int status;		/* 0, or -1 with p.err */
};

/* Parse src (len bytes) as a whole script. */
static void parse_n(struct parsed *r, const char *src, size_t len)
{
	const char *end = src + len;
	int lineno = 0;

	memset(r, 0, sizeof(*r));
	parser_init(&r->p, &r->arena);
	for (const char *line = src; r->status == 0; line++) {
		const char *eol = memchr(line, '\n', (size_t)(end - line));

		if (!eol)
			eol = end;
		r->status = parser_feed(&r->p, line, (size_t)(eol - line), ++lineno);
		line = eol;
		if (line == end)
			break;
	}
	if (r->status == 0)
		r->status = parser_finish(&r->p);
	r->list = parser_take(&r->p);
}

static void parse(struct parsed *r, const char *src)
{
	parse_n(r, src, strlen(src));
}

/* src must fail to parse with msg at line:col. */
static void assert_parse_error(const char *src, int line, int col, const char *msg)
{
	struct parsed r;

	parse(&r, src);
	if (r.status == 0)
		fail_msg("parsed, wanted \"%s\": %s", msg, src);
	if (strcmp(r.p.err, msg) || r.p.err_loc.line != line || r.p.err_loc.col != col)
		fail_msg("%d:%d: %s\nwanted %d:%d: %s", r.p.err_loc.line, r.p.err_loc.col, r.p.err, line, col, msg);
	arena_release(&r.arena);
}

static void test_statements(void **state)
{
	struct parsed r;
	struct stmt *st;

	(void)state;
	parse(&r, "# comment\n\nmachine ram=16M nodes=2\np = alloc_pages 3 gfp=GFP_KERNEL|__GFP_NOWARN node=1\n"
		  "x[i + 1] = 3 * 4K\na: echo 1\n");
	assert_int_equal(r.status, 0);
	st = r.list;
	assert_int_equal(st->kind, STMT_COMMAND);
	assert_string_equal(st->command.cmd->name, "machine");
	assert_int_equal(st->loc.line, 3);
	assert_int_equal(st->command.opts[0].type, ARG_EXPR);	/* ram */
	assert_int_equal(st->command.opts[1].type, ARG_NONE);	/* arch */
	st = st->next;
	assert_string_equal(st->target.name, "p");
	assert_string_equal(st->command.cmd->name, "alloc_pages");
	assert_int_equal(st->command.nargs, 1);
	assert_int_equal(st->command.opts[0].type, ARG_GFP);
	st = st->next;
	assert_int_equal(st->kind, STMT_ASSIGN);
	assert_non_null(st->target.index);
	assert_int_equal(st->value->kind, EXPR_BINARY);
	st = st->next;
	assert_string_equal(st->proc, "a");
	assert_int_equal(st->proc_loc.col, 1);
	assert_null(st->next);
	arena_release(&r.arena);
}

static void test_blocks(void **state)
{
	struct parsed r;
	struct stmt *outer, *inner;

	(void)state;
	parse(&r, "repeat 2 * 3 as i\n  repeat i\n    echo i\n  end\n  echo \"x\"\nend\necho 1\n");
	assert_int_equal(r.status, 0);
	outer = r.list;
	assert_int_equal(outer->kind, STMT_REPEAT);
	assert_string_equal(outer->repeat.var, "i");
	inner = outer->repeat.body;
	assert_int_equal(inner->kind, STMT_REPEAT);
	assert_null(inner->repeat.var);
	assert_string_equal(inner->repeat.body->command.cmd->name, "echo");
	assert_string_equal(inner->next->command.args[0].str.s, "x");
	assert_string_equal(outer->next->command.cmd->name, "echo");
	arena_release(&r.arena);
}

static void test_expression_shape(void **state)
{
	struct parsed r;
	const struct expr *e;

	(void)state;
	/* 1 + 2 * -3 - 4: ((1 + (2 * (-3))) - 4) */
	parse(&r, "x = 1 + 2 * -3 - 4");
	e = r.list->value;
	assert_int_equal(e->bin.op, '-');
	assert_int_equal(e->bin.lhs->bin.op, '+');
	assert_int_equal(e->bin.lhs->bin.rhs->bin.op, '*');
	assert_int_equal(e->bin.lhs->bin.rhs->bin.rhs->kind, EXPR_NEG);
	arena_release(&r.arena);

	parse(&r, "expect /proc/meminfo:MemFree >= 100M   # comment");
	e = r.list->command.args[0].expr;
	assert_true(expr_is_comparison(e));
	assert_string_equal(e->bin.lhs->path.path, "/proc/meminfo");
	assert_string_equal(e->bin.lhs->path.key, "MemFree");
	assert_string_equal(r.list->command.args[0].text, "/proc/meminfo:MemFree >= 100M");
	arena_release(&r.arena);

	parse(&r, "x = -ENOMEM");
	assert_int_equal(r.list->value->operand->num.v, 12);
	arena_release(&r.arena);

	/* echo's `>` is a redirection, not a comparison */
	parse(&r, "echo 100 > /proc/sys/vm/swappiness");
	assert_int_equal(r.list->command.nargs, 1);
	assert_string_equal(r.list->command.redirect.str.s, "/proc/sys/vm/swappiness");
	arena_release(&r.arena);

	parse(&r, "x = a/b");
	assert_int_equal(r.list->value->bin.op, '/');
	arena_release(&r.arena);
}

static void test_syntax_errors(void **state)
{
	(void)state;
	assert_parse_error("echo 1\nfoo 3\n", 2, 1, "unknown command 'foo'");
	assert_parse_error("alloc_pages", 1, 12, "alloc_pages: missing argument (usage: [P =] alloc_pages ORDER "
			   "[gfp=FLAGS] [node=N])");
	assert_parse_error("alloc_pages 0 foo=1", 1, 15, "alloc_pages: unknown option 'foo' (usage: [P =] "
			   "alloc_pages ORDER [gfp=FLAGS] [node=N])");
	assert_parse_error("alloc_pages 0 node=1 node=2", 1, 22, "alloc_pages: option 'node' given twice");
	assert_parse_error("alloc_pages 0 gfp=GFP_KERNEL|GFP_BOGUS", 1, 30, "unknown gfp flag 'GFP_BOGUS'");
	assert_parse_error("alloc_pages 0 gfp=", 1, 19, "expected a gfp flag name, got end of line");
	assert_parse_error("trace mm_page_alloc,nope", 1, 21, "trace: unknown tracepoint 'nope'");
	assert_parse_error("machine arch=arm64", 1, 14, "machine: unknown arch 'arm64' (x86_64 or i386)");
	assert_parse_error("machine distance=10,20;20", 1, 18,
			   "machine: distance: every row needs as many numbers as the first");
	assert_parse_error("machine distance=10,x", 1, 18,
			   "machine: distance: expected rows of numbers 1..255 such as 10,20;20,10");
	assert_parse_error("machine distance=10,20", 1, 18, "machine: distance: the matrix needs as many columns as rows");
	assert_parse_error("echo 1 2 )", 1, 10, "expected end of line, got ')'");
	assert_parse_error("x = (1 + 2", 1, 11, "expected ')', got end of line");
	assert_parse_error("x = o[1", 1, 8, "expected ']', got end of line");
	assert_parse_error("x = 1 +", 1, 8, "expected a value, got end of line");
	assert_parse_error("x = check", 1, 5, "check returns no value");
	assert_parse_error("ENOMEM = 3", 1, 1, "cannot assign to the constant ENOMEM");
	assert_parse_error("echo \"abc", 1, 6, "unterminated string");
	assert_parse_error("echo \"a\\zb\"", 1, 8, "unknown escape sequence in string");
	assert_parse_error("cat /proc/meminfo:MemFree", 1, 5, "expected a path without ':MemFree'");
	assert_parse_error("cat meminfo", 1, 5, "expected a path, got 'meminfo'");
	assert_parse_error("sysctl vm.x=", 1, 13, "expected a value after '='");
	assert_parse_error("expect 1 < 2 < 3", 1, 14, "expected end of line, got '<'");
	assert_parse_error("1 = 2", 1, 1, "expected a command, got '1'");
	assert_parse_error("a: repeat 3", 1, 1, "'repeat' cannot run in a process");
	assert_parse_error("repeat 3 as\nend", 1, 12, "expected a variable name after 'as', got end of line");
	assert_parse_error("end", 1, 1, "'end' without 'repeat'");
	assert_parse_error("echo 1\nrepeat 2\nrepeat 3\nend\n", 2, 1, "'repeat' without 'end'");
	assert_parse_error("echo 12abc", 1, 6, "unknown suffix on number");
	assert_parse_error("echo 1\xc3\x28", 1, 7, "unexpected character '\\xc3'");
}

static void test_nul_byte(void **state)
{
	static const char src[] = "echo 1\necho \"a\0b\"\n";
	struct parsed r;

	(void)state;
	parse_n(&r, src, sizeof(src) - 1);
	assert_int_equal(r.status, -1);
	assert_string_equal(r.p.err, "NUL byte in input");
	assert_int_equal(r.p.err_loc.line, 2);
	assert_int_equal(r.p.err_loc.col, 8);
	arena_release(&r.arena);
}

/* A text of n copies of unit between head and tail. */
static char *repeat_text(const char *head, const char *unit, size_t n, const char *tail)
{
	size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail);
	char *s = malloc(hl + ul * n + tl + 1), *p = s;

	memcpy(p, head, hl);
	p += hl;
	for (size_t i = 0; i < n; i++, p += ul)
		memcpy(p, unit, ul);
	memcpy(p, tail, tl + 1);
	return s;
}

static void test_deep_nesting(void **state)
{
	char *deep_ok = repeat_text("x = ", "(", EXPR_MAX_DEPTH, "1");
	char *too_deep = repeat_text("x = ", "(", 100000, "1");
	char *minus = repeat_text("x = ", "-", 5000, "1");
	char *chain = repeat_text("x = 1", "+1", 5000, "");
	char *index = repeat_text("x = ", "o[", 5000, "1");
	char *blocks = repeat_text("", "repeat 1\n", BLOCK_MAX_DEPTH + 1, "");
	char msg[64];
	struct parsed r;

	(void)state;
	parse(&r, deep_ok);
	assert_int_equal(r.status, -1);		/* unclosed, but not too deep */
	assert_string_equal(r.p.err, "expected ')', got end of line");
	arena_release(&r.arena);

	snprintf(msg, sizeof(msg), "expression nested more than %d deep", EXPR_MAX_DEPTH);
	assert_parse_error(too_deep, 1, 4 + EXPR_MAX_DEPTH + 1, msg);
	assert_parse_error(minus, 1, 4 + EXPR_MAX_DEPTH + 1, msg);
	assert_parse_error(index, 1, 6 + 2 * EXPR_MAX_DEPTH, msg);
	parse(&r, chain);
	assert_string_equal(r.p.err, msg);
	arena_release(&r.arena);
	snprintf(msg, sizeof(msg), "repeat blocks nested more than %d deep", BLOCK_MAX_DEPTH);
	assert_parse_error(blocks, BLOCK_MAX_DEPTH + 1, 1, msg);
	free(deep_ok);
	free(too_deep);
	free(minus);
	free(chain);
	free(index);
	free(blocks);
}

static void test_huge_lines(void **state)
{
	enum { MB10 = 10 * 1024 * 1024 };
	char *str = repeat_text("echo \"", "x", MB10, "\"");
	char *garbage = repeat_text("", "\x80", MB10, "");
	char *unclosed = repeat_text("echo \"", "y", MB10, "");
	char *names = repeat_text("echo ", "a ", MB10 / 20, "");
	struct parsed r;

	(void)state;
	parse(&r, str);
	assert_int_equal(r.status, 0);
	assert_int_equal(r.list->command.args[0].str.len, MB10);
	arena_release(&r.arena);
	assert_parse_error(garbage, 1, 1, "unexpected character '\\x80'");
	assert_parse_error(unclosed, 1, 6, "unterminated string");
	parse(&r, names);
	assert_int_equal(r.status, 0);
	assert_int_equal(r.list->command.nargs, MB10 / 20);
	arena_release(&r.arena);
	free(str);
	free(garbage);
	free(unclosed);
	free(names);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_bad_numbers),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_paths_and_division),
		cmocka_unit_test(test_operators_and_comments),
		cmocka_unit_test(test_statements),
		cmocka_unit_test(test_blocks),
		cmocka_unit_test(test_expression_shape),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_huge_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
