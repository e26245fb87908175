/*
 * madvise (mm/madvise.c): advice about a range. DONTNEED drops the pages (anonymous memory reads
 * zeros afterwards); DONTFORK/DOFORK and WIPEONFORK/KEEPONFORK set VMA flags fork honours, splitting
 * and merging VMAs as mprotect does.
 */
#include <errno.h>

#include <mmlab/mm.h>
#include <mmlab/mman.h>
#include <mmlab/syscalls.h>

/* madvise_behavior_valid: the advice this machine models. */
static bool madvise_behavior_valid(int behavior)
{
	return behavior == MADV_DONTNEED || behavior == MADV_DONTFORK || behavior == MADV_DOFORK ||
	       behavior == MADV_WIPEONFORK || behavior == MADV_KEEPONFORK;
}

/* The flag an advice sets or clears, and which; 0 for DONTNEED. */
static unsigned long advice_flag(int behavior, bool *set)
{
	*set = behavior == MADV_DONTFORK || behavior == MADV_WIPEONFORK;
	switch (behavior) {
	case MADV_DONTFORK:
	case MADV_DOFORK:
		return VM_DONTCOPY;
	case MADV_WIPEONFORK:
	case MADV_KEEPONFORK:
		return VM_WIPEONFORK;
	default:
		return 0;
	}
}

/* madvise_vma_behavior: the advice for [start, end) inside one VMA; the VMA now covering start. */
static struct vm_area_struct *madvise_vma(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long start,
					  unsigned long end, int behavior, int *err)
{
	bool set;
	unsigned long flag = advice_flag(behavior, &set), newflags = set ? vma->vm_flags | flag : vma->vm_flags & ~flag;

	if (behavior == MADV_DONTNEED) {
		zap_page_range(vma, start, end);
		return vma;
	}
	/* WIPEONFORK only makes sense for private anonymous memory. */
	if (behavior == MADV_WIPEONFORK && (vma->vm_flags & VM_SHARED)) {
		*err = -EINVAL;
		return NULL;
	}
	if (newflags == vma->vm_flags)
		return vma;
	vma = vma_modify_flags(mm, vma, start, end, newflags);
	if (!vma)
		*err = -ENOMEM;
	return vma;
}

long sys_madvise(struct task_struct *tsk, unsigned long start, size_t len, int behavior)
{
	struct mm_struct *mm = tsk->mm;
	unsigned long end;
	int err = 0, unmapped = 0;

	if (!madvise_behavior_valid(behavior))
		return -EINVAL;
	if (start & ~PAGE_MASK)
		return -EINVAL;
	len = PAGE_ALIGN(len);
	end = start + len;
	if (end < start)
		return -EINVAL;
	for (unsigned long addr = start; addr < end;) {
		struct vm_area_struct *vma = find_vma(mm, addr);

		if (!vma || vma->vm_start >= end)
			return -ENOMEM;
		if (vma->vm_start > addr) {
			unmapped = -ENOMEM;	/* a hole: advise the rest, then say so */
			addr = vma->vm_start;
		}
		vma = madvise_vma(mm, vma, addr, vma->vm_end < end ? vma->vm_end : end, behavior, &err);
		if (!vma)
			return err;
		addr = vma->vm_end;
	}
	return unmapped;
}
