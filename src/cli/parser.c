/*
 * The parser: a script line by line into statements. A line is one of
 *     [PROC:] COMMAND ARGS... [KEY=VALUE...] [> PATH]
 *     [PROC:] TARGET = COMMAND ARGS...        (a command that returns a value)
 *     TARGET = EXPRESSION
 *     repeat COUNT [as VAR]  /  end
 * where TARGET is NAME or NAME[EXPR]. A command's arguments are read as its table entry's spec says.
 */
#include <stdarg.h>
#include <string.h>

#include <mmlab/gfp.h>

#include "cli/cli.h"

void parser_init(struct parser *p, struct arena *arena)
{
	memset(p, 0, sizeof(*p));
	p->arena = arena;
	p->done_tail = &p->done;
}

int parser_error(struct parser *p, struct loc loc, const char *fmt, ...)
{
	va_list ap;

	if (p->failed)
		return -1;		/* the first error is the one that counts */
	p->failed = true;
	p->err_loc = loc;
	va_start(ap, fmt);
	vsnprintf(p->err, sizeof(p->err), fmt, ap);
	va_end(ap);
	return -1;
}

int parser_error_tok(struct parser *p, const struct token *tok, const char *what)
{
	char buf[160];

	if (tok->kind == TOK_ERROR)
		return parser_error(p, tok->loc, "%s", tok->error);
	return parser_error(p, tok->loc, "%s, got %s", what, lex_describe(tok, buf, sizeof(buf)));
}

static bool tok_is_op(const struct token *tok, int op)
{
	return tok->kind == TOK_OP && tok->op == op;
}

static bool tok_is_word(const struct token *tok, const char *word)
{
	return tok->kind == TOK_IDENT && tok->len == strlen(word) && !memcmp(tok->text, word, tok->len);
}

/* The token after the next one (both in operand position, as at the start of a line). */
static struct token peek_second(const struct parser *p)
{
	struct lexer lx = p->lx;
	struct token first = lex_peek(&lx, LEX_OPERAND);

	lex_take(&lx, &first);
	return lex_peek(&lx, LEX_OPERATOR);
}

/* Does KEY=VALUE start here? (KEY == VALUE would be a comparison.) */
static bool at_option(const struct parser *p)
{
	struct token tok = lex_peek(&p->lx, LEX_OPERAND), next;

	if (tok.kind != TOK_IDENT)
		return false;
	next = peek_second(p);
	return tok_is_op(&next, '=');
}

static char *tok_strdup(struct parser *p, const struct token *tok)
{
	return arena_strndup(p->arena, tok->text, tok->len);
}

/* expect_op: consume the operator op or report what stands there instead. */
static int expect_op(struct parser *p, int op, enum lex_mode mode, const char *what)
{
	struct token tok = lex_peek(&p->lx, mode);

	if (!tok_is_op(&tok, op))
		return parser_error_tok(p, &tok, what);
	lex_take(&p->lx, &tok);
	return 0;
}

static int expect_ident(struct parser *p, const char *what, struct token *out)
{
	*out = lex_peek(&p->lx, LEX_OPERAND);
	if (out->kind != TOK_IDENT)
		return parser_error_tok(p, out, what);
	lex_take(&p->lx, out);
	return 0;
}

static int parse_string(struct parser *p, const struct token *tok, struct arg *a)
{
	struct loc bad;
	char *s = lex_string(p->arena, tok, &a->str.len, &bad);

	if (!s)
		return parser_error(p, bad, "unknown escape sequence in string");
	lex_take(&p->lx, tok);
	a->type = ARG_STRING;
	a->str.s = s;
	return 0;
}

static int parse_expr_arg(struct parser *p, struct arg *a, bool cond)
{
	a->expr = expr_parse(p, cond);
	a->type = ARG_EXPR;
	return a->expr ? 0 : -1;
}

/* Consume tok as an ARG_WORD argument. */
static int take_word(struct parser *p, const struct token *tok, struct arg *a)
{
	lex_take(&p->lx, tok);
	a->type = ARG_WORD;
	a->str.s = tok_strdup(p, tok);
	a->str.len = tok->len;
	return 0;
}

static int parse_path_arg(struct parser *p, struct arg *a)
{
	struct token tok = lex_peek(&p->lx, LEX_OPERAND);

	if (tok.kind != TOK_PATH)
		return parser_error_tok(p, &tok, "expected a path");
	if (tok.key_len)
		return parser_error(p, tok.loc, "expected a path without ':%.*s'", (int)tok.key_len,
				    tok.text + tok.len - tok.key_len);
	return take_word(p, &tok, a);
}

