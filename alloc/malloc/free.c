/* libmmalloc free(): pointer validation through the segment map and the out-of-band page
 * descriptors, double-free detection, local and cross-thread frees; aligned allocation. */
#include <errno.h>
#include "internal.h"
#include "malloc_inline.h"

/* Gives the n blocks first..last (linked) back to their page: one CAS onto its thread_free
 * list; a full page's owner is told to look at it; other heaps are told of a page once the
 * list holds a share of its blocks (page.c). */
void mm_page_thread_free(mm_page_t *page, mm_block_t *first, mm_block_t *last, uint32_t n)
{
	/* Read while our blocks keep the page in use: once they are on the list, its owner may
	 * collect them, give the page back and carve it for another class. */
	uint32_t at = page->note_at;
	uint8_t fi = page->bin_remote;
	uintptr_t tf = atomic_load_explicit(&page->thread_free, memory_order_relaxed), count;
	do {
		mm_block_set_next(last, mm_tf_list(tf));
		count = (tf & ~MM_TF_LIST) + ((uintptr_t)n << MM_TF_SHIFT);
	} while (!atomic_compare_exchange_weak(&page->thread_free, &tf, /* seq_cst */
					       (uintptr_t)first | count));
	if (mm_unlikely(atomic_load(&page->in_full))) {  /* seq_cst: pairs with page_to_full */
		mm_heap_t *owner = atomic_load_explicit(&page->owner, memory_order_acquire);
		if (owner)
			atomic_store_explicit(&owner->full_dirty, 1, memory_order_relaxed);
	}
	if (mm_unlikely((uint32_t)(count >> MM_TF_SHIFT) - at < n)) /* these blocks reached the share */
		mm_page_note_freed(page, fi);
}

/* Gives a foreign list back to the pages of its blocks, a CAS per run of blocks of one page.
 * The list is emptied first: a fork's copy of a heap caught in the middle loses the rest of
 * it (those blocks stay in use), never hands a block back twice. */
void mm_foreign_flush(mm_page_t *f)
{
	mm_block_t *b = f->free;
	if (!b && f->used == f->reserved)
		return;                              /* nothing to do: no store (an unused list) */
	f->free = NULL;
	f->used = f->reserved = mm_foreign_limit(f->bin); /* its limit again (page.c: take_freed) */
	atomic_signal_fence(memory_order_release);
	while (b) {
		mm_page_t *page = mm_page_of(b);
		mm_block_t *first = b, *last = b;
		uint32_t n = 1;
		for (b = mm_block_next(b); b && mm_page_of(b) == page; b = mm_block_next(b), n++)
			last = b;
		mm_page_thread_free(page, first, last, n);
	}
}

/* Sets up the heap's foreign list of a small bin, empty, on its first use. */
mm_page_t *mm_foreign_setup(mm_heap_t *heap, size_t bin)
{
	mm_page_t *f = &heap->foreign[bin];
	f->bin = (uint8_t)bin;
	f->reserved = f->used = mm_foreign_limit(bin);
	heap->foreign_mask |= (uint64_t)1 << bin;
	return f;
}

/* A foreign list that leaves use (its heap gave back its last page of the bin, or is
 * abandoned) gives its blocks back and is no longer set up: its heap holds no other heap's
 * block of a class it does not allocate. */
void mm_foreign_retire(mm_heap_t *heap, size_t bin)
{
	mm_page_t *f = mm_foreign_list(heap, bin);
	if (!f)
		return;
	mm_foreign_flush(f);
	f->reserved = 0;
	f->used = 0;
	heap->foreign_mask &= ~((uint64_t)1 << bin);
}

/* a if c else b, computed without a branch, for a condition that is a coin flip (a branch
 * would mispredict half the time). Written out: compilers turn a select of two addresses, one
 * of them loaded, into a jump (gcc even with __builtin_expect_with_probability 0.5). */
static inline mm_page_t *select_list(bool c, mm_page_t *a, mm_page_t *b)
{
#if defined(__x86_64__)
	uintptr_t take_a = c;
	__asm__("test %[c], %[c]\n\tcmovz %[b], %[a]" : [a] "+r"(a) : [c] "r"(take_a), [b] "r"(b) : "cc");
	return a;
#else
	uintptr_t m = 0 - (uintptr_t)c;
	__asm__("" : "+r"(m));                       /* the mask's origin hidden: no jump */
	return (mm_page_t *)(((uintptr_t)a & m) | ((uintptr_t)b & ~m));
#endif
}

/* Whether a push onto the list takes the slow path: a page whose last block comes back (used
 * 1) or that is on the full list; a foreign list with room for one more block, or none (not
 * set up: used 0). */
