/*
 * Physical memory: pages, zones and nodes (include/linux/mm_types.h, include/linux/mmzone.h).
 *
 * RAM is described by one array of struct page (mem_map, one entry per 4 KiB page frame). Frames are
 * grouped into zones by what hardware can reach them (DMA below 16 MiB, DMA32 below 4 GiB, ...), and
 * zones into NUMA nodes. The buddy allocator keeps each zone's free frames in power-of-two blocks.
 */
#ifndef MMLAB_MMZONE_H
#define MMLAB_MMZONE_H

#include <stdbool.h>
#include <stdint.h>

#include <mmlab/list.h>
#include <mmlab/vm_event_item.h>

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)
#define PAGE_MASK	(~(PAGE_SIZE - 1))

/* Buddy orders 0..MAX_PAGE_ORDER: blocks of 4 KiB up to 4 MiB (include/linux/mmzone.h). */
#define MAX_PAGE_ORDER		10
#define NR_PAGE_ORDERS		(MAX_PAGE_ORDER + 1)
/* Orders above this are "costly": the allocator tries less hard for them. */
#define PAGE_ALLOC_COSTLY_ORDER	3

#define MAX_NUMNODES	8
#define NUMA_NO_NODE	(-1)	/* include/linux/numa.h */

/* nodemask_t (include/linux/nodemask.h): one bit per node. */
typedef struct {
	unsigned long bits;
} nodemask_t;
#define NR_CPUS		64

typedef unsigned int gfp_t;

/* Which hardware can address a zone's pages; the order is the fallback order, lowest first. */
enum zone_type {
	ZONE_DMA,	/* ISA DMA: below 16 MiB */
	ZONE_DMA32,	/* 32-bit devices: below 4 GiB (x86_64 only) */
	ZONE_NORMAL,	/* directly mapped by the kernel */
	ZONE_HIGHMEM,	/* above the 896 MiB direct map (i386 only): reached through kmap */
	ZONE_MOVABLE,	/* only movable pages (kernelcore=/movablecore=; empty here) */
	ZONE_DEVICE,	/* device memory (x86_64; empty here) */
	MAX_NR_ZONES
};

/* How a free block may be used; pageblocks of 2^pageblock_order pages each carry one type. */
enum migratetype {
	MIGRATE_UNMOVABLE,
	MIGRATE_MOVABLE,
	MIGRATE_RECLAIMABLE,
	MIGRATE_PCPTYPES,	/* the types that have per-CPU lists */
	MIGRATE_HIGHATOMIC = MIGRATE_PCPTYPES,
	MIGRATE_ISOLATE,	/* being isolated for migration or offlining: never allocated from */
	MIGRATE_TYPES
};

/* struct page flags (include/linux/page-flags.h); the zone and node numbers sit in the top bits. */
enum pageflags {
	PG_locked,
	PG_writeback,
	PG_referenced,
	PG_uptodate,
	PG_dirty,
	PG_lru,
	PG_head,		/* first page of a compound page */
	PG_waiters,
	PG_active,
	PG_workingset,
	PG_owner_priv_1,
	PG_owner_2,
	PG_arch_1,
	PG_reserved,		/* never given to the buddy allocator: boot memory, holes, mem_map */
	PG_private,
	PG_private_2,
	PG_reclaim,
	PG_swapbacked,
	PG_unevictable,
	PG_mlocked,
	__NR_PAGEFLAGS,
	/* A page-cache page read ahead of need, the first of its window's async part: a read that
	 * reaches it reads the next window. The same bit as PG_reclaim, which only pages under
	 * writeback carry. */
	PG_readahead = PG_reclaim
};

/*
 * The multi-gen LRU's fields in page->flags, above the page flags (include/linux/page-flags-layout.h,
 * include/linux/mmzone.h): the generation a page is in, plus one (0: on no generation list), and
 * the accesses through file descriptors it had beyond the first (LRU_REFS, with PG_referenced).
 */
