/*
 * The NUMA system calls a process makes (mm/mempolicy.c, mm/migrate.c): set_mempolicy and mbind
 * choose where its pages are allocated, move_pages and migrate_pages move pages already there
 * (`a: r = mbind buf 1M bind move nodes=1`, `a: st = move_pages buf 16 node=1`). Each returns what the
 * system call returns: 0, a count of pages not moved, or a negative errno. numa_access shows what
 * remote memory costs the process's loads and stores.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mmlab/mempolicy.h>
#include <mmlab/migrate.h>
#include <mmlab/mm.h>

#include "cli/cli.h"

/* The most pages one move_pages command names (the status array is the interpreter's). */
#define MOVE_PAGES_MAX	(1L << 20)

/* The maxnode a caller passes for a one-word mask, one more than its bits as libnuma does (get_nodes
 * reads one bit fewer). */
#define MPOL_MAXNODE(mask)	(8 * sizeof(mask) + 1)

/* The MPOL_ mode names in lower case, by their numbers (include/uapi/linux/mempolicy.h). */
static const char *const mpol_names[MPOL_MAX] = { "default", "preferred", "bind", "interleave", "local" };

/* The MPOL_MF_ flags of mbind and move_pages, by their names in lower case. */
static const struct {
	const char *name;
	unsigned long flag;
} mpol_mf_names[] = { { "strict", MPOL_MF_STRICT }, { "move", MPOL_MF_MOVE }, { "move_all", MPOL_MF_MOVE_ALL } };

static bool arg_is(const struct arg *a, const char *name)
{
	return strlen(name) == a->str.len && !memcmp(name, a->str.s, a->str.len);
}

static int mpol_mode_by_name(const struct arg *a)
{
	for (int mode = 0; mode < MPOL_MAX; mode++)
		if (arg_is(a, mpol_names[mode]))
			return mode;
	return -1;
}

static unsigned long mpol_mf_by_name(const struct arg *a)
{
	for (size_t i = 0; i < sizeof(mpol_mf_names) / sizeof(mpol_mf_names[0]); i++)
		if (arg_is(a, mpol_mf_names[i].name))
			return mpol_mf_names[i].flag;
	return 0;
}

/* The node list 0,2-3 as a mask of BITS_PER_LONG bits; -1 at a malformed one. */
static int parse_nodelist(const struct arg *a, unsigned long *mask)
{
	const char *s = a->str.s, *end = s + a->str.len;

	*mask = 0;
	while (s < end) {
		char *e;
		unsigned long lo = strtoul(s, &e, 10), hi = lo;

		if (e == s || !isdigit((unsigned char)*s))
			return -1;
		if (e < end && *e == '-' && (s = e + 1) < end && isdigit((unsigned char)*s))
			hi = strtoul(s, &e, 10);
		if (lo > hi || hi >= 8 * sizeof(*mask) || (e < end && *e != ','))
			return -1;
		for (unsigned long nid = lo; nid <= hi; nid++)
			*mask |= 1UL << nid;
		s = e + (e < end);
	}
	return 0;
}

/* A node list argument checked as the script is read. */
static int nodelist_check(struct parser *p, const struct stmt *st, const struct arg *a)
{
	unsigned long mask;

	if (a->type == ARG_NONE || !parse_nodelist(a, &mask))
		return 0;
	return parser_error(p, a->loc, "%s: bad node list '%s' (node numbers 0..%d, as 0,2-3)", st->command.cmd->name,
			    a->text, (int)(8 * sizeof(mask)) - 1);
}

/* The words after the first `first` arguments: MPOL_MF_ flag names among those allowed. */
static int flags_check(struct parser *p, const struct stmt *st, int first, unsigned long allowed, const char *known)
{
	for (int i = first; i < st->command.nargs; i++) {
		const struct arg *a = &st->command.args[i];

		if (!(mpol_mf_by_name(a) & allowed))
			return parser_error(p, a->loc, "%s: unknown flag '%s' (%s)", st->command.cmd->name, a->text, known);
	}
	return 0;
}

static unsigned long stmt_flags(const struct stmt *st, int first)
{
	unsigned long flags = 0;

	for (int i = first; i < st->command.nargs; i++)
		flags |= mpol_mf_by_name(&st->command.args[i]);
	return flags;
}

