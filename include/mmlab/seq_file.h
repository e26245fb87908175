/* A growing text buffer that procfs files, reports and traces are printed into (include/linux/seq_file.h). */
#ifndef MMLAB_SEQ_FILE_H
#define MMLAB_SEQ_FILE_H

#include <stddef.h>

struct seq_file {
	char *buf;
	size_t count;	/* bytes written so far */
	size_t size;	/* bytes allocated */
};

void seq_init(struct seq_file *s);
void seq_release(struct seq_file *s);
void seq_reset(struct seq_file *s);
void seq_printf(struct seq_file *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void seq_puts(struct seq_file *s, const char *str);
void seq_putc(struct seq_file *s, char c);
/* seq_put_decimal_ull_width: " %*llu" without printf, as /proc/vmstat and meminfo use it. */
void seq_put_decimal_ull_width(struct seq_file *s, const char *delimiter, unsigned long long num, unsigned int width);

#endif
