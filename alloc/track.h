/* Valgrind memcheck annotations of libmmpool and libmmalloc (mimalloc's track.h): they tell
 * memcheck which bytes of the allocators' own mappings the user holds, so that a use after
 * free, an overflow into the next object or a leak of one of our blocks is reported as it is
 * for glibc's malloc. Compiled in only with -DMM_VALGRIND (build/libmmpool-vg.a,
 * build/libmmalloc-vg.a): a client request is a dozen instructions and a six-word array on the
 * stack, which would end the fast paths' life as leaf functions that save no register (the
 * pool's 5 ns alloc+free pair). Without it every function here is empty. */
#ifndef MM_TRACK_H
#define MM_TRACK_H

#include <stdbool.h>
#include <stddef.h>

#ifdef MM_VALGRIND
#define MM_TRACKING 1      /* code that only feeds the client requests is compiled in */
#else
#define MM_TRACKING 0
#define NVALGRIND
#endif
#include <valgrind/memcheck.h>

/* A malloc-like block of n bytes at p is the user's now (undefined, or zeroed). */
static inline void mm_track_malloc(const void *p, size_t n, bool zeroed)
{
	(void)p, (void)n, (void)zeroed;
	VALGRIND_MALLOCLIKE_BLOCK(p, n, 0, zeroed);
}

/* The malloc-like block at p is no longer the user's: memcheck reports it if it was not one. */
static inline void mm_track_free(const void *p)
{
	(void)p;
	VALGRIND_FREELIKE_BLOCK(p, 0);
}

/* The block at p changes its size in place (realloc). */
static inline void mm_track_resize(const void *p, size_t old, size_t n)
{
	(void)p, (void)old, (void)n;
	VALGRIND_RESIZEINPLACE_BLOCK(p, old, n, 0);
}

/* A pool of objects anchored at pool (libmmpool's pools, an arena's chunks). */
static inline void mm_track_pool_create(const void *pool)
{
	(void)pool;
	VALGRIND_CREATE_MEMPOOL(pool, 0, 0);
}

static inline void mm_track_pool_destroy(const void *pool)
{
	(void)pool;
	VALGRIND_DESTROY_MEMPOOL(pool);
}

static inline void mm_track_pool_alloc(const void *pool, const void *p, size_t n)
{
	(void)pool, (void)p, (void)n;
	VALGRIND_MEMPOOL_ALLOC(pool, p, n);
}

static inline void mm_track_pool_free(const void *pool, const void *p)
{
	(void)pool, (void)p;
	VALGRIND_MEMPOOL_FREE(pool, p);
}

/* Frees the pool's objects outside [p, p + n) (an arena released back to a mark). */
static inline void mm_track_pool_trim(const void *pool, const void *p, size_t n)
{
	(void)pool, (void)p, (void)n;
	VALGRIND_MEMPOOL_TRIM(pool, p, n);
}

/* Clears n bytes of the allocator's own that may hold a stale pointer to a block the user
 * holds now (a thread cache's popped slot): memcheck's leak check would count it as a
 * reference. Nothing to do without valgrind. */
static inline void mm_track_forget(void *p, size_t n)
{
	(void)p, (void)n;
#ifdef MM_VALGRIND
	__builtin_memset(p, 0, n);
#endif
}

/* The allocator's own access to bytes the user must not touch: opened (defined) around it,
 * closed (no access) after. */
static inline void mm_track_defined(const void *p, size_t n)
{
	(void)p, (void)n;
	(void)VALGRIND_MAKE_MEM_DEFINED(p, n);
}

static inline void mm_track_noaccess(const void *p, size_t n)
{
	(void)p, (void)n;
	(void)VALGRIND_MAKE_MEM_NOACCESS(p, n);
}
#endif
