/*
 * mlock (mm/mlock.c): locked ranges are VMAs with VM_LOCKED, counted in locked_vm (VmLck) and
 * faulted in at once unless VM_LOCKONFAULT; mlockall(MCL_FUTURE) makes every later mapping locked
 * too. The pages they map are mlocked: PG_mlocked (NR_MLOCK, unevictable_pgs_mlocked), moved to the
 * unevictable LRU, which reclaim never scans, with an mlock_count of the locked VMAs mapping them;
 * munlock undoes it when the count drops to zero (unevictable_pgs_munlocked, _rescued). Memory
 * locks are not inherited by fork. A task without CAP_IPC_LOCK (not root) may lock up to its
 * RLIMIT_MEMLOCK, and nothing when that is 0.
 */
#include <errno.h>

#include <mmlab/huge_mm.h>
#include <mmlab/mm.h>
#include <mmlab/mman.h>
#include <mmlab/sched.h>
#include <mmlab/syscalls.h>
#include <mmlab/vmscan.h>
#include <mmlab/vmstat.h>

/* The folio's zone's NR_MLOCK, by its pages. */
static void mod_mlock(struct machine *m, struct page *page, long sign)
{
	__mod_zone_page_state(page_zone(m, page), NR_MLOCK, sign * (long)folio_nr_pages(page));
}

/* An unlisted page joins the unevictable list, held there by one locked VMA (unevictable_pgs_culled). */
static void add_unevictable(struct machine *m, struct page *page)
{
	clear_page_flag(page, PG_active);
	set_page_flag(page, PG_unevictable);
	page->mlock_count = 1;
	lruvec_add_folio(m, page);
	count_vm_events(m, UNEVICTABLE_PGCULLED, folio_nr_pages(page));
}

/* __mlock_folio: an mlocked page on an LRU moves to the unevictable list, or one more locked VMA
 * counts on it there; an isolated page is left to whoever holds it (putback sees PG_mlocked). */
static void __mlock_folio(struct machine *m, struct page *page)
{
	if (!PageLRU(page))
		return;
	if (test_bit_flag(page, PG_unevictable)) {
		page->mlock_count++;
		return;
	}
	lruvec_del_folio(m, page);
	add_unevictable(m, page);
}

void mlock_folio(struct machine *m, struct page *page)
{
	page = compound_head(page);
	if (!test_bit_flag(page, PG_mlocked)) {
		set_page_flag(page, PG_mlocked);
		mod_mlock(m, page, 1);
		count_vm_events(m, UNEVICTABLE_PGMLOCKED, folio_nr_pages(page));
	}
	__mlock_folio(m, page);
}

/* mlock_new_folio: mlock_folio on a page no LRU holds yet (__mlock_new_folio adds it). */
void mlock_new_folio(struct machine *m, struct page *page)
{
	mlock_folio(m, page);
	add_unevictable(m, compound_head(page));
}

void munlock_folio(struct machine *m, struct page *page)
{
	bool isolated;

	page = compound_head(page);
	isolated = PageLRU(page);

	if (isolated && test_bit_flag(page, PG_unevictable) && page->mlock_count && --page->mlock_count)
		return;
	/* else the last lock went (or the count undercounted: reclaim will lock it again) */
	if (test_bit_flag(page, PG_mlocked)) {
		clear_page_flag(page, PG_mlocked);
		mod_mlock(m, page, -1);
		count_vm_events(m, isolated || !test_bit_flag(page, PG_unevictable) ? UNEVICTABLE_PGMUNLOCKED
										     : UNEVICTABLE_PGSTRANDED,
				folio_nr_pages(page));
	}
	if (isolated && test_bit_flag(page, PG_unevictable) && folio_evictable(page)) {
		lruvec_del_folio(m, page);
		clear_page_flag(page, PG_unevictable);
		lruvec_add_folio(m, page);
		count_vm_events(m, UNEVICTABLE_PGRESCUED, folio_nr_pages(page));
	}
}

/* The folio follows its VMA: mlocked when the VMA is locked, else munlocked. */
static void mlock_vma_range_folio(struct machine *m, const struct vm_area_struct *vma, struct page *folio)
{
	if (vma->vm_flags & VM_LOCKED)
		mlock_folio(m, folio);
	else
		munlock_folio(m, folio);
}

