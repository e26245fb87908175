/*
 * The mmap family (mm/mmap.c, mm/vma.c, mm/util.c): finding free space top-down from mmap_base with
 * the VMA tree's gaps, mapping and unmapping ranges, the heap's brk, and an address space's start
 * and end (mm_alloc, exit_mmap).
 */
#include <errno.h>
#include <stdlib.h>

#include <mmlab/fs.h>
#include <mmlab/huge_mm.h>
#include <mmlab/hugetlb.h>
#include <mmlab/khugepaged.h>
#include <mmlab/ksm.h>
#include <mmlab/mm.h>
#include <mmlab/mman.h>
#include <mmlab/sched.h>
#include <mmlab/swap.h>
#include <mmlab/syscalls.h>

/* The range a gap search may use and the size it needs. */
struct vm_unmapped_area_info {
	unsigned long length, low_limit, high_limit;
	bool topdown;
};

static unsigned long subtree_gap(const struct rb_node *node)
{
	return node ? rb_entry(node, struct vm_area_struct, vm_rb)->rb_subtree_gap : 0;
}

/* The start of a fitting range in the free gap [gap_start, gap_end), clipped to the limits; 0 if
 * it does not fit (0 is never a valid answer: low_limit is at least mmap_min_addr). */
static unsigned long fit_gap(const struct vm_unmapped_area_info *info, unsigned long gap_start,
			     unsigned long gap_end)
{
	if (gap_start < info->low_limit)
		gap_start = info->low_limit;
	if (gap_end > info->high_limit)
		gap_end = info->high_limit;
	if (gap_end <= gap_start || gap_end - gap_start < info->length)
		return 0;
	return info->topdown ? gap_end - info->length : gap_start;
}

/* The gap below a VMA: from its predecessor's end to its start, less a stack's guard gap. */
static unsigned long vma_gap_fit(const struct vm_unmapped_area_info *info, const struct vm_area_struct *vma)
{
	unsigned long start = vma->vm_start;

	if (vma->vm_flags & VM_GROWSDOWN)
		start = start > STACK_GUARD_GAP ? start - STACK_GUARD_GAP : 0;
	return fit_gap(info, vma->vm_prev ? vma->vm_prev->vm_end : 0, start);
}

/* unmapped_area, unmapped_area_topdown: the lowest (highest) fitting gap of the subtree, skipping
 * subtrees whose largest gap is too small and those wholly outside the limits. */
static unsigned long gap_search(const struct vm_unmapped_area_info *info, struct rb_node *node)
{
	struct vm_area_struct *vma;
	struct rb_node *first, *second;
	unsigned long addr;

	if (!node || subtree_gap(node) < info->length)
		return 0;
	vma = rb_entry(node, struct vm_area_struct, vm_rb);
	first = info->topdown ? node->rb_right : node->rb_left;
	second = info->topdown ? node->rb_left : node->rb_right;
	/* Gaps right of this VMA start at its end or above; gaps left of it end at its start or below. */
	if ((info->topdown ? vma->vm_end < info->high_limit : vma->vm_start > info->low_limit) &&
	    (addr = gap_search(info, first)))
		return addr;
	if ((addr = vma_gap_fit(info, vma)))
		return addr;
	if (info->topdown ? vma->vm_start > info->low_limit : vma->vm_end < info->high_limit)
		return gap_search(info, second);
	return 0;
}

/* vm_unmapped_area: the search, the space above the highest VMA included. */
static unsigned long vm_unmapped_area(struct mm_struct *mm, const struct vm_unmapped_area_info *info)
{
	unsigned long above = fit_gap(info, mm->highest_vm_end, info->high_limit), addr;

	if (info->topdown && above)
		return above;
	addr = gap_search(info, mm->mm_rb.rb_node);
	return addr ? addr : above;
}

