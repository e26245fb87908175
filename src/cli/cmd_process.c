/*
 * Processes and their memory as commands: spawn, fork and exit; the system calls a process makes
 * (`a: buf = mmap 16M rw private,anon`, munmap, mprotect, brk, sbrk); its loads and stores; verify,
 * and pagewalk, which shows how the MMU translates an address. A process that touches what it may
 * not dies of its signal, as on Linux, and the script goes on.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <mmlab/mm.h>
#include <mmlab/mman.h>
#include <mmlab/syscalls.h>
#include <mmlab/user.h>
#include <mmlab/seq_file.h>

#include "cli/cli.h"

static const struct {
	const char *name;
	int signo;
} signal_names[] = {
	{ "SIGABRT", SIGABRT }, { "SIGBUS", SIGBUS }, { "SIGKILL", SIGKILL }, { "SIGSEGV", SIGSEGV },
};

int signal_by_name(const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(signal_names) / sizeof(signal_names[0]); i++)
		if (strlen(signal_names[i].name) == len && !memcmp(signal_names[i].name, name, len))
			return signal_names[i].signo;
	return -1;
}

static const char *signal_name(int signo)
{
	for (size_t i = 0; i < sizeof(signal_names) / sizeof(signal_names[0]); i++)
		if (signal_names[i].signo == signo)
			return signal_names[i].name;
	return "no signal";
}

/* The process called NAME (or with pid NAME), or a located error. */
static struct task_struct *lookup_task(struct interp *in, struct loc loc, const char *name)
{
	struct task_struct *tsk = in->m ? find_task(in->m, name) : NULL;

	if (!tsk)
		interp_error(in, loc, "no process named %s", name);
	return tsk;
}

/* The process a `NAME: command` runs in. */
static struct task_struct *stmt_task(struct interp *in, const struct stmt *st)
{
	return lookup_task(in, st->proc_loc, st->proc);
}

int process_prefix_error(struct interp *in, const struct stmt *st)
{
	if (!in->m || !find_task(in->m, st->proc))
		return interp_error(in, st->proc_loc, "no process named %s", st->proc);
	return interp_error(in, st->loc, "%s does not run in a process", st->command.cmd->name);
}

int expect_signal_run(struct interp *in, const struct stmt *st)
{
	char values[64];
	int ret;

	in->signal = 0;
	if ((ret = interp_exec(in, st->command.nested)))
		return ret;
	if (in->signal != st->command.signo) {
		snprintf(values, sizeof(values), "the process got %s", signal_name(in->signal));
		expect_failed(in, st, values);
	}
	return 0;
}

/* A command that runs in a process needs the `NAME:` prefix. */
static int needs_process(struct parser *p, const struct stmt *st)
{
	if (st->proc)
		return 0;
	return parser_error(p, st->loc, "%s runs in a process (usage: %s)", st->command.cmd->name, st->command.cmd->usage);
}

/* ---- spawn NAME [exe=PATH], fork PARENT CHILD, exit NAME ---- */

/* What alloc_task's errors mean for a new process called name. */
static int new_task_error(struct interp *in, const struct arg *name, const char *what, int err)
{
	if (err == -EEXIST)
		return interp_error(in, name->loc, "%s: a process named %s exists", what, name->str.s);
	if (err == -EINVAL)
		return interp_error(in, name->loc, "%s: '%s' is not a process name: up to %d letters, digits and '_', "
				    "not starting with a digit", what, name->str.s, TASK_COMM_LEN - 1);
	return interp_error(in, name->loc, "%s: %s", what, strerror(-err));
}

static const struct cmd_option spawn_opts[] = { { "exe", SPEC_WORD }, { NULL, 0 } };

