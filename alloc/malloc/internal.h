/* libmmalloc internals. Memory comes in 4 MiB segments aligned to their size; a segment is cut
 * into pages of one size (64 KiB or 512 KiB), each page holds blocks of one
 * size class, like a slab of a kmem_cache. The page descriptors sit in the segment header, out of
 * band: free() finds them by masking the pointer. Each thread allocates from its own heap; a free
 * by another thread goes to that thread's foreign list of the size class (reused by its next
 * mallocs), and from there in batches to the page's atomic thread_free list (mimalloc's
 * free-list sharding). */
#ifndef MMALLOC_INTERNAL_H
#define MMALLOC_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "mmlab/list.h"
#include "../os_map.h"
#include "../thread_reap.h"
#include "../track.h"

/* Everything declared below is the library's own: the compiler may address its data directly,
 * not through the GOT (one load less on the fast paths). */
#pragma GCC visibility push(hidden)

#define MM_SEG_SHIFT   22
#define MM_SEG_SIZE    ((size_t)1 << MM_SEG_SHIFT)
#define MM_SEG_MASK    (MM_SEG_SIZE - 1)
#define MM_SEGMAP_SIZE ((size_t)1 << (47 - MM_SEG_SHIFT)) /* one byte per segment of user space */
#define MM_OS_PAGE     4096u
#define MM_PAGES_MAX   64                 /* pages in a small-page segment */

#define MM_DIRECT_MAX  1024               /* sizes served by heap->direct[] */
#define MM_DIRECT      (MM_DIRECT_MAX / 16 + 1)
#define MM_DIRECT_BINS (MM_DIRECT - 1)    /* bins served through direct[]: the small bins */
#define MM_FOREIGN_MAX 4096               /* bytes of other heaps' blocks kept per small bin */
#define MM_SMALL_MAX   (8u << 10)         /* largest block of a 64 KiB page */
#define MM_MEDIUM_MAX  (64u << 10)        /* largest block of a 512 KiB page */
#define MM_BORROW_KEEP 4                  /* free blocks a page lends none of (page.c) */
#define MM_BORROW_PAGES 4                 /* pages of a larger class looked at for one */
#define MM_BINS        88                 /* size classes: 16-byte steps to 1 KiB, then 4 per 2x */
#define MM_PURGE_MS    50                 /* free pages stay committed this long */
#define MM_FREED_SHARE 4                  /* a page's 1/n of blocks freed remotely: noted (page.c) */
#define MM_FREED_SLOTS 4                  /* pages noted per small bin */
#define MM_SPAN_REGION ((size_t)4 << 30)  /* address space reserved for large blocks (span.c) */

#define mm_likely(x)   __builtin_expect(!!(x), 1)
#define mm_unlikely(x) __builtin_expect(!!(x), 0)
#define MM_EXPORT      __attribute__((visibility("default")))
/* A cold path reached by a tail call from a fast path: gcc must not learn that it never
 * returns (noipa), or the fast path keeps a stack frame for a call that does not return. */
#ifdef __clang__
#define MM_COLD_TAIL   __attribute__((noinline, cold))
#else
#define MM_COLD_TAIL   __attribute__((noipa, cold))
#endif

enum mm_kind { MM_KIND_SMALL, MM_KIND_MEDIUM, MM_KIND_HUGE };

/* A free block: the list link, and a mark that says "this block is free" (double-free check). */
typedef struct mm_block_s {
	struct mm_block_s *next;
	uintptr_t mark;
} mm_block_t;

struct mm_heap_s;

/* A page: one size class, blocks handed out by one owning heap. Two cache lines: the first
 * is the owner's (malloc's fast path writes it), the second is read by every free and written
 * only by remote frees, so that frees from other threads do not steal the owner's line. */
