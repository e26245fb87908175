/*
 * The counters as text: /proc/vmstat, /proc/buddyinfo, /proc/pagetypeinfo and /proc/zoneinfo
 * (mm/vmstat.c), and the dirty limits /proc/vmstat reports (mm/page-writeback.c).
 */
#include <mmlab/machine.h>
#include <mmlab/procfs.h>
#include <mmlab/seq_file.h>
#include <mmlab/compaction.h>
#include <mmlab/vmstat.h>

#include "fs/proc/internal.h"
#include "mm/internal.h"

/* Where each group of counters starts in vmstat_text (mm/vmstat.c). */
#define ZONE(x)		(x)
#define NUMA(x)		(NR_VM_ZONE_STAT_ITEMS + (x))
#define NODE(x)		(NUMA(NR_VM_NUMA_EVENT_ITEMS) + (x))
#define STAT(x)		(NODE(NR_VM_NODE_STAT_ITEMS) + (x))
#define EVENT(x)	(STAT(NR_VM_STAT_ITEMS) + (x))
#define NR_VMSTAT_ITEMS	EVENT(NR_VM_EVENT_ITEMS)

const char *const vmstat_text[NR_VMSTAT_ITEMS] = {
	/* enum zone_stat_item */
	[ZONE(NR_FREE_PAGES)]			= "nr_free_pages",
	[ZONE(NR_FREE_PAGES_BLOCKS)]		= "nr_free_pages_blocks",
	[ZONE(NR_ZONE_INACTIVE_ANON)]		= "nr_zone_inactive_anon",
	[ZONE(NR_ZONE_ACTIVE_ANON)]		= "nr_zone_active_anon",
	[ZONE(NR_ZONE_INACTIVE_FILE)]		= "nr_zone_inactive_file",
	[ZONE(NR_ZONE_ACTIVE_FILE)]		= "nr_zone_active_file",
	[ZONE(NR_ZONE_UNEVICTABLE)]		= "nr_zone_unevictable",
	[ZONE(NR_ZONE_WRITE_PENDING)]		= "nr_zone_write_pending",
	[ZONE(NR_MLOCK)]			= "nr_mlock",
	[ZONE(NR_ZSPAGES)]			= "nr_zspages",
	[ZONE(NR_FREE_CMA_PAGES)]		= "nr_free_cma",
	/* enum numa_stat_item */
	[NUMA(NUMA_HIT)]			= "numa_hit",
	[NUMA(NUMA_MISS)]			= "numa_miss",
	[NUMA(NUMA_FOREIGN)]			= "numa_foreign",
	[NUMA(NUMA_INTERLEAVE_HIT)]		= "numa_interleave",
	[NUMA(NUMA_LOCAL)]			= "numa_local",
	[NUMA(NUMA_OTHER)]			= "numa_other",
	/* enum node_stat_item */
	[NODE(NR_INACTIVE_ANON)]		= "nr_inactive_anon",
	[NODE(NR_ACTIVE_ANON)]			= "nr_active_anon",
	[NODE(NR_INACTIVE_FILE)]		= "nr_inactive_file",
	[NODE(NR_ACTIVE_FILE)]			= "nr_active_file",
	[NODE(NR_UNEVICTABLE)]			= "nr_unevictable",
	[NODE(NR_SLAB_RECLAIMABLE_B)]		= "nr_slab_reclaimable",
	[NODE(NR_SLAB_UNRECLAIMABLE_B)]		= "nr_slab_unreclaimable",
	[NODE(NR_ISOLATED_ANON)]		= "nr_isolated_anon",
	[NODE(NR_ISOLATED_FILE)]		= "nr_isolated_file",
	[NODE(WORKINGSET_NODES)]		= "workingset_nodes",
	[NODE(WORKINGSET_REFAULT_ANON)]		= "workingset_refault_anon",
	[NODE(WORKINGSET_REFAULT_FILE)]		= "workingset_refault_file",
	[NODE(WORKINGSET_ACTIVATE_ANON)]	= "workingset_activate_anon",
	[NODE(WORKINGSET_ACTIVATE_FILE)]	= "workingset_activate_file",
	[NODE(WORKINGSET_RESTORE_ANON)]		= "workingset_restore_anon",
	[NODE(WORKINGSET_RESTORE_FILE)]		= "workingset_restore_file",
	[NODE(WORKINGSET_NODERECLAIM)]		= "workingset_nodereclaim",
	[NODE(NR_ANON_MAPPED)]			= "nr_anon_pages",
	[NODE(NR_FILE_MAPPED)]			= "nr_mapped",
	[NODE(NR_FILE_PAGES)]			= "nr_file_pages",
	[NODE(NR_FILE_DIRTY)]			= "nr_dirty",
	[NODE(NR_WRITEBACK)]			= "nr_writeback",
	[NODE(NR_SHMEM)]			= "nr_shmem",
	[NODE(NR_SHMEM_THPS)]			= "nr_shmem_hugepages",
	[NODE(NR_SHMEM_PMDMAPPED)]		= "nr_shmem_pmdmapped",
	[NODE(NR_FILE_THPS)]			= "nr_file_hugepages",
	[NODE(NR_FILE_PMDMAPPED)]		= "nr_file_pmdmapped",
	[NODE(NR_ANON_THPS)]			= "nr_anon_transparent_hugepages",
	[NODE(NR_VMSCAN_WRITE)]			= "nr_vmscan_write",
	[NODE(NR_VMSCAN_IMMEDIATE)]		= "nr_vmscan_immediate_reclaim",
	[NODE(NR_DIRTIED)]			= "nr_dirtied",
	[NODE(NR_WRITTEN)]			= "nr_written",
	[NODE(NR_THROTTLED_WRITTEN)]		= "nr_throttled_written",
	[NODE(NR_KERNEL_MISC_RECLAIMABLE)]	= "nr_kernel_misc_reclaimable",
	[NODE(NR_FOLL_PIN_ACQUIRED)]		= "nr_foll_pin_acquired",
	[NODE(NR_FOLL_PIN_RELEASED)]		= "nr_foll_pin_released",
	[NODE(NR_KERNEL_STACK_KB)]		= "nr_kernel_stack",
	[NODE(NR_PAGETABLE)]			= "nr_page_table_pages",
	[NODE(NR_SECONDARY_PAGETABLE)]		= "nr_sec_page_table_pages",
	[NODE(NR_IOMMU_PAGES)]			= "nr_iommu_pages",
	[NODE(NR_SWAPCACHE)]			= "nr_swapcached",
	[NODE(PGPROMOTE_SUCCESS)]		= "pgpromote_success",
	[NODE(PGPROMOTE_CANDIDATE)]		= "pgpromote_candidate",
	[NODE(PGPROMOTE_CANDIDATE_NRL)]		= "pgpromote_candidate_nrl",
	[NODE(PGDEMOTE_KSWAPD)]			= "pgdemote_kswapd",
	[NODE(PGDEMOTE_DIRECT)]			= "pgdemote_direct",
	[NODE(PGDEMOTE_KHUGEPAGED)]		= "pgdemote_khugepaged",
	[NODE(PGDEMOTE_PROACTIVE)]		= "pgdemote_proactive",
	[NODE(NR_HUGETLB)]			= "nr_hugetlb",
	[NODE(NR_BALLOON_PAGES)]		= "nr_balloon_pages",
	[NODE(NR_KERNEL_FILE_PAGES)]		= "nr_kernel_file_pages",
	/* enum vm_stat_item */
	[STAT(NR_DIRTY_THRESHOLD)]		= "nr_dirty_threshold",
	[STAT(NR_DIRTY_BG_THRESHOLD)]		= "nr_dirty_background_threshold",
	[STAT(NR_MEMMAP_PAGES)]			= "nr_memmap_pages",
	[STAT(NR_MEMMAP_BOOT_PAGES)]		= "nr_memmap_boot_pages",
	/* enum vm_event_item */
	[EVENT(PGPGIN)]				= "pgpgin",
	[EVENT(PGPGOUT)]			= "pgpgout",
	[EVENT(PSWPIN)]				= "pswpin",
	[EVENT(PSWPOUT)]			= "pswpout",
	[EVENT(PGALLOC_DMA)]			= "pgalloc_dma",
	[EVENT(PGALLOC_DMA32)]			= "pgalloc_dma32",
	[EVENT(PGALLOC_NORMAL)]			= "pgalloc_normal",
	[EVENT(PGALLOC_HIGH)]			= "pgalloc_high",
	[EVENT(PGALLOC_MOVABLE)]		= "pgalloc_movable",
	[EVENT(PGALLOC_DEVICE)]			= "pgalloc_device",
	[EVENT(ALLOCSTALL_DMA)]			= "allocstall_dma",
	[EVENT(ALLOCSTALL_DMA32)]		= "allocstall_dma32",
	[EVENT(ALLOCSTALL_NORMAL)]		= "allocstall_normal",
	[EVENT(ALLOCSTALL_HIGH)]		= "allocstall_high",
	[EVENT(ALLOCSTALL_MOVABLE)]		= "allocstall_movable",
	[EVENT(ALLOCSTALL_DEVICE)]		= "allocstall_device",
	[EVENT(PGSCAN_SKIP_DMA)]		= "pgskip_dma",
	[EVENT(PGSCAN_SKIP_DMA32)]		= "pgskip_dma32",
	[EVENT(PGSCAN_SKIP_NORMAL)]		= "pgskip_normal",
	[EVENT(PGSCAN_SKIP_HIGH)]		= "pgskip_high",
	[EVENT(PGSCAN_SKIP_MOVABLE)]		= "pgskip_movable",
	[EVENT(PGSCAN_SKIP_DEVICE)]		= "pgskip_device",
	[EVENT(PGFREE)]				= "pgfree",
	[EVENT(PGACTIVATE)]			= "pgactivate",
	[EVENT(PGDEACTIVATE)]			= "pgdeactivate",
	[EVENT(PGLAZYFREE)]			= "pglazyfree",
	[EVENT(PGFAULT)]			= "pgfault",
	[EVENT(PGMAJFAULT)]			= "pgmajfault",
	[EVENT(PGLAZYFREED)]			= "pglazyfreed",
	[EVENT(PGREFILL)]			= "pgrefill",
	[EVENT(PGREUSE)]			= "pgreuse",
	[EVENT(PGSTEAL_KSWAPD)]			= "pgsteal_kswapd",
	[EVENT(PGSTEAL_DIRECT)]			= "pgsteal_direct",
	[EVENT(PGSTEAL_KHUGEPAGED)]		= "pgsteal_khugepaged",
	[EVENT(PGSTEAL_PROACTIVE)]		= "pgsteal_proactive",
	[EVENT(PGSCAN_KSWAPD)]			= "pgscan_kswapd",
	[EVENT(PGSCAN_DIRECT)]			= "pgscan_direct",
	[EVENT(PGSCAN_KHUGEPAGED)]		= "pgscan_khugepaged",
	[EVENT(PGSCAN_PROACTIVE)]		= "pgscan_proactive",
	[EVENT(PGSCAN_DIRECT_THROTTLE)]		= "pgscan_direct_throttle",
	[EVENT(PGSCAN_ANON)]			= "pgscan_anon",
	[EVENT(PGSCAN_FILE)]			= "pgscan_file",
	[EVENT(PGSTEAL_ANON)]			= "pgsteal_anon",
	[EVENT(PGSTEAL_FILE)]			= "pgsteal_file",
	[EVENT(PGSCAN_ZONE_RECLAIM_SUCCESS)]	= "zone_reclaim_success",
	[EVENT(PGSCAN_ZONE_RECLAIM_FAILED)]	= "zone_reclaim_failed",
	[EVENT(PGINODESTEAL)]			= "pginodesteal",
	[EVENT(SLABS_SCANNED)]			= "slabs_scanned",
	[EVENT(KSWAPD_INODESTEAL)]		= "kswapd_inodesteal",
	[EVENT(KSWAPD_LOW_WMARK_HIT_QUICKLY)]	= "kswapd_low_wmark_hit_quickly",
	[EVENT(KSWAPD_HIGH_WMARK_HIT_QUICKLY)]	= "kswapd_high_wmark_hit_quickly",
	[EVENT(PAGEOUTRUN)]			= "pageoutrun",
	[EVENT(PGROTATED)]			= "pgrotated",
	[EVENT(DROP_PAGECACHE)]			= "drop_pagecache",
	[EVENT(DROP_SLAB)]			= "drop_slab",
	[EVENT(OOM_KILL)]			= "oom_kill",
	[EVENT(NUMA_PTE_UPDATES)]		= "numa_pte_updates",
	[EVENT(NUMA_HUGE_PTE_UPDATES)]		= "numa_huge_pte_updates",
	[EVENT(NUMA_HINT_FAULTS)]		= "numa_hint_faults",
	[EVENT(NUMA_HINT_FAULTS_LOCAL)]		= "numa_hint_faults_local",
	[EVENT(NUMA_PAGE_MIGRATE)]		= "numa_pages_migrated",
	[EVENT(PGMIGRATE_SUCCESS)]		= "pgmigrate_success",
	[EVENT(PGMIGRATE_FAIL)]			= "pgmigrate_fail",
	[EVENT(THP_MIGRATION_SUCCESS)]		= "thp_migration_success",
	[EVENT(THP_MIGRATION_FAIL)]		= "thp_migration_fail",
	[EVENT(THP_MIGRATION_SPLIT)]		= "thp_migration_split",
	[EVENT(COMPACTMIGRATE_SCANNED)]	= "compact_migrate_scanned",
	[EVENT(COMPACTFREE_SCANNED)]		= "compact_free_scanned",
	[EVENT(COMPACTISOLATED)]		= "compact_isolated",
	[EVENT(COMPACTSTALL)]			= "compact_stall",
	[EVENT(COMPACTFAIL)]			= "compact_fail",
	[EVENT(COMPACTSUCCESS)]		= "compact_success",
	[EVENT(KCOMPACTD_WAKE)]		= "compact_daemon_wake",
	[EVENT(KCOMPACTD_MIGRATE_SCANNED)]	= "compact_daemon_migrate_scanned",
	[EVENT(KCOMPACTD_FREE_SCANNED)]	= "compact_daemon_free_scanned",
	[EVENT(HTLB_BUDDY_PGALLOC)]		= "htlb_buddy_alloc_success",
	[EVENT(HTLB_BUDDY_PGALLOC_FAIL)]	= "htlb_buddy_alloc_fail",
	[EVENT(UNEVICTABLE_PGCULLED)]		= "unevictable_pgs_culled",
	[EVENT(UNEVICTABLE_PGSCANNED)]		= "unevictable_pgs_scanned",
	[EVENT(UNEVICTABLE_PGRESCUED)]		= "unevictable_pgs_rescued",
	[EVENT(UNEVICTABLE_PGMLOCKED)]		= "unevictable_pgs_mlocked",
	[EVENT(UNEVICTABLE_PGMUNLOCKED)]	= "unevictable_pgs_munlocked",
	[EVENT(UNEVICTABLE_PGCLEARED)]		= "unevictable_pgs_cleared",
	[EVENT(UNEVICTABLE_PGSTRANDED)]		= "unevictable_pgs_stranded",
	[EVENT(THP_FAULT_ALLOC)]		= "thp_fault_alloc",
	[EVENT(THP_FAULT_FALLBACK)]		= "thp_fault_fallback",
	[EVENT(THP_FAULT_FALLBACK_CHARGE)]	= "thp_fault_fallback_charge",
	[EVENT(THP_COLLAPSE_ALLOC)]		= "thp_collapse_alloc",
	[EVENT(THP_COLLAPSE_ALLOC_FAILED)]	= "thp_collapse_alloc_failed",
	[EVENT(THP_FILE_ALLOC)]			= "thp_file_alloc",
	[EVENT(THP_FILE_FALLBACK)]		= "thp_file_fallback",
	[EVENT(THP_FILE_FALLBACK_CHARGE)]	= "thp_file_fallback_charge",
	[EVENT(THP_FILE_MAPPED)]		= "thp_file_mapped",
	[EVENT(THP_SPLIT_PAGE)]			= "thp_split_page",
	[EVENT(THP_SPLIT_PAGE_FAILED)]		= "thp_split_page_failed",
	[EVENT(THP_DEFERRED_SPLIT_PAGE)]	= "thp_deferred_split_page",
	[EVENT(THP_UNDERUSED_SPLIT_PAGE)]	= "thp_underused_split_page",
	[EVENT(THP_SPLIT_PMD)]			= "thp_split_pmd",
	[EVENT(THP_SCAN_EXCEED_NONE_PTE)]	= "thp_scan_exceed_none_pte",
	[EVENT(THP_SCAN_EXCEED_SWAP_PTE)]	= "thp_scan_exceed_swap_pte",
	[EVENT(THP_SCAN_EXCEED_SHARED_PTE)]	= "thp_scan_exceed_share_pte",
	[EVENT(THP_SPLIT_PUD)]			= "thp_split_pud",
	[EVENT(THP_ZERO_PAGE_ALLOC)]		= "thp_zero_page_alloc",
	[EVENT(THP_ZERO_PAGE_ALLOC_FAILED)]	= "thp_zero_page_alloc_failed",
	[EVENT(THP_SWPOUT)]			= "thp_swpout",
	[EVENT(THP_SWPOUT_FALLBACK)]		= "thp_swpout_fallback",
	[EVENT(BALLOON_INFLATE)]		= "balloon_inflate",
	[EVENT(BALLOON_DEFLATE)]		= "balloon_deflate",
	[EVENT(BALLOON_MIGRATE)]		= "balloon_migrate",
	[EVENT(SWAP_RA)]			= "swap_ra",
	[EVENT(SWAP_RA_HIT)]			= "swap_ra_hit",
	[EVENT(SWPIN_ZERO)]			= "swpin_zero",
	[EVENT(SWPOUT_ZERO)]			= "swpout_zero",
	[EVENT(KSM_SWPIN_COPY)]			= "ksm_swpin_copy",
	[EVENT(COW_KSM)]			= "cow_ksm",
	[EVENT(ZSWPIN)]				= "zswpin",
	[EVENT(ZSWPOUT)]			= "zswpout",
	[EVENT(ZSWPWB)]				= "zswpwb",
	[EVENT(DIRECT_MAP_LEVEL2_SPLIT)]	= "direct_map_level2_splits",
	[EVENT(DIRECT_MAP_LEVEL3_SPLIT)]	= "direct_map_level3_splits",
	[EVENT(DIRECT_MAP_LEVEL2_COLLAPSE)]	= "direct_map_level2_collapses",
	[EVENT(DIRECT_MAP_LEVEL3_COLLAPSE)]	= "direct_map_level3_collapses",
};

