/*
 * The OOM killer (mm/oom_kill.c, fs/proc/base.c): when reclaim frees nothing for a page fault, the
 * task with the most points - resident pages, swap entries and page-table pages, moved by
 * oom_score_adj in thousandths of RAM + swap - is killed, with the kernel's report in the log.
 * With no task to kill (every one at oom_score_adj -1000) the machine panics, as the kernel does.
 * /proc/PID/oom_score and /proc/PID/oom_score_adj show and tune the choice.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include <mmlab/mm.h>
#include <mmlab/panic.h>
#include <mmlab/printk.h>
#include <mmlab/procfs.h>
#include <mmlab/seq_file.h>
#include <mmlab/vmscan.h>
#include <mmlab/vmstat.h>

#include "fs/proc/internal.h"

#define OOM_SCORE_ADJ_MIN	(-1000)
#define OOM_SCORE_ADJ_MAX	1000

unsigned long oom_totalpages(struct machine *m)
{
	return m->totalram_pages + (unsigned long)total_swap_pages(m);
}

/* oom_badness (mm/oom_kill.c). */
long oom_badness(struct task_struct *tsk, unsigned long totalpages)
{
	struct mm_struct *mm = tsk->mm;
	long points;

	if (tsk->oom_score_adj == OOM_SCORE_ADJ_MIN)
		return LONG_MIN;
	points = (long)get_mm_rss(mm) + mm->rss_stat[MM_SWAPENTS] + (long)(mm->pgtables_bytes / PAGE_SIZE);
	return points + tsk->oom_score_adj * (long)(totalpages / 1000);
}

/* select_bad_process: the highest badness; the later task on a tie, as the kernel's walk does. */
static struct task_struct *select_bad_process(struct machine *m, unsigned long totalpages)
{
	struct task_struct *tsk, *chosen = NULL;
	long chosen_points = LONG_MIN;

	list_for_each_entry(tsk, &m->tasks->tasks, tasks) {
		long points = oom_badness(tsk, totalpages);

		if (points == LONG_MIN || points < chosen_points)
			continue;
		chosen = tsk;
		chosen_points = points;
	}
	return chosen;
}

static unsigned long K(long pages)
{
	return pages < 0 ? 0 : (unsigned long)pages << (PAGE_SHIFT - 10);
}

/* dump_tasks: the task list (memory values in pages). */
static void dump_tasks(struct machine *m, struct seq_file *s)
{
	struct task_struct *tsk;

	seq_puts(s, "Tasks state (memory values in pages):\n"
		    "[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents "
		    "oom_score_adj name\n");
	list_for_each_entry(tsk, &m->tasks->tasks, tasks) {
		struct mm_struct *mm = tsk->mm;

		seq_printf(s, "[%7d] %5u %5d %8lu %8lu %8ld %8ld %9ld %8lu %8ld         %5hd %s\n", tsk->pid, tsk->uid, tsk->pid,
			   mm->total_vm, get_mm_rss(mm), mm->rss_stat[MM_ANONPAGES], mm->rss_stat[MM_FILEPAGES],
			   mm->rss_stat[MM_SHMEMPAGES], mm->pgtables_bytes, mm->rss_stat[MM_SWAPENTS], tsk->oom_score_adj,
			   tsk->comm);
	}
}

/* current->signal->oom_score_adj: the task the command runs as; init (the script) and the kernel
 * threads keep 0. */
static short current_oom_score_adj(struct machine *m)
{
	struct task_struct *tsk = find_task_by_pid(m, m->trace.pid);

	return tsk ? tsk->oom_score_adj : 0;
}

/* dump_header: who invoked the OOM killer and how (the stack below it: oom_kill_process when a victim
 * was chosen), the memory and the task list (mm/oom_kill.c). */
static void dump_header(struct machine *m, const struct oom_control *oc, struct seq_file *s, bool killing)
{
	seq_printf(s, "%s invoked oom-killer: gfp_mask=%#x(", m->trace.comm, oc->gfp_mask);
	format_gfp_flags(s, oc->gfp_mask);
	seq_printf(s, "), order=%u, oom_score_adj=%hd\n", oc->order, current_oom_score_adj(m));
	dump_stack_print_info(m, s);
	seq_printf(s, "Call Trace:\n <TASK>\n dump_stack_lvl\n dump_header\n%s out_of_memory\n%s </TASK>\n",
		   killing ? " oom_kill_process\n" : "", oc->call_path);
	__show_mem(m, s, (int)gfp_zone(m, oc->gfp_mask));
	dump_tasks(m, s);
}

