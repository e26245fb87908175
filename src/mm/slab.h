/* What the files of SLUB share (mm/slab.h): struct slab, struct kmem_cache and its per-CPU and
 * per-node parts, the machine's slab state, and the object-byte accessors. */
#ifndef MM_SLAB_H
#define MM_SLAB_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <mmlab/machine.h>
#include <mmlab/slab.h>

/*
 * struct slab: the head page of a slab seen as what it is (mm/slab.h). It overlays struct page word
 * for word: flags; the list word (a node's partial list, or the next pointer and count of a CPU's
 * partial chain); the owning cache where a page has its mapping; the freelist where a page has its
 * index; the counters where a page has private; the page type (PG_slab) and the refcount.
 */
struct slab {
	unsigned long __page_flags;
	union {
		struct list_head slab_list;
		struct {
			struct slab *next;	/* this CPU's partial slabs */
			int slabs;		/* how many follow, this one included */
		};
	};
	union {
		unsigned long counters;
		struct {
			unsigned inuse : 16;	/* objects handed out (all of them while frozen) */
			unsigned objects : 15;
			unsigned frozen : 1;	/* a CPU owns it */
		};
	};
	struct kmem_cache *slab_cache;
	unsigned long freelist;			/* first free object, 0 for none */
	unsigned int __page_type;
	int __page_refcount;
};

_Static_assert(sizeof(struct slab) == sizeof(struct page), "struct slab overlays struct page");
_Static_assert(offsetof(struct slab, slab_list) == offsetof(struct page, lru), "slab_list is lru");
_Static_assert(offsetof(struct slab, slab_cache) == offsetof(struct page, mapping), "slab_cache is mapping");
_Static_assert(offsetof(struct slab, freelist) == offsetof(struct page, index), "freelist is index");
_Static_assert(offsetof(struct slab, counters) == offsetof(struct page, private), "counters is private");
_Static_assert(offsetof(struct slab, __page_type) == offsetof(struct page, page_type), "page_type");
_Static_assert(offsetof(struct slab, __page_refcount) == offsetof(struct page, _refcount), "refcount");

static inline struct slab *page_slab(struct page *page)
{
	return (struct slab *)page;
}
static inline struct page *slab_page(struct slab *slab)
{
	return (struct page *)slab;
}

/* The lockless per-CPU part of a cache (struct kmem_cache_cpu, mm/slub.c). */
struct kmem_cache_cpu {
	unsigned long freelist;		/* next object to hand out from the active slab */
	struct slab *slab;		/* the active slab, frozen */
	struct slab *partial;		/* frozen partial slabs, a chain through slab->next */
} __attribute__((aligned(32)));		/* a power-of-two stride: a CPU's part is one shift away */

/* The per-node part (struct kmem_cache_node, mm/slub.c). */
struct kmem_cache_node {
	unsigned long nr_partial;
	struct list_head partial;
	long nr_slabs;
	long total_objects;
	struct list_head full;		/* debug caches with SLAB_STORE_USER only */
};

/* order and objects per slab in one word (struct kmem_cache_order_objects). */
struct kmem_cache_order_objects {
	unsigned int x;
};
#define OO_SHIFT	16
#define OO_MASK		((1u << OO_SHIFT) - 1)
#define MAX_OBJS_PER_PAGE	32767

static inline unsigned int oo_order(struct kmem_cache_order_objects x)
{
	return x.x >> OO_SHIFT;
}
static inline unsigned int oo_objects(struct kmem_cache_order_objects x)
{
	return x.x & OO_MASK;
}

/* Internal flag: free objects are poisoned (mm/slub.c __OBJECT_POISON). */
#define __OBJECT_POISON		0x80000000u

/* struct kmem_cache (include/linux/slub_def.h). */
struct kmem_cache {
	struct kmem_cache_cpu *cpu_slab;	/* one per CPU */
	slab_flags_t flags;
	unsigned long min_partial;
	unsigned int size;		/* object stride: object, red zones and metadata */
	unsigned int object_size;	/* what the user asked for */
	unsigned int offset;		/* of the free pointer in the object */
	unsigned int cpu_partial;	/* objects kept on a CPU's partial slabs */
	unsigned int cpu_partial_slabs;
	struct kmem_cache_order_objects oo;	/* preferred order */
	struct kmem_cache_order_objects min;	/* fallback order */
	gfp_t allocflags;		/* added to every slab allocation */
	unsigned int inuse;		/* offset to the metadata */
	unsigned int align;
	unsigned int red_left_pad;	/* left red zone */
	slab_flags_t user_flags;	/* what kmem_cache_create was given */
	char *name;
	struct list_head list;		/* slab_state.caches */
	unsigned long kobj;		/* this cache's own object in the kmem_cache cache (0: bootstrap) */
	struct kmem_cache_node *node[MAX_NUMNODES];
	unsigned long node_obj[MAX_NUMNODES];	/* their objects in the kmem_cache_node cache */
	/* The machine's direct map, copied here so the fast paths touch only the cache and the CPU's
	 * part of it: host address of a free object's link = object + fp_delta (the offset included);
	 * pfn = (object - page_offset) >> PAGE_SHIFT. */
	uintptr_t fp_delta;
	unsigned long page_offset;
	unsigned long direct_pfns;	/* pages in the direct map (lowmem) */
	struct page *mem_map;
	unsigned int ptr_size;
};