/* The default dirty_ratio and dirty_background_ratio (mm/page-writeback.c); not tunable yet. */
#define VM_DIRTY_RATIO			20
#define DIRTY_BACKGROUND_RATIO		10

/* pagetypeinfo stops counting a free list here (mm/vmstat.c pagetypeinfo_showfree_print). */
#define FREE_LIST_COUNT_CAP		100000

static const char *const migratetype_names[MIGRATE_TYPES] = {
	"Unmovable",
	"Movable",
	"Reclaimable",
	"HighAtomic",
	"Isolate",
};

/* fls: the position of the highest set bit, 1-based; 0 for 0 (include/asm-generic/bitops/fls.h). */
static int fls(unsigned long x)
{
	return x ? (int)(sizeof(x) * 8) - __builtin_clzl(x) : 0;
}

/* HPAGE_PMD_NR: base pages in a PMD-mapped huge page, the size of a pageblock on x86. */
static unsigned long hpage_pmd_nr(const struct machine *m)
{
	return 1UL << m->arch->pageblock_order;
}

/* vmstat_item_print_in_thp: node counters of THP pages that are printed in huge pages (mm/vmstat.h). */
static bool vmstat_item_print_in_thp(const struct machine *m, enum node_stat_item item)
{
	if (!m->arch->thp)
		return false;
	return item == NR_ANON_THPS || item == NR_FILE_THPS || item == NR_SHMEM_THPS ||
	       item == NR_SHMEM_PMDMAPPED || item == NR_FILE_PMDMAPPED;
}