#define MIN_NR_GENS		2U
#define MAX_NR_GENS		4U
#define MAX_NR_TIERS		4U
#define NR_HIST_GENS		1U	/* !CONFIG_LRU_GEN_STATS */
#define ANON_AND_FILE		2
#define LRU_GEN_ANON		0
#define LRU_GEN_FILE		1
#define LRU_GEN_WIDTH		3	/* order_base_2(MAX_NR_GENS + 1) */
#define LRU_REFS_WIDTH		(MAX_NR_TIERS - 2)
#define LRU_GEN_PGOFF		__NR_PAGEFLAGS
#define LRU_REFS_PGOFF		(LRU_GEN_PGOFF + LRU_GEN_WIDTH)
#define LRU_GEN_MASK		(((1UL << LRU_GEN_WIDTH) - 1) << LRU_GEN_PGOFF)
#define LRU_REFS_MASK		(((1UL << LRU_REFS_WIDTH) - 1) << LRU_REFS_PGOFF)
#define LRU_REFS_FLAGS		(LRU_REFS_MASK | (1UL << PG_referenced))
/* The bits a page must not carry when it is freed or allocated (PAGE_FLAGS_CHECK_AT_PREP). */
#define PAGE_FLAGS_CHECK_AT_PREP	(((1UL << __NR_PAGEFLAGS) - 1) | LRU_GEN_MASK | LRU_REFS_MASK)

#define ZONES_SHIFT	3
#define NODES_SHIFT	3
#define ZONES_PGSHIFT	(64 - ZONES_SHIFT)
#define NODES_PGSHIFT	(ZONES_PGSHIFT - NODES_SHIFT)

/* What a page that is not mapped into user space is used for: the top byte of page_type, which shares
 * the word of _mapcount (-1, "no type", when unused) (include/linux/page-flags.h, PGTY_*). */
enum pagetype {
	PG_buddy = 0xf0,	/* head page of a free block in a buddy free list */
	PG_offline = 0xf1,
	PG_table = 0xf2,	/* a page-table page */
	PG_guard = 0xf3,
	PG_hugetlb = 0xf4,
	PG_slab = 0xf5,		/* a slab (owned by a kmem_cache) */
	PG_zsmalloc = 0xf6,
	PG_unaccepted = 0xf7,
	PG_large_kmalloc = 0xf8,
	PG_mapcount_underflow = 0xff,
};

/*
 * struct page: one per page frame (include/linux/mm_types.h). Kept small: 56 bytes (the kernel's is 64).
 * Its words are shared by the page's current owner, as in the kernel: a free buddy block uses lru
 * and private (the order), a slab overlays struct slab, a tail page of a compound page holds
 * compound_head.
 */
struct page {
	unsigned long flags;
	union {
		struct {
			union {
				struct list_head lru;	/* buddy free list, per-CPU list or LRU */
				struct list_head pcp_list;
				struct {		/* on the unevictable "list", which is none */
					void *__filler;
					unsigned int mlock_count;	/* VM_LOCKED VMAs mapping it */
				};
			};
			unsigned long private;	/* free block: its order */
			void *mapping;		/* address_space, or anon_vma | PAGE_MAPPING_ANON */
			unsigned long index;	/* offset within the mapping */
		};
		struct {			/* tail pages of a compound page */
			unsigned long compound_head;	/* head page | 1 */
			unsigned char compound_order;	/* in the first tail page */
			int _entire_mapcount;		/* first tail page: PMDs mapping the folio, minus one */
		};
		struct {			/* the second tail page of a large anonymous folio */
			unsigned long __compound_head;
			/* on its node's deferred split queue (folio->_deferred_list); over lru.prev and
			 * private, which a tail page does not use, so mapping and index stay the page's */
			struct list_head _deferred_list;
		};
	};
	union {
		int _mapcount;		/* PTEs mapping the page, minus one */
		unsigned int page_type;	/* enum pagetype << 24, when not mapped */
	};
	int _refcount;
};
_Static_assert(sizeof(struct page) == 56, "struct page grew: check every overlay (struct slab) and the docs");

/* The free blocks of one order in a zone, one list per migratetype. */
struct free_area {
	struct list_head free_list[MIGRATE_TYPES];
	unsigned long nr_free;
};

/* Per-CPU lists: orders up to PAGE_ALLOC_COSTLY_ORDER per pcp type, plus two (unmovable, movable) for
 * pageblock-order pages, which transparent huge pages use. */
