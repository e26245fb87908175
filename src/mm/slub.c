/*
 * SLUB: the slab allocator (mm/slub.c).
 *
 * A slab is a compound page from the buddy allocator cut into objects of one size; a free object
 * holds the address of the next free one, so the free lists cost no memory. Three levels serve an
 * allocation, fastest first:
 *   1. this CPU's active slab (frozen: owned by the CPU) and its lockless freelist c->freelist;
 *   2. this CPU's partial slabs (frozen too), then the node's partial list (n->partial);
 *   3. a new slab from the buddy allocator.
 * A free to the active slab of this CPU is the fast path; any other free goes to the slab's own
 * freelist. A slab that becomes empty goes back to the buddy allocator, unless its node keeps fewer
 * than min_partial partial slabs. Full slabs are on no list (debug caches keep them on n->full).
 * Caches with slub_debug flags skip the per-CPU levels: each object is checked as it comes and goes.
 */
#include <errno.h>
#include <stdlib.h>

#include <mmlab/printk.h>
#include <mmlab/vmstat.h>

#include "slab.h"

#define NUMA_NO_NODE	(-1)
#define MIN_PARTIAL	5
#define MAX_PARTIAL	10
#define CACHE_LINE_SIZE	64
#define SLUB_MAX_ORDER	PAGE_ALLOC_COSTLY_ORDER

#define ALIGN(x, a)	(((x) + (a) - 1) / (a) * (a))

static unsigned int fls32(unsigned int x)
{
	return x ? 32 - (unsigned int)__builtin_clz(x) : 0;
}

/* get_order: the smallest order whose block holds size bytes (include/asm-generic/getorder.h). */
static unsigned int get_order(unsigned long size)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < size)
		order++;
	return order;
}

static unsigned int order_objects(unsigned int order, unsigned int size)
{
	return (unsigned int)((PAGE_SIZE << order) / size);
}

static struct kmem_cache_order_objects oo_make(unsigned int order, unsigned int size)
{
	return (struct kmem_cache_order_objects){ (order << OO_SHIFT) + order_objects(order, size) };
}

/* calc_slab_order: the lowest order from min_order whose leftover is at most 1/fract of the slab. */
static unsigned int calc_slab_order(unsigned int size, unsigned int min_order, unsigned int max_order,
				    unsigned int fract_leftover)
{
	unsigned int order;

	for (order = min_order; order <= max_order; order++) {
		unsigned int slab_size = (unsigned int)(PAGE_SIZE << order);
		if (slab_size % size <= slab_size / fract_leftover)
			break;
	}
	return order;
}

/* calculate_order: enough objects per slab for the CPUs (slub_min_objects), little waste. */
static int calculate_order(const struct machine *m, unsigned int size)
{
	unsigned int min_objects = 4 * (fls32((unsigned int)m->nr_cpu_ids) + 1);
	unsigned int max_objects = order_objects(SLUB_MAX_ORDER, size);

	if (max_objects < 1)
		max_objects = 1;
	if (min_objects > max_objects)
		min_objects = max_objects;
	unsigned int min_order = get_order((unsigned long)min_objects * size);
	if (order_objects(min_order, size) > MAX_OBJS_PER_PAGE)
		return (int)get_order((unsigned long)size * MAX_OBJS_PER_PAGE) - 1;
	for (unsigned int fraction = 16; fraction > 1; fraction /= 2) {
		unsigned int order = calc_slab_order(size, min_order, SLUB_MAX_ORDER, fraction);
		if (order <= SLUB_MAX_ORDER)
			return (int)order;
	}
	unsigned int order = get_order(size);
	return order <= MAX_PAGE_ORDER ? (int)order : -ENOSYS;
}

/* calculate_alignment: SLAB_HWCACHE_ALIGN aligns on a cache line, or on the smallest fraction of one
 * the object still fills more than half of (mm/slab_common.c). */