/* The mode (argument mode_arg) and nodes= of set_mempolicy and mbind, checked as the script is read. */
static int mpol_args_check(struct parser *p, const struct stmt *st, int mode_arg)
{
	const struct arg *a = &st->command.args[mode_arg];

	if (needs_process(p, st))
		return -1;
	if (mpol_mode_by_name(a) < 0)
		return parser_error(p, a->loc, "%s: unknown mode '%s' (default, preferred, bind, interleave, local)",
				    st->command.cmd->name, a->text);
	return nodelist_check(p, st, &st->command.opts[0]);
}

/* ---- set_mempolicy, mbind ---- */

static const struct cmd_option mpol_opts[] = { { "nodes", SPEC_WORD }, { NULL, 0 } };

static int set_mempolicy_check(struct parser *p, const struct stmt *st)
{
	return mpol_args_check(p, st, 0);
}

static int mbind_check(struct parser *p, const struct stmt *st)
{
	return mpol_args_check(p, st, 2) || flags_check(p, st, 3, MPOL_MF_VALID, "strict, move, move_all");
}

/* The nodemask of a node list argument (none when absent), as the system calls take it. */
static unsigned long arg_nodemask(const struct arg *a)
{
	unsigned long mask = 0;

	if (a->type != ARG_NONE)
		parse_nodelist(a, &mask);
	return mask;
}

static int set_mempolicy_run(struct interp *in, const struct stmt *st, struct value *result)
{
	struct task_struct *tsk = stmt_task(in, st);
	unsigned long mask = arg_nodemask(&st->command.opts[0]);

	if (!tsk)
		return CLI_ERROR;
	*result = value_int(sys_set_mempolicy(tsk, mpol_mode_by_name(&st->command.args[0]), &mask, MPOL_MAXNODE(mask)));
	return 0;
}

static int mbind_run(struct interp *in, const struct stmt *st, struct value *result)
{
	struct task_struct *tsk;
	unsigned long mask = arg_nodemask(&st->command.opts[0]);
	uint64_t v[2];
	int ret = task_args(in, st, 2, v, &tsk);

	if (!ret)
		*result = value_int(sys_mbind(tsk, v[0], v[1], mpol_mode_by_name(&st->command.args[2]), &mask,
					      MPOL_MAXNODE(mask), stmt_flags(st, 3)));
	return ret;
}

/* ---- move_pages, migrate_pages ---- */

enum { MOVE_PAGES_OPT_NODE };
static const struct cmd_option move_pages_opts[] = { [MOVE_PAGES_OPT_NODE] = { "node", SPEC_EXPR }, { NULL, 0 } };

static int move_pages_check(struct parser *p, const struct stmt *st)
{
	if (needs_process(p, st))
		return -1;
	return flags_check(p, st, 2, MPOL_MF_MOVE | MPOL_MF_MOVE_ALL, "move, move_all");
}

/* move_pages ADDR COUNT [FLAG] [node=N]: the COUNT pages from ADDR, to node N, or where they are
 * without node=; each page's status in R[i] when the result goes to a variable R. */
static int move_pages_run(struct interp *in, const struct stmt *st, struct value *result)
{
	const struct arg *node_opt = &st->command.opts[MOVE_PAGES_OPT_NODE];
	struct task_struct *tsk = stmt_task(in, st);
	struct value addr;
	int64_t count, node = 0;
	unsigned long *pages;
	int *nodes, *status, ret;

	if (!tsk || eval_arg(in, &st->command.args[0], &addr) ||
	    eval_arg_range(in, &st->command.args[1], "move_pages: COUNT", 1, MOVE_PAGES_MAX, &count) ||
	    (node_opt->type != ARG_NONE && eval_arg_range(in, node_opt, "move_pages: node", -1, MAX_NUMNODES, &node)))
		return CLI_ERROR;
	pages = xcalloc((size_t)count, sizeof(*pages));
	nodes = xcalloc((size_t)count, sizeof(*nodes));
	status = xcalloc((size_t)count, sizeof(*status));
	for (int64_t i = 0; i < count; i++) {
		pages[i] = (unsigned long)addr.v + (unsigned long)i * PAGE_SIZE;
		nodes[i] = (int)node;
		status[i] = -EINVAL;	/* what a status the call does not reach is left holding */
	}
	ret = (int)sys_move_pages(tsk, (unsigned long)count, pages, node_opt->type != ARG_NONE ? nodes : NULL, status,
				  (int)stmt_flags(st, 2));
	*result = value_int(ret);
	if (st->target.name && !st->target.index)
		for (int64_t i = 0; i < count; i++)
			vars_set(&in->vars, st->target.name, true, i, value_int(status[i]));
	free(pages);
	free(nodes);
	free(status);
	return 0;
}