#define NR_LOWORDER_PCP_LISTS	(MIGRATE_PCPTYPES * (PAGE_ALLOC_COSTLY_ORDER + 1))
#define NR_PCP_THP		2
#define NR_PCP_LISTS		(NR_LOWORDER_PCP_LISTS + NR_PCP_THP)

/* A CPU's private cache of free pages for one zone: no zone lock on the fast path (mm/page_alloc.c). */
struct per_cpu_pages {
	int count;		/* pages on the lists */
	int high;		/* drain to the buddy when count reaches this */
	int high_min;
	int high_max;
	int batch;		/* pages moved between the lists and the buddy at a time */
	struct list_head lists[NR_PCP_LISTS];
} __attribute__((aligned(64)));	/* ____cacheline_aligned: one CPU's lists never share a line */

enum zone_watermarks {
	WMARK_MIN,
	WMARK_LOW,
	WMARK_HIGH,
	WMARK_PROMO,
	NR_WMARK
};

struct pglist_data;

/* A zone (include/linux/mmzone.h). */
struct zone {
	unsigned long _watermark[NR_WMARK];
	unsigned long watermark_boost;
	/* Pages this zone keeps back from allocations that could have used a higher zone. */
	long lowmem_reserve[MAX_NR_ZONES];
	struct pglist_data *zone_pgdat;
	struct per_cpu_pages *per_cpu_pageset;	/* one per CPU */
	unsigned char *pageblock_flags;		/* migratetype of each pageblock */

	unsigned long zone_start_pfn;
	unsigned long spanned_pages;	/* end - start, holes included */
	unsigned long present_pages;	/* RAM in the span */
	unsigned long managed_pages;	/* present minus what was reserved at boot */
	const char *name;

	struct free_area free_area[NR_PAGE_ORDERS];
	unsigned long nr_reserved_highatomic;	/* pages in pageblocks set aside as MIGRATE_HIGHATOMIC */
	long nr_free_highatomic;		/* of which free */
	/* Compaction deferral (mm/compaction.c defer_compaction): attempts since the last failure,
	 * log2 of how many to skip, and the lowest order that failed. */
	unsigned int compact_considered;
	unsigned int compact_defer_shift;
	int compact_order_failed;

	long vm_stat[NR_VM_ZONE_STAT_ITEMS];
	unsigned long vm_numa_event[NR_VM_NUMA_EVENT_ITEMS];
};

/* The order of zones to try for an allocation: this node's first, then others by distance. */
#define MAX_ZONES_PER_ZONELIST	(MAX_NUMNODES * MAX_NR_ZONES)
struct zoneref {
	struct zone *zone;
	int zone_idx;
};
struct zonelist {
	struct zoneref _zonerefs[MAX_ZONES_PER_ZONELIST + 1];	/* ends with a NULL zone */
};
enum {
	ZONELIST_FALLBACK,	/* every node, nearest first */
	ZONELIST_NOFALLBACK,	/* this node only (__GFP_THISNODE) */
	MAX_ZONELISTS
};

struct machine;

/* The LRU lists of a node (include/linux/mmzone.h enum lru_list): anon before file, inactive before
 * active, so that lru & LRU_ACTIVE and lru & LRU_FILE name the kind. */
#define LRU_ACTIVE	1
#define LRU_FILE	2
enum lru_list {
	LRU_INACTIVE_ANON,
	LRU_ACTIVE_ANON,
	LRU_INACTIVE_FILE,
	LRU_ACTIVE_FILE,
	LRU_UNEVICTABLE,
	NR_LRU_LISTS
};

/*
 * struct lru_gen_folio (include/linux/mmzone.h): the multi-gen LRU of a node. Pages sit in
 * generations numbered min_seq[type] .. max_seq (seq % MAX_NR_GENS names the lists); the two
 * youngest count as active in NR_ACTIVE_*. Aging makes a new generation (max_seq + 1) and moves
 * the pages found young there; eviction takes pages from the oldest one. Per tier (how often a page
 * was used through file descriptors), what was evicted, refaulted and protected feeds the choice of
 * the type to evict and the tiers to keep (the PID controller).
 */
