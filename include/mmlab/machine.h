/*
 * The machine: one simulated computer — its RAM, nodes, zones, CPUs, tunables, counters, clock and
 * log. Every function of the simulated kernel reaches the state through a struct machine pointer:
 * there are no other globals, so several machines can live side by side (in tests, for instance).
 */
#ifndef MMLAB_MACHINE_H
#define MMLAB_MACHINE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <mmlab/mmzone.h>
#include <mmlab/trace.h>

struct seq_file;
struct slab_state;
struct swap_state;
struct kthread;
struct task_state;
struct vmap_state;
struct zram_state;
struct zswap_state;
struct hugetlb_state;
struct fs_state;
struct ksm_state;
struct khugepaged_state;

enum mm_arch {
	ARCH_X86_64,
	ARCH_I386,
};

/* The kernel release the machine models (include/generated/utsrelease.h). */
#define UTS_RELEASE "6.18.0-mmlab"

/* What `machine ram=... arch=... nodes=... cpus=... seed=... distance=...` asks for. */
struct machine_config {
	uint64_t ram;			/* bytes of RAM installed */
	enum mm_arch arch;
	int nodes;
	int cpus;
	uint64_t seed;
	bool distance_given;
	int distance[MAX_NUMNODES][MAX_NUMNODES];	/* node_distance(), 10 = local */
	bool la57;			/* x86_64: 5-level paging */
	bool pae;			/* i386: 3-level PAE paging */
	bool norandmaps;		/* aslr=off: no address-space randomisation */
	char slub_debug[64];		/* the slub_debug= boot parameter ("" when not given) */
};

void machine_config_default(struct machine_config *cfg);

/* A range of the physical address map the firmware reports (arch/x86/kernel/e820.c). */
enum e820_type { E820_TYPE_RAM = 1, E820_TYPE_RESERVED = 2 };
struct e820_entry {
	uint64_t addr, size;
	enum e820_type type;
};
#define E820_MAX_ENTRIES 8

/* The architecture's layout facts (arch/x86/include/asm/page_*.h, pgtable_*_types.h). */
struct arch_layout {
	const char *name;		/* "x86_64", "i386" */
	unsigned long page_offset;	/* start of the direct map of physical memory */
	unsigned long vmemmap_base;	/* where mem_map lives (0: in the direct map) */
	unsigned long max_dma_pfn;	/* ZONE_DMA ends here (16 MiB) */
	unsigned long max_dma32_pfn;	/* ZONE_DMA32 ends here (4 GiB), 0 when there is none */
	unsigned long max_low_pfn;	/* end of the direct map (i386: 896 MiB), ~0 when all is mapped */
	unsigned int zones_configured;	/* bit per enum zone_type the kernel is built with */
	unsigned int pageblock_order;
	bool thp;			/* transparent huge pages: PMD-order pages get per-CPU lists */
	unsigned int thread_size;	/* THREAD_SIZE: a task's kernel stack (asm/page_*_types.h) */
	uint64_t max_ram;		/* what the architecture can address */
};

/* The vm tunables under /proc/sys/vm (kernel/sysctl.c, mm/page_alloc.c). */
struct vm_sysctl {
	int min_free_kbytes;
	int user_min_free_kbytes;	/* -1 until a user writes it: then boot no longer recomputes it */
	int watermark_scale_factor;
	int watermark_boost_factor;
	int lowmem_reserve_ratio[MAX_NR_ZONES];
	int percpu_pagelist_high_fraction;
	int page_cluster;		/* swap readahead: 2^page_cluster pages (mm/swap.c) */
	int swappiness;			/* anon vs file reclaim balance, 0..200 (mm/vmscan.c) */
	int overcommit_memory;		/* 0 guess, 1 always, 2 never (mm/util.c) */
	int overcommit_ratio;		/* percent of RAM the commit limit counts (mm/util.c) */
	int extfrag_threshold;		/* compact only above this fragmentation index (mm/compaction.c) */
};

/* The boot-time reservations, in pages, that make present differ from managed. */
struct boot_reserved {
	unsigned long firmware;		/* the first page and the BIOS area below 1 MiB */
	unsigned long kernel_pfn;	/* where the kernel image was loaded (_text) */
	unsigned long kernel_code, kernel_rwdata, kernel_rodata, kernel_init, kernel_bss;
	unsigned long memmap;		/* struct page arrays */
	unsigned long pageblock_flags;
	unsigned long percpu;
};

