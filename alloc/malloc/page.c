/* libmmalloc pages: carving blocks, collecting frees, the heap's page queues and the generic
 * (slow) allocation path; the shape of SLUB's ___slab_alloc with mimalloc's sharded free lists. */
#include <errno.h>
#include "internal.h"

mm_page_t mm_page_empty;                      /* never has free blocks: sends malloc here */
_Atomic int64_t mm_bin_pages[MM_BINS];

/* The front page of a bin's queue, where malloc takes blocks from; NULL when it is empty. */
static mm_page_t *bin_first_page(mm_heap_t *heap, size_t bin)
{
	return list_first_entry_or_null(&heap->pages[bin], mm_page_t, list);
}

/* Puts a page at the front of its bin's queue, where malloc takes blocks from. */
static void queue_front(mm_heap_t *heap, mm_page_t *page)
{
	struct list_head *q = &heap->pages[page->bin];
	if (q->next != &page->list)
		list_move(&page->list, q);
	mm_set_direct(heap, page->bin, page);
}

/* Puts a page whose owner is heap, on no queue yet, at the front of its bin's (a new page, a
 * reclaimed one). */
void mm_heap_queue_page(mm_heap_t *heap, mm_page_t *page)
{
	list_add(&page->list, &heap->pages[page->bin]);
	mm_set_direct(heap, page->bin, page);
}

static void page_init(mm_heap_t *heap, mm_page_t *page, size_t bin)
{
	mm_segment_t *seg = mm_segment_of(page);
	size_t len;
	page->start = mm_page_area(seg, (unsigned)(page - seg->pages), &len);
	page->block_size = mm_bin_size(bin);
	page->reserved = (uint32_t)(len / page->block_size);
	page->magic = UINT64_MAX / page->block_size + 1;
	page->bin = (uint8_t)bin;
	page->bin_remote = mm_foreign_index(bin);
	page->note_at = (uint16_t)(bin < MM_DIRECT_BINS ?
				   (page->reserved + MM_FREED_SHARE - 1) / MM_FREED_SHARE : 0);
	atomic_store_explicit(&page->owner, heap, memory_order_relaxed);
	atomic_fetch_add_explicit(&mm_bin_pages[bin], 1, memory_order_relaxed);
	mm_track_noaccess(page->start, len);        /* no block is the user's yet */
}

/* Carves about an OS page more of blocks (at least one) onto the free list: pages commit
 * lazily, and a size class holds at most that much carved but never used. Each block gets the
 * free mark (a purged page's old marks are gone): a free of a block not handed out since aborts
 * as a double free; one past the carved blocks (area) as an invalid pointer. */
static void page_extend(mm_page_t *page)
{
	size_t bs = page->block_size;
	uint32_t n = bs >= MM_OS_PAGE ? 1 : (uint32_t)(MM_OS_PAGE / bs);
	if (n > page->reserved - page->capacity)
		n = page->reserved - page->capacity;
	uint8_t *first = page->start + (size_t)page->capacity * bs;
	mm_block_t *b = (mm_block_t *)first;
	for (uint32_t k = 1; k < n; k++) {            /* link in address order */
		mm_block_t *next = (mm_block_t *)((uint8_t *)b + bs);
		mm_block_set_next(b, next);
		mm_word_set(&b->mark, mm_free_mark(b));
		b = next;
	}
	mm_block_set_next(b, page->free);
	mm_word_set(&b->mark, mm_free_mark(b));
	page->free = (mm_block_t *)first;
	page->capacity += n;
	page->area = (size_t)page->capacity * bs;
}

/* Takes the blocks other threads freed onto the free list, at once with their count. The
 * allocation paths call it only when the free list is empty, so that the owner's own frees,
 * still in its cache, go out first; thread exit and reclaim call it on any page, and then the
 * free list goes after the collected blocks. */
void mm_page_collect(mm_page_t *page)
{
	if (!atomic_load_explicit(&page->thread_free, memory_order_relaxed))
		return;
	uintptr_t tf = atomic_exchange_explicit(&page->thread_free, 0, memory_order_acquire);
	mm_block_t *list = mm_tf_list(tf);
	page->used -= mm_tf_count(tf);
	if (page->free) {
		mm_block_t *tail = list;
		while (mm_block_next(tail))
			tail = mm_block_next(tail);
		mm_block_set_next(tail, page->free);
	}
	page->free = list;
}

/* A page's free list, refilled from its remote frees when it ran dry. */
static mm_block_t *page_free_list(mm_page_t *page)
{
	if (!page->free)
		mm_page_collect(page);
	return page->free;
}

