/*
 * A process's loads and stores, as commands: write and read a range, load and store a value; and
 * verify, which checks every byte written with fill=seq reads back. Each access goes through the
 * machine's MMU as a user access would (mm/memory.c); a process that touches what it may not dies
 * of its signal, as on Linux, and the script goes on.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <mmlab/mm.h>
#include <mmlab/user.h>
#include <mmlab/seq_file.h>

#include "cli/cli.h"

/* ---- loads and stores ---- */

enum fill_kind { FILL_SEQ, FILL_ZERO, FILL_RAND, FILL_BYTE };

/* fill=seq|zero|rand|0xNN into kind and byte; false if it is none of them. */
static bool parse_fill(const char *s, enum fill_kind *kind, unsigned char *byte)
{
	char *end;
	unsigned long v;

	if (!strcmp(s, "seq") || !strcmp(s, "zero") || !strcmp(s, "rand")) {
		*kind = s[0] == 's' ? FILL_SEQ : s[0] == 'z' ? FILL_ZERO : FILL_RAND;
		return true;
	}
	v = strtoul(s, &end, 0);
	*kind = FILL_BYTE;
	*byte = (unsigned char)v;
	return *s && !*end && v <= 0xff;
}

static const struct cmd_option write_opts[] = { { "fill", SPEC_WORD }, { NULL, 0 } };

static int write_check(struct parser *p, const struct stmt *st)
{
	const struct arg *fill = &st->command.opts[0];
	enum fill_kind kind;
	unsigned char byte;

	if (needs_process(p, st))
		return -1;
	if (fill->type != ARG_NONE && !parse_fill(fill->str.s, &kind, &byte))
		return parser_error(p, fill->loc, "write: fill is seq, zero, rand or a byte value, not '%s'", fill->text);
	return 0;
}

/* Fill len bytes from addr's page on; rand draws from the machine's generator. */
static void fill_bytes(struct machine *m, unsigned char *p, unsigned long addr, size_t len, enum fill_kind kind,
		       unsigned char byte)
{
	for (size_t i = 0; i < len; i++)
		p[i] = kind == FILL_SEQ ? seq_byte(addr + i) : kind == FILL_RAND ? (unsigned char)machine_random(m)
							       : byte;
}

/* The process touches [addr, addr + len) page by page (writing a fill if write); in->signal says
 * whether it died on the way. */
static void touch_range(struct interp *in, struct task_struct *tsk, unsigned long addr, uint64_t len, bool write,
		       enum fill_kind kind, unsigned char byte)
{
	unsigned long end = addr + len, start = addr;

	in->signal = 0;
	while (addr < end) {
		unsigned long chunk = (addr | ~PAGE_MASK) + 1 - addr;
		unsigned char *p = user_access_page(in->m, tsk, addr, write, &in->signal);

		if (!p)
			return;
		if (chunk > end - addr)
			chunk = end - addr;
		numa_account_access(in->m, tsk, p, chunk);
		if (write)
			fill_bytes(in->m, p, addr, chunk, kind, byte);
		addr += chunk;
	}
	if (write)
		seq_record_write(tsk->mm, start, end, kind == FILL_SEQ);
}

/* The process and the range of read and write; an empty or wrapping range is an error. */
static int range_args(struct interp *in, const struct stmt *st, uint64_t *v, struct task_struct **tsk)
{
	int ret = task_args(in, st, 2, v, tsk);

	if (!ret && (v[1] == 0 || v[0] + v[1] < v[0]))
		return interp_error(in, st->command.args[1].loc, "%s: bad length %" PRIu64, st->command.cmd->name, v[1]);
	return ret;
}

static int write_run(struct interp *in, const struct stmt *st, struct value *result)
{
	const struct arg *fill = &st->command.opts[0];
	enum fill_kind kind = FILL_SEQ;
	struct task_struct *tsk;
	unsigned char byte = 0;
	uint64_t v[2];
	int ret = range_args(in, st, v, &tsk);

	(void)result;
	if (ret)
		return ret;
	if (fill->type != ARG_NONE)
		parse_fill(fill->str.s, &kind, &byte);
	touch_range(in, tsk, v[0], v[1], true, kind, byte);
	return 0;
}

static int read_run(struct interp *in, const struct stmt *st, struct value *result)
{
	struct task_struct *tsk;
	uint64_t v[2];
	int ret = range_args(in, st, v, &tsk);

	(void)result;
	if (!ret)
		touch_range(in, tsk, v[0], v[1], false, FILL_ZERO, 0);
	return ret;
}

