/*
 * The C library's allocator in a process, as commands: malloc, calloc, realloc, free and mallopt
 * (glibc's malloc/malloc.c, built on brk and mmap as it is).
 */
#include <string.h>

#include <mmlab/user.h>

#include "cli/cli.h"

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

static const struct command malloc_cmds[] = {
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
};

const struct command_table cmd_malloc_table = {
	"the C library's malloc (glibc malloc/malloc.c)", malloc_cmds, sizeof(malloc_cmds) / sizeof(malloc_cmds[0]),
};
