/* libmmalloc self-check, compiled in with -DMM_CHECK (the checking library that the stress tests
 * link) and run after every slow-path change of a heap: its page queues and segment lists are
 * well-formed rings (back links, tails, no cycle that misses the head); every page on the queues
 * is in use, owned by the heap, in one of its segments, of the queue's bin, on the full list
 * exactly when in_full says so, with its carved bytes (area) as many as its capacity says;
 * every in-use page of its segments is on exactly one queue (a page given back while still
 * queued turned a list cyclic once), every free one's descriptor is zeros (the check reads only
 * the resident pages of a header, below); its segments with a free page, and only those, are on
 * the list of their kind; its foreign lists hold as many free blocks of their bins as they
 * count, and foreign_mask says which are set up; direct[] serves a size only from its class's
 * own page or foreign list. */
#include <sys/mman.h>
#include "internal.h"

#ifdef MM_CHECK
/* Which OS pages of the area from base (page-aligned), len bytes, are resident (mincore; at most
 * 8). The check reads only those: where the kernel maps no shared zero page for a read of
 * untouched anonymous memory (a guest booted with pvm_no_zero_page), a read commits the page,
 * and the tests count the pages that the library never touches. One that is not resident
 * reads as zeros. */
struct resident_map {
	uintptr_t base;
	unsigned char vec[8];
};

static void resident_map_read(struct resident_map *m, const void *p, size_t len)
{
	m->base = (uintptr_t)p & ~(uintptr_t)(MM_OS_PAGE - 1);
	size_t span = (uintptr_t)p + len - m->base;
	if (span > sizeof(m->vec) * MM_OS_PAGE || mincore((void *)m->base, span, m->vec))
		mm_fatal("check: mincore failed for", p);
}

/* Whether every OS page of the object at p (in the map's area) is resident. */
static bool resident(const struct resident_map *m, const void *p, size_t len)
{
	size_t first = ((uintptr_t)p - m->base) / MM_OS_PAGE;
	size_t last = ((uintptr_t)p + len - 1 - m->base) / MM_OS_PAGE;
	for (size_t k = first; k <= last; k++)
		if (!(m->vec[k] & 1))
			return false;
	return true;
}

/* Checks that a list of the heap is a well-formed ring, what CONFIG_DEBUG_LIST's
 * __list_add_valid and __list_del_entry_valid check of an entry's neighbours, for every entry:
 * no link is NULL, each back link points at the entry before, the head's at the last one, and
 * the walk comes back to the head (a cycle that misses it would not). Returns its length. */
static size_t list_check(const mm_heap_t *heap, const struct list_head *head)
{
	const struct list_head *prev = head;
	size_t n = 0;
	for (const struct list_head *pos = head->next; pos != head; prev = pos, pos = pos->next) {
		if (!pos)
			mm_fatal("check: NULL link in a list of heap", heap);
		if (++n > (size_t)MM_PAGES_MAX << 20)
			mm_fatal("check: cyclic list in heap", heap);
		if (pos->prev != prev)
			mm_fatal("check: broken back link of list entry", pos);
	}
	if (head->prev != prev)
		mm_fatal("check: list's last entry is not its tail", head->prev);
	return n;
}

/* Checks one page queue; returns its length. bin < 0: the full list. */
static size_t queue_check(const mm_heap_t *heap, const struct list_head *q, int bin)
{
	size_t n = list_check(heap, q);
	const mm_page_t *page;
	list_for_each_entry(page, q, list) {
		if (!page->in_use)
			mm_fatal("check: queued page is not in use", page);
		if (mm_segment_of(page)->heap != heap ||
		    atomic_load_explicit(&page->owner, memory_order_relaxed) != heap)
			mm_fatal("check: queued page belongs to another heap", page);
		if (atomic_load_explicit(&page->in_full, memory_order_relaxed) != (bin < 0))
			mm_fatal("check: in_full disagrees with the queue of page", page);
		if ((bin >= 0 && page->bin != bin) || page->bin_remote != mm_foreign_index(page->bin) ||
		    page->used > page->capacity || page->capacity > page->reserved ||
		    page->area != (size_t)page->capacity * page->block_size)
			mm_fatal("check: queued page has a wrong bin or counts", page);
	}
	return n;
}

/* Whether a page descriptor is all zeros, as every free page's must be: a segment taken from
 * the cache does not clear them again (segment_new). */
static bool page_clear(const mm_page_t *page)
{
	const unsigned char *b = (const unsigned char *)page;
	for (size_t k = 0; k < sizeof(*page); k++)
		if (b[k])
			return false;
	return true;
}

/* Checks a segment's page bitmap against its pages; returns its pages in use. A descriptor in a
 * header page that is not resident is zeros: its page must be free. */