/* The kernel log: printk() appends here and to the console (kernel/printk). */
struct printk_log {
	FILE *console;			/* where messages are shown as they happen, or NULL */
	char *buf;			/* the whole log, for dmesg */
	size_t len, size;
	bool last_on_console;		/* whether a KERN_CONT continuation goes to the console too */
};

struct machine {
	struct machine_config cfg;
	const struct arch_layout *arch;

	/* Physical memory: real bytes, one host mapping, touched lazily. */
	unsigned char *phys;		/* byte 0 of physical address 0 */
	unsigned long max_pfn;		/* one past the highest page frame */
	struct page *mem_map;		/* struct page for pfn 0 .. max_pfn - 1 */
	unsigned long memmap_pfn;	/* first page frame holding node 0's part of mem_map */
	struct e820_entry e820[E820_MAX_ENTRIES];
	int nr_e820;
	struct boot_reserved reserved;

	int nr_node_ids;
	pg_data_t *node_data[MAX_NUMNODES];
	int nr_cpu_ids;
	int this_cpu;			/* the CPU the current command runs on */
	int cpu_to_node[NR_CPUS];
	unsigned char gfp_zone_table[16];	/* gfp_zone() of each combination of zone modifiers */

	struct vm_sysctl sysctl;
	int numa_balancing_mode;	/* kernel.numa_balancing: NUMA_BALANCING_* (kernel/sched/core.c) */
	/* /sys/kernel/debug/sched/numa_balancing (kernel/sched/debug.c): the scan's tunables */
	unsigned int numa_balancing_scan_delay_ms, numa_balancing_scan_period_min_ms;
	unsigned int numa_balancing_scan_period_max_ms, numa_balancing_scan_size_mb;
	unsigned int numa_balancing_hot_threshold_ms;
	unsigned long transparent_hugepage_flags;	/* /sys/kernel/mm/transparent_hugepage (mm/huge_memory.c) */
	unsigned long fault_around_pages;	/* /sys/kernel/debug/fault_around_bytes in pages (mm/memory.c) */
	unsigned long totalram_pages;	/* managed pages of every zone */
	unsigned long totalreserve_pages;
	unsigned long totalhigh_pages;
	long vm_committed_as;		/* pages promised to mappings: Committed_AS (mm/util.c) */
	long vm_zone_stat[NR_VM_ZONE_STAT_ITEMS];	/* sums over every zone */
	long vm_node_stat[NR_VM_NODE_STAT_ITEMS];	/* sums over every node */
	unsigned long vm_events[NR_VM_EVENT_ITEMS];

	unsigned int pf_memalloc;	/* in reclaim (current->flags & PF_MEMALLOC): its allocations do
					 * not reclaim again and may use the reserves */
	uint64_t now_ns;		/* simulated time since boot */
	uint64_t rng_state;		/* the machine's seeded random generator */
	struct printk_log log;
	struct trace_state trace;
	char panic_msg[96];		/* a kernel panic's reason: the machine has stopped (kernel/panic.c) */

	struct slab_state *slab;	/* the slab allocator: caches, kmalloc, slub_debug (mm/slub.c) */
	struct vmap_state *vmap;	/* the vmalloc area (mm/vmalloc.c) */
	struct swap_state *swap;	/* swap areas and the swap cache (include/mmlab/swap.h) */
	struct hugetlb_state *hugetlb;	/* huge page pools (mm/hugetlb.c, include/mmlab/hugetlb.h) */
	struct zram_state *zram;	/* zram devices (drivers/block/zram, include/mmlab/zram.h) */
	struct zswap_state *zswap;	/* the compressed swap cache (mm/zswap.c, include/mmlab/zswap.h) */
	struct ksm_state *ksm;		/* same-page merging and ksmd (mm/ksm.c, include/mmlab/ksm.h) */
	struct khugepaged_state *khugepaged;	/* khugepaged (mm/khugepaged.c, include/mmlab/khugepaged.h) */
	struct task_state *tasks;	/* processes, the zero page, the TLBs (include/mmlab/sched.h) */
	struct fs_state *fs;		/* inodes and their page caches (include/mmlab/fs.h) */
	struct page *swapper_pg_dir;	/* init_mm's pgd: the kernel half every pgd shares (arch/x86/mm/init.c) */
	unsigned long direct_pages_count[3];	/* the direct map's 4K, 2M (4M) and 1G entries */
	struct pkmap_state *pkmap;	/* i386: kmap's slots (include/mmlab/highmem.h) */
	struct kthread *kthreads;	/* kernel threads, run from the clock (include/mmlab/kthread.h) */
	int last_pid;			/* the last pid handed out (init_pid_ns, kernel/pid.c) */
	unsigned long max_threads;	/* what RAM can hold of kernel stacks (kernel/fork.c fork_init) */
	const char *current_site;	/* "FILE:LINE" of the command running, for SLAB_STORE_USER */

