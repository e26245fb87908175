/*
 * The system calls that shape an address space, made by a process (`a: buf = mmap 16M rw private,anon`):
 * mmap, munmap, mprotect, mremap, mlock and mlockall, madvise, brk and sbrk (mm/mmap.c, mm/mprotect.c,
 * mm/mremap.c, mm/mlock.c, mm/madvise.c). Each returns what the system call returns: an address or 0,
 * or a negative errno.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <mmlab/fs.h>
#include <mmlab/mm.h>
#include <mmlab/mman.h>
#include <mmlab/syscalls.h>

#include "cli/cli.h"

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
	{ "populate", MAP_POPULATE }, { "noreserve", MAP_NORESERVE }, { "locked", MAP_LOCKED },
	{ "hugetlb", MAP_HUGETLB },	 { "huge_2mb", MAP_HUGE_2MB },	     { "huge_1gb", MAP_HUGE_1GB },
	{ "growsdown", MAP_GROWSDOWN },
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
					    "fixed_noreplace, populate, noreserve, locked, hugetlb, huge_2mb, huge_1gb, growsdown)",
					    flags->list.items[i]);
	return 0;
}

static int mprotect_check(struct parser *p, const struct stmt *st)
{
	return needs_process(p, st) || check_prot_arg(p, &st->command.args[2]) ? -1 : 0;
}

/* ---- the system calls ---- */

/* A system call's return value: an address, or a negative errno. */
static struct value syscall_value(long ret)
{
	return ret < 0 ? value_int(ret) : value_addr((uint64_t)ret);
}

enum { MMAP_OPT_ADDR, MMAP_OPT_FILE, MMAP_OPT_OFFSET };
static const struct cmd_option mmap_opts[] = {
	[MMAP_OPT_ADDR] = { "addr", SPEC_EXPR },
	[MMAP_OPT_FILE] = { "file", SPEC_PATH },
	[MMAP_OPT_OFFSET] = { "offset", SPEC_EXPR },
	{ NULL, 0 },
};
static const struct cmd_option mremap_opts[] = { [MMAP_OPT_ADDR] = { "addr", SPEC_EXPR }, { NULL, 0 } };

/* mmap of file=PATH [offset=OFF]: the file opened (-ENOENT and the like as open(2) gives them),
 * mapped, closed again (the mapping holds it). */
static long mmap_file(struct interp *in, const struct stmt *st, struct task_struct *tsk, unsigned long addr,
		      uint64_t len, unsigned long prot, unsigned long flags)
{
	const struct arg *off_opt = &st->command.opts[MMAP_OPT_OFFSET];
	struct value off = value_int(0);
	struct file *file;
	int err;
	long ret;

	if (off_opt->type != ARG_NONE && (err = eval_arg(in, off_opt, &off)))
		return err;
	if (!(file = filp_open(in->m, st->command.opts[MMAP_OPT_FILE].str.s, &err)))
		return err;
	ret = sys_mmap_file(tsk, addr, len, prot, flags, file, (unsigned long)off.v);
	fput(in->m, file);
	return ret;
}

