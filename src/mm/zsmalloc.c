/*
 * zsmalloc (mm/zsmalloc.c): size classes, zspages of order-0 pages, fullness groups, handles and
 * compaction. See include/mmlab/zsmalloc.h for the shape of it.
 *
 * Inside a zspage, object i starts at byte i * class->size of the pages taken end to end. A free
 * object's first word links it to the next free one (its index << OBJ_TAG_BITS); an allocated
 * object's first word holds its handle | OBJ_ALLOCATED_TAG, and its data follows. A zspage of a huge
 * class (one object per zspage) keeps the handle in the descriptor and the data from byte 0.
 * An object's location (obj) is the pfn of the page it starts in and its index in the zspage.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mmlab/machine.h>
#include <mmlab/seq_file.h>
#include <mmlab/slab.h>
#include <mmlab/vmstat.h>
#include <mmlab/zsmalloc.h>

#include "internal.h"

#define OBJ_ALLOCATED_TAG	1UL
#define OBJ_TAG_BITS		1
#define OBJ_INDEX_BITS		16	/* room for ZS_MAX_PAGES_PER_ZSPAGE * PAGE_SIZE / ZS_MIN_ALLOC_SIZE */
#define OBJ_INDEX_MASK		((1UL << OBJ_INDEX_BITS) - 1)

/* Fullness groups: how full a zspage is, in tenths (mm/zsmalloc.c enum fullness_group). */
enum fullness_group {
	ZS_INUSE_RATIO_0,
	ZS_INUSE_RATIO_10,
	/* ZS_INUSE_RATIO_20 .. ZS_INUSE_RATIO_90 */
	ZS_INUSE_RATIO_99 = 10,
	ZS_INUSE_RATIO_100,
	NR_FULLNESS_GROUPS,
};

enum class_stat_type { OBJ_ALLOCATED, OBJ_USED, NR_CLASS_STAT_TYPES };

struct size_class {
	struct list_head fullness_list[NR_FULLNESS_GROUPS];
	int size;			/* bytes per object, handle word included */
	int objs_per_zspage;
	int pages_per_zspage;
	unsigned int index;
	unsigned long objs[NR_CLASS_STAT_TYPES];
};

/* struct zspage: the descriptor of one zspage (mm/zsmalloc.c), an object of the pool's slab cache
 * "zspage-NAME". Its pages are chained from first_pfn through page->index (the next pfn; 0 ends
 * the chain, as pfn 0 is reserved at boot); each page's private word is the descriptor's address. */
struct zspage {
	struct list_head list;		/* on its class's fullness list */
	struct size_class *class;
	unsigned int inuse;		/* allocated objects */
	unsigned int freeobj;		/* first free object; objs_per_zspage when none */
	int fullness;
	unsigned long huge_handle;	/* a huge zspage's handle word (handle_word) */
	unsigned long first_pfn;
};

struct zs_pool {
	struct machine *m;
	char name[32];
	struct size_class *size_class[ZS_SIZE_CLASSES];	/* merged classes share one */
	size_t huge_class_size;
	unsigned long pages_allocated;
	struct zs_pool_stats stats;
	/* A handle is the address of a word from this slab cache, which holds its object's obj. */
	struct kmem_cache *handle_cachep;
	struct kmem_cache *zspage_cachep;
};

/* direct_map_ptr / direct_map_addr: the host bytes behind a direct-map address, and back (__pa,
 * __va): handles and zspage descriptors are slab objects of the machine. */
static void *direct_map_ptr(const struct zs_pool *pool, unsigned long addr)
{
	return pool->m->phys + (addr - pool->m->arch->page_offset);
}

static unsigned long direct_map_addr(const struct zs_pool *pool, const void *ptr)
{
	return pool->m->arch->page_offset + (unsigned long)((const unsigned char *)ptr - pool->m->phys);
}

/* zspage_page: page n of the zspage, down its chain (get_first_page, get_next_page). */
static struct page *zspage_page(const struct zs_pool *pool, const struct zspage *zspage, size_t n)
{
	struct page *page = pfn_to_page(pool->m, zspage->first_pfn);