/* The page has no free block left: park it on the full list until a free arrives. Out of
 * line: inlined into find_page's loop, the full list's address and its stores took registers
 * that every call of find_page then saved and set up (more instructions than the call). */
static __attribute__((noinline)) void page_to_full(mm_heap_t *heap, mm_page_t *page)
{
	list_move(&page->list, &heap->full);
	atomic_store(&page->in_full, 1);            /* seq_cst: pairs with the remote free */
	if (atomic_load(&page->thread_free))        /* a remote free raced with us */
		atomic_store_explicit(&heap->full_dirty, 1, memory_order_relaxed);
}

static void page_unfull(mm_heap_t *heap, mm_page_t *page)
{
	atomic_store_explicit(&page->in_full, 0, memory_order_relaxed);
	list_move(&page->list, &heap->pages[page->bin]);
	if (page->bin < MM_DIRECT_BINS && heap->direct[page->bin + 1] == &mm_page_empty)
		mm_set_direct(heap, page->bin, page);
}

/* Remote frees reached full pages: bring back every full page that has free blocks now. */
static void heap_unfull_scan(mm_heap_t *heap)
{
	atomic_store(&heap->full_dirty, 0);         /* before the scan: later frees set it again */
	mm_page_t *page, *next;
	list_for_each_entry_safe(page, next, &heap->full, list) {
		if (atomic_load_explicit(&page->thread_free, memory_order_relaxed))
			page_unfull(heap, page);
	}
}

/* A free block of a larger class, at most twice bin's size, that the heap holds already: from
 * its foreign list, or from one of the first MM_BORROW_PAGES pages of its queue that keeps more
 * than MM_BORROW_KEEP free blocks. Taken before new memory is carved, so that one class at its
 * peak uses another's free blocks: segregated classes otherwise hold the sum of every class's
 * peak where a heap like glibc's holds the peak of the sum. One block a call, and the bin's
 * direct[] entry stays on its own page: the class takes its own blocks again as soon as it
 * frees one, and a lender is never drained (it would carve new memory for its own mallocs). */
static mm_page_t *borrow_page(mm_heap_t *heap, size_t bin)
{
	size_t limit = 2 * mm_bin_size(bin);
	for (size_t b = bin + 1; b < MM_BINS && mm_bin_size(b) <= limit; b++) {
		mm_page_t *f = mm_foreign_list(heap, b);
		if (f && f->free)
			return f;
		unsigned looked = 0;
		mm_page_t *page;
		list_for_each_entry(page, &heap->pages[b], list) {
			if (page_free_list(page) && page->capacity - page->used > MM_BORROW_KEEP)
				return page;
			if (++looked == MM_BORROW_PAGES)
				break;
		}
	}
	return NULL;
}

/* Freed pages: the blocks that other threads freed wait on their page's thread_free list until
 * the owner runs dry and collects them, which may be long: a producer waiting on a full queue
 * while consumers free what it made, a thread that handed its work over. Meanwhile another
 * heap would carve new memory for the class. So once a share of a page's blocks waits there,
 * the remote free that brought the last of them notes the page here (a few slots per small
 * bin, the newest over the oldest), and a heap about to carve more of the class takes what
 * waits on a noted page of another heap, as the owner's collect would take it: the blocks are
 * free, and the page's count of blocks out stays the owner's (they come back to the page when
 * freed). Heaps that take turns then share their pages, where each would hold the most it
 * ever had out: two producers' heaps in bench/malloc's prodcons, each a full queue's worth
 * when they take long turns. A slot may go stale (the owner collected since, or gave the page
 * back): what it holds is checked when taken. */
static _Atomic(mm_page_t *) freed_pages[MM_DIRECT_BINS][MM_FREED_SLOTS];

void mm_page_note_freed(mm_page_t *page, size_t bin)
{
	_Atomic(mm_page_t *) *slot = freed_pages[bin];
	for (unsigned i = 0; i < MM_FREED_SLOTS; i++) {
		mm_page_t *none = NULL;
		if (!atomic_load_explicit(&slot[i], memory_order_relaxed) &&
		    atomic_compare_exchange_strong_explicit(&slot[i], &none, page, memory_order_release,
							    memory_order_relaxed))
			return;
	}
	unsigned victim = (unsigned)((uintptr_t)page / sizeof(mm_page_t)) % MM_FREED_SLOTS;
	atomic_store_explicit(&slot[victim], page, memory_order_release);
}