/* node_stat_value: a node counter as /proc/vmstat, zoneinfo and a node's vmstat print it. */
unsigned long node_stat_value(const struct machine *m, unsigned long pages, enum node_stat_item item)
{
	return vmstat_item_print_in_thp(m, item) ? pages / hpage_pmd_nr(m) : pages;
}

/* The zone event groups span every zone type; the kernel only has those its config builds in. */
static bool zone_event_configured(const struct machine *m, enum vm_event_item item)
{
	static const enum vm_event_item groups[] = { PGALLOC_DMA, ALLOCSTALL_DMA, PGSCAN_SKIP_DMA };

	for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		if (item >= groups[g] && item < groups[g] + MAX_NR_ZONES)
			return zone_configured(m, (enum zone_type)(item - groups[g]));
	}
	return true;
}

static bool config_thp(const struct machine *m)
{
	return m->arch->thp;
}

/* CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD: x86_64 only. */
static bool config_thp_pud(const struct machine *m)
{
	return m->arch->thp && m->cfg.arch == ARCH_X86_64;
}

/* The lines of vmstat_text a kernel has only with some config: the NUMA counters (and NUMA
 * balancing's, which needs NUMA), the THP events, PUD splits. */
static const struct {
	int first, last;
	bool (*configured)(const struct machine *m);
} vmstat_config_ranges[] = {
	{ NUMA(NUMA_HIT), NUMA(NUMA_OTHER), config_numa },
	{ NODE(PGPROMOTE_SUCCESS), NODE(PGPROMOTE_CANDIDATE_NRL), config_numa },
	{ EVENT(PGSCAN_ZONE_RECLAIM_SUCCESS), EVENT(PGSCAN_ZONE_RECLAIM_FAILED), config_numa },
	{ EVENT(NUMA_PTE_UPDATES), EVENT(NUMA_PAGE_MIGRATE), config_numa },
	{ EVENT(THP_FAULT_ALLOC), EVENT(THP_SWPOUT_FALLBACK), config_thp },
	{ EVENT(THP_SPLIT_PUD), EVENT(THP_SPLIT_PUD), config_thp_pud },
};