	while (n--)
		page = pfn_to_page(pool->m, page->index);
	return page;
}

static bool is_huge_class(const struct size_class *class)
{
	return class->objs_per_zspage == 1;
}

/* calculate_zspage_chain_size: the number of pages that wastes least for objects of class_size. */
static int calculate_zspage_chain_size(int class_size)
{
	int chain = 1, min_waste = (int)PAGE_SIZE;

	if (!(class_size & (class_size - 1)))
		return 1;
	for (int i = 1; i <= ZS_MAX_PAGES_PER_ZSPAGE; i++) {
		int waste = (int)(i * PAGE_SIZE) % class_size;

		if (waste < min_waste) {
			min_waste = waste;
			chain = i;
		}
	}
	return chain;
}

/* get_size_class_index: the class serving size bytes. */
static unsigned int get_size_class_index(size_t size)
{
	size_t idx = 0;

	if (size > ZS_MIN_ALLOC_SIZE)
		idx = (size - ZS_MIN_ALLOC_SIZE + ZS_SIZE_CLASS_DELTA - 1) / ZS_SIZE_CLASS_DELTA;
	return idx < (size_t)ZS_SIZE_CLASSES - 1 ? (unsigned int)idx : (unsigned int)ZS_SIZE_CLASSES - 1;
}

/* get_fullness_group: ZS_INUSE_RATIO_0 when empty, _100 when full, else the tenth it is in plus one. */
static int get_fullness_group(const struct size_class *class, const struct zspage *zspage)
{
	if (zspage->inuse == 0)
		return ZS_INUSE_RATIO_0;
	if ((int)zspage->inuse == class->objs_per_zspage)
		return ZS_INUSE_RATIO_100;
	return (int)(100 * zspage->inuse / (unsigned int)class->objs_per_zspage) / 10 + 1;
}

/* insert_zspage / remove_zspage: on and off the list of its fullness group. */
static void insert_zspage(struct size_class *class, struct zspage *zspage, int fullness)
{
	zspage->fullness = fullness;
	list_add(&zspage->list, &class->fullness_list[fullness]);
}

static void remove_zspage(struct zspage *zspage)
{
	list_del(&zspage->list);
}

/* fix_fullness_group: move the zspage to the list its fill now calls for; returns the group. */
static int fix_fullness_group(struct size_class *class, struct zspage *zspage)
{
	int fullness = get_fullness_group(class, zspage);

	if (fullness != zspage->fullness) {
		remove_zspage(zspage);
		insert_zspage(class, zspage, fullness);
	}
	return fullness;
}

/* ---- objects inside a zspage ---- */

/* obj_location: where object idx starts: its page and the offset in it. */
static struct page *obj_location(const struct zs_pool *pool, const struct zspage *zspage, unsigned int idx,
				 unsigned int *off)
{
	size_t start = (size_t)idx * (size_t)zspage->class->size;

	*off = (unsigned int)(start & ~PAGE_MASK);
	return zspage_page(pool, zspage, start >> PAGE_SHIFT);
}

/* The first word of object idx: its free link or its handle. Never straddles (sizes are multiples
 * of ZS_SIZE_CLASS_DELTA). */
static unsigned long *obj_word(const struct zs_pool *pool, const struct zspage *zspage, unsigned int idx)
{
	unsigned int off;
	struct page *page = obj_location(pool, zspage, idx, &off);

	return (unsigned long *)((unsigned char *)kmap_local_page(pool->m, page) + off);
}

static unsigned long location_to_obj(const struct zs_pool *pool, const struct zspage *zspage, unsigned int idx)
{
	unsigned int off;
	struct page *page = obj_location(pool, zspage, idx, &off);

	return (page_to_pfn(pool->m, page) << OBJ_INDEX_BITS) | idx;
}

/* obj_to_location: the zspage (from its page's private word) and the index. */
static struct zspage *obj_to_zspage(const struct zs_pool *pool, unsigned long obj, unsigned int *idx)
{
	*idx = (unsigned int)(obj & OBJ_INDEX_MASK);
	return direct_map_ptr(pool, pfn_to_page(pool->m, obj >> OBJ_INDEX_BITS)->private);
}