static int parse_word_arg(struct parser *p, struct arg *a)
{
	struct token tok = lex_word(&p->lx, "");

	if (tok.kind == TOK_EOL)
		return parser_error_tok(p, &tok, "expected a value");
	return take_word(p, &tok, a);
}

/* KEY or KEY=VALUE; VALUE a word or a string literal ("256 256 32"). */
static int parse_setting_arg(struct parser *p, struct arg *a)
{
	struct token key = lex_word(&p->lx, "="), val;

	if (key.kind == TOK_EOL)
		return parser_error_tok(p, &key, "expected KEY or KEY=VALUE");
	lex_take(&p->lx, &key);
	a->type = ARG_SETTING;
	a->setting.key = tok_strdup(p, &key);
	if (p->lx.pos >= p->lx.len || p->lx.line[p->lx.pos] != '=')
		return 0;		/* KEY alone: a read */
	p->lx.pos++;
	val = lex_peek(&p->lx, LEX_OPERAND);
	if (val.kind == TOK_STRING && val.loc.col == (int)p->lx.pos + 1) {
		struct arg s = { 0 };

		if (parse_string(p, &val, &s))
			return -1;
		a->setting.value = s.str.s;
		a->setting.value_len = s.str.len;
		return 0;
	}
	val = lex_word(&p->lx, "");
	if (val.kind == TOK_EOL || val.loc.col != (int)p->lx.pos + 1)
		return parser_error(p, (struct loc){ p->lx.lineno, (int)p->lx.pos + 1 },
				    "expected a value after '='");
	lex_take(&p->lx, &val);
	a->setting.value = tok_strdup(p, &val);
	a->setting.value_len = val.len;
	return 0;
}

/* Consume sep if it comes next: one more name of a list follows. */
static bool take_separator(struct parser *p, int sep)
{
	struct token tok = lex_peek(&p->lx, LEX_OPERATOR);

	if (!tok_is_op(&tok, sep))
		return false;
	lex_take(&p->lx, &tok);
	return true;
}

/* NAME,NAME,... (tracepoints). */
static int parse_list_arg(struct parser *p, struct arg *a)
{
	enum { MAX_ITEMS = 64 };
	struct token tok;

	a->type = ARG_LIST;
	a->list.items = arena_alloc(p->arena, MAX_ITEMS * sizeof(*a->list.items));
	a->list.locs = arena_alloc(p->arena, MAX_ITEMS * sizeof(*a->list.locs));
	do {
		if (expect_ident(p, "expected a name", &tok))
			return -1;
		if (a->list.n == MAX_ITEMS)
			return parser_error(p, tok.loc, "more than %d names in one list", MAX_ITEMS);
		a->list.locs[a->list.n] = tok.loc;
		a->list.items[a->list.n++] = tok_strdup(p, &tok);
	} while (take_separator(p, ','));
	return 0;
}

/* GFP_KERNEL|__GFP_NOWARN: each name through the kernel's table of flag names. */
static int parse_gfp_arg(struct parser *p, struct arg *a)
{
	struct token tok;
	gfp_t bits;

	a->type = ARG_GFP;
	a->gfp = 0;
	do {
		if (expect_ident(p, "expected a gfp flag name", &tok))
			return -1;
		if (!parse_gfp_flag(tok.text, tok.len, &bits))
			return parser_error(p, tok.loc, "unknown gfp flag '%.*s'", (int)(tok.len > 40 ? 40 : tok.len),
					    tok.text);
		a->gfp |= bits;
	} while (take_separator(p, '|'));
	return 0;
}

/* One argument of kind spec; a->text keeps its source for messages (expect quotes it). */
static int parse_arg(struct parser *p, char spec, struct arg *a)
{
	struct token first = lex_peek(&p->lx, LEX_OPERAND);
	size_t start = (size_t)(first.text - p->lx.line);
	int ret;

	a->loc = first.loc;
	switch (spec) {
	case SPEC_EXPR: ret = parse_expr_arg(p, a, false); break;
	case SPEC_COND: ret = parse_expr_arg(p, a, true); break;
	case SPEC_VALUE:
		ret = first.kind == TOK_STRING ? parse_string(p, &first, a) : parse_expr_arg(p, a, false);
		break;
	case SPEC_PATH: ret = parse_path_arg(p, a); break;
	case SPEC_WORD: ret = parse_word_arg(p, a); break;
	case SPEC_SETTING: ret = parse_setting_arg(p, a); break;
	case SPEC_LIST: ret = parse_list_arg(p, a); break;
	default: ret = parse_gfp_arg(p, a); break;	/* SPEC_GFP */
	}
	if (ret)
		return -1;
	a->text = arena_strndup(p->arena, p->lx.line + start, p->lx.pos - start);
	return 0;
}