/* vmstat_item_configured: is line i of vmstat_text in this kernel's vmstat files? */
static bool vmstat_item_configured(const struct machine *m, int i)
{
	for (size_t r = 0; r < sizeof(vmstat_config_ranges) / sizeof(vmstat_config_ranges[0]); r++) {
		if (i >= vmstat_config_ranges[r].first && i <= vmstat_config_ranges[r].last &&
		    !vmstat_config_ranges[r].configured(m))
			return false;
	}
	return i < EVENT(0) || zone_event_configured(m, (enum vm_event_item)(i - EVENT(0)));
}

/* highmem_dirtyable_memory: free and file pages above ZONE_NORMAL, capped at total (mm/page-writeback.c). */
static unsigned long highmem_dirtyable_memory(const struct machine *m, unsigned long total)
{
	unsigned long x = 0;

	for (int nid = 0; nid < m->nr_node_ids; nid++) {
		for (int i = ZONE_NORMAL + 1; i < MAX_NR_ZONES; i++) {
			const struct zone *z = &NODE_DATA(m, nid)->node_zones[i];
			unsigned long free, high;

			if (!populated_zone(z))
				continue;
			free = zone_page_state(z, NR_FREE_PAGES);
			high = high_wmark_pages(z);
			x += free - (free < high ? free : high);
			x += zone_page_state(z, NR_ZONE_INACTIVE_FILE) + zone_page_state(z, NR_ZONE_ACTIVE_FILE);
		}
	}
	return x < total ? x : total;
}

