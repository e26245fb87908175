/* libmmpool: pool creation, per-thread caches and the depot (the shape of kmem_cache_alloc and
 * kmem_cache_free: a per-CPU freelist in front, shared slabs behind). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "pool_internal.h"

#define MMPOOL_REAP_SCAN 2         /* thread caches checked when a cache is made */

/* This thread's cache for each pool id (NULL until first use); the last slot stays NULL: it
 * is the id of pools without caches, so that the fast paths need no id test. */
static __thread struct mmpool_tcache *tls_slot[MMPOOL_MAX_CACHED + 1]
	__attribute__((tls_model("initial-exec")));

/* Set once this thread's caches were retired at its exit: a key destructor that runs later and
 * uses a pool gets no new cache (nothing would retire it), as glibc's tcache_shutting_down. */
static __thread bool tls_done __attribute__((tls_model("initial-exec")));

/* Lock order: pools_lock, then one pool->lock. No code holds two pool locks at once, and
 * neither user code (a constructor) nor malloc or free runs under any of these locks (a
 * magazine is made before pool->lock is taken, drained caches are freed after pools_lock is
 * dropped): so the fork handlers hold them safely whichever runs first, ours or the malloc's. */
static pthread_mutex_t pools_lock = PTHREAD_MUTEX_INITIALIZER; /* ids, cache lifetimes, pools */
static struct mmpool *pool_by_id[MMPOOL_MAX_CACHED];
static struct list_head pools = LIST_HEAD_INIT(pools); /* every pool, on pool->list */
static pthread_key_t thread_key;
static struct list_head caches_dead = LIST_HEAD_INIT(caches_dead); /* drained, to be freed */
/* The caches of threads, by their tids. */
static struct mm_thread_list thread_caches = MM_THREAD_LIST_INIT(thread_caches);

/* Pushes n objects to the depot as one magazine: a spare one, else *fresh (made before the
 * lock; taken, it becomes NULL); caller holds pool->lock. Returns false when there is none (the
 * caller then gives the objects to their slabs). */
static bool depot_push(struct mmpool *pool, void **objs, struct mmpool_mag **fresh)
{
	struct mmpool_mag *m = atomic_load_explicit(&pool->spare, memory_order_relaxed);
	if (m) {
		atomic_store_explicit(&pool->spare, m->next, memory_order_relaxed);
	} else if ((m = *fresh)) {
		*fresh = NULL;
	} else {
		return false;
	}
	memcpy(m->objs, objs, sizeof(m->objs));
	m->next = pool->depot;
	pool->depot = m;
	pool->depot_n++;
	return true;
}

/* Pops a full magazine into objs[]; caller holds pool->lock. */
static bool depot_pop(struct mmpool *pool, void **objs)
{
	struct mmpool_mag *m = pool->depot;
	if (!m)
		return false;
	pool->depot = m->next;
	pool->depot_n--;
	memcpy(objs, m->objs, sizeof(m->objs));
	mm_track_forget(m->objs, sizeof(m->objs));
	m->next = atomic_load_explicit(&pool->spare, memory_order_relaxed);
	atomic_store_explicit(&pool->spare, m, memory_order_relaxed);
	return true;
}

/* Empties the depot into the slabs; caller holds pool->lock. */
static void depot_drain(struct mmpool *pool)
{
	void *objs[MMPOOL_MAG];
	while (depot_pop(pool, objs))
		for (size_t i = 0; i < MMPOOL_MAG; i++)
			mmpool_slab_put(pool, objs[i]);
}

/* Objects the cache's thread has allocated. */
static uint64_t cache_allocs(const struct mmpool_tcache *c)
{
	return atomic_load_explicit(&c->taken, memory_order_relaxed) +
	       atomic_load_explicit(&c->frees, memory_order_relaxed) -
	       atomic_load_explicit(&c->given, memory_order_relaxed) -
	       atomic_load_explicit(&c->count, memory_order_relaxed);
}

/* Gives a cache's objects back to the slabs and its counts to the pool, and takes it off the
 * pool's caches; pool->lock held. */
static void cache_give_back(struct mmpool_tcache *c)
{
	struct mmpool *pool = c->pool;
	for (uint32_t i = 0; i < c->count; i++)
		mmpool_slab_put(pool, c->objs[i]);
	pool->dead_allocs += cache_allocs(c);
	pool->dead_frees += c->frees;
	__list_del_entry(&c->list);
}

