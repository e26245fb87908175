/*
 * Permanent kernel mappings of HighMem pages (mm/highmem.c, arch/x86/include/asm/highmem.h,
 * pgtable_32_areas.h): on i386 a page above the direct map has no kernel address until kmap gives
 * it one of LAST_PKMAP slots in the pkmap area, one page table that every process's kernel half
 * shares. A slot's count is 0 when free, 1 when mapped but unused (its entry is cleared when the
 * slots wrap around: flush_all_zero_pkmaps), and 1 plus its users otherwise.
 */
#ifndef MMLAB_HIGHMEM_H
#define MMLAB_HIGHMEM_H

#include <mmlab/machine.h>

/* The pkmap area: a PMD's worth of slots (4 MiB, or 2 MiB with PAE), PMD-aligned, between the
 * vmalloc area's end and the fixmap. */
#define PKMAP_BASE		0xff800000UL
#define LAST_PKMAP_PAE		512
#define LAST_PKMAP_MAX		1024	/* without PAE: 4 MiB PMDs */

struct pkmap_state {
	struct page *pkmap_page_table;		/* the area's page table */
	unsigned int nr_slots;			/* LAST_PKMAP */
	unsigned int last_pkmap_nr;
	unsigned int pkmap_count[LAST_PKMAP_MAX];
	unsigned long pkmap_pfn[LAST_PKMAP_MAX];	/* the page in each slot with a count, plus 1 */
};

/* kmap: the page's kernel address: its direct-map address, or for a HighMem page a pkmap slot;
 * 0 when every slot is in use (the kernel would sleep until one is freed). */
unsigned long kmap(struct machine *m, struct page *page);
/* kunmap: one user of the page's mapping less; -EINVAL for a HighMem page kmap did not map. */
int kunmap(struct machine *m, struct page *page);
/* kmap_init: the pkmap state for the area's page table (permanent_kmaps_init); 0 or -ENOMEM. */
int kmap_init(struct machine *m, struct page *pkmap_page_table);
void kmap_exit(struct machine *m);

#endif