/* The machine's slab allocator (slab_caches, kmalloc_caches, slub_debug; mm/slab_common.c). */
struct slab_state {
	struct list_head caches;	/* newest first */
	struct kmem_cache *kmem_cache;	/* the cache of struct kmem_cache */
	struct kmem_cache *kmem_cache_node;
	struct kmem_cache *kmalloc_caches[NR_KMALLOC_TYPES][KMALLOC_SHIFT_HIGH + 1];
	unsigned int ptr_size;		/* sizeof(void *) of the simulated kernel: 8, or 4 on i386 */
	slab_flags_t slub_debug;	/* slub_debug= flags */
	char *slub_debug_string;	/* the cache names they apply to, NULL for all */
	bool tainted;			/* a slab bug was reported: TAINT_BAD_PAGE */
	char **sites;			/* SLAB_STORE_USER call sites, interned; track.addr is index + 1 */
	unsigned int nr_sites, max_sites;
};

/* Object bytes: a slab is never in HighMem, so its direct-map address finds the bytes at once. */
static inline unsigned char *slab_bytes(const struct machine *m, unsigned long addr)
{
	return m->phys + (addr - m->arch->page_offset);
}

/* Pointer-sized words in simulated memory: 8 bytes, or 4 on i386. */
static inline unsigned long read_word(const void *p, unsigned int ptr_size)
{
	if (ptr_size == 8) {
		uint64_t v;
		memcpy(&v, p, sizeof(v));
		return (unsigned long)v;
	}
	uint32_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}
static inline void write_word(void *p, unsigned int ptr_size, unsigned long val)
{
	if (ptr_size == 8) {
		uint64_t v = val;
		memcpy(p, &v, sizeof(v));
	} else {
		uint32_t v = (uint32_t)val;
		memcpy(p, &v, sizeof(v));
	}
}
static inline unsigned long slab_read_word(const struct machine *m, unsigned int ptr_size, unsigned long addr)
{
	return read_word(slab_bytes(m, addr), ptr_size);
}
static inline void slab_write_word(const struct machine *m, unsigned int ptr_size, unsigned long addr,
				   unsigned long val)
{
	write_word(slab_bytes(m, addr), ptr_size, val);
}

/* get_freepointer / set_freepointer: the link stored inside a free object (mm/slub.c). */
static inline unsigned long get_freepointer(const struct machine *m, const struct kmem_cache *s,
					    unsigned long object)
{
	(void)m;
	return read_word((const void *)(object + s->fp_delta), s->ptr_size);
}
static inline void set_freepointer(const struct machine *m, const struct kmem_cache *s, unsigned long object,
				   unsigned long fp)
{
	(void)m;
	write_word((void *)(object + s->fp_delta), s->ptr_size, fp);
}

/* virt_to_slab_fast: the slab of an address, NULL if none, from the cache's copy of the direct map.
 * One compare: below page_offset the subtraction wraps to a pfn far above direct_pfns. */
static inline struct slab *virt_to_slab_fast(const struct kmem_cache *s, unsigned long addr)
{
	unsigned long pfn = (addr - s->page_offset) >> PAGE_SHIFT;

	if (__builtin_expect(pfn >= s->direct_pfns, 0))
		return NULL;
	struct page *page = compound_head(&s->mem_map[pfn]);
	return PageSlab(page) ? (struct slab *)page : NULL;
}

static inline struct kmem_cache_node *get_node(const struct kmem_cache *s, int nid)
{
	return s->node[nid];
}
static inline unsigned long slab_address(const struct machine *m, struct slab *slab)
{
	return page_address(m, slab_page(slab));
}
static inline unsigned int slab_order(struct slab *slab)
{
	return compound_order(slab_page(slab));
}
static inline size_t slab_size(struct slab *slab)
{
	return PAGE_SIZE << slab_order(slab);
}
static inline int slab_nid(struct slab *slab)
{
	return page_to_nid(slab_page(slab));
}
static inline bool kmem_cache_debug(const struct kmem_cache *s)
{
	return s->flags & SLAB_DEBUG_FLAGS;
}
/* slub_debug_orig_size: kmalloc caches with tracking remember the size each caller asked for. */
static inline bool slub_debug_orig_size(const struct kmem_cache *s)
{
	return (s->flags & (SLAB_KMALLOC | SLAB_STORE_USER)) == (SLAB_KMALLOC | SLAB_STORE_USER);
}
/* kmalloc_redzone: with red zones too, the bytes between that size and the object size are guarded
 * (the kmalloc red zone). */