/* Is there one more positional argument? Not at the end, an option or echo's `> PATH`. */
static bool more_args(const struct parser *p, char spec)
{
	struct token tok = lex_peek(&p->lx, LEX_OPERAND);

	if (tok.kind == TOK_EOL || tok_is_op(&tok, '>') || at_option(p))
		return false;
	return spec != SPEC_VALUE || tok.kind == TOK_STRING || expr_can_start(&tok);
}

static int missing_arg(struct parser *p, const struct command *cmd)
{
	struct token tok = lex_peek(&p->lx, LEX_OPERAND);

	return parser_error(p, tok.loc, "%s: missing argument (usage: %s)", cmd->name, cmd->usage);
}

/* One more argument for a SPEC_MANY list: the array doubles when full. */
static struct arg *next_arg_slot(struct parser *p, struct stmt *st, int *cap)
{
	if (st->command.nargs == *cap) {
		struct arg *bigger = arena_alloc(p->arena, (size_t)*cap * 2 * sizeof(struct arg));

		memcpy(bigger, st->command.args, (size_t)*cap * sizeof(struct arg));
		st->command.args = bigger;
		*cap *= 2;
	}
	return &st->command.args[st->command.nargs++];
}

static int parse_positionals(struct parser *p, struct stmt *st)
{
	const struct command *cmd = st->command.cmd;
	const char *spec = cmd->args;
	int cap = (int)strlen(spec) + 1;

	st->command.args = arena_alloc(p->arena, (size_t)cap * sizeof(struct arg));
	for (; *spec; spec++) {
		if (spec[1] == SPEC_MANY) {
			while (more_args(p, *spec))
				if (parse_arg(p, *spec, next_arg_slot(p, st, &cap)))
					return -1;
			spec++;		/* past the '*' */
			continue;
		}
		if (!more_args(p, *spec))
			return missing_arg(p, cmd);
		if (parse_arg(p, *spec, next_arg_slot(p, st, &cap)))
			return -1;
	}
	return 0;
}

static int find_option(const struct command *cmd, const struct token *key)
{
	for (int i = 0; cmd->opts && cmd->opts[i].name; i++)
		if (strlen(cmd->opts[i].name) == key->len && !memcmp(cmd->opts[i].name, key->text, key->len))
			return i;
	return -1;
}

static int parse_options(struct parser *p, struct stmt *st)
{
	const struct command *cmd = st->command.cmd;
	int n = 0;

	while (cmd->opts && cmd->opts[n].name)
		n++;
	st->command.opts = arena_alloc(p->arena, (size_t)(n ? n : 1) * sizeof(struct arg));
	while (at_option(p)) {
		struct token key = lex_peek(&p->lx, LEX_OPERAND);
		int i = find_option(cmd, &key);

		if (i < 0)
			return parser_error(p, key.loc, "%s: unknown option '%.*s' (usage: %s)", cmd->name,
					    (int)(key.len > 40 ? 40 : key.len), key.text, cmd->usage);
		if (st->command.opts[i].type != ARG_NONE)
			return parser_error(p, key.loc, "%s: option '%s' given twice", cmd->name, cmd->opts[i].name);
		lex_take(&p->lx, &key);
		if (expect_op(p, '=', LEX_OPERATOR, "expected '='") ||
		    parse_arg(p, cmd->opts[i].spec, &st->command.opts[i]))
			return -1;
	}
	return 0;
}

static int parse_redirect(struct parser *p, struct stmt *st)
{
	struct token tok = lex_peek(&p->lx, LEX_OPERATOR);

	if (!(st->command.cmd->flags & CMD_REDIRECT) || !tok_is_op(&tok, '>'))
		return 0;
	lex_take(&p->lx, &tok);
	return parse_arg(p, SPEC_PATH, &st->command.redirect);
}

static int parse_command(struct parser *p, struct stmt *st, const struct command *cmd)
{
	struct token name = lex_peek(&p->lx, LEX_OPERAND);

	lex_take(&p->lx, &name);
	st->kind = STMT_COMMAND;
	st->loc = name.loc;
	st->command.cmd = cmd;
	if (parse_positionals(p, st) || parse_options(p, st) || parse_redirect(p, st))
		return -1;
	return cmd->check ? cmd->check(p, st) : 0;
}