/* The hint is taken when the range is free and within bounds (arch_get_unmapped_area_topdown). */
static bool hint_fits(struct mm_struct *mm, unsigned long addr, unsigned long len)
{
	struct vm_area_struct *prev, *vma = find_vma_prev(mm, addr, &prev);
	unsigned long next_start = vma ? vma->vm_start : mm->task_size;

	if (vma && (vma->vm_flags & VM_GROWSDOWN))
		next_start = next_start > STACK_GUARD_GAP ? next_start - STACK_GUARD_GAP : 0;
	return addr >= MMAP_MIN_ADDR && len <= mm->task_size && addr <= mm->task_size - len &&
	       addr + len <= next_start && (!prev || addr >= prev->vm_end);
}

long get_unmapped_area(struct mm_struct *mm, unsigned long addr, unsigned long len, unsigned long flags)
{
	struct vm_unmapped_area_info info = { len, MMAP_MIN_ADDR, mm->mmap_base, true };
	unsigned long found;

	if (len > mm->task_size - MMAP_MIN_ADDR)
		return -ENOMEM;
	if (flags & MAP_FIXED)
		return addr > mm->task_size - len ? -ENOMEM : (long)addr;
	addr = PAGE_ALIGN(addr);
	if (addr && hint_fits(mm, addr, len))
		return (long)addr;
	found = vm_unmapped_area(mm, &info);
	if (!found) {
		/* A failed mmap very likely kills the program: try bottom-up above TASK_UNMAPPED_BASE. */
		info = (struct vm_unmapped_area_info){ len, PAGE_ALIGN(mm->task_size / 3), mm->task_size, false };
		found = vm_unmapped_area(mm, &info);
	}
	return found ? (long)found : -ENOMEM;
}

long __get_unmapped_area(struct mm_struct *mm, const struct file *file, unsigned long addr, unsigned long len,
			 unsigned long flags)
{
	if (!file && !addr && (flags & MAP_TYPE) != MAP_SHARED && !(flags & MAP_FIXED) && !(len & ~HPAGE_PMD_MASK) &&
	    mm->machine->arch->thp)
		return thp_get_unmapped_area(mm, len, flags);
	return get_unmapped_area(mm, addr, len, flags);
}

struct vm_area_struct *map_anon_range(struct mm_struct *mm, unsigned long start, unsigned long end,
				      unsigned long vm_flags)
{
	return mmap_region(mm, NULL, start, end, vm_flags, start >> PAGE_SHIFT);
}

struct vm_area_struct *mmap_region(struct mm_struct *mm, struct file *file, unsigned long start, unsigned long end,
				   unsigned long vm_flags, unsigned long pgoff)
{
	struct vm_area_struct *vma;

	if (vm_account(mm, vm_flags, (end - start) >> PAGE_SHIFT))
		return NULL;
	vma = vm_area_alloc(mm);
	if (!vma) {
		vm_unaccount(mm, vm_flags, (end - start) >> PAGE_SHIFT);
		return NULL;
	}
	vma->vm_start = start;
	vma->vm_end = end;
	vma->vm_flags = vm_flags;
	vma->vm_file = get_file(file);
	vma_set_page_prot(vma);
	vma->vm_pgoff = pgoff;
	vma_link(mm, vma);
	vm_stat_account(mm, vm_flags, (long)vma_pages(vma));
	vma = vma_merge_neighbours(mm, vma);
	if (vma)	/* __mmap_region's khugepaged_enter_vma */
		khugepaged_enter_vma(vma);
	return vma;
}

struct vm_area_struct *install_special_mapping(struct mm_struct *mm, unsigned long addr, unsigned long len,
					      unsigned long vm_flags, const struct vm_special_mapping *spec)
{
	struct vm_area_struct *vma = vm_area_alloc(mm);

	if (!vma)
		return NULL;
	vma->vm_start = addr;
	vma->vm_end = addr + len;
	vma->vm_flags = (vm_flags | mm->def_flags | VM_DONTEXPAND) & ~VM_LOCKED_MASK;
	vma->vm_page_prot = vm_get_page_prot(mm, vma->vm_flags);
	vma->vm_special = spec;
	vma_link(mm, vma);
	vm_stat_account(mm, vma->vm_flags, (long)vma_pages(vma));
	return vma;
}