static int migrate_pages_check(struct parser *p, const struct stmt *st)
{
	if (needs_process(p, st))
		return -1;
	return nodelist_check(p, st, &st->command.args[0]) || nodelist_check(p, st, &st->command.args[1]);
}

static int migrate_pages_run(struct interp *in, const struct stmt *st, struct value *result)
{
	struct task_struct *tsk = stmt_task(in, st);
	unsigned long from = arg_nodemask(&st->command.args[0]), to = arg_nodemask(&st->command.args[1]);

	if (!tsk)
		return CLI_ERROR;
	*result = value_int(sys_migrate_pages(tsk, MPOL_MAXNODE(from), &from, &to));
	return 0;
}

/* numa_access: what the process's loads and stores touched, local and remote, and their cost: the
 * sum of bytes x node_distance, against 10 a byte all local (no kernel counterpart); the sum is the
 * result. */
static int numa_access_run(struct interp *in, const struct stmt *st, struct value *result)
{
	struct task_struct *tsk = stmt_task(in, st);
	unsigned long total, hundredths;

	if (!tsk)
		return CLI_ERROR;
	total = tsk->numa_bytes_local + tsk->numa_bytes_remote;
	hundredths = total ? tsk->numa_access_cost * 10 / total : 100;	/* LOCAL_DISTANCE 10 a byte */
	fprintf(in->out, "%s: %lu bytes local, %lu remote; bytes x distance %lu, %lu.%02lux all local\n", tsk->comm,
		tsk->numa_bytes_local, tsk->numa_bytes_remote, tsk->numa_access_cost, hundredths / 100, hundredths % 100);
	*result = value_int((int64_t)tsk->numa_access_cost);
	return 0;
}

static const struct command mempolicy_cmds[] = {
	{ "set_mempolicy", "w", mpol_opts, PROC_FLAGS | CMD_RESULT, set_mempolicy_check, set_mempolicy_run,
	  "NAME: [R =] set_mempolicy MODE [nodes=LIST]",
	  "the process's NUMA policy: MODE default, preferred, bind, interleave or local; LIST as 0,2-3: 0 or -errno" },
	{ "mbind", "eeww*", mpol_opts, PROC_FLAGS | CMD_RESULT, mbind_check, mbind_run,
	  "NAME: [R =] mbind ADDR LEN MODE [strict] [move|move_all] [nodes=LIST]",
	  "the NUMA policy of a range (VMAs split to fit); move: its misplaced pages migrate: 0 or -errno" },
	{ "move_pages", "eew*", move_pages_opts, PROC_FLAGS | CMD_RESULT, move_pages_check, move_pages_run,
	  "NAME: [R =] move_pages ADDR COUNT [move|move_all] [node=N]",
	  "move COUNT pages from ADDR to node N (without node=: where they are); R[i] each page's status" },
	{ "migrate_pages", "ww", NULL, PROC_FLAGS | CMD_RESULT, migrate_pages_check, migrate_pages_run,
	  "NAME: [R =] migrate_pages FROM TO", "move the process's pages on nodes FROM to nodes TO: pages not moved" },
	{ "numa_access", "", NULL, PROC_FLAGS | CMD_RESULT, needs_process, numa_access_run, "NAME: [C =] numa_access",
	  "the bytes its loads and stores touched on its CPU's node and on others, and their cost by distance" },
};

const struct command_table cmd_mempolicy_table = {
	"NUMA policies and page migration (mm/mempolicy.c, mm/migrate.c)", mempolicy_cmds,
	sizeof(mempolicy_cmds) / sizeof(mempolicy_cmds[0]),
};