struct lru_gen_folio {
	unsigned long max_seq;
	unsigned long min_seq[ANON_AND_FILE];
	uint64_t timestamps[MAX_NR_GENS];	/* the simulated time each generation was made */
	struct list_head folios[MAX_NR_GENS][ANON_AND_FILE][MAX_NR_ZONES];
	long nr_pages[MAX_NR_GENS][ANON_AND_FILE][MAX_NR_ZONES];
	unsigned long avg_refaulted[ANON_AND_FILE][MAX_NR_TIERS];
	unsigned long avg_total[ANON_AND_FILE][MAX_NR_TIERS];
	unsigned long protected[NR_HIST_GENS][ANON_AND_FILE][MAX_NR_TIERS];
	unsigned long evicted[NR_HIST_GENS][ANON_AND_FILE][MAX_NR_TIERS];
	unsigned long refaulted[NR_HIST_GENS][ANON_AND_FILE][MAX_NR_TIERS];
	bool enabled;			/* the pages are on these lists, not on lruvec->lists */
};

/* struct lruvec (include/linux/mmzone.h): the node's LRU lists, newest at the head, and the cost
 * of reclaiming each kind that get_scan_count balances (lru_note_cost); nonresident_age counts
 * evictions and activations, the clock of workingset refault distances (mm/workingset.c). */
struct lruvec {
	struct list_head lists[NR_LRU_LISTS];
	unsigned long anon_cost, file_cost;
	unsigned long nonresident_age;
	struct lru_gen_folio lrugen;
};

/* A NUMA node (pg_data_t, include/linux/mmzone.h). */
/* A node's queue of folios to split (include/linux/mmzone.h struct deferred_split), with what the
 * deferred split shrinker has left to scan (its per-node nr_deferred, mm/shrinker.c). */
struct deferred_split {
	struct list_head split_queue;
	unsigned long split_queue_len;
	unsigned long nr_deferred;
};

typedef struct pglist_data {
	struct zone node_zones[MAX_NR_ZONES];
	struct zonelist node_zonelists[MAX_ZONELISTS];
	int nr_zones;			/* highest populated zone index + 1 */
	int node_id;
	unsigned long node_start_pfn;
	unsigned long node_present_pages;
	unsigned long node_spanned_pages;
	unsigned long totalreserve_pages;
	struct machine *machine;	/* the machine this node belongs to */
	long vm_stat[NR_VM_NODE_STAT_ITEMS];
	int kcompactd_max_order;	/* the highest order kcompactd was woken for; 0: no work */
	int kcompactd_highest_zoneidx;	/* the highest zone it compacts */
	struct lruvec __lruvec;
	/* kswapd (mm/vmscan.c): woken with the order and highest zone an allocation needed; it runs
	 * from the simulated clock. kswapd_sleep_ns: when it last went to sleep. */
	bool kswapd_woken;
	int kswapd_order;
	enum zone_type kswapd_highest_zoneidx;
	int kswapd_failures;
	uint64_t kswapd_sleep_ns;
	/* The page-cache XArray nodes on this node that hold only shadows (its list of the kernel's
	 * shadow_nodes list_lru, mm/workingset.c), oldest first. */
	struct list_head shadow_nodes;
	/* Large anonymous folios partly unmapped, which the deferred split shrinker splits to free
	 * their unmapped pages (struct deferred_split, mm/huge_memory.c). */
	struct deferred_split deferred_split_queue;
} pg_data_t;

/* zone_idx: the zone's type, from its place in its node's array. */
static inline int zone_idx(const struct zone *zone)
{
	return (int)(zone - zone->zone_pgdat->node_zones);
}

static inline bool populated_zone(const struct zone *zone)
{
	return zone->present_pages != 0;
}

static inline unsigned long zone_end_pfn(const struct zone *zone)
{
	return zone->zone_start_pfn + zone->spanned_pages;
}

static inline bool zone_spans_pfn(const struct zone *zone, unsigned long pfn)
{
	return zone->zone_start_pfn <= pfn && pfn < zone_end_pfn(zone);
}

