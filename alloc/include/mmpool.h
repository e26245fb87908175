/* libmmpool: fixed-size object pools in the spirit of the kernel's kmem_cache (mm/slub.c),
 * plus an arena (region) allocator with mark/release.
 *
 * A pool hands out objects of one size and alignment. Each thread keeps a small cache of free
 * objects per pool (like SLUB's per-CPU freelist); caches exchange whole magazines of objects
 * with a shared, locked depot; the depot is filled from slabs (aligned mmap'ed chunks).
 * All pool functions are thread-safe. An arena is not: it belongs to one thread at a time. */
#ifndef MMPOOL_H
#define MMPOOL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct mmpool mmpool_t;

/* Constructor, run once on every object when its slab is created (like a kmem_cache ctor):
 * objects must be handed back to mmpool_free() in their constructed state. It runs without any
 * lock of the library held: it may sleep, fork or use other pools, but must not allocate from
 * its own pool (a new slab would run it again) nor destroy it. */
typedef void (*mmpool_ctor_t)(void *obj);

/* mmpool_create() flags. */
#define MMPOOL_CHECK 0x1u /* detect double frees and foreign pointers; abort with a message */

/* Creates a pool of objects of `size` bytes aligned to `align` (0: natural alignment, at most
 * 16; otherwise a power of two). The environment variable MMPOOL_CHECK=1 turns on MMPOOL_CHECK
 * for every pool. Returns NULL with errno set on failure: EINVAL for a size of 0, an alignment
 * not a power of two, an unknown flag, or an object too large (a slab, at most 2 TiB, holds 8
 * objects at least); ENOMEM. */
mmpool_t *mmpool_create(const char *name, size_t size, size_t align, unsigned flags);
/* The same, with a constructor. */
mmpool_t *mmpool_create_ctor(const char *name, size_t size, size_t align, unsigned flags,
                             mmpool_ctor_t ctor);

/* One object, or NULL with errno = ENOMEM. */
void *mmpool_alloc(mmpool_t *pool);
/* Gives an object back; NULL is ignored. */
void mmpool_free(mmpool_t *pool, void *obj);
/* Returns the depot's and the calling thread's cached objects to their slabs and unmaps every
 * slab left empty (like kmem_cache_shrink). Returns the number of bytes given back. */
size_t mmpool_shrink(mmpool_t *pool);
/* Destroys the pool and all its memory. Objects still live are reported on stderr (with the
 * first addresses in checking mode); the count is returned. */
size_t mmpool_destroy(mmpool_t *pool);

struct mmpool_stats {
	const char *name;
	size_t obj_size;    /* bytes per object (size rounded to the alignment) */
	size_t slab_size;   /* bytes per slab */
	size_t objs_per_slab;
	size_t slabs;       /* slabs mapped now */
	size_t objs_total;  /* objects the slabs hold */
	size_t objs_live;   /* objects handed out and not freed */
	size_t objs_cached; /* free objects in thread caches and the depot */
	uint64_t allocs;    /* mmpool_alloc() calls that returned an object */
	uint64_t frees;     /* mmpool_free() calls with an object */
};
/* A snapshot of the pool's counters (exact when no other thread is using the pool). */
void mmpool_get_stats(mmpool_t *pool, struct mmpool_stats *st);
/* One line in the style of /proc/slabinfo: name, live, total, size, per-slab, slabs. */
void mmpool_print_stats(mmpool_t *pool, FILE *out);

/* Arena (region) allocator: bump allocation in chunks, freed all at once or back to a mark. */
typedef struct mmarena mmarena_t;
typedef struct {
	void *chunk; /* chunk that was current at the mark (NULL: the arena was empty) */
	size_t used; /* bytes used in it */
} mmarena_mark_t;

/* chunk_size: bytes mapped at a time (0: 64 KiB); larger requests get a chunk of their own. */
mmarena_t *mmarena_create(size_t chunk_size);
/* size bytes aligned to align (0: 16; otherwise a power of two), or NULL with errno set. */
void *mmarena_alloc(mmarena_t *arena, size_t size, size_t align);
mmarena_mark_t mmarena_mark(mmarena_t *arena);
/* Frees everything allocated since the mark; chunks beyond it are unmapped (one is kept). */
void mmarena_release(mmarena_t *arena, mmarena_mark_t mark);
/* Frees everything. */
void mmarena_reset(mmarena_t *arena);
void mmarena_destroy(mmarena_t *arena);

struct mmarena_stats {
	size_t chunks;         /* chunks mapped, the spare one included */
	size_t bytes_mapped;   /* bytes they span */
	size_t bytes_used;     /* bytes handed out since the last reset, padding included */
};
void mmarena_get_stats(mmarena_t *arena, struct mmarena_stats *st);

#ifdef __cplusplus
}
#endif
#endif
