/*
 * What every slab allocator shares (mm/slab_common.c): creating and destroying caches, the list of
 * caches /proc/slabinfo walks, the kmalloc caches and kmalloc itself, and the boot of it all.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <mmlab/printk.h>
#include <mmlab/seq_file.h>
#include <mmlab/vmstat.h>

#include "slab.h"

#define NUMA_NO_NODE	(-1)
#define ZERO_SIZE_PTR	16UL	/* what kmalloc(0) returns: not NULL, faults if used */

static bool zero_or_null_ptr(unsigned long p)
{
	return p <= ZERO_SIZE_PTR;
}

/* The simulated kernel's own struct sizes: a kmem_cache with its node pointers, a kmem_cache_node. */
static unsigned int kmem_cache_struct_size(const struct machine *m)
{
	return 28 * m->slab->ptr_size + (unsigned int)m->nr_node_ids * m->slab->ptr_size;
}
static unsigned int kmem_cache_node_struct_size(const struct machine *m)
{
	return 8 * m->slab->ptr_size;
}

/* The objects that hold a cache's own structures, in the kmem_cache and kmem_cache_node caches. */
static void alloc_cache_structs(struct machine *m, struct kmem_cache *s)
{
	struct slab_state *st = m->slab;

	s->kobj = kmem_cache_zalloc(m, st->kmem_cache, GFP_KERNEL);
	for (int nid = 0; nid < m->nr_node_ids; nid++)
		s->node_obj[nid] = kmem_cache_alloc_node(m, st->kmem_cache_node, GFP_KERNEL | __GFP_ZERO, nid);
}

static void free_cache_structs(struct machine *m, struct kmem_cache *s)
{
	struct slab_state *st = m->slab;

	for (int nid = 0; nid < m->nr_node_ids; nid++)
		if (s->node_obj[nid])
			kmem_cache_free(m, st->kmem_cache_node, s->node_obj[nid]);
	if (s->kobj)
		kmem_cache_free(m, st->kmem_cache, s->kobj);
}

/* create_cache: a new cache on the list; NULL if the host or the sizes say no. */
struct kmem_cache *create_cache(struct machine *m, const char *name, unsigned int size, unsigned int align,
				slab_flags_t flags)
{
	struct kmem_cache *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->name = strdup(name);
	s->object_size = size;
	s->align = align;
	s->user_flags = flags;
	s->flags = kmem_cache_flags_for(m, name, flags);
	if (!s->name || kmem_cache_open(m, s)) {
		kmem_cache_release(m, s);
		return NULL;
	}
	list_add(&s->list, &m->slab->caches);
	if (m->slab->kmem_cache)	/* the two bootstrap caches get theirs once both exist */
		alloc_cache_structs(m, s);
	return s;
}

struct kmem_cache *kmem_cache_lookup(struct machine *m, const char *name)
{
	struct kmem_cache *s;

	list_for_each_entry(s, &m->slab->caches, list)
		if (!strcmp(s->name, name))
			return s;
	return NULL;
}

/* kmem_cache_create: a cache of objects of size bytes aligned to align (mm/slab_common.c). */
struct kmem_cache *kmem_cache_create(struct machine *m, const char *name, unsigned int size, unsigned int align,
				     slab_flags_t flags)
{
	struct kmem_cache *s = NULL;
	int err = -EINVAL;

	if (!name || !*name || !size || size > (PAGE_SIZE << MAX_PAGE_ORDER) / 2 || (align & (align - 1)) ||
	    align > PAGE_SIZE)
		goto out;
	err = -EEXIST;
	if (kmem_cache_lookup(m, name))
		goto out;
	err = -ENOMEM;
	s = create_cache(m, name, size, align, flags & ~SLAB_KMALLOC);
out:
	if (!s && (flags & SLAB_PANIC))
		printk(m, KERN_EMERG "Kernel panic - not syncing: kmem_cache_create: Failed to create slab '%s'. "
		       "Error %d\n", name ? name : "", err);
	return s;
}