/* Gives all of a cache's objects back to the slabs, without touching its thread's TLS (the
 * thread may be gone), and puts it on caches_dead, to be freed once pools_lock is dropped
 * (pools_unlock_free_caches); pools_lock held. */
static void cache_drain(struct mmpool_tcache *c)
{
	pthread_mutex_lock(&c->pool->lock);
	cache_give_back(c);
	pthread_mutex_unlock(&c->pool->lock);
	if (c->thread.tid)
		mm_thread_list_del(&thread_caches, &c->thread);
	list_add(&c->list, &caches_dead);
}

/* Unlocks pools_lock, then frees the caches drained under it. */
static void pools_unlock_free_caches(void)
{
	struct list_head dead = LIST_HEAD_INIT(dead);
	list_splice_init(&caches_dead, &dead);
	pthread_mutex_unlock(&pools_lock);
	struct mmpool_tcache *c, *next;
	list_for_each_entry_safe(c, next, &dead, list)
		free(c);
}

/* Retires a cache of a live thread: drained, and its TLS slot cleared; pools_lock held. */
static void cache_retire(struct mmpool_tcache *c)
{
	struct mmpool_tcache **slot = c->slot;
	cache_drain(c);
	*slot = NULL;
}

/* Retires the caches of threads that are gone without retiring them (thread_reap.h: a thread
 * whose first use of a pool was in the last round of key destructors): checks the next
 * MMPOOL_REAP_SCAN thread caches and drains those whose thread is gone. O(1) per new cache;
 * pools_lock held, so a cache cannot change hands meanwhile. */
static void caches_reap(pid_t pid)
{
	struct mm_thread_link *gone[MMPOOL_REAP_SCAN];
	size_t n = mm_thread_list_reap(&thread_caches, pid, gone, MMPOOL_REAP_SCAN);
	for (size_t i = 0; i < n; i++)
		cache_drain(container_of(gone[i], struct mmpool_tcache, thread));
}

/* Thread exit: every cache of this thread goes back to its pool. */
static void thread_exit(void *unused)
{
	(void)unused;
	tls_done = true;
	pthread_mutex_lock(&pools_lock);
	for (size_t i = 0; i < MMPOOL_MAX_CACHED; i++)
		if (tls_slot[i])
			cache_retire(tls_slot[i]);
	pools_unlock_free_caches();
}

static void fork_prepare(void);
static void fork_unlock(void);
static void fork_child(void);

/* The thread key, and the fork handlers, at load: before any thread can hold a pool lock, so
 * that no fork goes without them. Their order against the malloc's handlers does not matter
 * (see the lock order above). */
__attribute__((constructor)) static void pool_init(void)
{
	pthread_key_create(&thread_key, thread_exit);
	pthread_atfork(fork_prepare, fork_unlock, fork_child);
}

/* This thread's cache for the pool, created on first use; NULL for pools without caches and
 * after the thread's exit destructor ran. */
static struct mmpool_tcache *cache_get(struct mmpool *pool)
{
	if (pool->id >= MMPOOL_MAX_CACHED || tls_done)
		return NULL;
	struct mmpool_tcache *c = tls_slot[pool->id];
	if (c)
		return c;
	if (!(c = calloc(1, sizeof(*c))))
		return NULL;
	pthread_setspecific(thread_key, c);            /* any non-NULL value arms thread_exit */
	c->pool = pool;
	c->slot = &tls_slot[pool->id];
	pid_t pid = getpid(), tid = mm_gettid();
	pthread_mutex_lock(&pools_lock);
	caches_reap(pid);                              /* before ours joins the list */
	mm_thread_list_add(&thread_caches, &c->thread, pid, tid);
	pthread_mutex_lock(&pool->lock);
	list_add(&c->list, &pool->caches);
	pthread_mutex_unlock(&pool->lock);
	pools_unlock_free_caches();                    /* the reaped ones */
	tls_slot[pool->id] = c;
	return c;
}

/* An object leaves the pool for the user (valgrind builds: memcheck lets the user touch its
 * bytes, defined when a constructor set them). */
static inline void *obj_track(struct mmpool *pool, void *obj)
{
	if (obj) {
		mm_track_pool_alloc(pool, obj, pool->size);
		if (pool->ctor)
			mm_track_defined(obj, pool->size);
	}
	return obj;
}