/* zs_copy: len bytes at byte off of the zspage's object idx to or from buf, across a page boundary
 * when the object straddles one (zs_obj_read / zs_obj_write). */
static void zs_copy(const struct zs_pool *pool, const struct zspage *zspage, unsigned int idx, size_t off,
		    void *buf, size_t len, bool write)
{
	size_t pos = (size_t)idx * (size_t)zspage->class->size + off;
	struct page *page = zspage_page(pool, zspage, pos >> PAGE_SHIFT);
	unsigned char *p = buf;

	while (len) {
		size_t in_page = pos & ~PAGE_MASK, n = PAGE_SIZE - in_page;
		unsigned char *host = (unsigned char *)kmap_local_page(pool->m, page) + in_page;

		if (n > len)
			n = len;
		if (write)
			memcpy(host, p, n);
		else
			memcpy(p, host, n);
		p += n;
		pos += n;
		len -= n;
		if (len)
			page = pfn_to_page(pool->m, page->index);
	}
}

/* A handle in an object's first word, tagged: handles are aligned addresses, their low bit free. */
static unsigned long handle_word(unsigned long handle)
{
	return handle | OBJ_ALLOCATED_TAG;
}

static unsigned long word_handle(unsigned long word)
{
	return word & ~OBJ_ALLOCATED_TAG;
}

/* obj_malloc: take the zspage's first free object for handle (mm/zsmalloc.c obj_malloc). */
static unsigned long obj_malloc(struct zs_pool *pool, struct zspage *zspage, unsigned long handle)
{
	unsigned int idx = zspage->freeobj;
	unsigned long *word = obj_word(pool, zspage, idx);

	zspage->freeobj = (unsigned int)(*word >> OBJ_TAG_BITS);
	if (is_huge_class(zspage->class))
		zspage->huge_handle = handle_word(handle);
	else
		*word = handle_word(handle);
	zspage->inuse++;
	zspage->class->objs[OBJ_USED]++;
	return location_to_obj(pool, zspage, idx);
}

/* obj_free: put object idx back at the head of the zspage's free list. */
static void obj_free(struct zs_pool *pool, struct zspage *zspage, unsigned int idx)
{
	*obj_word(pool, zspage, idx) = (unsigned long)zspage->freeobj << OBJ_TAG_BITS;
	zspage->huge_handle = 0;
	zspage->freeobj = idx;
	zspage->inuse--;
	zspage->class->objs[OBJ_USED]--;
}

/* ---- zspages ---- */

/* init_zspage: chain every object into the free list, in order. */
static void init_zspage(struct zs_pool *pool, struct zspage *zspage)
{
	unsigned int n = (unsigned int)zspage->class->objs_per_zspage;

	for (unsigned int i = 0; i < n; i++)
		*obj_word(pool, zspage, i) = (unsigned long)(i + 1) << OBJ_TAG_BITS;
	zspage->freeobj = 0;
}

/* free_zspage_pages: the chain's first nr pages back to the buddy allocator, untyped and uncounted,
 * then the descriptor back to its cache. */
static void free_zspage_pages(struct zs_pool *pool, struct zspage *zspage, int nr)
{
	unsigned long pfn = zspage->first_pfn;

	for (int i = 0; i < nr; i++) {
		struct page *page = pfn_to_page(pool->m, pfn);

		pfn = page->index;
		__mod_zone_page_state(page_zone(pool->m, page), NR_ZSPAGES, -1);
		__ClearPageType(page);
		page->private = 0;
		page->index = 0;
		__free_pages(pool->m, page, 0);
	}
	kmem_cache_free(pool->m, pool->zspage_cachep, direct_map_addr(pool, zspage));
}

/* alloc_zspage: a descriptor from the slab, the class's pages from the buddy allocator, typed
 * PG_zsmalloc and chained; NULL if any is missing (mm/zsmalloc.c alloc_zspage). */