static size_t segment_check(const mm_heap_t *heap, const mm_segment_t *seg)
{
	struct resident_map m;
	resident_map_read(&m, seg, MM_SEG_HDR);
	size_t used = 0;
	for (unsigned i = 0; i < seg->page_count; i++) {
		const mm_page_t *page = &seg->pages[i];
		bool free = seg->free_mask >> i & 1, readable = resident(&m, page, sizeof(*page));
		bool in_use = readable && page->in_use;
		if (in_use == free)
			mm_fatal("check: free_mask disagrees with page", page);
		if (free && readable && !page_clear(page))
			mm_fatal("check: free page's descriptor not cleared", page);
		used += in_use;
	}
	if (seg->heap != heap || used != seg->pages_used)
		mm_fatal("check: wrong owner or page count of segment", seg);
	return used;
}

/* The heap's segments of a kind with a free page, and only those, are on its avail list. */
static void avail_check(const mm_heap_t *heap, enum mm_kind kind)
{
	size_t n = list_check(heap, &heap->avail[kind]), free = 0;
	const mm_segment_t *seg;
	list_for_each_entry(seg, &heap->avail[kind], list)
		if (seg->heap != heap || seg->kind != kind || !seg->free_mask)
			mm_fatal("check: avail list holds a segment that is not a free one of the heap", seg);
	list_for_each_entry(seg, &heap->segs, heap_list)
		free += seg->kind == kind && seg->free_mask;
	if (n != free)
		mm_fatal("check: a segment with a free page is not on the avail list of heap", heap);
}

/* A foreign list holds as many blocks as its count says, each of an in-use page of its bin,
 * and room for at least its limit (more while it holds another page's remote frees, page.c); a
 * list set up is its bin's (free.c), one not set up is empty. */
static void foreign_check(const mm_page_t *f, size_t bin)
{
	const mm_block_t *b = f->free;
	if (f->reserved ? f->bin != bin || f->reserved < mm_foreign_limit(bin) ||
			  f->used > f->reserved : f->used || b)
		mm_fatal("check: foreign list not set up for its bin, or past its limit, at", f);
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

/* Every direct[] entry serves sizes up to 16 * i from a page of that size class the heap holds,
 * or from its foreign list of the class: the fast path hands out only the class's own blocks
 * (aligned allocations rely on it), never one of a page given back. */
static void direct_check(const mm_heap_t *heap)
{
	for (size_t i = 0; i < MM_DIRECT; i++) {
		const mm_page_t *page = heap->direct[i];
		size_t bin = i ? i - 1 : 0;
		if (page == &mm_page_empty)
			continue;
		if (page >= heap->foreign && page < heap->foreign + MM_DIRECT_BINS) {
			if ((size_t)(page - heap->foreign) != bin)
				mm_fatal("check: direct[] serves from the foreign list of another class", page);
			continue;
		}
		if (!page->in_use || atomic_load_explicit(&page->owner, memory_order_relaxed) != heap ||
		    page->bin != bin)
			mm_fatal("check: direct[] points at a page not held or of another class", page);
	}
}

void mm_heap_check(const mm_heap_t *heap)
{
	direct_check(heap);
	struct resident_map m;                        /* a list never set up may never be read */
	resident_map_read(&m, heap->foreign, (MM_DIRECT_BINS + 1) * sizeof(mm_page_t));
	for (size_t bin = 0; bin <= MM_DIRECT_BINS; bin++) {
		bool set_up = mm_foreign_list(heap, bin) != NULL;
		if (!resident(&m, &heap->foreign[bin], sizeof(mm_page_t))) {
			if (set_up)
				mm_fatal("check: a foreign list set up was never written in heap", heap);
			continue;                        /* zeros: not set up */
		}
		foreign_check(&heap->foreign[bin], bin);
		if (set_up != (heap->foreign[bin].reserved != 0))
			mm_fatal("check: foreign_mask disagrees with the list of bin in heap", &heap->foreign[bin]);
	}
	size_t queued = queue_check(heap, &heap->full, -1), in_use = 0;
	for (int bin = 0; bin < MM_BINS; bin++)
		queued += queue_check(heap, &heap->pages[bin], bin);
	list_check(heap, &heap->segs);
	avail_check(heap, MM_KIND_SMALL);
	avail_check(heap, MM_KIND_MEDIUM);
	const mm_segment_t *seg;
	list_for_each_entry(seg, &heap->segs, heap_list)
		in_use += segment_check(heap, seg);
	if (queued != in_use)
		mm_fatal("check: pages in use and pages queued differ in heap", heap);
	if (heap->grow_idle && (!mm_is_span((void *)(heap->grow ^ mm_secret)) || !heap->purge_at))
		mm_fatal("check: a kept growing span is not a span or has no deadline in heap", heap);
}
#endif
