/*
 * Automatic NUMA balancing's scheduler half (kernel/sched/fair.c): the periodic scan of a process's
 * address space (task_numa_work, from the tick: task_tick_numa) and the filter a hinting fault passes
 * before its page moves (should_numa_migrate_memory). See include/mmlab/numa_balancing.h for what is
 * simplified.
 */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <string.h>

#include <mmlab/cmdline.h>
#include <mmlab/huge_mm.h>
#include <mmlab/mempolicy.h>
#include <mmlab/migrate.h>
#include <mmlab/mm.h>
#include <mmlab/numa_balancing.h>
#include <mmlab/procfs.h>
#include <mmlab/sched.h>
#include <mmlab/seq_file.h>

#define NSEC_PER_MSEC	1000000ULL

void numa_balancing_init(struct machine *m)
{
	m->numa_balancing_scan_delay_ms = 1000;
	m->numa_balancing_scan_period_min_ms = 1000;
	m->numa_balancing_scan_period_max_ms = 60000;
	m->numa_balancing_scan_size_mb = 256;
	m->numa_balancing_hot_threshold_ms = 1000;
}

/* reset_ptenuma_scan: a pass is done; the next starts at the bottom of the address space. */
static void reset_ptenuma_scan(struct mm_struct *mm)
{
	mm->numa_scan_seq++;
	mm->numa_scan_offset = 0;
}

/* The VMAs task_numa_work passes over: those whose pages cannot move or whose policy does not
 * migrate on fault (vma_policy_mof: only the default one does), hugetlb and VM_MIXEDMAP ones,
 * read-only file mappings (shared libraries are cache-replicated), inaccessible ones (their PTEs
 * are PROT_NONE already). */
static bool task_numa_skip_vma(const struct vm_area_struct *vma, const struct task_struct *p)
{
	if (!vma_migratable(vma) || vma_policy_or_task(vma, p)->mode != MPOL_DEFAULT ||
	    (vma->vm_flags & (VM_HUGETLB | VM_MIXEDMAP)))
		return true;
	if (vma->vm_file && (vma->vm_flags & (VM_READ | VM_WRITE)) == VM_READ)
		return true;
	return !vma_is_accessible(vma);
}

void init_numa_balancing(struct machine *m, struct task_struct *p)
{
	p->mm->numa_next_scan = m->now_ns + m->numa_balancing_scan_delay_ms * NSEC_PER_MSEC;
	p->mm->numa_scan_seq = 0;
}

void task_numa_work(struct machine *m, struct task_struct *p)
{
	struct mm_struct *mm = p->mm;
	long pages = (long)m->numa_balancing_scan_size_mb << (20 - PAGE_SHIFT), virtpages = pages * 8;
	unsigned long start = mm->numa_scan_offset, end = start;
	struct vm_area_struct *vma;

	if (!mm->numa_next_scan)
		mm->numa_next_scan = m->now_ns + m->numa_balancing_scan_delay_ms * NSEC_PER_MSEC;
	if (m->now_ns < mm->numa_next_scan)
		return;
	mm->numa_next_scan = m->now_ns + m->numa_balancing_scan_period_min_ms * NSEC_PER_MSEC;
	vma = find_vma(mm, start);
	if (!vma) {
		reset_ptenuma_scan(mm);
		start = 0;
		vma = mm->mmap;
	}
	for (; vma; vma = vma->vm_next) {
		if (task_numa_skip_vma(vma, p))
			continue;
		do {
			start = start > vma->vm_start ? start : vma->vm_start;
			end = (start + ((unsigned long)pages << PAGE_SHIFT) + HPAGE_PMD_SIZE - 1) & ~(HPAGE_PMD_SIZE - 1);
			end = end < vma->vm_end ? end : vma->vm_end;
			/* scan_size worth of pages with something to mark, or up to virtpages of address space
			 * through unused or marked ones */
			if (change_prot_numa(vma, start, end))
				pages -= (long)((end - start) >> PAGE_SHIFT);
			virtpages -= (long)((end - start) >> PAGE_SHIFT);
			start = end;
			if (pages <= 0 || virtpages <= 0) {
				mm->numa_scan_offset = start;
				return;
			}
		} while (end != vma->vm_end);
	}
	reset_ptenuma_scan(mm);
}

void task_tick_numa(struct machine *m)
{
	struct task_struct *p;

	if (!(m->numa_balancing_mode & NUMA_BALANCING_NORMAL) || m->nr_node_ids < 2 || !m->tasks)
		return;
	list_for_each_entry(p, &m->tasks->tasks, tasks)
		task_numa_work(m, p);
}

bool should_numa_migrate_memory(struct machine *m, struct task_struct *p, struct page *page, int dst_cpu)
{
	int dst_nid = m->cpu_to_node[dst_cpu], last_cpupid;

	if (!NODE_DATA(m, dst_nid)->node_present_pages)
		return false;
	last_cpupid = folio_xchg_last_cpupid(page, cpu_pid_to_cpupid(dst_cpu, p->pid));
	/* a first fault, or a private one (numa_preferred_nid is never set: no task placement) */
	if (cpupid_pid_unset(last_cpupid) || cpupid_to_pid(last_cpupid) == (p->pid & LAST__PID_MASK))
		return true;
	/* a shared fault: the two-stage filter wants the last one from this node too (no numa_group) */
	return m->cpu_to_node[cpupid_to_cpu(last_cpupid)] == dst_nid;
}

/* ---- /sys/kernel/debug/sched/numa_balancing (kernel/sched/debug.c) ---- */

static const struct {
	const char *name;
	size_t offset;
} numa_balancing_files[] = {
	{ "scan_delay_ms", offsetof(struct machine, numa_balancing_scan_delay_ms) },
	{ "scan_period_min_ms", offsetof(struct machine, numa_balancing_scan_period_min_ms) },
	{ "scan_period_max_ms", offsetof(struct machine, numa_balancing_scan_period_max_ms) },
	{ "scan_size_mb", offsetof(struct machine, numa_balancing_scan_size_mb) },
	{ "hot_threshold_ms", offsetof(struct machine, numa_balancing_hot_threshold_ms) },
};

/* The tunable a file of the directory holds, or NULL. */
static unsigned int *numa_balancing_tunable(struct machine *m, const char *name)
{
	for (size_t i = 0; i < sizeof(numa_balancing_files) / sizeof(numa_balancing_files[0]); i++)
		if (!strcmp(numa_balancing_files[i].name, name))
			return (unsigned int *)((char *)m + numa_balancing_files[i].offset);
	return NULL;
}

static bool numa_balancing_lookup(struct machine *m, const char *name)
{
	return numa_balancing_tunable(m, name) != NULL;
}

/* debugfs_create_u32's files: the value in decimal; a write takes any u32. */
static int numa_balancing_show(struct machine *m, struct seq_file *s, const char *name)
{
	seq_printf(s, "%u\n", *numa_balancing_tunable(m, name));
	return 0;
}

static int numa_balancing_store(struct machine *m, const char *name, const char *text, size_t len)
{
	unsigned long val;

	if (kstrtoul_text(text, len, &val) || val > UINT_MAX)
		return -EINVAL;
	*numa_balancing_tunable(m, name) = (unsigned int)val;
	return 0;
}

const struct proc_entry numa_balancing_proc_entries[] = {
	{ .path = "/sys/kernel/debug/sched/numa_balancing/*", .lookup = numa_balancing_lookup,
	  .show = numa_balancing_show, .write = numa_balancing_store },
	{ 0 },
};