static struct zspage *alloc_zspage(struct zs_pool *pool, struct size_class *class, gfp_t gfp)
{
	unsigned long addr = kmem_cache_zalloc(pool->m, pool->zspage_cachep, gfp & ~(__GFP_HIGHMEM | __GFP_MOVABLE));
	struct zspage *zspage;
	struct page *prev = NULL;

	if (!addr)
		return NULL;
	zspage = direct_map_ptr(pool, addr);
	zspage->class = class;
	for (int i = 0; i < class->pages_per_zspage; i++) {
		struct page *page = alloc_pages(pool->m, gfp, 0);

		if (!page) {
			free_zspage_pages(pool, zspage, i);
			return NULL;
		}
		__SetPageType(page, PG_zsmalloc);
		page->private = addr;
		page->index = 0;
		__mod_zone_page_state(page_zone(pool->m, page), NR_ZSPAGES, 1);
		if (prev)
			prev->index = page_to_pfn(pool->m, page);
		else
			zspage->first_pfn = page_to_pfn(pool->m, page);
		prev = page;
	}
	init_zspage(pool, zspage);
	return zspage;
}

/* free_zspage: an empty zspage off its list and its pages back (mm/zsmalloc.c __free_zspage). */
static void free_zspage(struct zs_pool *pool, struct size_class *class, struct zspage *zspage)
{
	remove_zspage(zspage);
	free_zspage_pages(pool, zspage, class->pages_per_zspage);
	class->objs[OBJ_ALLOCATED] -= (unsigned long)class->objs_per_zspage;
	pool->pages_allocated -= (unsigned long)class->pages_per_zspage;
}

/* find_get_zspage: the fullest zspage that has room, NULL if none. */
static struct zspage *find_get_zspage(struct size_class *class)
{
	for (int fg = ZS_INUSE_RATIO_99; fg >= ZS_INUSE_RATIO_10; fg--)
		if (!list_empty(&class->fullness_list[fg]))
			return list_first_entry(&class->fullness_list[fg], struct zspage, list);
	return NULL;
}

/* ---- handles: words in the pool's slab cache (cache_alloc_handle, record_obj) ---- */

static unsigned long cache_alloc_handle(struct zs_pool *pool, gfp_t gfp)
{
	return kmem_cache_alloc(pool->m, pool->handle_cachep, gfp & ~(__GFP_HIGHMEM | __GFP_MOVABLE));
}

static void cache_free_handle(struct zs_pool *pool, unsigned long handle)
{
	kmem_cache_free(pool->m, pool->handle_cachep, handle);
}

/* handle_slot: the handle's word. */
static unsigned long *handle_slot(const struct zs_pool *pool, unsigned long handle)
{
	return direct_map_ptr(pool, handle);
}

static unsigned long handle_to_obj(const struct zs_pool *pool, unsigned long handle)
{
	return *handle_slot(pool, handle);
}

static void record_obj(const struct zs_pool *pool, unsigned long handle, unsigned long obj)
{
	*handle_slot(pool, handle) = obj;
}

/* ---- the interface ---- */

unsigned long zs_malloc(struct zs_pool *pool, size_t size, gfp_t gfp)
{
	if (size == 0 || size > ZS_MAX_ALLOC_SIZE)
		return (unsigned long)-EINVAL;

	struct size_class *class = pool->size_class[get_size_class_index(size + ZS_HANDLE_SIZE)];
	unsigned long handle = cache_alloc_handle(pool, gfp);
	struct zspage *zspage = find_get_zspage(class);

	if (!handle)
		return (unsigned long)-ENOMEM;
	if (!zspage) {
		zspage = alloc_zspage(pool, class, gfp);
		if (!zspage) {
			cache_free_handle(pool, handle);
			return (unsigned long)-ENOMEM;
		}
		insert_zspage(class, zspage, ZS_INUSE_RATIO_0);
		class->objs[OBJ_ALLOCATED] += (unsigned long)class->objs_per_zspage;
		pool->pages_allocated += (unsigned long)class->pages_per_zspage;
	}
	record_obj(pool, handle, obj_malloc(pool, zspage, handle));
	fix_fullness_group(class, zspage);
	return handle;
}

