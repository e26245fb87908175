/* libmmpool internals: slabs, magazines, thread caches (shared by pool.c, slab.c, check.c). */
#ifndef MMPOOL_INTERNAL_H
#define MMPOOL_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include "mmpool.h"
#include "../thread_reap.h"
#include "../track.h"

#define MMPOOL_MAG        64       /* objects moved between a thread cache and the depot at once */
#define MMPOOL_CACHE_MAX  (2 * MMPOOL_MAG) /* objects a thread cache holds */
#define MMPOOL_MAX_CACHED 256      /* pools that get per-thread caches; later ones use the depot */
#define MMPOOL_SLAB_MIN   (64u << 10) /* smallest slab; slabs are aligned to their size */
#define MMPOOL_SLAB_OBJS  8        /* a slab holds at least this many objects */
#define MMPOOL_SLAB_MAGIC 0x6d6d706f6f6c5342ull /* "mmpoolSB" */

#define MMPOOL_EXPORT __attribute__((visibility("default"))) /* the library's API */

#define mmp_likely(x)   __builtin_expect(!!(x), 1)
#define mmp_unlikely(x) __builtin_expect(!!(x), 0)

/* A slab: header, free-index stack, live bitmap (checking mode), then the objects. */
struct mmpool_slab {
	uint64_t magic;            /* MMPOOL_SLAB_MAGIC ^ slab address: a cheap header check */
	struct mmpool *pool;
	struct list_head list;     /* on the pool's partial, full or empty list */
	uint32_t nfree;            /* entries on free_idx[] */
	uint32_t nobj;
	char *objs;                /* first object */
	_Atomic uint64_t *live;    /* checking mode: bit i set while object i is the user's */
	uint32_t free_idx[];       /* stack of free object indexes */
};

/* A full magazine of free objects parked in the depot. */
struct mmpool_mag {
	struct mmpool_mag *next;
	void *objs[MMPOOL_MAG];
};

/* One thread's cache for one pool; counters are written by the owner, read by stats. Only
 * frees are counted on the fast path: allocs = taken + frees - given - count. */
struct mmpool_tcache {
	_Atomic uint32_t count;     /* objects in objs[] */
	_Atomic uint64_t frees;
	_Atomic uint64_t taken, given; /* objects moved from and to the depot or slabs */
	struct mmpool *pool;
	struct mmpool_tcache **slot; /* the owning thread's TLS slot that points here */
	struct list_head list;       /* on pool->caches */
	/* On the list of thread caches with the owning thread's kernel tid, read when the cache is
	 * made (again in a fork child), where other threads look for one whose thread is gone
	 * (pool.c); tid 0 once off the list. pools_lock. */
	struct mm_thread_link thread;
	void *objs[MMPOOL_CACHE_MAX];
};

/* Slabs of one state (a kmem_cache_node's partial list, say), on mmpool_slab.list. */
struct mmpool_list {
	struct list_head head;
	size_t n;
};

struct mmpool {
	unsigned id;              /* index of the per-thread slot; MMPOOL_MAX_CACHED: no caches */
	bool check;               /* MMPOOL_CHECK */
	size_t size;              /* object size asked for (what valgrind lets the user touch) */
	size_t stride;            /* object size rounded to the alignment */
	size_t slab_size;
	uintptr_t slab_mask;      /* ~(slab_size - 1) */
	uint32_t per_slab;
	size_t objs_off;          /* offset of the first object in a slab */
	size_t live_off;          /* offset of the live bitmap in a slab */
	mmpool_ctor_t ctor;
	pthread_mutex_t lock;     /* depot, slab lists, caches list, counters below */
	struct mmpool_mag *depot; /* full magazines */
	size_t depot_n;
	_Atomic(struct mmpool_mag *) spare; /* empty magazine structs (read unlocked as a hint) */
	struct mmpool_list partial, full, empty;
	struct list_head caches;  /* the thread caches, on mmpool_tcache.list */
	/* Allocations and frees no cache counts: those of caches given back (their thread gone,
	 * its exit, a fork child's copies of other threads' caches) and those made without a cache
	 * (checking pools, pools past the cached slots, key destructors after the thread's exit). */
	uint64_t dead_allocs, dead_frees;
	struct list_head list;    /* on the list of every pool (pool.c, pools_lock) */
	char name[48];
};

/* slab.c: all with pool->lock held (mmpool_slab_take drops it while a new slab is made). */
void mmpool_slab_lists_init(struct mmpool *pool);
int mmpool_slab_take(struct mmpool *pool, void **objs, unsigned n);
void mmpool_slab_put(struct mmpool *pool, void *obj);
size_t mmpool_slab_release_empty(struct mmpool *pool);
void mmpool_slab_release_all(struct mmpool *pool);
size_t mmpool_slab_outstanding(const struct mmpool *pool);
int mmpool_slab_geometry(struct mmpool *pool);

/* check.c: checking mode (MMPOOL_CHECK). */
void mmpool_registry_set(uintptr_t slab, bool on);
void mmpool_check_alloc(struct mmpool *pool, void *obj);
void mmpool_check_free(struct mmpool *pool, void *obj);
void mmpool_report_live(struct mmpool *pool, size_t live);

static inline struct mmpool_slab *mmpool_slab_of(const struct mmpool *pool, const void *obj)
{
	return (struct mmpool_slab *)((uintptr_t)obj & pool->slab_mask);
}

/* Relaxed access to counters that another thread may read (READ_ONCE/WRITE_ONCE). */
static inline void mmp_add(_Atomic uint64_t *c, uint64_t v)
{
	atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + v,
			      memory_order_relaxed);
}
#endif