/* global_dirtyable_memory: free pages beyond the reserves plus the file LRU, without HighMem
 * (vm_highmem_is_dirtyable is 0) (mm/page-writeback.c). */
static unsigned long global_dirtyable_memory(const struct machine *m)
{
	unsigned long x = global_zone_page_state(m, NR_FREE_PAGES);

	x -= x < m->totalreserve_pages ? x : m->totalreserve_pages;
	x += global_node_page_state(m, NR_INACTIVE_FILE) + global_node_page_state(m, NR_ACTIVE_FILE);
	x -= highmem_dirtyable_memory(m, x);
	return x + 1;
}

/* global_dirty_limits: the background and throttling dirty thresholds, from the ratios as
 * domain_dirty_limits works them out for a task that is not realtime (mm/page-writeback.c). */
static void global_dirty_limits(const struct machine *m, unsigned long *background, unsigned long *dirty)
{
	unsigned long avail = global_dirtyable_memory(m);
	unsigned long ratio = VM_DIRTY_RATIO * PAGE_SIZE / 100;
	unsigned long bg_ratio = DIRTY_BACKGROUND_RATIO * PAGE_SIZE / 100;
	unsigned long thresh = ratio * avail / PAGE_SIZE;
	unsigned long bg_thresh = bg_ratio * avail / PAGE_SIZE;

	if (bg_thresh >= thresh)
		bg_thresh = thresh / 2;
	*background = bg_thresh;
	*dirty = thresh;
}

/* vmstat_start: every counter, in vmstat_text order (mm/vmstat.c). pgpgin and pgpgout count
 * 512-byte sectors, shown in KiB. Memory maps allocated after boot (hotplug) are not modelled. */
