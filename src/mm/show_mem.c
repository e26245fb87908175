/*
 * The MemAvailable estimate and the Mem-Info report that allocation failures and the OOM killer
 * print (mm/show_mem.c), with its HugeTLB and swap lines (mm/hugetlb.c, mm/swap_state.c).
 */
#include <mmlab/hugetlb.h>
#include <mmlab/machine.h>
#include <mmlab/seq_file.h>
#include <mmlab/swap.h>
#include <mmlab/vmstat.h>

#include "fs/proc/internal.h"

static inline unsigned long K(unsigned long pages)
{
	return pages << (PAGE_SHIFT - 10);
}

static inline unsigned long min_ul(unsigned long a, unsigned long b)
{
	return a < b ? a : b;
}

/* si_mem_available: free pages beyond the reserves, plus the page cache and reclaimable slab that
 * could be dropped without dipping under the low watermarks (mm/show_mem.c). */
long si_mem_available(struct machine *m)
{
	unsigned long wmark_low = 0, pagecache, reclaimable;
	long available;

	for (int nid = 0; nid < m->nr_node_ids; nid++) {
		for (int i = 0; i < MAX_NR_ZONES; i++) {
			if (zone_configured(m, (enum zone_type)i))
				wmark_low += low_wmark_pages(&NODE_DATA(m, nid)->node_zones[i]);
		}
	}
	available = (long)global_zone_page_state(m, NR_FREE_PAGES) - (long)m->totalreserve_pages;

	pagecache = global_node_page_state(m, NR_ACTIVE_FILE) + global_node_page_state(m, NR_INACTIVE_FILE);
	pagecache -= min_ul(pagecache / 2, wmark_low);
	available += (long)pagecache;

	reclaimable = global_node_page_state(m, NR_SLAB_RECLAIMABLE_B) +
		      global_node_page_state(m, NR_KERNEL_MISC_RECLAIMABLE);
	available += (long)(reclaimable - min_ul(reclaimable / 2, wmark_low));

	return available < 0 ? 0 : available;
}

/* show_node: the "Node N " prefix of a zone's lines, in a NUMA kernel (mm/show_mem.c). */
static void show_node(const struct machine *m, struct seq_file *s, const struct zone *zone)
{
	if (config_numa(m))
		seq_printf(s, "Node %d ", zone->zone_pgdat->node_id);
}

/* The zones the report walks: every populated zone of every node (for_each_populated_zone). */
#define for_each_populated_zone(m, zone)                                                       \
	for (int nid_ = 0; nid_ < (m)->nr_node_ids; nid_++)                                    \
		for (struct zone *zone = NODE_DATA(m, nid_)->node_zones;                        \
		     zone < NODE_DATA(m, nid_)->node_zones + MAX_NR_ZONES; zone++)             \
			if (populated_zone(zone))

/* zone_free_pcp: pages on the zone's per-CPU lists, over every CPU. */
static unsigned long zone_free_pcp(const struct machine *m, const struct zone *zone)
{
	unsigned long pages = 0;

	for (int cpu = 0; cpu < m->nr_cpu_ids; cpu++)
		pages += (unsigned long)zone->per_cpu_pageset[cpu].count;
	return pages;
}

/* zone_free_highatomic: free pages held in the high-order atomic reserve. */
static unsigned long zone_free_highatomic(const struct zone *zone)
{
	unsigned long pages = 0;

	for (int order = 0; order < NR_PAGE_ORDERS; order++) {
		const struct list_head *curr;

		list_for_each(curr, &zone->free_area[order].free_list[MIGRATE_HIGHATOMIC])
			pages += 1UL << order;
	}
	return pages;
}