/* kmem_cache_destroy: a cache with objects left reports them and stays (mm/slab_common.c). */
int kmem_cache_destroy(struct machine *m, struct kmem_cache *s)
{
	if (__kmem_cache_shutdown(m, s)) {
		pr_warn(m, "WARNING: CPU: %d PID: %d at mm/slab_common.c kmem_cache_destroy\n", m->this_cpu,
			m->trace.pid);
		pr_warn(m, "kmem_cache_destroy %s: Slab cache still has objects when called from %s\n", s->name,
			trace_call_site(m));
		return -EBUSY;
	}
	list_del(&s->list);
	free_cache_structs(m, s);
	kmem_cache_release(m, s);
	return 0;
}

struct kmem_cache *kmem_cache_next(struct machine *m, struct kmem_cache *prev)
{
	struct list_head *next = prev ? prev->list.next : m->slab->caches.next;

	return next == &m->slab->caches ? NULL : list_entry(next, struct kmem_cache, list);
}

const char *kmem_cache_name(const struct kmem_cache *s)
{
	return s->name;
}
unsigned int kmem_cache_object_size(const struct kmem_cache *s)
{
	return s->object_size;
}
unsigned int kmem_cache_size(const struct kmem_cache *s)
{
	return s->size;
}
slab_flags_t kmem_cache_flags(const struct kmem_cache *s)
{
	return s->flags & ~__OBJECT_POISON;
}

/* get_slabinfo: objects on CPU slabs count as active, as the kernel counts them (mm/slub.c). */
void get_slabinfo(struct kmem_cache *s, struct slabinfo *sinfo)
{
	unsigned long nr_slabs = 0, nr_objs = 0, nr_free = 0;

	for (int nid = 0; nid < MAX_NUMNODES && s->node[nid]; nid++) {
		nr_slabs += (unsigned long)s->node[nid]->nr_slabs;
		nr_objs += (unsigned long)s->node[nid]->total_objects;
		nr_free += count_partial_free(s->node[nid]);
	}
	sinfo->active_objs = nr_objs - nr_free;
	sinfo->num_objs = nr_objs;
	sinfo->active_slabs = nr_slabs;
	sinfo->num_slabs = nr_slabs;
	sinfo->objects_per_slab = oo_objects(s->oo);
	sinfo->cache_order = oo_order(s->oo);
}

/* slub_debug_setup: new flags for later caches, and for every named cache that holds no slab. */
int slub_debug_setup(struct machine *m, const char *str)
{
	int err = slub_debug_parse(m, str);
	struct kmem_cache *s;

	if (err)
		return err;
	list_for_each_entry(s, &m->slab->caches, list) {
		slab_flags_t want = kmem_cache_flags_for(m, s->name, s->user_flags) & SLAB_DEBUG_FLAGS;
		kmem_cache_reconfigure(m, s, (s->flags & ~SLAB_DEBUG_FLAGS) | want);	/* -EBUSY: it keeps its flags */
	}
	return 0;
}

/* ---- kmalloc (mm/slab_common.c, include/linux/slab.h) ---- */

/* kmalloc_size_index: the size class of a request up to 192 bytes by (size - 1) / 8: 1 is kmalloc-96,
 * 2 is kmalloc-192, else log2 of the power of two (mm/slab_common.c). */
static const unsigned char kmalloc_size_index[24] = {
	3, 4, 5, 5, 6, 6, 6, 6, 1, 1, 1, 1, 7, 7, 7, 7, 2, 2, 2, 2, 2, 2, 2, 2,
};

/* kmalloc_index: the table up to 192 bytes, fls(size - 1) above. */
static unsigned int kmalloc_index(size_t size)
{
	if (size <= 192)
		return kmalloc_size_index[(size - 1) / 8];
	return 64 - (unsigned int)__builtin_clzl(size - 1);
}

static unsigned int kmalloc_size(unsigned int index)
{
	return index == 1 ? 96 : index == 2 ? 192 : 1u << index;
}

