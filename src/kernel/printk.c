/* The kernel log (kernel/printk/printk.c): every message is kept for dmesg, urgent ones also go to the
 * console, each line stamped with the simulated time since boot. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mmlab/machine.h>
#include <mmlab/printk.h>
#include <mmlab/seq_file.h>

static void log_append(struct printk_log *log, const char *text, size_t len)
{
	if (log->len + len + 1 > log->size) {
		size_t size = log->size ? log->size : 4096;
		while (size < log->len + len + 1)
			size *= 2;
		char *buf = realloc(log->buf, size);
		if (!buf)
			abort();
		log->buf = buf;
		log->size = size;
	}
	memcpy(log->buf + log->len, text, len);
	log->len += len;
	log->buf[log->len] = '\0';
}

/* printk_get_level: the level of a "\001N..." message, and where its text starts; KERN_CONT is -1.
 * The level is read from the formatted text, so it may come from an argument too (printk_lines). */
static int printk_get_level(const char **text)
{
	int level = 4;	/* MESSAGE_LOGLEVEL_DEFAULT: KERN_WARNING */

	if ((*text)[0] == KERN_SOH[0] && (*text)[1]) {
		level = (*text)[1] == 'c' ? -1 : (*text)[1] - '0';
		*text += 2;
	}
	return level;
}

static void vprintk(struct machine *m, const char *fmt, va_list ap)
{
	char buf[1024], line[1100];
	int len = vsnprintf(buf, sizeof(buf), fmt, ap);
	const char *text = buf;

	if (len < 0)
		return;
	int level = printk_get_level(&text);
	if (level >= 0)
		len = snprintf(line, sizeof(line), "[%5lu.%06lu] %s", (unsigned long)(m->now_ns / 1000000000),
			       (unsigned long)(m->now_ns / 1000 % 1000000), text);
	else
		len = snprintf(line, sizeof(line), "%s", text);
	if (len < 0)
		return;
	if ((size_t)len >= sizeof(line))
		len = sizeof(line) - 1;
	log_append(&m->log, line, (size_t)len);
	/* A continuation follows its line to the console if that line went there. */
	if (level < 0 ? m->log.last_on_console : level < CONSOLE_LOGLEVEL) {
		if (m->log.console)
			fputs(line, m->log.console);
	}
	if (level >= 0)
		m->log.last_on_console = level < CONSOLE_LOGLEVEL;
}

void printk(struct machine *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(m, fmt, ap);
	va_end(ap);
}

void printk_lines(struct machine *m, const char *level, const char *text)
{
	while (text && *text) {
		const char *nl = strchr(text, '\n');
		int len = nl ? (int)(nl - text) : (int)strlen(text);
		printk(m, "%s%.*s\n", level, len, text);
		text += len + (nl != NULL);
	}
}

void log_dump(struct machine *m, struct seq_file *out)
{
	if (m->log.buf)
		seq_puts(out, m->log.buf);
}