/* The machine-wide counters, in pages; free_pcp over the zones the failed request could use. */
static void show_free_areas_global(struct machine *m, struct seq_file *s, int max_zone_idx)
{
	unsigned long free_pcp = 0;

	for_each_populated_zone(m, zone) {
		if (zone_idx(zone) <= max_zone_idx)
			free_pcp += zone_free_pcp(m, zone);
	}
	seq_printf(s,
		   "active_anon:%lu inactive_anon:%lu isolated_anon:%lu\n"
		   " active_file:%lu inactive_file:%lu isolated_file:%lu\n"
		   " unevictable:%lu dirty:%lu writeback:%lu\n"
		   " slab_reclaimable:%lu slab_unreclaimable:%lu\n"
		   " mapped:%lu shmem:%lu pagetables:%lu\n"
		   " sec_pagetables:%lu bounce:%lu\n"
		   " kernel_misc_reclaimable:%lu\n"
		   " free:%lu free_pcp:%lu free_cma:%lu\n",
		   global_node_page_state(m, NR_ACTIVE_ANON), global_node_page_state(m, NR_INACTIVE_ANON),
		   global_node_page_state(m, NR_ISOLATED_ANON), global_node_page_state(m, NR_ACTIVE_FILE),
		   global_node_page_state(m, NR_INACTIVE_FILE), global_node_page_state(m, NR_ISOLATED_FILE),
		   global_node_page_state(m, NR_UNEVICTABLE), global_node_page_state(m, NR_FILE_DIRTY),
		   global_node_page_state(m, NR_WRITEBACK), global_node_page_state(m, NR_SLAB_RECLAIMABLE_B),
		   global_node_page_state(m, NR_SLAB_UNRECLAIMABLE_B), global_node_page_state(m, NR_FILE_MAPPED),
		   global_node_page_state(m, NR_SHMEM), global_node_page_state(m, NR_PAGETABLE),
		   global_node_page_state(m, NR_SECONDARY_PAGETABLE), 0UL,
		   global_node_page_state(m, NR_KERNEL_MISC_RECLAIMABLE), global_zone_page_state(m, NR_FREE_PAGES),
		   free_pcp, global_zone_page_state(m, NR_FREE_CMA_PAGES));
}

/* One node's counters, in KiB; a node that manages no memory up to max_zone_idx is left out. The THP
 * counters are there when the kernel has THP. kswapd does not give up on a node yet:
 * all_unreclaimable is "no". */
static void show_free_areas_node(const struct machine *m, struct seq_file *s, const pg_data_t *pgdat,
				 int max_zone_idx)
{
	unsigned long managed = 0;

	for (int i = 0; i <= max_zone_idx; i++)
		managed += pgdat->node_zones[i].managed_pages;
	if (!managed)
		return;
	seq_printf(s,
		   "Node %d active_anon:%lukB inactive_anon:%lukB active_file:%lukB inactive_file:%lukB"
		   " unevictable:%lukB isolated(anon):%lukB isolated(file):%lukB mapped:%lukB dirty:%lukB"
		   " writeback:%lukB shmem:%lukB",
		   pgdat->node_id, K(node_page_state(pgdat, NR_ACTIVE_ANON)),
		   K(node_page_state(pgdat, NR_INACTIVE_ANON)), K(node_page_state(pgdat, NR_ACTIVE_FILE)),
		   K(node_page_state(pgdat, NR_INACTIVE_FILE)), K(node_page_state(pgdat, NR_UNEVICTABLE)),
		   K(node_page_state(pgdat, NR_ISOLATED_ANON)), K(node_page_state(pgdat, NR_ISOLATED_FILE)),
		   K(node_page_state(pgdat, NR_FILE_MAPPED)), K(node_page_state(pgdat, NR_FILE_DIRTY)),
		   K(node_page_state(pgdat, NR_WRITEBACK)), K(node_page_state(pgdat, NR_SHMEM)));
	if (m->arch->thp)
		seq_printf(s, " shmem_thp:%lukB shmem_pmdmapped:%lukB anon_thp:%lukB",
			   K(node_page_state(pgdat, NR_SHMEM_THPS)), K(node_page_state(pgdat, NR_SHMEM_PMDMAPPED)),
			   K(node_page_state(pgdat, NR_ANON_THPS)));
	seq_printf(s, " kernel_stack:%lukB pagetables:%lukB sec_pagetables:%lukB all_unreclaimable? %s Balloon:%lukB\n",
		   node_page_state(pgdat, NR_KERNEL_STACK_KB), K(node_page_state(pgdat, NR_PAGETABLE)),
		   K(node_page_state(pgdat, NR_SECONDARY_PAGETABLE)), "no", K(node_page_state(pgdat, NR_BALLOON_PAGES)));
}