int vm_account(struct mm_struct *mm, unsigned long vm_flags, unsigned long pages)
{
	return vm_flags & VM_ACCOUNT ? __vm_enough_memory(mm->machine, (long)pages) : 0;
}

void vm_unaccount(struct mm_struct *mm, unsigned long vm_flags, unsigned long pages)
{
	if (vm_flags & VM_ACCOUNT)
		vm_unacct_memory(mm->machine, (long)pages);
}

/* A mapping with an object of its own at offset 0, never merged: shared anonymous memory's shmem
 * object (charged to the commit unless MAP_NORESERVE), or a MAP_HUGETLB mapping's hugetlbfs file of
 * h's pages (hugetlb_file_setup; a shared one's reservations are the file's). */
static struct vm_area_struct *map_with_object(struct mm_struct *mm, unsigned long start, unsigned long end,
					      unsigned long vm_flags, struct hstate *h)
{
	struct vm_area_struct *vma = vm_area_alloc(mm);
	bool reserve = !(vm_flags & VM_NORESERVE);

	if (!vma)
		return NULL;
	if (h)
		vma->hfile = hugetlb_file_setup(mm->machine, h, end - start, reserve && (vm_flags & VM_SHARED));
	else
		vma->shm = shmem_zero_setup(mm->machine, end - start, reserve);
	if (!vma->shm && !vma->hfile) {
		free(vma);
		return NULL;
	}
	vma->vm_start = start;
	vma->vm_end = end;
	vma->vm_flags = vm_flags;
	vma_set_page_prot(vma);
	vma_link(mm, vma);
	vm_stat_account(mm, vm_flags, (long)vma_pages(vma));
	return vma;
}

bool mlock_future_ok(const struct task_struct *tsk, unsigned long vm_flags, unsigned long bytes)
{
	if (!(vm_flags & VM_LOCKED) || capable(tsk, CAP_IPC_LOCK))
		return true;
	return (bytes >> PAGE_SHIFT) + tsk->mm->locked_vm <= rlimit(tsk, RLIMIT_MEMLOCK) >> PAGE_SHIFT;
}

int expand_stack(struct vm_area_struct *vma, unsigned long addr, const struct task_struct *tsk)
{
	struct mm_struct *mm = vma->vm_mm;
	struct vm_area_struct *prev = vma->vm_prev;
	unsigned long grow;

	addr &= PAGE_MASK;
	if (!(vma->vm_flags & VM_GROWSDOWN))
		return -EFAULT;
	if (addr < MMAP_MIN_ADDR)
		return -EPERM;
	/* The guard gap: an accessible mapping below, unless it is a stack too, stays that far away. */
	if (prev && !(prev->vm_flags & VM_GROWSDOWN) && (prev->vm_flags & VM_ACCESS_FLAGS) &&
	    addr - prev->vm_end < STACK_GUARD_GAP)
		return -ENOMEM;
	if (addr >= vma->vm_start)
		return 0;
	grow = (vma->vm_start - addr) >> PAGE_SHIFT;
	/* acct_stack_growth: within RLIMIT_STACK (and RLIMIT_MEMLOCK when locked), charged to the commit */
	if (grow > vma->vm_pgoff || vma->vm_end - addr > rlimit(tsk, RLIMIT_STACK) ||
	    !mlock_future_ok(tsk, vma->vm_flags, grow << PAGE_SHIFT) || vm_account(mm, vma->vm_flags, grow))
		return -ENOMEM;
	vma_set_range(mm, vma, addr, vma->vm_end);	/* vm_pgoff moves down with vm_start */
	vm_stat_account(mm, vma->vm_flags, (long)grow);
	return 0;
}