/* allow_mlock_munlock: a page of a large folio mapped by PTEs counts only when the VMA (the range
 * mlock_fixup cut it to) holds the whole folio, and then once, at its first page, as the kernel's
 * folio_mlock_step batch does; a folio partly outside (a huge page split by the VMA cut of a
 * partial mlock) is left as it is. */
static bool allow_mlock_munlock(const struct vm_area_struct *vma, struct page *page, unsigned long addr)
{
	if (PageTail(page))
		return false;
	return !PageHead(page) || addr + (folio_nr_pages(page) << PAGE_SHIFT) <= vma->vm_end;
}

/* mlock_pte_range: each page the range maps is mlocked or munlocked with its VMA; the zero page
 * is no one's. */
static int mlock_pte(struct pt_entry pte, unsigned long addr, struct mm_walk *walk)
{
	struct vm_area_struct *vma = walk->private;
	struct machine *m = walk->mm->machine;
	unsigned long pfn = pte_pfn(walk->mm->pm, ptep_get(pte));

	if (is_zero_pfn(m, pfn) || !allow_mlock_munlock(vma, pfn_to_page(m, pfn), addr))
		return 0;
	mlock_vma_range_folio(m, vma, pfn_to_page(m, pfn));
	return 0;
}

/* mlock_pte_range, a huge PMD: its folio, whole (mlock_fixup's VMA cut split any PMD the range
 * covers in part); the huge zero page is no one's. */
static int mlock_pmd(struct pt_entry pmd, unsigned long addr, unsigned long next, struct mm_walk *walk)
{
	struct machine *m = walk->mm->machine;
	unsigned long pfn = pte_pfn(walk->mm->pm, ptep_get(pmd));

	(void)addr;
	(void)next;
	if (!is_huge_zero_pfn(m, pfn))
		mlock_vma_range_folio(m, walk->private, pfn_to_page(m, pfn));
	return 0;
}

static const struct mm_walk_ops mlock_walk_ops = { .pte_entry = mlock_pte, .pmd_entry = mlock_pmd };

/* mlock_fixup: [start, end) of vma gets newflags' lock bits; the pages already mapped follow when
 * VM_LOCKED comes or goes (mlocking twice would count twice). 0, or split_vma's error (-ENOMEM,
 * -EINVAL through a huge page). */
static int mlock_fixup(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long start, unsigned long end,
		       unsigned long newflags)
{
	unsigned long oldflags = vma->vm_flags;
	int err = 0;

	if (newflags == oldflags || (oldflags & VM_SPECIAL))
		return 0;
	vma = vma_modify_flags(mm, vma, start, end, newflags, &err);
	if (vma && ((oldflags ^ newflags) & VM_LOCKED))
		walk_page_range(mm, start, end, &mlock_walk_ops, vma);
	return err;
}

/* apply_vma_lock_flags: the lock bits of every VMA of [start, end) become flags; -ENOMEM for a hole,
 * -EINVAL for a cut through a huge page. */
static long apply_vma_lock_flags(struct mm_struct *mm, unsigned long start, unsigned long end, unsigned long flags)
{
	for (unsigned long nstart = start; nstart < end;) {
		struct vm_area_struct *vma = find_vma(mm, nstart);
		unsigned long tmp;
		int err;

		if (!vma || vma->vm_start > nstart)
			return -ENOMEM;
		tmp = vma->vm_end < end ? vma->vm_end : end;
		err = mlock_fixup(mm, vma, nstart, tmp, (vma->vm_flags & ~VM_LOCKED_MASK) | flags);
		if (err)
			return err;
		nstart = tmp;
	}
	return 0;
}

/* can_do_mlock: a task may lock memory if its RLIMIT_MEMLOCK is not 0 or it has CAP_IPC_LOCK. */
static bool can_do_mlock(const struct task_struct *tsk)
{
	return rlimit(tsk, RLIMIT_MEMLOCK) != 0 || capable(tsk, CAP_IPC_LOCK);
}

/* count_mm_mlocked_page_nr: the pages of [start, end) already in locked VMAs (counted in
 * locked_vm, so not counted twice against the limit). */
static unsigned long count_mm_mlocked_page_nr(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	unsigned long count = 0;

	for (struct vm_area_struct *vma = find_vma(mm, start); vma && vma->vm_start < end; vma = vma->vm_next)
		if (vma->vm_flags & VM_LOCKED)
			count += ((vma->vm_end < end ? vma->vm_end : end) - (vma->vm_start > start ? vma->vm_start : start)) >>
				 PAGE_SHIFT;
	return count;
}

