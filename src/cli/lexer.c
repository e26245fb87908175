/*
 * The lexer: one line of a script into tokens, on demand. It never looks past the line it was given
 * and accepts any byte: what it cannot make sense of becomes a TOK_ERROR that the parser reports.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_alnum(char c)
{
	return is_alpha(c) || is_digit(c);
}

static int hex_digit(char c)
{
	if (is_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Bytes of a path: /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages. */
static bool is_path_char(char c)
{
	return is_alnum(c) || c == '/' || c == '.' || c == '-';
}

void lex_init(struct lexer *lx, const char *line, size_t len, int lineno)
{
	*lx = (struct lexer){ .line = line, .len = len, .lineno = lineno };
}

static size_t skip_space(const struct lexer *lx, size_t pos)
{
	while (pos < lx->len && is_space(lx->line[pos]))
		pos++;
	return pos;
}

static struct token make_token(const struct lexer *lx, enum tok_kind kind, size_t start, size_t end)
{
	return (struct token){
		.kind = kind,
		.text = lx->line + start,
		.len = end - start,
		.loc = { .line = lx->lineno, .col = (int)(start + 1) },
	};
}

static struct token error_token(const struct lexer *lx, size_t start, size_t end, const char *what)
{
	struct token tok = make_token(lx, TOK_ERROR, start, end);

	snprintf(tok.error, sizeof(tok.error), "%s", what);
	return tok;
}

/* The multiplier a number's suffix stands for: sizes in bytes (binary), durations in ns. */
static const struct {
	const char *suffix;
	uint64_t scale;
	enum num_unit unit;
} num_suffixes[] = {
	{ "K", 1ULL << 10, UNIT_BYTES },
	{ "M", 1ULL << 20, UNIT_BYTES },
	{ "G", 1ULL << 30, UNIT_BYTES },
	{ "T", 1ULL << 40, UNIT_BYTES },
	{ "ns", 1, UNIT_TIME },
	{ "us", 1000, UNIT_TIME },
	{ "ms", 1000000, UNIT_TIME },
	{ "s", 1000000000, UNIT_TIME },
};

/* Apply the suffix in line[start, end) to tok->num; false if it is unknown or overflows. */
static bool apply_suffix(struct token *tok, const char *suffix, size_t len, bool *overflow)
{
	*overflow = false;
	if (len == 0)
		return true;
	for (size_t i = 0; i < sizeof(num_suffixes) / sizeof(num_suffixes[0]); i++) {
		if (strlen(num_suffixes[i].suffix) != len || memcmp(num_suffixes[i].suffix, suffix, len))
			continue;
		*overflow = __builtin_mul_overflow(tok->num, num_suffixes[i].scale, &tok->num);
		tok->unit = num_suffixes[i].unit;
		return !*overflow;
	}
	return false;
}

/* 42, 0x2a, 16M, 500ms: digits (hex after 0x), then an optional unit suffix. */
static struct token scan_number(const struct lexer *lx, size_t start)
{
	size_t pos = start;
	int base = 10;
	bool overflow = false;
	struct token tok;
	uint64_t num = 0;

	if (lx->line[pos] == '0' && pos + 1 < lx->len && (lx->line[pos + 1] | 0x20) == 'x') {
		base = 16;
		pos += 2;
		if (pos >= lx->len || hex_digit(lx->line[pos]) < 0)
			return error_token(lx, start, pos, "hexadecimal number without digits");
	}
	for (; pos < lx->len; pos++) {
		int d = base == 16 ? hex_digit(lx->line[pos]) : (is_digit(lx->line[pos]) ? lx->line[pos] - '0' : -1);

		if (d < 0)
			break;
		overflow |= __builtin_mul_overflow(num, (uint64_t)base, &num);
		overflow |= __builtin_add_overflow(num, (uint64_t)d, &num);
	}
	size_t suffix = pos;

	while (pos < lx->len && is_alnum(lx->line[pos]))
		pos++;
	tok = make_token(lx, TOK_NUMBER, start, pos);
	tok.num = num;
	if (overflow)
		return error_token(lx, start, pos, "number too large");
	if (!apply_suffix(&tok, lx->line + suffix, pos - suffix, &overflow))
		return error_token(lx, start, pos, overflow ? "number too large" : "unknown suffix on number");
	return tok;
}

/* "text": up to the closing quote, skipping escaped characters; decoded later by lex_string. */
static struct token scan_string(const struct lexer *lx, size_t start)
{
	for (size_t pos = start + 1; pos < lx->len; pos++) {
		if (lx->line[pos] == '\\')
			pos++;			/* the escaped byte cannot close the string */
		else if (lx->line[pos] == '"')
			return make_token(lx, TOK_STRING, start, pos + 1);
	}
	return error_token(lx, start, lx->len, "unterminated string");
}

/* A meminfo key: Active(anon) has its qualifier in parentheses. */
static size_t scan_key(const struct lexer *lx, size_t pos)
{
	size_t start = pos, paren;

	while (pos < lx->len && is_alnum(lx->line[pos]))
		pos++;
	if (pos == start || pos >= lx->len || lx->line[pos] != '(')
		return pos;
	for (paren = pos + 1; paren < lx->len && is_alnum(lx->line[paren]); paren++)
		;
	if (paren > pos + 1 && paren < lx->len && lx->line[paren] == ')')
		return paren + 1;
	return pos;			/* '(' is not part of the key: "(...)" closes nothing */
}