static int spawn_run(struct interp *in, const struct stmt *st, struct value *result)
{
	const struct arg *exe = &st->command.opts[0];
	const char *name = st->command.args[0].str.s;
	struct task_struct *tsk;
	char msg[320];
	int err;

	tsk = spawn_task(in->m, name, exe->type == ARG_NONE ? NULL : exe->str.s, &err, msg, sizeof(msg));
	if (!tsk && msg[0])
		return interp_error(in, exe->loc, "spawn: %s", msg);
	if (!tsk)
		return new_task_error(in, &st->command.args[0], "spawn", err);
	*result = value_int(tsk->pid);
	return 0;
}

static int fork_run(struct interp *in, const struct stmt *st, struct value *result)
{
	const struct arg *child = &st->command.args[1];
	struct task_struct *parent = lookup_task(in, st->command.args[0].loc, st->command.args[0].str.s), *tsk;
	int err;

	if (!parent)
		return CLI_ERROR;
	tsk = kernel_clone(in->m, parent, child->str.s, &err);
	if (!tsk && (err == -ENOMEM || err == -EAGAIN)) {
		*result = value_int(err);	/* what fork() returns: the script goes on */
		return 0;
	}
	if (!tsk)
		return new_task_error(in, child, "fork", err);
	*result = value_int(tsk->pid);
	return 0;
}

static int exit_run(struct interp *in, const struct stmt *st, struct value *result)
{
	struct task_struct *tsk = lookup_task(in, st->command.args[0].loc, st->command.args[0].str.s);

	(void)result;
	if (!tsk)
		return CLI_ERROR;
	do_exit(in->m, tsk);
	return 0;
}

/* ---- PROT and FLAGS ---- */

/* "none", or letters of rwx each at most once: the PROT_* bits, or -1. */
static long parse_prot(const char *s)
{
	long prot = 0;

	if (!strcmp(s, "none"))
		return PROT_NONE;
	for (; *s; s++) {
		long bit = *s == 'r' ? PROT_READ : *s == 'w' ? PROT_WRITE : *s == 'x' ? PROT_EXEC : -1;

		if (bit < 0 || (prot & bit))
			return -1;
		prot |= bit;
	}
	return prot ? prot : -1;
}

static const struct {
	const char *name;
	unsigned long flag;
} map_names[] = {
	{ "private", MAP_PRIVATE },	 { "shared", MAP_SHARED },	     { "anonymous", MAP_ANONYMOUS },
	{ "anon", MAP_ANONYMOUS },	 { "fixed", MAP_FIXED },	     { "fixed_noreplace", MAP_FIXED_NOREPLACE },
	{ "populate", MAP_POPULATE }, { "noreserve", MAP_NORESERVE },
};

static long map_flag(const char *name)
{
	for (size_t i = 0; i < sizeof(map_names) / sizeof(map_names[0]); i++)
		if (!strcmp(map_names[i].name, name))
			return (long)map_names[i].flag;
	return -1;
}

static unsigned long parse_map_flags(const struct arg *a)
{
	unsigned long flags = 0;

	for (int i = 0; i < a->list.n; i++)
		flags |= (unsigned long)map_flag(a->list.items[i]);
	return flags;
}

static int check_prot_arg(struct parser *p, const struct arg *a)
{
	if (parse_prot(a->str.s) < 0)
		return parser_error(p, a->loc, "bad protection '%s': none, or letters of rwx", a->text);
	return 0;
}

static int mmap_check(struct parser *p, const struct stmt *st)
{
	const struct arg *flags = &st->command.args[2];

	if (needs_process(p, st) || check_prot_arg(p, &st->command.args[1]))
		return -1;
	for (int i = 0; i < flags->list.n; i++)
		if (map_flag(flags->list.items[i]) < 0)
			return parser_error(p, flags->list.locs[i], "mmap: unknown flag '%s' (private, shared, anon, fixed, "
					    "fixed_noreplace, populate, noreserve)", flags->list.items[i]);
	return 0;
}

static int mprotect_check(struct parser *p, const struct stmt *st)
{
	return needs_process(p, st) || check_prot_arg(p, &st->command.args[2]) ? -1 : 0;
}

/* ---- the system calls ---- */