/* Whether a populate fault writes: private writable memory is written to break COW up front. */
static unsigned int populate_flags(const struct vm_area_struct *vma)
{
	return (vma->vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE ? FAULT_FLAG_WRITE : 0;
}

void mm_populate(struct mm_struct *mm, unsigned long start, unsigned long len)
{
	for (unsigned long addr = start; addr < start + len; addr += PAGE_SIZE) {
		struct vm_area_struct *vma = find_vma(mm, addr);
		struct pt_entry pte;
		unsigned int flags;

		/* populate_vma_page_range: a VM_LOCKONFAULT VMA is locked as it faults, not now; GUP
		 * does not fault raw-frame mappings (check_vma_flags) */
		if (!vma || vma->vm_start > addr || !(vma->vm_flags & VM_ACCESS_FLAGS) ||
		    (vma->vm_flags & (VM_LOCKONFAULT | VM_IO | VM_PFNMAP)))
			continue;
		flags = populate_flags(vma);
		if (follow_pte(mm, addr, &pte) && (!flags || pte_write(ptep_get(pte))))
			continue;
		if (handle_mm_fault(vma, addr, flags) & VM_FAULT_OOM)
			return;
	}
}

/* calc_vm_prot_bits, calc_vm_flag_bits: the VMA flags of a request (include/linux/mman.h); under
 * vm.overcommit_memory=2 MAP_NORESERVE is ignored (do_mmap). */
static unsigned long calc_vm_flags(const struct mm_struct *mm, unsigned long prot, unsigned long flags)
{
	unsigned long vm_flags = VM_MAYACCESS | mm->def_flags;

	if (prot & PROT_READ)
		vm_flags |= VM_READ;
	if (prot & PROT_WRITE)
		vm_flags |= VM_WRITE;
	if (prot & PROT_EXEC)
		vm_flags |= VM_EXEC;
	if (flags & MAP_GROWSDOWN)
		vm_flags |= VM_GROWSDOWN;
	if (flags & MAP_LOCKED)
		vm_flags |= VM_LOCKED;
	if ((flags & MAP_NORESERVE) && mm->machine->sysctl.overcommit_memory != OVERCOMMIT_NEVER)
		vm_flags |= VM_NORESERVE;
	if ((flags & MAP_TYPE) == MAP_SHARED)
		return vm_flags | VM_SHARED | VM_MAYSHARE;
	if (vm_flags & VM_NORESERVE)
		return vm_flags;
	return vm_flags | (vm_flags & VM_WRITE ? VM_ACCOUNT : 0);	/* accountable_mapping */
}

/* hugetlb_get_unmapped_area: a MAP_HUGETLB request: *len rounded up to the huge page size, the
 * address aligned to it (fs/hugetlbfs/inode.c). */
static long hugetlb_get_unmapped_area(struct mm_struct *mm, const struct hstate *h, unsigned long addr,
				      unsigned long *len, unsigned long flags)
{
	unsigned long size = huge_page_size(h);
	long ret;

	*len = (*len + size - 1) & ~(size - 1);
	if (!*len)
		return -ENOMEM;
	if (flags & MAP_FIXED)
		return addr & (size - 1) ? -EINVAL : get_unmapped_area(mm, addr, *len, flags);
	if (addr && !(addr & (size - 1)) && (ret = get_unmapped_area(mm, addr, *len, flags)) == (long)addr)
		return ret;
	ret = get_unmapped_area(mm, 0, *len + size - PAGE_SIZE, flags);
	return ret < 0 ? ret : (long)(((unsigned long)ret + size - 1) & ~(size - 1));
}

/* hugetlb_reserve_pages: a private mapping's huge pages are set aside now, unless MAP_NORESERVE:
 * -ENOMEM when the pool cannot cover them; not charged to Committed_AS. A shared mapping's file
 * reserves its own (mm/hugetlb.c). */
static long hugetlb_reserve_pages(struct mm_struct *mm, struct hstate *h, unsigned long len, unsigned long *vm_flags)
{
	*vm_flags = (*vm_flags & ~VM_ACCOUNT) | VM_HUGETLB | VM_DONTEXPAND;
	if (*vm_flags & (VM_NORESERVE | VM_SHARED))
		return 0;
	return hugetlb_acct_memory(mm->machine, h, (long)(len / huge_page_size(h)));
}

static void hugetlb_unreserve_pages(struct mm_struct *mm, struct hstate *h, unsigned long len, unsigned long vm_flags)
{
	if (!(vm_flags & (VM_NORESERVE | VM_SHARED)))
		hugetlb_acct_memory(mm->machine, h, -(long)(len / huge_page_size(h)));
}

/* The checks do_mmap makes of a file mapping, and the flags a file opened read-only takes away. */
static long mmap_file_flags(struct mm_struct *mm, const struct file *file, unsigned long prot, unsigned long flags,
			    unsigned long *vm_flags)
{
	if (flags & MAP_HUGETLB)
		return -EINVAL;		/* a file not on hugetlbfs (ksys_mmap_pgoff) */
	if ((flags & MAP_TYPE) == MAP_SHARED) {
		if ((prot & PROT_WRITE) && !(file->f_mode & FMODE_WRITE))
			return -EACCES;
		if ((prot & PROT_WRITE) && IS_SWAPFILE(mm->machine, file_inode(file)))
			return -ETXTBSY;	/* swap writes it behind the page cache's back */
		if (!(file->f_mode & FMODE_WRITE))
			*vm_flags &= ~(VM_MAYWRITE | VM_SHARED);
	}
	return file->f_mode & FMODE_READ ? 0 : -EACCES;
}

/* do_mmap (mm/mmap.c): anonymous memory, or file at page offset pgoff when file is not NULL, for
 * the task tsk (its limits and privileges). */
static long do_mmap(struct task_struct *tsk, unsigned long addr, unsigned long len, unsigned long prot,
		    unsigned long flags, struct file *file, unsigned long pgoff)
{
	struct mm_struct *mm = tsk->mm;
	unsigned long type = flags & MAP_TYPE, vm_flags;
	struct vm_area_struct *vma;
	struct hstate *h = NULL;
	long ret;

	if (!file && !(flags & MAP_ANONYMOUS))
		return -EBADF;		/* no file descriptor */
	if (flags & MAP_ANONYMOUS)
		file = NULL;
	if (file && (flags & MAP_HUGETLB))
		return -EINVAL;		/* not a hugetlbfs file */
	if (!len || (type != MAP_SHARED && type != MAP_PRIVATE) ||
	    (prot & ~(unsigned long)(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	if (type == MAP_SHARED && (flags & MAP_GROWSDOWN))
		return -EINVAL;		/* shared anonymous memory cannot grow */
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	if ((flags & MAP_FIXED) && (addr & ~PAGE_MASK))
		return -EINVAL;
	len = PAGE_ALIGN(len);
	if (!len)
		return -ENOMEM;
	if (file && pgoff + (len >> PAGE_SHIFT) < pgoff)
		return -EOVERFLOW;
	vm_flags = calc_vm_flags(mm, prot, flags);
	/* MAP_LOCKED, or mlockall(MCL_FUTURE): within RLIMIT_MEMLOCK unless CAP_IPC_LOCK */
	if ((flags & MAP_LOCKED) && !rlimit(tsk, RLIMIT_MEMLOCK) && !capable(tsk, CAP_IPC_LOCK))
		return -EPERM;		/* can_do_mlock */
	if (!mlock_future_ok(tsk, vm_flags, len))
		return -EAGAIN;
	if (file && (ret = mmap_file_flags(mm, file, prot, flags, &vm_flags)))
		return ret;
	if (mm->map_count > DEFAULT_MAX_MAP_COUNT)
		return -ENOMEM;
	/* MAP_HUGE_2MB, MAP_HUGE_1GB: the pool of that size, or -EINVAL (ksys_mmap_pgoff) */
	if ((flags & MAP_HUGETLB) && !(h = hstate_sizelog(mm->machine, (flags >> MAP_HUGE_SHIFT) & MAP_HUGE_MASK)))
		return -EINVAL;
	if (h)
		ret = hugetlb_get_unmapped_area(mm, h, addr, &len, flags);
	else
		ret = __get_unmapped_area(mm, file, addr, len, flags);
	if (ret < 0)
		return ret;
	addr = (unsigned long)ret;
	if ((flags & MAP_FIXED_NOREPLACE) && find_vma_intersection(mm, addr, addr + len))
		return -EEXIST;
	if ((ret = do_munmap(mm, addr, len)))
		return ret;
	if (h && (ret = hugetlb_reserve_pages(mm, h, len, &vm_flags)))
		return ret;
	if (file)
		vma = mmap_region(mm, file, addr, addr + len, vm_flags, pgoff);
	else
		vma = h || type == MAP_SHARED ? map_with_object(mm, addr, addr + len, vm_flags, h)
					      : map_anon_range(mm, addr, addr + len, vm_flags);
	if (!vma) {
		if (h)
			hugetlb_unreserve_pages(mm, h, len, vm_flags);
		return -ENOMEM;
	}
	if ((flags & MAP_POPULATE) || (vm_flags & VM_LOCKED))
		mm_populate(mm, addr, len);
	return (long)addr;
}

long sys_mmap(struct task_struct *tsk, unsigned long addr, unsigned long len, unsigned long prot,
	      unsigned long flags)
{
	return do_mmap(tsk, addr, len, prot, flags, NULL, 0);
}

long sys_mmap_file(struct task_struct *tsk, unsigned long addr, unsigned long len, unsigned long prot,
		   unsigned long flags, struct file *file, unsigned long off)
{
	if (off & ~PAGE_MASK)
		return -EINVAL;		/* arch/x86/kernel/sys_x86_64.c */
	return do_mmap(tsk, addr, len, prot, flags, file, off >> PAGE_SHIFT);
}

/* Split so that [start, end) is covered by whole VMAs; the first of them, or NULL (-ENOMEM). */
static struct vm_area_struct *split_range(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long start,
					  unsigned long end, int *err)
{
	struct vm_area_struct *last;

	if (start > vma->vm_start && (*err = split_vma(mm, vma, start, true)))
		return NULL;
	last = find_vma(mm, end);
	if (last && last->vm_start < end && end < last->vm_end && (*err = split_vma(mm, last, end, false)))
		return NULL;
	return vma;
}

/* The dirty pages a shared file mapping leaves are written back as it goes (munmap, exit). The
 * kernel leaves them to its flusher threads; the machine has none, and writes them here. */
static void unmap_writeback(struct vm_area_struct *vma)
{
	long long start = (long long)vma->vm_pgoff << PAGE_SHIFT;

	if (vma->vm_file && (vma->vm_flags & VM_SHARED))
		filemap_write_and_wait_range(vma->vm_mm->machine, vma->vm_file->f_mapping, start,
					     start + (long long)(vma->vm_end - vma->vm_start) - 1);
}

/* unmap_region, remove_vma_list: the VMAs of [start, end) go, with their pages and tables. */
static void remove_range(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long end)
{
	struct vm_area_struct *prev = vma->vm_prev, *next = NULL;
	unsigned long start = vma->vm_start, last_end = start;

	for (; vma && vma->vm_start < end; vma = next) {
		next = vma->vm_next;
		zap_page_range(vma, vma->vm_start, vma->vm_end);
		unmap_writeback(vma);
		if (vma->vm_flags & VM_HUGETLB)
			hugetlb_vm_op_close(vma);
		vm_stat_account(mm, vma->vm_flags, -(long)vma_pages(vma));
		vm_unaccount(mm, vma->vm_flags, vma_pages(vma));
		last_end = vma->vm_end;
		vma_unlink(mm, vma);
		vm_area_free(vma);
	}
	free_pgd_range(mm, start, last_end, prev ? prev->vm_end : 0, next ? next->vm_start : 0);
}

int do_munmap(struct mm_struct *mm, unsigned long start, size_t len)
{
	struct vm_area_struct *vma;
	unsigned long end;
	int err = 0;

	if ((start & ~PAGE_MASK) || start > mm->task_size || len > mm->task_size - start)
		return -EINVAL;
	len = PAGE_ALIGN(len);
	if (!len)
		return -EINVAL;
	end = start + len;
	vma = find_vma(mm, start);
	if (!vma || vma->vm_start >= end)
		return 0;
	vma = split_range(mm, vma, start, end, &err);
	if (!vma)
		return err;
	remove_range(mm, vma, end);
	return 0;
}

long sys_munmap(struct task_struct *tsk, unsigned long addr, size_t len)
{
	return do_munmap(tsk->mm, addr, len);
}

/* brk (mm/mmap.c): the new break, or the old one when it cannot move. */
long sys_brk(struct task_struct *tsk, unsigned long brk)
{
	struct mm_struct *mm = tsk->mm;
	unsigned long newbrk = PAGE_ALIGN(brk), oldbrk = PAGE_ALIGN(mm->brk);
	struct vm_area_struct *next;

	if (brk < mm->start_brk || brk > mm->task_size)
		return (long)mm->brk;
	if (newbrk == oldbrk) {
		mm->brk = brk;
		return (long)brk;
	}
	if (brk <= mm->brk) {
		if (do_munmap(mm, newbrk, oldbrk - newbrk))
			return (long)mm->brk;
		mm->brk = brk;
		return (long)brk;
	}
	/* Growing must leave a page and any stack guard gap before the next mapping. */
	next = find_vma(mm, oldbrk);
	if (next && newbrk + PAGE_SIZE > (next->vm_flags & VM_GROWSDOWN ? next->vm_start - STACK_GUARD_GAP
									 : next->vm_start))
		return (long)mm->brk;
	/* check_brk_limits: after mlockall(MCL_FUTURE) the new heap is locked, within RLIMIT_MEMLOCK */
	if (!mlock_future_ok(tsk, mm->def_flags, newbrk - oldbrk) ||
	    !map_anon_range(mm, oldbrk, newbrk, VM_DATA_DEFAULT_FLAGS | VM_ACCOUNT | mm->def_flags))
		return (long)mm->brk;
	mm->brk = brk;
	if (mm->def_flags & VM_LOCKED)
		mm_populate(mm, oldbrk, newbrk - oldbrk);
	return (long)brk;
}

struct mm_struct *mm_alloc(struct machine *m)
{
	struct mm_struct *mm = calloc(1, sizeof(*mm));

	if (!mm)
		return NULL;
	mm->machine = m;
	mm->pm = paging_mode_of(m);
	mm->task_size = mm->pm->task_size;
	mm->mm_rb = RB_ROOT;
	mm->mm_users = 1;
	if (pgd_alloc(mm)) {
		free(mm);
		return NULL;
	}
	return mm;
}

/* exit_mmap: every VMA, page and table goes; then the pgd and the mm. */
void mmput(struct mm_struct *mm)
{
	if (--mm->mm_users)
		return;
	ksm_exit(mm);
	khugepaged_exit(mm);
	leave_mm(mm->machine, mm);
	/* Tables exist only under VMAs: removing them all with no floor or ceiling frees every one. */
	if (mm->mmap)
		remove_range(mm, mm->mmap, mm->task_size);
	pgd_free(mm);
	free(mm->seq);
	free(mm);
}