typedef struct mm_page_s {
	struct list_head list;               /* on the heap's queue for the bin, or its full list;
					      * first: an entry's address is its page's */
	mm_block_t *free;                    /* blocks for the owner to hand out; its frees, LIFO */
	uint32_t used;                       /* blocks out, minus frees the owner has seen */
	uint32_t capacity;                   /* blocks carved so far (the page is extended lazily) */
	uint32_t reserved;                   /* blocks that fit */
	uint8_t bin;
	_Alignas(64) uint8_t *start;         /* first block */
	size_t area;                         /* capacity * block_size: carved; 0: none (or huge) */
	uint64_t magic;                      /* ceil(2^64 / block_size): offset % size == 0 test */
	size_t block_size;
	_Atomic(struct mm_heap_s *) owner;   /* heap that allocates from it; NULL: abandoned */
	_Atomic uintptr_t thread_free;       /* frees by other threads: list head | count << 48 */
	_Atomic uint8_t in_full;             /* on the heap's full list (remote frees notify) */
	uint8_t in_use;                      /* carved out of the segment */
	uint8_t bin_remote;                  /* for remote frees, which read only this line: the
					      * bin's foreign list (mm_foreign_index) */
	uint16_t note_at;                    /* thread_free's count at which other heaps are told
					      * of the page (page.c: a quarter of the blocks that
					      * fit; small bins only, else 0: never) */
} mm_page_t;

typedef struct mm_segment_s {
	uintptr_t cookie;                    /* address ^ mm_secret: checked on the slow paths */
	uint8_t kind;
	uint8_t page_shift;
	uint32_t page_count;
	uint32_t pages_used;
	uint64_t free_mask;                  /* pages not in use */
	uint64_t dirty_mask;                 /* free pages still committed (not purged) */
	void *map_base;                      /* huge: start of the mapping */
	size_t map_size;                     /* huge: bytes mapped */
	struct mm_heap_s *heap;              /* owner; NULL when abandoned or cached */
	struct list_head list;               /* heap->avail[kind], the abandoned list or the cache */
	struct list_head heap_list;          /* heap->segs */
	struct list_head all_list;           /* mm_all_segments: every segment (statistics) */
	mm_page_t pages[MM_PAGES_MAX];
} mm_segment_t;

#define MM_SEG_HDR (((sizeof(mm_segment_t) + MM_OS_PAGE - 1) / MM_OS_PAGE) * MM_OS_PAGE)

/* A thread's heap (the per-CPU part of a kmem_cache, per thread here). */
typedef struct mm_heap_s {
	mm_page_t *direct[MM_DIRECT + 1];    /* size/16 -> page to allocate from (fast path); the
					      * last entry is written, never read (free.c) */
	/* Page queues (on mm_page_t.list): per bin the pages with (possibly) free blocks, malloc's
	 * at the front; the pages found full. Empty in the sentinel heap too (heap.c). */
	struct list_head pages[MM_BINS];
	struct list_head full;
	_Atomic int full_dirty;              /* a remote free hit a page on the full list */
	struct list_head avail[2];           /* owned segments with a free page, per kind (list) */
	struct list_head segs;               /* every owned segment (heap_list) */
	uint64_t purge_at;                   /* ms deadline to purge dirty free pages; 0: none */
	_Atomic uint8_t changing;            /* the owner is changing its queues (slow paths) */
	bool grow_idle;                      /* grow's block was freed: the span is the heap's */
	uintptr_t grow;                      /* the span of the block its thread grows by realloc,
					      * as a key (grow.c); 0: none */
	uint64_t nmalloc[MM_BINS];           /* allocations per bin (statistics) */
	/* Blocks of other heaps' pages this thread freed, kept per small bin for its own next
	 * mallocs (they are in its cache), as tcmalloc's thread caches keep them; given back to
	 * their pages in batches past MM_FOREIGN_MAX bytes; and blocks other threads freed to
	 * another heap's page, taken for its mallocs (page.c's freed pages). Only free, used
	 * (room: blocks it takes before it is given back), reserved (blocks it holds at most,
	 * more while it hands out what it took from a page; 0: not set up) and
	 * bin are used: direct[] points here while the list has blocks. The array follows the heap
	 * in its slot (heap.c), so that the sentinel heap stays small; its last entry, never set
	 * up, stands for the bins above the small ones. */
	mm_page_t *foreign;                  /* [MM_DIRECT_BINS + 1] */
	uint64_t foreign_mask;               /* lists set up, a bit per small bin: free() chooses
					      * without a branch while one is; no other list is read */
	struct mm_heap_s *next_free;         /* on the pool of unused heaps */
	/* On the list of thread heaps with its thread's kernel tid, read when the heap is made
	 * (again in a fork child), where other threads look for one whose thread is gone (heap.c);
	 * tid 0 once abandoned, and for the late heap, which has no thread. mm_global_lock. */
	struct mm_thread_link thread;
	struct mm_heap_s *all_next;          /* every heap ever made (statistics) */
} __attribute__((aligned(64))) mm_heap_t; /* no false sharing between heaps */

