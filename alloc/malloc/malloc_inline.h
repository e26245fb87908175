/* libmmalloc's malloc fast path, shared by the API and the aligned allocator. */
#ifndef MMALLOC_MALLOC_INLINE_H
#define MMALLOC_MALLOC_INLINE_H
#include "internal.h"

/* Pops the first free block of the thread's page for the size: no lock, no atomic. The page is
 * the size class's own or its foreign list; a block of a larger class comes only from the slow
 * path (borrow_page), and not when exact: a caller that needs the class's alignment asks so. */
static inline void *mm_malloc_class(size_t size, bool exact)
{
	mm_heap_t *heap = mm_tls_heap;
	if (mm_likely(size <= MM_DIRECT_MAX)) {
		mm_page_t *page = heap->direct[(size + 15) >> 4];
		mm_block_t *b = page->free;
		if (mm_likely(b)) {
			mm_block_t *next = mm_block_next(b);
			page->free = next;
			__builtin_prefetch(next, 1);    /* the next block: often freed by another CPU */
			page->used++;
			mm_word_set(&b->mark, 0);       /* no longer free (double-free check) */
			heap->nmalloc[page->bin]++;
			return b;
		}
	}
	return mm_malloc_generic(heap, size, exact);
}

static inline void *mm_malloc_inline(size_t size)
{
	return mm_malloc_class(size, false);
}
#endif
