/*
 * mprotect (mm/mprotect.c): new permissions for a range. The VMAs are split at the range's ends,
 * given the new flags and merged back with neighbours that now match; present PTEs take the new
 * protection (a private page stays write-protected: its next write decides between reuse and copy).
 */
#include <errno.h>

#include <mmlab/huge_mm.h>
#include <mmlab/hugetlb.h>
#include <mmlab/mm.h>
#include <mmlab/mman.h>
#include <mmlab/syscalls.h>

/* change_pte_range: one PTE gets the VMA's new protection bits. */
static int change_pte(struct pt_entry pte, unsigned long addr, struct mm_walk *walk)
{
	const struct vm_area_struct *vma = walk->private;

	(void)addr;
	set_pte(pte, pte_modify(vma->vm_mm->pm, ptep_get(pte), vma->vm_page_prot));
	return 0;
}

static const struct mm_walk_ops change_ops = { .pte_entry = change_pte, .pmd_entry = change_huge_pmd };

/* change_protection: every present PTE of the range, then the TLBs that may cache the old bits. */
static void change_protection(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	if (vma->vm_flags & VM_HUGETLB) {
		hugetlb_change_protection(vma, start, end);
		return;
	}
	walk_page_range(vma->vm_mm, start, end, &change_ops, vma);
	flush_tlb_mm_range(vma->vm_mm->machine, vma->vm_mm, start, end);
}

/* mprotect_fixup: [start, end) of vma gets newflags; the VMA now covering start, or NULL (-ENOMEM). */
static struct vm_area_struct *mprotect_fixup(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long start,
					     unsigned long end, unsigned long newflags)
{
	unsigned long oldflags = vma->vm_flags;

	if (newflags == oldflags)
		return vma;
	/* Private memory made writable is charged from now on (and stays charged). */
	if ((newflags & VM_WRITE) && !(oldflags & (VM_ACCOUNT | VM_WRITE | VM_HUGETLB | VM_SHARED | VM_NORESERVE))) {
		if (vm_account(mm, VM_ACCOUNT, (end - start) >> PAGE_SHIFT))
			return NULL;
		newflags |= VM_ACCOUNT;
	}
	vma = vma_modify_flags(mm, vma, start, end, newflags);
	if (vma)
		change_protection(vma, start, end);
	else
		vm_unaccount(mm, newflags & ~oldflags, (end - start) >> PAGE_SHIFT);
	return vma;
}

long sys_mprotect(struct task_struct *tsk, unsigned long start, size_t len, unsigned long prot)
{
	struct mm_struct *mm = tsk->mm;
	unsigned long end, nstart;
	struct vm_area_struct *vma;

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
		if (!mprotect_fixup(mm, vma, nstart, tmp, newflags))
			return -ENOMEM;
		nstart = tmp;
		if (nstart >= end)
			return 0;
	}
}