static inline bool kmalloc_redzone(const struct kmem_cache *s)
{
	return slub_debug_orig_size(s) && (s->flags & SLAB_RED_ZONE);
}
/* virt_to_head_page: the head page of whatever direct-map address, NULL if it is not one. */
static inline struct page *virt_to_head_page(const struct machine *m, unsigned long addr)
{
	struct page *page = virt_to_page(m, addr & PAGE_MASK);

	return page ? compound_head(page) : NULL;
}
/* slab_alloc_fast: pop this CPU's lockless freelist (slab_alloc_node, mm/slub.c); 0 when the slow
 * path must run: the freelist is empty (always so for a debug cache), the object must be zeroed,
 * or it must come from a node the active slab is not on. */
static inline unsigned long slab_alloc_fast(struct machine *m, struct kmem_cache *s, gfp_t gfp, int node)
{
	struct kmem_cache_cpu *c = &s->cpu_slab[m->this_cpu];
	unsigned long object = c->freelist;

	if (__builtin_expect(!object || (gfp & __GFP_ZERO) || (node >= 0 && slab_nid(c->slab) != node), 0))
		return 0;
	c->freelist = get_freepointer(m, s, object);
	return object;
}

void slab_free_slowpath(struct machine *m, struct kmem_cache *s, struct slab *slab, unsigned long object);
/* slab_free: the fast path pushes onto this CPU's lockless freelist when the object is in its active
 * slab (do_slab_free, mm/slub.c). A debug cache has no active slab: it always takes the slow path. */
static inline void slab_free(struct machine *m, struct kmem_cache *s, struct slab *slab, unsigned long object)
{
	struct kmem_cache_cpu *c = &s->cpu_slab[m->this_cpu];

	if (__builtin_expect(slab == c->slab, 1)) {
		set_freepointer(m, s, object, c->freelist);
		c->freelist = object;
		return;
	}
	slab_free_slowpath(m, s, slab, object);
}

/* virt_to_slab: the slab an address lies in, NULL if it is not in a slab (mm/slab.h). */
struct slab *virt_to_slab(const struct machine *m, unsigned long addr);

/* slub.c */
int kmem_cache_open(struct machine *m, struct kmem_cache *s);	/* sizes, per-CPU and per-node parts */
void kmem_cache_release(struct machine *m, struct kmem_cache *s);
int __kmem_cache_shutdown(struct machine *m, struct kmem_cache *s);	/* 0, or -EBUSY with objects left */
void flush_all(struct machine *m, struct kmem_cache *s);
/* kmem_cache_reconfigure: other debug flags, a new layout; -EBUSY while the cache holds slabs. */
int kmem_cache_reconfigure(struct machine *m, struct kmem_cache *s, slab_flags_t flags);
/* count_free: a slab's free objects as its counters say; count_partial_free: those of a node's
 * partial slabs (what /proc/slabinfo subtracts). */
unsigned int count_free(struct slab *slab);
unsigned long count_partial_free(struct kmem_cache_node *n);
/* slab_alloc_node: any allocation, the slow path included; orig_size is what a kmalloc caller asked. */
unsigned long slab_alloc_node(struct machine *m, struct kmem_cache *s, gfp_t gfp, int node, unsigned int orig_size);

/* slub_debug.c: object layout, poisoning, tracking and the checks (mm/slub.c, CONFIG_SLUB_DEBUG). */
void calculate_sizes_debug(struct machine *m, struct kmem_cache *s, unsigned int *size);
void setup_slab_debug(struct machine *m, struct kmem_cache *s, struct slab *slab);
void setup_object_debug(struct machine *m, struct kmem_cache *s, unsigned long object);
bool alloc_debug_processing(struct machine *m, struct kmem_cache *s, struct slab *slab, unsigned long object,
			    unsigned int orig_size);
bool free_debug_processing(struct machine *m, struct kmem_cache *s, struct slab *slab, unsigned long object);
bool check_slab_pad(struct machine *m, struct kmem_cache *s, struct slab *slab);
void list_slab_objects(struct machine *m, struct kmem_cache *s, struct slab *slab);
void slab_wrong_cache(struct machine *m, struct kmem_cache *s, struct kmem_cache *cachep, unsigned long object);
void slub_sites_release(struct slab_state *st);
/* skip_orig_size_check / krealloc_set_size: the kmalloc red zone moves when ksize or krealloc
 * tell the caller it may use more (or less) of the object. */
void skip_orig_size_check(struct machine *m, struct kmem_cache *s, unsigned long object);
void krealloc_set_size(struct machine *m, struct kmem_cache *s, unsigned long object, unsigned int size);
slab_flags_t kmem_cache_flags_for(struct machine *m, const char *name, slab_flags_t flags);
int validate_slab(struct machine *m, struct kmem_cache *s, struct slab *slab);
int slub_debug_parse(struct machine *m, const char *str);

/* slab_common.c */
void trace_slab_alloc(struct machine *m, const char *name, unsigned long object, size_t bytes_req,
		      size_t bytes_alloc, gfp_t gfp, int node);
void trace_slab_free(struct machine *m, const char *name, unsigned long object);
struct kmem_cache *create_cache(struct machine *m, const char *name, unsigned int size, unsigned int align,
				slab_flags_t flags);

#endif