/* Pops slot i of a thread cache for the user. */
static inline void *obj_out(struct mmpool_tcache *c, uint32_t i)
{
	void *obj = c->objs[i];
	mm_track_forget(&c->objs[i], sizeof(void *));
	return obj_track(c->pool, obj);
}

/* Refills an empty cache with a magazine from the depot, or from the slabs (out of line: the
 * fast paths stay leaf functions that save no registers). */
static __attribute__((noinline)) void *alloc_slow(struct mmpool *pool)
{
	struct mmpool_tcache *c = cache_get(pool);
	void *obj = NULL;
	pthread_mutex_lock(&pool->lock);
	if (!c) {                                      /* no cache: one object under the lock */
		if (mmpool_slab_take(pool, &obj, 1))
			pool->dead_allocs++;
		pthread_mutex_unlock(&pool->lock);
		if (obj && pool->check)
			mmpool_check_alloc(pool, obj);
		return obj_track(pool, obj);
	}
	uint32_t n = depot_pop(pool, c->objs) ? MMPOOL_MAG
					       : (uint32_t)mmpool_slab_take(pool, c->objs, MMPOOL_MAG);
	if (n) {                                       /* whole at a fork: under the lock */
		mmp_add(&c->taken, n);
		atomic_store_explicit(&c->count, n - 1, memory_order_release);
	}
	pthread_mutex_unlock(&pool->lock);
	if (!n)
		return NULL;                           /* errno = ENOMEM from mmpool_slab_take */
	return obj_out(c, n - 1);
}

MMPOOL_EXPORT void *mmpool_alloc(struct mmpool *pool)
{
	struct mmpool_tcache *c = tls_slot[pool->id];
	uint32_t n;
	if (mmp_likely(c && (n = atomic_load_explicit(&c->count, memory_order_relaxed)))) {
		atomic_store_explicit(&c->count, n - 1, memory_order_relaxed);
		return obj_out(c, n - 1);              /* the most recently freed: cache-hot */
	}
	return alloc_slow(pool);
}

/* A full cache pushes its older half to the depot; no cache (checking pools among them):
 * straight to the slab. The cache's count covers only its own objects at every point outside
 * the pool lock (a fork child gives the caches of the parent's other threads back). */
static __attribute__((noinline)) void free_slow(struct mmpool *pool, void *obj)
{
	if (!obj)
		return;
	if (pool->check)
		mmpool_check_free(pool, obj);
	struct mmpool_tcache *c = cache_get(pool);
	struct mmpool_mag *fresh = NULL;               /* the depot's magazine, if no spare is left */
	if (c && atomic_load_explicit(&c->count, memory_order_relaxed) == MMPOOL_CACHE_MAX &&
	    !atomic_load_explicit(&pool->spare, memory_order_relaxed))
		fresh = malloc(sizeof(*fresh));
	pthread_mutex_lock(&pool->lock);
	if (!c) {
		mmpool_slab_put(pool, obj);
		pool->dead_frees++;
		pthread_mutex_unlock(&pool->lock);
		return;
	}
	uint32_t n = atomic_load_explicit(&c->count, memory_order_relaxed);
	if (n == MMPOOL_CACHE_MAX) {
		if (!depot_push(pool, c->objs, &fresh)) {
			for (size_t i = 0; i < MMPOOL_MAG; i++)
				mmpool_slab_put(pool, c->objs[i]);
		}
		memmove(c->objs, c->objs + MMPOOL_MAG, MMPOOL_MAG * sizeof(void *));
		mm_track_forget(c->objs + MMPOOL_MAG, MMPOOL_MAG * sizeof(void *));
		n -= MMPOOL_MAG;
		mmp_add(&c->given, MMPOOL_MAG);
		atomic_store_explicit(&c->count, n, memory_order_relaxed);
	}
	pthread_mutex_unlock(&pool->lock);
	free(fresh);                                   /* a spare came back meanwhile */
	c->objs[n] = obj;
	atomic_store_explicit(&c->count, n + 1, memory_order_release); /* slot, then count */
	mmp_add(&c->frees, 1);
}

MMPOOL_EXPORT void mmpool_free(struct mmpool *pool, void *obj)
{
	struct mmpool_tcache *c = tls_slot[pool->id];
	uint32_t n;
	if (obj)
		mm_track_pool_free(pool, obj);         /* memcheck: no longer the user's */
	if (mmp_likely(c && obj && (n = atomic_load_explicit(&c->count, memory_order_relaxed)) <
					   MMPOOL_CACHE_MAX)) {
		c->objs[n] = obj;
		atomic_store_explicit(&c->count, n + 1, memory_order_release); /* slot, then count */
		mmp_add(&c->frees, 1);
		return;
	}
	free_slow(pool, obj);
}

