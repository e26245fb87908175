/*
 * Reading the machine's /proc files as procps-ng's library reads them (library/meminfo.c,
 * library/stat.c, library/vmstat.c), through the procfs code `cat` uses; and procps's options as
 * words of a script command.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/procps.h"

/* ---- Reading /proc files ---- */

/* proc_count: a "KEY N" field of a rendered file (vmstat, stat), 0 when the file has none, as
 * procps's readers leave a field they do not find. */
unsigned long proc_count(const struct seq_file *s, const char *key)
{
	int64_t v = 0;

	return procfs_key(s, key, &v) ? 0 : (unsigned long)v;
}

/* proc_line: the n numbers after KEY at the start of a line ("cpu  1 2 3 ..."); those missing 0. */
void proc_line(const struct seq_file *s, const char *key, unsigned long long *v, int n)
{
	size_t klen = strlen(key);
	const char *line = s->buf, *end = s->buf + s->count;

	memset(v, 0, sizeof(*v) * (size_t)n);
	while (line < end && (strncmp(line, key, klen) || line[klen] != ' ')) {
		const char *eol = memchr(line, '\n', (size_t)(end - line));

		line = eol ? eol + 1 : end;
	}
	for (int i = 0; i < n && line < end; i++) {
		char *next;

		v[i] = strtoull(line + klen, &next, 10);
		if (next == line + klen)
			break;
		line = next;
		klen = 0;
	}
}

/* meminfo_kb: a "KEY: N kB" field of /proc/meminfo in kB (procfs_key reads it as bytes). */
unsigned long meminfo_kb(const struct seq_file *s, const char *key)
{
	return proc_count(s, key) / 1024;
}

void procps_meminfo(const struct seq_file *s, struct procps_meminfo *mi)
{
	mi->total = meminfo_kb(s, "MemTotal");
	mi->free = meminfo_kb(s, "MemFree");
	mi->available = meminfo_kb(s, "MemAvailable");
	/* an available above the total (a container's view) is not believed */
	if (!mi->available || mi->available > mi->total)
		mi->available = mi->free;
	mi->used = mi->total - mi->available;
	mi->shared = meminfo_kb(s, "Shmem");
	mi->buffers = meminfo_kb(s, "Buffers");
	mi->cached = meminfo_kb(s, "Cached") + meminfo_kb(s, "SReclaimable");
	mi->high_total = meminfo_kb(s, "HighTotal");
	mi->high_free = meminfo_kb(s, "HighFree");
	mi->high_used = mi->high_free < mi->high_total ? mi->high_total - mi->high_free : 0;
	mi->low_total = meminfo_kb(s, "LowTotal");
	mi->low_free = meminfo_kb(s, "LowFree");
	if (!mi->low_total) {	/* no HighMem: all of it is low memory */
		mi->low_total = mi->total;
		mi->low_free = mi->free;
	}
	mi->low_used = mi->low_free < mi->low_total ? mi->low_total - mi->low_free : 0;
	mi->swap_total = meminfo_kb(s, "SwapTotal");
	mi->swap_free = meminfo_kb(s, "SwapFree");
	mi->swap_used = mi->swap_free < mi->swap_total ? mi->swap_total - mi->swap_free : 0;
	mi->commit_limit = meminfo_kb(s, "CommitLimit");
	mi->committed_as = meminfo_kb(s, "Committed_AS");
	mi->active = meminfo_kb(s, "Active");
	mi->inactive = meminfo_kb(s, "Inactive");
}

/* read_meminfo: /proc/meminfo as procps sees it; 0, or CLI_ERROR (reported). */
int read_meminfo(struct interp *in, const struct stmt *st, struct procps_meminfo *mi)
{
	struct seq_file s;
	int ret;

	seq_init(&s);
	ret = procfs_load(in, st->loc, st->command.cmd->name, "/proc/meminfo", &s);
	if (!ret)
		procps_meminfo(&s, mi);
	seq_release(&s);
	return ret;
}

/* compare_strings: qsort's comparison of two strings. */
int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---- Options: procps's short and long options, as words ---- */

/* Each word of the command is -X (short options, any number of them: -wt, the last one's argument
 * after it or in the next word) or --LONG [ARG]. fn takes the id of each option and its argument
 * and returns NULL, or why it is refused; an unknown or refused option is the parser's error at its
 * word, and so is an option without its argument. */
int procps_options(struct parser *p, const struct stmt *st, const struct procps_option *opts,
			  const char *(*fn)(void *ctx, int id, const char *arg), void *ctx)
{
	for (int i = 0; i < st->command.nargs; i++) {
		const struct arg *a = &st->command.args[i];
		const char *w = a->str.s, *why = "unknown option";
		bool longopt = a->str.len > 2 && w[0] == '-' && w[1] == '-';
		const struct procps_option *o;

		if (w[0] != '-') {	/* an operand: vmstat's delay and count */
			if ((why = fn(ctx, PROCPS_OPERAND, w)))
				goto bad;
			continue;
		}
		if (a->str.len < 2)
			goto bad;
		for (const char *c = w + 1; *c; c++) {
			const char *optarg = NULL;

			for (o = opts; o->id && (longopt ? !o->longopt || strcmp(o->longopt, w + 2) : o->shortopt != *c); o++)
				;
			if (!o->id)
				goto bad;
			if (o->has_arg) {
				optarg = !longopt && c[1] ? c + 1 : i + 1 < st->command.nargs ? st->command.args[++i].str.s : NULL;
				why = "needs an argument";
				if (!optarg)
					goto bad;
			}
			if ((why = fn(ctx, o->id, optarg)))
				goto bad;
			if (longopt || optarg)
				break;
		}
		continue;
bad:
		return p ? parser_error(p, a->loc, "%s: %s: %s (%s)", st->command.cmd->name, w, why, st->command.cmd->usage)
			 : -1;
	}
	return 0;
}