void zs_free(struct zs_pool *pool, unsigned long handle)
{
	unsigned int idx;
	struct zspage *zspage;
	struct size_class *class;

	if (!handle || IS_ERR_VALUE(handle))
		return;
	zspage = obj_to_zspage(pool, handle_to_obj(pool, handle), &idx);
	class = zspage->class;
	obj_free(pool, zspage, idx);
	cache_free_handle(pool, handle);
	if (fix_fullness_group(class, zspage) == ZS_INUSE_RATIO_0)
		free_zspage(pool, class, zspage);
}

/* The data of a normal object follows its handle word. */
static size_t obj_data_offset(const struct zspage *zspage)
{
	return is_huge_class(zspage->class) ? 0 : ZS_HANDLE_SIZE;
}

void zs_obj_write(struct zs_pool *pool, unsigned long handle, const void *src, size_t len)
{
	unsigned int idx;
	struct zspage *zspage = obj_to_zspage(pool, handle_to_obj(pool, handle), &idx);

	zs_copy(pool, zspage, idx, obj_data_offset(zspage), (void *)src, len, true);
}

void zs_obj_read(struct zs_pool *pool, unsigned long handle, void *dst, size_t len)
{
	unsigned int idx;
	struct zspage *zspage = obj_to_zspage(pool, handle_to_obj(pool, handle), &idx);

	zs_copy(pool, zspage, idx, obj_data_offset(zspage), dst, len, false);
}

unsigned long zs_get_total_pages(const struct zs_pool *pool)
{
	return pool->pages_allocated;
}

size_t zs_huge_class_size(const struct zs_pool *pool)
{
	return pool->huge_class_size;
}

void zs_pool_stats(const struct zs_pool *pool, struct zs_pool_stats *stats)
{
	*stats = pool->stats;
}

/* ---- compaction (mm/zsmalloc.c __zs_compact) ---- */

/* zs_can_compact: the pages compaction could free in class: whole zspages' worth of free objects. */
static unsigned long zs_can_compact(const struct size_class *class)
{
	unsigned long allocated = class->objs[OBJ_ALLOCATED], used = class->objs[OBJ_USED];

	if (allocated <= used)
		return 0;
	return (allocated - used) / (unsigned long)class->objs_per_zspage * (unsigned long)class->pages_per_zspage;
}

/* isolate_zspage: off its list, the first zspage of the groups from..to (either direction). */
static struct zspage *isolate_zspage(struct size_class *class, int from, int to)
{
	int step = from <= to ? 1 : -1;

	for (int fg = from; fg != to + step; fg += step) {
		if (!list_empty(&class->fullness_list[fg])) {
			struct zspage *zspage = list_first_entry(&class->fullness_list[fg], struct zspage, list);

			remove_zspage(zspage);
			return zspage;
		}
	}
	return NULL;
}

/* putback_zspage: back on the list of its group; returns the group. */
static int putback_zspage(struct size_class *class, struct zspage *zspage)
{
	int fullness = get_fullness_group(class, zspage);

	insert_zspage(class, zspage, fullness);
	return fullness;
}

/* migrate_zspage: move src's objects into dst until src is empty or dst is full; every handle
 * follows its object. */
static void migrate_zspage(struct zs_pool *pool, struct zspage *src, struct zspage *dst)
{
	struct size_class *class = src->class;
	unsigned char buf[PAGE_SIZE];

	for (unsigned int idx = 0; src->inuse && (int)dst->inuse < class->objs_per_zspage; idx++) {
		unsigned long word = *obj_word(pool, src, idx);

		if (!(word & OBJ_ALLOCATED_TAG))
			continue;
		unsigned long handle = word_handle(word);

		zs_copy(pool, src, idx, 0, buf, (size_t)class->size, false);
		record_obj(pool, handle, obj_malloc(pool, dst, handle));
		zs_copy(pool, dst, (unsigned int)(handle_to_obj(pool, handle) & OBJ_INDEX_MASK), 0, buf,
			(size_t)class->size, true);
		obj_free(pool, src, idx);
	}
}

