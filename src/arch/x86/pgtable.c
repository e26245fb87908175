/*
 * Page tables in the x86 formats (arch/x86/mm/pgtable.c, arch/x86/include/asm/pgtable*_types.h,
 * Documentation/arch/x86/x86_64/mm.rst): the paging modes, the tables as buddy pages, and the walk
 * from the top table down to the entry that maps an address.
 */
#include <errno.h>
#include <stdio.h>

#include <mmlab/gfp.h>
#include <mmlab/mm_types.h>
#include <mmlab/pgtable.h>
#include <mmlab/vmstat.h>

#define PFN_MASK_52	0x000ffffffffff000ULL	/* physical address bits 12..51 (__PHYSICAL_MASK) */
#define PFN_MASK_32	0x00000000fffff000ULL

/* x86_64, 4-level: 48-bit addresses, user space below 0x0000800000000000. */
static const struct paging_mode x86_64_4level = {
	.name = "4-level", .levels = 4,
	.level = { { "pgd", 39, 9 }, { "pud", 30, 9 }, { "pmd", 21, 9 }, { "pte", 12, 9 } },
	.entry_size = 8, .pfn_mask = PFN_MASK_52, .nx = true,
	.task_size = (1UL << 47) - PAGE_SIZE, .mmap_window = (1UL << 47) - PAGE_SIZE,
	.huge_size = 1UL << 21,
};

/* x86_64, 5-level (la57): 57-bit addresses; mmap stays below 47 bits unless a hint asks higher. */
static const struct paging_mode x86_64_5level = {
	.name = "5-level", .levels = 5,
	.level = { { "pgd", 48, 9 }, { "p4d", 39, 9 }, { "pud", 30, 9 }, { "pmd", 21, 9 }, { "pte", 12, 9 } },
	.entry_size = 8, .pfn_mask = PFN_MASK_52, .nx = true,
	.task_size = (1UL << 56) - PAGE_SIZE, .mmap_window = (1UL << 47) - PAGE_SIZE,
	.huge_size = 1UL << 21,
};

/* i386 without PAE: two levels of 1024 4-byte entries; user space is the low 3 GiB. */
static const struct paging_mode i386_2level = {
	.name = "2-level", .levels = 2,
	.level = { { "pgd", 22, 10 }, { "pte", 12, 10 } },
	.entry_size = 4, .pfn_mask = PFN_MASK_32, .nx = false,
	.task_size = 0xc0000000UL, .mmap_window = 0xc0000000UL,
	.huge_size = 1UL << 22,
};

/* i386 PAE: a 4-entry pgd (the PDPT), then 512-entry pmd and pte tables of 8-byte entries. */
static const struct paging_mode i386_3level = {
	.name = "3-level PAE", .levels = 3,
	.level = { { "pgd", 30, 2 }, { "pmd", 21, 9 }, { "pte", 12, 9 } },
	.entry_size = 8, .pfn_mask = PFN_MASK_52, .nx = true,
	.task_size = 0xc0000000UL, .mmap_window = 0xc0000000UL,
	.huge_size = 1UL << 21,
};

const struct paging_mode *paging_mode_of(const struct machine *m)
{
	if (m->cfg.arch == ARCH_I386)
		return m->cfg.pae ? &i386_3level : &i386_2level;
	return m->cfg.la57 ? &x86_64_5level : &x86_64_4level;
}

void pte_flags_decode(const struct paging_mode *pm, pteval_t v, char *buf, size_t size)
{
	static const struct {
		pteval_t bit;
		const char *name;
	} bits[] = {
		{ _PAGE_PRESENT, "P" }, { _PAGE_RW, "RW" },	  { _PAGE_USER, "U" },	 { _PAGE_PWT, "PWT" },
		{ _PAGE_PCD, "PCD" },	{ _PAGE_ACCESSED, "A" }, { _PAGE_DIRTY, "D" }, { _PAGE_PSE, "PSE" },
		{ _PAGE_GLOBAL, "G" },	{ _PAGE_NX, "NX" },
	};
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(bits) / sizeof(bits[0]) && len < size; i++) {
		if (!(v & bits[i].bit) || (bits[i].bit == _PAGE_NX && !pm->nx))
			continue;
		len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? " " : "", bits[i].name);
	}
	if (!len)
		snprintf(buf, size, "-");
}