static bool env_check(void)
{
	const char *e = getenv("MMPOOL_CHECK");
	return e && *e && strcmp(e, "0") != 0;
}

MMPOOL_EXPORT struct mmpool *mmpool_create_ctor(const char *name, size_t size, size_t align,
						unsigned flags, mmpool_ctor_t ctor)
{
	if (!size || (align & (align - 1)) || (flags & ~MMPOOL_CHECK)) {
		errno = EINVAL;
		return NULL;
	}
	if (!align)                                    /* natural alignment, capped at 16 */
		for (align = 1; align < 16 && align < size; align <<= 1)
			;
	if (size > SIZE_MAX - (align - 1)) {           /* the stride would wrap to 0 */
		errno = EINVAL;
		return NULL;
	}
	struct mmpool *pool = calloc(1, sizeof(*pool));
	if (!pool)
		return NULL;
	pool->size = size;
	pool->stride = (size + align - 1) & ~(align - 1);
	pool->check = (flags & MMPOOL_CHECK) || env_check();
	pool->ctor = ctor;
	INIT_LIST_HEAD(&pool->caches);
	mmpool_slab_lists_init(pool);
	snprintf(pool->name, sizeof(pool->name), "%s", name ? name : "mmpool");
	if (mmpool_slab_geometry(pool)) {
		free(pool);
		errno = EINVAL;
		return NULL;
	}
	pthread_mutex_init(&pool->lock, NULL);
	mm_track_pool_create(pool);
	pthread_mutex_lock(&pools_lock);
	list_add(&pool->list, &pools);
	pool->id = pool->check ? MMPOOL_MAX_CACHED : 0; /* checking pools check every call */
	while (pool->id < MMPOOL_MAX_CACHED && pool_by_id[pool->id])
		pool->id++;                            /* first free per-thread slot, if any */
	if (pool->id < MMPOOL_MAX_CACHED)
		pool_by_id[pool->id] = pool;
	pthread_mutex_unlock(&pools_lock);
	return pool;
}

MMPOOL_EXPORT struct mmpool *mmpool_create(const char *name, size_t size, size_t align,
					   unsigned flags)
{
	return mmpool_create_ctor(name, size, align, flags, NULL);
}

MMPOOL_EXPORT size_t mmpool_shrink(struct mmpool *pool)
{
	pthread_mutex_lock(&pools_lock);               /* keeps this thread's cache alive */
	struct mmpool_tcache *c = tls_slot[pool->id];
	pthread_mutex_lock(&pool->lock);
	if (c) {
		for (uint32_t i = 0; i < c->count; i++)
			mmpool_slab_put(pool, c->objs[i]);
		mmp_add(&c->given, c->count);
		mm_track_forget(c->objs, c->count * sizeof(void *));
		atomic_store_explicit(&c->count, 0, memory_order_relaxed);
	}
	depot_drain(pool);
	size_t bytes = mmpool_slab_release_empty(pool);
	pthread_mutex_unlock(&pool->lock);
	pthread_mutex_unlock(&pools_lock);
	return bytes;
}

/* Free objects held by caches and the depot; caller holds pool->lock. */
static size_t cached_objects(const struct mmpool *pool)
{
	size_t n = pool->depot_n * MMPOOL_MAG;
	const struct mmpool_tcache *c;
	list_for_each_entry(c, &pool->caches, list)
		n += atomic_load_explicit(&c->count, memory_order_relaxed);
	return n;
}

MMPOOL_EXPORT void mmpool_get_stats(struct mmpool *pool, struct mmpool_stats *st)
{
	pthread_mutex_lock(&pool->lock);
	st->name = pool->name;
	st->obj_size = pool->stride;
	st->slab_size = pool->slab_size;
	st->objs_per_slab = pool->per_slab;
	st->slabs = pool->partial.n + pool->full.n + pool->empty.n;
	st->objs_total = st->slabs * pool->per_slab;
	st->objs_cached = cached_objects(pool);
	st->objs_live = mmpool_slab_outstanding(pool) - st->objs_cached;
	st->allocs = pool->dead_allocs;
	st->frees = pool->dead_frees;
	const struct mmpool_tcache *c;
	list_for_each_entry(c, &pool->caches, list) {
		st->allocs += cache_allocs(c);
		st->frees += atomic_load_explicit(&c->frees, memory_order_relaxed);
	}
	pthread_mutex_unlock(&pool->lock);
}

