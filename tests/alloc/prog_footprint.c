/* What a preloaded libmmalloc.so keeps resident of its .bss beyond the pages its file maps
 * (the tail of its data segment, anonymous memory): after small blocks and a string grown by
 * realloc to 300 KB (large blocks, so the span tables are set up too), prints the KiB of it
 * resident (mincore) before the segment map, which ends the segment, and the segment map's
 * pages resident; or "none" when the library is not loaded. */
#include <link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "../../alloc/malloc/internal.h"

static long bss_kib = -1, map_pages;

/* The library's writable PT_LOAD: its pages past the file's, each one resident or not. */
static int count_bss(struct dl_phdr_info *info, size_t size, void *arg)
{
	(void)size;
	(void)arg;
	if (!strstr(info->dlpi_name, "libmmalloc.so"))
		return 0;
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_W))
			continue;
		uintptr_t end = info->dlpi_addr + ph->p_vaddr + ph->p_memsz, map = end - MM_SEGMAP_SIZE;
		uintptr_t from = (info->dlpi_addr + ph->p_vaddr + ph->p_filesz + pg - 1) & ~(pg - 1);
		uintptr_t to = (end + pg - 1) & ~(pg - 1);
		size_t n = (to - from) / pg;
		unsigned char *vec = malloc(n);
		if (!vec || mincore((void *)from, to - from, vec))
			return 1;
		bss_kib = 0;
		for (size_t k = 0; k < n; k++) {
			if (!(vec[k] & 1))
				continue;
			if (from + k * pg < map)             /* a page the other variables touch */
				bss_kib += (long)(pg / 1024);
			else
				map_pages++;
		}
		free(vec);
	}
	return 1;
}

int main(void)
{
	void *small[64];
	for (int i = 0; i < 64; i++)
		small[i] = malloc(16 + (size_t)i * 40);
	char *s = NULL;
	for (size_t len = 0; len < 300000; len += 100) {
		s = realloc(s, len + 100);
		memset(s + len, 'x', 100);
	}
	dl_iterate_phdr(count_bss, NULL);
	if (bss_kib < 0)
		printf("none\n");
	else
		printf("%ld %ld\n", bss_kib, map_pages);
	free(s);
	for (int i = 0; i < 64; i++)
		free(small[i]);
	return 0;
}