/* kmalloc_type: reclaimable and DMA requests have caches of their own. */
static enum kmalloc_cache_type kmalloc_type(gfp_t gfp)
{
	if (__builtin_expect(!(gfp & (__GFP_DMA | __GFP_RECLAIMABLE)), 1))
		return KMALLOC_NORMAL;
	if (gfp & __GFP_DMA)
		return KMALLOC_DMA;
	return gfp & __GFP_RECLAIMABLE ? KMALLOC_RECLAIM : KMALLOC_NORMAL;
}

struct kmem_cache *kmalloc_slab(struct machine *m, size_t size, gfp_t gfp)
{
	if (size > KMALLOC_MAX_CACHE_SIZE)
		return NULL;
	return m->slab->kmalloc_caches[kmalloc_type(gfp)][kmalloc_index(size)];
}

/* trace_slab_alloc: the kmem_cache_alloc event (with the cache's name) or the kmalloc event (name
 * NULL), include/trace/events/kmem.h. No memory cgroups here: accounted is false. */
__attribute__((cold, noinline))
void trace_slab_alloc(struct machine *m, const char *name, unsigned long object, size_t bytes_req,
		      size_t bytes_alloc, gfp_t gfp, int node)
{
	struct seq_file gfp_str;

	seq_init(&gfp_str);
	format_gfp_flags(&gfp_str, gfp);
	trace_emit(m, name ? TP_kmem_cache_alloc : TP_kmalloc,
		   "call_site=%s ptr=%0*lx%s%s bytes_req=%zu bytes_alloc=%zu gfp_flags=%s node=%d accounted=false",
		   trace_call_site(m), 2 * (int)m->slab->ptr_size, object, name ? " name=" : "", name ? name : "",
		   bytes_req, bytes_alloc, gfp ? gfp_str.buf : "none", node);
	seq_release(&gfp_str);
}

/* trace_slab_free: the kmem_cache_free event (with the cache's name) or the kfree event (name NULL). */
__attribute__((cold, noinline))
void trace_slab_free(struct machine *m, const char *name, unsigned long object)
{
	trace_emit(m, name ? TP_kmem_cache_free : TP_kfree, "call_site=%s ptr=%0*lx%s%s", trace_call_site(m),
		   2 * (int)m->slab->ptr_size, object, name ? " name=" : "", name ? name : "");
}

/* kmalloc_large: above 8 KiB straight from the buddy allocator, counted as unreclaimable slab. */
static unsigned long kmalloc_large(struct machine *m, size_t size, gfp_t gfp)
{
	unsigned int order = 0;
	unsigned long object = 0;

	while ((PAGE_SIZE << order) < size)
		order++;
	struct page *page = order > MAX_PAGE_ORDER ? NULL : alloc_pages(m, (gfp | __GFP_COMP) & ~__GFP_HIGHMEM, order);
	if (page) {
		__mod_node_page_state(NODE_DATA(m, page_to_nid(page)), NR_SLAB_UNRECLAIMABLE_B, 1L << order);
		object = page_address(m, page);
	}
	if (trace_enabled(m, kmalloc))
		trace_slab_alloc(m, NULL, object, size, PAGE_SIZE << order, gfp, NUMA_NO_NODE);
	return object;
}

static void free_large_kmalloc(struct machine *m, struct page *page, unsigned long object)
{
	if (!PageHead(page) || page_address(m, page) != object) {
		pr_warn(m, "WARNING: CPU: %d PID: %d at mm/slub.c free_large_kmalloc\n", m->this_cpu, m->trace.pid);
		pr_warn(m, "kfree: object pointer: 0x%lx is not a kmalloc allocation\n", object);
		return;
	}
	unsigned int order = compound_order(page);
	__mod_node_page_state(NODE_DATA(m, page_to_nid(page)), NR_SLAB_UNRECLAIMABLE_B, -(1L << order));
	__free_pages(m, page, order);
}

/* __do_kmalloc_node: whatever kmalloc's fast path leaves: large and empty requests, zeroing, a
 * refill, and the kmalloc event (mm/slab_common.c). */
