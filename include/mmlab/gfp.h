/*
 * GFP flags ("get free pages") and the page allocator's interface (include/linux/gfp_types.h, gfp.h).
 * A flag says where the pages may come from (zone modifiers), what the caller may do to get them
 * (reclaim, I/O, filesystem), how hard to try, and what the pages will be used for (mobility).
 */
#ifndef MMLAB_GFP_H
#define MMLAB_GFP_H

#include <mmlab/mmzone.h>

/* The bits, in the kernel's order and values (include/linux/gfp_types.h). */
#define ___GFP_DMA		0x01u
#define ___GFP_HIGHMEM		0x02u
#define ___GFP_DMA32		0x04u
#define ___GFP_MOVABLE		0x08u
#define ___GFP_RECLAIMABLE	0x10u
#define ___GFP_HIGH		0x20u
#define ___GFP_IO		0x40u
#define ___GFP_FS		0x80u
#define ___GFP_ZERO		0x100u
#define ___GFP_DIRECT_RECLAIM	0x400u
#define ___GFP_KSWAPD_RECLAIM	0x800u
#define ___GFP_WRITE		0x1000u
#define ___GFP_NOWARN		0x2000u
#define ___GFP_RETRY_MAYFAIL	0x4000u
#define ___GFP_NOFAIL		0x8000u
#define ___GFP_NORETRY		0x10000u
#define ___GFP_MEMALLOC		0x20000u
#define ___GFP_COMP		0x40000u
#define ___GFP_NOMEMALLOC	0x80000u
#define ___GFP_HARDWALL		0x100000u
#define ___GFP_THISNODE		0x200000u
#define ___GFP_ACCOUNT		0x400000u
#define ___GFP_ZEROTAGS		0x800000u

/* Zone modifiers: which zones may serve the request. */
#define __GFP_DMA		___GFP_DMA
#define __GFP_HIGHMEM		___GFP_HIGHMEM
#define __GFP_DMA32		___GFP_DMA32
#define __GFP_MOVABLE		___GFP_MOVABLE		/* also: the page can be migrated */
#define GFP_ZONEMASK		(__GFP_DMA | __GFP_HIGHMEM | __GFP_DMA32 | __GFP_MOVABLE)

/* Mobility and placement. */
#define __GFP_RECLAIMABLE	___GFP_RECLAIMABLE	/* slab pages a shrinker can free */
#define __GFP_WRITE		___GFP_WRITE
#define __GFP_HARDWALL		___GFP_HARDWALL
#define __GFP_THISNODE		___GFP_THISNODE		/* this node only, no fallback */
#define __GFP_ACCOUNT		___GFP_ACCOUNT
#define GFP_MOVABLE_MASK	(__GFP_RECLAIMABLE | __GFP_MOVABLE)
#define GFP_MOVABLE_SHIFT	3

/* Watermark modifiers: access to the reserves. */
#define __GFP_HIGH		___GFP_HIGH		/* high priority: may dip below min */
#define __GFP_MEMALLOC		___GFP_MEMALLOC
#define __GFP_NOMEMALLOC	___GFP_NOMEMALLOC

/* Reclaim modifiers: what the caller may do when memory is short. */
#define __GFP_IO		___GFP_IO
#define __GFP_FS		___GFP_FS
#define __GFP_DIRECT_RECLAIM	___GFP_DIRECT_RECLAIM	/* the caller may sleep and reclaim */
#define __GFP_KSWAPD_RECLAIM	___GFP_KSWAPD_RECLAIM	/* wake kswapd at the low watermark */
#define __GFP_RECLAIM		(__GFP_DIRECT_RECLAIM | __GFP_KSWAPD_RECLAIM)
#define __GFP_RETRY_MAYFAIL	___GFP_RETRY_MAYFAIL
#define __GFP_NOFAIL		___GFP_NOFAIL
#define __GFP_NORETRY		___GFP_NORETRY

/* Action modifiers. */
#define __GFP_NOWARN		___GFP_NOWARN		/* no allocation-failure report */
#define __GFP_COMP		___GFP_COMP		/* make a compound page */
#define __GFP_ZERO		___GFP_ZERO		/* return zeroed pages */
#define __GFP_ZEROTAGS		___GFP_ZEROTAGS

