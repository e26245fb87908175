/* The top of the /proc and /sys tree: every table of entries, searched in this order (fs/proc/root.c). */
#include "fs/proc/internal.h"

#include <stddef.h>

const struct proc_entry *const proc_tables[] = {
	meminfo_proc_entries,
	vmstat_proc_entries,
	sysctl_proc_entries,
	node_proc_entries,
	slab_proc_entries,
	vmallocinfo_proc_entries,
	swap_proc_entries,
	zram_proc_entries,
	zswap_proc_entries,
	lru_gen_proc_entries,
	task_mmu_proc_entries,
	oom_proc_entries,
	base_proc_entries,
	array_proc_entries,
	stat_proc_entries,
	uptime_proc_entries,
	loadavg_proc_entries,
	hugetlb_proc_entries,
	thp_proc_entries,
	ksm_proc_entries,
	khugepaged_proc_entries,
	memory_proc_entries,
	numa_balancing_proc_entries,
	bdi_proc_entries,
	NULL,
};
