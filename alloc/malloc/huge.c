/* libmmalloc blocks above 64 KiB: spans of the span region (span.c), or, when they do not
 * fit there or need more than page alignment, a mapping of their own with a segment header in
 * front, like vmalloc's one-area-per-allocation. Such a mapping is charged to the commit limit
 * (no MAP_NORESERVE), as glibc's mmap of a large chunk is: the kernel's overcommit policy
 * decides, and under its heuristic a block larger than RAM and swap is refused (ENOMEM)
 * rather than handed out to fail when touched. */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include "internal.h"

_Atomic uint64_t mm_huge_count[4];

static size_t round_page(size_t n)
{
	return (n + MM_OS_PAGE - 1) & ~(size_t)(MM_OS_PAGE - 1);
}

/* Fills in the header of a huge mapping whose block starts at block. */
static void huge_setup(mm_segment_t *seg, void *base, size_t len, uint8_t *block)
{
	memset(seg, 0, offsetof(mm_segment_t, pages) + sizeof(mm_page_t));
	seg->cookie = (uintptr_t)seg ^ mm_secret;
	seg->kind = MM_KIND_HUGE;
	seg->page_shift = MM_SEG_SHIFT;
	seg->page_count = 1;
	seg->pages_used = 1;
	seg->map_base = base;
	seg->map_size = len;
	mm_page_t *page = &seg->pages[0];
	page->in_use = 1;
	page->start = block;
	page->block_size = (size_t)((uint8_t *)base + len - block); /* usable bytes */
	mm_global_link(seg, true);
	mm_segmap_set(block, block == (uint8_t *)seg + MM_SEG_SIZE ? 2 : 1);
}

/* Unmaps the tail of a huge mapping beyond what size needs, when it is more than a quarter of
 * the mapping and at least a segment. */
static void huge_trim(mm_segment_t *seg, size_t size)
{
	size_t keep = round_page((size_t)(seg->pages[0].start - (uint8_t *)seg) + size);
	size_t extra = seg->map_size - keep;
	if (extra < MM_SEG_SIZE || extra < seg->map_size / 4)
		return;
	munmap((uint8_t *)seg + keep, extra);
	atomic_fetch_sub_explicit(&mm_huge_count[2], extra, memory_order_relaxed);
	seg->map_size = keep;
	seg->pages[0].block_size -= extra;
}

/* A block above 64 KiB; zeroed if zero (a fresh mapping is). */
void *mm_huge_alloc(size_t size, size_t align, bool zero)
{
	if (size > PTRDIFF_MAX - MM_SEG_SIZE - align) {
		errno = ENOMEM;
		return NULL;
	}
	if (align <= MM_OS_PAGE) {                  /* spans start on OS pages */
		void *p = mm_span_alloc(size, zero);
		if (p)
			return p;
	}
	if (align < 16)
		align = 16;
	if (mm_unlikely(!mm_secret)) {              /* the process's first block: no secret yet */
		pthread_mutex_lock(&mm_global_lock);
		mm_init();
		pthread_mutex_unlock(&mm_global_lock);
	}
	/* block after the header; with align >= 4 MiB the header takes the segment below */
	size_t off = align < MM_SEG_SIZE ? (MM_SEG_HDR + align - 1) & ~(align - 1) : MM_SEG_SIZE;
	size_t seg_align = align < MM_SEG_SIZE ? MM_SEG_SIZE : align;
	size_t len = round_page(off + size);
	mm_segment_t *seg = mm_os_map(len, seg_align, align < MM_SEG_SIZE ? 0 : off,
					 PROT_READ | PROT_WRITE, 0);
	if (!seg) {
		errno = ENOMEM;
		return NULL;
	}
	huge_setup(seg, seg, len, (uint8_t *)seg + off);
	atomic_fetch_add_explicit(&mm_huge_count[0], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&mm_huge_count[2], seg->map_size, memory_order_relaxed);
	return seg->pages[0].start;
}

void mm_huge_free(mm_segment_t *seg)
{
	mm_segmap_set(seg->pages[0].start, 0);
	mm_global_link(seg, false);
	atomic_fetch_add_explicit(&mm_huge_count[1], 1, memory_order_relaxed);
	atomic_fetch_sub_explicit(&mm_huge_count[2], seg->map_size, memory_order_relaxed);
	munmap(seg->map_base, seg->map_size);
}

/* Grows a huge block: in place if the address space after it is free, else moved by the
 * kernel's page tables (mremap) to a new segment-aligned range: no copy. */
static void *huge_grow(mm_segment_t *seg, size_t size)
{
	size_t off = (size_t)(seg->pages[0].start - (uint8_t *)seg), old = seg->map_size;
	size_t want = round_page(off + size + size / 4);  /* 25% headroom for further growth */
	mm_global_link(seg, false);
	mm_segmap_set(seg->pages[0].start, 0);      /* the block's entry: above seg when aligned */
	void *to = mremap(seg, old, want, 0);
	if (to == MAP_FAILED) {
		void *dst = mm_os_map(want, MM_SEG_SIZE, 0, PROT_READ | PROT_WRITE, 0);
		to = dst ? mremap(seg, old, want, MREMAP_MAYMOVE | MREMAP_FIXED, dst)
			 : MAP_FAILED;
		if (to == MAP_FAILED) {
			if (dst)
				munmap(dst, want);
			huge_setup(seg, seg, old, seg->pages[0].start);
			return NULL;
		}
	}
	atomic_fetch_add_explicit(&mm_huge_count[2], want - old, memory_order_relaxed);
	seg = to;
	huge_setup(seg, seg, want, (uint8_t *)seg + off);
	return seg->pages[0].start;
}

void *mm_huge_realloc(mm_segment_t *seg, void *p, size_t size)
{
	if (size <= seg->pages[0].block_size) {
		huge_trim(seg, size);                 /* shrinks in place: never a copy */
		return p;
	}
	return size < PTRDIFF_MAX / 2 ? huge_grow(seg, size) : NULL; /* NULL: the caller copies */
}
