/*
 * The core commands: the machine itself, output, procfs and sysctl, expectations, time, tracing.
 */
#include <inttypes.h>
#include <string.h>

#include <mmlab/machine.h>
#include <mmlab/printk.h>
#include <mmlab/procfs.h>
#include <mmlab/seq_file.h>
#include <mmlab/slab.h>
#include <mmlab/trace.h>

#include "cli/cli.h"

static void write_seq(FILE *out, const struct seq_file *s)
{
	fwrite(s->buf, 1, s->count, out);
}

/* ---- machine ram=SIZE arch=x86_64|i386 nodes=N cpus=N seed=N distance=10,20;20,10 ---- */

enum {
	MACH_RAM, MACH_ARCH, MACH_NODES, MACH_CPUS, MACH_SEED, MACH_DISTANCE, MACH_LA57, MACH_PAE, MACH_ASLR,
	MACH_SLUB_DEBUG
};

static const struct cmd_option machine_opts[] = {
	[MACH_RAM] = { "ram", SPEC_EXPR },	[MACH_ARCH] = { "arch", SPEC_WORD },
	[MACH_NODES] = { "nodes", SPEC_EXPR },	[MACH_CPUS] = { "cpus", SPEC_EXPR },
	[MACH_SEED] = { "seed", SPEC_EXPR },	[MACH_DISTANCE] = { "distance", SPEC_WORD },
	[MACH_LA57] = { "la57", SPEC_EXPR },	[MACH_PAE] = { "pae", SPEC_EXPR },
	[MACH_ASLR] = { "aslr", SPEC_WORD },	[MACH_SLUB_DEBUG] = { "slub_debug", SPEC_WORD },
	{ NULL, 0 },
};

static const struct {
	const char *name;
	enum mm_arch arch;
} arch_names[] = { { "x86_64", ARCH_X86_64 }, { "i386", ARCH_I386 } };

static int arch_by_name(const char *name)
{
	for (size_t i = 0; i < sizeof(arch_names) / sizeof(arch_names[0]); i++)
		if (!strcmp(arch_names[i].name, name))
			return (int)arch_names[i].arch;
	return -1;
}

/* One distance, 1..255, at *s; -1 if there is none. */
static int parse_one_distance(const char **s)
{
	const char *digits = *s;
	int v = 0;

	while (**s >= '0' && **s <= '9' && v <= 255)
		v = v * 10 + (*(*s)++ - '0');
	return *s == digits || v < 1 || v > 255 ? -1 : v;
}

/* "10,20;20,10": rows of node distances, as many numbers in each row as there are rows.
 * NULL, or what is wrong. */
static const char *parse_distance(const char *s, int dist[MAX_NUMNODES][MAX_NUMNODES], int *rows)
{
	static const char bad[] = "expected rows of numbers 1..255 such as 10,20;20,10";
	int cols = 0;

	for (*rows = 0;; s++) {
		int n = 0, v;

		if (*rows == MAX_NUMNODES)
			return "more rows than a machine can have nodes";
		for (;; s++) {
			if ((v = parse_one_distance(&s)) < 0 || n == MAX_NUMNODES)
				return bad;
			dist[*rows][n++] = v;
			if (*s != ',')
				break;
		}
		if (*rows && n != cols)
			return "every row needs as many numbers as the first";
		cols = n;
		++*rows;
		if (*s != ';')
			break;
	}
	if (*s != '\0')
		return bad;
	return cols == *rows ? NULL : "the matrix needs as many columns as rows";
}

static int machine_check_args(struct parser *p, const struct stmt *st)
{
	const struct arg *arch = &st->command.opts[MACH_ARCH], *dist = &st->command.opts[MACH_DISTANCE];
	const struct arg *aslr = &st->command.opts[MACH_ASLR], *slub = &st->command.opts[MACH_SLUB_DEBUG];
	int matrix[MAX_NUMNODES][MAX_NUMNODES], rows;
	const char *err, *names;
	slab_flags_t flags;

	if (arch->type != ARG_NONE && arch_by_name(arch->str.s) < 0)
		return parser_error(p, arch->loc, "machine: unknown arch '%s' (x86_64 or i386)", arch->text);
	if (dist->type != ARG_NONE && (err = parse_distance(dist->str.s, matrix, &rows)))
		return parser_error(p, dist->loc, "machine: distance: %s", err);
	if (aslr->type != ARG_NONE && strcmp(aslr->str.s, "on") && strcmp(aslr->str.s, "off"))
		return parser_error(p, aslr->loc, "machine: aslr is on or off, not '%s'", aslr->text);
	if (slub->type != ARG_NONE && (strlen(slub->str.s) >= sizeof(((struct machine_config *)0)->slub_debug) ||
				       parse_slub_debug_flags(slub->str.s, &flags, &names)))
		return parser_error(p, slub->loc, "machine: slub_debug takes letters of FZPUT or '-', then "
				    "optionally ,cache,cache...: not '%s'", slub->text);
	return 0;
}

