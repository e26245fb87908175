/*
 * The monitoring commands of procps-ng (4.0.2, Debian 12): free, vmstat and top, as script
 * commands. Each reads only the machine's /proc files, through the same procfs code `cat` reads
 * them with, and prints what the real tool prints for the same file contents, byte for byte:
 * the same arithmetic on the same fields (procps's library/meminfo.c, library/stat.c), the same
 * column widths. The options are procps's own.
 */
#include <stdlib.h>
#include <string.h>

#include <mmlab/mm.h>

#include "cli/procps.h"

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
	{ 'b', "bytes", FREE_UNIT(1, 0), false },	{ 'k', "kibi", FREE_UNIT(2, 0), false },
	{ 'm', "mebi", FREE_UNIT(3, 0), false },	{ 'g', "gibi", FREE_UNIT(4, 0), false },
	{ 0, "tebi", FREE_UNIT(5, 0), false },		{ 0, "pebi", FREE_UNIT(6, 0), false },
	{ 0, "kilo", FREE_UNIT(2, 1), false },		{ 0, "mega", FREE_UNIT(3, 1), false },
	{ 0, "giga", FREE_UNIT(4, 1), false },		{ 0, "tera", FREE_UNIT(5, 1), false },
	{ 0, "peta", FREE_UNIT(6, 1), false },		{ 'h', "human", FREE_HUMANREADABLE, false },
	{ 0, "si", FREE_SI, false },			{ 'l', "lohi", FREE_LOHI, false },
	{ 't', "total", FREE_TOTAL, false },		{ 'v', "committed", FREE_COMMITTED, false },
	{ 'w', "wide", FREE_WIDE, false },		{ 0, NULL, 0, false },
};