static unsigned long __zs_compact(struct zs_pool *pool, struct size_class *class)
{
	struct zspage *dst = NULL;
	unsigned long freed = 0;

	while (zs_can_compact(class)) {
		if (!dst && !(dst = isolate_zspage(class, ZS_INUSE_RATIO_99, ZS_INUSE_RATIO_10)))
			break;
		struct zspage *src = isolate_zspage(class, ZS_INUSE_RATIO_10, ZS_INUSE_RATIO_99);

		if (!src)
			break;
		migrate_zspage(pool, src, dst);
		if (putback_zspage(class, src) == ZS_INUSE_RATIO_0) {
			free_zspage(pool, class, src);
			freed += (unsigned long)class->pages_per_zspage;
		}
		if ((int)dst->inuse == class->objs_per_zspage) {
			putback_zspage(class, dst);
			dst = NULL;
		}
	}
	if (dst)
		putback_zspage(class, dst);
	return freed;
}

unsigned long zs_compact(struct zs_pool *pool)
{
	unsigned long freed = 0;

	for (int i = ZS_SIZE_CLASSES - 1; i >= 0; i--) {
		struct size_class *class = pool->size_class[i];

		if (class->index == (unsigned int)i && !is_huge_class(class))
			freed += __zs_compact(pool, class);
	}
	pool->stats.pages_compacted += freed;
	return freed;
}

/* ---- the pool ---- */

static struct size_class *new_size_class(int size, int pages, unsigned int index)
{
	struct size_class *class = calloc(1, sizeof(*class));

	if (!class)
		return NULL;
	class->size = size;
	class->index = index;
	class->pages_per_zspage = pages;
	class->objs_per_zspage = pages * (int)PAGE_SIZE / size;
	for (int fg = 0; fg < NR_FULLNESS_GROUPS; fg++)
		INIT_LIST_HEAD(&class->fullness_list[fg]);
	return class;
}

/* create_cache: the pool's cache of handles or descriptors. The kernel names them "zs_handle" and
 * "zspage" for every pool; here cache names are unique, so the pool's name is added
 * (mm/zsmalloc.c create_cache). */
static struct kmem_cache *create_cache(struct machine *m, const char *what, const char *name, unsigned int size)
{
	char cache_name[64];

	snprintf(cache_name, sizeof(cache_name), "%s-%s", what, name);
	return kmem_cache_create(m, cache_name, size, 0, 0);
}

/* zs_create_pool: the classes from the biggest down; a class with the shape of the one above is
 * merged into it, and the biggest class that is not huge sets huge_class_size. */
struct zs_pool *zs_create_pool(struct machine *m, const char *name)
{
	struct zs_pool *pool = calloc(1, sizeof(*pool));
	struct size_class *prev = NULL;

	if (!pool)
		return NULL;
	pool->m = m;
	snprintf(pool->name, sizeof(pool->name), "%s", name);
	pool->handle_cachep = create_cache(m, "zs_handle", name, ZS_HANDLE_SIZE);
	pool->zspage_cachep = create_cache(m, "zspage", name, sizeof(struct zspage));
	if (!pool->handle_cachep || !pool->zspage_cachep) {
		zs_destroy_pool(pool);
		return NULL;
	}
	for (int i = ZS_SIZE_CLASSES - 1; i >= 0; i--) {
		int size = ZS_MIN_ALLOC_SIZE + i * (int)ZS_SIZE_CLASS_DELTA;
		int pages = calculate_zspage_chain_size(size);
		int objs = pages * (int)PAGE_SIZE / size;

		if (pages != 1 && objs != 1 && !pool->huge_class_size)
			pool->huge_class_size = (size_t)size - (ZS_HANDLE_SIZE - 1);
		if (prev && prev->pages_per_zspage == pages && prev->objs_per_zspage == objs) {
			pool->size_class[i] = prev;
			continue;
		}
		if (!(prev = new_size_class(size, pages, (unsigned int)i))) {
			zs_destroy_pool(pool);
			return NULL;
		}
		pool->size_class[i] = prev;
	}
	return pool;
}

