/* libmmpool slabs: aligned chunks carved into objects, like mm/slub.c's new_slab/discard_slab.
 * Every function here runs with pool->lock held, except slab_new, which runs without it. */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include "../os_map.h"
#include "pool_internal.h"

/* Bytes of a slab header with n objects: fixed part, free-index stack, live bitmap. */
static size_t slab_header_size(uint32_t n, size_t *live_off)
{
	size_t off = sizeof(struct mmpool_slab) + (size_t)n * sizeof(uint32_t);
	off = (off + 7) & ~(size_t)7;                  /* the bitmap is 64-bit words */
	*live_off = off;
	return off + ((size_t)n + 63) / 64 * sizeof(uint64_t);
}

/* Picks the slab size (a power of two holding MMPOOL_SLAB_OBJS objects at least) and how many
 * objects fit after the header, like calculate_order() in slub.c. */
int mmpool_slab_geometry(struct mmpool *pool)
{
	size_t slab = MMPOOL_SLAB_MIN;
	while (slab / pool->stride < MMPOOL_SLAB_OBJS + 1) {
		if (slab > ((size_t)1 << 40))
			return -1;                     /* absurd object size */
		slab <<= 1;
	}
	uint32_t n = (uint32_t)(slab / pool->stride);
	for (;; n--) {                                 /* shrink until header + objects fit */
		size_t live_off, hdr = slab_header_size(n, &live_off);
		size_t objs = (hdr + pool->stride - 1) / pool->stride * pool->stride;
		if (objs + (size_t)n * pool->stride <= slab) {
			pool->slab_size = slab;
			pool->slab_mask = ~(uintptr_t)(slab - 1);
			pool->per_slab = n;
			pool->objs_off = objs;
			pool->live_off = live_off;
			return 0;
		}
	}
}

/* A new pool's slab lists, empty. */
void mmpool_slab_lists_init(struct mmpool *pool)
{
	INIT_LIST_HEAD(&pool->partial.head);
	INIT_LIST_HEAD(&pool->full.head);
	INIT_LIST_HEAD(&pool->empty.head);
}

static void slab_list_add(struct mmpool_list *l, struct mmpool_slab *s)
{
	list_add(&s->list, &l->head);
	l->n++;
}

static void slab_list_del(struct mmpool_list *l, struct mmpool_slab *s)
{
	__list_del_entry(&s->list);
	l->n--;
}

/* The first slab of the list, NULL if none. */
static struct mmpool_slab *slab_list_first(struct mmpool_list *l)
{
	return list_first_entry_or_null(&l->head, struct mmpool_slab, list);
}

/* new_slab(): maps, fills the free stack in address order and constructs every object. Runs
 * without pool->lock, as allocate_slab() runs constructors outside the node's list_lock: a
 * constructor may sleep, fork or use other pools. */
static struct mmpool_slab *slab_new(struct mmpool *pool)
{
	struct mmpool_slab *s = mm_map_aligned(pool->slab_size, pool->slab_size, 0, 0);
	if (!s)
		return NULL;
	s->magic = MMPOOL_SLAB_MAGIC ^ (uintptr_t)s;
	s->pool = pool;
	s->nobj = pool->per_slab;
	s->nfree = pool->per_slab;
	s->objs = (char *)s + pool->objs_off;
	s->live = (_Atomic uint64_t *)((char *)s + pool->live_off); /* zero: fresh mmap */
	for (uint32_t i = 0; i < s->nobj; i++) {
		s->free_idx[i] = s->nobj - 1 - i;      /* pop order = address order */
		if (pool->ctor)
			pool->ctor(s->objs + (size_t)i * pool->stride);
	}
	char *hdr_end = (char *)(s->live + (s->nobj + 63) / 64);
	mm_track_noaccess(hdr_end, pool->slab_size - (size_t)(hdr_end - (char *)s)); /* objects */
	mmpool_registry_set((uintptr_t)s, true);
	return s;
}

/* Grows the pool by a slab, made with pool->lock dropped, onto the empty list. */
static struct mmpool_slab *slab_grow(struct mmpool *pool)
{
	pthread_mutex_unlock(&pool->lock);
	struct mmpool_slab *s = slab_new(pool);
	pthread_mutex_lock(&pool->lock);
	if (s)
		slab_list_add(&pool->empty, s);
	return s;
}

static void slab_unmap(struct mmpool *pool, struct mmpool_slab *s)
{
	mmpool_registry_set((uintptr_t)s, false);
	munmap(s, pool->slab_size);
}

/* Fills objs[] with up to n objects from partial slabs first, then empty ones, then new ones
 * (pool->lock is dropped while one is made). Returns how many it got (0 only when memory ran
 * out). */
int mmpool_slab_take(struct mmpool *pool, void **objs, unsigned n)
{
	unsigned got = 0;
	while (got < n) {
		struct mmpool_slab *s = slab_list_first(&pool->partial);
		struct mmpool_list *from = &pool->partial;
		if (!s) {
			from = &pool->empty;
			s = slab_list_first(&pool->empty);
			if (!s && !(s = slab_grow(pool)))
				break;
		}
		slab_list_del(from, s);
		while (got < n && s->nfree)               /* take as many as needed from it */
			objs[got++] = s->objs + (size_t)s->free_idx[--s->nfree] * pool->stride;
		slab_list_add(s->nfree ? &pool->partial : &pool->full, s);
	}
	if (!got)
		errno = ENOMEM;
	return (int)got;
}

/* Gives one object back to its slab, moving the slab between lists as it changes state. */
void mmpool_slab_put(struct mmpool *pool, void *obj)
{
	struct mmpool_slab *s = mmpool_slab_of(pool, obj);
	slab_list_del(s->nfree ? &pool->partial : &pool->full, s);
	s->free_idx[s->nfree++] = (uint32_t)(((char *)obj - s->objs) / pool->stride);
	slab_list_add(s->nfree == s->nobj ? &pool->empty : &pool->partial, s);
}

/* discard_slab() for every slab of the list; returns the bytes unmapped. */
static size_t slab_list_release(struct mmpool *pool, struct mmpool_list *l)
{
	size_t bytes = 0;
	struct mmpool_slab *s;
	while ((s = slab_list_first(l))) {
		slab_list_del(l, s);
		slab_unmap(pool, s);
		bytes += pool->slab_size;
	}
	return bytes;
}

/* Unmaps every empty slab; returns the bytes unmapped. */
size_t mmpool_slab_release_empty(struct mmpool *pool)
{
	return slab_list_release(pool, &pool->empty);
}

void mmpool_slab_release_all(struct mmpool *pool)
{
	slab_list_release(pool, &pool->partial);
	slab_list_release(pool, &pool->full);
	slab_list_release(pool, &pool->empty);
}

/* Objects out of the slabs: with users, in thread caches or in the depot. */
size_t mmpool_slab_outstanding(const struct mmpool *pool)
{
	size_t n = pool->full.n * pool->per_slab;
	const struct mmpool_slab *s;
	list_for_each_entry(s, &pool->partial.head, list)
		n += s->nobj - s->nfree;
	return n;
}