static __attribute__((noinline)) unsigned long __do_kmalloc_node(struct machine *m, size_t size, gfp_t gfp)
{
	if (size > KMALLOC_MAX_CACHE_SIZE)
		return kmalloc_large(m, size, gfp);
	if (!size)
		return ZERO_SIZE_PTR;
	struct kmem_cache *s = kmalloc_slab(m, size, gfp);
	unsigned long object = slab_alloc_node(m, s, gfp, NUMA_NO_NODE, (unsigned int)size);
	if (trace_enabled(m, kmalloc))
		trace_slab_alloc(m, NULL, object, size, s->size, gfp, NUMA_NO_NODE);
	return object;
}

/* kmalloc: the fast path is a leaf; everything else is a tail call. */
unsigned long kmalloc(struct machine *m, size_t size, gfp_t gfp)
{
	if (__builtin_expect(size - 1 < KMALLOC_MAX_CACHE_SIZE && !trace_enabled(m, kmalloc), 1)) {
		unsigned long object = slab_alloc_fast(m, kmalloc_slab(m, size, gfp), gfp, NUMA_NO_NODE);
		if (object)
			return object;
	}
	return __do_kmalloc_node(m, size, gfp);
}

unsigned long kzalloc(struct machine *m, size_t size, gfp_t gfp)
{
	return kmalloc(m, size, gfp | __GFP_ZERO);
}

unsigned long kcalloc(struct machine *m, size_t n, size_t size, gfp_t gfp)
{
	if (size && n > SIZE_MAX / size)
		return 0;
	return kzalloc(m, n * size, gfp);
}

/* __kfree: a slab object goes back to its cache; anything else must be a kmalloc_large block. */
static inline void __kfree(struct machine *m, unsigned long object)
{
	struct slab *slab = virt_to_slab_fast(m->slab->kmem_cache, object);

	if (__builtin_expect(slab != NULL, 1)) {
		slab_free(m, slab->slab_cache, slab, object);
		return;
	}
	if (zero_or_null_ptr(object))
		return;
	struct page *page = virt_to_head_page(m, object);
	if (!page) {
		pr_warn(m, "WARNING: CPU: %d PID: %d at mm/slub.c kfree\n", m->this_cpu, m->trace.pid);
		pr_warn(m, "kfree: 0x%lx is not a direct-map address\n", object);
		return;
	}
	free_large_kmalloc(m, page, object);
}

static __attribute__((cold, noinline)) void kfree_traced(struct machine *m, unsigned long object)
{
	trace_slab_free(m, NULL, object);
	__kfree(m, object);
}

/* kfree: the event comes first, for NULL too, as the kernel's does. */
void kfree(struct machine *m, unsigned long object)
{
	if (trace_enabled(m, kfree)) {
		kfree_traced(m, object);
		return;
	}
	__kfree(m, object);
}

/* __ksize: the bytes usable in the object (mm/slab_common.c). */
static size_t __ksize(struct machine *m, unsigned long object)
{
	if (zero_or_null_ptr(object))
		return 0;
	struct page *page = virt_to_head_page(m, object);
	if (!page)
		return 0;
	if (!PageSlab(page))
		return PageHead(page) ? PAGE_SIZE << compound_order(page) : 0;
	struct kmem_cache *s = page_slab(page)->slab_cache;
	if (s->flags & (SLAB_RED_ZONE | SLAB_POISON))
		return s->object_size;
	if (s->flags & SLAB_STORE_USER)
		return s->inuse;
	return s->size;
}

/* ksize: the caller may now use all of it: the kmalloc red zone gives way. */
size_t ksize(struct machine *m, unsigned long object)
{
	size_t size = __ksize(m, object);
	struct slab *slab = size ? virt_to_slab(m, object) : NULL;

	if (slab)
		skip_orig_size_check(m, slab->slab_cache, object);
	return size;
}