static inline bool push_takes_slow_path(const mm_page_t *list)
{
	return list->used <= 1 || atomic_load_explicit(&list->in_full, memory_order_relaxed);
}

/* Pushes a block onto a free list: a page's (the owner's free) or a foreign list. */
static inline void list_push(mm_page_t *list, mm_block_t *b)
{
	mm_block_set_next(b, list->free);            /* LIFO: the next malloc gets it, in cache */
	atomic_signal_fence(memory_order_release);   /* linked before published (a fork's copy) */
	list->free = b;
	list->used--;
}

/* Another heap's block joins our foreign list of its bin, which the fast path could not take:
 * the list is full, and goes back to its pages but for the new block (the one most likely in
 * our cache); or it is not set up, and is now. A list is set up on its first block: the memory
 * of the lists a thread never uses (most of its bins) is never written, and stays uncommitted
 * (heap slots are mapped zeroed). */
static __attribute__((noinline)) void foreign_push_slow(mm_heap_t *heap, size_t bin, mm_block_t *b)
{
	mm_page_t *f = mm_foreign_list(heap, bin);
	if (f)
		mm_foreign_flush(f);
	else
		f = mm_foreign_setup(heap, bin);
	list_push(f, b);
	mm_set_direct(heap, bin, f);
}

/* A remote free the fast path did not take. A small block joins our foreign list of its bin,
 * which malloc takes from next, if we allocate blocks of that bin (have a page of it): a
 * thread that only frees (a consumer) would hold them from their owner for nothing, and so
 * would a thread past its heap (the sentinel heap holds no page). Other blocks go back to
 * their page at once. Apart from the list's work: a consumer comes here on every free, and
 * saves no registers. */
static __attribute__((noinline)) void free_remote_slow(mm_heap_t *heap, mm_page_t *page,
						       mm_block_t *b)
{
	size_t bin = page->bin_remote;
	if (bin >= MM_DIRECT_BINS || list_empty(&heap->pages[bin])) {
		mm_page_thread_free(page, b, b, 1);
		return;
	}
	foreign_push_slow(heap, bin, b);
}

/* The free the fast path did not take: the owner's that empties its page or finds it on the
 * full list; a remote one whose foreign list is full or not set up. */
static __attribute__((noinline)) void free_slow(mm_heap_t *heap, mm_page_t *page, mm_block_t *b)
{
	if (atomic_load_explicit(&page->owner, memory_order_relaxed) != heap) {
		free_remote_slow(heap, page, b);
		return;
	}
	list_push(page, b);
	mm_page_free_slow(heap, page);
}

/* Marks a block free and pushes it onto its page's free list when ours (the next malloc of the
 * class takes it back while it is in cache), else onto our foreign list of its bin. A heap
 * with no foreign list set up frees almost only its own blocks: the test of the owner is a
 * branch, predicted. A heap with some frees both (a thread allocates blocks of a class that
 * others' blocks of it come back to, as in larson, at random): the branch would mispredict as
 * often as not, so the list is chosen without one, and direct[] then points at the list freed
 * to, page or foreign list, so that malloc takes the block freed last either way (and leaves
 * the other list's blocks for when this one runs dry). Pages and foreign lists share the test
 * for the slow path. Every call below is a tail call: the fast path saves no registers. */
static inline void free_push(mm_page_t *page, mm_block_t *b)
{
	mm_heap_t *heap = mm_tls_heap;
	mm_word_set(&b->mark, mm_free_mark(b));
	bool own = atomic_load_explicit(&page->owner, memory_order_relaxed) == heap;
	if (mm_likely(!heap->foreign_mask)) {
		if (mm_unlikely(!own)) {
			free_remote_slow(heap, page, b);
			return;
		}
		if (mm_unlikely(push_takes_slow_path(page))) {
			free_slow(heap, page, b);
			return;
		}
		list_push(page, b);
		return;
	}
	size_t fi = page->bin_remote;
	mm_page_t *list = select_list(own, page, &heap->foreign[fi]);
	if (mm_unlikely(push_takes_slow_path(list))) {
		free_slow(heap, page, b);
		return;
	}
	list_push(list, b);
	heap->direct[fi + 1] = list;                /* medium bins: the unused last entry */
}

/* A double free: the report, out of line and reached by a tail call. */
static MM_COLD_TAIL void free_twice(mm_block_t *b)
{
	mm_fatal("free(): double free of", b);
}

/* Frees a validated block start. A block that carries the free mark was freed and not handed
 * out since (malloc clears the mark): a double free, whichever threads freed it and whichever
 * list it waits on. A live block's data matches the mark (address ^ secret) once in 2^64: the
 * secret is not the program's to know. */