/* free_zspage_handles: the handles of the objects still in the zspage, when its pool goes. */
static void free_zspage_handles(struct zs_pool *pool, struct zspage *zspage)
{
	if (is_huge_class(zspage->class)) {
		if (zspage->huge_handle & OBJ_ALLOCATED_TAG)
			cache_free_handle(pool, word_handle(zspage->huge_handle));
		return;
	}
	for (unsigned int idx = 0; idx < (unsigned int)zspage->class->objs_per_zspage; idx++) {
		unsigned long word = *obj_word(pool, zspage, idx);

		if (word & OBJ_ALLOCATED_TAG)
			cache_free_handle(pool, word_handle(word));
	}
}

/* zs_destroy_pool: every zspage freed, objects or not, then the classes and the handle cache. */
void zs_destroy_pool(struct zs_pool *pool)
{
	if (!pool)
		return;
	for (int i = 0; i < ZS_SIZE_CLASSES; i++) {
		struct size_class *class = pool->size_class[i];
		struct zspage *zspage, *next;

		if (!class || class->index != (unsigned int)i)
			continue;
		for (int fg = 0; fg < NR_FULLNESS_GROUPS; fg++)
			list_for_each_entry_safe(zspage, next, &class->fullness_list[fg], list) {
				free_zspage_handles(pool, zspage);
				free_zspage(pool, class, zspage);
			}
		free(class);
	}
	if (pool->handle_cachep)
		kmem_cache_destroy(pool->m, pool->handle_cachep);
	if (pool->zspage_cachep)
		kmem_cache_destroy(pool->m, pool->zspage_cachep);
	free(pool);
}

/* ---- reports ---- */

static unsigned long nr_zspages_in(const struct size_class *class, int fg)
{
	unsigned long n = 0;
	const struct list_head *pos;

	for (pos = class->fullness_list[fg].next; pos != &class->fullness_list[fg]; pos = pos->next)
		n++;
	return n;
}

/* zs_stats_size_show: one line per class (merged ones skipped), then the totals (mm/zsmalloc.c). */
void zs_stats_size_show(const struct zs_pool *pool, struct seq_file *s)
{
	unsigned long totals[NR_FULLNESS_GROUPS] = { 0 }, objs = 0, used = 0, pages = 0, freeable = 0;

	seq_printf(s, " %5s %5s %9s %9s %9s %9s %9s %9s %9s %9s %9s %9s %9s %13s %10s %10s %16s %8s\n", "class",
		   "size", "10%", "20%", "30%", "40%", "50%", "60%", "70%", "80%", "90%", "99%", "100%",
		   "obj_allocated", "obj_used", "pages_used", "pages_per_zspage", "freeable");
	for (unsigned int i = 0; i < (unsigned int)ZS_SIZE_CLASSES; i++) {
		const struct size_class *class = pool->size_class[i];

		if (class->index != i)
			continue;
		seq_printf(s, " %5u %5u ", i, class->size);
		for (int fg = ZS_INUSE_RATIO_10; fg < NR_FULLNESS_GROUPS; fg++) {
			totals[fg] += nr_zspages_in(class, fg);
			seq_printf(s, "%9lu ", nr_zspages_in(class, fg));
		}
		unsigned long used_pages = class->objs[OBJ_ALLOCATED] / (unsigned long)class->objs_per_zspage *
					   (unsigned long)class->pages_per_zspage;

		seq_printf(s, "%13lu %10lu %10lu %16d %8lu\n", class->objs[OBJ_ALLOCATED], class->objs[OBJ_USED],
			   used_pages, class->pages_per_zspage, zs_can_compact(class));
		objs += class->objs[OBJ_ALLOCATED];
		used += class->objs[OBJ_USED];
		pages += used_pages;
		freeable += zs_can_compact(class);
	}
	seq_printf(s, "\n %5s %5s ", "Total", "");
	for (int fg = ZS_INUSE_RATIO_10; fg < NR_FULLNESS_GROUPS; fg++)
		seq_printf(s, "%9lu ", totals[fg]);
	seq_printf(s, "%13lu %10lu %10lu %16s %8lu\n", objs, used, pages, "", freeable);
}