/* pagetable_alloc, __pagetable_ctor: a zeroed table page, typed PG_table and counted in NR_PAGETABLE
 * (PageTables), whatever its level. GFP_PGTABLE_USER: never HighMem (no CONFIG_HIGHPTE). */
static struct page *pagetable_alloc(struct mm_struct *mm)
{
	struct page *table = alloc_pages(mm->machine, GFP_KERNEL_ACCOUNT | __GFP_ZERO, 0);

	if (!table)
		return NULL;
	__SetPageType(table, PG_table);
	__mod_node_page_state(NODE_DATA(mm->machine, page_to_nid(table)), NR_PAGETABLE, 1);
	return table;
}

/* pagetable_dtor_free */
static void pagetable_dtor_free(struct mm_struct *mm, struct page *table)
{
	__mod_node_page_state(NODE_DATA(mm->machine, page_to_nid(table)), NR_PAGETABLE, -1);
	__ClearPageType(table);
	__free_pages(mm->machine, table, 0);
}

bool mm_pgtables_level(const struct paging_mode *pm, int level)
{
	return level > 0 && level >= pm->levels - 3;
}

/* mm_inc_nr_ptes, mm_inc_nr_pmds, mm_inc_nr_puds (and their dec): each adds a whole table's entries. */
static void mm_account_pgtable(struct mm_struct *mm, int level, long sign)
{
	if (mm_pgtables_level(mm->pm, level))
		mm->pgtables_bytes += (unsigned long)(sign * (long)(pt_entries(mm->pm, level) * mm->pm->entry_size));
}

struct page *pt_alloc_one(struct mm_struct *mm, int level)
{
	struct page *table = pagetable_alloc(mm);

	if (table)
		mm_account_pgtable(mm, level, 1);
	return table;
}

void pt_free_one(struct mm_struct *mm, struct page *table, int level)
{
	mm_account_pgtable(mm, level, -1);
	pagetable_dtor_free(mm, table);
}

struct page *pte_alloc_one(struct mm_struct *mm)
{
	return pt_alloc_one(mm, mm->pm->levels - 1);
}

void pte_free(struct mm_struct *mm, struct page *table)
{
	pt_free_one(mm, table, mm->pm->levels - 1);
}

/* KERNEL_PGD_BOUNDARY: pgd_index(PAGE_OFFSET). */
unsigned int kernel_pgd_boundary(const struct machine *m)
{
	return pt_index(paging_mode_of(m), 0, m->arch->page_offset);
}

unsigned char *pgd_kernel_half(struct machine *m, struct page *pgd, size_t *len)
{
	const struct paging_mode *pm = paging_mode_of(m);
	size_t first = (size_t)kernel_pgd_boundary(m) * pm->entry_size;

	*len = pt_entries(pm, 0) * pm->entry_size - first;
	return (unsigned char *)kmap_local_page(m, pgd) + first;
}

/* pgd_alloc, pgd_ctor: the user half empty, the kernel half copied from swapper_pg_dir, so that
 * every process shares the kernel's tables below it (clone_pgd_range). */
int pgd_alloc(struct mm_struct *mm)
{
	unsigned char *half;
	size_t len;

	mm->pgd = pagetable_alloc(mm);
	if (!mm->pgd)
		return -ENOMEM;
	half = pgd_kernel_half(mm->machine, mm->pgd, &len);
	memcpy(half, pgd_kernel_half(mm->machine, mm->machine->swapper_pg_dir, &len), len);
	return 0;
}

void pgd_free(struct mm_struct *mm)
{
	pagetable_dtor_free(mm, mm->pgd);
	mm->pgd = NULL;
}

/* The bits of an entry pointing at a lower table: PAE's top entries take only Present (RW and User
 * are reserved bits there; pud_populate in pgtable-3level.h). */