static unsigned int calculate_alignment(slab_flags_t flags, unsigned int align, unsigned int size,
					unsigned int ptr_size)
{
	if (flags & SLAB_HWCACHE_ALIGN) {
		unsigned int ralign = CACHE_LINE_SIZE;
		while (size <= ralign / 2)
			ralign /= 2;
		if (ralign > align)
			align = ralign;
	}
	if (align < 8)
		align = 8;	/* arch_slab_minalign: __alignof__(unsigned long long) */
	return ALIGN(align, ptr_size);
}

/* calculate_sizes: the object's layout, and from its size the slab order (mm/slub.c). */
static int calculate_sizes(struct machine *m, struct kmem_cache *s)
{
	unsigned int ptr_size = m->slab->ptr_size;
	unsigned int size = ALIGN(s->object_size, ptr_size);

	s->flags &= ~__OBJECT_POISON;
	s->red_left_pad = 0;
	calculate_sizes_debug(m, s, &size);
	size = ALIGN(size, s->align);
	s->size = size;
	s->fp_delta = (uintptr_t)m->phys - m->arch->page_offset + s->offset;
	int order = calculate_order(m, size);
	if (order < 0)
		return order;
	s->allocflags = order ? __GFP_COMP : 0;
	if (s->flags & SLAB_CACHE_DMA)
		s->allocflags |= __GFP_DMA;
	if (s->flags & SLAB_CACHE_DMA32)
		s->allocflags |= __GFP_DMA32;
	if (s->flags & SLAB_RECLAIM_ACCOUNT)
		s->allocflags |= __GFP_RECLAIMABLE;
	s->oo = oo_make((unsigned int)order, size);
	s->min = oo_make(get_order(size), size);
	return oo_objects(s->oo) ? 0 : -EINVAL;
}

/* set_min_partial: bigger objects keep more partial slabs per node, within 5..10. */
static void set_min_partial(struct kmem_cache *s)
{
	unsigned long min = (unsigned long)(fls32(s->size) - 1) / 2;

	s->min_partial = min < MIN_PARTIAL ? MIN_PARTIAL : min > MAX_PARTIAL ? MAX_PARTIAL : min;
}

/* set_cpu_partial: how many objects a CPU may keep on partial slabs; none for debug caches. */
static void set_cpu_partial(struct kmem_cache *s)
{
	unsigned int nr_objects;

	if (kmem_cache_debug(s))
		nr_objects = 0;
	else if (s->size >= PAGE_SIZE)
		nr_objects = 6;
	else if (s->size >= 1024)
		nr_objects = 24;
	else if (s->size >= 256)
		nr_objects = 52;
	else
		nr_objects = 120;
	s->cpu_partial = nr_objects;
	s->cpu_partial_slabs = (nr_objects * 2 + oo_objects(s->oo) - 1) / oo_objects(s->oo);
}

static bool kmem_cache_has_cpu_partial(const struct kmem_cache *s)
{
	return s->cpu_partial_slabs != 0;
}

/* kmem_cache_open: layout, orders and the per-CPU and per-node parts of a new cache. */
int kmem_cache_open(struct machine *m, struct kmem_cache *s)
{
	unsigned long low = m->max_pfn < m->arch->max_low_pfn ? m->max_pfn : m->arch->max_low_pfn;

	s->page_offset = m->arch->page_offset;
	s->direct_pfns = low;
	s->mem_map = m->mem_map;
	s->ptr_size = m->slab->ptr_size;
	s->align = calculate_alignment(s->flags, s->align, s->object_size, m->slab->ptr_size);
	int err = calculate_sizes(m, s);
	if (err)
		return err;
	set_min_partial(s);
	set_cpu_partial(s);
	size_t cpu_bytes = (size_t)m->nr_cpu_ids * sizeof(*s->cpu_slab);
	s->cpu_slab = aligned_alloc(_Alignof(struct kmem_cache_cpu), cpu_bytes);
	if (!s->cpu_slab)
		return -ENOMEM;
	memset(s->cpu_slab, 0, cpu_bytes);
	for (int nid = 0; nid < m->nr_node_ids; nid++) {
		struct kmem_cache_node *n = calloc(1, sizeof(*n));
		if (!n)
			return -ENOMEM;
		INIT_LIST_HEAD(&n->partial);
		INIT_LIST_HEAD(&n->full);
		s->node[nid] = n;
	}
	return 0;
}

