/*
 * The monitoring commands of procps-ng (4.0.2, Debian 12): free, vmstat and top, as script
 * commands. Each reads only the machine's /proc files, through the same procfs code `cat` reads
 * them with, and prints what the real tool prints for the same file contents, byte for byte:
 * the same arithmetic on the same fields (procps's library/meminfo.c, library/stat.c), the same
 * column widths. The options are procps's own.
 */
#include <stdlib.h>
#include <string.h>

#include <mmlab/seq_file.h>

#include "cli/cli.h"

/* ---- Reading /proc files ---- */

/* proc_count: a "KEY N" field of a rendered file (vmstat, stat), 0 when the file has none, as
 * procps's readers leave a field they do not find. */
static unsigned long proc_count(const struct seq_file *s, const char *key)
{
	int64_t v = 0;

	return procfs_key(s, key, &v) ? 0 : (unsigned long)v;
}

/* meminfo_kb: a "KEY: N kB" field of /proc/meminfo in kB (procfs_key reads it as bytes). */
static unsigned long meminfo_kb(const struct seq_file *s, const char *key)
{
	return proc_count(s, key) / 1024;
}

/* What procps's library/meminfo.c makes of /proc/meminfo (meminfo_read_failed), in kB. */
struct procps_meminfo {
	unsigned long total, free, available, used, shared, buffers, cached;	/* cached: Cached + SReclaimable */
	unsigned long low_total, low_free, low_used, high_total, high_free, high_used;
	unsigned long swap_total, swap_free, swap_used, commit_limit, committed_as, active, inactive;
};

static void procps_meminfo(const struct seq_file *s, struct procps_meminfo *mi)
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
static int read_meminfo(struct interp *in, const struct stmt *st, struct procps_meminfo *mi)
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

/* ---- Options: procps's short and long options, as words ---- */

struct procps_option {
	char shortopt;		/* 0: long only */
	const char *longopt;	/* NULL: short only */
	int id;
};

/* Each word of the command is -X (short options, any number of them: -wt) or --LONG. fn takes the
 * id of each option and returns NULL, or why the option is refused; an unknown or refused option is
 * the parser's error at its word. */
static int procps_options(struct parser *p, const struct stmt *st, const struct procps_option *opts,
			  const char *(*fn)(void *ctx, int id), void *ctx)
{
	for (int i = 0; i < st->command.nargs; i++) {
		const struct arg *a = &st->command.args[i];
		const char *w = a->str.s, *why = "unknown option";
		bool longopt = a->str.len > 2 && w[0] == '-' && w[1] == '-';
		const struct procps_option *o;

		if (a->str.len < 2 || w[0] != '-')
			goto bad;
		for (const char *c = w + 1; *c; c++) {
			for (o = opts; o->id && (longopt ? !o->longopt || strcmp(o->longopt, w + 2) : o->shortopt != *c); o++)
				;
			if (!o->id || (why = fn(ctx, o->id)))
				goto bad;
			if (longopt)
				break;
		}
		continue;
bad:
		return p ? parser_error(p, a->loc, "%s: %s: %s (%s)", st->command.cmd->name, w, why, st->command.cmd->usage)
			 : -1;
	}
	return 0;
}

/* ---- free (procps src/free.c) ---- */

enum free_flag {
	FREE_HUMANREADABLE = 1 << 1,
	FREE_LOHI = 1 << 2,
	FREE_WIDE = 1 << 3,
	FREE_TOTAL = 1 << 4,
	FREE_SI = 1 << 5,
	FREE_COMMITTED = 1 << 8,
};

struct free_args {
	int flags;
	int exponent;		/* 1 bytes, 2 kibi (kilo with --si: the default), 3 mebi, ... */
	bool unit_set;
};

/* Option ids: an exponent (1..6) with or without FREE_SI, or a flag. */
#define FREE_UNIT(exp, si) ((exp) | (si) << 4 | 1 << 12)

static const struct procps_option free_opts[] = {
	{ 'b', "bytes", FREE_UNIT(1, 0) },	{ 'k', "kibi", FREE_UNIT(2, 0) },
	{ 'm', "mebi", FREE_UNIT(3, 0) },	{ 'g', "gibi", FREE_UNIT(4, 0) },
	{ 0, "tebi", FREE_UNIT(5, 0) },		{ 0, "pebi", FREE_UNIT(6, 0) },
	{ 0, "kilo", FREE_UNIT(2, 1) },		{ 0, "mega", FREE_UNIT(3, 1) },
	{ 0, "giga", FREE_UNIT(4, 1) },		{ 0, "tera", FREE_UNIT(5, 1) },
	{ 0, "peta", FREE_UNIT(6, 1) },		{ 'h', "human", FREE_HUMANREADABLE },
	{ 0, "si", FREE_SI },			{ 'l', "lohi", FREE_LOHI },
	{ 't', "total", FREE_TOTAL },		{ 'v', "committed", FREE_COMMITTED },
	{ 'w', "wide", FREE_WIDE },		{ 0, NULL, 0 },
};

