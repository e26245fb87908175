/*
 * A process's memory in /proc (fs/proc/task_mmu.c, fs/proc/array.c): /proc/PID/maps, the Vm and
 * Rss lines of /proc/PID/status, /proc/PID/statm and /proc/PID/stat, in the kernel's formats. A process is named
 * by its pid or, in this machine, by its name as well: /proc/a/maps.
 */
#include <mmlab/mm.h>
#include <mmlab/procfs.h>
#include <mmlab/seq_file.h>

#include "fs/proc/internal.h"

static bool task_lookup(struct machine *m, const char *arg)
{
	return find_task(m, arg) != NULL;
}

/* The name column of a VMA: [heap], [stack], shared anonymous memory's /dev/zero, or nothing. */
static const char *vma_name(const struct vm_area_struct *vma)
{
	const struct mm_struct *mm = vma->vm_mm;

	if (vma->shm)
		return "/dev/zero (deleted)";
	if (vma->vm_start <= mm->brk && vma->vm_end >= mm->start_brk)
		return "[heap]";
	if (vma->vm_start <= mm->start_stack && vma->vm_end >= mm->start_stack)
		return "[stack]";
	return NULL;
}

/* show_map_vma: "start-end perms offset dev inode", padded to column 73 before a name. */
static void show_map_vma(struct seq_file *s, const struct vm_area_struct *vma)
{
	unsigned long flags = vma->vm_flags, ino = vma->shm ? shmem_ino(vma->shm) : 0;
	unsigned long long pgoff = vma->shm ? (unsigned long long)vma->vm_pgoff << PAGE_SHIFT : 0;
	const char *name = vma_name(vma);
	size_t line = s->count;

	seq_printf(s, "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu ", vma->vm_start, vma->vm_end,
		   flags & VM_READ ? 'r' : '-', flags & VM_WRITE ? 'w' : '-', flags & VM_EXEC ? 'x' : '-',
		   flags & VM_MAYSHARE ? 's' : 'p', pgoff, 0, vma->shm ? 1 : 0, ino);
	if (name) {
		/* seq_setwidth(25 + 6 * sizeof(void *) - 1), then seq_pad(' ') */
		while (s->count - line < 25 + 6 * sizeof(void *) - 1)
			seq_putc(s, ' ');
		seq_putc(s, ' ');
		seq_puts(s, name);
	}
	seq_putc(s, '\n');
}

static int maps_show(struct machine *m, struct seq_file *s, const char *arg)
{
	struct task_struct *tsk = find_task(m, arg);

	for (const struct vm_area_struct *vma = tsk->mm->mmap; vma; vma = vma->vm_next)
		show_map_vma(s, vma);
	return 0;
}

static void show_kb(struct seq_file *s, const char *name, unsigned long pages)
{
	seq_put_decimal_ull_width(s, name, pages << (PAGE_SHIFT - 10), 8);
	seq_puts(s, " kB\n");
}

/* task_mem: the Vm and Rss lines (fs/proc/task_mmu.c). */
static void task_mem(struct seq_file *s, const struct mm_struct *mm)
{
	unsigned long anon = (unsigned long)mm->rss_stat[MM_ANONPAGES], file = (unsigned long)mm->rss_stat[MM_FILEPAGES];
	unsigned long shmem = (unsigned long)mm->rss_stat[MM_SHMEMPAGES], rss = anon + file + shmem;
	unsigned long hiwater_vm = mm->hiwater_vm > mm->total_vm ? mm->hiwater_vm : mm->total_vm;
	unsigned long hiwater_rss = mm->hiwater_rss > rss ? mm->hiwater_rss : rss;
	unsigned long text = (PAGE_ALIGN(mm->end_code) - (mm->start_code & PAGE_MASK)) >> PAGE_SHIFT;

	if (text > mm->exec_vm)
		text = mm->exec_vm;
	show_kb(s, "VmPeak:\t", hiwater_vm);
	show_kb(s, "VmSize:\t", mm->total_vm);
	show_kb(s, "VmLck:\t", mm->locked_vm);
	show_kb(s, "VmPin:\t", 0);
	show_kb(s, "VmHWM:\t", hiwater_rss);
	show_kb(s, "VmRSS:\t", rss);
	show_kb(s, "RssAnon:\t", anon);
	show_kb(s, "RssFile:\t", file);
	show_kb(s, "RssShmem:\t", shmem);
	show_kb(s, "VmData:\t", mm->data_vm);
	show_kb(s, "VmStk:\t", mm->stack_vm);
	show_kb(s, "VmExe:\t", text);
	show_kb(s, "VmLib:\t", mm->exec_vm - text);
	show_kb(s, "VmPTE:\t", mm->pgtables_bytes >> PAGE_SHIFT);
	show_kb(s, "VmSwap:\t", (unsigned long)mm->rss_stat[MM_SWAPENTS]);
}