/* kmem_cache_release: the host memory of a cache whose slabs are all gone. */
void kmem_cache_release(struct machine *m, struct kmem_cache *s)
{
	for (int nid = 0; nid < m->nr_node_ids; nid++)
		free(s->node[nid]);
	free(s->cpu_slab);
	free(s->name);
	free(s);
}

/* Node lists (mm/slub.c add_partial, remove_partial, add_full, remove_full). */
static void add_partial(struct kmem_cache_node *n, struct slab *slab, bool tail)
{
	n->nr_partial++;
	if (tail)
		list_add_tail(&slab->slab_list, &n->partial);
	else
		list_add(&slab->slab_list, &n->partial);
}

static void remove_partial(struct kmem_cache_node *n, struct slab *slab)
{
	list_del(&slab->slab_list);
	n->nr_partial--;
}

static void add_full(struct kmem_cache_node *n, struct slab *slab)
{
	list_add(&slab->slab_list, &n->full);
}

/* account_slab: slab pages count as SReclaimable or SUnreclaim of their node (mm/slab.h). */
static void account_slab(struct machine *m, struct kmem_cache *s, struct slab *slab, long sign)
{
	enum node_stat_item item = (s->flags & SLAB_RECLAIM_ACCOUNT) ? NR_SLAB_RECLAIMABLE_B
								     : NR_SLAB_UNRECLAIMABLE_B;

	__mod_node_page_state(NODE_DATA(m, slab_nid(slab)), item, sign * (1L << slab_order(slab)));
}

/* alloc_slab_page: a compound page, marked as a slab of s. */
static struct slab *alloc_slab_page(struct machine *m, struct kmem_cache *s, gfp_t gfp, int node,
				    struct kmem_cache_order_objects oo)
{
	unsigned int order = oo_order(oo);
	struct page *page = node == NUMA_NO_NODE ? alloc_pages(m, gfp, order) : alloc_pages_node(m, node, gfp, order);

	if (!page)
		return NULL;
	struct slab *slab = page_slab(page);
	__SetPageType(page, PG_slab);
	slab->slab_cache = s;
	slab->objects = oo_objects(oo);
	slab->inuse = 0;
	slab->frozen = 0;
	return slab;
}

/* allocate_slab: try the preferred order without effort, then the smallest order that fits. Every
 * object goes on the new slab's freelist, in address order. */
static struct slab *allocate_slab(struct machine *m, struct kmem_cache *s, gfp_t gfp, int node)
{
	gfp = (gfp & ~(__GFP_HIGHMEM | __GFP_ZERO | __GFP_COMP | __GFP_MOVABLE)) | s->allocflags;
	gfp_t alloc_gfp = (gfp | __GFP_NOWARN | __GFP_NORETRY) & ~__GFP_NOFAIL;
	struct slab *slab = alloc_slab_page(m, s, alloc_gfp, node, s->oo);

	if (!slab && oo_order(s->min) != oo_order(s->oo))
		slab = alloc_slab_page(m, s, gfp | (oo_order(s->min) ? __GFP_COMP : 0), node, s->min);
	if (!slab)
		return NULL;
	account_slab(m, s, slab, 1);
	setup_slab_debug(m, s, slab);

	unsigned long start = slab_address(m, slab) + s->red_left_pad;
	for (unsigned int i = 0; i < slab->objects; i++) {
		unsigned long p = start + (unsigned long)i * s->size;
		setup_object_debug(m, s, p);
		set_freepointer(m, s, p, i + 1 < slab->objects ? p + s->size : 0);
	}
	slab->freelist = start;
	struct kmem_cache_node *n = get_node(s, slab_nid(slab));
	n->nr_slabs++;
	n->total_objects += slab->objects;
	return slab;
}