extern mm_page_t mm_page_empty;
extern mm_heap_t mm_heap_empty;
extern __thread mm_heap_t *mm_tls_heap;
extern __thread bool mm_tls_done;        /* the thread's heap was abandoned at its exit */
extern uintptr_t mm_secret;
extern _Atomic uint8_t mm_segmap[MM_SEGMAP_SIZE];
extern pthread_mutex_t mm_global_lock;   /* segment cache, abandoned and global lists, heaps */
extern pthread_mutex_t mm_late_lock;     /* the late heap (heap.c); taken before mm_global_lock */
extern struct list_head mm_all_segments;
extern mm_heap_t *mm_all_heaps;
extern _Atomic uint64_t mm_huge_count[4]; /* huge allocations, frees, bytes live, and bytes of
					   * spans kept by heaps for their growing block */
extern _Atomic int64_t mm_bin_pages[MM_BINS];
extern _Atomic uintptr_t mm_span_base;    /* start of the span region, for lock-free readers */

/* Size classes. */
static inline size_t mm_bin(size_t n)
{
	if (n <= MM_DIRECT_MAX)
		return n ? (n - 1) >> 4 : 0;
	size_t w = n - 1;
	unsigned e = 63u - (unsigned)__builtin_clzll(w); /* w in [2^e, 2^(e+1)) */
	return 64 + (e - 10) * 4 + ((w >> (e - 2)) & 3);
}

static inline size_t mm_bin_size(size_t bin)
{
	if (bin < 64)
		return (bin + 1) * 16;
	size_t e = (bin - 64) / 4 + 10, m = (bin - 64) % 4;
	return (5 + m) << (e - 2);
}

static inline enum mm_kind mm_bin_kind(size_t bin)
{
	size_t s = mm_bin_size(bin);
	return s <= MM_SMALL_MAX ? MM_KIND_SMALL : MM_KIND_MEDIUM;
}

/* The page size of a segment kind, as a shift: 64 KiB small pages, 512 KiB medium ones. */
static inline unsigned mm_kind_shift(enum mm_kind kind)
{
	return kind == MM_KIND_SMALL ? 16 : 19;
}

/* The allocator's words inside blocks the user does not hold: a free block's link and mark, the
 * mark before an aligned pointer. The valgrind build opens them to memcheck only while it reads
 * or writes them, so that a user's access to a block that is not theirs is reported. */
static inline mm_block_t *mm_block_next(const mm_block_t *b)
{
	mm_track_defined(&b->next, sizeof(b->next));
	mm_block_t *next = b->next;
	mm_track_noaccess(&b->next, sizeof(b->next));
	return next;
}

static inline void mm_block_set_next(mm_block_t *b, mm_block_t *next)
{
	mm_track_defined(&b->next, sizeof(b->next));
	b->next = next;
	mm_track_noaccess(&b->next, sizeof(b->next));
}

static inline uintptr_t mm_word_get(const uintptr_t *w)
{
	mm_track_defined(w, sizeof(*w));
	uintptr_t v = *w;
	mm_track_noaccess(w, sizeof(*w));
	return v;
}

static inline void mm_word_set(uintptr_t *w, uintptr_t v)
{
	mm_track_defined(w, sizeof(*w));
	*w = v;
	mm_track_noaccess(w, sizeof(*w));
}

/* The page's thread_free word: the list of blocks freed by other threads and, in the bits above
 * user-space addresses, how many they are, so that the owner takes them in O(1). */
#define MM_TF_SHIFT 48
#define MM_TF_LIST  (((uintptr_t)1 << MM_TF_SHIFT) - 1)

static inline mm_block_t *mm_tf_list(uintptr_t tf)
{
	return (mm_block_t *)(tf & MM_TF_LIST);
}

static inline uint32_t mm_tf_count(uintptr_t tf)
{
	return (uint32_t)(tf >> MM_TF_SHIFT);
}

static inline uintptr_t mm_free_mark(const void *b)
{
	return (uintptr_t)b ^ mm_secret;       /* a segment's cookie is its own address's: no
					        * block starts a segment, so none is confused */
}

/* The word before an aligned pointer handed out inside a block: says it is one (no free mark
 * equals it: their addresses would differ in every bit). */
