/*
 * Processes as commands: spawn, fork and exit; the `NAME:` prefix that runs a command in a process
 * (the helpers the other process commands share: cmd_mmap.c, cmd_malloc.c, cmd_access.c); and the
 * signals a process dies of. A process that touches what it may not dies of its signal, as on Linux,
 * and the script goes on.
 */
#include <errno.h>
#include <string.h>

#include <mmlab/mm.h>
#include <mmlab/syscalls.h>

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
struct task_struct *lookup_task(struct interp *in, struct loc loc, const char *name)
{
	struct task_struct *tsk = in->m ? find_task(in->m, name) : NULL;

	if (!tsk)
		interp_error(in, loc, "no process named %s", name);
	return tsk;
}

/* The process a `NAME: command` runs in. */
struct task_struct *stmt_task(struct interp *in, const struct stmt *st)
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
int needs_process(struct parser *p, const struct stmt *st)
{
	if (st->proc)
		return 0;
	return parser_error(p, st->loc, "%s runs in a process (usage: %s)", st->command.cmd->name, st->command.cmd->usage);
}

/* The process of a `NAME: command` and the values of its first n arguments; 0, or the status of
 * the error reported. */
int task_args(struct interp *in, const struct stmt *st, int n, uint64_t *v, struct task_struct **tsk)
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
	if (!tsk && (err == -ENOMEM || err == -EAGAIN)) {
		/* what fork() or exec returns when the machine has nothing left (the OOM killer found
		 * no victim): the script goes on without the process */
		interp_note(in, st->command.args[0].loc, "spawn: %s not started: %s", name, strerror(-err));
		*result = value_int(err);
		return 0;
	}
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

/* NAME: [R =] exec PATH: execve; its return value (0, or -ENOENT, -ENOEXEC, -ENOMEM, the process
 * going on in its old address space). */
static int exec_run(struct interp *in, const struct stmt *st, struct value *result)
{
	struct task_struct *tsk = stmt_task(in, st);
	char msg[320];

	if (!tsk)
		return CLI_ERROR;
	*result = value_int(do_execve(in->m, tsk, st->command.args[0].str.s, msg, sizeof(msg)));
	return 0;
}

/* The resources setrlimit takes, by their RLIMIT_ names in lower case; -1 for another. */
static int rlimit_resource(const char *name)
{
	return !strcmp(name, "stack") ? RLIMIT_STACK : !strcmp(name, "memlock") ? RLIMIT_MEMLOCK : -1;
}

/* NAME: [R =] setrlimit stack|memlock SOFT [HARD]: the hard limit stays what it was when not given. */
static int setrlimit_check(struct parser *p, const struct stmt *st)
{
	if (needs_process(p, st))
		return -1;
	if (rlimit_resource(st->command.args[0].str.s) < 0)
		return parser_error(p, st->command.args[0].loc, "setrlimit: unknown resource '%s' (stack, memlock)",
				    st->command.args[0].text);
	if (st->command.nargs > 3)
		return parser_error(p, st->command.args[3].loc, "setrlimit: too many arguments (usage: %s)",
				    st->command.cmd->usage);
	return 0;
}

static int setrlimit_run(struct interp *in, const struct stmt *st, struct value *result)
{
	struct task_struct *tsk = stmt_task(in, st);
	int resource = rlimit_resource(st->command.args[0].str.s);
	struct rlimit rlim;
	struct value v;
	int ret;

	if (!tsk)
		return CLI_ERROR;
	rlim = tsk->rlim[resource];
	if ((ret = eval_arg(in, &st->command.args[1], &v)))
		return ret;
	rlim.rlim_cur = (unsigned long)v.v;
	if (st->command.nargs == 3) {
		if ((ret = eval_arg(in, &st->command.args[2], &v)))
			return ret;
		rlim.rlim_max = (unsigned long)v.v;
	}
	*result = value_int(sys_setrlimit(tsk, (unsigned int)resource, &rlim));
	return 0;
}

/* NAME: [R =] setuid UID */
static int setuid_run(struct interp *in, const struct stmt *st, struct value *result)
{
	struct task_struct *tsk = stmt_task(in, st);
	struct value v;
	int ret;

	if (!tsk)
		return CLI_ERROR;
	if ((ret = eval_arg(in, &st->command.args[0], &v)))
		return ret;
	if (v.v < 0 || v.v > UINT32_MAX)
		return interp_error(in, st->command.args[0].loc, "setuid: %lld is not a user id", (long long)v.v);
	*result = value_int(sys_setuid(tsk, (unsigned int)v.v));
	return 0;
}

static const struct command process_cmds[] = {
	{ "spawn", "w", spawn_opts, CMD_RESULT | CMD_MACHINE, NULL, spawn_run, "[PID =] spawn NAME [exe=PATH]",
	  "start a process: a default program, or the layout of an ELF file (PID, or -ENOMEM)" },
	{ "fork", "ww", NULL, CMD_RESULT | CMD_MACHINE, NULL, fork_run, "[PID =] fork PARENT CHILD",
	  "fork: the child shares the parent's pages copy-on-write (PID, or -ENOMEM)" },
	{ "exit", "w", NULL, CMD_MACHINE, NULL, exit_run, "exit NAME", "the process exits; its memory is freed" },
	{ "exec", "p", NULL, PROC_FLAGS | CMD_RESULT, needs_process, exec_run, "NAME: [R =] exec PATH",
	  "run an ELF program in the process: a new address space, the pid kept (0 or -errno)" },
	{ "setrlimit", "wee*", NULL, PROC_FLAGS | CMD_RESULT, setrlimit_check, setrlimit_run,
	  "NAME: [R =] setrlimit stack|memlock SOFT [HARD]",
	  "RLIMIT_STACK: how far the stack grows; RLIMIT_MEMLOCK: what an unprivileged task may mlock" },
	{ "setuid", "e", NULL, PROC_FLAGS | CMD_RESULT, needs_process, setuid_run, "NAME: [R =] setuid UID",
	  "the task's user id; leaving root (0) drops its capabilities, CAP_IPC_LOCK among them" },
};

const struct command_table cmd_process_table = {
	"processes (kernel/fork.c, kernel/exit.c, fs/exec.c, kernel/sys.c)", process_cmds, sizeof(process_cmds) / sizeof(process_cmds[0]),
};