/* discard_slab / free_slab: the slab's pages go back to the buddy allocator. */
static void discard_slab(struct machine *m, struct kmem_cache *s, struct slab *slab)
{
	struct kmem_cache_node *n = get_node(s, slab_nid(slab));
	struct page *page = slab_page(slab);

	n->nr_slabs--;
	n->total_objects -= slab->objects;
	if (s->flags & SLAB_CONSISTENCY_CHECKS)
		check_slab_pad(m, s, slab);
	account_slab(m, s, slab, -1);
	unsigned int order = slab_order(slab);
	slab->slab_cache = NULL;
	slab->freelist = 0;
	slab->counters = 0;
	__ClearPageType(page);
	__free_pages(m, page, order);
}

/* unfreeze_slab: a slab the CPU let go of goes to its node's partial list, or back to the buddy
 * allocator when empty and the node has partial slabs enough, or nowhere when full. */
static void unfreeze_slab(struct machine *m, struct kmem_cache *s, struct slab *slab)
{
	struct kmem_cache_node *n = get_node(s, slab_nid(slab));

	slab->frozen = 0;
	if (!slab->inuse && n->nr_partial >= s->min_partial)
		discard_slab(m, s, slab);
	else if (slab->freelist)
		add_partial(n, slab, true);
}

/* __unfreeze_partials: a chain of a CPU's partial slabs back to their nodes. */
static void __unfreeze_partials(struct machine *m, struct kmem_cache *s, struct slab *slab)
{
	while (slab) {
		struct slab *next = slab->next;
		slab->slab_list.next = slab->slab_list.prev = NULL;
		unfreeze_slab(m, s, slab);
		slab = next;
	}
}

/* put_cpu_partial: keep a slab with free objects on this CPU; when the CPU already holds enough, its
 * chain goes back to the nodes first. */
static void put_cpu_partial(struct machine *m, struct kmem_cache *s, struct slab *slab, bool drain)
{
	struct kmem_cache_cpu *c = &s->cpu_slab[m->this_cpu];
	struct slab *oldslab = c->partial, *to_unfreeze = NULL;
	int slabs = 0;

	if (oldslab) {
		if (drain && oldslab->slabs >= (int)s->cpu_partial_slabs) {
			to_unfreeze = oldslab;
			oldslab = NULL;
		} else {
			slabs = oldslab->slabs;
		}
	}
	slab->slabs = slabs + 1;
	slab->next = oldslab;
	c->partial = slab;
	__unfreeze_partials(m, s, to_unfreeze);
}

/* deactivate_slab: the CPU's active slab goes back; its lockless freelist joins the slab's own. */
static void deactivate_slab(struct machine *m, struct kmem_cache *s, struct slab *slab, unsigned long freelist)
{
	while (freelist) {
		unsigned long next = get_freepointer(m, s, freelist);
		set_freepointer(m, s, freelist, slab->freelist);
		slab->freelist = freelist;
		slab->inuse--;
		freelist = next;
	}
	unfreeze_slab(m, s, slab);
}

/* flush_cpu_slab / flush_all: every CPU gives back its active and partial slabs. */
void flush_all(struct machine *m, struct kmem_cache *s)
{
	for (int cpu = 0; cpu < m->nr_cpu_ids; cpu++) {
		struct kmem_cache_cpu *c = &s->cpu_slab[cpu];
		if (c->slab)
			deactivate_slab(m, s, c->slab, c->freelist);
		c->slab = NULL;
		c->freelist = 0;
		struct slab *partial = c->partial;
		c->partial = NULL;
		__unfreeze_partials(m, s, partial);
	}
}

/* freeze_slab: a CPU takes a slab and all its free objects; they are its to hand out now. */
static unsigned long freeze_slab(struct slab *slab)
{
	unsigned long freelist = slab->freelist;

	slab->freelist = 0;
	slab->inuse = slab->objects;
	slab->frozen = 1;
	return freelist;
}

/* get_partial_node: the first partial slab of a node for this CPU, and a few more for its partial
 * chain (up to half of cpu_partial_slabs). */
static struct slab *get_partial_node(struct machine *m, struct kmem_cache *s, struct kmem_cache_node *n)
{
	struct slab *slab, *tmp, *first = NULL;
	unsigned int partial_slabs = 0;