/* One zone's watermarks and counters in KiB, then its lowmem_reserve[] in pages. */
static void show_free_areas_zone(struct machine *m, struct seq_file *s, const struct zone *zone)
{
	show_node(m, s, zone);
	seq_printf(s,
		   "%s free:%lukB boost:%lukB min:%lukB low:%lukB high:%lukB reserved_highatomic:%luKB"
		   " free_highatomic:%luKB active_anon:%lukB inactive_anon:%lukB active_file:%lukB"
		   " inactive_file:%lukB unevictable:%lukB writepending:%lukB zspages:%lukB present:%lukB"
		   " managed:%lukB mlocked:%lukB bounce:%lukB free_pcp:%lukB local_pcp:%ukB free_cma:%lukB\n",
		   zone->name, K(zone_page_state(zone, NR_FREE_PAGES)), K(zone->watermark_boost),
		   K(min_wmark_pages(zone)), K(low_wmark_pages(zone)), K(high_wmark_pages(zone)),
		   K(zone->nr_reserved_highatomic), K(zone_free_highatomic(zone)),
		   K(zone_page_state(zone, NR_ZONE_ACTIVE_ANON)), K(zone_page_state(zone, NR_ZONE_INACTIVE_ANON)),
		   K(zone_page_state(zone, NR_ZONE_ACTIVE_FILE)), K(zone_page_state(zone, NR_ZONE_INACTIVE_FILE)),
		   K(zone_page_state(zone, NR_ZONE_UNEVICTABLE)), K(zone_page_state(zone, NR_ZONE_WRITE_PENDING)),
		   K(zone_page_state(zone, NR_ZSPAGES)), K(zone->present_pages), K(zone->managed_pages),
		   K(zone_page_state(zone, NR_MLOCK)), 0UL, K(zone_free_pcp(m, zone)),
		   (unsigned int)K((unsigned long)zone->per_cpu_pageset[m->this_cpu].count),
		   K(zone_page_state(zone, NR_FREE_CMA_PAGES)));
	seq_puts(s, "lowmem_reserve[]:");
	for (int i = 0; i < MAX_NR_ZONES; i++) {
		if (zone_configured(m, (enum zone_type)i))
			seq_printf(s, " %ld", zone->lowmem_reserve[i]);
	}
	seq_putc(s, '\n');
}

/* show_migration_types: the letters of the migratetypes that have free blocks (mm/show_mem.c). */
static void show_migration_types(struct seq_file *s, unsigned int types)
{
	static const char letters[MIGRATE_TYPES] = {
		[MIGRATE_UNMOVABLE] = 'U',
		[MIGRATE_MOVABLE] = 'M',
		[MIGRATE_RECLAIMABLE] = 'E',
		[MIGRATE_HIGHATOMIC] = 'H',
		[MIGRATE_ISOLATE] = 'I',
	};

	seq_putc(s, '(');
	for (int i = 0; i < MIGRATE_TYPES; i++) {
		if (types & (1U << i))
			seq_putc(s, letters[i]);
	}
	seq_puts(s, ") ");
}

/* One zone's free blocks: "N*SIZEkB (TYPES)" per order and the total. */
static void show_free_areas_buddy(const struct machine *m, struct seq_file *s, const struct zone *zone)
{
	unsigned long total = 0;

	show_node(m, s, zone);
	seq_printf(s, "%s: ", zone->name);
	for (int order = 0; order < NR_PAGE_ORDERS; order++) {
		const struct free_area *area = &zone->free_area[order];
		unsigned int types = 0;

		for (int type = 0; type < MIGRATE_TYPES; type++) {
			if (!list_empty(&area->free_list[type]))
				types |= 1U << type;
		}
		total += area->nr_free << order;
		seq_printf(s, "%lu*%lukB ", area->nr_free, K(1UL) << order);
		if (area->nr_free)
			show_migration_types(s, types);
	}
	seq_printf(s, "= %lukB\n", K(total));
}