/* krealloc: in place when the object is big enough, else a new object with the old bytes. */
unsigned long krealloc(struct machine *m, unsigned long p, size_t new_size, gfp_t gfp)
{
	if (!new_size) {
		kfree(m, p);
		return ZERO_SIZE_PTR;
	}
	size_t ks = __ksize(m, p);
	if (ks >= new_size) {
		struct slab *slab = virt_to_slab(m, p);
		if (slab)
			krealloc_set_size(m, slab->slab_cache, p, (unsigned int)new_size);
		return p;
	}
	unsigned long ret = kmalloc(m, new_size, gfp);
	if (ret && ks)
		memcpy(slab_bytes(m, ret), slab_bytes(m, p), ks);
	if (ret)
		kfree(m, p);
	return ret;
}

/* new_kmalloc_cache: kmalloc-SIZE, kmalloc-rcl-SIZE or dma-kmalloc-SIZE; aligned to the largest
 * power of two dividing the size. */
static int new_kmalloc_cache(struct machine *m, unsigned int index, enum kmalloc_cache_type type)
{
	static const char *const prefix[NR_KMALLOC_TYPES] = { "kmalloc-", "kmalloc-rcl-", "dma-kmalloc-" };
	static const slab_flags_t type_flags[NR_KMALLOC_TYPES] = { 0, SLAB_RECLAIM_ACCOUNT, SLAB_CACHE_DMA };
	unsigned int size = kmalloc_size(index);
	char name[32];

	if (size >= 1024)
		snprintf(name, sizeof(name), "%s%uk", prefix[type], size >> 10);
	else
		snprintf(name, sizeof(name), "%s%u", prefix[type], size);
	struct kmem_cache *s = create_cache(m, name, size, size & -size, SLAB_KMALLOC | type_flags[type]);
	m->slab->kmalloc_caches[type][index] = s;
	return s ? 0 : -ENOMEM;
}

/* create_kmalloc_caches: each type in size order, 96 after 64 and 192 after 128. */
static int create_kmalloc_caches(struct machine *m)
{
	for (int type = KMALLOC_NORMAL; type < NR_KMALLOC_TYPES; type++) {
		for (unsigned int i = KMALLOC_SHIFT_LOW; i <= KMALLOC_SHIFT_HIGH; i++) {
			int err = new_kmalloc_cache(m, i, (enum kmalloc_cache_type)type);
			if (!err && i == 6)
				err = new_kmalloc_cache(m, 1, (enum kmalloc_cache_type)type);
			if (!err && i == 7)
				err = new_kmalloc_cache(m, 2, (enum kmalloc_cache_type)type);
			if (err)
				return err;
		}
	}
	return 0;
}

/* kmem_cache_init: the caches of the slab allocator's own structures first, then kmalloc's. */
int kmem_cache_init(struct machine *m)
{
	struct slab_state *st = calloc(1, sizeof(*st));

	if (!st)
		return -ENOMEM;
	m->slab = st;
	INIT_LIST_HEAD(&st->caches);
	st->ptr_size = m->cfg.arch == ARCH_I386 ? 4 : 8;
	/* slub_debug= on the command line applies from the first cache on, kmalloc's included. */
	if (m->cfg.slub_debug[0] && slub_debug_parse(m, m->cfg.slub_debug))
		return -EINVAL;
	st->kmem_cache_node = create_cache(m, "kmem_cache_node", kmem_cache_node_struct_size(m), 0, SLAB_HWCACHE_ALIGN);
	st->kmem_cache = create_cache(m, "kmem_cache", kmem_cache_struct_size(m), 0, SLAB_HWCACHE_ALIGN);
	if (!st->kmem_cache_node || !st->kmem_cache)
		return -ENOMEM;
	alloc_cache_structs(m, st->kmem_cache_node);
	alloc_cache_structs(m, st->kmem_cache);
	return create_kmalloc_caches(m);
}

/* kmem_cache_exit: the host memory of every cache (the machine is going away with its RAM). */
void kmem_cache_exit(struct machine *m)
{
	struct slab_state *st = m->slab;

	if (!st)
		return;
	while (!list_empty(&st->caches)) {
		struct kmem_cache *s = list_first_entry(&st->caches, struct kmem_cache, list);
		list_del(&s->list);
		kmem_cache_release(m, s);
	}
	slub_sites_release(st);
	free(st->slub_debug_string);
	free(st);
	m->slab = NULL;
}
