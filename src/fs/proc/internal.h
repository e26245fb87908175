/* What the files of the /proc and /sys tree share (fs/proc/internal.h). */
#ifndef FS_PROC_INTERNAL_H
#define FS_PROC_INTERNAL_H

#include <mmlab/machine.h>
#include <mmlab/procfs.h>
#include <mmlab/vm_event_item.h>

/* The entry tables, one per file that renders part of the tree; proc_tables lists them all. */
extern const struct proc_entry meminfo_proc_entries[];	/* fs/proc/meminfo.c */
extern const struct proc_entry vmstat_proc_entries[];	/* mm/vmstat.c */
extern const struct proc_entry sysctl_proc_entries[];	/* kernel/sysctl.c */
extern const struct proc_entry node_proc_entries[];	/* fs/proc/node.c */
extern const struct proc_entry slab_proc_entries[];	/* fs/proc/slabinfo.c */
extern const struct proc_entry vmallocinfo_proc_entries[];	/* fs/proc/vmallocinfo.c */
extern const struct proc_entry swap_proc_entries[];	/* mm/swapfile.c */
extern const struct proc_entry zram_proc_entries[];	/* drivers/block/zram/zram_drv.c */
extern const struct proc_entry zswap_proc_entries[];	/* mm/zswap.c */
extern const struct proc_entry lru_gen_proc_entries[];	/* mm/vmscan_lru_gen.c */
extern const struct proc_entry task_mmu_proc_entries[];	/* fs/proc/task_mmu.c */
extern const struct proc_entry oom_proc_entries[];	/* mm/oom_kill.c */
extern const struct proc_entry base_proc_entries[];	/* fs/proc/base.c */
extern const struct proc_entry array_proc_entries[];	/* fs/proc/array.c */
extern const struct proc_entry stat_proc_entries[];	/* fs/proc/stat.c */
extern const struct proc_entry uptime_proc_entries[];	/* fs/proc/uptime.c */
extern const struct proc_entry loadavg_proc_entries[];	/* fs/proc/loadavg.c */
extern const struct proc_entry hugetlb_proc_entries[];	/* mm/hugetlb.c */
extern const struct proc_entry thp_proc_entries[];	/* mm/huge_memory.c */
extern const struct proc_entry ksm_proc_entries[];	/* mm/ksm_sysfs.c */
extern const struct proc_entry khugepaged_proc_entries[];	/* mm/khugepaged.c */
extern const struct proc_entry memory_proc_entries[];	/* mm/memory.c */
extern const struct proc_entry numa_balancing_proc_entries[];	/* kernel/sched/fair.c */
extern const struct proc_entry bdi_proc_entries[];	/* mm/backing-dev.c */
extern const struct proc_entry *const proc_tables[];

struct mm_struct;
struct seq_file;
/* task_statm: an mm's size in pages; its shared, text, data + stack and resident pages through the
 * pointers (fs/proc/task_mmu.c). */
unsigned long task_statm(const struct mm_struct *mm, unsigned long *shared, unsigned long *text,
			 unsigned long *data, unsigned long *resident);
/* task_mem: the Vm and Rss lines of /proc/PID/status (fs/proc/task_mmu.c). */
void task_mem(struct seq_file *s, const struct mm_struct *mm);

/* A task as /proc/PID shows it: a process, or a kernel thread, which has no mm (fs/proc/base.c). */
struct proc_task {
	int pid, ppid;
	const char *comm;
	char state;			/* 'R' running, 'S' sleeping (task_state_array) */
	unsigned int uid;
	const struct task_struct *tsk;	/* NULL for a kernel thread */
};

/* proc_task_get: the task of /proc/ARG (a pid, or a process's name); false if there is none. */
bool proc_task_get(struct machine *m, const char *arg, struct proc_task *t);

/* get_idle_time: nanoseconds a CPU has been idle since boot: all of them, as the machine's work
 * takes no simulated time (fs/proc/stat.c). */
uint64_t get_idle_time(const struct machine *m, int cpu);

/* sysfs_compact_node: a write to /sys/devices/system/node/nodeN/compact (mm/compaction.c). */
int sysfs_compact_node(struct machine *m, const char *arg, const char *text, size_t len);

/* config_numa: the simulated kernel is built with CONFIG_NUMA. x86_64 is; i386 is not (6.18 has no
 * 32-bit NUMA, and the machine boots i386 with one node): no NUMA counters, no "Node N " prefix in
 * the Mem-Info zone lines, no /sys/devices/system/node. */
static inline bool config_numa(const struct machine *m)
{
	return m->cfg.arch == ARCH_X86_64;
}

/* node_stat_value: a node counter as vmstat files print it: THP counters in huge pages (mm/vmstat.c). */
unsigned long node_stat_value(const struct machine *m, unsigned long pages, enum node_stat_item item);

#endif