/* An optional integer option into *out, within [min, max]. */
static int opt_int(struct interp *in, const struct arg *a, const char *what, int64_t min, int64_t max,
		   int64_t *out)
{
	return a->type == ARG_NONE ? 0 : eval_arg_range(in, a, what, min, max, out);
}

/* The paging options: la57=0|1 (x86_64), pae=0|1 (i386), aslr=on|off. */
static int paging_opts(struct interp *in, const struct arg *opts, struct machine_config *cfg)
{
	int64_t la57 = 0, pae = 0;
	int ret;

	if ((ret = opt_int(in, &opts[MACH_LA57], "machine: la57", 0, 1, &la57)) ||
	    (ret = opt_int(in, &opts[MACH_PAE], "machine: pae", 0, 1, &pae)))
		return ret;
	cfg->la57 = la57;
	cfg->pae = pae;
	cfg->norandmaps = opts[MACH_ASLR].type != ARG_NONE && !strcmp(opts[MACH_ASLR].str.s, "off");
	if (opts[MACH_SLUB_DEBUG].type != ARG_NONE)	/* its length was checked when parsed */
		snprintf(cfg->slub_debug, sizeof(cfg->slub_debug), "%s", opts[MACH_SLUB_DEBUG].str.s);
	return 0;
}

static int machine_run(struct interp *in, const struct stmt *st, struct value *result)
{
	const struct arg *opts = st->command.opts;
	struct machine_config cfg;
	int64_t ram, nodes, cpus, seed;
	int ret, rows;

	(void)result;
	machine_config_default(&cfg);
	ram = (int64_t)cfg.ram;
	nodes = cfg.nodes;
	cpus = cfg.cpus;
	seed = (int64_t)cfg.seed;
	if ((ret = opt_int(in, &opts[MACH_RAM], "machine: ram", 1, INT64_MAX, &ram)) ||
	    (ret = opt_int(in, &opts[MACH_NODES], "machine: nodes", 1, MAX_NUMNODES, &nodes)) ||
	    (ret = opt_int(in, &opts[MACH_CPUS], "machine: cpus", 1, NR_CPUS, &cpus)) ||
	    (ret = opt_int(in, &opts[MACH_SEED], "machine: seed", INT64_MIN, INT64_MAX, &seed)) ||
	    (ret = paging_opts(in, opts, &cfg)))
		return ret;
	cfg.ram = (uint64_t)ram;
	cfg.nodes = (int)nodes;
	cfg.cpus = (int)cpus;
	cfg.seed = (uint64_t)seed;
	if (opts[MACH_ARCH].type != ARG_NONE)
		cfg.arch = (enum mm_arch)arch_by_name(opts[MACH_ARCH].str.s);
	if (opts[MACH_DISTANCE].type != ARG_NONE) {
		parse_distance(opts[MACH_DISTANCE].str.s, cfg.distance, &rows);	/* checked when parsed */
		if (rows != cfg.nodes)
			return interp_error(in, opts[MACH_DISTANCE].loc, "machine: distance has %d rows for %d nodes",
					    rows, cfg.nodes);
		cfg.distance_given = true;
	}
	return interp_boot(in, &cfg, st->loc);
}

/* ---- echo ARGS... [> PATH] ---- */

/* The arguments as echo prints them: strings as they are, values formatted, one space between. */
static int echo_text(struct interp *in, const struct stmt *st, struct seq_file *s)
{
	for (int i = 0; i < st->command.nargs; i++) {
		const struct arg *a = &st->command.args[i];
		char buf[VALUE_BUFSZ];
		struct value val;
		int ret;

		if (i)
			seq_putc(s, ' ');
		if (a->type == ARG_STRING) {
			seq_puts(s, a->str.s);
			continue;
		}
		if ((ret = eval_arg(in, a, &val)))
			return ret;
		seq_puts(s, value_format(val, buf, sizeof(buf)));
	}
	seq_putc(s, '\n');
	return 0;
}

