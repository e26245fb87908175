/*
 * The kernel half of the page tables (arch/x86/mm/init.c, init_64.c, init_32.c, head_64.S,
 * Documentation/arch/x86/x86_64/mm.rst): swapper_pg_dir, the top table of init_mm, maps
 *  - the direct map of RAM at PAGE_OFFSET (0xffff888000000000, 0xff11000000000000 with la57,
 *    0xc0000000 on i386 up to 896 MiB): the first MiB in 4 KiB pages, each e820 RAM range above it
 *    split into 4 KiB, 2 MiB (4 MiB on i386 without PAE) and 1 GiB pages by alignment
 *    (split_mem_range), Global and NX (where NX exists);
 *  - on x86_64 the kernel image at __START_KERNEL_map (0xffffffff80000000 + its physical address)
 *    with 2 MiB executable pages (mark_rodata_ro's later split into text/rodata/data permissions
 *    is not modelled);
 *  - on i386 the pkmap area, a page table whose entries kmap fills (mm/highmem.c).
 * swapper_pg_dir and the text mapping's tables are pages of the kernel image (head_64.S); the
 * direct map's tables come from memblock at boot, reserved (counted in the Memory: line's
 * reserved, not in PageTables), as alloc_low_pages takes them. Every process's pgd copies the
 * kernel entries (pgd_ctor), so that all of them share these tables. The vmalloc area has no page
 * tables here: vmalloc'ed memory is reached through its pages, and a walk of a vmalloc address
 * finds nothing mapped.
 */
#include <string.h>

#include <mmlab/highmem.h>
#include <mmlab/pgtable.h>

#include "x86.h"

#define SZ_1M_		(1UL << 20)
#define SZ_1G_		(1UL << 30)
/* __START_KERNEL_map: where the kernel image is mapped on x86_64 (physical 0 at this address). */
#define START_KERNEL_MAP	0xffffffff80000000UL

/* Where table pages come from: a run of reserved pages handed out in order, or, in a counting
 * pass, nothing but the count of the tables the mapping would need. Mappings are made in
 * ascending address order, so a counting pass knows a table is new when its region changes. */
struct pgt_buf {
	struct machine *m;
	const struct paging_mode *pm;
	bool counting;
	bool image;				/* the kernel image's tables (head_64.S) */
	unsigned long next_pfn;
	unsigned long used;
	unsigned long last[PT_MAX_LEVELS];	/* counting: the region last seen at each level, plus 1 */
};

/* An entry pointing at a table: PAE's top entries take only Present (pud_populate in
 * pgtable-3level.h); the others _PAGE_TABLE, User bit included (pgd_populate, pud_populate,
 * pmd_populate_kernel), so that only the leaves keep user code out; but the kernel image's PUD
 * entry, _KERNPG_TABLE (head_64.S level3_kernel_pgt). */
static pteval_t kernel_table_prot(const struct pgt_buf *b, int level)
{
	if (level == 0 && b->pm->levels == 3)
		return _PAGE_PRESENT;
	return b->image && level == b->pm->levels - 3 ? _KERNPG_TABLE : _PAGE_TABLE;
}

/* alloc_low_page: the table below entry level of table for vaddr, made when missing. */
static struct page *next_level(struct pgt_buf *b, struct page *table, int level, unsigned long vaddr)
{
	unsigned long region = (vaddr >> b->pm->level[level].shift) + 1;
	struct pt_entry e;
	struct page *next;

	if (b->counting) {
		if (b->last[level] != region) {
			b->last[level] = region;
			b->used++;
		}
		return NULL;
	}
	e = pt_entry_at(b->m, b->pm, table, level, vaddr);
	if (ptep_get(e) & _PAGE_PRESENT)
		return pt_table_page(b->m, b->pm, ptep_get(e));
	next = pfn_to_page(b->m, b->next_pfn++);
	memset(kmap_local_page(b->m, next), 0, PAGE_SIZE);
	set_pte(e, pfn_pte(page_to_pfn(b->m, next), kernel_table_prot(b, level)));
	b->used++;
	return next;
}

/* The table of the leaf level for vaddr, the tables above it made as needed; NULL in a counting
 * pass. */
static struct page *kernel_table(struct pgt_buf *b, unsigned long vaddr, int leaf)
{
	struct page *table = b->m->swapper_pg_dir;

	for (int level = 0; level < leaf; level++)
		table = next_level(b, table, level, vaddr);
	return table;
}

/* The entry of the leaf level for vaddr; NULL in a counting pass. */
static struct pt_entry *kernel_entry(struct pgt_buf *b, unsigned long vaddr, int leaf, struct pt_entry *out)
{
	struct page *table = kernel_table(b, vaddr, leaf);

	if (b->counting)
		return NULL;
	*out = pt_entry_at(b->m, b->pm, table, leaf, vaddr);
	return out;
}

/* Map [vaddr, vaddr + size) to phys with entries of the given level (a PSE entry above the last). */
static void map_range(struct pgt_buf *b, unsigned long vaddr, uint64_t phys, unsigned long size, int leaf,
		      pteval_t prot)
{
	unsigned long step = pt_level_size(b->pm, leaf);
	pteval_t pse = leaf < b->pm->levels - 1 ? _PAGE_PSE : 0;

	for (unsigned long off = 0; off < size; off += step) {
		struct pt_entry e;

		if (kernel_entry(b, vaddr + off, leaf, &e))
			set_pte(e, pfn_pte((unsigned long)((phys + off) >> PAGE_SHIFT), prot | pse));
	}
}

static uint64_t round_up_to(uint64_t x, uint64_t a)
{
	return (x + a - 1) / a * a;
}

