/* libmmalloc: the block a thread grows by realloc. The first block that realloc makes larger
 * while its heap has none moves to a span of the heap's, which then grows in place into the
 * free pages after it, as glibc's heap grows its top chunk; blocks of size classes cannot grow
 * past their class, and a vector doubling from 16 bytes to 8 KiB would be copied through ten
 * classes, leaving an OS page of blocks in each. One such block per heap: the others keep
 * the size classes, whose blocks cost no span's page each.
 * When the owner frees its growing block, the heap keeps the span for its next one (spans up
 * to GROW_KEEP_MAX): counted as freed, but out of the region's runs, so that a block that
 * grows, is freed and is followed by another takes no mm_global_lock (as a per-CPU pageset
 * keeps a freed page from the zone's lock); given back at the heap's purge deadline or its
 * thread's exit. A growing block freed by another thread goes back to the region as any span:
 * the owner's key then names a span it does not hold, and only stops it taking another
 * growing block until it frees a span at that address itself.
 * The heap holds its span's address xored with mm_secret (a key, never 0 for a span): as a
 * pointer, it would make a leaked growing block reachable for memcheck's leak check. */
#include "internal.h"

#define GROW_KEEP_MAX (64u << 10)           /* largest span a heap keeps for its next block */
#define GROW_TRIM     4                     /* a kept span this many times too large is cut */

static uintptr_t grow_key(const void *p)
{
	return p ? (uintptr_t)p ^ mm_secret : 0;
}

static void *grow_span(const mm_heap_t *heap)
{
	return (void *)(heap->grow ^ mm_secret);
}

/* A span of at least size bytes for a block that starts to grow (its realloc moves it out of
 * its size class): the heap's kept one if it is large enough (cut to size when it is far
 * larger), else a new one. NULL when the heap has a growing block already, or no heap, or no
 * span is to be had: the caller moves the block as before. */
void *mm_grow_start(size_t size)
{
	mm_heap_t *heap = mm_tls_heap;
	if (!mm_heap_live(heap) || (heap->grow && !heap->grow_idle))
		return NULL;
	void *kept = heap->grow_idle ? grow_span(heap) : NULL;
	size_t have = kept ? mm_span_usable_kept(kept) : 0;
	void *q = have >= size ? kept : NULL;
	mm_heap_write_begin(heap);                    /* a fork's copy of the heap is left alone */
	heap->grow = 0;
	heap->grow_idle = false;
	if (q)
		mm_span_reuse(q);
	else if (kept)
		mm_span_free_kept(kept);
	mm_heap_write_end(heap);
	if (q && have / GROW_TRIM > (size + MM_OS_PAGE - 1) / MM_OS_PAGE * MM_OS_PAGE)
		mm_span_resize(q, size);                  /* shrinks: cannot fail */
	if (!q)
		q = mm_span_alloc(size, false);           /* may purge the heap's empty pages */
	heap->grow = grow_key(q);
	return q;
}

/* A new span for the growing block, which could not grow in place: it stays the heap's growing
 * block there. NULL when the region has no room: the block leaves the span region, and the
 * move frees its old span (which the heap keeps if it is small enough). */
void *mm_grow_move(size_t size)
{
	void *q = mm_span_alloc(size, false);
	if (q)
		mm_tls_heap->grow = grow_key(q);          /* before the move frees the old one */
	return q;
}

/* Whether p is the calling thread's growing block; aborts if p is the span its heap keeps,
 * whose block was freed. */
bool mm_grow_busy(const void *p)
{
	mm_heap_t *heap = mm_tls_heap;
	if (grow_key(p) != heap->grow)                /* the sentinel's grow is 0 */
		return false;
	if (heap->grow_idle)
		mm_fatal("realloc(): invalid pointer", p);
	return true;
}

/* free() of the span at p: when it is the calling thread's growing block, the heap keeps its
 * span (if small enough). Returns whether it did. */
bool mm_grow_free(void *p)
{
	mm_heap_t *heap = mm_tls_heap;
	if (grow_key(p) != heap->grow)
		return false;
	if (heap->grow_idle)
		mm_fatal("free(): double free of", p);
	if (mm_span_usable(p, "free(): invalid pointer") > GROW_KEEP_MAX) {
		heap->grow = 0;
		return false;
	}
	mm_heap_write_begin(heap);
	mm_span_keep(p);
	mm_heap_purge_later(heap);                    /* given back at the deadline if unused */
	heap->grow_idle = true;
	mm_heap_write_end(heap);
	return true;
}

/* Gives the kept span back to the region (the heap's purge, its thread's exit). */
void mm_grow_release(mm_heap_t *heap)
{
	if (!heap->grow_idle)
		return;
	mm_span_free_kept(grow_span(heap));
	heap->grow = 0;
	heap->grow_idle = false;
}
