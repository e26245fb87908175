/*
 * Memory compaction (include/linux/compaction.h, mm/internal.h struct compact_control): a zone's
 * movable pages are migrated from its bottom (the migration scanner) into free pages taken from its
 * top (the free scanner) until the scanners meet or a free block of the wanted order exists.
 * Unmovable pages stay where they are.
 */
#ifndef MMLAB_COMPACTION_H
#define MMLAB_COMPACTION_H

#include <mmlab/migrate.h>

/* What a compaction run ended with, in the kernel's order: try_to_compact_pages keeps the highest of
 * its zones' results (include/linux/compaction.h). */
enum compact_result {
	COMPACT_NOT_SUITABLE_ZONE,	/* the failure is not fragmentation (extfrag_threshold) */
	COMPACT_SKIPPED,	/* too little free memory to compact with */
	COMPACT_DEFERRED,	/* recent runs for this order failed: not tried this time */
	COMPACT_CONTINUE,	/* go on (or: compaction could help) */
	COMPACT_COMPLETE,	/* the scanners met */
	COMPACT_CONTENDED,	/* stopped: no free page could be isolated as a target */
	COMPACT_SUCCESS,	/* a free block of the wanted order exists */
};

/* How hard direct compaction tries: lower is harder (include/linux/compaction.h). */
enum compact_priority {
	COMPACT_PRIO_SYNC_FULL,
	MIN_COMPACT_PRIORITY = COMPACT_PRIO_SYNC_FULL,
	COMPACT_PRIO_SYNC_LIGHT,
	MIN_COMPACT_COSTLY_PRIORITY = COMPACT_PRIO_SYNC_LIGHT,
	DEF_COMPACT_PRIORITY = COMPACT_PRIO_SYNC_LIGHT,
	COMPACT_PRIO_ASYNC,
	INIT_COMPACT_PRIORITY = COMPACT_PRIO_ASYNC
};

/* Deferral: after a failure, compaction for that order or higher is skipped for 1, 2, 4 .. 64
 * attempts (mm/compaction.c COMPACT_MAX_DEFER_SHIFT). */
#define COMPACT_MAX_DEFER_SHIFT	6

/* Direct compaction retries with a higher priority before giving up (mm/page_alloc.c). */
#define MAX_COMPACT_RETRIES	16

/* COMPACT_CLUSTER_MAX: pages isolated for migration at a time (SWAP_CLUSTER_MAX). */
#define COMPACT_CLUSTER_MAX	32

/* One compaction run over a zone (mm/internal.h). */
struct compact_control {
	struct list_head freepages;	/* isolated free pages, order 0, migration targets */
	struct list_head migratepages;	/* isolated pages to migrate */
	unsigned int nr_freepages;
	unsigned int nr_migratepages;
	unsigned long free_pfn;		/* where the free scanner goes on, downward */
	unsigned long migrate_pfn;	/* where the migration scanner goes on, upward */
	unsigned long total_migrate_scanned;
	unsigned long total_free_scanned;
	struct zone *zone;
	int order;			/* the order wanted; -1: the whole zone (compact_memory) */
	enum migratetype migratetype;	/* of the allocation compacted for */
	int highest_zoneidx;
	unsigned int alloc_flags;	/* the watermark the allocation must meet (ALLOC_WMARK_*) */
	enum migrate_mode mode;
};

/* compact_zone: run cc over cc->zone from both ends (its lists, pfns and totals are set up here). */
enum compact_result compact_zone(struct machine *m, struct compact_control *cc);
/* compact_node: compact every populated zone of a node fully (/sys/devices/system/node/nodeN/compact). */
void compact_node(struct machine *m, pg_data_t *pgdat);
/* compact_nodes: every node (echo 1 > /proc/sys/vm/compact_memory). */
void compact_nodes(struct machine *m);

/* compaction_suitable: is there enough free memory for compaction to help an order-sized request,
 * and is the failure due to fragmentation (fragmentation_index above vm.extfrag_threshold)? */
bool compaction_suitable(struct zone *zone, int order, int highest_zoneidx);
/* fragmentation_index: -1000 if a block of the order is free, else 0 (lack of memory) .. 1000
 * (fragmentation) (mm/vmstat.c). */
int fragmentation_index(struct zone *zone, unsigned int order);

/* Free memory as the extfrag indices see it (mm/vmstat.c struct contig_page_info). */
struct contig_page_info {
	unsigned long free_pages;
	unsigned long free_blocks_total;
	unsigned long free_blocks_suitable;
};
void fill_contig_page_info(struct zone *zone, unsigned int suitable_order, struct contig_page_info *info);

/* try_to_compact_pages: direct compaction for an allocation, zone by zone of its zonelist, skipping
 * deferred zones, until one would satisfy it; the highest result of the zones (mm/compaction.c). */
struct alloc_context;
enum compact_result try_to_compact_pages(struct machine *m, gfp_t gfp, unsigned int order, unsigned int alloc_flags,
					 const struct alloc_context *ac, enum compact_priority prio);
/* compaction_defer_reset: an allocation of order succeeded in zone (alloc_success) or compaction
 * thinks it will: deferral ends (mm/compaction.c). */
void compaction_defer_reset(struct zone *zone, int order, bool alloc_success);
/* compaction_zonelist_suitable: would compaction have enough free pages, were the reclaimable ones
 * reclaimed, in some zone of the allocation's zonelist (mm/compaction.c)? */
bool compaction_zonelist_suitable(const struct alloc_context *ac, int order, unsigned int alloc_flags);

/* kcompactd: one per node, woken by wakeup_kcompactd when a high-order allocation finds only
 * fragmented memory; it runs from the simulated clock (mm/compaction.c). */
int kcompactd_init(struct machine *m);
void wakeup_kcompactd(pg_data_t *pgdat, int order, int highest_zoneidx);

#endif