/* The process of a `NAME: command` and the values of its first n arguments; 0, or the status of
 * the error reported. */
static int task_args(struct interp *in, const struct stmt *st, int n, uint64_t *v, struct task_struct **tsk)
{
	*tsk = stmt_task(in, st);
	if (!*tsk)
		return CLI_ERROR;
	memset(v, 0, (size_t)n * sizeof(*v));
	for (int i = 0; i < n; i++) {
		struct value val;
		int ret = eval_arg(in, &st->command.args[i], &val);

		if (ret)
			return ret;
		v[i] = (uint64_t)val.v;
	}
	return 0;
}

/* A system call's return value: an address, or a negative errno. */
static struct value syscall_value(long ret)
{
	return ret < 0 ? value_int(ret) : value_addr((uint64_t)ret);
}

enum { MMAP_OPT_ADDR };
static const struct cmd_option mmap_opts[] = { [MMAP_OPT_ADDR] = { "addr", SPEC_EXPR }, { NULL, 0 } };

static int mmap_run(struct interp *in, const struct stmt *st, struct value *result)
{
	const struct arg *addr_opt = &st->command.opts[MMAP_OPT_ADDR];
	struct value addr = value_int(0);
	struct task_struct *tsk;
	uint64_t len;
	int ret;

	if ((ret = task_args(in, st, 1, &len, &tsk)) ||
	    (addr_opt->type != ARG_NONE && (ret = eval_arg(in, addr_opt, &addr))))
		return ret;
	*result = syscall_value(sys_mmap(tsk, (unsigned long)addr.v, len, (unsigned long)parse_prot(st->command.args[1].str.s),
					 parse_map_flags(&st->command.args[2])));
	return 0;
}

static int munmap_run(struct interp *in, const struct stmt *st, struct value *result)
{
	struct task_struct *tsk;
	uint64_t v[2];
	int ret = task_args(in, st, 2, v, &tsk);

	if (!ret)
		*result = value_int(sys_munmap(tsk, v[0], v[1]));
	return ret;
}

static int mprotect_run(struct interp *in, const struct stmt *st, struct value *result)
{
	struct task_struct *tsk;
	uint64_t v[2];
	int ret = task_args(in, st, 2, v, &tsk);

	if (!ret)
		*result = value_int(sys_mprotect(tsk, v[0], v[1], (unsigned long)parse_prot(st->command.args[2].str.s)));
	return ret;
}

static int brk_run(struct interp *in, const struct stmt *st, struct value *result)
{
	struct task_struct *tsk;
	uint64_t brk;
	int ret = task_args(in, st, 1, &brk, &tsk);

	if (!ret)
		*result = syscall_value(sys_brk(tsk, brk));
	return ret;
}

/* sbrk INCREMENT, as the C library builds it on brk: the old break, or -ENOMEM. */
static int sbrk_run(struct interp *in, const struct stmt *st, struct value *result)
{
	struct task_struct *tsk;
	uint64_t incr;
	long old;
	int ret = task_args(in, st, 1, &incr, &tsk);

	if (ret)
		return ret;
	old = sys_brk(tsk, 0);
	*result = sys_brk(tsk, (unsigned long)old + incr) == (long)(old + (long)incr) ? value_addr((uint64_t)old)
										      : value_int(-ENOMEM);
	return 0;
}

/* ---- mremap ADDR OLD_LEN NEW_LEN [maymove[,fixed]] [addr=NEW_ADDR] ---- */

static int mremap_check(struct parser *p, const struct stmt *st)
{
	if (needs_process(p, st))
		return -1;
	if (st->command.nargs > 4)
		return parser_error(p, st->command.args[4].loc, "mremap: too many arguments (usage: %s)",
				    st->command.cmd->usage);
	for (int i = 0; st->command.nargs == 4 && i < st->command.args[3].list.n; i++)
		if (strcmp(st->command.args[3].list.items[i], "maymove") && strcmp(st->command.args[3].list.items[i], "fixed"))
			return parser_error(p, st->command.args[3].list.locs[i], "mremap: unknown flag '%s' (maymove, fixed)",
					    st->command.args[3].list.items[i]);
	return 0;
}