static inline unsigned long min_wmark_pages(const struct zone *z)
{
	return z->_watermark[WMARK_MIN] + z->watermark_boost;
}
static inline unsigned long low_wmark_pages(const struct zone *z)
{
	return z->_watermark[WMARK_LOW] + z->watermark_boost;
}
static inline unsigned long high_wmark_pages(const struct zone *z)
{
	return z->_watermark[WMARK_HIGH] + z->watermark_boost;
}
static inline unsigned long wmark_pages(const struct zone *z, enum zone_watermarks w)
{
	return z->_watermark[w] + z->watermark_boost;
}

/* Page flag helpers (include/linux/page-flags.h). */
static inline bool test_bit_flag(const struct page *page, int bit)
{
	return (page->flags >> bit) & 1;
}
static inline void set_page_flag(struct page *page, int bit)
{
	page->flags |= 1UL << bit;
}
static inline void clear_page_flag(struct page *page, int bit)
{
	page->flags &= ~(1UL << bit);
}
#define PageReserved(p)		test_bit_flag(p, PG_reserved)
#define SetPageReserved(p)	set_page_flag(p, PG_reserved)
#define ClearPageReserved(p)	clear_page_flag(p, PG_reserved)
#define PageHead(p)		test_bit_flag(p, PG_head)
#define PageLRU(p)		test_bit_flag(p, PG_lru)

static inline bool page_has_type(const struct page *page)
{
	return (page->page_type >> 24) >= PG_buddy && (page->page_type >> 24) < PG_mapcount_underflow;
}
static inline bool page_type_is(const struct page *page, enum pagetype type)
{
	return (page->page_type >> 24) == (unsigned int)type;
}
static inline void __SetPageType(struct page *page, enum pagetype type)
{
	page->page_type = (unsigned int)type << 24;
}
static inline void __ClearPageType(struct page *page)
{
	page->_mapcount = -1;
}
#define PageBuddy(p)	page_type_is(p, PG_buddy)
#define PageSlab(p)	page_type_is(p, PG_slab)
#define PageTable(p)	page_type_is(p, PG_table)

static inline enum zone_type page_zonenum(const struct page *page)
{
	return (enum zone_type)(page->flags >> ZONES_PGSHIFT);
}
static inline int page_to_nid(const struct page *page)
{
	return (int)((page->flags >> NODES_PGSHIFT) & ((1UL << NODES_SHIFT) - 1));
}
/*
 * The last CPU and pid to take a NUMA hinting fault on a page (include/linux/mm.h, LAST_CPUPID in
 * page->flags below the node): the cpu in the high bits, the low 8 bits of the pid below. The field
 * is kept inverted, so that clearing it - as the free path clears a page's flags - is
 * page_cpupid_reset_last's all ones: no fault yet (cpupid_pid_unset).
 */
#define LAST__PID_SHIFT		8
#define LAST__PID_MASK		((1 << LAST__PID_SHIFT) - 1)
#define LAST__CPU_SHIFT		6	/* NR_CPUS_BITS */
#define LAST__CPU_MASK		((1 << LAST__CPU_SHIFT) - 1)
#define LAST_CPUPID_SHIFT	(LAST__PID_SHIFT + LAST__CPU_SHIFT)
#define LAST_CPUPID_PGSHIFT	(NODES_PGSHIFT - LAST_CPUPID_SHIFT)
#define LAST_CPUPID_MASK	((1 << LAST_CPUPID_SHIFT) - 1)
#define LAST_CPUPID_FLAGS	((unsigned long)LAST_CPUPID_MASK << LAST_CPUPID_PGSHIFT)

