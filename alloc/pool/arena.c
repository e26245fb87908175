/* libmmpool arena: bump allocation in mmap'ed chunks, released back to a mark (a region
 * allocator; the kernel's closest relative is the early memblock allocator). */
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include "pool_internal.h"

#define ARENA_CHUNK_DEFAULT (64u << 10)
#define ARENA_ALIGN_DEFAULT 16u

struct arena_chunk {
	struct arena_chunk *prev; /* chunk below this one on the stack */
	size_t size;              /* bytes mapped, this header included */
	size_t used;              /* bytes from the chunk start in use */
};

struct mmarena {
	struct arena_chunk *top;   /* current chunk (NULL: empty) */
	struct arena_chunk *spare; /* one released chunk kept to avoid map/unmap churn */
	size_t chunk_size;
	size_t chunks;             /* mapped, spare included */
	size_t mapped;
	size_t used_before_top;    /* bytes used in the chunks below top */
};

MMPOOL_EXPORT struct mmarena *mmarena_create(size_t chunk_size)
{
	struct mmarena *a = calloc(1, sizeof(*a));
	if (!a)
		return NULL;
	a->chunk_size = chunk_size ? chunk_size : ARENA_CHUNK_DEFAULT;
	return a;
}

static void chunk_unmap(struct mmarena *a, struct arena_chunk *c)
{
	a->chunks--;
	a->mapped -= c->size;
	munmap(c, c->size);
}

/* Pushes a chunk with room for size bytes at align: the spare if it fits, else a new one. */
static struct arena_chunk *chunk_push(struct mmarena *a, size_t size, size_t align)
{
	size_t need = sizeof(struct arena_chunk) + align + size;
	struct arena_chunk *c = a->spare;
	if (c && c->size >= need) {
		a->spare = NULL;
	} else {
		size_t len = need > a->chunk_size ? need : a->chunk_size;
		len = (len + 4095) & ~(size_t)4095;
		c = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (c == MAP_FAILED)
			return NULL;
		c->size = len;
		a->chunks++;
		a->mapped += len;
	}
	c->used = sizeof(*c);
	mm_track_pool_create(c);                       /* memcheck: each chunk is a pool */
	mm_track_noaccess(c + 1, c->size - sizeof(*c));
	c->prev = a->top;
	if (a->top)
		a->used_before_top += a->top->used;
	a->top = c;
	return c;
}

MMPOOL_EXPORT void *mmarena_alloc(struct mmarena *a, size_t size, size_t align)
{
	if (!align)
		align = ARENA_ALIGN_DEFAULT;
	if ((align & (align - 1)) || size > SIZE_MAX / 2 || align > SIZE_MAX / 4) {
		errno = (align & (align - 1)) ? EINVAL : ENOMEM;
		return NULL;
	}
	struct arena_chunk *c = a->top;
	for (int tries = 0; tries < 2; tries++) {       /* the current chunk, then a fresh one */
		if (c) {
			uintptr_t base = (uintptr_t)c;
			uintptr_t p = (base + c->used + align - 1) & ~(uintptr_t)(align - 1);
			if (p + size <= base + c->size) {
				c->used = p + size - base;
				mm_track_pool_alloc(c, (void *)p, size);
				return (void *)p;
			}
		}
		if (!(c = chunk_push(a, size, align)))
			return NULL;
	}
	return NULL;                                   /* unreachable: a fresh chunk always fits */
}

MMPOOL_EXPORT mmarena_mark_t mmarena_mark(struct mmarena *a)
{
	mmarena_mark_t m = { a->top, a->top ? a->top->used : 0 };
	return m;
}

/* Pops one chunk: kept as the spare (the larger of two wins) or unmapped. */
static void chunk_pop(struct mmarena *a)
{
	struct arena_chunk *c = a->top;
	mm_track_pool_destroy(c);                      /* its objects are gone */
	a->top = c->prev;
	if (a->top)
		a->used_before_top -= a->top->used;
	if (a->spare && a->spare->size >= c->size) {
		chunk_unmap(a, c);
		return;
	}
	if (a->spare)
		chunk_unmap(a, a->spare);
	a->spare = c;
}

MMPOOL_EXPORT void mmarena_release(struct mmarena *a, mmarena_mark_t m)
{
	while (a->top && a->top != m.chunk)
		chunk_pop(a);
	if (a->top) {
		a->top->used = m.used;
		mm_track_pool_trim(a->top, a->top, m.used); /* objects past the mark are gone */
	}
}

MMPOOL_EXPORT void mmarena_reset(struct mmarena *a)
{
	mmarena_mark_t empty = { NULL, 0 };
	mmarena_release(a, empty);
}

MMPOOL_EXPORT void mmarena_destroy(struct mmarena *a)
{
	if (!a)
		return;
	mmarena_reset(a);
	if (a->spare)
		chunk_unmap(a, a->spare);
	free(a);
}

MMPOOL_EXPORT void mmarena_get_stats(struct mmarena *a, struct mmarena_stats *st)
{
	st->chunks = a->chunks;
	st->bytes_mapped = a->mapped;
	st->bytes_used = a->used_before_top + (a->top ? a->top->used : 0);
}