static unsigned long mremap_flags(const struct stmt *st)
{
	unsigned long flags = 0;

	for (int i = 0; st->command.nargs == 4 && i < st->command.args[3].list.n; i++)
		flags |= strcmp(st->command.args[3].list.items[i], "maymove") ? MREMAP_FIXED : MREMAP_MAYMOVE;
	return flags;
}

static int mremap_run(struct interp *in, const struct stmt *st, struct value *result)
{
	const struct arg *addr_opt = &st->command.opts[MMAP_OPT_ADDR];
	struct value new_addr = value_int(0);
	struct task_struct *tsk;
	uint64_t v[3];
	int ret;

	if ((ret = task_args(in, st, 3, v, &tsk)) ||
	    (addr_opt->type != ARG_NONE && (ret = eval_arg(in, addr_opt, &new_addr))))
		return ret;
	*result = syscall_value(sys_mremap(tsk, v[0], v[1], v[2], mremap_flags(st), (unsigned long)new_addr.v));
	return 0;
}

/* ---- mlock, munlock, mlockall, munlockall ---- */

static int mlock_run(struct interp *in, const struct stmt *st, struct value *result)
{
	struct task_struct *tsk;
	uint64_t v[2];
	int ret = task_args(in, st, 2, v, &tsk);

	if (!ret)
		*result = value_int(strcmp(st->command.cmd->name, "mlock") ? sys_munlock(tsk, v[0], v[1])
									   : sys_mlock(tsk, v[0], v[1]));
	return ret;
}

static int mlockall_check(struct parser *p, const struct stmt *st)
{
	const struct arg *a = &st->command.args[0];

	if (needs_process(p, st))
		return -1;
	for (int i = 0; i < a->list.n; i++)
		if (strcmp(a->list.items[i], "current") && strcmp(a->list.items[i], "future"))
			return parser_error(p, a->list.locs[i], "mlockall: unknown flag '%s' (current, future)",
					    a->list.items[i]);
	return 0;
}

static int mlockall_run(struct interp *in, const struct stmt *st, struct value *result)
{
	const struct arg *a = &st->command.args[0];
	struct task_struct *tsk = stmt_task(in, st);
	int flags = 0;

	if (!tsk)
		return CLI_ERROR;
	for (int i = 0; i < a->list.n; i++)
		flags |= strcmp(a->list.items[i], "current") ? MCL_FUTURE : MCL_CURRENT;
	*result = value_int(sys_mlockall(tsk, flags));
	return 0;
}

static int munlockall_run(struct interp *in, const struct stmt *st, struct value *result)
{
	struct task_struct *tsk = stmt_task(in, st);

	if (!tsk)
		return CLI_ERROR;
	*result = value_int(sys_munlockall(tsk));
	return 0;
}

/* ---- madvise ---- */

static const struct {
	const char *name;
	int advice;
} advice_names[] = {
	{ "dontneed", MADV_DONTNEED },	 { "dontfork", MADV_DONTFORK },	    { "dofork", MADV_DOFORK },
	{ "wipeonfork", MADV_WIPEONFORK }, { "keeponfork", MADV_KEEPONFORK },
};

static int advice_by_name(const char *name)
{
	for (size_t i = 0; i < sizeof(advice_names) / sizeof(advice_names[0]); i++)
		if (!strcmp(advice_names[i].name, name))
			return advice_names[i].advice;
	return -1;
}

static int madvise_check(struct parser *p, const struct stmt *st)
{
	const struct arg *a = &st->command.args[2];

	if (needs_process(p, st))
		return -1;
	if (advice_by_name(a->str.s) < 0)
		return parser_error(p, a->loc, "madvise: unknown advice '%s' (dontneed, dontfork, dofork, wipeonfork, "
				    "keeponfork)", a->text);
	return 0;
}