static inline uintptr_t mm_aligned_mark(const void *q)
{
	return (uintptr_t)q ^ ~mm_secret;
}

static inline mm_segment_t *mm_segment_of(const void *p)
{
	return (mm_segment_t *)((uintptr_t)p & ~(uintptr_t)MM_SEG_MASK);
}

/* The page of a block of a small or medium segment. */
static inline mm_page_t *mm_page_of(const void *p)
{
	mm_segment_t *seg = mm_segment_of(p);
	size_t i = ((uintptr_t)p & MM_SEG_MASK) >> seg->page_shift;
	return (mm_page_t *)((uintptr_t)seg->pages + i * sizeof(mm_page_t)); /* one address sum */
}

/* The page of p when p starts a block of a small or medium page, else NULL (a huge block, an
 * aligned pointer inside a block, a pointer not ours): the fast paths of free and realloc, one
 * load of the segment map, one compare and one multiply (offset % size == 0 by the page's
 * magic, as a page's offsets are below 2^32). */
static inline mm_page_t *mm_block_page(const void *p)
{
	uintptr_t a = (uintptr_t)p;
	if (mm_unlikely((a >> MM_SEG_SHIFT) >= MM_SEGMAP_SIZE ||
			atomic_load_explicit(&mm_segmap[a >> MM_SEG_SHIFT], memory_order_relaxed) != 1))
		return NULL;
	mm_page_t *page = mm_page_of(p);
	uint64_t off = a - (uintptr_t)page->start;
	if (mm_unlikely(off >= page->area || off * page->magic > page->magic - 1))
		return NULL;                          /* area is 0 in a huge segment's page */
	return page;
}

/* The first segment of a list on mm_segment_t.list (heap->avail[kind], the cache of empty
 * segments, the abandoned list); NULL when it is empty. */
static inline mm_segment_t *mm_segment_first(const struct list_head *list)
{
	return list_first_entry_or_null(list, mm_segment_t, list);
}

/* A heap of a running thread, not the sentinel of a thread before its first malloc or after
 * its heap was abandoned at exit (mm_heap_empty). */
static inline bool mm_heap_live(const mm_heap_t *heap)
{
	return heap != &mm_heap_empty;
}

/* The owner starts changing its page queues and segments: while the flag is set (a seqcount's
 * odd count, write_seqcount_begin), a copy of the heap in a fork child may be caught between
 * two stores, and is never reaped. The fast paths' and the foreign lists' single pushes and
 * pops need no flag: a block is linked before it is published, and a copy caught between two
 * of their stores miscounts by one (a block kept in use, or a page kept), never hands a block
 * out twice. */
static inline void mm_heap_write_begin(mm_heap_t *heap)
{
	atomic_store_explicit(&heap->changing, 1, memory_order_relaxed);
	atomic_thread_fence(memory_order_release);   /* smp_wmb: the flag before the queues */
}

/* The owner is done changing its page queues and segments (write_seqcount_end). */
static inline void mm_heap_write_end(mm_heap_t *heap)
{
	atomic_store_explicit(&heap->changing, 0, memory_order_release);
}

/* Blocks on a heap's foreign list: what it may hold less the room left. */
/* The heap's foreign list of the bin if it is set up, else NULL. A list never set up is never
 * read: where the kernel maps no zero page for a read of untouched memory, a read would commit
 * it, and most of a heap's lists never are. */
static inline mm_page_t *mm_foreign_list(const mm_heap_t *heap, size_t bin)
{
	return bin < MM_DIRECT_BINS && (heap->foreign_mask >> bin & 1) ? &heap->foreign[bin] : NULL;
}

static inline uint32_t mm_foreign_count(const mm_page_t *f)
{
	return f->reserved - f->used;
}

/* Blocks a foreign list of the bin holds at most: MM_FOREIGN_MAX bytes of them. */
static inline uint32_t mm_foreign_limit(size_t bin)
{
	return (uint32_t)(MM_FOREIGN_MAX / mm_bin_size(bin));
}

/* The foreign list that a page's blocks join when another thread frees them: its bin's for
 * the small bins, the last (never set up: such frees go to the page) for the others. */
static inline uint8_t mm_foreign_index(size_t bin)
{
	return (uint8_t)(bin < MM_DIRECT_BINS ? bin : MM_DIRECT_BINS);
}