	/* Reclaim policy (mm/vmscan.c, mm/workingset.c): the multi-gen LRU's switches (lru_gen_caps,
	 * /sys/kernel/mm/lru_gen/enabled) and min_ttl_ms; whether the command runs a page fault
	 * (current->in_lru_fault); the eviction timestamps' granularity (bucket_order). */
	unsigned int lru_gen_caps;
	unsigned int lru_gen_min_ttl_ms;
	bool in_lru_fault;
	unsigned int workingset_bucket_order;
};

/* machine_boot: build a machine from cfg; NULL with a message in err (errlen bytes) if cfg is bad. */
struct machine *machine_boot(const struct machine_config *cfg, FILE *console, char *err, size_t errlen);
void machine_destroy(struct machine *m);

/* machine_check: verify the invariants of every page and counter; prints each violation into report
 * and returns how many there were (0: all well). */
int machine_check(struct machine *m, struct seq_file *report);

/* The simulated clock and random numbers: deterministic for a given seed and script. */
void machine_tick(struct machine *m, uint64_t ns);
uint64_t machine_random(struct machine *m);

static inline pg_data_t *NODE_DATA(const struct machine *m, int nid)
{
	return m->node_data[nid];
}

static inline int node_distance(const struct machine *m, int a, int b)
{
	return m->cfg.distance[a][b];
}

static inline bool zone_configured(const struct machine *m, enum zone_type z)
{
	return (m->arch->zones_configured >> z) & 1;
}

static inline struct machine *zone_machine(const struct zone *zone)
{
	return zone->zone_pgdat->machine;
}

/* pfn <-> struct page <-> physical address (include/asm-generic/memory_model.h). */
static inline unsigned long page_to_pfn(const struct machine *m, const struct page *page)
{
	return (unsigned long)(page - m->mem_map);
}
static inline struct page *pfn_to_page(const struct machine *m, unsigned long pfn)
{
	return m->mem_map + pfn;
}
static inline bool pfn_valid(const struct machine *m, unsigned long pfn)
{
	return pfn < m->max_pfn;
}
static inline uint64_t page_to_phys(const struct machine *m, const struct page *page)
{
	return (uint64_t)page_to_pfn(m, page) << PAGE_SHIFT;
}
static inline struct zone *page_zone(const struct machine *m, const struct page *page)
{
	return &m->node_data[page_to_nid(page)]->node_zones[page_zonenum(page)];
}

/* kmap_local_page: the host bytes behind a page frame — how the simulated kernel reads and writes
 * it. Works for HighMem pages too (the kernel would map them temporarily). */
static inline void *kmap_local_page(const struct machine *m, const struct page *page)
{
	return m->phys + page_to_phys(m, page);
}

/* PageHighMem: above the direct map, with no permanent kernel address. */
static inline bool PageHighMem(const struct page *page)
{
	return page_zonenum(page) == ZONE_HIGHMEM;
}

/* Kernel virtual addresses of the direct map (arch/x86/include/asm/page.h __va/__pa). */
static inline unsigned long phys_to_virt(const struct machine *m, uint64_t phys)
{
	return m->arch->page_offset + (unsigned long)phys;
}
/* page_address: the page's direct-map address, 0 for a HighMem page (include/linux/mm.h). */
unsigned long page_address(const struct machine *m, const struct page *page);
/* virt_to_page: the page behind a direct-map address, NULL if addr is not one. */
struct page *virt_to_page(const struct machine *m, unsigned long addr);

/* A struct page pointer as the simulated kernel sees it (in vmemmap, or mem_map in lowmem on i386):
 * the value alloc_pages returns to a script. */
unsigned long page_kaddr(const struct machine *m, const struct page *page);
/* The page whose struct page is at kaddr, NULL if kaddr is not one. */
struct page *kaddr_to_page(const struct machine *m, unsigned long kaddr);

/* vm events (include/linux/vmstat.h count_vm_event). */
static inline void count_vm_events(struct machine *m, enum vm_event_item item, unsigned long delta)
{
	m->vm_events[item] += delta;
}
static inline void count_vm_event(struct machine *m, enum vm_event_item item)
{
	m->vm_events[item]++;
}

#endif