/* Takes the remote frees of a noted page of another heap, of the bin, onto the heap's foreign
 * list of the bin, which is empty: the list then holds them beyond its limit, which it gets
 * back once they are handed out (mm_heap_malloc) or it is flushed. Only for a class the heap
 * allocates, holding a page of it: one block of a class it does not use again would keep the
 * rest from their owner, on a list that goes back only when its last page of the class does
 * (a thread's first malloc of a class carves instead). They are taken as the
 * owner's collect takes them, at once: whatever the page holds then, perhaps none (the slot
 * was stale), perhaps another class's (the page was given back and carved again since): those
 * go back. Returns the list, or NULL. */
static mm_page_t *take_freed(mm_heap_t *heap, size_t bin)
{
	if (bin >= MM_DIRECT_BINS || list_empty(&heap->pages[bin]))
		return NULL;                             /* a class it does not allocate: no hoard */
	for (unsigned i = 0; i < MM_FREED_SLOTS; i++) {
		_Atomic(mm_page_t *) *slot = &freed_pages[bin][i];
		if (!atomic_load_explicit(slot, memory_order_relaxed))
			continue;
		mm_page_t *page = atomic_exchange_explicit(slot, NULL, memory_order_acquire);
		if (!page || atomic_load_explicit(&page->owner, memory_order_relaxed) == heap ||
		    !atomic_load_explicit(&page->thread_free, memory_order_relaxed))
			continue;                        /* ours: our queue is where we collect */
		uintptr_t tf = atomic_exchange_explicit(&page->thread_free, 0, memory_order_acquire);
		mm_block_t *list = mm_tf_list(tf), *last = list;
		uint32_t n = mm_tf_count(tf);
		if (!n)
			continue;
		if (page->bin != bin) {                  /* the blocks keep the page in use */
			while (mm_block_next(last))
				last = mm_block_next(last);
			mm_page_thread_free(page, list, last, n);
			continue;
		}
		mm_page_t *f = mm_foreign_list(heap, bin);
		if (!f)
			f = mm_foreign_setup(heap, bin);
		f->free = list;
		f->reserved = f->used + n;
		mm_set_direct(heap, bin, f);
		return f;
	}
	return NULL;
}

/* A page of the bin with a free block: from the queue, blocks other threads freed to another
 * heap's page, a larger class's (unless exact), or a fresh one. */
static mm_page_t *find_page(mm_heap_t *heap, size_t bin, bool exact)
{
	if (atomic_load_explicit(&heap->full_dirty, memory_order_relaxed))
		heap_unfull_scan(heap);
	mm_page_t *grow = NULL;                      /* a page with blocks left to carve */
	mm_page_t *page, *next;
	list_for_each_entry_safe(page, next, &heap->pages[bin], list) {
		if (page_free_list(page)) {
			queue_front(heap, page);
			return page;
		}
		if (page->capacity < page->reserved) {   /* freed blocks elsewhere come first */
			if (!grow)
				grow = page;
			continue;
		}
		page_to_full(heap, page);
	}
	mm_page_t *other = take_freed(heap, bin);
	if (!other && !exact)
		other = borrow_page(heap, bin);
	if (other)
		return other;
	if (grow) {
		page_extend(grow);
		queue_front(heap, grow);
		return grow;
	}
	mm_heap_purge(heap, false);
	page = mm_segment_page_alloc(heap, mm_bin_kind(bin));
	if (!page)
		return NULL;
	page_init(heap, page, bin);
	page_extend(page);
	mm_heap_queue_page(heap, page);
	return page;
}

/* The thread's heap, made on its first allocation (not past its teardown: the sentinel);
 * NULL (errno ENOMEM) when that fails. */
static mm_heap_t *heap_ready(mm_heap_t *heap)
{
	if (mm_unlikely(heap == &mm_heap_empty) && !mm_tls_done && !(heap = mm_heap_init_thread()))
		errno = ENOMEM;
	return heap;
}

/* calloc of a block above 64 KiB (a thread past its teardown too: such blocks are no heap's):
 * its fresh or purged pages are zeros already. */
void *mm_calloc_huge(size_t size)
{
	return heap_ready(mm_tls_heap) ? mm_huge_alloc(size, 0, true) : NULL;
}

/* What the fast path does not do: a thread's first malloc, a thread past its heap's teardown
 * (a later key destructor), sizes above 1 KiB, an empty page. A block of a larger class may
 * be handed out unless exact. */