/* oom_kill_process: dump_header, the victim's line (dump_oom_victim) and its kill (mm/oom_kill.c). */
static void oom_kill_process(struct machine *m, const struct oom_control *oc, struct task_struct *victim)
{
	struct mm_struct *mm = victim->mm;
	struct seq_file s;

	seq_init(&s);
	dump_header(m, oc, &s, true);
	seq_printf(&s, "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0");
	if (m->nr_node_ids > 1)
		seq_printf(&s, "-%d", m->nr_node_ids - 1);
	seq_printf(&s, ",global_oom,task_memcg=/,task=%s,pid=%d,uid=%u\n", victim->comm, victim->pid, victim->uid);
	printk_lines(m, KERN_WARNING, s.buf);
	seq_release(&s);
	pr_err(m, "Out of memory: Killed process %d (%s) total-vm:%lukB, anon-rss:%lukB, file-rss:%lukB, "
	       "shmem-rss:%lukB, UID:%u pgtables:%lukB oom_score_adj:%hd\n", victim->pid, victim->comm,
	       K((long)mm->total_vm), K(mm->rss_stat[MM_ANONPAGES]), K(mm->rss_stat[MM_FILEPAGES]),
	       K(mm->rss_stat[MM_SHMEMPAGES]), victim->uid, mm->pgtables_bytes >> 10, victim->oom_score_adj);
	count_vm_event(m, OOM_KILL);
	do_exit(m, victim);
}

/* out_of_memory with no victim: the header, and for the system OOM (neither sysrq nor a memcg's)
 * the panic: the allocation would loop for ever (mm/oom_kill.c). */
static void oom_no_victim(struct machine *m, const struct oom_control *oc)
{
	char call_path[256];
	struct seq_file s;

	seq_init(&s);
	dump_header(m, oc, &s, false);
	printk_lines(m, KERN_WARNING, s.buf);
	seq_release(&s);
	pr_warn(m, "Out of memory and no killable processes...\n");
	snprintf(call_path, sizeof(call_path), " out_of_memory\n%s", oc->call_path);
	panic(m, call_path, "System is deadlocked on memory");
}

int out_of_memory(struct machine *m, const struct oom_control *oc)
{
	struct task_struct *victim;
	int pid;

	if (machine_panicked(m))
		return 0;
	victim = m->tasks ? select_bad_process(m, oom_totalpages(m)) : NULL;
	if (!victim) {
		oom_no_victim(m, oc);
		return 0;
	}
	pid = victim->pid;
	oom_kill_process(m, oc, victim);
	return pid;
}

/* ---- /proc/PID/oom_score, oom_score_adj (fs/proc/base.c) ---- */

static bool oom_task_lookup(struct machine *m, const char *arg)
{
	return find_task(m, arg) != NULL;
}

/* proc_oom_score: the badness scaled into 0..2000 as the kernel has long exported it, then by 2/3. */
static int oom_score_show(struct machine *m, struct seq_file *s, const char *arg)
{
	long totalpages = (long)oom_totalpages(m), badness = oom_badness(find_task(m, arg), oom_totalpages(m));
	unsigned long points = badness == LONG_MIN ? 0 : (unsigned long)((1000 + badness * 1000 / totalpages) * 2 / 3);

	seq_printf(s, "%lu\n", points);
	return 0;
}

static int oom_score_adj_show(struct machine *m, struct seq_file *s, const char *arg)
{
	seq_printf(s, "%hd\n", find_task(m, arg)->oom_score_adj);
	return 0;
}

static int oom_score_adj_write(struct machine *m, const char *arg, const char *text, size_t len)
{
	char buf[32], *end;
	long v;

	if (len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, text, len);
	buf[len] = '\0';
	v = strtol(buf, &end, 10);
	while (*end == ' ' || *end == '\n')
		end++;
	if (end == buf || *end || v < OOM_SCORE_ADJ_MIN || v > OOM_SCORE_ADJ_MAX)
		return -EINVAL;
	find_task(m, arg)->oom_score_adj = (short)v;
	return 0;
}

const struct proc_entry oom_proc_entries[] = {
	{ .path = "/proc/*/oom_score", .lookup = oom_task_lookup, .show = oom_score_show },
	{ .path = "/proc/*/oom_score_adj", .lookup = oom_task_lookup, .show = oom_score_adj_show,
	  .write = oom_score_adj_write },
	{ .path = NULL },
};
