/*
 * Commit accounting (mm/util.c): how much memory processes have been promised (vm_committed_as,
 * Committed_AS in meminfo) and whether a new promise may be made under vm.overcommit_memory:
 * 0 (OVERCOMMIT_GUESS) refuses only what could never fit, 1 (OVERCOMMIT_ALWAYS) refuses nothing,
 * 2 (OVERCOMMIT_NEVER) keeps the total under the commit limit. Mappings are charged here once the
 * address-space work accounts them; swapoff asks now.
 */
#include <mmlab/machine.h>
#include <mmlab/printk.h>
#include <mmlab/swap.h>
#include <mmlab/vmstat.h>

#include <errno.h>

enum { OVERCOMMIT_GUESS, OVERCOMMIT_ALWAYS, OVERCOMMIT_NEVER };

void vm_acct_memory(struct machine *m, long pages)
{
	m->vm_committed_as += pages;
}

void vm_unacct_memory(struct machine *m, long pages)
{
	m->vm_committed_as -= pages;
}

/* vm_commit_limit: overcommit_ratio percent of RAM (HugeTLB pages aside) plus all swap (mm/util.c). */
unsigned long vm_commit_limit(struct machine *m)
{
	unsigned long hugetlb = global_node_page_state(m, NR_HUGETLB);

	return (m->totalram_pages - hugetlb) * (unsigned long)m->sysctl.overcommit_ratio / 100 +
	       (unsigned long)total_swap_pages(m);
}

/* __vm_enough_memory (mm/util.c), for a caller with CAP_SYS_ADMIN and no process of its own
 * (swapoff): neither the admin nor the user reserve is kept back (those come with mmap's
 * accounting). */
int __vm_enough_memory(struct machine *m, long pages)
{
	long allowed;

	vm_acct_memory(m, pages);
	if (m->sysctl.overcommit_memory == OVERCOMMIT_ALWAYS)
		return 0;
	if (m->sysctl.overcommit_memory == OVERCOMMIT_GUESS) {
		if ((unsigned long)pages <= m->totalram_pages + (unsigned long)total_swap_pages(m))
			return 0;
	} else {
		allowed = (long)vm_commit_limit(m);
		if (m->vm_committed_as < allowed)
			return 0;
	}
	pr_warn(m, "__vm_enough_memory: pid: %d, comm: %s, bytes: %lu not enough memory for the allocation\n",
		m->trace.pid, m->trace.comm, (unsigned long)pages << PAGE_SHIFT);
	vm_unacct_memory(m, pages);
	return -ENOMEM;
}
