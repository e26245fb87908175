/* libmmalloc: the malloc family under its standard names. */
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"
#include "malloc_inline.h"

/* A block goes to the user: memcheck (valgrind build) is told, with its usable size. */
static void *user_block(void *p, bool zeroed)
{
	if (MM_TRACKING && p)
		mm_track_malloc(p, mm_usable_size(p), zeroed);
	return p;
}

static void *user_malloc(size_t size)
{
	return user_block(mm_malloc_inline(size), false);
}

/* A block comes back from the user. */
static void user_free(void *p)
{
	if (MM_TRACKING && p)
		mm_track_free(p);
	mm_free(p);
}

MM_EXPORT void *malloc(size_t size)
{
	return user_malloc(size);
}

MM_EXPORT void free(void *p)
{
	user_free(p);
}

MM_EXPORT void *calloc(size_t n, size_t size)
{
	size_t total;
	if (__builtin_mul_overflow(n, size, &total)) {
		errno = ENOMEM;
		return NULL;
	}
	if (total > MM_MEDIUM_MAX)
		return user_block(mm_calloc_huge(total), true);   /* zeroes only pages that need it */
	void *p = user_malloc(total);
	if (p)
		memset(p, 0, total);
	return p;
}

/* The block at p, of old usable bytes, was resized to q, in place or moved by the kernel
 * (mremap): memcheck follows; moved bytes count as defined. */
static void *user_resized(void *p, size_t old, void *q)
{
	if (!MM_TRACKING)
		return q;
	size_t n = mm_usable_size(q);
	if (q == p) {
		mm_track_resize(p, old, n);
		return q;
	}
	mm_track_free(p);
	mm_track_malloc(q, n, false);
	mm_track_defined(q, old < n ? old : n);
	return q;
}

/* Moves the block at p (avail usable bytes) to q, a new block of size bytes, else (NULL) to
 * any block of that size. */
static void *realloc_move(void *p, size_t avail, size_t size, void *q)
{
	q = user_block(q, false);
	if (!q && !(q = user_malloc(size)))
		return NULL;
	memcpy(q, p, size < avail ? size : avail);
	user_free(p);
	return q;
}

/* realloc of a span: in place when the pages after it are free, else moved; the thread's
 * growing block (grow.c) stays in a span and in place within its last page too. */
static void *span_realloc(void *p, size_t size)
{
	size_t avail = mm_span_usable(p, "realloc(): invalid pointer");
	bool growing = mm_grow_busy(p);
	if (size <= avail && (size >= avail / 2 || (growing && avail - size < MM_OS_PAGE)))
		return p;                            /* in place, no lock taken */
	if (!growing && size <= MM_MEDIUM_MAX && size < avail / 2)
		return realloc_move(p, avail, size, NULL); /* small again: back to a size class */
	if (mm_span_resize(p, size))
		return user_resized(p, avail, p);
	return realloc_move(p, avail, size, growing ? mm_grow_move(size) : NULL);
}

/* realloc of a block of a size class, avail usable bytes from p: in place while the size stays
 * within the block and above half of it; or of a huge block that could not be resized. A block
 * made larger becomes the thread's growing block if it has none. */
static void *block_realloc(void *p, size_t avail, size_t size, bool huge)
{
	if (!huge && size <= avail && size >= avail / 2)
		return p;
	void *q = !huge && size > avail ? mm_grow_start(size) : NULL;
	if (q)
		return realloc_move(p, avail, size, q);
	if (size > avail && size - avail < avail / 4 && size <= MM_SMALL_MAX)
		size += size / 4;                    /* grown a little: it will grow again */
	bool to_span = size > avail && size > MM_SMALL_MAX && !huge;  /* pages that grow in place */
	return realloc_move(p, avail, size, to_span ? mm_span_alloc(size, false) : NULL);
}

MM_EXPORT void *realloc(void *p, size_t size)
{
	if (!p)
		return user_malloc(size);
	if (!size) {                               /* glibc's behaviour: free and return NULL */
		user_free(p);
		return NULL;
	}
	if (mm_is_span(p))
		return span_realloc(p, size);
	mm_page_t *page = mm_block_page(p);
	if (mm_likely(page))                         /* a block's start: no division */
		return block_realloc(p, page->block_size, size, false);
	mm_segment_t *seg;
	uint8_t *b = mm_block_start(p, &seg, &page);
	if (!b)
		mm_fatal("realloc(): invalid pointer", p);
	size_t avail = page->block_size - (size_t)((uint8_t *)p - b);
	if (seg->kind == MM_KIND_HUGE) {
		void *q = mm_huge_realloc(seg, p, size);
		if (q)
			return user_resized(p, avail, q);
	}
	return block_realloc(p, avail, size, seg->kind == MM_KIND_HUGE);
}

MM_EXPORT void *reallocarray(void *p, size_t n, size_t size)
{
	size_t total;
	if (__builtin_mul_overflow(n, size, &total)) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc(p, total);
}

static bool pow2(size_t x)
{
	return x && !(x & (x - 1));
}

MM_EXPORT int posix_memalign(void **out, size_t align, size_t size)
{
	if (!pow2(align) || align % sizeof(void *))
		return EINVAL;
	int saved = errno;
	void *p = user_block(mm_malloc_aligned(size, align), false);
	if (!p)
		return ENOMEM;
	errno = saved;                              /* on success, errno is left as it was */
	*out = p;
	return 0;
}

MM_EXPORT void *aligned_alloc(size_t align, size_t size)
{
	if (!pow2(align)) {
		errno = EINVAL;
		return NULL;
	}
	return user_block(mm_malloc_aligned(size, align), false);
}

MM_EXPORT void *memalign(size_t align, size_t size)
{
	if (align > SIZE_MAX / 2 + 1) {             /* glibc's bound; up to it, ENOMEM at worst */
		errno = EINVAL;
		return NULL;
	}
	size_t a = 1;
	while (a < align)                            /* glibc rounds odd alignments up */
		a <<= 1;
	return user_block(mm_malloc_aligned(size, a), false);
}

MM_EXPORT void *valloc(size_t size)
{
	return user_block(mm_malloc_aligned(size, (size_t)sysconf(_SC_PAGESIZE)), false);
}

MM_EXPORT void *pvalloc(size_t size)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	if (size > PTRDIFF_MAX - page) {
		errno = ENOMEM;
		return NULL;
	}
	return user_block(mm_malloc_aligned((size + page - 1) & ~(page - 1), page), false);
}

MM_EXPORT size_t malloc_usable_size(void *p)
{
	return mm_usable_size(p);
}
