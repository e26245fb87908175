/*
 * Expressions, parsed by precedence (lowest first):
 *     cond     := sum [ ("==" | "!=" | "<" | "<=" | ">" | ">=") sum ]     (only where allowed)
 *     sum      := product { ("+" | "-") product }
 *     product  := unary { ("*" | "/") unary }
 *     unary    := "-" unary | primary
 *     primary  := NUMBER | ERRNO | NAME [ "[" sum "]" ] | PATH[:KEY] | "(" sum ")"
 * Nesting is bounded (EXPR_MAX_DEPTH) so that evaluation can recurse without running out of stack.
 */
#include <errno.h>
#include <string.h>

#include "cli/cli.h"

/* The errno names a script can write; values are the host's, which are Linux's. */
static const struct {
	const char *name;
	int value;
} errno_names[] = {
	{ "EPERM", EPERM },	{ "ENOENT", ENOENT },	  { "ESRCH", ESRCH },	  { "EINTR", EINTR },
	{ "EIO", EIO },		{ "ENXIO", ENXIO },	  { "E2BIG", E2BIG },	  { "ENOEXEC", ENOEXEC },
	{ "EBADF", EBADF },	{ "ECHILD", ECHILD },	  { "EAGAIN", EAGAIN },	  { "ENOMEM", ENOMEM },
	{ "EACCES", EACCES },	{ "EFAULT", EFAULT },	  { "EBUSY", EBUSY },	  { "EEXIST", EEXIST },
	{ "ENODEV", ENODEV },	{ "ENOTDIR", ENOTDIR },	  { "EISDIR", EISDIR },	  { "EINVAL", EINVAL },
	{ "ENFILE", ENFILE },	{ "EMFILE", EMFILE },	  { "ETXTBSY", ETXTBSY }, { "EFBIG", EFBIG },	  { "ENOSPC", ENOSPC },
	{ "ESPIPE", ESPIPE },	{ "EROFS", EROFS },	  { "ERANGE", ERANGE },	  { "ENOSYS", ENOSYS },
	{ "EOVERFLOW", EOVERFLOW }, { "EOPNOTSUPP", EOPNOTSUPP }, { "EHWPOISON", EHWPOISON },
};

int errno_by_name(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(errno_names) / sizeof(errno_names[0]); i++)
		if (strlen(errno_names[i].name) == len && !memcmp(errno_names[i].name, name, len))
			return errno_names[i].value;
	return -1;
}

bool expr_can_start(const struct token *tok)
{
	return tok->kind == TOK_NUMBER || tok->kind == TOK_IDENT || tok->kind == TOK_PATH ||
	       (tok->kind == TOK_OP && (tok->op == '(' || tok->op == '-'));
}

static struct expr *parse_sum(struct parser *p);

static struct expr *new_expr(struct parser *p, enum expr_kind kind, struct loc loc)
{
	struct expr *e = arena_alloc(p->arena, sizeof(*e));

	e->kind = kind;
	e->loc = loc;
	e->height = 1;
	return e;
}

static struct expr *too_deep(struct parser *p, struct loc loc)
{
	parser_error(p, loc, "expression nested more than %d deep", EXPR_MAX_DEPTH);
	return NULL;
}

/* Enter a nested construct (parentheses, unary minus, an index); false when it is too deep. */
static bool enter(struct parser *p, struct loc loc)
{
	if (++p->expr_depth > EXPR_MAX_DEPTH) {
		too_deep(p, loc);
		return false;
	}
	return true;
}

static struct expr *binary(struct parser *p, const struct token *op, struct expr *lhs, struct expr *rhs)
{
	struct expr *e;

	if (!lhs || !rhs)
		return NULL;
	e = new_expr(p, EXPR_BINARY, op->loc);
	e->bin.op = op->op;
	e->bin.lhs = lhs;
	e->bin.rhs = rhs;
	e->height = 1 + (lhs->height > rhs->height ? lhs->height : rhs->height);
	/* A long chain a+b+c+... is as deep as it is long: bound it like nesting. */
	return e->height > EXPR_MAX_DEPTH ? too_deep(p, op->loc) : e;
}

/* The sum after an opening '(' or '[' (already taken), and its closing character. */
static struct expr *parse_enclosed(struct parser *p, const struct token *open, int close_op)
{
	char what[] = "expected 'X'";
	struct token close;
	struct expr *e;