static inline int cpu_pid_to_cpupid(int cpu, int pid)
{
	return ((cpu & LAST__CPU_MASK) << LAST__PID_SHIFT) | (pid & LAST__PID_MASK);
}
static inline int cpupid_to_pid(int cpupid)
{
	return cpupid & LAST__PID_MASK;
}
static inline int cpupid_to_cpu(int cpupid)
{
	return (cpupid >> LAST__PID_SHIFT) & LAST__CPU_MASK;
}
static inline bool cpupid_pid_unset(int cpupid)
{
	return cpupid_to_pid(cpupid) == (-1 & LAST__PID_MASK);
}
static inline int folio_last_cpupid(const struct page *page)
{
	return ~(int)(page->flags >> LAST_CPUPID_PGSHIFT) & LAST_CPUPID_MASK;
}
/* folio_xchg_last_cpupid: the page's last cpupid becomes cpupid; the one it had. */
static inline int folio_xchg_last_cpupid(struct page *page, int cpupid)
{
	int last = folio_last_cpupid(page);

	page->flags = (page->flags & ~LAST_CPUPID_FLAGS) |
		      ((unsigned long)(~cpupid & LAST_CPUPID_MASK) << LAST_CPUPID_PGSHIFT);
	return last;
}

static inline void set_page_links(struct page *page, enum zone_type zone, int nid)
{
	page->flags &= (1UL << NODES_PGSHIFT) - 1;
	page->flags |= ((unsigned long)zone << ZONES_PGSHIFT) | ((unsigned long)nid << NODES_PGSHIFT);
}

static inline int page_ref_count(const struct page *page)
{
	return page->_refcount;
}
static inline void set_page_count(struct page *page, int v)
{
	page->_refcount = v;
}
/* get_page: a reference to the folio the page belongs to (folio_get(page_folio(page))). */
static inline void get_page(struct page *page)
{
	if (page->compound_head & 1)
		page = (struct page *)(page->compound_head - 1);
	page->_refcount++;
}
/* put_page_testzero: drop a reference; true when it was the last one. */
static inline bool put_page_testzero(struct page *page)
{
	return --page->_refcount == 0;
}

static inline unsigned long buddy_order(const struct page *page)
{
	return page->private;
}

/* Compound pages: a head page and 2^order - 1 tail pages that point back to it. */
static inline struct page *compound_head(const struct page *page)
{
	if (page->compound_head & 1)
		return (struct page *)(page->compound_head - 1);
	return (struct page *)page;
}
static inline bool PageTail(const struct page *page)
{
	return page->compound_head & 1;
}
static inline unsigned int compound_order(const struct page *page)
{
	return PageHead(page) ? page[1].compound_order : 0;
}

/* Folios (include/linux/mm.h): a compound page seen through its head. page_folio: the head of the
 * folio a page belongs to; folio_nr_pages: its pages. */
static inline struct page *page_folio(const struct page *page)
{
	return compound_head(page);
}
static inline unsigned long folio_nr_pages(const struct page *folio)
{
	return 1UL << compound_order(folio);
}
/* folio_entire_mapcount: the PMDs (or PUDs) mapping a large folio whole. */
static inline int folio_entire_mapcount(const struct page *folio)
{
	return folio[1]._entire_mapcount + 1;
}
/* folio_precise_page_mapcount: the page tables that map this page of its folio: its own PTEs and
 * the PMDs mapping the whole folio (mm/internal.h). */
static inline int folio_precise_page_mapcount(const struct page *page)
{
	int mapcount = page_has_type(page) || page->_mapcount < 0 ? 0 : page->_mapcount + 1;

	if (PageHead(page) || PageTail(page))
		mapcount += folio_entire_mapcount(page_folio(page));
	return mapcount;
}
/* folio_mapcount: every mapping of every page of a folio, each holding a reference on it. */
static inline int folio_mapcount(const struct page *folio)
{
	int mapcount = 0;

	if (!PageHead(folio))
		return folio->_mapcount + 1;
	for (unsigned long i = 0; i < folio_nr_pages(folio); i++)
		if (!page_has_type(&folio[i]))	/* a hugetlb head's word holds its type */
			mapcount += folio[i]._mapcount + 1;
	return mapcount + folio_entire_mapcount(folio);
}
/* folio_mapped: some page of the folio is mapped (include/linux/mm.h). */
static inline bool folio_mapped(const struct page *folio)
{
	if (!PageHead(folio))
		return folio->_mapcount >= 0;
	if (folio_entire_mapcount(folio))
		return true;
	for (unsigned long i = 0; i < folio_nr_pages(folio); i++)
		if (!page_has_type(&folio[i]) && folio[i]._mapcount >= 0)
			return true;
	return false;
}

#endif