/* What `echo TEXT > PATH` does: write TEXT and its newline through procfs. */
static int write_file(struct interp *in, struct loc loc, const char *what, const char *path,
		      const char *text, size_t len)
{
	struct machine *m = interp_machine(in, loc);
	int err;

	if (!m)
		return CLI_ERROR;
	err = procfs_write(m, path, text, len);
	return err < 0 ? interp_errno(in, loc, what, path, err) : 0;
}

static int echo_run(struct interp *in, const struct stmt *st, struct value *result)
{
	const struct arg *redirect = &st->command.redirect;
	struct seq_file s;
	int ret;

	(void)result;
	seq_init(&s);
	ret = echo_text(in, st, &s);
	if (!ret && redirect->type == ARG_NONE)
		write_seq(in->out, &s);
	else if (!ret)
		ret = write_file(in, redirect->loc, "echo", redirect->str.s, s.buf, s.count);
	seq_release(&s);
	return ret;
}

/* ---- sysctl KEY[=VALUE], cat PATH, dmesg ---- */

static int sysctl_run(struct interp *in, const struct stmt *st, struct value *result)
{
	const struct arg *a = &st->command.args[0];
	const char *key = a->setting.key;
	char path[512];
	struct seq_file s;
	int ret;

	(void)result;
	sysctl_path(key, strlen(key), path, sizeof(path));
	seq_init(&s);
	if (a->setting.value) {
		seq_puts(&s, a->setting.value);
		seq_putc(&s, '\n');
		ret = write_file(in, a->loc, "sysctl", path, s.buf, s.count);
	} else if (!(ret = procfs_load(in, a->loc, "sysctl", path, &s))) {
		/* As sysctl(8) shows a setting: "vm.swappiness = 60". */
		while (s.count && s.buf[s.count - 1] == '\n')
			s.count--;
		fprintf(in->out, "%s = %.*s\n", key, (int)s.count, s.buf ? s.buf : "");
	}
	seq_release(&s);
	return ret;
}

static int cat_run(struct interp *in, const struct stmt *st, struct value *result)
{
	const struct arg *a = &st->command.args[0];
	struct seq_file s;
	int ret;

	(void)result;
	seq_init(&s);
	if (!(ret = procfs_load(in, a->loc, "cat", a->str.s, &s)))
		write_seq(in->out, &s);
	seq_release(&s);
	return ret;
}

static int dmesg_run(struct interp *in, const struct stmt *st, struct value *result)
{
	struct seq_file s;

	(void)st;
	(void)result;
	seq_init(&s);
	log_dump(in->m, &s);
	write_seq(in->out, &s);
	seq_release(&s);
	return 0;
}

/* ---- expect CONDITION ---- */

void expect_failed(struct interp *in, const struct stmt *st, const char *values)
{
	fflush(in->out);
	fprintf(in->err, "%s:%d: expect failed: %s (%s)\n", in->file, st->loc.line, st->command.args[0].text,
		values);
	in->expect_failures++;
}

static int expect_run(struct interp *in, const struct stmt *st, struct value *result)
{
	const struct expr *e = st->command.nested ? NULL : st->command.args[0].expr;
	char values[2 * VALUE_BUFSZ + 16], l[VALUE_BUFSZ], r[VALUE_BUFSZ];
	struct value lhs, rhs;
	int ret;

	(void)result;
	if (st->command.nested)
		return expect_signal_run(in, st);
	if (!expr_is_comparison(e)) {
		/* expect VALUE holds when the value is not zero */
		if ((ret = eval(in, e, &lhs)))
			return ret;
		snprintf(values, sizeof(values), "value=%s", value_format(lhs, l, sizeof(l)));
		if (!lhs.v)
			expect_failed(in, st, values);
		return 0;
	}
	if ((ret = eval(in, e->bin.lhs, &lhs)) || (ret = eval(in, e->bin.rhs, &rhs)))
		return ret;
	if (!value_compare(e->bin.op, lhs, rhs)) {
		snprintf(values, sizeof(values), "left=%s, right=%s", value_format(lhs, l, sizeof(l)),
			 value_format(rhs, r, sizeof(r)));
		expect_failed(in, st, values);
	}
	return 0;
}

/* ---- tick DURATION, cpu N, check ---- */

