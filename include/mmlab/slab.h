/*
 * The slab allocator, SLUB (include/linux/slab.h, mm/slub.c, mm/slab_common.c).
 *
 * A kmem_cache hands out objects of one size, carved from slabs: compound pages taken from the buddy
 * allocator. Each simulated CPU has an active slab with a lockless freelist and a few partially
 * used slabs; each node keeps a list of partial slabs. kmalloc is a family of caches, one per size
 * class. Objects are kernel virtual addresses in the direct map (unsigned long, as __get_free_pages
 * returns them); their bytes are real, and a free object holds the pointer to the next free one.
 */
#ifndef MMLAB_SLAB_H
#define MMLAB_SLAB_H

#include <stdbool.h>
#include <stddef.h>

#include <mmlab/gfp.h>

struct machine;
struct seq_file;
struct kmem_cache;

typedef unsigned int slab_flags_t;

/* Cache flags, the kernel's values (include/linux/slab.h). */
#define SLAB_CONSISTENCY_CHECKS	0x00000100u	/* slub_debug=F: check objects on alloc and free */
#define SLAB_RED_ZONE		0x00000400u	/* slub_debug=Z: red zones around each object */
#define SLAB_POISON		0x00000800u	/* slub_debug=P: poison free objects */
#define SLAB_KMALLOC		0x00001000u	/* one of the kmalloc caches */
#define SLAB_HWCACHE_ALIGN	0x00002000u	/* align objects on cache lines */
#define SLAB_CACHE_DMA		0x00004000u	/* slabs from ZONE_DMA */
#define SLAB_CACHE_DMA32	0x00008000u	/* slabs from ZONE_DMA32 */
#define SLAB_STORE_USER		0x00010000u	/* slub_debug=U: record who allocated and freed */
#define SLAB_RECLAIM_ACCOUNT	0x00020000u	/* SReclaimable, pages of the Reclaimable migratetype */
#define SLAB_PANIC		0x00040000u	/* a failed create is a panic */
#define SLAB_TRACE		0x00200000u	/* slub_debug=T: print every alloc and free */

#define SLAB_DEBUG_FLAGS	(SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER | SLAB_TRACE)

/* kmalloc: caches up to KMALLOC_MAX_CACHE_SIZE, the buddy allocator above (include/linux/slab.h). */
#define KMALLOC_MIN_SIZE	8
#define KMALLOC_SHIFT_LOW	3
#define KMALLOC_SHIFT_HIGH	(PAGE_SHIFT + 1)
#define KMALLOC_MAX_CACHE_SIZE	(1UL << KMALLOC_SHIFT_HIGH)
#define KMALLOC_MAX_SIZE	(PAGE_SIZE << MAX_PAGE_ORDER)

/* Which family of kmalloc caches a request uses (enum kmalloc_cache_type). */
enum kmalloc_cache_type {
	KMALLOC_NORMAL,
	KMALLOC_RECLAIM,	/* __GFP_RECLAIMABLE: kmalloc-rcl-* */
	KMALLOC_DMA,		/* __GFP_DMA: dma-kmalloc-* */
	NR_KMALLOC_TYPES
};

/* Boot and teardown (mm/slub.c kmem_cache_init, create_kmalloc_caches). 0 or -ENOMEM. */
int kmem_cache_init(struct machine *m);
void kmem_cache_exit(struct machine *m);

/* Caches (mm/slab_common.c). kmem_cache_create returns NULL on a bad size or name, or a name that
 * is taken (no cache merging: every create makes its own cache). */
struct kmem_cache *kmem_cache_create(struct machine *m, const char *name, unsigned int size, unsigned int align,
				     slab_flags_t flags);
/* kmem_cache_destroy: a cache with live objects reports them and stays (-EBUSY); 0 when destroyed. */
int kmem_cache_destroy(struct machine *m, struct kmem_cache *s);
/* kmem_cache_shrink: give every free slab back to the buddy allocator. */
void kmem_cache_shrink(struct machine *m, struct kmem_cache *s);
struct kmem_cache *kmem_cache_lookup(struct machine *m, const char *name);

/* Objects: 0 when no memory could be had. */
unsigned long kmem_cache_alloc(struct machine *m, struct kmem_cache *s, gfp_t gfp);
/* kmem_cache_alloc_node: an object from a slab of node nid. */
unsigned long kmem_cache_alloc_node(struct machine *m, struct kmem_cache *s, gfp_t gfp, int nid);
unsigned long kmem_cache_zalloc(struct machine *m, struct kmem_cache *s, gfp_t gfp);
void kmem_cache_free(struct machine *m, struct kmem_cache *s, unsigned long object);

unsigned long kmalloc(struct machine *m, size_t size, gfp_t gfp);
unsigned long kzalloc(struct machine *m, size_t size, gfp_t gfp);
unsigned long kcalloc(struct machine *m, size_t n, size_t size, gfp_t gfp);
unsigned long krealloc(struct machine *m, unsigned long p, size_t new_size, gfp_t gfp);
void kfree(struct machine *m, unsigned long object);
/* ksize: the usable size of a kmalloc'ed object (its cache's object size, or the pages). */
size_t ksize(struct machine *m, unsigned long object);
/* kmalloc_slab: the cache kmalloc(size, gfp) draws from; NULL above KMALLOC_MAX_CACHE_SIZE. */
struct kmem_cache *kmalloc_slab(struct machine *m, size_t size, gfp_t gfp);

/* slub_debug: "FZPU" or "FZPU,name1,name2" as on the kernel command line; "-" turns it off. Applies
 * to caches created later and to every existing cache (of those names) that holds no slab. 0, or
 * -EINVAL for an unknown letter. */
int slub_debug_setup(struct machine *m, const char *str);
/* parse_slub_debug_flags: the flag letters of a slub_debug= string; *rest points past the comma at the
 * cache names (NULL when none). 0, or -EINVAL for an unknown letter. */
int parse_slub_debug_flags(const char *str, slab_flags_t *flags, const char **rest);

/* The debug switches of one cache (SLAB_CONSISTENCY_CHECKS, SLAB_RED_ZONE, ...): only while the
 * cache has no slabs (-EBUSY otherwise). */
int kmem_cache_set_debug(struct machine *m, struct kmem_cache *s, slab_flags_t flag, bool on);

/* validate_slab_cache: check every object of the cache, reporting each problem; returns the count. */
int validate_slab_cache(struct machine *m, struct kmem_cache *s);

/* slab_check: the consistency of every slab and cache counter, for machine_check. Returns the
 * number of violations, each printed into report. */
int slab_check(struct machine *m, struct seq_file *report);

/* What /proc/slabinfo and slabtop show for one cache (struct slabinfo, mm/slab.h). */
struct slabinfo {
	unsigned long active_objs;
	unsigned long num_objs;
	unsigned long active_slabs;
	unsigned long num_slabs;
	unsigned int objects_per_slab;
	unsigned int cache_order;
};

/* Iterate the caches, newest first as the kernel's slab_caches list: NULL starts, NULL ends. */
struct kmem_cache *kmem_cache_next(struct machine *m, struct kmem_cache *prev);
void get_slabinfo(struct kmem_cache *s, struct slabinfo *sinfo);
const char *kmem_cache_name(const struct kmem_cache *s);
/* The figures of /sys/kernel/slab/NAME/ (mm/slub.c slab_attrs). */
unsigned int kmem_cache_object_size(const struct kmem_cache *s);
unsigned int kmem_cache_size(const struct kmem_cache *s);
slab_flags_t kmem_cache_flags(const struct kmem_cache *s);

#endif
