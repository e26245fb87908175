/* libmmalloc segments: 4 MiB aligned chunks carved into pages (a buddy-like run allocator with
 * one page size per segment), the segment map that validates pointers, purging of free pages. */
#include <string.h>
#include <sys/mman.h>
#include "internal.h"

/* 1: a segment header here; 2: one segment below. In the large-data .bss, which the linker puts
 * after every file's .bss: the library's small variables share the pages before it. */
__attribute__((section(".lbss"))) _Atomic uint8_t mm_segmap[MM_SEGMAP_SIZE];
struct list_head mm_all_segments = LIST_HEAD_INIT(mm_all_segments);
static struct list_head seg_cache = LIST_HEAD_INIT(seg_cache); /* empty, purged segments */

void mm_segmap_set(const void *p, uint8_t v)
{
	atomic_store_explicit(&mm_segmap[(uintptr_t)p >> MM_SEG_SHIFT], v, memory_order_release);
}

/* Adds or removes a segment on the global list that statistics walk. */
void mm_global_link(mm_segment_t *seg, bool add)
{
	pthread_mutex_lock(&mm_global_lock);
	if (add)
		list_add(&seg->all_list, &mm_all_segments);
	else
		__list_del_entry(&seg->all_list);
	pthread_mutex_unlock(&mm_global_lock);
}

/* Makes heap the owner of seg (a new, cached or reclaimed segment). */
void mm_segment_adopt(mm_heap_t *heap, mm_segment_t *seg)
{
	seg->heap = heap;
	list_add(&seg->heap_list, &heap->segs);
	if (seg->free_mask)
		list_add(&seg->list, &heap->avail[seg->kind]);
}

/* Takes seg off heap's lists: it has no owner (the reverse of mm_segment_adopt). */
void mm_segment_disown(mm_segment_t *seg)
{
	__list_del_entry(&seg->heap_list);
	if (seg->free_mask)
		__list_del_entry(&seg->list);
	seg->heap = NULL;
}

/* A segment for pages of the kind: from the cache of empty ones, or freshly mapped. */
static mm_segment_t *segment_new(mm_heap_t *heap, enum mm_kind kind)
{
	pthread_mutex_lock(&mm_global_lock);
	mm_segment_t *seg = mm_segment_first(&seg_cache);
	if (seg)
		__list_del_entry(&seg->list);
	pthread_mutex_unlock(&mm_global_lock);
	/* A cached segment's fields are cleared; its page descriptors are zeros already (each was
	 * cleared when its page was freed, and the header's pages after the first were purged):
	 * they stay untouched until their pages are used, as in a fresh mapping, which is zeros. */
	if (seg)
		memset(seg, 0, offsetof(mm_segment_t, pages));
	else if (!(seg = mm_os_map(MM_SEG_SIZE, MM_SEG_SIZE, 0, PROT_READ | PROT_WRITE, MAP_NORESERVE)))
		return NULL;
	seg->cookie = (uintptr_t)seg ^ mm_secret;
	seg->kind = (uint8_t)kind;
	seg->page_shift = (uint8_t)mm_kind_shift(kind);
	seg->page_count = (uint32_t)(MM_SEG_SIZE >> seg->page_shift);
	seg->free_mask = seg->page_count == 64 ? ~0ull : (1ull << seg->page_count) - 1;
	mm_global_link(seg, true);
	mm_segmap_set(seg, 1);
	mm_segment_adopt(heap, seg);
	return seg;
}

/* Takes a free page of the kind from the heap's segments (committed ones first). */
mm_page_t *mm_segment_page_alloc(mm_heap_t *heap, enum mm_kind kind)
{
	mm_segment_t *seg = mm_segment_first(&heap->avail[kind]);
	if (!seg && mm_heap_reclaim(heap))         /* pages of exited threads first */
		seg = mm_segment_first(&heap->avail[kind]);
	if (!seg && !(seg = segment_new(heap, kind)))
		return NULL;
	uint64_t warm = seg->free_mask & seg->dirty_mask;
	unsigned i = (unsigned)__builtin_ctzll(warm ? warm : seg->free_mask);
	seg->free_mask &= ~(1ull << i);
	seg->dirty_mask &= ~(1ull << i);
	seg->pages_used++;
	if (!seg->free_mask)
		__list_del_entry(&seg->list);             /* no longer available */
	mm_page_t *page = &seg->pages[i];
	page->in_use = 1;
	return page;
}