/* do_mlock's limit: what the range adds to locked_vm stays within RLIMIT_MEMLOCK, for a task without
 * CAP_IPC_LOCK. */
static bool mlock_within_limit(const struct task_struct *tsk, unsigned long start, unsigned long end)
{
	unsigned long lock_limit = rlimit(tsk, RLIMIT_MEMLOCK) >> PAGE_SHIFT;
	unsigned long locked = ((end - start) >> PAGE_SHIFT) + tsk->mm->locked_vm;

	if (locked <= lock_limit || capable(tsk, CAP_IPC_LOCK))
		return true;
	return locked - count_mm_mlocked_page_nr(tsk->mm, start, end) <= lock_limit;
}

/* do_mlock: the range page-aligned outward, as mlock(2) takes it; populated unless on fault. munlock
 * (flags 0) needs no permission. */
static long do_mlock(struct task_struct *tsk, unsigned long start, size_t len, unsigned long flags)
{
	unsigned long end = PAGE_ALIGN(start + len);
	long ret;

	start &= PAGE_MASK;
	if (end < start)
		return -EINVAL;
	if (flags && !can_do_mlock(tsk))
		return -EPERM;
	if (flags && !mlock_within_limit(tsk, start, end))
		return -ENOMEM;
	ret = apply_vma_lock_flags(tsk->mm, start, end, flags);
	if (!ret && flags == VM_LOCKED)
		mm_populate(tsk->mm, start, end - start);
	return ret;
}

long sys_mlock(struct task_struct *tsk, unsigned long start, size_t len)
{
	return do_mlock(tsk, start, len, VM_LOCKED);
}

long sys_mlock2(struct task_struct *tsk, unsigned long start, size_t len, int flags)
{
	if (flags & ~MLOCK_ONFAULT)
		return -EINVAL;
	return do_mlock(tsk, start, len, flags & MLOCK_ONFAULT ? VM_LOCKED_MASK : VM_LOCKED);
}

long sys_munlock(struct task_struct *tsk, unsigned long start, size_t len)
{
	return do_mlock(tsk, start, len, 0);
}

/* apply_mlockall_flags: every VMA (MCL_CURRENT), and every later one (MCL_FUTURE), locked, on
 * fault with MCL_ONFAULT; flags 0 unlocks all. */
static long apply_mlockall_flags(struct mm_struct *mm, int flags)
{
	unsigned long to_add = 0;
	struct vm_area_struct *vma;

	mm->def_flags &= ~VM_LOCKED_MASK;
	if (flags & MCL_FUTURE) {
		mm->def_flags |= VM_LOCKED | (flags & MCL_ONFAULT ? VM_LOCKONFAULT : 0);
		if (!(flags & MCL_CURRENT))
			return 0;
	}
	if (flags & MCL_CURRENT)
		to_add = VM_LOCKED | (flags & MCL_ONFAULT ? VM_LOCKONFAULT : 0);
	for (vma = mm->mmap; vma;) {
		unsigned long end = vma->vm_end;

		int err = mlock_fixup(mm, vma, vma->vm_start, end, (vma->vm_flags & ~VM_LOCKED_MASK) | to_add);

		if (err)
			return err;
		/* the VMA may have merged forward: go on after the range just done */
		vma = find_vma(mm, end);
	}
	return 0;
}

long sys_mlockall(struct task_struct *tsk, int flags)
{
	struct mm_struct *mm = tsk->mm;
	long ret;

	if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) || flags == MCL_ONFAULT)
		return -EINVAL;
	if (!can_do_mlock(tsk))
		return -EPERM;
	/* MCL_CURRENT locks the whole address space: it must fit the limit */
	if ((flags & MCL_CURRENT) && mm->total_vm > rlimit(tsk, RLIMIT_MEMLOCK) >> PAGE_SHIFT &&
	    !capable(tsk, CAP_IPC_LOCK))
		return -ENOMEM;
	ret = apply_mlockall_flags(mm, flags);
	if (!ret && (flags & MCL_CURRENT) && !(flags & MCL_ONFAULT))
		for (struct vm_area_struct *vma = mm->mmap; vma; vma = vma->vm_next)
			mm_populate(mm, vma->vm_start, vma->vm_end - vma->vm_start);
	return ret;
}

long sys_munlockall(struct task_struct *tsk)
{
	return apply_mlockall_flags(tsk->mm, 0);
}