static int madvise_run(struct interp *in, const struct stmt *st, struct value *result)
{
	struct task_struct *tsk;
	uint64_t v[2];
	int ret = task_args(in, st, 2, v, &tsk);

	if (!ret)
		*result = value_int(sys_madvise(tsk, v[0], v[1], advice_by_name(st->command.args[2].str.s)));
	return ret;
}

/* ---- the C library: malloc, calloc, realloc, free, mallopt ---- */

static int malloc_run(struct interp *in, const struct stmt *st, struct value *result)
{
	struct task_struct *tsk;
	uint64_t n;
	int ret = task_args(in, st, 1, &n, &tsk);

	if (!ret)
		*result = value_addr(user_malloc(in->m, tsk, n, &in->signal));
	return ret;
}

static int calloc_run(struct interp *in, const struct stmt *st, struct value *result)
{
	struct task_struct *tsk;
	uint64_t v[2];
	int ret = task_args(in, st, 2, v, &tsk);

	if (!ret)
		*result = value_addr(user_calloc(in->m, tsk, v[0], v[1], &in->signal));
	return ret;
}

static int realloc_run(struct interp *in, const struct stmt *st, struct value *result)
{
	struct task_struct *tsk;
	uint64_t v[2];
	int ret = task_args(in, st, 2, v, &tsk);

	if (!ret)
		*result = value_addr(user_realloc(in->m, tsk, v[0], v[1], &in->signal));
	return ret;
}

static int free_run(struct interp *in, const struct stmt *st, struct value *result)
{
	struct task_struct *tsk;
	uint64_t p;
	int ret = task_args(in, st, 1, &p, &tsk);

	(void)result;
	if (!ret)
		in->signal = user_free(in->m, tsk, p);
	return ret;
}

static int mallopt_check(struct parser *p, const struct stmt *st)
{
	const struct arg *a = &st->command.args[0];

	if (needs_process(p, st))
		return -1;
	if (strcmp(a->str.s, "mmap_threshold"))
		return parser_error(p, a->loc, "mallopt: unknown parameter '%s' (mmap_threshold)", a->text);
	return 0;
}

static int mallopt_run(struct interp *in, const struct stmt *st, struct value *result)
{
	struct task_struct *tsk = stmt_task(in, st);
	struct value v;
	int ret;

	(void)result;
	if (!tsk)
		return CLI_ERROR;
	if (!(ret = eval_arg(in, &st->command.args[1], &v)))
		user_mallopt_mmap_threshold(in->m, tsk, (unsigned long)v.v, &in->signal);
	return ret;
}

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

static int access_size(struct interp *in, const struct stmt *st, int i, unsigned int *size)
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

/* ---- verify, pagewalk ---- */

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

static int pagewalk_run(struct interp *in, const struct stmt *st, struct value *result)
{
	struct task_struct *tsk = lookup_task(in, st->command.args[0].loc, st->command.args[0].str.s);
	const struct paging_mode *pm;
	struct pt_walk w;
	struct value addr;
	int ret;

	if (!tsk)
		return CLI_ERROR;
	if ((ret = eval_arg(in, &st->command.args[1], &addr)))
		return ret;
	pm = tsk->mm->pm;
	pt_walk(tsk->mm, (unsigned long)addr.v, &w);
	fprintf(in->out, "%s[%d] %#" PRIx64 " (%s paging):\n", tsk->comm, tsk->pid, (uint64_t)addr.v, pm->name);
	for (int level = 0; level < w.levels; level++) {
		char flags[64];

		pte_flags_decode(pm, w.entry[level], flags, sizeof(flags));
		fprintf(in->out, "  %-3s %4u  %0*" PRIx64 "  %s\n", pm->level[level].name, w.index[level],
			pm->entry_size * 2, w.entry[level], flags);
	}
	if (w.mapped)
		fprintf(in->out, "  -> phys %#" PRIx64 " (pfn %#" PRIx64 ")\n", w.phys, w.phys >> PAGE_SHIFT);
	else
		fprintf(in->out, "  -> not mapped\n");
	*result = value_addr(w.mapped ? w.phys : 0);
	return 0;
}