static int parse_target(struct parser *p, struct stmt *st)
{
	struct token name = lex_peek(&p->lx, LEX_OPERAND), tok;

	if (errno_by_name(name.text, name.len) >= 0)
		return parser_error(p, name.loc, "cannot assign to the constant %.*s", (int)name.len, name.text);
	lex_take(&p->lx, &name);
	st->target.name = tok_strdup(p, &name);
	st->target.loc = name.loc;
	tok = lex_peek(&p->lx, LEX_OPERATOR);
	if (tok_is_op(&tok, '[')) {
		lex_take(&p->lx, &tok);
		st->target.index = expr_parse(p, false);
		if (!st->target.index || expect_op(p, ']', LEX_OPERATOR, "expected ']'"))
			return -1;
	}
	return expect_op(p, '=', LEX_OPERATOR, "expected '='");
}

/* TARGET = COMMAND ... or TARGET = EXPRESSION. */
static int parse_assignment(struct parser *p, struct stmt *st)
{
	struct token tok;
	const struct command *cmd;

	if (parse_target(p, st))
		return -1;
	tok = lex_peek(&p->lx, LEX_OPERAND);
	cmd = tok.kind == TOK_IDENT ? command_lookup(tok.text, tok.len, st->proc != NULL) : NULL;
	if (cmd && (cmd->flags & CMD_RESULT))
		return parse_command(p, st, cmd);
	if (cmd)
		return parser_error(p, tok.loc, "%s returns no value", cmd->name);
	st->kind = STMT_ASSIGN;
	st->loc = st->target.loc;
	st->value = expr_parse(p, false);
	return st->value ? 0 : -1;
}

static void append(struct parser *p, struct stmt *st)
{
	struct stmt ***tail = p->depth ? &p->open_tail[p->depth - 1] : &p->done_tail;

	**tail = st;
	*tail = &st->next;
}

static int parse_repeat(struct parser *p, struct stmt *st)
{
	struct token tok = lex_peek(&p->lx, LEX_OPERAND);

	lex_take(&p->lx, &tok);
	st->kind = STMT_REPEAT;
	st->loc = tok.loc;
	if (p->depth == BLOCK_MAX_DEPTH)
		return parser_error(p, tok.loc, "repeat blocks nested more than %d deep", BLOCK_MAX_DEPTH);
	st->repeat.count = expr_parse(p, false);
	if (!st->repeat.count)
		return -1;
	tok = lex_peek(&p->lx, LEX_OPERAND);
	if (tok_is_word(&tok, "as")) {
		lex_take(&p->lx, &tok);
		if (expect_ident(p, "expected a variable name after 'as'", &tok))
			return -1;
		st->repeat.var = tok_strdup(p, &tok);
	}
	return 0;
}

static int expect_eol(struct parser *p)
{
	struct token tok = lex_peek(&p->lx, LEX_OPERATOR);

	return tok.kind == TOK_EOL ? 0 : parser_error_tok(p, &tok, "expected end of line");
}

/* `repeat` opens a block that later lines fill; `end` closes the innermost one. */
static int parse_block_line(struct parser *p, const struct token *kw, struct stmt *st)
{
	if (st->proc)
		return parser_error(p, st->proc_loc, "'%.*s' cannot run in a process", (int)kw->len, kw->text);
	if (tok_is_word(kw, "repeat")) {
		if (parse_repeat(p, st) || expect_eol(p))
			return -1;
		p->open[p->depth] = st;
		p->open_tail[p->depth] = &st->repeat.body;
		p->depth++;
		return 0;
	}
	lex_take(&p->lx, kw);
	if (expect_eol(p))
		return -1;
	if (p->depth == 0)
		return parser_error(p, kw->loc, "'end' without 'repeat'");
	p->depth--;
	append(p, p->open[p->depth]);
	return 0;
}

/* NAME: at the start of a line names the process the command runs in. */
static void parse_proc_prefix(struct parser *p, struct stmt *st)
{
	struct token tok = lex_peek(&p->lx, LEX_OPERAND), colon = peek_second(p);

	if (tok.kind != TOK_IDENT || !tok_is_op(&colon, ':'))
		return;
	st->proc = tok_strdup(p, &tok);
	st->proc_loc = tok.loc;
	lex_take(&p->lx, &colon);
}