	list_for_each_entry_safe(slab, tmp, &n->partial, slab_list) {
		remove_partial(n, slab);
		slab->frozen = 1;
		if (!first) {
			first = slab;
			if (!kmem_cache_has_cpu_partial(s))
				break;
			continue;
		}
		put_cpu_partial(m, s, slab, false);
		if (++partial_slabs > s->cpu_partial_slabs / 2)
			break;
	}
	return first;
}

static int numa_mem_id(const struct machine *m)
{
	return m->cpu_to_node[m->this_cpu];
}

/* get_any_partial: the other nodes, nearest first (as the zonelist orders them). */
static struct slab *get_any_partial(struct machine *m, struct kmem_cache *s, int local,
				    struct slab *(*take)(struct machine *, struct kmem_cache *, struct kmem_cache_node *))
{
	bool tried[MAX_NUMNODES] = { false };

	tried[local] = true;
	for (int round = 1; round < m->nr_node_ids; round++) {
		int best = -1;
		for (int nid = 0; nid < m->nr_node_ids; nid++)
			if (!tried[nid] && (best < 0 || node_distance(m, local, nid) < node_distance(m, local, best)))
				best = nid;
		tried[best] = true;
		struct slab *slab = take(m, s, get_node(s, best));
		if (slab)
			return slab;
	}
	return NULL;
}

/* get_partial: a partial slab from the node asked for, else the local one, else any. */
static struct slab *get_partial(struct machine *m, struct kmem_cache *s, int node,
				struct slab *(*take)(struct machine *, struct kmem_cache *, struct kmem_cache_node *))
{
	int searchnode = node == NUMA_NO_NODE ? numa_mem_id(m) : node;
	struct slab *slab = take(m, s, get_node(s, searchnode));

	if (slab || node != NUMA_NO_NODE)
		return slab;
	return get_any_partial(m, s, searchnode, take);
}

/* slab_out_of_memory: the report of a cache that found no page (mm/slub.c). */
static void slab_out_of_memory(struct machine *m, struct kmem_cache *s, gfp_t gfp, int nid)
{
	if (gfp & __GFP_NOWARN)
		return;
	pr_warn(m, "SLUB: Unable to allocate memory on node %d, gfp=%#x\n", nid, gfp);
	pr_warn(m, "  cache: %s, object size: %u, buffer size: %u, default order: %u, min order: %u\n", s->name,
		s->object_size, s->size, oo_order(s->oo), oo_order(s->min));
	for (int i = 0; i < m->nr_node_ids; i++) {
		struct kmem_cache_node *n = get_node(s, i);
		pr_warn(m, "  node %d: slabs: %ld, objs: %ld, free: %lu\n", i, n->nr_slabs, n->total_objects,
			count_partial_free(n));
	}
}

/* ___slab_alloc: the slow path: refill this CPU's freelist from remote frees to its active slab,
 * from its partial chain, from a node's partial list, or from a new slab. */
static unsigned long ___slab_alloc(struct machine *m, struct kmem_cache *s, gfp_t gfp, int node,
				   struct kmem_cache_cpu *c)
{
	struct slab *slab = c->slab;
	unsigned long freelist;

	if (slab && node != NUMA_NO_NODE && slab_nid(slab) != node) {
		deactivate_slab(m, s, slab, c->freelist);
		c->slab = NULL;
		c->freelist = 0;
		slab = NULL;
	}
	if (slab) {
		freelist = freeze_slab(slab);	/* the frees other CPUs made meanwhile */
		if (freelist)
			goto load_freelist;
		slab->frozen = 0;		/* full: it leaves the CPU and goes on no list */
		c->slab = NULL;
	}
	while (c->partial) {
		slab = c->partial;
		c->partial = slab->next;
		if (node == NUMA_NO_NODE || slab_nid(slab) == node) {
			freelist = freeze_slab(slab);
			goto activate;
		}
		slab->next = NULL;
		__unfreeze_partials(m, s, slab);
	}
	slab = get_partial(m, s, node, get_partial_node);
	if (!slab) {
		slab = allocate_slab(m, s, gfp, node);
		if (!slab) {
			slab_out_of_memory(m, s, gfp, node);
			return 0;
		}
	}
	freelist = freeze_slab(slab);
activate:
	c->slab = slab;
load_freelist:
	c->freelist = get_freepointer(m, s, freelist);
	return freelist;
}