static void vmstat_start(const struct machine *m, unsigned long *v)
{
	for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
		v[ZONE(i)] = global_zone_page_state(m, (enum zone_stat_item)i);
	for (int i = 0; i < NR_VM_NUMA_EVENT_ITEMS; i++)
		v[NUMA(i)] = global_numa_event_state(m, (enum numa_stat_item)i);
	for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++)
		v[NODE(i)] = node_stat_value(m, global_node_page_state(m, (enum node_stat_item)i),
					     (enum node_stat_item)i);
	global_dirty_limits(m, &v[STAT(NR_DIRTY_BG_THRESHOLD)], &v[STAT(NR_DIRTY_THRESHOLD)]);
	v[STAT(NR_MEMMAP_PAGES)] = 0;
	v[STAT(NR_MEMMAP_BOOT_PAGES)] = m->reserved.memmap;
	for (int i = 0; i < NR_VM_EVENT_ITEMS; i++)
		v[EVENT(i)] = m->vm_events[i];
	v[EVENT(PGPGIN)] /= 2;
	v[EVENT(PGPGOUT)] /= 2;
}

/* vmstat_show: /proc/vmstat, ending with the retired nr_unstable (mm/vmstat.c). */
static int vmstat_show(struct machine *m, struct seq_file *s, const char *arg)
{
	unsigned long v[NR_VMSTAT_ITEMS];

	(void)arg;
	vmstat_start(m, v);
	for (int i = 0; i < NR_VMSTAT_ITEMS; i++) {
		if (vmstat_item_configured(m, i))
			seq_printf(s, "%s %lu\n", vmstat_text[i], v[i]);
	}
	seq_puts(s, "nr_unstable 0\n");
	return 0;
}

typedef void (*zone_print_fn)(struct machine *m, struct seq_file *s, pg_data_t *pgdat, struct zone *zone);

/* walk_zones_in_node: print each zone the kernel has, or only the populated ones (mm/vmstat.c). */
static void walk_zones_in_node(struct machine *m, struct seq_file *s, pg_data_t *pgdat, bool assert_populated,
			       zone_print_fn print)
{
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		struct zone *zone = &pgdat->node_zones[i];

		if (!zone_configured(m, (enum zone_type)i))
			continue;
		if (assert_populated && !populated_zone(zone))
			continue;
		print(m, s, pgdat, zone);
	}
}

/* walk_zones: the zones of every online node, as the seq_file walk over nodes visits them
 * (mm/vmstat.c frag_start/frag_next). */
static void walk_zones(struct machine *m, struct seq_file *s, bool assert_populated, zone_print_fn print)
{
	for (int nid = 0; nid < m->nr_node_ids; nid++)
		walk_zones_in_node(m, s, NODE_DATA(m, nid), assert_populated, print);
}

/* frag_show_print: one /proc/buddyinfo line: free blocks per order (mm/vmstat.c). */
static void frag_show_print(struct machine *m, struct seq_file *s, pg_data_t *pgdat, struct zone *zone)
{
	(void)m;
	seq_printf(s, "Node %d, zone %8s ", pgdat->node_id, zone->name);
	for (int order = 0; order < NR_PAGE_ORDERS; order++)
		seq_printf(s, "%6lu ", zone->free_area[order].nr_free);
	seq_putc(s, '\n');
}

/* frag_show: /proc/buddyinfo (mm/vmstat.c). */
static int frag_show(struct machine *m, struct seq_file *s, const char *arg)
{
	(void)arg;
	walk_zones(m, s, true, frag_show_print);
	return 0;
}

/* pagetypeinfo_showfree_print: free blocks per migratetype and order, each list counted up to a cap
 * past which ">100000" is printed (mm/vmstat.c). */
static void pagetypeinfo_showfree_print(struct machine *m, struct seq_file *s, pg_data_t *pgdat,
					struct zone *zone)
{
	(void)m;
	for (int mtype = 0; mtype < MIGRATE_TYPES; mtype++) {
		seq_printf(s, "Node %4d, zone %8s, type %12s ", pgdat->node_id, zone->name, migratetype_names[mtype]);
		for (int order = 0; order < NR_PAGE_ORDERS; order++) {
			const struct list_head *head = &zone->free_area[order].free_list[mtype], *curr;
			unsigned long freecount = 0;
			bool overflow = false;

			list_for_each(curr, head) {
				if (++freecount >= FREE_LIST_COUNT_CAP) {
					overflow = true;
					break;
				}
			}
			seq_printf(s, "%s%6lu ", overflow ? ">" : "", freecount);
		}
		seq_putc(s, '\n');
	}
}

/* pagetypeinfo_showblockcount_print: pageblocks of each migratetype in a zone (mm/vmstat.c). */
static void pagetypeinfo_showblockcount_print(struct machine *m, struct seq_file *s, pg_data_t *pgdat,
					      struct zone *zone)
{
	unsigned long count[MIGRATE_TYPES] = { 0 };

	for (unsigned long pfn = zone->zone_start_pfn; pfn < zone_end_pfn(zone); pfn += pageblock_nr_pages(m)) {
		if (!pfn_valid(m, pfn) || page_zone(m, pfn_to_page(m, pfn)) != zone)
			continue;
		count[get_pfnblock_migratetype(m, zone, pfn)]++;
	}
	seq_printf(s, "Node %d, zone %8s ", pgdat->node_id, zone->name);
	for (int mtype = 0; mtype < MIGRATE_TYPES; mtype++)
		seq_printf(s, "%12lu ", count[mtype]);
	seq_putc(s, '\n');
}