/* pagemap NAME ADDR [LEN]: each page's pagemap entry, decoded; a line per page, so LEN is bounded. */
#define PAGEMAP_MAX_PAGES	65536UL

static int pagemap_check(struct parser *p, const struct stmt *st)
{
	if (st->command.nargs > 3)
		return parser_error(p, st->command.args[3].loc, "pagemap: too many arguments (usage: %s)",
				    st->command.cmd->usage);
	return 0;
}

static int pagemap_run(struct interp *in, const struct stmt *st, struct value *result)
{
	struct task_struct *tsk = lookup_task(in, st->command.args[0].loc, st->command.args[0].str.s);
	struct value addr, len = value_int(PAGE_SIZE);
	int ret;

	if (!tsk)
		return CLI_ERROR;
	if ((ret = eval_arg(in, &st->command.args[1], &addr)) ||
	    (st->command.nargs > 2 && (ret = eval_arg(in, &st->command.args[2], &len))))
		return ret;
	if (len.v < 0 || (uint64_t)len.v > PAGEMAP_MAX_PAGES * PAGE_SIZE)
		return interp_error(in, st->command.args[2].loc, "pagemap: LEN is 0 to %luM", PAGEMAP_MAX_PAGES >> 8);
	for (unsigned long a = (unsigned long)addr.v & PAGE_MASK; a < (unsigned long)(addr.v + len.v); a += PAGE_SIZE) {
		uint64_t e = pagemap_entry(tsk->mm, a);

		*result = value_int((int64_t)e);
		fprintf(in->out, "%#lx %016" PRIx64, a, e);
		if (e & PM_PRESENT)
			fprintf(in->out, " present pfn=%#" PRIx64, e & PM_PFRAME_MASK);
		fprintf(in->out, "%s%s%s%s\n", e & PM_SWAP ? " swapped" : "", e & PM_MMAP_EXCLUSIVE ? " exclusive" : "",
			e & PM_FILE ? " file/shared-anon" : "", e & PM_SOFT_DIRTY ? " soft-dirty" : "");
	}
	return 0;
}

/* The task whose address space is loaded, or NULL. */
static const struct task_struct *mm_owner(struct machine *m, const struct mm_struct *mm)
{
	const struct task_struct *tsk;

	list_for_each_entry(tsk, &m->tasks->tasks, tasks)
		if (tsk->mm == mm)
			return tsk;
	return NULL;
}

/* tlb: each CPU's TLB: whose translations it holds, its hits, misses and flushes. */
static int tlb_run(struct interp *in, const struct stmt *st, struct value *result)
{
	static const struct tlb idle;

	(void)st;
	(void)result;
	for (int cpu = 0; cpu < in->m->nr_cpu_ids; cpu++) {
		const struct tlb *tlb = in->m->tasks ? &in->m->tasks->tlb[cpu] : &idle;
		const struct task_struct *owner = tlb->loaded_mm ? mm_owner(in->m, tlb->loaded_mm) : NULL;

		fprintf(in->out, "cpu%d: %-15s hits %lu misses %lu flushes %lu\n", cpu, owner ? owner->comm : "-",
			tlb->hits, tlb->misses, tlb->flushes);
	}
	return 0;
}

/* rmap PFN: what maps a page frame, found from the page as reclaim finds it (mm/rmap.c). */
static int print_mapping(struct vm_area_struct *vma, unsigned long addr, void *arg)
{
	struct interp *in = arg;
	const struct task_struct *owner = mm_owner(in->m, vma->vm_mm);

	fprintf(in->out, "  %s[%d] %#lx %c%c%c%c\n", owner->comm, owner->pid, addr, vma->vm_flags & VM_READ ? 'r' : '-',
		vma->vm_flags & VM_WRITE ? 'w' : '-', vma->vm_flags & VM_EXEC ? 'x' : '-',
		vma->vm_flags & VM_MAYSHARE ? 's' : 'p');
	return 0;
}