/* load and store take SIZE 1, 2, 4 or 8 as their last, optional argument. */
static int sized_check(struct parser *p, const struct stmt *st, int fixed)
{
	if (needs_process(p, st))
		return -1;
	if (st->command.nargs > fixed + 1)
		return parser_error(p, st->command.args[fixed + 1].loc, "%s: too many arguments (usage: %s)",
				    st->command.cmd->name, st->command.cmd->usage);
	return 0;
}

static int load_check(struct parser *p, const struct stmt *st)
{
	return sized_check(p, st, 1);
}

static int store_check(struct parser *p, const struct stmt *st)
{
	return sized_check(p, st, 2);
}

int access_size(struct interp *in, const struct stmt *st, int i, unsigned int *size)
{
	struct value v;
	int ret;

	*size = 8;
	if (st->command.nargs <= i)
		return 0;
	if ((ret = eval_arg(in, &st->command.args[i], &v)))
		return ret;
	if (v.v != 1 && v.v != 2 && v.v != 4 && v.v != 8)
		return interp_error(in, st->command.args[i].loc, "%s: size is 1, 2, 4 or 8, not %" PRId64,
				    st->command.cmd->name, v.v);
	*size = (unsigned int)v.v;
	return 0;
}

/* Little-endian bytes of a load or store, one at a time (they may cross a page); in->signal says
 * whether the process died. */
static void access_value(struct interp *in, struct task_struct *tsk, unsigned long addr, unsigned int size,
			 bool write, uint64_t *val)
{
	unsigned char *p = NULL;
	uint64_t loaded = 0;

	in->signal = 0;
	for (unsigned int i = 0; i < size; i++, p++) {
		/* one translation per page the access touches */
		if ((!i || !((addr + i) & ~PAGE_MASK)) && !(p = user_access_page(in->m, tsk, addr + i, write, &in->signal)))
			return;
		numa_account_access(in->m, tsk, p, 1);
		if (write)
			*p = (unsigned char)(*val >> (8 * i));
		else
			loaded |= (uint64_t)*p << (8 * i);
	}
	if (write)
		seq_record(tsk->mm, addr, addr + size, false);
	else
		*val = loaded;
}

static int load_run(struct interp *in, const struct stmt *st, struct value *result)
{
	struct task_struct *tsk;
	uint64_t addr, val = 0;
	unsigned int size;
	int ret;

	if ((ret = task_args(in, st, 1, &addr, &tsk)) || (ret = access_size(in, st, 1, &size)))
		return ret;
	access_value(in, tsk, addr, size, false, &val);
	*result = value_int((int64_t)val);
	return 0;
}

static int store_run(struct interp *in, const struct stmt *st, struct value *result)
{
	struct task_struct *tsk;
	unsigned int size;
	uint64_t v[2];
	int ret;

	(void)result;
	if ((ret = task_args(in, st, 2, v, &tsk)) || (ret = access_size(in, st, 2, &size)))
		return ret;
	access_value(in, tsk, v[0], size, true, &v[1]);
	return 0;
}

/* ---- verify ---- */

static int verify_run(struct interp *in, const struct stmt *st, struct value *result)
{
	struct task_struct *tsk;
	struct seq_file report;
	int bad = 0;

	(void)result;
	seq_init(&report);
	if (in->m->tasks)
		list_for_each_entry(tsk, &in->m->tasks->tasks, tasks)
			bad += verify_mm(tsk, &report);
	if (bad) {
		fflush(in->out);
		fwrite(report.buf, 1, report.count, in->err);
		fprintf(in->err, "%s:%d: verify failed: %d pages lost bytes written with fill=seq\n", in->file,
			st->loc.line, bad);
		in->expect_failures++;
	}
	seq_release(&report);
	return 0;
}

static const struct command access_cmds[] = {
	{ "write", "ee", write_opts, PROC_FLAGS, write_check, write_run,
	  "NAME: write ADDR LEN [fill=seq|zero|rand|0xNN]", "the process writes a range (seq: checked by verify)" },
	{ "read", "ee", NULL, PROC_FLAGS, needs_process, read_run, "NAME: read ADDR LEN", "the process reads a range" },
	{ "load", "ee*", NULL, PROC_FLAGS | CMD_RESULT, load_check, load_run, "NAME: [V =] load ADDR [SIZE]",
	  "a load of SIZE (1, 2, 4, 8) bytes" },
	{ "store", "eee*", NULL, PROC_FLAGS, store_check, store_run, "NAME: store ADDR VALUE [SIZE]",
	  "a store of SIZE (1, 2, 4, 8) bytes" },
	{ "verify", "", NULL, CMD_MACHINE, NULL, verify_run, "verify",
	  "every byte written with fill=seq reads back (a failure counts as a failed expect)" },
};

const struct command_table cmd_access_table = {
	"loads and stores (mm/memory.c)", access_cmds, sizeof(access_cmds) / sizeof(access_cmds[0]),
};
