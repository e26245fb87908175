/* libmmalloc free(): pointer validation through the segment map and the out-of-band page
 * descriptors, double-free detection, local and cross-thread frees; aligned allocation. */
#include <errno.h>
#include "internal.h"
#include "malloc_inline.h"

/* Gives the n blocks first..last (linked) back to their page: one CAS onto its thread_free
 * list; a full page's owner is told to look at it. */
static void page_thread_free(mm_page_t *page, mm_block_t *first, mm_block_t *last, uint32_t n)
{
	uintptr_t tf = atomic_load_explicit(&page->thread_free, memory_order_relaxed);
	do {
		mm_block_set_next(last, mm_tf_list(tf));
	} while (!atomic_compare_exchange_weak(&page->thread_free, &tf, /* seq_cst */
					       (uintptr_t)first | ((tf & ~MM_TF_LIST) + ((uintptr_t)n << MM_TF_SHIFT))));
	if (mm_unlikely(atomic_load(&page->in_full))) {  /* seq_cst: pairs with page_to_full */
		mm_heap_t *owner = atomic_load_explicit(&page->owner, memory_order_acquire);
		if (owner)
			atomic_store_explicit(&owner->full_dirty, 1, memory_order_relaxed);
	}
}

/* Gives a foreign list back to the pages of its blocks, a CAS per run of blocks of one page.
 * The list is emptied first: a fork's copy of a heap caught in the middle loses the rest of
 * it (those blocks stay in use), never hands a block back twice. */
void mm_foreign_flush(mm_page_t *f)
{
	mm_block_t *b = f->free;
	if (!b && !f->used)
		return;                              /* nothing to do: no store (an unused list) */
	f->free = NULL;
	f->used = 0;
	atomic_signal_fence(memory_order_release);
	while (b) {
		mm_page_t *page = mm_page_of(b);
		mm_block_t *first = b, *last = b;
		uint32_t n = 1;
		for (b = mm_block_next(b); b && mm_page_of(b) == page; b = mm_block_next(b), n++)
			last = b;
		page_thread_free(page, first, last, n);
	}
}

/* A foreign list is set up on its first block: the memory of the lists a thread never uses
 * (most of its bins) is never written, and stays uncommitted (heap slots are mapped zeroed, and
 * a reused heap's lists were set up by its last thread). */
static void foreign_setup(mm_page_t *f, size_t bin)
{
	f->bin = (uint8_t)bin;
	f->reserved = mm_foreign_limit(bin);
}

/* A free of another heap's block: a small one joins our foreign list of its bin, which malloc
 * takes from next (the block is in our cache), if we allocate blocks of that bin (have a page
 * of it): a thread that only frees (a consumer) would hold them from their owner for nothing,
 * and so would a thread past its heap (the sentinel heaps hold no page). Others go back to
 * their page at once. */
static __attribute__((noinline)) void free_remote(mm_block_t *b, mm_page_t *page, mm_heap_t *heap)
{
	size_t bin = page->bin_remote;
	if (bin >= MM_DIRECT_BINS || list_empty(&heap->pages[bin])) {
		page_thread_free(page, b, b, 1);
		return;
	}
	mm_page_t *f = &heap->foreign[bin];
	if (mm_unlikely(!f->reserved))
		foreign_setup(f, bin);
	mm_block_set_next(b, f->free);
	atomic_signal_fence(memory_order_release);   /* linked before published (a fork's copy) */
	f->free = b;
	if (--f->used < f->reserved)             /* more than MM_FOREIGN_MAX bytes of blocks */
		mm_foreign_flush(f);
	else
		mm_set_direct(heap, bin, f);
}

/* Marks a block free and pushes it onto its page's free list (the owner: the next malloc of
 * the class takes it back while it is in cache) or hands it to the remote path (another
 * thread). Every call below is a tail call: the fast path saves no registers. */
static inline void free_push(mm_page_t *page, mm_block_t *b)
{
	mm_heap_t *heap = mm_tls_heap;
	mm_word_set(&b->mark, mm_free_mark(b));
	if (mm_likely(atomic_load_explicit(&page->owner, memory_order_relaxed) == heap)) {
		mm_block_set_next(b, page->free);        /* LIFO: the next malloc gets it, in cache */
		atomic_signal_fence(memory_order_release); /* linked before published (a fork's copy) */
		page->free = b;
		if (mm_unlikely(--page->used == 0 ||
				atomic_load_explicit(&page->in_full, memory_order_relaxed)))
			mm_page_free_slow(heap, page);
		return;
	}
	free_remote(b, page, heap);   /* in the registers mm_free has them in */
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
	uintptr_t a = (uintptr_t)p;
	if (mm_unlikely((a >> MM_SEG_SHIFT) >= MM_SEGMAP_SIZE ||
			atomic_load_explicit(&mm_segmap[a >> MM_SEG_SHIFT], memory_order_relaxed) != 1)) {
		free_generic(p);
		return;
	}
	mm_page_t *page = mm_page_of(p);
	uint64_t off = a - (uintptr_t)page->start;
	/* one compare and one multiply: inside the page's blocks and at a block start */
	if (mm_unlikely(off >= page->area || off * page->magic > page->magic - 1)) {
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
