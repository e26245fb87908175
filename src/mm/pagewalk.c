/*
 * Walking the page tables of a range (mm/pagewalk.c): every present PTE of [start, end) is handed to
 * a callback; missing tables are skipped a whole table's span at a time.
 */
#include <mmlab/mm.h>

/* The end of the span of the entry at addr on a level, capped at end. */
static unsigned long level_end(const struct paging_mode *pm, int level, unsigned long addr, unsigned long end)
{
	unsigned long next = (addr & ~(pt_level_size(pm, level) - 1)) + pt_level_size(pm, level);

	return next - 1 < end - 1 ? next : end;
}

static int walk_level(struct mm_walk *walk, struct page *table, int level, unsigned long start, unsigned long end);

/* A huge entry: a hugetlb page's to hugetlb_entry, a transparent huge page's to pmd_entry; if that
 * split it into a table, the table's PTEs are walked now (walk_pmd_range). */
static int walk_huge_entry(struct mm_walk *walk, struct pt_entry e, int level, unsigned long addr, unsigned long next)
{
	const struct paging_mode *pm = walk->mm->pm;
	struct machine *m = walk->mm->machine;
	pteval_t v = ptep_get(e);
	int ret;

	if (page_type_is(pfn_to_page(m, pte_pfn(pm, v)), PG_hugetlb))
		return walk->ops->hugetlb_entry ? walk->ops->hugetlb_entry(e, addr, walk) : 0;
	if (!walk->ops->pmd_entry)
		return 0;
	ret = walk->ops->pmd_entry(e, addr, next, walk);
	v = ptep_get(e);
	if (!ret && pte_present(v) && !(v & _PAGE_PSE))
		ret = walk_level(walk, pt_table_page(m, pm, v), level + 1, addr, next);
	return ret;
}

static int walk_level(struct mm_walk *walk, struct page *table, int level, unsigned long start, unsigned long end)
{
	const struct paging_mode *pm = walk->mm->pm;
	struct machine *m = walk->mm->machine;
	int ret = walk->ops->pt_table ? walk->ops->pt_table(table, level, walk) : 0;

	for (unsigned long addr = start, next; addr < end && !ret; addr = next) {
		struct pt_entry e = pt_entry_at(m, pm, table, level, addr);
		pteval_t v = ptep_get(e);

		next = level_end(pm, level, addr, end);
		if (!pte_present(v)) {
			if (v && level == pm->levels - 1 && walk->ops->swap_entry)
				ret = walk->ops->swap_entry(e, addr, walk);
			continue;
		}
		if (level < pm->levels - 1 && (v & _PAGE_PSE)) {
			ret = walk_huge_entry(walk, e, level, addr, next);
		} else if (level == pm->levels - 1) {
			if (walk->ops->pte_entry)
				ret = walk->ops->pte_entry(e, addr, walk);
		} else {
			ret = walk_level(walk, pt_table_page(m, pm, v), level + 1, addr, next);
		}
	}
	return ret;
}

int walk_page_range(struct mm_struct *mm, unsigned long start, unsigned long end, const struct mm_walk_ops *ops,
		    void *private)
{
	struct mm_walk walk = { .ops = ops, .mm = mm, .private = private };

	if (start >= end)
		return 0;
	return walk_level(&walk, mm->pgd, 0, start, end);
}
