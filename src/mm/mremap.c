/*
 * mremap (mm/mremap.c): a mapping shrinks (the tail is unmapped), grows in place when the space
 * after it is free, or - with MREMAP_MAYMOVE - moves: a new VMA with the same page offset (so that
 * anonymous pages keep their index for the reverse map), the PTEs moved over, the old range
 * unmapped.
 */
#include <errno.h>

#include <mmlab/huge_mm.h>
#include <mmlab/ksm.h>
#include <mmlab/mm.h>
#include <mmlab/mman.h>
#include <mmlab/syscalls.h>

struct move_ctx {
	long delta;		/* new address - old address */
	int err;
};

/* move_ptes: one PTE, present or holding a swap entry, to the same offset in the new range; its old
 * slot becomes empty. */
static int move_pte(struct pt_entry old, unsigned long addr, struct mm_walk *walk)
{
	struct move_ctx *ctx = walk->private;
	struct pt_entry new;

	if ((ctx->err = walk_to_pte(walk->mm, addr + (unsigned long)ctx->delta, true, &new)))
		return 1;
	set_pte(new, ptep_get(old));
	set_pte(old, 0);
	return 0;
}

/* move_pgt_entry(HPAGE_PMD): a whole huge PMD moves when its new place is PMD-aligned too; otherwise
 * it is split and its PTEs move one by one. */
static int move_pmd(struct pt_entry old, unsigned long addr, unsigned long next, struct mm_walk *walk)
{
	struct move_ctx *ctx = walk->private;
	unsigned long new_addr = addr + (unsigned long)ctx->delta;

	if (next - addr == HPAGE_PMD_SIZE && !(new_addr & ~HPAGE_PMD_MASK) && !move_huge_pmd(walk->mm, old, new_addr))
		return 0;
	if (pmd_trans_huge(ptep_get(old)))
		__split_huge_pmd(find_vma(walk->mm, addr), old, addr & HPAGE_PMD_MASK);
	return 0;
}

static const struct mm_walk_ops move_ops = { .pte_entry = move_pte, .swap_entry = move_pte, .pmd_entry = move_pmd };

/* move_page_tables: the PTEs of [old, old + len) to new; on a failure they all go back. */
static int move_page_tables(struct mm_struct *mm, unsigned long old, unsigned long new, unsigned long len)
{
	struct move_ctx ctx = { (long)(new - old), 0 }, back = { (long)(old - new), 0 };

	flush_tlb_mm_range(mm->machine, mm, old, old + len);
	if (!walk_page_range(mm, old, old + len, &move_ops, &ctx))
		return 0;
	walk_page_range(mm, new, new + len, &move_ops, &back);	/* the tables it needs exist */
	return ctx.err;
}

/* move_vma: the part [addr, addr + old_len) of vma becomes a VMA of new_len at new_addr. */
static long move_vma(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr, unsigned long old_len,
		     unsigned long new_len, unsigned long new_addr)
{
	struct vm_area_struct *new;
	unsigned long ksm_flags = vma->vm_flags;
	int err;

	/* KSM pages are broken first: their reverse map is by address (prep_move_vma). */
	if ((err = ksm_madvise(vma, addr, addr + old_len, MADV_UNMERGEABLE, &ksm_flags)))
		return err;
	if (!(new = vm_area_dup(vma)))
		return -ENOMEM;
	if (vm_account(mm, vma->vm_flags, new_len >> PAGE_SHIFT) || anon_vma_clone(new, vma)) {
		vm_area_free(new);
		return -ENOMEM;
	}
	new->vm_start = new_addr;
	new->vm_end = new_addr + new_len;
	new->vm_pgoff = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
	vma_link(mm, new);
	vm_stat_account(mm, new->vm_flags, (long)vma_pages(new));
	if ((err = move_page_tables(mm, addr, new_addr, old_len))) {
		do_munmap(mm, new_addr, new_len);
		return err;
	}
	seq_move(mm, addr, new_addr, old_len);
	do_munmap(mm, addr, old_len);
	vma_merge_neighbours(mm, new);
	return (long)new_addr;
}

