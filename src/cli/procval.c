/*
 * Numbers read from procfs and sysfs for expressions:
 *   PATH:KEY   a field of a key-value file: "MemFree:   123 kB" (meminfo, status: kB read as bytes),
 *              "pgalloc_normal 42" (vmstat), "Node 0 MemFree: ..." (a node's meminfo)
 *   PATH       a file that holds one number (/proc/sys/vm/min_free_kbytes)
 * A number is decimal, or hexadecimal after 0x as the kernel prints flags (lru_gen/enabled: 0x0007).
 */
#include <string.h>

#include <mmlab/procfs.h>
#include <mmlab/seq_file.h>

#include "cli/cli.h"

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static const char *skip_blanks(const char *s, const char *end)
{
	while (s < end && is_blank(*s))
		s++;
	return s;
}

/* An optionally signed decimal number at s; NULL if there is none. Wraps like the arithmetic. */
static const char *parse_decimal(const char *s, const char *end, int64_t *out)
{
	bool neg = s < end && *s == '-';
	const char *digits = s + neg;
	uint64_t n = 0;

	for (s = digits; s < end && *s >= '0' && *s <= '9'; s++)
		n = n * 10 + (uint64_t)(*s - '0');
	if (s == digits)
		return NULL;
	*out = (int64_t)(neg ? 0 - n : n);
	return s;
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* A number at s as the kernel prints one: "0x" and hex digits (%#x, as lru_gen/enabled's 0x0007),
 * else optionally signed decimal; NULL if there is none. */
static const char *parse_number(const char *s, const char *end, int64_t *out)
{
	uint64_t n = 0;
	const char *p;

	if (end - s < 3 || s[0] != '0' || (s[1] | 0x20) != 'x' || hex_value(s[2]) < 0)
		return parse_decimal(s, end, out);
	for (p = s + 2; p < end && hex_value(*p) >= 0; p++)
		n = n << 4 | (uint64_t)hex_value(*p);
	*out = (int64_t)n;
	return p;
}

/* "Node 3 " starts each line of a node's meminfo: skip it. */
static const char *skip_node_prefix(const char *s, const char *end)
{
	const char *p = s + 5;

	if (end - s < 5 || memcmp(s, "Node ", 5))
		return s;
	while (p < end && *p >= '0' && *p <= '9')
		p++;
	return p > s + 5 && p < end && *p == ' ' ? p + 1 : s;
}

/* The value on a line "KEY: N [kB]" or "KEY N"; 1 if the line is not KEY's, -1 if N is no number. */
static int line_value(const char *line, const char *end, const char *key, int64_t *out)
{
	size_t klen = strlen(key);
	const char *s = skip_node_prefix(line, end);

	if ((size_t)(end - s) <= klen || memcmp(s, key, klen) ||
	    !(s[klen] == ':' || is_blank(s[klen])))
		return 1;
	s += klen + (s[klen] == ':');
	s = parse_number(skip_blanks(s, end), end, out);
	if (!s)
		return -1;
	s = skip_blanks(s, end);
	if (end - s >= 2 && !memcmp(s, "kB", 2))
		*out = (int64_t)((uint64_t)*out * 1024);	/* kibibytes in the file; bytes in scripts */
	return 0;
}

int procfs_key(const struct seq_file *s, const char *key, int64_t *out)
{
	const char *line = s->buf, *end = s->buf + s->count;

	while (line && line < end) {
		const char *eol = memchr(line, '\n', (size_t)(end - line));
		int ret;

		if (!eol)
			eol = end;
		ret = line_value(line, eol, key, out);
		if (ret <= 0)
			return ret;
		line = eol + 1;
	}
	return 1;
}

static int find_key(struct interp *in, struct loc loc, const struct seq_file *s, const char *path,
		    const char *key, struct value *out)
{
	int ret = procfs_key(s, key, &out->v);

	if (ret < 0)
		return interp_error(in, loc, "%s: the value of %s is not a number", path, key);
	if (ret > 0)
		return interp_error(in, loc, "%s: no key %s", path, key);
	return 0;
}

static int single_value(struct interp *in, struct loc loc, const struct seq_file *s, const char *path,
			struct value *out)
{
	const char *end = s->buf + s->count, *p;

	p = s->count ? parse_number(skip_blanks(s->buf, end), end, &out->v) : NULL;
	while (p && p < end && (is_blank(*p) || *p == '\n'))
		p++;
	if (!p || p != end)
		return interp_error(in, loc, "%s: does not hold a single number", path);
	return 0;
}

int procfs_load(struct interp *in, struct loc loc, const char *what, const char *path, struct seq_file *s)
{
	struct machine *m = interp_machine(in, loc);
	int ret;

	if (!m)
		return CLI_ERROR;
	ret = procfs_read(m, path, s);
	return ret < 0 ? interp_errno(in, loc, what, path, ret) : 0;
}

int procfs_value(struct interp *in, struct loc loc, const char *path, const char *key, struct value *out)
{
	struct seq_file s;
	int ret;

	seq_init(&s);
	*out = value_int(0);
	ret = procfs_load(in, loc, NULL, path, &s);
	if (!ret)
		ret = key ? find_key(in, loc, &s, path, key, out) : single_value(in, loc, &s, path, out);
	seq_release(&s);
	return ret;
}