/* proc_pid_status: the identity lines, then task_mem (fs/proc/array.c). */
static int status_show(struct machine *m, struct seq_file *s, const char *arg)
{
	struct task_struct *tsk = find_task(m, arg);

	seq_printf(s, "Name:\t%s\nState:\tR (running)\nTgid:\t%d\nPid:\t%d\nPPid:\t%d\n", tsk->comm, tsk->pid, tsk->pid,
		   tsk->ppid);
	task_mem(s, tsk->mm);
	seq_puts(s, "Threads:\t1\n");
	return 0;
}

/* task_statm: size resident shared text lib data dt, in pages (fs/proc/array.c proc_pid_statm). */
static int statm_show(struct machine *m, struct seq_file *s, const char *arg)
{
	const struct mm_struct *mm = find_task(m, arg)->mm;
	unsigned long shared = (unsigned long)(mm->rss_stat[MM_FILEPAGES] + mm->rss_stat[MM_SHMEMPAGES]);
	unsigned long text = (PAGE_ALIGN(mm->end_code) - (mm->start_code & PAGE_MASK)) >> PAGE_SHIFT;

	seq_printf(s, "%lu %lu %lu %lu 0 %lu 0\n", mm->total_vm, shared + (unsigned long)mm->rss_stat[MM_ANONPAGES],
		   shared, text, mm->data_vm + mm->stack_vm);
	return 0;
}

/* do_task_stat: the 52 fields of /proc/PID/stat (fs/proc/array.c). What is not modelled - times,
 * signals, the terminal, arguments and environment - is 0; the limits are the defaults
 * (RLIMIT_RSS infinite), the exit signal SIGCHLD, priority 20. */
static int stat_show(struct machine *m, struct seq_file *s, const char *arg)
{
	const struct task_struct *tsk = find_task(m, arg);
	const struct mm_struct *mm = tsk->mm;

	seq_printf(s, "%d (%s) R %d %d %d 0 -1 0 %lu 0 %lu 0 0 0 0 0 20 0 1 0 0 %lu %lu %lu", tsk->pid, tsk->comm,
		   tsk->ppid, tsk->pid, tsk->pid, tsk->min_flt, tsk->maj_flt, mm->total_vm << PAGE_SHIFT, get_mm_rss(mm),
		   ~0UL);
	seq_printf(s, " %lu %lu %lu 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 %lu %lu %lu 0 0 0 0 0\n", mm->start_code,
		   mm->end_code, mm->start_stack, mm->start_data, mm->end_data, mm->start_brk);
	return 0;
}

const struct proc_entry task_mmu_proc_entries[] = {
	{ .path = "/proc/*/maps", .lookup = task_lookup, .show = maps_show },
	{ .path = "/proc/*/status", .lookup = task_lookup, .show = status_show },
	{ .path = "/proc/*/statm", .lookup = task_lookup, .show = statm_show },
	{ .path = "/proc/*/stat", .lookup = task_lookup, .show = stat_show },
	{ 0 },
};