/* One option: a second unit is refused, as free's check_unit_set refuses it. */
static const char *free_option(void *ctx, int id, const char *arg)
{
	struct free_args *args = ctx;

	(void)arg;
	if (id == PROCPS_OPERAND)
		return "unknown option";
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

/* ---- vmstat (procps src/vmstat.c) ---- */

enum vmstat_mode { VMSTAT, VMSUMSTAT, FORKSTAT, SLABSTAT };

struct vmstat_args {
	enum vmstat_mode mode;
	bool active, wide;
	unsigned int delay;		/* seconds between reports, 0: one report */
	unsigned int count;		/* reports, with a delay */
	unsigned long data_unit;	/* -S: bytes per unit of the memory columns */
	char unit_name[2];
};

enum { VM_ACTIVE = 1, VM_WIDE, VM_STATS, VM_FORKS, VM_SLABS, VM_UNIT };

static const struct procps_option vmstat_opts[] = {
	{ 'a', "active", VM_ACTIVE, false }, { 'w', "wide", VM_WIDE, false },
	{ 's', "stats", VM_STATS, false },   { 'f', "forks", VM_FORKS, false },
	{ 'm', "slabs", VM_SLABS, false },   { 'S', "unit", VM_UNIT, true },
	{ 0, NULL, 0, false },
};

/* The longest delay and the most reports of one vmstat: a script's reports, not a monitor's. */
#define VMSTAT_MAX_DELAY	3600
#define VMSTAT_MAX_COUNT	1000

/* DELAY then COUNT, whole numbers: vmstat's `vmstat 1 5`. */
static const char *vmstat_operand(struct vmstat_args *args, const char *arg)
{
	char *end;
	unsigned long n = strtoul(arg, &end, 10);

	if (*end || arg[0] < '0' || arg[0] > '9')
		return "failed to parse argument";
	if (args->count)
		return "too many arguments: [DELAY COUNT]";
	if (!args->delay) {
		if (n < 1 || n > VMSTAT_MAX_DELAY)
			return "the delay is 1 to 3600 seconds";
		args->delay = (unsigned int)n;
		return NULL;
	}
	if (n < 1 || n > VMSTAT_MAX_COUNT)
		return "the count is 1 to 1000";
	args->count = (unsigned int)n;
	return NULL;
}

static const char *vmstat_option(void *ctx, int id, const char *arg)
{
	static const struct {
		char name;
		unsigned long unit;
	} units[] = { { 'b', 1 }, { 'B', 1 }, { 'k', 1000 }, { 'K', 1024 }, { 'm', 1000000 }, { 'M', 1048576 } };
	struct vmstat_args *args = ctx;

	switch (id) {
	case PROCPS_OPERAND:
		return vmstat_operand(args, arg);
	case VM_ACTIVE:
		args->active = true;
		return NULL;
	case VM_WIDE:
		args->wide = true;
		return NULL;
	case VM_STATS:
		args->mode = VMSUMSTAT;
		return NULL;
	case VM_FORKS:
		args->mode = FORKSTAT;
		return NULL;
	case VM_SLABS:
		args->mode = SLABSTAT;
		return NULL;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (arg[0] == units[i].name) {
			args->data_unit = units[i].unit;
			args->unit_name[0] = arg[0];
			return NULL;
		}
	return "-S requires k, K, m or M (default is KiB)";
}

static void vmstat_parse(struct parser *p, const struct stmt *st, struct vmstat_args *args, int *ret)
{
	*args = (struct vmstat_args){ .mode = VMSTAT, .data_unit = 1024, .unit_name = "K" };
	*ret = procps_options(p, st, vmstat_opts, vmstat_option, args);
}

static int vmstat_check(struct parser *p, const struct stmt *st)
{
	struct vmstat_args args;
	int ret;

	vmstat_parse(p, st, &args, &ret);
	if (!ret && args.delay && !args.count)
		return parser_error(p, st->loc, "vmstat: a DELAY needs a COUNT: the script would never end");
	if (!ret && args.delay && args.mode != VMSTAT)
		return parser_error(p, st->loc, "vmstat: DELAY COUNT go with the default report only");
	return ret;
}

/* unitConvert: kB in the -S unit, through a float as vmstat computes it. */
static unsigned long unit_convert(const struct vmstat_args *args, unsigned long kb)
{
	float size = (float)kb / (float)args->data_unit * 1024;

	return (unsigned long)size;
}

/* The files vmstat reads, each rendered once. */
struct vmstat_files {
	struct seq_file meminfo, vmstat, stat;
	struct procps_meminfo mi;
	unsigned long long cpu[10];	/* the "cpu" line: user nice system idle iowait irq softirq steal guest guest_nice */
};

enum { CPU_USER, CPU_NICE, CPU_SYSTEM, CPU_IDLE, CPU_IOWAIT, CPU_IRQ, CPU_SOFTIRQ, CPU_STEAL, CPU_GUEST, CPU_GUEST_NICE };

static void vmstat_files_release(struct vmstat_files *f)
{
	seq_release(&f->meminfo);
	seq_release(&f->vmstat);
	seq_release(&f->stat);
}

static int vmstat_files_read(struct interp *in, const struct stmt *st, struct vmstat_files *f)
{
	const char *what = st->command.cmd->name;
	int ret;

	seq_init(&f->meminfo);
	seq_init(&f->vmstat);
	seq_init(&f->stat);
	if ((ret = procfs_load(in, st->loc, what, "/proc/meminfo", &f->meminfo)) ||
	    (ret = procfs_load(in, st->loc, what, "/proc/vmstat", &f->vmstat)) ||
	    (ret = procfs_load(in, st->loc, what, "/proc/stat", &f->stat)))
		return ret;
	procps_meminfo(&f->meminfo, &f->mi);
	proc_line(&f->stat, "cpu", f->cpu, 10);
	return 0;
}

/* new_header: the groups, then each column's name right-aligned in its width; -a names the buffer
 * and cache columns inact and active; only the wide format has gu. */
static void vmstat_header(FILE *out, const struct vmstat_args *args)
{
	static const struct {
		const char *name;
		int width, wide_width;
	} fields[] = { { "r", 2, 4 },	{ "b", 2, 4 },	{ "swpd", 6, 12 }, { "free", 6, 12 }, { "buff", 6, 12 },
		       { "cache", 6, 12 }, { "si", 4, 4 }, { "so", 4, 4 },	   { "bi", 5, 5 },     { "bo", 5, 5 },
		       { "in", 4, 4 },	{ "cs", 4, 4 }, { "us", 2, 3 },	   { "sy", 2, 3 },     { "id", 2, 3 },
		       { "wa", 2, 3 },	{ "st", 2, 3 }, { "gu", 0, 3 } };
	int n = sizeof(fields) / sizeof(fields[0]) - !args->wide;

	fputs(args->wide ? "--procs-- -----------------------memory---------------------- ---swap-- -----io---- -system-- "
			   "----------cpu----------\n"
			 : "procs -----------memory---------- ---swap-- -----io---- -system-- ------cpu-----\n",
	      out);
	for (int i = 0; i < n; i++) {
		const char *name = !args->active || (i != 4 && i != 5) ? fields[i].name : i == 4 ? "inact" : "active";

		fprintf(out, "%*s%s", args->wide ? fields[i].wide_width : fields[i].width, name, i + 1 < n ? " " : "\n");
	}
}

/* What one report's rates come from: swap and paging in pages and KiB, interrupts, context switches. */
struct vmstat_counts {
	unsigned long pswpin, pswpout, pgpgin, pgpgout, intr, ctxt;
	unsigned long long cpu[10];
};

static void vmstat_counts(const struct vmstat_files *f, struct vmstat_counts *c)
{
	c->pswpin = proc_count(&f->vmstat, "pswpin");
	c->pswpout = proc_count(&f->vmstat, "pswpout");
	c->pgpgin = proc_count(&f->vmstat, "pgpgin");
	c->pgpgout = proc_count(&f->vmstat, "pgpgout");
	c->intr = proc_count(&f->stat, "intr");
	c->ctxt = proc_count(&f->stat, "ctxt");
	memcpy(c->cpu, f->cpu, sizeof(c->cpu));
}

/* One report's line: the tasks and memory as they are, the six rates given (si so bi bo in cs),
 * the CPU states' shares of the ticks in t (a difference of two cpu lines, or since boot) - all idle
 * when there are none; guest ticks are the totals since boot, as new_format takes them. */
static void vmstat_line(FILE *out, const struct vmstat_args *args, const struct vmstat_files *f,
			const unsigned long long *t, const unsigned int *rate)
{
	long long use = (long long)(t[CPU_USER] + t[CPU_NICE]), sys = (long long)(t[CPU_SYSTEM] + t[CPU_IRQ] + t[CPU_SOFTIRQ]);
	long long idl = (long long)t[CPU_IDLE], iow = (long long)t[CPU_IOWAIT], sto = (long long)t[CPU_STEAL];
	long long gue = (long long)(f->cpu[CPU_GUEST] + f->cpu[CPU_GUEST_NICE]), div = use + sys + idl + iow + sto;

	if (!div) {
		div = 1;
		idl = 1;
	}
	long long divo2 = div / 2;
	use = use >= gue ? use - gue : 0;
#define PCT(n) ((unsigned)((100 * (n) + divo2) / div))
	fprintf(out, args->wide ? "%4lu %4lu %12lu %12lu %12lu %12lu %4u %4u %5u %5u %4u %4u %3u %3u %3u %3u %3u %3u\n"
				: "%2lu %2lu %6lu %6lu %6lu %6lu %4u %4u %5u %5u %4u %4u %2u %2u %2u %2u %2u\n",
		proc_count(&f->stat, "procs_running"), proc_count(&f->stat, "procs_blocked"),
		unit_convert(args, f->mi.swap_used), unit_convert(args, f->mi.free),
		unit_convert(args, args->active ? f->mi.inactive : f->mi.buffers),
		unit_convert(args, args->active ? f->mi.active : f->mi.cached), rate[0], rate[1], rate[2], rate[3],
		rate[4], rate[5], PCT(use), PCT(sys), PCT(idl), PCT(iow), PCT(sto), PCT(gue));
#undef PCT
}

/* The CPU ticks of a cpu line that count towards vmstat's divisor. */
static long long vmstat_ticks(const unsigned long long *t)
{
	return (long long)(t[CPU_USER] + t[CPU_NICE] + t[CPU_SYSTEM] + t[CPU_IRQ] + t[CPU_SOFTIRQ] + t[CPU_IDLE] +
			   t[CPU_IOWAIT] + t[CPU_STEAL]);
}

/* new_format's first report: averages since boot. The rates are per CPU tick (hz / all the ticks
 * of the "cpu" line), as vmstat computes them; a machine with no ticks yet divides by 1. */
static void vmstat_report(FILE *out, const struct vmstat_args *args, const struct vmstat_files *f)
{
	const long long hz = 100, kb_per_page = PAGE_SIZE / 1024;
	long long div = vmstat_ticks(f->cpu) ? vmstat_ticks(f->cpu) : 1, divo2 = div / 2;
	struct vmstat_counts c;

	vmstat_counts(f, &c);
#define RATE(n) ((unsigned)(((long long)(n) * hz + divo2) / div))
	unsigned int rate[] = { RATE(unit_convert(args, c.pswpin * kb_per_page)),
				RATE(unit_convert(args, c.pswpout * kb_per_page)),
				RATE(c.pgpgin),
				RATE(c.pgpgout),
				RATE(c.intr),
				RATE(c.ctxt) };
#undef RATE
	vmstat_line(out, args, f, f->cpu, rate);
}

/* A later report: what grew over the delay, per second (rounded), and the CPU states' shares of
 * the ticks in between. */
static void vmstat_delta(FILE *out, const struct vmstat_args *args, const struct vmstat_files *f,
			 const struct vmstat_counts *then, const struct vmstat_counts *now)
{
	const unsigned long kb_per_page = PAGE_SIZE / 1024, half = args->delay / 2;
	unsigned long long t[10];

	for (int i = 0; i < 10; i++)
		t[i] = now->cpu[i] - then->cpu[i];
#define PER_SEC(n) ((unsigned)(((n) + half) / args->delay))
	unsigned int rate[] = { PER_SEC(unit_convert(args, (now->pswpin - then->pswpin) * kb_per_page)),
				PER_SEC(unit_convert(args, (now->pswpout - then->pswpout) * kb_per_page)),
				PER_SEC(now->pgpgin - then->pgpgin),
				PER_SEC(now->pgpgout - then->pgpgout),
				PER_SEC(now->intr - then->intr),
				PER_SEC(now->ctxt - then->ctxt) };
#undef PER_SEC
	vmstat_line(out, args, f, t, rate);
}

/* sum_format: the event counters, one a line. */
static void vmstat_sums(FILE *out, const struct vmstat_args *args, const struct vmstat_files *f)
{
	static const char *const mem_names[] = { "total memory", "used memory", "active memory", "inactive memory",
						 "free memory", "buffer memory", "swap cache", "total swap",
						 "used swap", "free swap" };
	static const char *const tick_names[] = { "non-nice user", "nice user", "system", "idle", "IO-wait", "IRQ",
						  "softirq", "stolen", "non-nice guest", "nice guest" };
	static const int tick_order[] = { CPU_USER, CPU_NICE, CPU_SYSTEM, CPU_IDLE, CPU_IOWAIT, CPU_IRQ, CPU_SOFTIRQ,
					  CPU_STEAL, CPU_GUEST, CPU_GUEST_NICE };
	static const char *const counts[][2] = { { "pgpgin", "K paged in" }, { "pgpgout", "K paged out" },
						 { "pswpin", "pages swapped in" }, { "pswpout", "pages swapped out" } };
	static const char *const stats[][2] = { { "intr", "interrupts" }, { "ctxt", "CPU context switches" },
						{ "btime", "boot time" }, { "processes", "forks" } };
	const struct procps_meminfo *mi = &f->mi;
	unsigned long mem[] = { mi->total, mi->used, mi->active, mi->inactive, mi->free, mi->buffers, mi->cached,
				mi->swap_total, mi->swap_used, mi->swap_free };

	for (size_t i = 0; i < sizeof(mem) / sizeof(mem[0]); i++)
		fprintf(out, "%13lu %s %s\n", unit_convert(args, mem[i]), args->unit_name, mem_names[i]);
	for (size_t i = 0; i < sizeof(tick_order) / sizeof(tick_order[0]); i++)
		fprintf(out, "%13lld %s cpu ticks\n", (long long)f->cpu[tick_order[i]], tick_names[i]);
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
		fprintf(out, "%13lu %s\n", proc_count(&f->vmstat, counts[i][0]), counts[i][1]);
	for (size_t i = 0; i < sizeof(stats) / sizeof(stats[0]); i++)
		fprintf(out, "%13lu %s\n", proc_count(&f->stat, stats[i][0]), stats[i][1]);
}

/* The lines between two headers: a window's 24 rows, less 3 (winhi, off a terminal). */
#define VMSTAT_HEIGHT 21

/* slabformat: each cache of /proc/slabinfo, by name: its objects in use, all its objects, their size,
 * objects per slab. */
static int vmstat_slabs(struct interp *in, const struct stmt *st)
{
	struct seq_file s;
	int ret;

	seq_init(&s);
	if ((ret = procfs_load(in, st->loc, st->command.cmd->name, "/proc/slabinfo", &s))) {
		seq_release(&s);
		return ret;
	}
	/* the kernel lists caches newest first; sorting the lines sorts them by name */
	int n = 0;
	char **lines = xcalloc(s.count / 2 + 1, sizeof(*lines));
	for (char *line = s.buf, *eol; line < s.buf + s.count; line = eol + 1) {
		eol = strchr(line, '\n');
		*eol = '\0';
		if (*line != '#' && strncmp(line, "slabinfo", 8))
			lines[n++] = line;
	}
	qsort(lines, (size_t)n, sizeof(*lines), compare_strings);
	for (int i = 0; i < n; i++) {
		char name[64];
		unsigned int active, num, size, per_slab;

		if (i % VMSTAT_HEIGHT == 0)
			fprintf(in->out, "%-24s %6s %6s %6s %6s\n", "Cache", "Num", "Total", "Size", "Pages");
		if (sscanf(lines[i], "%63s %u %u %u %u", name, &active, &num, &size, &per_slab) == 5)
			fprintf(in->out, "%-24.24s %6u %6u %6u %6u\n", name, active, num, size, per_slab);
	}
	free(lines);
	seq_release(&s);
	return 0;
}

/* The default report, then with DELAY COUNT one more every DELAY seconds of the machine's clock,
 * which moves as a `tick` would move it: vmstat sleeps, the machine goes on. */
static int vmstat_reports(struct interp *in, const struct stmt *st, const struct vmstat_args *args,
			  struct vmstat_files *f)
{
	struct vmstat_counts then, now;
	uint64_t ns = (uint64_t)args->delay * 1000000000ULL;
	int ret;

	if (args->delay && in->limits.max_tick_ns && ns > in->limits.max_tick_ns)
		return interp_error(in, st->loc, "vmstat: the delay is more than one tick may be");
	vmstat_header(in->out, args);
	vmstat_report(in->out, args, f);
	vmstat_counts(f, &then);
	for (unsigned int i = 1; i < args->count; i++, then = now) {
		machine_tick(in->m, ns);
		if (i % VMSTAT_HEIGHT == 0)
			vmstat_header(in->out, args);
		vmstat_files_release(f);
		if ((ret = vmstat_files_read(in, st, f)))
			return ret;
		vmstat_counts(f, &now);
		vmstat_delta(in->out, args, f, &then, &now);
		if (in->check && (ret = interp_check(in, st->loc)))
			return ret;
	}
	return 0;
}

static int vmstat_run(struct interp *in, const struct stmt *st, struct value *result)
{
	struct vmstat_args args;
	struct vmstat_files f;
	int ret;

	(void)result;
	vmstat_parse(NULL, st, &args, &ret);	/* checked when parsed */
	if (args.mode == SLABSTAT)
		return vmstat_slabs(in, st);
	if (!(ret = vmstat_files_read(in, st, &f))) {
		if (args.mode == VMSTAT)
			ret = vmstat_reports(in, st, &args, &f);
		else if (args.mode == VMSUMSTAT)
			vmstat_sums(in->out, &args, &f);
		else
			fprintf(in->out, "%13lu forks\n", proc_count(&f.stat, "processes"));
	}
	vmstat_files_release(&f);
	return ret;
}

static const struct command procps_cmds[] = {
	{ "free", "w*", NULL, CMD_MACHINE, free_check, free_run,
	  "free [-b|-k|-m|-g|--kilo|--mega|--giga|--si] [-h] [-w] [-t] [-l] [-v]",
	  "memory in use and free, as procps free prints it from /proc/meminfo" },
	{ "vmstat", "w*", NULL, CMD_MACHINE, vmstat_check, vmstat_run,
	  "vmstat [-a] [-w] [-s] [-f] [-m] [-S k|K|m|M] [DELAY COUNT]",
	  "memory, swap, I/O and CPU since boot (then every DELAY seconds of the machine's clock), as procps vmstat prints them" },
	{ "top", "w*", NULL, CMD_MACHINE, top_check, top_run, "top [-b] [-n 1]",
	  "the summary and every task, as procps top -b -n 1 prints them from /proc" },
};

const struct command_table cmd_procps_table = {
	"monitoring: procps free, vmstat and top over the machine's /proc", procps_cmds,
	sizeof(procps_cmds) / sizeof(procps_cmds[0]),
};