static int tick_run(struct interp *in, const struct stmt *st, struct value *result)
{
	int64_t max = in->limits.max_tick_ns ? (int64_t)in->limits.max_tick_ns : INT64_MAX, ns;
	int ret;

	(void)result;
	if ((ret = eval_arg_range(in, &st->command.args[0], "tick: duration", 0, max, &ns)))
		return ret;
	machine_tick(in->m, (uint64_t)ns);
	return 0;
}

static int cpu_run(struct interp *in, const struct stmt *st, struct value *result)
{
	int64_t cpu;
	int ret;

	(void)result;
	if ((ret = eval_arg_range(in, &st->command.args[0], "cpu", 0, in->m->nr_cpu_ids - 1, &cpu)))
		return ret;
	in->m->this_cpu = (int)cpu;
	return 0;
}

static int check_run(struct interp *in, const struct stmt *st, struct value *result)
{
	int ret = interp_check(in, st->loc);

	(void)result;
	if (!ret)
		fputs("ok\n", in->out);
	return ret;
}

/* ---- trace NAME,NAME,... | trace off ---- */

static bool is_off(const struct arg *a)
{
	return a->list.n == 1 && !strcmp(a->list.items[0], "off");
}

static int trace_check_args(struct parser *p, const struct stmt *st)
{
	const struct arg *a = &st->command.args[0];

	if (is_off(a))
		return 0;
	for (int i = 0; i < a->list.n; i++)
		if (trace_event_by_name(a->list.items[i], strlen(a->list.items[i])) < 0)
			return parser_error(p, a->list.locs[i], "trace: unknown tracepoint '%s'", a->list.items[i]);
	return 0;
}

static int trace_run(struct interp *in, const struct stmt *st, struct value *result)
{
	const struct arg *a = &st->command.args[0];

	(void)result;
	if (is_off(a)) {
		memset(in->m->trace.enabled, 0, sizeof(in->m->trace.enabled));
		return 0;
	}
	for (int i = 0; i < a->list.n; i++)
		in->m->trace.enabled[trace_event_by_name(a->list.items[i], strlen(a->list.items[i]))] = true;
	return 0;
}

static const struct command core_cmds[] = {
	{ "machine", "", machine_opts, 0, machine_check_args, machine_run,
	  "machine [ram=SIZE] [arch=x86_64|i386] [nodes=N] [cpus=N] [seed=N] [distance=10,20;20,10] "
	  "[la57=0|1] [pae=0|1] [aslr=on|off] [slub_debug=FZPU[,CACHE...]]",
	  "boot (or reboot) the machine" },
	{ "echo", "v*", NULL, CMD_REDIRECT, NULL, echo_run, "echo [\"TEXT\"|VALUE]... [> PATH]",
	  "print the arguments, or write them to a procfs file" },
	{ "sysctl", "s", NULL, CMD_MACHINE, NULL, sysctl_run, "sysctl KEY[=VALUE]",
	  "set a tunable (vm.swappiness=100), or show it" },
	{ "cat", "p", NULL, CMD_MACHINE, NULL, cat_run, "cat PATH", "print a procfs or sysfs file" },
	{ "expect", "c", NULL, 0, NULL, expect_run,
	  "expect VALUE [==|!=|<|<=|>|>= VALUE] | expect signal SIG NAME: COMMAND",
	  "check a condition, or that a command kills its process; a failure is reported (exit 1)" },
	{ "tick", "e", NULL, CMD_MACHINE, NULL, tick_run, "tick DURATION",
	  "advance the simulated clock (500ms, 2s, 10us)" },
	{ "trace", "l", NULL, CMD_MACHINE, trace_check_args, trace_run, "trace NAME[,NAME]... | trace off",
	  "enable tracepoints (their lines go to the output), or disable all" },
	{ "dmesg", "", NULL, CMD_MACHINE, NULL, dmesg_run, "dmesg", "print the kernel log" },
	{ "check", "", NULL, CMD_MACHINE, NULL, check_run, "check",
	  "verify the machine's invariants: \"ok\", or the violations (exit 3)" },
	{ "cpu", "e", NULL, CMD_MACHINE, NULL, cpu_run, "cpu N", "run the next kernel commands on CPU N" },
};

const struct command_table cmd_core_table = {
	"machine and core commands", core_cmds, sizeof(core_cmds) / sizeof(core_cmds[0]),
};
