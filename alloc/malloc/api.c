/* libmmalloc: the malloc family under its standard names. */
#include <errno.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"
#include "malloc_inline.h"

MM_EXPORT void *malloc(size_t size)
{
	return mm_malloc_inline(size);
}

MM_EXPORT void free(void *p)
{
	mm_free(p);
}

MM_EXPORT void *calloc(size_t n, size_t size)
{
	size_t total;
	if (__builtin_mul_overflow(n, size, &total)) {
		errno = ENOMEM;
		return NULL;
	}
	void *p = mm_malloc_inline(total);
	if (p)
		memset(p, 0, total);
	return p;
}

/* realloc of a span: in place when the pages after it are free, else moved. */
static void *span_realloc(void *p, size_t size)
{
	size_t avail = mm_span_usable(p, "realloc(): invalid pointer");
	if (size <= avail && size >= avail / 2)
		return p;                            /* in place, no lock taken */
	if (size <= MM_MEDIUM_MAX && size < avail / 2) {
		void *q = mm_malloc_inline(size);       /* small again: back to a size class */
		if (q) {
			memcpy(q, p, size);
			mm_free(p);
		}
		return q;
	}
	if (mm_span_resize(p, size))
		return p;
	void *q = mm_malloc_inline(size);
	if (!q)
		return NULL;
	memcpy(q, p, avail);
	mm_free(p);
	return q;
}

MM_EXPORT void *realloc(void *p, size_t size)
{
	if (!p)
		return mm_malloc_inline(size);
	if (!size) {                               /* glibc's behaviour: free and return NULL */
		mm_free(p);
		return NULL;
	}
	if (mm_is_span(p))
		return span_realloc(p, size);
	mm_segment_t *seg;
	mm_page_t *page;
	uint8_t *b = mm_block_start(p, &seg, &page);
	if (!b)
		mm_fatal("realloc(): invalid pointer", p);
	size_t avail = page->block_size - (size_t)((uint8_t *)p - b);
	if (seg->kind == MM_KIND_HUGE) {
		void *q = mm_huge_realloc(seg, p, size);
		if (q)
			return q;
	} else if (size <= avail && size >= avail / 2) {
		return p;                            /* in place: same block */
	}
	void *q = mm_malloc_inline(size);
	if (!q)
		return NULL;
	memcpy(q, p, size < avail ? size : avail);
	mm_free(p);
	return q;
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
	void *p = mm_malloc_aligned(size, align);
	if (!p)
		return ENOMEM;
	errno = saved;                              /* posix_memalign leaves errno alone */
	*out = p;
	return 0;
}

MM_EXPORT void *aligned_alloc(size_t align, size_t size)
{
	if (!pow2(align)) {
		errno = EINVAL;
		return NULL;
	}
	return mm_malloc_aligned(size, align);
}

MM_EXPORT void *memalign(size_t align, size_t size)
{
	if (align > PTRDIFF_MAX / 2 + 1) {
		errno = EINVAL;
		return NULL;
	}
	size_t a = 1;
	while (a < align)                            /* glibc rounds odd alignments up */
		a <<= 1;
	return mm_malloc_aligned(size, a);
}

MM_EXPORT void *valloc(size_t size)
{
	return mm_malloc_aligned(size, (size_t)sysconf(_SC_PAGESIZE));
}

MM_EXPORT void *pvalloc(size_t size)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	if (size > PTRDIFF_MAX - page) {
		errno = ENOMEM;
		return NULL;
	}
	return mm_malloc_aligned((size + page - 1) & ~(page - 1), page);
}

MM_EXPORT size_t malloc_usable_size(void *p)
{
	return mm_usable_size(p);
}