/* The combinations callers use. */
#define GFP_ATOMIC		(__GFP_HIGH | __GFP_KSWAPD_RECLAIM)
#define GFP_KERNEL		(__GFP_RECLAIM | __GFP_IO | __GFP_FS)
#define GFP_KERNEL_ACCOUNT	(GFP_KERNEL | __GFP_ACCOUNT)
#define GFP_NOWAIT		(__GFP_KSWAPD_RECLAIM)
#define GFP_NOIO		(__GFP_RECLAIM)
#define GFP_NOFS		(__GFP_RECLAIM | __GFP_IO)
#define GFP_USER		(__GFP_RECLAIM | __GFP_IO | __GFP_FS | __GFP_HARDWALL)
#define GFP_DMA			__GFP_DMA
#define GFP_DMA32		__GFP_DMA32
#define GFP_HIGHUSER		(GFP_USER | __GFP_HIGHMEM)
#define GFP_HIGHUSER_MOVABLE	(GFP_HIGHUSER | __GFP_MOVABLE)
#define GFP_TRANSHUGE_LIGHT	((GFP_HIGHUSER_MOVABLE | __GFP_COMP | __GFP_NOMEMALLOC | __GFP_NOWARN) & \
				 ~__GFP_RECLAIM)
#define GFP_TRANSHUGE		(GFP_TRANSHUGE_LIGHT | __GFP_DIRECT_RECLAIM)

struct machine;
struct seq_file;

/* gfp_migratetype: the free lists a request draws from, from its mobility bits. */
static inline enum migratetype gfp_migratetype(gfp_t gfp)
{
	return (enum migratetype)((gfp & GFP_MOVABLE_MASK) >> GFP_MOVABLE_SHIFT);
}

/* The flags by name, composite names first, as %pGg prints them (include/trace/events/mmflags.h). */
struct gfp_name {
	gfp_t mask;
	const char *name;
};
extern const struct gfp_name gfp_names[];
/* format_gfp_flags: "GFP_KERNEL|__GFP_ZERO" into s. */
void format_gfp_flags(struct seq_file *s, gfp_t gfp);
/* parse_gfp_flag: one name to its bits; false if the name is unknown. */
bool parse_gfp_flag(const char *name, size_t len, gfp_t *out);

/* gfp_zone: the highest zone a request may use: a look-up in a table built at boot (include/linux/gfp.h). */
void gfp_zone_table_init(struct machine *m);
#define gfp_zone(m, gfp) ((enum zone_type)(m)->gfp_zone_table[(gfp) & GFP_ZONEMASK])

/* The buddy allocator (mm/page_alloc.c). Every allocation returns NULL when it cannot be served. */
struct page *__alloc_pages(struct machine *m, gfp_t gfp, unsigned int order, int preferred_nid);
struct page *__alloc_pages_nodemask(struct machine *m, gfp_t gfp, unsigned int order, int preferred_nid,
				    const nodemask_t *nodemask);
struct page *alloc_pages(struct machine *m, gfp_t gfp, unsigned int order);
struct page *alloc_pages_node(struct machine *m, int nid, gfp_t gfp, unsigned int order);
void __free_pages(struct machine *m, struct page *page, unsigned int order);
/* __get_free_pages: a kernel virtual address in the direct map (no HighMem); 0 on failure. */
unsigned long __get_free_pages(struct machine *m, gfp_t gfp, unsigned int order);
unsigned long get_zeroed_page(struct machine *m, gfp_t gfp);
void free_pages(struct machine *m, unsigned long addr, unsigned int order);

/* Watermarks and reserves: recomputed when min_free_kbytes, watermark_scale_factor or
 * lowmem_reserve_ratio change (mm/page_alloc.c). */
void setup_per_zone_wmarks(struct machine *m);
void setup_per_zone_lowmem_reserve(struct machine *m);
void calculate_min_free_kbytes(struct machine *m);
bool zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark, int highest_zoneidx,
		       unsigned int alloc_flags);
/* drain_all_pages: return every per-CPU list page to the buddy lists. */
void drain_all_pages(struct machine *m);

/* alloc_contig_pages: 2^order pages, aligned to their size, on node nid in the zones gfp allows, as
 * one compound page with one reference: a free or freeable range found, its pageblocks isolated and its
 * movable pages migrated away. For sizes beyond the buddy allocator (1 GiB hugetlb pages). NULL when no
 * range can be emptied (mm/page_alloc.c). */
struct page *alloc_contig_pages(struct machine *m, unsigned int order, gfp_t gfp, int nid);
/* free_contig_range: such a page back to the buddy allocator, in MAX_PAGE_ORDER blocks. */
void free_contig_range(struct machine *m, struct page *page, unsigned int order);

#endif
