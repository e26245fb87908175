/* What the files of src/mm share and nobody else needs (mm/internal.h). */
#ifndef MM_INTERNAL_H
#define MM_INTERNAL_H

#include <mmlab/gfp.h>
#include <mmlab/machine.h>

/* alloc_flags: how get_page_from_freelist may use a zone (mm/internal.h). The low bits pick the
 * watermark to respect. */
#define ALLOC_WMARK_MIN		WMARK_MIN
#define ALLOC_WMARK_LOW		WMARK_LOW
#define ALLOC_WMARK_HIGH	WMARK_HIGH
#define ALLOC_NO_WATERMARKS	0x04	/* ignore watermarks entirely (__GFP_MEMALLOC) */
#define ALLOC_WMARK_MASK	(ALLOC_NO_WATERMARKS - 1)
#define ALLOC_OOM		0x08	/* the OOM victim may dip deeper */
#define ALLOC_NON_BLOCK		0x10	/* the caller cannot reclaim: may use part of the reserve */
#define ALLOC_MIN_RESERVE	0x20	/* __GFP_HIGH: may use half the min reserve */
#define ALLOC_CPUSET		0x40
#define ALLOC_CMA		0x80
#define ALLOC_NOFRAGMENT	0x100	/* avoid mixing migratetypes in a pageblock */
#define ALLOC_HIGHATOMIC	0x200	/* may use the high-order atomic reserve */
#define ALLOC_KSWAPD		0x800	/* wake kswapd when below the low watermark */
#define ALLOC_RESERVES		(ALLOC_NON_BLOCK | ALLOC_MIN_RESERVE | ALLOC_HIGHATOMIC | ALLOC_OOM)

static inline unsigned long pageblock_nr_pages(const struct machine *m)
{
	return 1UL << m->arch->pageblock_order;
}

/* Index of pfn's pageblock in its zone's pageblock_flags; the first block may be partial. */
static inline unsigned long pfn_to_bitidx(const struct machine *m, const struct zone *zone, unsigned long pfn)
{
	unsigned long base = zone->zone_start_pfn & ~(pageblock_nr_pages(m) - 1);
	return (pfn - base) >> m->arch->pageblock_order;
}

/* get_pfnblock_migratetype: the migratetype recorded for pfn's pageblock (mm/page_alloc.c). */
static inline enum migratetype get_pfnblock_migratetype(const struct machine *m, const struct zone *zone,
							unsigned long pfn)
{
	return (enum migratetype)zone->pageblock_flags[pfn_to_bitidx(m, zone, pfn)];
}

static inline unsigned long zone_nr_pageblocks(const struct machine *m, const struct zone *zone)
{
	unsigned long base = zone->zone_start_pfn & ~(pageblock_nr_pages(m) - 1);
	return (zone_end_pfn(zone) - base + pageblock_nr_pages(m) - 1) >> m->arch->pageblock_order;
}

void set_pageblock_migratetype(struct machine *m, struct zone *zone, unsigned long pfn, enum migratetype mt);

/* pcp_allowed_order: orders served from the per-CPU lists. */
static inline bool pcp_allowed_order(const struct machine *m, unsigned int order)
{
	return order <= PAGE_ALLOC_COSTLY_ORDER || (m->arch->thp && order == m->arch->pageblock_order);
}

/* find_suitable_fallback: the first type an allocation of start_mt falls back to with a free block of
 * this order, or -1; *can_steal: whether it may claim the whole pageblock (mm/page_alloc.c). */
int find_suitable_fallback(const struct machine *m, struct free_area *area, unsigned int order,
			   enum migratetype start_mt, bool *can_steal);
/* __isolate_free_page: a free block taken off the lists for compaction; its pages, or 0. */
unsigned long __isolate_free_page(struct machine *m, struct page *page, unsigned int order);
/* drain_local_pages: this CPU's per-CPU lists of zone emptied into the buddy. */
void drain_local_pages(struct machine *m, struct zone *zone);

/* Boot: hand a range of free RAM to the buddy allocator (mm/mm_init.c memblock_free_pages). */
void __free_pages_core(struct machine *m, struct page *page, unsigned int order);
/* Per-CPU pagesets: allocated at boot, batch and high recomputed with the watermarks. */
void setup_zone_pageset(struct machine *m, struct zone *zone);
void zone_pcp_update(struct machine *m, struct zone *zone);
void free_zone_pagesets(struct zone *zone);

/* check_report: one "machine_check: " line of machine_check's report, and one more error counted. */
void check_report(struct seq_file *report, int *errors, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* bad_page: report a page in a state it must not be in, as the kernel does, and leave it alone. */
void bad_page(struct machine *m, struct page *page, const char *reason);

/* struct scan_control: one reclaim pass's goal and limits (mm/vmscan.c). */
struct scan_control {
	unsigned long nr_to_reclaim;
	unsigned long nr_reclaimed;
	gfp_t gfp_mask;
	int order;
	int priority;			/* scan 1/2^priority of each list */
	enum zone_type reclaim_idx;
	bool may_swap;
	bool kswapd;			/* current_is_kswapd() */
	bool file_is_tiny;
};

/* get_scan_count: the pages of each of pgdat's LRU lists the pass scans, from vm.swappiness, the
 * lists' reclaim costs and whether swap is available (mm/vmscan.c). */
void get_scan_count(struct machine *m, pg_data_t *pgdat, struct scan_control *sc, unsigned long nr[NR_LRU_LISTS]);

#endif