void *mm_malloc_generic(mm_heap_t *heap, size_t size, bool exact)
{
	if (mm_unlikely(heap == &mm_heap_empty && mm_tls_done))
		return mm_heap_malloc_late(size, exact);
	if (!(heap = heap_ready(heap)))
		return NULL;
	return mm_heap_malloc(heap, size, exact);
}

/* A block of the heap (which the caller owns), or a span or huge block. */
void *mm_heap_malloc(mm_heap_t *heap, size_t size, bool exact)
{
	if (size > MM_MEDIUM_MAX)
		return mm_huge_alloc(size, 0, false);
	size_t bin = mm_bin(size);
	mm_page_t *page = mm_foreign_list(heap, bin);
	if (page && page->free) {
		mm_set_direct(heap, bin, page);      /* direct[] went to a page meanwhile */
	} else {
		if (page)                            /* empty: what take_freed() gave is out */
			page->reserved = page->used = mm_foreign_limit(bin);
		mm_heap_write_begin(heap);
		page = find_page(heap, bin, exact);
		mm_heap_write_end(heap);
	}
	mm_heap_check(heap);
	if (!page) {
		errno = ENOMEM;
		return NULL;
	}
	mm_block_t *b = page->free;
	page->free = mm_block_next(b);
	page->used++;
	mm_word_set(&b->mark, 0);
	heap->nmalloc[page->bin]++;                  /* the block's class: it may be borrowed */
	return b;
}

/* A page leaves the heap's queues: its bin's direct[] entries go to the front page of the bin. */
static void direct_forget(mm_heap_t *heap, mm_page_t *page)
{
	if (page->bin < MM_DIRECT_BINS && heap->direct[page->bin + 1] == page) {
		mm_page_t *first = bin_first_page(heap, page->bin);
		mm_set_direct(heap, page->bin, first ? first : &mm_page_empty);
	}
	if (heap->direct[0] == page)                 /* free() moves direct[1] alone (free.c) */
		heap->direct[0] = heap->direct[1];
}

/* An empty page leaves the heap's queues for its segment, where it waits dirty: the next page
 * the heap takes, of any class, reuses its memory, and the purge deadline gives it back. */
static void page_give_back(mm_heap_t *heap, mm_page_t *page)
{
	__list_del_entry(&page->list);
	direct_forget(heap, page);
	if (atomic_load_explicit(&page->thread_free, memory_order_relaxed))
		mm_fatal("free(): corrupted page (frees of free blocks) at", page->start);
	atomic_fetch_sub_explicit(&mm_bin_pages[page->bin], 1, memory_order_relaxed);
	if (page->bin < MM_DIRECT_BINS && list_empty(&heap->pages[page->bin]))
		mm_foreign_retire(heap, page->bin);  /* the bin's last page */
	mm_segment_page_free(heap, page);
}

/* A page the owner freed into is empty: it goes back to its segment, unless it is the last
 * small page of its bin, kept until the purge deadline (mm_heap_retire_idle) so that a class
 * that empties and fills again (a vector grown by realloc passes through it) does not take a
 * page and give it back each time. */
static void page_retire(mm_heap_t *heap, mm_page_t *page)
{
	/* The only page of its queue: seen from the page, the ring holds one other entry, the
	 * queue's head (no need to compute the head's address). */
	if (list_is_singular(&page->list) && mm_bin_kind(page->bin) == MM_KIND_SMALL) {
		mm_heap_purge_later(heap);
		return;
	}
	page_give_back(heap, page);
	mm_heap_purge(heap, false);
}

/* At the purge deadline, the small bins' last pages that are still empty go back to their
 * segments too, to be purged with the other free pages: a heap that went idle keeps no empty
 * page resident (up to 64 KiB a class otherwise). */
void mm_heap_retire_idle(mm_heap_t *heap)
{
	for (size_t bin = 0; mm_bin_kind(bin) == MM_KIND_SMALL; bin++) {
		mm_page_t *page = bin_first_page(heap, bin);
		if (page && !page->used && list_is_singular(&page->list))
			page_give_back(heap, page);
	}
}

/* The owner freed into a page that is full or now empty. */
void mm_page_free_slow(mm_heap_t *heap, mm_page_t *page)
{
	mm_heap_check(heap);
	mm_heap_write_begin(heap);
	if (atomic_load_explicit(&page->in_full, memory_order_relaxed))
		page_unfull(heap, page);
	if (!page->used)
		page_retire(heap, page);
	mm_heap_write_end(heap);
}
