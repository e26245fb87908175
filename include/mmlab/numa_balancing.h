/*
 * Automatic NUMA balancing (include/linux/sched/numa_balancing.h, kernel/sched/fair.c): a periodic
 * scan makes a window of each process's PTEs PROT_NONE; the next access takes a NUMA hinting fault
 * (do_numa_page), which counts whether the page was local to the CPU and moves it to that CPU's node
 * when it is misplaced (mpol_misplaced, should_numa_migrate_memory).
 *
 * Simplified: no task placement or numa_group (numa_preferred_nid stays NUMA_NO_NODE, so a private
 * or first fault migrates at once, a shared one once the last fault came from the same node); the
 * scan period stays at its minimum; the per-VMA access filter (vma_is_accessed) and THPs (huge PMDs
 * are not scanned) and large folios (not migrated on a hinting fault) are left out; a process runs
 * on the CPU the last `cpu N` chose.
 */
#ifndef MMLAB_NUMA_BALANCING_H
#define MMLAB_NUMA_BALANCING_H

#include <stdbool.h>

struct machine;
struct page;
struct task_struct;

/* sysctl_numa_balancing_mode's bit for the balancing modelled (include/linux/sched/sysctl.h); 0x2,
 * NUMA_BALANCING_MEMORY_TIERING, is accepted and does nothing here. */
#define NUMA_BALANCING_NORMAL		0x1

/* numa_balancing_init: the scan's tunables at their defaults (kernel/sched/fair.c): a first scan
 * 1000 ms after a process starts, one every 1000 ms (scan_period_min_ms; scan_period_max_ms, 60000,
 * bounds an adaptation not modelled), 256 MB a scan; hot_threshold_ms (1000) is memory tiering's. */
void numa_balancing_init(struct machine *m);

/* init_numa_balancing: a new process's first scan waits numa_balancing_scan_delay (sched_fork). */
void init_numa_balancing(struct machine *m, struct task_struct *p);
/* task_numa_work: when its time has come, the next window of p's address space (scan_size MB of
 * pages with something mapped, up to 8 times that of address space) is made PROT_NONE
 * (change_prot_numa, counted in numa_pte_updates); at the end of the address space a new pass. */
void task_numa_work(struct machine *m, struct task_struct *p);
/* task_tick_numa: every process's task_numa_work, while NUMA_BALANCING_NORMAL is on (machine_tick). */
void task_tick_numa(struct machine *m);
/* should_numa_migrate_memory: a hinting fault on folio page from dst_cpu by p: record it as its last
 * cpupid, and whether the page should move to dst_cpu's node. */
bool should_numa_migrate_memory(struct machine *m, struct task_struct *p, struct page *page, int dst_cpu);

#endif
