/*
 * What the procps commands share (src/cli/procps.c): reading the machine's /proc files as procps's
 * library reads them, and procps's options. free and vmstat are in cmd_procps.c, top in cmd_top.c.
 */
#ifndef MMLAB_CLI_PROCPS_H
#define MMLAB_CLI_PROCPS_H

#include <mmlab/seq_file.h>

#include "cli/cli.h"

/* What procps's library/meminfo.c makes of /proc/meminfo (meminfo_read_failed), in kB. */
struct procps_meminfo {
	unsigned long total, free, available, used, shared, buffers, cached;	/* cached: Cached + SReclaimable */
	unsigned long low_total, low_free, low_used, high_total, high_free, high_used;
	unsigned long swap_total, swap_free, swap_used, commit_limit, committed_as, active, inactive;
};

/* procps_meminfo: what procps derives from a rendered /proc/meminfo. */
void procps_meminfo(const struct seq_file *s, struct procps_meminfo *mi);
/* read_meminfo: /proc/meminfo as procps sees it; 0, or CLI_ERROR (reported). */
int read_meminfo(struct interp *in, const struct stmt *st, struct procps_meminfo *mi);
/* proc_count: a "KEY N" field of a rendered file, 0 when it has none, as procps leaves a field it
 * does not find. */
unsigned long proc_count(const struct seq_file *s, const char *key);
/* meminfo_kb: a "KEY: N kB" field in kB. */
unsigned long meminfo_kb(const struct seq_file *s, const char *key);
/* proc_line: the n numbers after KEY at the start of a line ("cpu  1 2 3 ..."); those missing 0. */
void proc_line(const struct seq_file *s, const char *key, unsigned long long *v, int n);
/* compare_strings: qsort's comparison of two strings. */
int compare_strings(const void *a, const void *b);

struct procps_option {
	char shortopt;		/* 0: long only */
	const char *longopt;	/* NULL: short only */
	int id;
	bool has_arg;		/* -S M, -SM, --unit M */
};

/* The id fn gets for a word that is no option (its text as the argument). */
#define PROCPS_OPERAND (-1)

/* procps_options: each word of the command is -X (short options, any number of them: -wt, the last
 * one's argument after it or in the next word) or --LONG [ARG]. fn takes the id of each option and
 * its argument and returns NULL, or why it is refused; an unknown or refused option is the parser's
 * error at its word; a word without '-' goes to fn as PROCPS_OPERAND (p NULL: -1, reported by no one, for a run of what was checked when parsed). */
int procps_options(struct parser *p, const struct stmt *st, const struct procps_option *opts,
		   const char *(*fn)(void *ctx, int id, const char *arg), void *ctx);

/* top_check, top_run: the top command (cmd_top.c). */
int top_check(struct parser *p, const struct stmt *st);
int top_run(struct interp *in, const struct stmt *st, struct value *result);

#endif