#define zs_violation(report, errors, ...) check_report(report, errors, "zsmalloc: " __VA_ARGS__)

/* check_zspage_objects: the free list and the handles agree with inuse; returns the free count. */
static unsigned int check_zspage_objects(const struct zs_pool *pool, const struct zspage *zspage,
					 struct seq_file *report, int *errors)
{
	unsigned int nr = (unsigned int)zspage->class->objs_per_zspage, nfree = 0;

	for (unsigned int idx = zspage->freeobj; idx < nr && nfree <= nr; nfree++)
		idx = (unsigned int)(*obj_word(pool, zspage, idx) >> OBJ_TAG_BITS);
	if (nfree + zspage->inuse != nr)
		zs_violation(report, errors, "%s class %d: zspage has %u objects in use and %u free of %u",
			     pool->name, zspage->class->size, zspage->inuse, nfree, nr);
	for (unsigned int idx = 0; idx < nr && !is_huge_class(zspage->class); idx++) {
		unsigned long word = *obj_word(pool, zspage, idx);
		unsigned long handle = word_handle(word);

		if ((word & OBJ_ALLOCATED_TAG) &&
		    (!virt_to_page(pool->m, handle & PAGE_MASK) ||
		     handle_to_obj(pool, handle) != location_to_obj(pool, zspage, idx)))
			zs_violation(report, errors, "%s class %d: object %u's handle does not point back to it",
				     pool->name, zspage->class->size, idx);
	}
	return nfree;
}

static unsigned long check_zspage(const struct zs_pool *pool, const struct zspage *zspage, int fg,
				  struct seq_file *report, int *errors)
{
	const struct size_class *class = zspage->class;

	if (zspage->fullness != fg || get_fullness_group(class, zspage) != fg)
		zs_violation(report, errors, "%s class %d: zspage with %u objects in use is on fullness list %d",
			     pool->name, class->size, zspage->inuse, fg);
	for (int i = 0; i < class->pages_per_zspage; i++) {
		const struct page *page = zspage_page(pool, zspage, (size_t)i);

		if (!page_type_is(page, PG_zsmalloc) || page->private != direct_map_addr(pool, zspage))
			zs_violation(report, errors, "%s: pfn %#lx of a zspage is not a PG_zsmalloc page of it",
				     pool->name, page_to_pfn(pool->m, page));
	}
	check_zspage_objects(pool, zspage, report, errors);
	return zspage->inuse;
}

int zs_pool_check(const struct zs_pool *pool, struct seq_file *report)
{
	unsigned long pages = 0;
	int errors = 0;

	for (unsigned int i = 0; i < (unsigned int)ZS_SIZE_CLASSES; i++) {
		const struct size_class *class = pool->size_class[i];
		unsigned long zspages = 0, used = 0;
		const struct zspage *zspage;

		if (class->index != i)
			continue;
		for (int fg = 0; fg < NR_FULLNESS_GROUPS; fg++) {
			list_for_each_entry(zspage, &class->fullness_list[fg], list) {
				used += check_zspage(pool, zspage, fg, report, &errors);
				zspages++;
			}
		}
		if (class->objs[OBJ_USED] != used ||
		    class->objs[OBJ_ALLOCATED] != zspages * (unsigned long)class->objs_per_zspage)
			zs_violation(report, &errors, "%s class %d: counts %lu used / %lu allocated, lists %lu / %lu",
				     pool->name, class->size, class->objs[OBJ_USED], class->objs[OBJ_ALLOCATED], used,
				     zspages * (unsigned long)class->objs_per_zspage);
		pages += zspages * (unsigned long)class->pages_per_zspage;
	}
	if (pages != pool->pages_allocated)
		zs_violation(report, &errors, "%s: pages_allocated is %lu but the zspages hold %lu", pool->name,
			     pool->pages_allocated, pages);
	return errors;
}
