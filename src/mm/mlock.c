/*
 * mlock (mm/mlock.c): locked ranges are VMAs with VM_LOCKED, faulted in at once and counted in
 * locked_vm (VmLck); mlockall(MCL_FUTURE) makes every later mapping locked too. Memory locks are not
 * inherited by fork. (Which pages are unevictable is the LRU's business: reclaim skips VM_LOCKED
 * VMAs.)
 */
#include <errno.h>

#include <mmlab/mm.h>
#include <mmlab/mman.h>
#include <mmlab/syscalls.h>

/* apply_vma_lock_flags: VM_LOCKED set (or cleared) on every VMA of [start, end); -ENOMEM for a hole. */
static long apply_vma_lock_flags(struct mm_struct *mm, unsigned long start, unsigned long end, bool lock)
{
	for (unsigned long nstart = start; nstart < end;) {
		struct vm_area_struct *vma = find_vma(mm, nstart);
		unsigned long tmp, newflags;

		if (!vma || vma->vm_start > nstart)
			return -ENOMEM;
		tmp = vma->vm_end < end ? vma->vm_end : end;
		newflags = lock ? vma->vm_flags | VM_LOCKED : vma->vm_flags & ~VM_LOCKED;
		if (newflags != vma->vm_flags && !vma_modify_flags(mm, vma, nstart, tmp, newflags))
			return -ENOMEM;
		nstart = tmp;
	}
	return 0;
}

/* do_mlock: the range page-aligned outward, as mlock(2) takes it. */
static long do_mlock(struct task_struct *tsk, unsigned long start, size_t len, bool lock)
{
	unsigned long end = PAGE_ALIGN(start + len);
	long ret;

	start &= PAGE_MASK;
	if (end < start)
		return -EINVAL;
	ret = apply_vma_lock_flags(tsk->mm, start, end, lock);
	if (!ret && lock)
		mm_populate(tsk->mm, start, end - start);
	return ret;
}

long sys_mlock(struct task_struct *tsk, unsigned long start, size_t len)
{
	return do_mlock(tsk, start, len, true);
}

long sys_munlock(struct task_struct *tsk, unsigned long start, size_t len)
{
	return do_mlock(tsk, start, len, false);
}

/* apply_mlockall_flags: every VMA, and (MCL_FUTURE) every later one. */
static long apply_mlockall_flags(struct mm_struct *mm, int flags)
{
	struct vm_area_struct *vma = mm->mmap;

	mm->def_flags = flags & MCL_FUTURE ? mm->def_flags | VM_LOCKED : mm->def_flags & ~VM_LOCKED;
	if (!(flags & MCL_CURRENT) && flags)
		return 0;
	while (vma) {
		unsigned long newflags = flags ? vma->vm_flags | VM_LOCKED : vma->vm_flags & ~VM_LOCKED;
		unsigned long end = vma->vm_end;

		if (newflags != vma->vm_flags && !(vma = vma_modify_flags(mm, vma, vma->vm_start, end, newflags)))
			return -ENOMEM;
		/* the VMA may have merged forward: go on after the range just done */
		vma = find_vma(mm, end);
	}
	return 0;
}

long sys_mlockall(struct task_struct *tsk, int flags)
{
	struct mm_struct *mm = tsk->mm;
	long ret;

	if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE)))
		return -EINVAL;
	ret = apply_mlockall_flags(mm, flags);
	if (!ret && (flags & MCL_CURRENT))
		for (struct vm_area_struct *vma = mm->mmap; vma; vma = vma->vm_next)
			mm_populate(mm, vma->vm_start, vma->vm_end - vma->vm_start);
	return ret;
}

long sys_munlockall(struct task_struct *tsk)
{
	return apply_mlockall_flags(tsk->mm, 0);
}
