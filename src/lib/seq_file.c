/* seq_file: the buffer every procfs renderer prints into (fs/seq_file.c). */
#include <mmlab/seq_file.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void seq_init(struct seq_file *s)
{
	s->buf = NULL;
	s->count = 0;
	s->size = 0;
}

void seq_release(struct seq_file *s)
{
	free(s->buf);
	seq_init(s);
}

void seq_reset(struct seq_file *s)
{
	s->count = 0;
	if (s->buf)
		s->buf[0] = '\0';
}

/* Makes room for len more bytes plus the terminating NUL; aborts only if the host is out of memory. */
static void seq_reserve(struct seq_file *s, size_t len)
{
	if (s->count + len + 1 <= s->size)
		return;
	size_t size = s->size ? s->size : 256;
	while (size < s->count + len + 1)
		size *= 2;
	char *buf = realloc(s->buf, size);
	if (!buf) {
		fputs("mmlab: host out of memory\n", stderr);
		abort();
	}
	s->buf = buf;
	s->size = size;
}

void seq_printf(struct seq_file *s, const char *fmt, ...)
{
	va_list ap;

	seq_reserve(s, 128);
	va_start(ap, fmt);
	int len = vsnprintf(s->buf + s->count, s->size - s->count, fmt, ap);
	va_end(ap);
	if (len <= 0)
		return;
	/* Did not fit: grow to the exact size and print again. */
	if ((size_t)len >= s->size - s->count) {
		seq_reserve(s, (size_t)len);
		va_start(ap, fmt);
		vsnprintf(s->buf + s->count, (size_t)len + 1, fmt, ap);
		va_end(ap);
	}
	s->count += (size_t)len;
}

void seq_puts(struct seq_file *s, const char *str)
{
	size_t len = strlen(str);
	seq_reserve(s, len);
	memcpy(s->buf + s->count, str, len + 1);
	s->count += len;
}

void seq_putc(struct seq_file *s, char c)
{
	seq_reserve(s, 1);
	s->buf[s->count++] = c;
	s->buf[s->count] = '\0';
}

void seq_put_decimal_ull_width(struct seq_file *s, const char *delimiter, unsigned long long num,
			       unsigned int width)
{
	seq_printf(s, "%s%*llu", delimiter, (int)width, num);
}