MMPOOL_EXPORT void mmpool_print_stats(struct mmpool *pool, FILE *out)
{
	struct mmpool_stats st;
	mmpool_get_stats(pool, &st);
	fprintf(out, "%-20s %8zu %8zu %6zu %6zu %6zu allocs %llu frees %llu\n", st.name,
		st.objs_live, st.objs_total, st.obj_size, st.objs_per_slab, st.slabs,
		(unsigned long long)st.allocs, (unsigned long long)st.frees);
}

MMPOOL_EXPORT size_t mmpool_destroy(struct mmpool *pool)
{
	if (!pool)
		return 0;
	pid_t pid = getpid();
	pthread_mutex_lock(&pools_lock);
	while (!list_empty(&pool->caches)) {        /* every thread's cache, ours included */
		struct mmpool_tcache *c = list_first_entry(&pool->caches, struct mmpool_tcache, list);
		if (c != tls_slot[pool->id] && mm_thread_gone(pid, c->thread.tid))
			cache_drain(c);                /* its thread's TLS is no more */
		else
			cache_retire(c);
	}
	if (pool->id < MMPOOL_MAX_CACHED)
		pool_by_id[pool->id] = NULL;
	__list_del_entry(&pool->list);
	pools_unlock_free_caches();
	pthread_mutex_lock(&pool->lock);
	depot_drain(pool);
	size_t live = mmpool_slab_outstanding(pool);
	mmpool_slab_release_all(pool);
	struct mmpool_mag *spare = atomic_exchange_explicit(&pool->spare, NULL, memory_order_relaxed);
	pthread_mutex_unlock(&pool->lock);
	if (live)
		mmpool_report_live(pool, live);        /* stdio: not under the lock */
	while (spare) {
		struct mmpool_mag *m = spare;
		spare = m->next;
		free(m);
	}
	pthread_mutex_destroy(&pool->lock);
	mm_track_pool_destroy(pool);
	free(pool);
	return live;
}

/* pthread_atfork prepare: every lock of the library, so that the child's copies are free and
 * its pools whole (a pool lock is held only for a few stores, never across user code). */
static void fork_prepare(void)
{
	struct mmpool *p;
	pthread_mutex_lock(&pools_lock);
	list_for_each_entry(p, &pools, list)
		pthread_mutex_lock(&p->lock);
}

/* pthread_atfork parent, and the end of the child's: unlocks what fork_prepare locked. */
static void fork_unlock(void)
{
	struct mmpool *p;
	list_for_each_entry(p, &pools, list)
		pthread_mutex_unlock(&p->lock);
	pthread_mutex_unlock(&pools_lock);
}

/* Gives back the caches of the pool that are not this thread's (a fork child's copies of the
 * parent's other threads' caches, off the list of thread caches); pool->lock held. */
static void caches_give_back_others(struct mmpool *pool)
{
	struct mmpool_tcache *c, *next;
	list_for_each_entry_safe(c, next, &pool->caches, list) {
		if (c != tls_slot[pool->id]) {
			cache_give_back(c);
			list_add(&c->list, &caches_dead); /* freed at the next call: the malloc's */
		}                                          /* handler may not have run yet */
	}
}

/* A fork child: its only thread is the forking one, under a new tid; its caches get that tid.
 * The parent's other threads do not exist here: their caches go back to their pools. Each was
 * whole at the fork: its slow paths change it under the pool lock, held across fork, and its
 * fast paths store a slot before the count that covers it; an object the owner was handing
 * out or in, or a magazine it was filling while a new slab was made, is lost to the child,
 * and its counts may miss that one call. */
static void fork_child(void)
{
	struct mmpool *p;
	while (!list_empty(&thread_caches.head))
		mm_thread_list_del(&thread_caches, list_first_entry(&thread_caches.head,
									 struct mm_thread_link, list));
	list_for_each_entry(p, &pools, list)
		caches_give_back_others(p);
	pid_t pid = getpid(), tid = mm_gettid();
	thread_caches.pid = pid;
	for (size_t i = 0; i < MMPOOL_MAX_CACHED; i++)
		if (tls_slot[i])
			mm_thread_list_add(&thread_caches, &tls_slot[i]->thread, pid, tid);
	fork_unlock();
}
