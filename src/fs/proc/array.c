/*
 * /proc/PID/stat, status and statm (fs/proc/array.c), for processes and kernel threads alike: a
 * kernel thread has a /proc/PID directory with these three files, its memory lines empty or 0 as
 * it has no mm. A process is running (R), as the machine runs each one's commands when the script
 * says; a kernel thread sleeps (S) between its runs from the clock.
 */
#include <stdlib.h>

#include <mmlab/kthread.h>
#include <mmlab/mm.h>
#include <mmlab/seq_file.h>

#include "fs/proc/internal.h"

bool proc_task_get(struct machine *m, const char *arg, struct proc_task *t)
{
	const struct task_struct *tsk = find_task(m, arg);
	const struct kthread *k;
	char *end;
	long pid;

	if (tsk) {
		*t = (struct proc_task){ tsk->pid, tsk->ppid, tsk->comm, 'R', tsk->uid, tsk };
		return true;
	}
	pid = strtol(arg, &end, 10);
	k = *arg >= '0' && *arg <= '9' && !*end && pid > 0 && pid < PID_MAX_DEFAULT ? find_kthread_by_pid(m, (int)pid)
										      : NULL;
	if (!k)
		return false;
	*t = (struct proc_task){ k->pid, KTHREADD_PID, k->comm, 'S', 0, NULL };
	return true;
}

static bool proc_task_lookup(struct machine *m, const char *arg)
{
	struct proc_task t;

	return proc_task_get(m, arg, &t);
}

/* get_task_state: the State line's words for a state letter (task_state_array). */
static const char *get_task_state(char state)
{
	return state == 'R' ? "R (running)" : "S (sleeping)";
}

/* proc_pid_status: the identity lines (task_state), the memory lines of a task with an mm
 * (task_mem), the thread count. */
static int status_show(struct machine *m, struct seq_file *s, const char *arg)
{
	struct proc_task t;

	proc_task_get(m, arg, &t);
	seq_printf(s, "Name:\t%s\nState:\t%s\nTgid:\t%d\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n", t.comm,
		   get_task_state(t.state), t.pid, t.pid, t.ppid);
	seq_printf(s, "Uid:\t%u\t%u\t%u\t%u\nGid:\t0\t0\t0\t0\nKthread:\t%d\n", t.uid, t.uid, t.uid, t.uid, !t.tsk);
	if (t.tsk)
		task_mem(s, t.tsk->mm);
	seq_puts(s, "Threads:\t1\n");
	return 0;
}

/* proc_pid_statm: size resident shared text lib data dt, in pages; all 0 without an mm. */
static int statm_show(struct machine *m, struct seq_file *s, const char *arg)
{
	unsigned long size = 0, resident = 0, shared = 0, text = 0, data = 0;
	struct proc_task t;

	proc_task_get(m, arg, &t);
	if (t.tsk)
		size = task_statm(t.tsk->mm, &shared, &text, &data, &resident);
	seq_printf(s, "%lu %lu %lu %lu 0 %lu 0\n", size, resident, shared, text, data);
	return 0;
}

/* do_task_stat: the 52 fields of /proc/PID/stat. What is not modelled - times, signals, the
 * terminal, flags, arguments and environment - is 0; the limits are the defaults (RLIMIT_RSS
 * infinite), the exit signal SIGCHLD, priority 20. A kernel thread has no process group, session
 * or memory. */
static int stat_show(struct machine *m, struct seq_file *s, const char *arg)
{
	const struct mm_struct *mm;
	struct proc_task t;

	proc_task_get(m, arg, &t);
	mm = t.tsk ? t.tsk->mm : NULL;
	seq_printf(s, "%d (%s) %c %d %d %d 0 -1 0 %lu 0 %lu 0 0 0 0 0 20 0 1 0 0 %lu %lu %lu", t.pid, t.comm, t.state,
		   t.ppid, mm ? t.pid : 0, mm ? t.pid : 0, t.tsk ? t.tsk->min_flt : 0, t.tsk ? t.tsk->maj_flt : 0,
		   mm ? mm->total_vm << PAGE_SHIFT : 0, mm ? get_mm_rss(mm) : 0, ~0UL);
	seq_printf(s, " %lu %lu %lu 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 %lu %lu %lu 0 0 0 0 0\n", mm ? mm->start_code : 0,
		   mm ? mm->end_code : 0, mm ? mm->start_stack : 0, mm ? mm->start_data : 0, mm ? mm->end_data : 0,
		   mm ? mm->start_brk : 0);
	return 0;
}

const struct proc_entry array_proc_entries[] = {
	{ .path = "/proc/*/status", .lookup = proc_task_lookup, .show = status_show },
	{ .path = "/proc/*/statm", .lookup = proc_task_lookup, .show = statm_show },
	{ .path = "/proc/*/stat", .lookup = proc_task_lookup, .show = stat_show },
	{ .path = NULL },
};