/* pagetypeinfo_show: one node's block of /proc/pagetypeinfo; nothing for a node without memory
 * (mm/vmstat.c). */
static void pagetypeinfo_show(struct machine *m, struct seq_file *s, pg_data_t *pgdat)
{
	if (!pgdat->node_present_pages)
		return;
	seq_printf(s, "Page block order: %u\n", m->arch->pageblock_order);
	seq_printf(s, "Pages per block:  %lu\n", pageblock_nr_pages(m));
	seq_putc(s, '\n');
	seq_printf(s, "%-43s ", "Free pages count per migrate type at order");
	for (int order = 0; order < NR_PAGE_ORDERS; order++)
		seq_printf(s, "%6d ", order);
	seq_putc(s, '\n');
	walk_zones_in_node(m, s, pgdat, true, pagetypeinfo_showfree_print);
	seq_printf(s, "\n%-23s", "Number of blocks type ");
	for (int mtype = 0; mtype < MIGRATE_TYPES; mtype++)
		seq_printf(s, "%12s ", migratetype_names[mtype]);
	seq_putc(s, '\n');
	walk_zones_in_node(m, s, pgdat, true, pagetypeinfo_showblockcount_print);
}

static int pagetypeinfo_proc_show(struct machine *m, struct seq_file *s, const char *arg)
{
	(void)arg;
	for (int nid = 0; nid < m->nr_node_ids; nid++)
		pagetypeinfo_show(m, s, NODE_DATA(m, nid));
	return 0;
}

/* calculate_normal_threshold: the per-CPU counter drift allowed before a fold, from the zone's size
 * and the number of CPUs (mm/vmstat.c). */
static int calculate_normal_threshold(const struct machine *m, const struct zone *zone)
{
	unsigned long mem = zone->managed_pages >> (27 - PAGE_SHIFT);
	int threshold = 2 * fls((unsigned long)m->nr_cpu_ids) * (1 + fls(mem));

	return threshold < 125 ? threshold : 125;
}

/* is_zone_first_populated: the node's counters are printed under its first populated zone (mm/vmstat.c). */
static bool is_zone_first_populated(const pg_data_t *pgdat, const struct zone *zone)
{
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		if (populated_zone(&pgdat->node_zones[i]))
			return zone == &pgdat->node_zones[i];
	}
	return false;
}

static void zoneinfo_show_node_stats(struct machine *m, struct seq_file *s, const pg_data_t *pgdat)
{
	seq_puts(s, "\n  per-node stats");
	for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++) {
		if (vmstat_item_configured(m, NODE(i)))
			seq_printf(s, "\n      %-12s %lu", vmstat_text[NODE(i)],
				   node_stat_value(m, node_page_state(pgdat, (enum node_stat_item)i),
						   (enum node_stat_item)i));
	}
}

static void zoneinfo_show_watermarks(struct machine *m, struct seq_file *s, const struct zone *zone)
{
	const char *sep = "";

	seq_printf(s,
		   "\n  pages free     %lu"
		   "\n        boost    %lu"
		   "\n        min      %lu"
		   "\n        low      %lu"
		   "\n        high     %lu"
		   "\n        promo    %lu"
		   "\n        spanned  %lu"
		   "\n        present  %lu"
		   "\n        managed  %lu"
		   "\n        cma      %lu",
		   zone_page_state(zone, NR_FREE_PAGES), zone->watermark_boost, min_wmark_pages(zone),
		   low_wmark_pages(zone), high_wmark_pages(zone), wmark_pages(zone, WMARK_PROMO),
		   zone->spanned_pages, zone->present_pages, zone->managed_pages, 0UL);
	seq_puts(s, "\n        protection: (");
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		if (!zone_configured(m, (enum zone_type)i))
			continue;
		seq_printf(s, "%s%ld", sep, zone->lowmem_reserve[i]);
		sep = ", ";
	}
	seq_putc(s, ')');
}

static void zoneinfo_show_pagesets(struct machine *m, struct seq_file *s, const struct zone *zone)
{
	int threshold = calculate_normal_threshold(m, zone);

	seq_puts(s, "\n  pagesets");
	for (int cpu = 0; cpu < m->nr_cpu_ids; cpu++) {
		const struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];

		seq_printf(s,
			   "\n    cpu: %i"
			   "\n              count:    %i"
			   "\n              high:     %i"
			   "\n              batch:    %i"
			   "\n              high_min: %i"
			   "\n              high_max: %i",
			   cpu, pcp->count, pcp->high, pcp->batch, pcp->high_min, pcp->high_max);
		seq_printf(s, "\n  vm stats threshold: %d", threshold);
	}
}

/* zoneinfo_show_print: one zone of /proc/zoneinfo; an empty zone stops after its protection
 * (mm/vmstat.c). kswapd does not give up on a node yet: node_unreclaimable is 0. */