/* The levels of the page sizes: 4K, the PMD size, and 1G where x86_64 has it. */
enum { PG_LEVEL_4K_IDX, PG_LEVEL_2M_IDX, PG_LEVEL_1G_IDX };

/* kernel_physical_mapping_init for [start, end) of RAM, as split_mem_range cuts it: 4 KiB pages up
 * to the first PMD boundary, PMD pages up to the first 1 GiB boundary, 1 GiB pages (x86_64) while
 * whole ones fit, then PMD pages and a 4 KiB tail. */
static void map_ram_range(struct pgt_buf *b, uint64_t start, uint64_t end)
{
	const struct paging_mode *pm = b->pm;
	const int pte = pm->levels - 1, pmd = pm->levels - 2;
	uint64_t pmd_size = pt_level_size(pm, pmd);
	uint64_t pos = round_up_to(start, pmd_size) < end ? round_up_to(start, pmd_size) : end;
	uint64_t pmd_end = end / pmd_size * pmd_size;
	unsigned long *count = b->m->direct_pages_count;

	map_range(b, phys_to_virt(b->m, start), start, pos - start, pte, page_kernel(pm));
	if (!b->counting)
		count[PG_LEVEL_4K_IDX] += (pos - start) >> PAGE_SHIFT;
	if (pm->levels >= 4) {
		uint64_t gb_start = round_up_to(pos, SZ_1G_), gb_end = end / SZ_1G_ * SZ_1G_;

		if (gb_start < gb_end) {
			map_range(b, phys_to_virt(b->m, pos), pos, gb_start - pos, pmd, page_kernel(pm));
			map_range(b, phys_to_virt(b->m, gb_start), gb_start, gb_end - gb_start, pmd - 1, page_kernel(pm));
			if (!b->counting) {
				count[PG_LEVEL_2M_IDX] += (gb_start - pos) / pmd_size;
				count[PG_LEVEL_1G_IDX] += (gb_end - gb_start) / SZ_1G_;
			}
			pos = gb_end;
		}
	}
	if (pos < pmd_end) {
		map_range(b, phys_to_virt(b->m, pos), pos, pmd_end - pos, pmd, page_kernel(pm));
		if (!b->counting)
			count[PG_LEVEL_2M_IDX] += (pmd_end - pos) / pmd_size;
		pos = pmd_end;
	}
	map_range(b, phys_to_virt(b->m, pos), pos, end - pos, pte, page_kernel(pm));
	if (!b->counting)
		count[PG_LEVEL_4K_IDX] += (end - pos) >> PAGE_SHIFT;
}

/* init_mem_mapping: the first MiB (ISA, holes included), then each RAM range above it, up to the
 * end of lowmem; on i386 the pkmap area's page table (permanent_kmaps_init). */
static void map_direct(struct pgt_buf *b)
{
	struct machine *m = b->m;
	uint64_t limit = m->arch->max_low_pfn == ~0UL ? ~0ULL : (uint64_t)m->arch->max_low_pfn << PAGE_SHIFT;

	map_ram_range(b, 0, SZ_1M_);
	for (int i = 0; i < m->nr_e820; i++) {
		const struct e820_entry *e = &m->e820[i];
		uint64_t start = e->addr > SZ_1M_ ? e->addr : SZ_1M_;
		uint64_t end = e->addr + e->size < limit ? e->addr + e->size : limit;

		if (e->type == E820_TYPE_RAM && start < end)
			map_ram_range(b, start, end);
	}
	if (m->cfg.arch == ARCH_I386)
		kernel_table(b, PKMAP_BASE, b->pm->levels - 1);
}

unsigned long init_mem_mapping_pages(struct machine *m)
{
	struct pgt_buf b = { .m = m, .pm = paging_mode_of(m), .counting = true };

	map_direct(&b);
	return b.used;
}

/* The kernel image at __START_KERNEL_map in 2 MiB pages, its tables the image's own
 * (level3_kernel_pgt, level2_kernel_pgt, and level4_kernel_pgt with la57). */
static void map_kernel_image(struct machine *m, const struct paging_mode *pm)
{
	struct pgt_buf b = { .m = m, .pm = pm, .image = true, .next_pfn = kernel_data_pfn(m) + VDSO_DATA_PAGES + 1 };
	const struct boot_reserved *r = &m->reserved;
	unsigned long pmd = pt_level_size(pm, pm->levels - 2);
	uint64_t start = (uint64_t)r->kernel_pfn << PAGE_SHIFT;
	uint64_t end = (uint64_t)(r->kernel_pfn + r->kernel_code + r->kernel_rwdata + r->kernel_rodata + r->kernel_init +
				  r->kernel_bss) << PAGE_SHIFT;

	start = start / pmd * pmd;
	end = round_up_to(end, pmd);
	map_range(&b, START_KERNEL_MAP + start, start, end - start, pm->levels - 2, __PAGE_KERNEL_EXEC);
}

int init_mem_mapping(struct machine *m, unsigned long pfn)
{
	const struct paging_mode *pm = paging_mode_of(m);
	struct pgt_buf b = { .m = m, .pm = pm, .next_pfn = pfn };

	m->swapper_pg_dir = pfn_to_page(m, kernel_data_pfn(m) + VDSO_DATA_PAGES);
	memset(kmap_local_page(m, m->swapper_pg_dir), 0, PAGE_SIZE);
	memset(m->direct_pages_count, 0, sizeof(m->direct_pages_count));
	map_direct(&b);
	if (m->cfg.arch == ARCH_X86_64) {
		map_kernel_image(m, pm);
		return 0;
	}
	return kmap_init(m, kernel_table(&b, PKMAP_BASE, pm->levels - 1));
}