/* Points the fast path's direct[] entries of a small bin at the page. */
static inline void mm_set_direct(mm_heap_t *heap, size_t bin, mm_page_t *page)
{
	if (bin >= MM_DIRECT_BINS)
		return;
	heap->direct[bin + 1] = page;
	if (bin == 0)
		heap->direct[0] = page;              /* malloc(0) uses the 16-byte bin */
}

/* os.c */
void *mm_os_map(size_t size, size_t align, size_t offset, int prot, int extra);
void mm_os_purge(void *p, size_t size);
uint64_t mm_clock_ms(void);
void *mm_vdso_func(const char *name);
_Noreturn __attribute__((cold)) void mm_fatal(const char *what, const void *p);
void mm_init(void);
int mm_overcommit_memory(void);

/* segment.c */
mm_page_t *mm_segment_page_alloc(mm_heap_t *heap, enum mm_kind kind);
void mm_segment_page_free(mm_heap_t *heap, mm_page_t *page);
void mm_segmap_set(const void *p, uint8_t v);
uint8_t *mm_page_area(mm_segment_t *seg, unsigned i, size_t *len);
void mm_heap_purge_later(mm_heap_t *heap);
void mm_heap_purge(mm_heap_t *heap, bool force);
void mm_heap_purge_now(void);
void mm_segment_adopt(mm_heap_t *heap, mm_segment_t *seg);
void mm_segment_disown(mm_segment_t *seg);
void mm_global_link(mm_segment_t *seg, bool add);

/* page.c */
void *mm_malloc_generic(mm_heap_t *heap, size_t size, bool exact);
void *mm_heap_malloc(mm_heap_t *heap, size_t size, bool exact);
void *mm_calloc_huge(size_t size);
void mm_page_collect(mm_page_t *page);
void mm_page_free_slow(mm_heap_t *heap, mm_page_t *page);
void mm_heap_queue_page(mm_heap_t *heap, mm_page_t *page);
void mm_heap_retire_idle(mm_heap_t *heap);
void mm_page_note_freed(mm_page_t *page, size_t bin);

/* heap.c */
mm_heap_t *mm_heap_init_thread(void);
void *mm_heap_malloc_late(size_t size, bool exact);
bool mm_heap_reclaim(mm_heap_t *heap);
void mm_heap_fork_child(void);

/* check.c: a heap's invariants, checked on its slow paths when built with -DMM_CHECK */
#ifdef MM_CHECK
void mm_heap_check(const mm_heap_t *heap);
#else
static inline void mm_heap_check(const mm_heap_t *heap)
{
	(void)heap;
}
#endif

/* huge.c */
void *mm_huge_alloc(size_t size, size_t align, bool zero);
void mm_huge_free(mm_segment_t *seg);
void *mm_huge_realloc(mm_segment_t *seg, void *p, size_t size);

/* span.c */
void *mm_span_alloc(size_t size, bool zero);
void mm_span_free(void *p);
void mm_span_keep(void *p);
void mm_span_reuse(void *p);
void mm_span_free_kept(void *p);
size_t mm_span_usable(const void *p, const char *what);
size_t mm_span_usable_kept(const void *p);
bool mm_span_resize(void *p, size_t size);

/* Whether p is in the span region: one subtraction and compare (an address above user space
 * stands for the region until it is set up, so that no pointer is taken for a span). */
static inline bool mm_is_span(const void *p)
{
	return (uintptr_t)p - atomic_load_explicit(&mm_span_base, memory_order_relaxed) < MM_SPAN_REGION;
}

/* grow.c: the block a thread grows by realloc */
void *mm_grow_start(size_t size);
void *mm_grow_move(size_t size);
bool mm_grow_busy(const void *p);
bool mm_grow_free(void *p);
void mm_grow_release(mm_heap_t *heap);

/* free.c */
void mm_free(void *p);
void mm_foreign_flush(mm_page_t *f);
mm_page_t *mm_foreign_setup(mm_heap_t *heap, size_t bin);
void mm_page_thread_free(mm_page_t *page, mm_block_t *first, mm_block_t *last, uint32_t n);
void mm_foreign_retire(mm_heap_t *heap, size_t bin);
void *mm_malloc_aligned(size_t size, size_t align);
size_t mm_usable_size(const void *p);
void *mm_block_start(const void *p, mm_segment_t **segp, mm_page_t **pagep);
#pragma GCC visibility pop
#endif
