/*
 * mprotect (mm/mprotect.c): new permissions for a range. The VMAs are split at the range's ends,
 * given the new flags and merged back with neighbours that now match; present PTEs take the new
 * protection (a private page stays write-protected: its next write decides between reuse and copy).
 */
#include <errno.h>

#include <mmlab/huge_mm.h>
#include <mmlab/hugetlb.h>
#include <mmlab/ksm.h>
#include <mmlab/mm.h>
#include <mmlab/mman.h>
#include <mmlab/syscalls.h>
#include <mmlab/vmscan.h>

/* What a NUMA scan's walk carries: the VMA, the node its pages need not leave (or NUMA_NO_NODE),
 * the PTEs changed so far. */
struct change_prot {
	const struct vm_area_struct *vma;
	int target_node;
	long pages;
};

/* prot_numa_skip (mm/mprotect.c): a PTE a NUMA scan leaves alone: the zero page, one marked already,
 * a KSM page, a copy-on-write page mapped more than once, a dirty file page (async migration would
 * not move it), or one already on the node the (single-threaded) process runs on. */
static bool prot_numa_skip(const struct change_prot *cp, pteval_t v, struct page *page)
{
	const struct vm_area_struct *vma = cp->vma;

	if (!page || pte_protnone(v) || PageKsm(page))
		return true;
	if (is_cow_mapping(vma->vm_flags) && folio_precise_page_mapcount(page) > 1)
		return true;
	if (folio_is_file_lru(page_folio(page)) && test_bit_flag(page_folio(page), PG_dirty))
		return true;
	return page_to_nid(page) == cp->target_node;
}

/* change_pte_range: one PTE gets the VMA's new protection bits. */
static int change_pte(struct pt_entry pte, unsigned long addr, struct mm_walk *walk)
{
	const struct vm_area_struct *vma = walk->private;

	(void)addr;
	set_pte(pte, pte_modify(vma->vm_mm->pm, ptep_get(pte), vma->vm_page_prot));
	return 0;
}

/* change_pte_range with MM_CP_PROT_NUMA: PAGE_NONE, so that the next access takes a NUMA hinting
 * fault; walk->private is the change_prot. */
static int change_pte_numa(struct pt_entry pte, unsigned long addr, struct mm_walk *walk)
{
	struct change_prot *cp = walk->private;
	pteval_t v = ptep_get(pte);

	(void)addr;
	if (prot_numa_skip(cp, v, vm_normal_page(walk->mm, v)))
		return 0;
	set_pte(pte, pte_modify(walk->mm->pm, v, 0));
	cp->pages++;
	return 0;
}

/* A NUMA scan leaves huge PMDs alone (change_huge_pmd's prot_numa is not modelled). */
static const struct mm_walk_ops change_ops = { .pte_entry = change_pte, .pmd_entry = change_huge_pmd };
static const struct mm_walk_ops change_numa_ops = { .pte_entry = change_pte_numa };

long change_protection(struct vm_area_struct *vma, unsigned long start, unsigned long end, unsigned long cp_flags)
{
	struct machine *m = vma->vm_mm->machine;
	/* a private VMA of a single-threaded process: its pages on the node it runs on stay as they are */
	struct change_prot cp = { .vma = vma, .target_node = vma->vm_flags & VM_SHARED ? NUMA_NO_NODE
										   : m->cpu_to_node[m->this_cpu] };

	if (vma->vm_flags & VM_HUGETLB) {
		hugetlb_change_protection(vma, start, end);
		return 0;
	}
	if (cp_flags & MM_CP_PROT_NUMA)
		walk_page_range(vma->vm_mm, start, end, &change_numa_ops, &cp);
	else
		walk_page_range(vma->vm_mm, start, end, &change_ops, vma);
	flush_tlb_mm_range(m, vma->vm_mm, start, end);
	return cp.pages;
}

/* mprotect_fixup: [start, end) of vma gets newflags; 0, -ENOMEM (no commit charge, no memory), or
 * -EINVAL (a cut through a huge page). */
static int mprotect_fixup(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long start, unsigned long end,
			  unsigned long newflags)
{
	unsigned long oldflags = vma->vm_flags;
	int err = 0;

	if (newflags == oldflags)
		return 0;
	/* Private memory made writable is charged from now on (and stays charged). */
	if ((newflags & VM_WRITE) && !(oldflags & (VM_ACCOUNT | VM_WRITE | VM_HUGETLB | VM_SHARED | VM_NORESERVE))) {
		if (vm_account(mm, VM_ACCOUNT, (end - start) >> PAGE_SHIFT))
			return -ENOMEM;
		newflags |= VM_ACCOUNT;
	}
	vma = vma_modify_flags(mm, vma, start, end, newflags, &err);
	if (vma)
		change_protection(vma, start, end, 0);
	else
		vm_unaccount(mm, newflags & ~oldflags, (end - start) >> PAGE_SHIFT);
	return err;
}

long sys_mprotect(struct task_struct *tsk, unsigned long start, size_t len, unsigned long prot)
{
	struct mm_struct *mm = tsk->mm;
	unsigned long end, nstart;
	struct vm_area_struct *vma;
	int err;

	if (start & ~PAGE_MASK)
		return -EINVAL;
	if (!len)
		return 0;
	len = PAGE_ALIGN(len);
	end = start + len;
	if (end <= start)
		return -ENOMEM;
	if (prot & ~(unsigned long)(PROT_READ | PROT_WRITE | PROT_EXEC))
		return -EINVAL;
	for (nstart = start;;) {
		unsigned long newflags, tmp;

		vma = find_vma(mm, nstart);
		if (!vma || vma->vm_start > nstart)
			return -ENOMEM;
		newflags = (vma->vm_flags & ~VM_ACCESS_FLAGS) | (prot & VM_ACCESS_FLAGS);
		/* PROT_* and VM_READ/WRITE/EXEC share their values; each needs its VM_MAY* bit. */
		if ((newflags & ~(newflags >> 4)) & VM_ACCESS_FLAGS)
			return -EACCES;
		tmp = vma->vm_end < end ? vma->vm_end : end;
		err = mprotect_fixup(mm, vma, nstart, tmp, newflags);
		if (err)
			return err;
		nstart = tmp;
		if (nstart >= end)
			return 0;
	}
}