static inline void free_block(mm_page_t *page, mm_block_t *b)
{
	if (mm_unlikely(mm_word_get(&b->mark) == mm_free_mark(b))) {
		free_twice(b);
		return;
	}
	free_push(page, b);
}

/* The segment header for p, or NULL when p is not in a segment of ours. */
static mm_segment_t *segment_lookup(const void *p)
{
	uintptr_t a = (uintptr_t)p;
	if ((a >> MM_SEG_SHIFT) >= MM_SEGMAP_SIZE)
		return NULL;
	uint8_t v = atomic_load_explicit(&mm_segmap[a >> MM_SEG_SHIFT], memory_order_relaxed);
	if (!v)
		return NULL;
	mm_segment_t *seg = (mm_segment_t *)((a & ~(uintptr_t)MM_SEG_MASK) - (v - 1) * MM_SEG_SIZE);
	if (seg->cookie != ((uintptr_t)seg ^ mm_secret))
		mm_fatal("corrupted segment header at", seg);
	return seg;
}

/* Block that contains p (which may be an aligned pointer inside it), or NULL if p is not the
 * start of an allocation of ours. */
void *mm_block_start(const void *p, mm_segment_t **segp, mm_page_t **pagep)
{
	mm_segment_t *seg = segment_lookup(p);
	if (!seg)
		return NULL;
	size_t i = seg->kind == MM_KIND_HUGE ? 0 : ((uintptr_t)p - (uintptr_t)seg) >> seg->page_shift;
	mm_page_t *page = &seg->pages[i];           /* a huge block may start a segment above */
	*segp = seg;
	*pagep = page;
	if (!page->in_use)
		return NULL;
	if (seg->kind == MM_KIND_HUGE)
		return p == page->start ? page->start : NULL;
	uintptr_t off = (uintptr_t)p - (uintptr_t)page->start;
	if (off >= page->area)
		return NULL;
	uintptr_t rem = off % page->block_size;
	if (rem && (rem % 16 || mm_word_get((const uintptr_t *)p - 1) != mm_aligned_mark(p)))
		return NULL;                          /* inside a block, never handed out */
	return page->start + (off - rem);
}

/* Everything the fast path does not handle: NULL, huge blocks, aligned pointers, bad input. */
static __attribute__((noinline)) void free_generic(void *p)
{
	if (!p)
		return;
	if (mm_is_span(p)) {
		if (!mm_grow_free(p))
			mm_span_free(p);
		return;
	}
	mm_segment_t *seg;
	mm_page_t *page;
	void *b = mm_block_start(p, &seg, &page);
	if (!b)
		mm_fatal("free(): invalid pointer", p);
	if (seg->kind == MM_KIND_HUGE) {
		mm_huge_free(seg);
		return;
	}
	if (b != p)
		mm_word_set((uintptr_t *)p - 1, 0);   /* the aligned pointer's mark goes with it */
	free_block(page, b);
}

void mm_free(void *p)
{
	mm_page_t *page = mm_block_page(p);
	if (mm_unlikely(!page)) {
		free_generic(p);
		return;
	}
	free_block(page, p);
}

/* Blocks of a size class whose size is a multiple of align are aligned: pages start on OS
 * pages. Otherwise over-allocate and hand out an inner address, marked in the word before it. */
void *mm_malloc_aligned(size_t size, size_t align)
{
	if (align <= 16)
		return mm_malloc_inline(size);
	if (align > PTRDIFF_MAX / 2 || size > PTRDIFF_MAX - align) {
		errno = ENOMEM;
		return NULL;
	}
	size_t n = size < align ? align : size;
	if (align <= MM_OS_PAGE && n <= MM_MEDIUM_MAX && mm_bin_size(mm_bin(n)) % align == 0)
		return mm_malloc_class(n, true);        /* a block of that class: aligned */
	if (size + align - 1 > MM_MEDIUM_MAX)
		return mm_huge_alloc(size, align, false);
	uint8_t *p = mm_malloc_inline(size + align - 1);
	if (!p)
		return NULL;
	uint8_t *q = (uint8_t *)(((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1));
	if (q != p)
		mm_word_set((uintptr_t *)q - 1, mm_aligned_mark(q)); /* in the gap: free(q) checks it */
	return q;
}

size_t mm_usable_size(const void *p)
{
	if (!p)
		return 0;
	if (mm_is_span(p))
		return mm_span_usable(p, "malloc_usable_size(): invalid pointer");
	mm_segment_t *seg;
	mm_page_t *page;
	uint8_t *b = mm_block_start(p, &seg, &page);
	if (!b)
		mm_fatal("malloc_usable_size(): invalid pointer", p);
	return page->block_size - (size_t)((const uint8_t *)p - b);
}