/* alloc_single_from_partial: a debug cache hands out one checked object from a node's partial
 * slab; a slab whose object fails the checks leaves the lists, all of it marked used (leaked). The
 * object is taken before the checks, so that slub_debug=T shows the slab as it is after. */
static unsigned long alloc_single(struct machine *m, struct kmem_cache *s, struct slab *slab,
				  unsigned int orig_size)
{
	struct kmem_cache_node *n = get_node(s, slab_nid(slab));
	unsigned long object = slab->freelist;

	slab->freelist = get_freepointer(m, s, object);
	slab->inuse++;
	if (!alloc_debug_processing(m, s, slab, object, orig_size)) {
		remove_partial(n, slab);	/* given up: on no list, never validated again */
		INIT_LIST_HEAD(&slab->slab_list);
		return 0;
	}
	if (slab->inuse == slab->objects) {
		remove_partial(n, slab);
		add_full(n, slab);
	}
	return object;
}

static struct slab *first_partial(struct machine *m, struct kmem_cache *s, struct kmem_cache_node *n)
{
	(void)m;
	(void)s;
	return list_empty(&n->partial) ? NULL : list_first_entry(&n->partial, struct slab, slab_list);
}

/* The slow path of a debug cache: no per-CPU slabs, every object checked. */
static unsigned long __slab_alloc_debug(struct machine *m, struct kmem_cache *s, gfp_t gfp, int node,
					unsigned int orig_size)
{
	for (;;) {
		struct slab *slab = get_partial(m, s, node, first_partial);
		if (!slab) {
			slab = allocate_slab(m, s, gfp, node);
			if (!slab) {
				slab_out_of_memory(m, s, gfp, node);
				return 0;
			}
			add_partial(get_node(s, slab_nid(slab)), slab, false);
		}
		unsigned long object = alloc_single(m, s, slab, orig_size);
		if (object)
			return object;
	}
}

/* The slow path of slab_alloc_node, out of line so that the fast path saves no registers. */
static __attribute__((noinline)) unsigned long slab_alloc_slowpath(struct machine *m, struct kmem_cache *s,
								   gfp_t gfp, int node, unsigned int orig_size)
{
	unsigned long object;

	if (kmem_cache_debug(s))
		object = __slab_alloc_debug(m, s, gfp, node, orig_size);
	else
		object = ___slab_alloc(m, s, gfp, node, &s->cpu_slab[m->this_cpu]);
	if (object && (gfp & __GFP_ZERO))
		memset(slab_bytes(m, object), 0, kmalloc_redzone(s) ? orig_size : s->object_size);
	return object;
}

/* slab_alloc_node: the fast path pops this CPU's lockless freelist: O(1), no lock, no allocation.
 * A debug cache never has a CPU freelist, so it always takes the slow path. */
unsigned long slab_alloc_node(struct machine *m, struct kmem_cache *s, gfp_t gfp, int node, unsigned int orig_size)
{
	unsigned long object = slab_alloc_fast(m, s, gfp & ~__GFP_ZERO, node);

	if (!object)
		return slab_alloc_slowpath(m, s, gfp, node, orig_size);
	if (__builtin_expect(gfp & __GFP_ZERO, 0))
		memset(slab_bytes(m, object), 0, s->object_size);
	return object;
}

/* kmem_cache_alloc_slow: whatever the fast path leaves, and the kmem_cache_alloc event. */
static __attribute__((noinline)) unsigned long kmem_cache_alloc_slow(struct machine *m, struct kmem_cache *s,
								     gfp_t gfp, int node)
{
	unsigned long object = slab_alloc_node(m, s, gfp, node, s->object_size);

	if (trace_enabled(m, kmem_cache_alloc))
		trace_slab_alloc(m, s->name, object, s->object_size, s->size, gfp, node);
	return object;
}