/* One option: a second unit is refused, as free's check_unit_set refuses it. */
static const char *free_option(void *ctx, int id)
{
	struct free_args *args = ctx;

	if (!(id & 1 << 12)) {
		args->flags |= id;
		return NULL;
	}
	if (args->unit_set)
		return "multiple unit options don't make sense";
	args->unit_set = true;
	args->exponent = id & 15;
	if (id >> 4 & 1)
		args->flags |= FREE_SI;
	return NULL;
}

static int free_check(struct parser *p, const struct stmt *st)
{
	struct free_args args = { .exponent = 2 };

	return procps_options(p, st, free_opts, free_option, &args);
}

/* power: base to the expo, as free.c computes it. */
static double power(unsigned int base, unsigned int expo)
{
	double r = 1;

	while (expo--)
		r *= base;
	return r;
}

/* scale_size: a size in kB in free's units, or human-readable: the shortest of B, Ki, Mi, ... (K,
 * M, ... with --si) that fits in 4 characters (5 with the i), with one decimal when it fits. */
static const char *scale_size(char *buf, size_t size, unsigned long kb, const struct free_args *args)
{
	static const char up[] = { 'B', 'K', 'M', 'G', 'T', 'P', 0 };
	unsigned int base = args->flags & FREE_SI ? 1000 : 1024;
	long long bytes = (long long)(kb * 1024ULL);

	if (!(args->flags & FREE_HUMANREADABLE)) {
		if (args->exponent == 1)
			snprintf(buf, size, "%lld", bytes);
		else
			snprintf(buf, size, "%ld", (long)(bytes / power(base, (unsigned int)args->exponent - 1)));
		return buf;
	}
	if (snprintf(buf, size, "%lld%c", bytes, up[0]) <= 4)
		return buf;
	for (unsigned int i = 1; up[i]; i++) {
		int width = args->flags & FREE_SI ? 4 : 5;
		const char *suffix = args->flags & FREE_SI ? "" : "i";

		if (snprintf(buf, size, "%.1f%c%s", (double)(float)(bytes / power(base, i)), up[i], suffix) <= width)
			return buf;
		if (snprintf(buf, size, "%ld%c%s", (long)(bytes / power(base, i)), up[i], suffix) <= width)
			return buf;
	}
	return buf;
}

/* free_row: "Mem:" and its columns, the first 11 wide, the others a space and 11. */
static void free_row(FILE *out, const char *name, const unsigned long *kb, int n, const struct free_args *args)
{
	char buf[64];

	fprintf(out, "%-9s", name);
	for (int i = 0; i < n; i++)
		fprintf(out, i ? " %11s" : "%11s", scale_size(buf, sizeof(buf), kb[i], args));
	fputc('\n', out);
}

static int free_run(struct interp *in, const struct stmt *st, struct value *result)
{
	struct free_args args = { .exponent = 2 };
	struct procps_meminfo mi;
	int ret;

	(void)result;
	procps_options(NULL, st, free_opts, free_option, &args);	/* checked when parsed */
	if ((ret = read_meminfo(in, st, &mi)))
		return ret;
	int wide = (args.flags & FREE_WIDE) != 0;
	unsigned long mem[] = { mi.total, mi.used, mi.free, mi.shared, wide ? mi.buffers : mi.buffers + mi.cached,
				wide ? mi.cached : mi.available, mi.available };
	fputs(wide ? "               total        used        free      shared     buffers       cache   available\n"
		   : "               total        used        free      shared  buff/cache   available\n", in->out);
	free_row(in->out, "Mem:", mem, 6 + wide, &args);
	if (args.flags & FREE_LOHI) {
		free_row(in->out, "Low:", (unsigned long[]){ mi.low_total, mi.low_used, mi.low_free }, 3, &args);
		free_row(in->out, "High:", (unsigned long[]){ mi.high_total, mi.high_used, mi.high_free }, 3, &args);
	}
	free_row(in->out, "Swap:", (unsigned long[]){ mi.swap_total, mi.swap_used, mi.swap_free }, 3, &args);
	if (args.flags & FREE_TOTAL)
		free_row(in->out, "Total:",
			 (unsigned long[]){ mi.total + mi.swap_total, mi.used + mi.swap_used, mi.free + mi.swap_free }, 3,
			 &args);
	if (args.flags & FREE_COMMITTED)
		free_row(in->out, "Comm:",
			 (unsigned long[]){ mi.commit_limit, mi.committed_as, mi.commit_limit - mi.committed_as }, 3,
			 &args);
	return 0;
}

static const struct command procps_cmds[] = {
	{ "free", "w*", NULL, CMD_MACHINE, free_check, free_run,
	  "free [-b|-k|-m|-g|--kilo|--mega|--giga|--si] [-h] [-w] [-t] [-l] [-v]",
	  "memory in use and free, as procps free prints it from /proc/meminfo" },
};

const struct command_table cmd_procps_table = {
	"monitoring: procps free, vmstat and top over the machine's /proc", procps_cmds,
	sizeof(procps_cmds) / sizeof(procps_cmds[0]),
};