	if (!enter(p, open->loc) || !(e = parse_sum(p)))
		return NULL;
	p->expr_depth--;
	close = lex_peek(&p->lx, LEX_OPERATOR);
	if (close.kind != TOK_OP || close.op != close_op) {
		what[10] = (char)close_op;
		parser_error_tok(p, &close, what);
		return NULL;
	}
	lex_take(&p->lx, &close);
	return e;
}

/* NAME or NAME[INDEX]; an errno name is a constant. */
static struct expr *parse_name(struct parser *p, const struct token *tok)
{
	int err = errno_by_name(tok->text, tok->len);
	struct token bracket;
	struct expr *e;

	if (err >= 0) {
		e = new_expr(p, EXPR_NUM, tok->loc);
		e->num = value_int(err);
		return e;
	}
	e = new_expr(p, EXPR_VAR, tok->loc);
	e->var.name = arena_strndup(p->arena, tok->text, tok->len);
	bracket = lex_peek(&p->lx, LEX_OPERATOR);
	if (bracket.kind != TOK_OP || bracket.op != '[')
		return e;
	lex_take(&p->lx, &bracket);
	if (!(e->var.index = parse_enclosed(p, &bracket, ']')))
		return NULL;
	e->height = 1 + e->var.index->height;
	return e;
}

static struct expr *parse_path(struct parser *p, const struct token *tok)
{
	struct expr *e = new_expr(p, EXPR_PATH, tok->loc);
	size_t path_len = tok->key_len ? tok->len - tok->key_len - 1 : tok->len;

	e->path.path = arena_strndup(p->arena, tok->text, path_len);
	if (tok->key_len)
		e->path.key = arena_strndup(p->arena, tok->text + path_len + 1, tok->key_len);
	return e;
}

static struct expr *parse_primary(struct parser *p)
{
	struct token tok = lex_peek(&p->lx, LEX_OPERAND);
	struct expr *e;

	switch (tok.kind) {
	case TOK_NUMBER:
		lex_take(&p->lx, &tok);
		e = new_expr(p, EXPR_NUM, tok.loc);
		e->num = value_int((int64_t)tok.num);
		return e;
	case TOK_IDENT:
		lex_take(&p->lx, &tok);
		return parse_name(p, &tok);
	case TOK_PATH:
		lex_take(&p->lx, &tok);
		return parse_path(p, &tok);
	default:
		if (tok.kind == TOK_OP && tok.op == '(') {
			lex_take(&p->lx, &tok);
			return parse_enclosed(p, &tok, ')');
		}
		parser_error_tok(p, &tok, "expected a value");
		return NULL;
	}
}

static struct expr *parse_unary(struct parser *p)
{
	struct token tok = lex_peek(&p->lx, LEX_OPERAND);
	struct expr *e, *operand;

	if (tok.kind != TOK_OP || tok.op != '-')
		return parse_primary(p);
	lex_take(&p->lx, &tok);
	if (!enter(p, tok.loc) || !(operand = parse_unary(p)))
		return NULL;
	p->expr_depth--;
	e = new_expr(p, EXPR_NEG, tok.loc);
	e->operand = operand;
	e->height = 1 + operand->height;
	return e;
}

/* Consume the operator after an operand if it is one of ops (0-terminated). */
static bool peek_op(struct parser *p, const int *ops, struct token *tok)
{
	*tok = lex_peek(&p->lx, LEX_OPERATOR);
	if (tok->kind != TOK_OP)
		return false;
	for (; *ops; ops++) {
		if (tok->op == *ops) {
			lex_take(&p->lx, tok);
			return true;
		}
	}
	return false;
}

/* A left-associative chain of operands joined by ops: operand { op operand }. */
static struct expr *parse_chain(struct parser *p, const int *ops, struct expr *(*operand)(struct parser *))
{
	struct expr *e = operand(p);
	struct token op;

	while (e && peek_op(p, ops, &op))
		e = binary(p, &op, e, operand(p));
	return e;
}

static struct expr *parse_product(struct parser *p)
{
	static const int ops[] = { '*', '/', 0 };

	return parse_chain(p, ops, parse_unary);
}

static struct expr *parse_sum(struct parser *p)
{
	static const int ops[] = { '+', '-', 0 };

	return parse_chain(p, ops, parse_product);
}

struct expr *expr_parse(struct parser *p, bool cond)
{
	static const int cmps[] = { OP_EQ, OP_NE, '<', OP_LE, '>', OP_GE, 0 };
	struct expr *e = parse_sum(p);
	struct token op;

	if (e && cond && peek_op(p, cmps, &op))
		e = binary(p, &op, e, parse_sum(p));
	return e;
}