/* kmem_cache_alloc: the fast path is a leaf; everything else is a tail call (mm/slub.c). */
unsigned long kmem_cache_alloc(struct machine *m, struct kmem_cache *s, gfp_t gfp)
{
	unsigned long object = trace_enabled(m, kmem_cache_alloc) ? 0 : slab_alloc_fast(m, s, gfp, NUMA_NO_NODE);

	return object ? object : kmem_cache_alloc_slow(m, s, gfp, NUMA_NO_NODE);
}

unsigned long kmem_cache_alloc_node(struct machine *m, struct kmem_cache *s, gfp_t gfp, int nid)
{
	return kmem_cache_alloc_slow(m, s, gfp, nid);
}

unsigned long kmem_cache_zalloc(struct machine *m, struct kmem_cache *s, gfp_t gfp)
{
	return kmem_cache_alloc(m, s, gfp | __GFP_ZERO);
}

/* free_to_partial_list: a debug cache's free, after the checks, straight to the node's lists. */
static void free_to_partial_list(struct machine *m, struct kmem_cache *s, struct slab *slab, unsigned long object)
{
	struct kmem_cache_node *n = get_node(s, slab_nid(slab));

	if (!free_debug_processing(m, s, slab, object))
		return;
	unsigned long prior = slab->freelist;
	set_freepointer(m, s, object, prior);
	slab->freelist = object;
	slab->inuse--;
	if (!prior) {	/* full until now */
		list_del(&slab->slab_list);
		add_partial(n, slab, true);
	}
	if (!slab->inuse && n->nr_partial > s->min_partial) {
		remove_partial(n, slab);
		discard_slab(m, s, slab);
	}
}

/* __slab_free: a free to a slab this CPU is not using. A full slab that gets a free object joins
 * this CPU's partial chain; an empty one goes back to the buddy allocator if its node has enough
 * partial slabs. */
static void __slab_free(struct machine *m, struct kmem_cache *s, struct slab *slab, unsigned long object)
{
	unsigned long prior = slab->freelist;

	set_freepointer(m, s, object, prior);
	slab->freelist = object;
	slab->inuse--;
	if (slab->frozen)
		return;
	struct kmem_cache_node *n = get_node(s, slab_nid(slab));
	if (!prior) {
		if (kmem_cache_has_cpu_partial(s)) {
			slab->frozen = 1;
			put_cpu_partial(m, s, slab, true);
			return;
		}
		add_partial(n, slab, true);
	}
	if (!slab->inuse && n->nr_partial >= s->min_partial) {
		remove_partial(n, slab);
		discard_slab(m, s, slab);
	}
}

/* slab_free_slowpath: everything but a free to this CPU's active slab (slab_free in slab.h). */
void slab_free_slowpath(struct machine *m, struct kmem_cache *s, struct slab *slab, unsigned long object)
{
	if (kmem_cache_debug(s))
		free_to_partial_list(m, s, slab, object);
	else
		__slab_free(m, s, slab, object);
}

/* kmem_cache_free_slow: what the fast path leaves out: an address that is no slab object, a free to
 * the wrong cache (reported with consistency checks, cache_from_obj in mm/slab.h), the event. */
static __attribute__((noinline)) void kmem_cache_free_slow(struct machine *m, struct kmem_cache *s, struct slab *slab,
							   unsigned long object)
{
	if (!slab) {
		pr_warn(m, "WARNING: CPU: %d PID: %d at mm/slub.c virt_to_cache\n", m->this_cpu, m->trace.pid);
		pr_warn(m, "kmem_cache_free: Object is not a Slab page!\n");
		return;
	}
	if (slab->slab_cache != s && (kmem_cache_debug(s) || kmem_cache_debug(slab->slab_cache)))
		slab_wrong_cache(m, s, slab->slab_cache, object);
	if (trace_enabled(m, kmem_cache_free))
		trace_slab_free(m, slab->slab_cache->name, object);
	slab_free(m, slab->slab_cache, slab, object);
}