/* hugetlb_show_meminfo_node: each huge page size's pool on a node, largest size first (mm/hugetlb.c). */
static void hugetlb_show_meminfo_node(struct machine *m, struct seq_file *s, int nid)
{
	const struct hugetlb_state *hs = hugetlb_state_of(m);

	for (int i = hs->hugetlb_max_hstate - 1; i >= 0; i--) {
		const struct hstate *h = &hs->hstates[i];

		seq_printf(s, "Node %d hugepages_total=%lu hugepages_free=%lu hugepages_surp=%lu hugepages_size=%lukB\n",
			   nid, h->nr_huge_pages_node[nid], h->free_huge_pages_node[nid],
			   h->surplus_huge_pages_node[nid], huge_page_size(h) >> 10);
	}
}

/* show_swap_cache_info: the swap lines (mm/swap_state.c). */
static void show_swap_cache_info(struct machine *m, struct seq_file *s)
{
	seq_printf(s, "%lu pages in swap cache\n", global_node_page_state(m, NR_SWAPCACHE));
	seq_printf(s, "Free swap  = %ldkB\n", get_nr_swap_pages(m) << (PAGE_SHIFT - 10));
	seq_printf(s, "Total swap = %lukB\n", (unsigned long)total_swap_pages(m) << (PAGE_SHIFT - 10));
}

/* __show_free_areas: the body of the Mem-Info report, for the zones up to max_zone_idx (the highest a
 * failed request could use) of every node (mm/show_mem.c show_free_areas). */
static void __show_free_areas(struct machine *m, struct seq_file *s, int max_zone_idx)
{
	show_free_areas_global(m, s, max_zone_idx);
	for (int nid = 0; nid < m->nr_node_ids; nid++)
		show_free_areas_node(m, s, NODE_DATA(m, nid), max_zone_idx);
	for_each_populated_zone(m, zone) {
		if (zone_idx(zone) <= max_zone_idx)
			show_free_areas_zone(m, s, zone);
	}
	for_each_populated_zone(m, zone) {
		if (zone_idx(zone) <= max_zone_idx)
			show_free_areas_buddy(m, s, zone);
	}
	for (int nid = 0; nid < m->nr_node_ids; nid++)
		hugetlb_show_meminfo_node(m, s, nid);
	seq_printf(s, "%lu total pagecache pages\n", global_node_page_state(m, NR_FILE_PAGES));
	show_swap_cache_info(m, s);
}

void show_free_areas(struct machine *m, struct seq_file *s)
{
	__show_free_areas(m, s, MAX_NR_ZONES - 1);
}

/* __show_mem: "Mem-Info:", the free areas up to max_zone_idx, then the RAM totals (mm/show_mem.c). */
void __show_mem(struct machine *m, struct seq_file *s, int max_zone_idx)
{
	unsigned long total = 0, reserved = 0, highmem = 0;

	seq_puts(s, "Mem-Info:\n");
	__show_free_areas(m, s, max_zone_idx);
	for_each_populated_zone(m, zone) {
		total += zone->present_pages;
		reserved += zone->present_pages - zone->managed_pages;
		if (zone_idx(zone) == ZONE_HIGHMEM)
			highmem += zone->present_pages;
	}
	seq_printf(s, "%lu pages RAM\n", total);
	seq_printf(s, "%lu pages HighMem/MovableOnly\n", highmem);
	seq_printf(s, "%lu pages reserved\n", reserved);
}

void show_mem(struct machine *m, struct seq_file *s)
{
	__show_mem(m, s, MAX_NR_ZONES - 1);
}