static void zoneinfo_show_print(struct machine *m, struct seq_file *s, pg_data_t *pgdat, struct zone *zone)
{
	seq_printf(s, "Node %d, zone %8s", pgdat->node_id, zone->name);
	if (is_zone_first_populated(pgdat, zone))
		zoneinfo_show_node_stats(m, s, pgdat);
	zoneinfo_show_watermarks(m, s, zone);
	if (!populated_zone(zone)) {
		seq_putc(s, '\n');
		return;
	}
	for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
		seq_printf(s, "\n      %-12s %lu", vmstat_text[ZONE(i)], zone_page_state(zone, (enum zone_stat_item)i));
	for (int i = 0; config_numa(m) && i < NR_VM_NUMA_EVENT_ITEMS; i++)
		seq_printf(s, "\n      %-12s %lu", vmstat_text[NUMA(i)], zone->vm_numa_event[i]);
	zoneinfo_show_pagesets(m, s, zone);
	seq_printf(s,
		   "\n  node_unreclaimable:  %u"
		   "\n  start_pfn:           %lu",
		   0U, zone->zone_start_pfn);
	seq_putc(s, '\n');
}

/* zoneinfo_show: /proc/zoneinfo: every zone, populated or not, so that the effect of
 * lowmem_reserve_ratio on each shows (mm/vmstat.c). */
static int zoneinfo_show(struct machine *m, struct seq_file *s, const char *arg)
{
	(void)arg;
	walk_zones(m, s, false, zoneinfo_show_print);
	return 0;
}

void fill_contig_page_info(struct zone *zone, unsigned int suitable_order, struct contig_page_info *info)
{
	*info = (struct contig_page_info){ 0 };
	for (unsigned int order = 0; order < NR_PAGE_ORDERS; order++) {
		unsigned long blocks = zone->free_area[order].nr_free;

		info->free_blocks_total += blocks;
		info->free_pages += blocks << order;
		if (order >= suitable_order)
			info->free_blocks_suitable += blocks << (order - suitable_order);
	}
}

/* __fragmentation_index: why an allocation of order would fail, in thousandths: 0 for lack of
 * memory, towards 1000 for fragmentation; -1000 when it would not fail (mm/vmstat.c). */
static int __fragmentation_index(unsigned int order, const struct contig_page_info *info)
{
	unsigned long requested = 1UL << order;

	if (!info->free_blocks_total)
		return 0;
	if (info->free_blocks_suitable)
		return -1000;
	return 1000 - (int)((1000 + info->free_pages * 1000 / requested) / info->free_blocks_total);
}

int fragmentation_index(struct zone *zone, unsigned int order)
{
	struct contig_page_info info;

	fill_contig_page_info(zone, order, &info);
	return __fragmentation_index(order, &info);
}

/* unusable_free_index: the share of free memory, in thousandths, in blocks too small for order; all
 * of it when there is none (mm/vmstat.c). */
static int unusable_free_index(unsigned int order, const struct contig_page_info *info)
{
	if (!info->free_pages)
		return 1000;
	return (int)((info->free_pages - (info->free_blocks_suitable << order)) * 1000 / info->free_pages);
}

/* One line of an extfrag debugfs file: an index per order, as "%d.%03d" (mm/vmstat.c). */
static void extfrag_line(struct seq_file *s, pg_data_t *pgdat, struct zone *zone, const char *fmt,
			 int (*index)(unsigned int order, const struct contig_page_info *info))
{
	seq_printf(s, "Node %d, zone %8s ", pgdat->node_id, zone->name);
	for (unsigned int order = 0; order < NR_PAGE_ORDERS; order++) {
		struct contig_page_info info;
		int idx;

		fill_contig_page_info(zone, order, &info);
		idx = index(order, &info);
		seq_printf(s, fmt, idx / 1000, (idx < 0 ? -idx : idx) % 1000);
	}
	seq_putc(s, '\n');
}

static void unusable_show_print(struct machine *m, struct seq_file *s, pg_data_t *pgdat, struct zone *zone)
{
	(void)m;
	extfrag_line(s, pgdat, zone, "%d.%03d ", unusable_free_index);
}

/* unusable_show: /sys/kernel/debug/extfrag/unusable_index (mm/vmstat.c). */
static int unusable_show(struct machine *m, struct seq_file *s, const char *arg)
{
	(void)arg;
	walk_zones(m, s, true, unusable_show_print);
	return 0;
}

static void extfrag_show_print(struct machine *m, struct seq_file *s, pg_data_t *pgdat, struct zone *zone)
{
	(void)m;
	extfrag_line(s, pgdat, zone, "%2d.%03d ", __fragmentation_index);
}

/* extfrag_show: /sys/kernel/debug/extfrag/extfrag_index (mm/vmstat.c). */
static int extfrag_show(struct machine *m, struct seq_file *s, const char *arg)
{
	(void)arg;
	walk_zones(m, s, true, extfrag_show_print);
	return 0;
}

const struct proc_entry vmstat_proc_entries[] = {
	{ .path = "/sys/kernel/debug/extfrag/unusable_index", .show = unusable_show },
	{ .path = "/sys/kernel/debug/extfrag/extfrag_index", .show = extfrag_show },
	{ .path = "/proc/vmstat", .show = vmstat_show },
	{ .path = "/proc/buddyinfo", .show = frag_show },
	{ .path = "/proc/pagetypeinfo", .show = pagetypeinfo_proc_show },
	{ .path = "/proc/zoneinfo", .show = zoneinfo_show },
	{ 0 },
};