/* vma_expandable: the space after the VMA's end up to end is free. */
static bool vma_expandable(const struct vm_area_struct *vma, unsigned long end)
{
	return end <= vma->vm_mm->task_size && (!vma->vm_next || vma->vm_next->vm_start >= end);
}

/* Where a moving mapping goes: new_addr for MREMAP_FIXED (whatever was there unmapped), or free space. */
static long mremap_target(struct mm_struct *mm, const struct vm_area_struct *vma, unsigned long addr,
			  unsigned long old_len, unsigned long new_len, unsigned long flags, unsigned long new_addr)
{
	long ret;

	if (!(flags & MREMAP_FIXED))
		return __get_unmapped_area(mm, vma->vm_file, 0, new_len, vma->vm_flags & VM_MAYSHARE ? MAP_SHARED : 0);
	if ((new_addr & ~PAGE_MASK) || new_len > mm->task_size || new_addr > mm->task_size - new_len)
		return -EINVAL;
	if (new_addr < addr + old_len && addr < new_addr + new_len)
		return -EINVAL;		/* the ranges overlap */
	ret = do_munmap(mm, new_addr, new_len);
	return ret ? ret : (long)new_addr;
}

long sys_mremap(struct task_struct *tsk, unsigned long addr, unsigned long old_len, unsigned long new_len,
		unsigned long flags, unsigned long new_addr)
{
	struct mm_struct *mm = tsk->mm;
	struct vm_area_struct *vma;
	long target;

	if ((flags & ~(unsigned long)(MREMAP_MAYMOVE | MREMAP_FIXED)) ||
	    ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE)) || (addr & ~PAGE_MASK))
		return -EINVAL;
	old_len = PAGE_ALIGN(old_len);
	new_len = PAGE_ALIGN(new_len);
	if (!new_len || !old_len)
		return -EINVAL;
	vma = find_vma(mm, addr);
	if (!vma || vma->vm_start > addr || addr + old_len > vma->vm_end)
		return -EFAULT;
	if (vma->vm_flags & VM_HUGETLB)
		return -EINVAL;		/* moving or resizing huge page tables is not modelled */
	if (new_len > old_len && (vma->vm_flags & (VM_DONTEXPAND | VM_PFNMAP)))
		return -EFAULT;		/* resize_is_valid: a special mapping never grows */
	if (!(flags & MREMAP_FIXED) && new_len <= old_len) {
		if (new_len < old_len)
			do_munmap(mm, addr + new_len, old_len - new_len);
		return (long)addr;
	}
	/* A locked mapping grows within RLIMIT_MEMLOCK (mremap's check_prep_vma). */
	if (!mlock_future_ok(tsk, vma->vm_flags, new_len - old_len))
		return -EAGAIN;
	/* Growing in place: the range ends the VMA and the space after it is free (vma_expand). */
	if (!(flags & MREMAP_FIXED) && addr + old_len == vma->vm_end && vma_expandable(vma, addr + new_len)) {
		if (vm_account(mm, vma->vm_flags, (new_len - old_len) >> PAGE_SHIFT))
			return -ENOMEM;
		vm_stat_account(mm, vma->vm_flags, (long)((new_len - old_len) >> PAGE_SHIFT));
		vma_set_range(mm, vma, vma->vm_start, addr + new_len);
		vma_merge_neighbours(mm, vma);
		return (long)addr;
	}
	if (!(flags & MREMAP_MAYMOVE))
		return -ENOMEM;
	target = mremap_target(mm, vma, addr, old_len, new_len, flags, new_addr);
	if (target < 0)
		return target;
	/* MREMAP_FIXED may have unmapped (and split) other parts of the VMA */
	return move_vma(mm, find_vma(mm, addr), addr, old_len, new_len, (unsigned long)target);
}
