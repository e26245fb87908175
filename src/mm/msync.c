/*
 * msync (mm/msync.c): MS_SYNC writes the dirty page-cache pages of every shared file mapping in the
 * range to the file (vfs_fsync_range) and waits; MS_ASYNC does nothing since Linux 2.6.19 (dirty
 * pages are tracked anyway, and written by writeback); MS_INVALIDATE only refuses locked
 * mappings. -EINVAL for unknown flags, MS_SYNC with MS_ASYNC or an unaligned start; -ENOMEM when
 * part of the range is unmapped (after syncing the mapped parts); -EBUSY for MS_INVALIDATE over
 * VM_LOCKED.
 */
#include <errno.h>

#include <mmlab/fs.h>
#include <mmlab/mm.h>
#include <mmlab/mman.h>
#include <mmlab/syscalls.h>

/* vfs_fsync_range of the file bytes a VMA maps of [start, end). */
static int vma_fsync(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	long long fstart = ((long long)vma->vm_pgoff << PAGE_SHIFT) + (long long)(start - vma->vm_start);

	return filemap_write_and_wait_range(vma->vm_mm->machine, vma->vm_file->f_mapping, fstart,
					    fstart + (long long)(end - start) - 1);
}

long sys_msync(struct task_struct *tsk, unsigned long start, size_t len, int flags)
{
	struct mm_struct *mm = tsk->mm;
	struct vm_area_struct *vma;
	unsigned long end;
	int unmapped_error = 0;

	if ((flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) || (start & ~PAGE_MASK) ||
	    ((flags & MS_ASYNC) && (flags & MS_SYNC)))
		return -EINVAL;
	len = PAGE_ALIGN(len);
	end = start + len;
	if (end < start)
		return -ENOMEM;
	if (end == start)
		return 0;
	for (vma = find_vma(mm, start); start < end; vma = vma->vm_next) {
		if (!vma)
			return -ENOMEM;
		if (start < vma->vm_start) {
			unmapped_error = -ENOMEM;
			start = vma->vm_start;
			if (start >= end)
				break;
		}
		if ((flags & MS_INVALIDATE) && (vma->vm_flags & VM_LOCKED))
			return -EBUSY;
		if ((flags & MS_SYNC) && vma->vm_file && (vma->vm_flags & VM_SHARED)) {
			int err = vma_fsync(vma, start, end < vma->vm_end ? end : vma->vm_end);

			if (err)
				return err;
		}
		start = vma->vm_end;
	}
	return unmapped_error;
}