/* Bytes of page i that blocks may use: page 0 starts after the segment header. */
uint8_t *mm_page_area(mm_segment_t *seg, unsigned i, size_t *len)
{
	size_t skip = i ? 0 : MM_SEG_HDR;
	*len = ((size_t)1 << seg->page_shift) - skip;
	return (uint8_t *)seg + ((size_t)i << seg->page_shift) + skip;
}

/* madvise()s every run of dirty free pages. */
static void segment_purge(mm_segment_t *seg)
{
	uint64_t m = seg->dirty_mask & seg->free_mask;
	while (m) {
		unsigned i = (unsigned)__builtin_ctzll(m);
		uint64_t rest = ~(m >> i);             /* first zero above i ends the run */
		unsigned n = rest ? (unsigned)__builtin_ctzll(rest) : 64;
		size_t len;
		uint8_t *start = mm_page_area(seg, i, &len);
		mm_os_purge(start, len + (((size_t)n - 1) << seg->page_shift));
		m = i + n >= 64 ? 0 : m & (~0ull << (i + n));
	}
	seg->dirty_mask = 0;
}

/* Sets the heap's purge deadline, MM_PURGE_MS from now, unless one is set already. */
void mm_heap_purge_later(mm_heap_t *heap)
{
	if (!heap->purge_at)
		heap->purge_at = mm_clock_ms() + MM_PURGE_MS;
}

/* Purges the heap's dirty free pages once their deadline has passed (or now, when forced). */
void mm_heap_purge(mm_heap_t *heap, bool force)
{
	if (!heap->purge_at || (!force && mm_clock_ms() < heap->purge_at))
		return;
	mm_heap_retire_idle(heap);
	mm_grow_release(heap);
	mm_segment_t *seg;
	list_for_each_entry(seg, &heap->segs, heap_list)
		segment_purge(seg);
	heap->purge_at = 0;
}

/* Large blocks grew to their high-water mark (span.c), so the process may be nearing its
 * peak: the calling thread's heap gives its empty pages back now, not at their deadline, so
 * that they are not part of it. Only its own heap: another thread's changes under its owner. */
void mm_heap_purge_now(void)
{
	mm_heap_t *heap = mm_tls_heap;
	if (!heap->purge_at)
		return;
	mm_heap_write_begin(heap);
	mm_heap_purge(heap, true);
	mm_heap_write_end(heap);
}

/* An empty segment leaves its heap: purged, all but the header page that links it into the
 * cache, and kept mapped for the next segment_new (jemalloc's retain). It is never unmapped:
 * a remote free that published its block just before the last page went reads the page's
 * in_full and owner right after (page_thread_free), and must read a mapping of ours. */
static void segment_release(mm_segment_t *seg)
{
	if (seg->heap)
		mm_segment_disown(seg);
	mm_segmap_set(seg, 0);
	mm_global_link(seg, false);
	segment_purge(seg);
	mm_os_purge((uint8_t *)seg + MM_OS_PAGE, MM_SEG_HDR - MM_OS_PAGE);
	pthread_mutex_lock(&mm_global_lock);
	list_add(&seg->list, &seg_cache);
	pthread_mutex_unlock(&mm_global_lock);
}

/* Gives a page back to its segment; the segment goes when its last page does. */
void mm_segment_page_free(mm_heap_t *heap, mm_page_t *page)
{
	mm_segment_t *seg = mm_segment_of(page);
	unsigned i = (unsigned)(page - seg->pages);
	memset(page, 0, sizeof(*page));
	if (!seg->free_mask && seg->heap)
		list_add(&seg->list, &seg->heap->avail[seg->kind]);   /* available again */
	seg->free_mask |= 1ull << i;
	seg->dirty_mask |= 1ull << i;
	if (--seg->pages_used == 0) {
		segment_release(seg);
		return;
	}
	if (heap)
		mm_heap_purge_later(heap);
}
