/* /proc/PID files of the task itself (fs/proc/base.c): limits; the directories' pids in order. */
#include <mmlab/kthread.h>
#include <mmlab/sched.h>
#include <mmlab/seq_file.h>

#include "fs/proc/internal.h"

/* lnames: each limit's name and unit, in RLIMIT_ order (fs/proc/base.c). */
static const struct limit_names {
	const char *name;
	const char *unit;
} lnames[RLIM_NLIMITS] = {
	[RLIMIT_CPU] = { "Max cpu time", "seconds" },
	[RLIMIT_FSIZE] = { "Max file size", "bytes" },
	[RLIMIT_DATA] = { "Max data size", "bytes" },
	[RLIMIT_STACK] = { "Max stack size", "bytes" },
	[RLIMIT_CORE] = { "Max core file size", "bytes" },
	[RLIMIT_RSS] = { "Max resident set", "bytes" },
	[RLIMIT_NPROC] = { "Max processes", "processes" },
	[RLIMIT_NOFILE] = { "Max open files", "files" },
	[RLIMIT_MEMLOCK] = { "Max locked memory", "bytes" },
	[RLIMIT_AS] = { "Max address space", "bytes" },
	[RLIMIT_LOCKS] = { "Max file locks", "locks" },
	[RLIMIT_SIGPENDING] = { "Max pending signals", "signals" },
	[RLIMIT_MSGQUEUE] = { "Max msgqueue size", "bytes" },
	[RLIMIT_NICE] = { "Max nice priority", NULL },
	[RLIMIT_RTPRIO] = { "Max realtime priority", NULL },
	[RLIMIT_RTTIME] = { "Max realtime timeout", "us" },
};

static bool limits_lookup(struct machine *m, const char *arg)
{
	return find_task(m, arg) != NULL;
}

/* A limit's value in its column: "unlimited" or the number, left-aligned in 20. */
static void limit_value(struct seq_file *s, unsigned long v)
{
	if (v == RLIM_INFINITY)
		seq_printf(s, "%-20s ", "unlimited");
	else
		seq_printf(s, "%-20lu ", v);
}

/* proc_pid_limits: a header, then a line per limit: name, soft, hard, unit. */
static int limits_show(struct machine *m, struct seq_file *s, const char *arg)
{
	const struct task_struct *tsk = find_task(m, arg);

	seq_printf(s, "%-25s %-20s %-20s %-10s\n", "Limit", "Soft Limit", "Hard Limit", "Units");
	for (int i = 0; i < RLIM_NLIMITS; i++) {
		seq_printf(s, "%-25s ", lnames[i].name);
		limit_value(s, tsk->rlim[i].rlim_cur);
		limit_value(s, tsk->rlim[i].rlim_max);
		if (lnames[i].unit)
			seq_printf(s, "%-10s", lnames[i].unit);
		seq_putc(s, '\n');
	}
	return 0;
}

int next_tgid(struct machine *m, int pid)
{
	struct task_struct *tsk;
	int next = 0;

	if (m->tasks)
		list_for_each_entry(tsk, &m->tasks->tasks, tasks)
			if (tsk->pid > pid && (!next || tsk->pid < next))
				next = tsk->pid;
	for (const struct kthread *k = m->kthreads; k; k = k->next)
		if (k->pid > pid && (!next || k->pid < next))
			next = k->pid;
	return next;
}

const struct proc_entry base_proc_entries[] = {
	{ .path = "/proc/*/limits", .lookup = limits_lookup, .show = limits_show },
	{ .path = NULL },
};
