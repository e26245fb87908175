/* libmmalloc self-check, compiled in with -DMM_CHECK (the checking library that the stress tests
 * link) and run after every slow-path change of a heap: its page queues are well-formed doubly
 * linked lists; every page on them is in use, owned by the heap, in one of its segments, of the
 * queue's bin, on the full list exactly when in_full says so; every in-use page of its segments
 * is on exactly one queue (a page given back while still queued turned a list cyclic once);
 * its foreign lists hold as many free blocks of their bins as they count; direct[] serves no
 * size from a page with smaller blocks or one it does not hold. */
#include "internal.h"

#ifdef MM_CHECK
/* Checks one queue; returns its length. bin < 0: the full list. */
static size_t queue_check(const mm_heap_t *heap, const mm_queue_t *q, int bin)
{
	const mm_page_t *prev = NULL;
	size_t n = 0;
	for (const mm_page_t *page = q->first; page; prev = page, page = page->next) {
		if (++n > (size_t)MM_PAGES_MAX << 20)
			mm_fatal("check: cyclic page queue in heap", heap);
		if (page->prev != prev)
			mm_fatal("check: broken back link of queued page", page);
		if (!page->in_use)
			mm_fatal("check: queued page is not in use", page);
		if (mm_segment_of(page)->heap != heap ||
		    atomic_load_explicit(&page->owner, memory_order_relaxed) != heap)
			mm_fatal("check: queued page belongs to another heap", page);
		if (atomic_load_explicit(&page->in_full, memory_order_relaxed) != (bin < 0))
			mm_fatal("check: in_full disagrees with the queue of page", page);
		if ((bin >= 0 && page->bin != bin) || page->used > page->capacity ||
		    page->capacity > page->reserved)
			mm_fatal("check: queued page has a wrong bin or counts", page);
	}
	if (q->last != prev)
		mm_fatal("check: queue's last page is not its tail", q->last);
	return n;
}

/* Checks a segment's page bitmap against its pages; returns its pages in use. */
static size_t segment_check(const mm_heap_t *heap, const mm_segment_t *seg)
{
	size_t used = 0;
	for (unsigned i = 0; i < seg->page_count; i++) {
		bool in_use = seg->pages[i].in_use;
		if (in_use == (bool)(seg->free_mask >> i & 1))
			mm_fatal("check: free_mask disagrees with page", &seg->pages[i]);
		used += in_use;
	}
	if (seg->heap != heap || used != seg->pages_used)
		mm_fatal("check: wrong owner or page count of segment", seg);
	return used;
}

/* A foreign list holds as many blocks as its count says, each of an in-use page of its bin. */
static void foreign_check(const mm_page_t *f, size_t bin)
{
	const mm_block_t *b = f->free;
	for (uint32_t n = mm_foreign_count(f); n; n--, b = mm_block_next(b)) {
		if (!b)
			mm_fatal("check: foreign list shorter than its count at", f);
		const mm_page_t *page = mm_page_of(b);
		if (!page->in_use || page->block_size != mm_bin_size(bin) ||
		    mm_word_get(&b->mark) != mm_free_mark(b))
			mm_fatal("check: foreign list holds a block that is not a free one of its bin", b);
	}
	if (b)
		mm_fatal("check: foreign list longer than its count at", f);
}

/* Every direct[] entry serves sizes up to 16 * i from a page the heap holds or its foreign
 * list, whose blocks are at least that large: the fast path never hands out a block too small,
 * nor one of a page given back. */
static void direct_check(const mm_heap_t *heap)
{
	for (size_t i = 0; i < MM_DIRECT; i++) {
		const mm_page_t *page = heap->direct[i];
		size_t need = i ? i * 16 : 16;
		if (page == &mm_page_empty)
			continue;
		if (page >= heap->foreign && page < heap->foreign + MM_DIRECT_BINS) {
			if (mm_bin_size((size_t)(page - heap->foreign)) < need)
				mm_fatal("check: direct[] serves from the foreign list of a smaller class", page);
			continue;
		}
		if (!page->in_use || atomic_load_explicit(&page->owner, memory_order_relaxed) != heap ||
		    page->block_size < need)
			mm_fatal("check: direct[] points at a page not held or of too small a class", page);
	}
}

void mm_heap_check(const mm_heap_t *heap)
{
	direct_check(heap);
	for (size_t bin = 0; bin < MM_DIRECT_BINS; bin++)
		foreign_check(&heap->foreign[bin], bin);
	size_t queued = queue_check(heap, &heap->full, -1), in_use = 0;
	for (int bin = 0; bin < MM_BINS; bin++)
		queued += queue_check(heap, &heap->pages[bin], bin);
	for (const mm_segment_t *seg = heap->segs; seg; seg = seg->hnext)
		in_use += segment_check(heap, seg);
	if (queued != in_use)
		mm_fatal("check: pages in use and pages queued differ in heap", heap);
}
#endif