/* /proc/meminfo, /proc/meminfo:MemFree; a colon followed by a '/' after the key is part of a
 * directory's name: /sys/class/bdi/0:2/read_ahead_kb. */
static struct token scan_path(const struct lexer *lx, size_t start)
{
	size_t pos = start + 1, key_end;
	struct token tok;

	for (;;) {
		while (pos < lx->len && is_path_char(lx->line[pos]))
			pos++;
		if (pos >= lx->len || lx->line[pos] != ':')
			return make_token(lx, TOK_PATH, start, pos);
		key_end = scan_key(lx, pos + 1);
		if (key_end == pos + 1)
			return error_token(lx, pos, pos + 1, "expected a key after ':'");
		if (key_end >= lx->len || lx->line[key_end] != '/')
			break;
		pos = key_end;
	}
	tok = make_token(lx, TOK_PATH, start, key_end);
	tok.key_len = key_end - pos - 1;
	return tok;
}

/* Punctuation: two-character comparisons first, then single characters. */
static struct token scan_op(const struct lexer *lx, size_t start)
{
	static const struct {
		char two[3];
		int op;
	} pairs[] = { { "==", OP_EQ }, { "!=", OP_NE }, { "<=", OP_LE }, { ">=", OP_GE } };
	static const char singles[] = "=<>+-*/()[],|:";
	const char *s = lx->line + start;
	struct token tok;

	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		if (start + 1 < lx->len && s[0] == pairs[i].two[0] && s[1] == pairs[i].two[1]) {
			tok = make_token(lx, TOK_OP, start, start + 2);
			tok.op = pairs[i].op;
			return tok;
		}
	}
	if (*s != '\0' && strchr(singles, *s)) {
		tok = make_token(lx, TOK_OP, start, start + 1);
		tok.op = (unsigned char)*s;
		return tok;
	}
	tok = make_token(lx, TOK_ERROR, start, start + 1);
	snprintf(tok.error, sizeof(tok.error), "unexpected character %s",
		 lex_describe(&tok, (char[16]){ 0 }, 16));
	return tok;
}

struct token lex_peek(const struct lexer *lx, enum lex_mode mode)
{
	size_t pos = skip_space(lx, lx->pos);
	char c;

	if (pos >= lx->len || lx->line[pos] == '#')
		return make_token(lx, TOK_EOL, pos, pos);
	c = lx->line[pos];
	if (is_digit(c))
		return scan_number(lx, pos);
	if (is_alpha(c)) {
		size_t end = pos;

		while (end < lx->len && is_alnum(lx->line[end]))
			end++;
		return make_token(lx, TOK_IDENT, pos, end);
	}
	if (c == '"')
		return scan_string(lx, pos);
	if (c == '/' && mode == LEX_OPERAND && pos + 1 < lx->len && is_path_char(lx->line[pos + 1]))
		return scan_path(lx, pos);
	return scan_op(lx, pos);
}

void lex_take(struct lexer *lx, const struct token *tok)
{
	lx->pos = (size_t)(tok->text - lx->line) + tok->len;
}

struct token lex_word(const struct lexer *lx, const char *stops)
{
	size_t start = skip_space(lx, lx->pos), pos = start;

	while (pos < lx->len && !is_space(lx->line[pos]) && lx->line[pos] != '#' &&
	       !(lx->line[pos] != '\0' && strchr(stops, lx->line[pos])))
		pos++;
	return make_token(lx, pos == start ? TOK_EOL : TOK_WORD, start, pos);
}

char *lex_string(struct arena *a, const struct token *tok, size_t *len, struct loc *bad)
{
	char *out = arena_alloc(a, tok->len), *o = out;

	/* Between the quotes; the lexer saw that every backslash has a byte after it. */
	for (size_t i = 1; i + 1 < tok->len; i++) {
		char c = tok->text[i];

		if (c == '\\') {
			switch (tok->text[++i]) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case '"': c = '"'; break;
			case '\\': c = '\\'; break;
			default:
				*bad = (struct loc){ tok->loc.line, tok->loc.col + (int)i - 1 };
				return NULL;
			}
		}
		*o++ = c;
	}
	*o = '\0';
	*len = (size_t)(o - out);
	return out;
}

const char *lex_describe(const struct token *tok, char *buf, size_t size)
{
	enum { SHOWN = 32 };		/* longer tokens are cut, with "..." */
	size_t n = 0;

	if (tok->kind == TOK_EOL)
		return "end of line";
	n += (size_t)snprintf(buf, size, "'");
	for (size_t i = 0; i < tok->len && i < SHOWN && n + 6 < size; i++) {
		unsigned char c = (unsigned char)tok->text[i];

		if (c >= 0x20 && c < 0x7f && c != '\'')
			buf[n++] = (char)c;
		else
			n += (size_t)snprintf(buf + n, size - n, "\\x%02x", c);
	}
	snprintf(buf + n, size - n, "%s'", tok->len > SHOWN ? "..." : "");
	return buf;
}