static int parse_statement(struct parser *p, struct stmt *st);

/* expect signal SIG NAME: COMMAND: the command must kill its process with SIG. */
static int parse_expect_signal(struct parser *p, struct stmt *st)
{
	struct token kw = lex_peek(&p->lx, LEX_OPERAND), word, sig, name, colon;
	struct stmt *nested;
	size_t start;

	if (st->proc)
		return parser_error(p, st->proc_loc, "'expect' cannot run in a process");
	lex_take(&p->lx, &kw);
	word = lex_peek(&p->lx, LEX_OPERAND);	/* "signal": the expectation's text starts here */
	lex_take(&p->lx, &word);
	start = (size_t)(word.text - p->lx.line);
	if (expect_ident(p, "expected a signal name such as SIGSEGV", &sig))
		return -1;
	st->kind = STMT_COMMAND;
	st->loc = kw.loc;
	st->command.cmd = command_lookup("expect", 6, false);
	st->command.signo = signal_by_name(sig.text, sig.len);
	if (st->command.signo < 0)
		return parser_error(p, sig.loc, "unknown signal '%.*s'", (int)(sig.len > 40 ? 40 : sig.len), sig.text);
	/* NAME: first, so that expectations cannot nest */
	name = lex_peek(&p->lx, LEX_OPERAND);
	colon = peek_second(p);
	if (name.kind != TOK_IDENT || !tok_is_op(&colon, ':'))
		return parser_error_tok(p, &name, "expect signal: expected NAME: COMMAND");
	nested = arena_alloc(p->arena, sizeof(*nested));
	if (parse_statement(p, nested) < 0)
		return -1;
	if (nested->kind != STMT_COMMAND)
		return parser_error(p, nested->loc, "expect signal: expected NAME: COMMAND");
	st->command.nested = nested;
	st->command.args = arena_alloc(p->arena, sizeof(struct arg));
	st->command.args[0].text = arena_strndup(p->arena, p->lx.line + start, p->lx.pos - start);
	st->command.opts = arena_alloc(p->arena, sizeof(struct arg));
	return 0;
}

static int parse_statement(struct parser *p, struct stmt *st)
{
	struct token tok, next;
	const struct command *cmd;

	parse_proc_prefix(p, st);
	tok = lex_peek(&p->lx, LEX_OPERAND);
	if (tok.kind != TOK_IDENT)
		return parser_error_tok(p, &tok, "expected a command");
	next = peek_second(p);
	if (tok_is_op(&next, '=') || tok_is_op(&next, '['))
		return parse_assignment(p, st) || expect_eol(p) ? -1 : 1;
	if (tok_is_word(&tok, "repeat") || tok_is_word(&tok, "end"))
		return parse_block_line(p, &tok, st) ? -1 : 0;
	if (tok_is_word(&tok, "expect") && tok_is_word(&next, "signal"))
		return parse_expect_signal(p, st) ? -1 : 1;
	cmd = command_lookup(tok.text, tok.len, st->proc != NULL);
	if (!cmd) {
		char buf[160];

		return parser_error(p, tok.loc, "unknown command %s", lex_describe(&tok, buf, sizeof(buf)));
	}
	return parse_command(p, st, cmd) || expect_eol(p) ? -1 : 1;
}

int parser_feed(struct parser *p, const char *line, size_t len, int lineno)
{
	const char *nul = memchr(line, '\0', len);
	struct stmt *st;
	struct token tok;
	int ret;

	p->failed = false;
	if (nul)
		return parser_error(p, (struct loc){ lineno, (int)(nul - line) + 1 }, "NUL byte in input");
	/* The statements point into the line: keep a copy as long as they live. */
	lex_init(&p->lx, arena_strndup(p->arena, line, len), len, lineno);
	tok = lex_peek(&p->lx, LEX_OPERAND);
	if (tok.kind == TOK_EOL)
		return 0;		/* blank or a comment */
	st = arena_alloc(p->arena, sizeof(*st));
	p->expr_depth = 0;
	ret = parse_statement(p, st);
	if (ret > 0)
		append(p, st);
	return ret < 0 ? -1 : 0;
}

int parser_finish(struct parser *p)
{
	if (p->depth == 0)
		return 0;
	return parser_error(p, p->open[p->depth - 1]->loc, "'repeat' without 'end'");
}

struct stmt *parser_take(struct parser *p)
{
	struct stmt *list = p->done;

	p->done = NULL;
	p->done_tail = &p->done;
	return list;
}