static int rmap_run(struct interp *in, const struct stmt *st, struct value *result)
{
	struct value pfn;
	struct page *page;
	int ret;

	if ((ret = eval_arg(in, &st->command.args[0], &pfn)))
		return ret;
	if (pfn.v < 0 || !pfn_valid(in->m, (unsigned long)pfn.v))
		return interp_error(in, st->command.args[0].loc, "rmap: no page frame %#lx", (unsigned long)pfn.v);
	page = pfn_to_page(in->m, (unsigned long)pfn.v);
	*result = value_int(page_has_type(page) || page->_mapcount < 0 ? 0 : page->_mapcount + 1);
	fprintf(in->out, "pfn %#lx: %s, mapcount %" PRId64 ", refcount %d\n", (unsigned long)pfn.v,
		result->v == 0 ? "not mapped" : PageAnon(page) ? "anonymous" : "shmem", result->v, page_ref_count(page));
	if (result->v)
		rmap_walk(in->m, page, print_mapping, in);
	return 0;
}

#define PROC_FLAGS (CMD_PROCESS | CMD_MACHINE)

static const struct command process_cmds[] = {
	{ "spawn", "w", spawn_opts, CMD_RESULT | CMD_MACHINE, NULL, spawn_run, "[PID =] spawn NAME [exe=PATH]",
	  "start a process: a default program, or the layout of an ELF file" },
	{ "fork", "ww", NULL, CMD_RESULT | CMD_MACHINE, NULL, fork_run, "[PID =] fork PARENT CHILD",
	  "fork: the child shares the parent's pages copy-on-write (PID, or -ENOMEM)" },
	{ "exit", "w", NULL, CMD_MACHINE, NULL, exit_run, "exit NAME", "the process exits; its memory is freed" },
	{ "mmap", "ewl", mmap_opts, PROC_FLAGS | CMD_RESULT, mmap_check, mmap_run,
	  "NAME: [A =] mmap LEN PROT FLAGS [addr=ADDR]", "map memory: PROT none or rwx letters, FLAGS private,anon,..." },
	{ "munmap", "ee", NULL, PROC_FLAGS | CMD_RESULT, needs_process, munmap_run, "NAME: [R =] munmap ADDR LEN",
	  "unmap a range: 0 or -errno" },
	{ "mprotect", "eew", NULL, PROC_FLAGS | CMD_RESULT, mprotect_check, mprotect_run,
	  "NAME: [R =] mprotect ADDR LEN PROT", "change a range's protection: 0 or -errno" },
	{ "mremap", "eeel*", mmap_opts, PROC_FLAGS | CMD_RESULT, mremap_check, mremap_run,
	  "NAME: [A =] mremap ADDR OLD_LEN NEW_LEN [maymove[,fixed]] [addr=NEW_ADDR]",
	  "grow or shrink a mapping, in place or (maymove) moved: the new address or -errno" },
	{ "mlock", "ee", NULL, PROC_FLAGS | CMD_RESULT, needs_process, mlock_run, "NAME: [R =] mlock ADDR LEN",
	  "lock a range: faulted in now, VM_LOCKED, counted in VmLck" },
	{ "munlock", "ee", NULL, PROC_FLAGS | CMD_RESULT, needs_process, mlock_run, "NAME: [R =] munlock ADDR LEN",
	  "unlock a range" },
	{ "mlockall", "l", NULL, PROC_FLAGS | CMD_RESULT, mlockall_check, mlockall_run,
	  "NAME: [R =] mlockall current[,future]", "lock every mapping (current) and every later one (future)" },
	{ "munlockall", "", NULL, PROC_FLAGS | CMD_RESULT, needs_process, munlockall_run, "NAME: [R =] munlockall",
	  "unlock everything, now and later" },
	{ "madvise", "eew", NULL, PROC_FLAGS | CMD_RESULT, madvise_check, madvise_run,
	  "NAME: [R =] madvise ADDR LEN ADVICE", "advice: dontneed, dontfork, dofork, wipeonfork, keeponfork" },
	{ "brk", "e", NULL, PROC_FLAGS | CMD_RESULT, needs_process, brk_run, "NAME: [B =] brk ADDR",
	  "move the heap's end: the new break (brk 0: the current one)" },
	{ "sbrk", "e", NULL, PROC_FLAGS | CMD_RESULT, needs_process, sbrk_run, "NAME: [B =] sbrk INCREMENT",
	  "grow or shrink the heap: the old break, or -ENOMEM" },
	{ "malloc", "e", NULL, PROC_FLAGS | CMD_RESULT, needs_process, malloc_run, "NAME: [P =] malloc SIZE",
	  "the C library's malloc: from the brk heap, or a mapping of its own from 128K" },
	{ "calloc", "ee", NULL, PROC_FLAGS | CMD_RESULT, needs_process, calloc_run, "NAME: [P =] calloc N SIZE",
	  "malloc of N * SIZE zeroed bytes" },
	{ "realloc", "ee", NULL, PROC_FLAGS | CMD_RESULT, needs_process, realloc_run, "NAME: [P =] realloc P SIZE",
	  "a new block with the old one's bytes; the old one is freed" },
	{ "free", "e", NULL, PROC_FLAGS, needs_process, free_run, "NAME: free P",
	  "give a block back: coalesced, binned, or the heap's top trimmed with brk" },
	{ "mallopt", "we", NULL, PROC_FLAGS, mallopt_check, mallopt_run, "NAME: mallopt mmap_threshold SIZE",
	  "from which size malloc uses mmap (glibc's M_MMAP_THRESHOLD)" },
	{ "write", "ee", write_opts, PROC_FLAGS, write_check, write_run,
	  "NAME: write ADDR LEN [fill=seq|zero|rand|0xNN]", "the process writes a range (seq: checked by verify)" },
	{ "read", "ee", NULL, PROC_FLAGS, needs_process, read_run, "NAME: read ADDR LEN", "the process reads a range" },
	{ "load", "ee*", NULL, PROC_FLAGS | CMD_RESULT, load_check, load_run, "NAME: [V =] load ADDR [SIZE]",
	  "a load of SIZE (1, 2, 4, 8) bytes" },
	{ "store", "eee*", NULL, PROC_FLAGS, store_check, store_run, "NAME: store ADDR VALUE [SIZE]",
	  "a store of SIZE (1, 2, 4, 8) bytes" },
	{ "verify", "", NULL, CMD_MACHINE, NULL, verify_run, "verify",
	  "every byte written with fill=seq reads back (a failure counts as a failed expect)" },
	{ "pagewalk", "we", NULL, CMD_MACHINE | CMD_RESULT, NULL, pagewalk_run, "[P =] pagewalk NAME ADDR",
	  "each level's index, entry and flags, then the physical address" },
	{ "pagemap", "wee*", NULL, CMD_MACHINE | CMD_RESULT, pagemap_check, pagemap_run, "[E =] pagemap NAME ADDR [LEN]",
	  "each page's /proc/PID/pagemap entry: frame, present, swapped, exclusive, file/shared-anon" },
	{ "rmap", "e", NULL, CMD_MACHINE | CMD_RESULT, NULL, rmap_run, "[N =] rmap PFN",
	  "every process and address mapping a page frame, found by the reverse map; N: the mapcount" },
	{ "tlb", "", NULL, CMD_MACHINE, NULL, tlb_run, "tlb",
	  "each CPU's TLB: the process loaded, hits, misses and flushes" },
};

const struct command_table cmd_process_table = {
	"processes and address spaces (kernel/fork.c, mm/mmap.c, mm/memory.c)", process_cmds,
	sizeof(process_cmds) / sizeof(process_cmds[0]),
};