static pteval_t table_prot(const struct paging_mode *pm, int level)
{
	return pm == &i386_3level && level == 0 ? _PAGE_PRESENT : _PAGE_TABLE;
}

/* The table below entry e at level: present, or allocated now when alloc (__pmd_alloc & co). */
static struct page *next_table(struct mm_struct *mm, int level, struct pt_entry e, bool alloc, int *err)
{
	pteval_t v = ptep_get(e);
	struct page *table;

	if (pte_present(v) && (v & _PAGE_PSE)) {
		*err = -EFAULT;		/* a huge page, not a table: pmd_leaf */
		return NULL;
	}
	if (pte_present(v))
		return pt_table_page(mm->machine, mm->pm, v);
	if (!alloc) {
		*err = -EFAULT;
		return NULL;
	}
	table = pt_alloc_one(mm, level + 1);
	if (!table) {
		*err = -ENOMEM;
		return NULL;
	}
	set_pte(e, pfn_pte(page_to_pfn(mm->machine, table), table_prot(mm->pm, level)));
	return table;
}

/* walk_to_level: the entry for addr at level, through present tables (allocated when alloc). */
static int walk_to_level(struct mm_struct *mm, unsigned long addr, bool alloc, int last, struct pt_entry *out)
{
	const struct paging_mode *pm = mm->pm;
	struct page *table = mm->pgd;
	int err = 0;

	for (int level = 0; level < last; level++) {
		table = next_table(mm, level, pt_entry_at(mm->machine, pm, table, level, addr), alloc, &err);
		if (!table)
			return err;
	}
	*out = pt_entry_at(mm->machine, pm, table, last, addr);
	return 0;
}

int walk_to_pte(struct mm_struct *mm, unsigned long addr, bool alloc, struct pt_entry *out)
{
	return walk_to_level(mm, addr, alloc, mm->pm->levels - 1, out);
}

int walk_to_pmd(struct mm_struct *mm, unsigned long addr, bool alloc, struct pt_entry *out)
{
	return walk_to_level(mm, addr, alloc, mm->pm->levels - 2, out);
}

int walk_to_leaf(struct mm_struct *mm, unsigned long addr, struct pt_entry *out)
{
	const struct paging_mode *pm = mm->pm;
	struct page *table = mm->pgd;

	for (int level = 0;; level++) {
		*out = pt_entry_at(mm->machine, pm, table, level, addr);
		pteval_t v = ptep_get(*out);

		if (level == pm->levels - 1 || !pte_present(v) || (v & _PAGE_PSE))
			return level;
		table = pt_table_page(mm->machine, pm, v);
	}
}

int huge_pte_alloc(struct mm_struct *mm, unsigned long addr, unsigned long sz, bool alloc, struct pt_entry *out)
{
	for (int level = 0; level < mm->pm->levels - 1; level++)
		if (pt_level_size(mm->pm, level) == sz)
			return walk_to_level(mm, addr, alloc, level, out);
	return -EINVAL;
}

void pt_walk(struct mm_struct *mm, unsigned long addr, struct pt_walk *w)
{
	const struct paging_mode *pm = mm->pm;
	struct page *table = mm->pgd;

	memset(w, 0, sizeof(*w));
	for (int level = 0; level < pm->levels; level++) {
		pteval_t v = ptep_get(pt_entry_at(mm->machine, pm, table, level, addr));
		bool leaf = level == pm->levels - 1 || (v & _PAGE_PSE);

		w->levels = level + 1;
		w->index[level] = pt_index(pm, level, addr);
		w->entry[level] = v;
		w->table_phys[level] = page_to_phys(mm->machine, table);
		if (!(v & _PAGE_PRESENT))
			return;
		if (leaf) {
			unsigned long size = pt_level_size(pm, level);

			w->mapped = true;
			w->phys = ((uint64_t)pte_pfn(pm, v) << PAGE_SHIFT & ~(uint64_t)(size - 1)) | (addr & (size - 1));
			return;
		}
		table = pt_table_page(mm->machine, pm, v);
	}
}