static int mmap_run(struct interp *in, const struct stmt *st, struct value *result)
{
	const struct arg *addr_opt = &st->command.opts[MMAP_OPT_ADDR];
	unsigned long prot = (unsigned long)parse_prot(st->command.args[1].str.s), flags;
	struct value addr = value_int(0);
	struct task_struct *tsk;
	uint64_t len;
	int ret;

	if ((ret = task_args(in, st, 1, &len, &tsk)) ||
	    (addr_opt->type != ARG_NONE && (ret = eval_arg(in, addr_opt, &addr))))
		return ret;
	flags = parse_map_flags(&st->command.args[2]);
	if (st->command.opts[MMAP_OPT_FILE].type != ARG_NONE && !(flags & MAP_ANONYMOUS))
		*result = syscall_value(mmap_file(in, st, tsk, (unsigned long)addr.v, len, prot, flags));
	else
		*result = syscall_value(sys_mmap(tsk, (unsigned long)addr.v, len, prot, flags));
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

/* mlock ADDR LEN [onfault]: mlock, or mlock2 with MLOCK_ONFAULT. */
static int mlock_check(struct parser *p, const struct stmt *st)
{
	if (needs_process(p, st))
		return -1;
	if (st->command.nargs > 3)
		return parser_error(p, st->command.args[3].loc, "mlock: too many arguments (usage: %s)",
				    st->command.cmd->usage);
	if (st->command.nargs == 3 && strcmp(st->command.args[2].str.s, "onfault"))
		return parser_error(p, st->command.args[2].loc, "mlock: unknown flag '%s' (onfault)",
				    st->command.args[2].text);
	return 0;
}

static int mlock_run(struct interp *in, const struct stmt *st, struct value *result)
{
	struct task_struct *tsk;
	uint64_t v[2];
	int ret = task_args(in, st, 2, v, &tsk);

	if (!ret)
		*result = value_int(strcmp(st->command.cmd->name, "mlock")
					    ? sys_munlock(tsk, v[0], v[1])
					    : sys_mlock2(tsk, v[0], v[1], st->command.nargs == 3 ? MLOCK_ONFAULT : 0));
	return ret;
}

static const struct {
	const char *name;
	int flag;
} mcl_names[] = { { "current", MCL_CURRENT }, { "future", MCL_FUTURE }, { "onfault", MCL_ONFAULT } };

static int mcl_flag(const char *name)
{
	for (size_t i = 0; i < sizeof(mcl_names) / sizeof(mcl_names[0]); i++)
		if (!strcmp(mcl_names[i].name, name))
			return mcl_names[i].flag;
	return -1;
}

static int mlockall_check(struct parser *p, const struct stmt *st)
{
	const struct arg *a = &st->command.args[0];

	if (needs_process(p, st))
		return -1;
	for (int i = 0; i < a->list.n; i++)
		if (mcl_flag(a->list.items[i]) < 0)
			return parser_error(p, a->list.locs[i], "mlockall: unknown flag '%s' (current, future, onfault)",
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
		flags |= mcl_flag(a->list.items[i]);
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

/* The advice names madvise takes, joined by ", " (from mm/madvise.c's table). */
static void advice_names(char *buf, size_t size)
{
	const char *name;
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; (name = madvise_advice_name(i)) && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s%s", i ? ", " : "", name);
}

static int madvise_check(struct parser *p, const struct stmt *st)
{
	const struct arg *a = &st->command.args[2];
	char names[256];

	if (needs_process(p, st))
		return -1;
	if (madvise_advice_by_name(a->str.s) < 0) {
		advice_names(names, sizeof(names));
		return parser_error(p, a->loc, "madvise: unknown advice '%s' (%s)", a->text, names);
	}
	return 0;
}

static int madvise_run(struct interp *in, const struct stmt *st, struct value *result)
{
	struct task_struct *tsk;
	uint64_t v[2];
	int ret = task_args(in, st, 2, v, &tsk);

	if (!ret)
		*result = value_int(sys_madvise(tsk, v[0], v[1], madvise_advice_by_name(st->command.args[2].str.s)));
	return ret;
}

static const struct command mmap_cmds[] = {
	{ "mmap", "ewl", mmap_opts, PROC_FLAGS | CMD_RESULT, mmap_check, mmap_run,
	  "NAME: [A =] mmap LEN PROT FLAGS [addr=ADDR] [file=PATH [offset=OFF]]",
	  "map memory or a file: PROT none or rwx letters, FLAGS private,anon,..." },
	{ "munmap", "ee", NULL, PROC_FLAGS | CMD_RESULT, needs_process, munmap_run, "NAME: [R =] munmap ADDR LEN",
	  "unmap a range: 0 or -errno" },
	{ "mprotect", "eew", NULL, PROC_FLAGS | CMD_RESULT, mprotect_check, mprotect_run,
	  "NAME: [R =] mprotect ADDR LEN PROT", "change a range's protection: 0 or -errno" },
	{ "mremap", "eeel*", mremap_opts, PROC_FLAGS | CMD_RESULT, mremap_check, mremap_run,
	  "NAME: [A =] mremap ADDR OLD_LEN NEW_LEN [maymove[,fixed]] [addr=NEW_ADDR]",
	  "grow or shrink a mapping, in place or (maymove) moved: the new address or -errno" },
	{ "mlock", "eew*", NULL, PROC_FLAGS | CMD_RESULT, mlock_check, mlock_run, "NAME: [R =] mlock ADDR LEN [onfault]",
	  "lock a range: VM_LOCKED, counted in VmLck, faulted in now (onfault: as touched); pages unevictable" },
	{ "munlock", "ee", NULL, PROC_FLAGS | CMD_RESULT, needs_process, mlock_run, "NAME: [R =] munlock ADDR LEN",
	  "unlock a range" },
	{ "mlockall", "l", NULL, PROC_FLAGS | CMD_RESULT, mlockall_check, mlockall_run,
	  "NAME: [R =] mlockall current[,future][,onfault]",
	  "lock every mapping (current) and every later one (future); onfault: as pages are touched" },
	{ "munlockall", "", NULL, PROC_FLAGS | CMD_RESULT, needs_process, munlockall_run, "NAME: [R =] munlockall",
	  "unlock everything, now and later" },
	{ "madvise", "eew", NULL, PROC_FLAGS | CMD_RESULT, madvise_check, madvise_run,
	  "NAME: [R =] madvise ADDR LEN ADVICE",
	  "advise the kernel: ADVICE the MADV_ name in lower case (dontneed, free, pageout, ...): 0 or -errno" },
	{ "brk", "e", NULL, PROC_FLAGS | CMD_RESULT, needs_process, brk_run, "NAME: [B =] brk ADDR",
	  "move the heap's end: the new break (brk 0: the current one)" },
	{ "sbrk", "e", NULL, PROC_FLAGS | CMD_RESULT, needs_process, sbrk_run, "NAME: [B =] sbrk INCREMENT",
	  "grow or shrink the heap: the old break, or -ENOMEM" },
};

const struct command_table cmd_mmap_table = {
	"address spaces (mm/mmap.c, mm/mprotect.c, mm/mremap.c, mm/mlock.c, mm/madvise.c)", mmap_cmds,
	sizeof(mmap_cmds) / sizeof(mmap_cmds[0]),
};