/* kmem_cache_free: the fast path is a leaf; everything else is a tail call (mm/slub.c). */
void kmem_cache_free(struct machine *m, struct kmem_cache *s, unsigned long object)
{
	struct slab *slab = virt_to_slab_fast(s, object);

	if (__builtin_expect(!slab || slab->slab_cache != s || trace_enabled(m, kmem_cache_free), 0)) {
		kmem_cache_free_slow(m, s, slab, object);
		return;
	}
	slab_free(m, s, slab, object);
}

unsigned int count_free(struct slab *slab)
{
	return slab->objects - slab->inuse;
}

unsigned long count_partial_free(struct kmem_cache_node *n)
{
	unsigned long x = 0;
	struct slab *slab;

	list_for_each_entry(slab, &n->partial, slab_list)
		x += count_free(slab);
	return x;
}

/* __kmem_cache_do_shrink: flush the CPUs, then give every empty partial slab back. */
void kmem_cache_shrink(struct machine *m, struct kmem_cache *s)
{
	flush_all(m, s);
	for (int nid = 0; nid < m->nr_node_ids; nid++) {
		struct kmem_cache_node *n = get_node(s, nid);
		struct slab *slab, *tmp;
		list_for_each_entry_safe(slab, tmp, &n->partial, slab_list) {
			if (!slab->inuse) {
				remove_partial(n, slab);
				discard_slab(m, s, slab);
			}
		}
	}
}

/* __kmem_cache_shutdown: free the empty slabs; report the objects still allocated. -EBUSY if any. */
int __kmem_cache_shutdown(struct machine *m, struct kmem_cache *s)
{
	int busy = 0;

	kmem_cache_shrink(m, s);
	for (int nid = 0; nid < m->nr_node_ids; nid++) {
		struct kmem_cache_node *n = get_node(s, nid);
		struct slab *slab;
		list_for_each_entry(slab, &n->partial, slab_list)
			list_slab_objects(m, s, slab);
		if (n->nr_partial || n->nr_slabs)
			busy = -EBUSY;
	}
	return busy;
}

struct slab *virt_to_slab(const struct machine *m, unsigned long addr)
{
	struct page *page = virt_to_head_page(m, addr);

	return page && PageSlab(page) ? page_slab(page) : NULL;
}

/* kmem_cache_reconfigure: new debug flags change the layout, so the cache must hold no slab. */
int kmem_cache_reconfigure(struct machine *m, struct kmem_cache *s, slab_flags_t flags)
{
	slab_flags_t old = s->flags;

	if ((flags & ~__OBJECT_POISON) == (old & ~__OBJECT_POISON))
		return 0;
	kmem_cache_shrink(m, s);
	for (int nid = 0; nid < m->nr_node_ids; nid++)
		if (get_node(s, nid)->nr_slabs)
			return -EBUSY;
	s->flags = flags;
	if (calculate_sizes(m, s)) {
		s->flags = old;
		calculate_sizes(m, s);
		return -EINVAL;
	}
	set_min_partial(s);
	set_cpu_partial(s);
	return 0;
}

int kmem_cache_set_debug(struct machine *m, struct kmem_cache *s, slab_flags_t flag, bool on)
{
	return kmem_cache_reconfigure(m, s, on ? s->flags | flag : s->flags & ~flag);
}

/* validate_slab_cache: every slab on the node lists, every object in them (mm/slub.c). */
int validate_slab_cache(struct machine *m, struct kmem_cache *s)
{
	int errors = 0;

	flush_all(m, s);
	for (int nid = 0; nid < m->nr_node_ids; nid++) {
		struct kmem_cache_node *n = get_node(s, nid);
		struct slab *slab, *tmp;
		list_for_each_entry_safe(slab, tmp, &n->partial, slab_list)
			errors += validate_slab(m, s, slab);
		list_for_each_entry_safe(slab, tmp, &n->full, slab_list)
			errors += validate_slab(m, s, slab);
	}
	return errors;
}
