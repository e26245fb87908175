/*
 * The cost of a remote access (no kernel counterpart: the hardware charges it, seed 7.1). A load or
 * store a process makes is served by the node that holds the page; from another node than its
 * CPU's it takes longer, in the proportion the firmware's distance table (SLIT) gives: 10 local,
 * 20 or more remote. The machine charges each byte a process touches the distance from its CPU's
 * node to the page's, so that a learner can see what misplaced memory costs and what migration saves.
 */
#include <mmlab/mm.h>
#include <mmlab/sched.h>

#define LOCAL_DISTANCE	10	/* include/linux/topology.h */

void numa_account_access(struct machine *m, struct task_struct *tsk, const unsigned char *p, unsigned long bytes)
{
	const struct page *page = pfn_to_page(m, (unsigned long)(p - m->phys) >> PAGE_SHIFT);
	int distance = node_distance(m, m->cpu_to_node[m->this_cpu], page_to_nid(page));

	if (distance == LOCAL_DISTANCE)
		tsk->numa_bytes_local += bytes;
	else
		tsk->numa_bytes_remote += bytes;
	tsk->numa_access_cost += bytes * (unsigned long)distance;
}
