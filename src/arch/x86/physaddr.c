/* Kernel virtual addresses of physical memory (arch/x86/mm/physaddr.c, mm/highmem.c, memory_model.h). */
#include <mmlab/machine.h>

/* page_address: HighMem pages have no permanent kernel address (mm/highmem.c). */
unsigned long page_address(const struct machine *m, const struct page *page)
{
	if (PageHighMem(page))
		return 0;
	return phys_to_virt(m, page_to_phys(m, page));
}

/* virt_to_page: only direct-map addresses of lowmem have a page behind them (__pa). */
struct page *virt_to_page(const struct machine *m, unsigned long addr)
{
	if (addr < m->arch->page_offset || addr & ~PAGE_MASK)
		return NULL;
	unsigned long pfn = (addr - m->arch->page_offset) >> PAGE_SHIFT;
	if (!pfn_valid(m, pfn) || PageHighMem(pfn_to_page(m, pfn)) || pfn >= m->arch->max_low_pfn)
		return NULL;
	return pfn_to_page(m, pfn);
}

/* Where struct page of pfn 0 sits in the kernel's address space: vmemmap on x86_64; on i386, the
 * direct-map address of the mem_map array that boot placed in lowmem. */
static unsigned long mem_map_base(const struct machine *m)
{
	if (m->arch->vmemmap_base)
		return m->arch->vmemmap_base;
	return phys_to_virt(m, (uint64_t)m->memmap_pfn << PAGE_SHIFT);
}

unsigned long page_kaddr(const struct machine *m, const struct page *page)
{
	return mem_map_base(m) + page_to_pfn(m, page) * sizeof(struct page);
}

struct page *kaddr_to_page(const struct machine *m, unsigned long kaddr)
{
	unsigned long base = mem_map_base(m);

	if (kaddr < base || (kaddr - base) % sizeof(struct page))
		return NULL;
	unsigned long pfn = (kaddr - base) / sizeof(struct page);
	return pfn_valid(m, pfn) ? pfn_to_page(m, pfn) : NULL;
}
