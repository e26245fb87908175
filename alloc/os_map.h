/* Aligned anonymous mappings, shared by libmmalloc (segments, spans, heaps) and libmmpool
 * (slabs): mmap has no alignment argument, so a mapping align bytes larger is made and the slack
 * on both sides is unmapped, as the kernel's own thp_get_unmapped_area pads a request to find an
 * aligned range. */
#ifndef MM_OS_MAP_H
#define MM_OS_MAP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>

/* size bytes with protection prot, at an address a with (a + offset) % align == 0 (align a
 * power of two; extra: more mmap flags, such as MAP_NORESERVE); NULL when mmap fails, or when
 * the slack cannot be unmapped (the process's limit on mappings: a split makes one more). */
static inline void *mm_map_aligned_prot(size_t size, size_t align, size_t offset, int prot,
					int extra)
{
	if (size > PTRDIFF_MAX - align)
		return NULL;
	size_t len = size + align;
	char *p = mmap(NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS | extra, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	char *a = (char *)((((uintptr_t)p + offset + align - 1) & ~(uintptr_t)(align - 1)) - offset);
	char *end = p + len;                            /* of what is still mapped */
	if (a > p && munmap(p, (size_t)(a - p))) {
		munmap(p, len);                         /* one whole mapping: no split */
		return NULL;
	}
	if (a + size < end && munmap(a + size, (size_t)(end - (a + size)))) {
		munmap(a, (size_t)(end - a));
		return NULL;
	}
	return a;
}

/* size bytes, read-write (mm_map_aligned_prot). */
static inline void *mm_map_aligned(size_t size, size_t align, size_t offset, int extra)
{
	return mm_map_aligned_prot(size, align, offset, PROT_READ | PROT_WRITE, extra);
}
#endif
