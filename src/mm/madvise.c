/*
 * madvise (mm/madvise.c): advice about a range, one table entry per advice (madvise_behaviors below:
 * add new advice there). DONTNEED drops the pages (anonymous memory reads zeros afterwards), and
 * DONTNEED_LOCKED does in locked VMAs too (unlocking them, the VMA staying locked); FREE
 * lets reclaim drop clean pages without swapping them out; WILLNEED reads swapped pages back ahead
 * of use; REMOVE punches a hole in shared memory; COLD deactivates pages and PAGEOUT reclaims them at
 * once; DONTFORK/DOFORK and WIPEONFORK/KEEPONFORK set VMA flags fork honours, and NORMAL,
 * SEQUENTIAL and RANDOM the readahead flags, splitting and merging VMAs as mprotect does;
 * MERGEABLE/UNMERGEABLE hand the range to KSM or take it back (mm/ksm.c).
 */
#include <errno.h>
#include <string.h>

#include <mmlab/fs.h>
#include <mmlab/huge_mm.h>
#include <mmlab/hugetlb.h>
#include <mmlab/khugepaged.h>
#include <mmlab/ksm.h>
#include <mmlab/list.h>
#include <mmlab/mm.h>
#include <mmlab/mman.h>
#include <mmlab/syscalls.h>
#include <mmlab/vmscan.h>

/* What the advice of one table entry does to the part [start, end) of one VMA: 0 or a negative errno;
 * *vmap is left at the VMA covering start (flag changes split and merge). */
typedef int madvise_fn(struct vm_area_struct **vmap, unsigned long start, unsigned long end, int behavior);

/* vma->vm_file: file mappings, shared anonymous memory (a shmem file) and hugetlb mappings (a
 * hugetlbfs file) have one; private anonymous memory has none. */
static bool vma_has_file(const struct vm_area_struct *vma)
{
	return vma->vm_file || vma->shm || vma->hfile;
}

/* ---- The VMA flags: NORMAL, SEQUENTIAL, RANDOM, DONTFORK, DOFORK, WIPEONFORK, KEEPONFORK, HUGEPAGE,
 * NOHUGEPAGE ---- */

/* The VMA flags an advice leaves (madvise_vma_behavior). SEQUENTIAL and RANDOM are recorded for the
 * page cache's readahead. */
static unsigned long madvise_new_flags(int behavior, unsigned long flags)
{
	switch (behavior) {
	case MADV_NORMAL:
		return flags & ~(VM_RAND_READ | VM_SEQ_READ);
	case MADV_SEQUENTIAL:
		return (flags & ~VM_RAND_READ) | VM_SEQ_READ;
	case MADV_RANDOM:
		return (flags & ~VM_SEQ_READ) | VM_RAND_READ;
	case MADV_DONTFORK:
		return flags | VM_DONTCOPY;
	case MADV_DOFORK:
		return flags & ~VM_DONTCOPY;
	case MADV_WIPEONFORK:
		return flags | VM_WIPEONFORK;
	case MADV_HUGEPAGE:
	case MADV_NOHUGEPAGE:
		return hugepage_madvise(flags, behavior);
	default:	/* MADV_KEEPONFORK */
		return flags & ~VM_WIPEONFORK;
	}
}

/* madvise_update_vma: [start, end) gets the new flags, split off and merged with its neighbours. */
static int madvise_update_vma(struct vm_area_struct **vmap, unsigned long start, unsigned long end, int behavior)
{
	struct vm_area_struct *vma = *vmap;
	unsigned long newflags = madvise_new_flags(behavior, vma->vm_flags);
	int err = 0;

	/* WIPEONFORK only makes sense for private anonymous memory. */
	if (behavior == MADV_WIPEONFORK && (vma_has_file(vma) || (vma->vm_flags & VM_SHARED)))
		return -EINVAL;
	if (newflags == vma->vm_flags)
		return 0;
	*vmap = vma_modify_flags(vma->vm_mm, vma, start, end, newflags, &err);
	return *vmap ? 0 : err;
}

/* HUGEPAGE and NOHUGEPAGE exist only in a kernel with transparent huge pages (not i386 here). */
static int madvise_hugepage(struct vm_area_struct **vmap, unsigned long start, unsigned long end, int behavior)
{
	int err;

	if (!(*vmap)->vm_mm->machine->arch->thp)
		return -EINVAL;
	err = madvise_update_vma(vmap, start, end, behavior);
	if (!err && behavior == MADV_HUGEPAGE)	/* hugepage_madvise's khugepaged_enter_vma */
		khugepaged_enter_vma(*vmap);
	return err;
}

/* MADV_COLLAPSE: the range's PMD ranges collapsed into huge pages now (madvise_collapse). */
static int madvise_collapse_vma(struct vm_area_struct **vmap, unsigned long start, unsigned long end, int behavior)
{
	(void)behavior;
	return madvise_collapse(*vmap, start, end);
}

/* ---- DONTNEED and FREE ---- */

/* madvise_dontneed_free_valid_vma: neither drops locked pages, but DONTNEED_LOCKED does, nor raw
 * frames; hugetlb takes DONTNEED and DONTNEED_LOCKED only, from a huge-page-aligned start, its end
 * rounded down to a huge page. */
static bool madvise_dontneed_free_valid_vma(const struct vm_area_struct *vma, unsigned long start,
					    unsigned long *end, int behavior)
{
	unsigned long size;

	if (!(vma->vm_flags & VM_HUGETLB))
		return !(vma->vm_flags & (VM_PFNMAP | (behavior == MADV_DONTNEED_LOCKED ? 0 : VM_LOCKED)));
	size = huge_page_size(hstate_vma(vma));
	if (behavior == MADV_FREE || (start & (size - 1)))
		return false;
	*end &= ~(size - 1);
	return true;
}

/* madvise_free_pte_range, a swap entry: the slot is no longer needed. */
static int madvise_free_swap_pte(struct pt_entry pte, unsigned long addr, struct mm_walk *walk)
{
	return zap_swap_pte(pte, addr, walk);
}

/* madvise_free_pte_range, a present page: dropped from the swap cache and made clean, in the page and
 * in the PTE (whose Dirty bit then tells whether it was written again), and lazily freed. A page in
 * the swap cache or dirty is left alone while another PTE maps it. */
static int madvise_free_pte(struct pt_entry pte, unsigned long addr, struct mm_walk *walk)
{
	struct machine *m = walk->mm->machine;
	pteval_t v = ptep_get(pte);
	struct page *page = vm_normal_page(walk->mm, v);

	(void)addr;
	/* a page of a huge folio mapped by PTEs: the kernel splits the folio if it can; it stays here */
	if (!page || !PageAnon(page) || PageHead(page) || PageTail(page))
		return 0;
	if (PageSwapCache(page) || test_bit_flag(page, PG_dirty)) {
		if (page->_mapcount > 0 || (PageSwapCache(page) && !folio_free_swap(m, page)))
			return 0;
		clear_page_flag(page, PG_dirty);
	}
	if (v & (_PAGE_ACCESSED | _PAGE_DIRTY))
		set_pte(pte, v & ~(pteval_t)(_PAGE_ACCESSED | _PAGE_DIRTY));
	folio_mark_lazyfree(m, page);
	return 0;
}

/* The folio a huge PMD maps, or NULL for the huge zero page (vm_normal_page_pmd). */
static struct page *vm_normal_page_pmd(struct mm_struct *mm, pteval_t v)
{
	unsigned long pfn = pte_pfn(mm->pm, v);

	return is_huge_zero_pfn(mm->machine, pfn) ? NULL : pfn_to_page(mm->machine, pfn);
}

/* madvise_free_huge_pmd: a whole huge PMD of a folio mapped only here is made clean and old and the
 * folio lazily freed; part of one is split, and its pages are left alone (mm/huge_memory.c). */
static int madvise_free_pmd(struct pt_entry pmd, unsigned long addr, unsigned long next, struct mm_walk *walk)
{
	pteval_t v = ptep_get(pmd);
	struct page *folio = vm_normal_page_pmd(walk->mm, v);

	if (split_huge_pmd_partial(walk->private, pmd, addr, next) || !folio || folio_mapcount(folio) != 1)
		return 0;
	clear_page_flag(folio, PG_dirty);
	set_pte(pmd, v & ~(pteval_t)(_PAGE_ACCESSED | _PAGE_DIRTY));
	folio_mark_lazyfree(walk->mm->machine, folio);
	return 0;
}

static const struct mm_walk_ops madvise_free_walk_ops = { .pte_entry = madvise_free_pte,
							  .swap_entry = madvise_free_swap_pte,
							  .pmd_entry = madvise_free_pmd };

/* madvise_free_single_vma: private anonymous memory only; what was written there may now read back
 * as zeros, so verify stops checking it. */
static int madvise_free_single_vma(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	struct mm_struct *mm = vma->vm_mm;

	if (!vma_is_anonymous(vma))
		return -EINVAL;
	walk_page_range(mm, start, end, &madvise_free_walk_ops, vma);
	flush_tlb_mm_range(mm->machine, mm, start, end);
	seq_record(mm, start, end, false);
	return 0;
}

/* madvise_dontneed_free (mm/madvise.c). */
static int madvise_dontneed_free(struct vm_area_struct **vmap, unsigned long start, unsigned long end, int behavior)
{
	struct vm_area_struct *vma = *vmap;

	if (!madvise_dontneed_free_valid_vma(vma, start, &end, behavior))
		return -EINVAL;
	if (start == end)
		return 0;
	if (behavior == MADV_FREE)
		return madvise_free_single_vma(vma, start, end);
	zap_page_range(vma, start, end);
	return 0;
}

/* ---- WILLNEED ---- */

/* swapin_walk_pmd_entry, one swap entry: its page read into the swap cache if it is not there yet;
 * the fault that follows finds it (a minor fault). */
static int swapin_walk_pte(struct pt_entry pte, unsigned long addr, struct mm_walk *walk)
{
	struct machine *m = walk->mm->machine;
	swp_entry_t entry = pte_to_swp_entry(walk->mm->pm->entry_size, ptep_get(pte));
	struct page *page;

	(void)addr;
	if (__swap_count(m, entry) <= 0 || swap_cache_get_folio(m, entry))
		return 0;
	page = read_swap_cache_async(m, entry, GFP_HIGHUSER_MOVABLE);
	if (page)
		put_page(m, page);
	return 0;
}

static const struct mm_walk_ops swapin_walk_ops = { .swap_entry = swapin_walk_pte };

/* madvise_willneed: private anonymous memory reads its swapped pages back now; a file mapping reads
 * the file's pages of the range into the page cache (vfs_fadvise, force_page_cache_readahead): at
 * most the larger of the device's io_pages and the file's ra_pages, 128 KiB by default. A shmem
 * object's pages are never swapped out here (shmem_swapin_range finds nothing), and a hugetlbfs file
 * has no readahead (generic_fadvise on a noop backing device): both take the advice and do nothing. */
static int madvise_willneed(struct vm_area_struct **vmap, unsigned long start, unsigned long end, int behavior)
{
	struct vm_area_struct *vma = *vmap;
	unsigned long first = vma->vm_pgoff + ((start - vma->vm_start) >> PAGE_SHIFT);

	(void)behavior;
	if (vma->vm_file)
		force_page_cache_readahead(vma->vm_mm->machine, vma->vm_file->f_mapping, vma->vm_file, first,
					   (end - start) >> PAGE_SHIFT);
	else if (!vma_has_file(vma))
		walk_page_range(vma->vm_mm, start, end, &swapin_walk_ops, NULL);
	return 0;
}

/* ---- REMOVE ---- */

/* madvise_remove: a hole punched in the file behind a shared writable mapping (vfs_fallocate with
 * FALLOC_FL_PUNCH_HOLE): its pages leave every mapping and later reads see zeros. Private anonymous
 * memory has no file (-EINVAL); a private hugetlb mapping's file is not shared writable (-EACCES);
 * shmem and hugetlbfs punch holes, other files here cannot (-EOPNOTSUPP). */
static int madvise_remove(struct vm_area_struct **vmap, unsigned long start, unsigned long end, int behavior)
{
	struct vm_area_struct *vma = *vmap;
	struct machine *m = vma->vm_mm->machine;
	unsigned long first = vma->vm_pgoff + ((start - vma->vm_start) >> PAGE_SHIFT);

	(void)behavior;
	if (vma->vm_flags & VM_LOCKED)
		return -EINVAL;
	if (!vma_has_file(vma))
		return -EINVAL;
	if ((vma->vm_flags & (VM_SHARED | VM_MAYWRITE)) != (VM_SHARED | VM_MAYWRITE))
		return -EACCES;
	if (vma->hfile)
		hugetlbfs_punch_hole(m, vma->hfile, first << PAGE_SHIFT, end - start);
	else if (vma->shm)
		shmem_punch_hole(m, vma->shm, first, first + ((end - start) >> PAGE_SHIFT));
	else
		return -EOPNOTSUPP;	/* the machine's files have no fallocate: vfs_fallocate's answer */
	return 0;
}

/* ---- COLD and PAGEOUT ---- */

/* What the cold/pageout walk carries (struct madvise_walk_private). */
struct madvise_walk_private {
	struct list_head folio_list;	/* PAGEOUT: the pages isolated for reclaim */
	bool pageout;
	struct vm_area_struct *vma;
};

/* A folio mapped only by the entry e: made old, then deactivated (COLD) or isolated (PAGEOUT). */
static void madvise_cold_or_pageout_folio(struct madvise_walk_private *priv, struct machine *m, struct pt_entry e,
					  struct page *folio)
{
	pteval_t v = ptep_get(e);

	if (v & _PAGE_ACCESSED)
		set_pte(e, v & ~(pteval_t)_PAGE_ACCESSED);
	clear_page_flag(folio, PG_referenced);
	if (!priv->pageout)
		folio_deactivate(m, folio);
	else if (!test_bit_flag(folio, PG_unevictable) && folio_isolate_lru(m, folio))
		list_add(&folio->lru, &priv->folio_list);
}

/* madvise_cold_or_pageout_pte_range, one present page. A page another PTE maps too, one on no LRU
 * list, or a page of a huge folio mapped by PTEs (which the kernel would split first), is left alone. */
static int madvise_cold_or_pageout_pte(struct pt_entry pte, unsigned long addr, struct mm_walk *walk)
{
	struct page *page = vm_normal_page(walk->mm, ptep_get(pte));

	(void)addr;
	if (page && PageLRU(page) && !PageHead(page) && page->_mapcount <= 0)
		madvise_cold_or_pageout_folio(walk->private, walk->mm->machine, pte, page);
	return 0;
}

/* madvise_cold_or_pageout_pte_range, a huge PMD: its folio whole when the range covers it and only
 * this PMD maps it; part of one is split, and the walk goes on through its PTEs. */
static int madvise_cold_or_pageout_pmd(struct pt_entry pmd, unsigned long addr, unsigned long next,
				       struct mm_walk *walk)
{
	struct madvise_walk_private *priv = walk->private;
	struct page *folio = vm_normal_page_pmd(walk->mm, ptep_get(pmd));

	if (!split_huge_pmd_partial(priv->vma, pmd, addr, next) && folio && PageLRU(folio) && folio_mapcount(folio) == 1)
		madvise_cold_or_pageout_folio(priv, walk->mm->machine, pmd, folio);
	return 0;
}

static const struct mm_walk_ops cold_walk_ops = { .pte_entry = madvise_cold_or_pageout_pte,
						  .pmd_entry = madvise_cold_or_pageout_pmd };

/* can_madv_lru_vma: locked, raw-frame and hugetlb memory is not the LRU's. */
static bool can_madv_lru_vma(const struct vm_area_struct *vma)
{
	return !(vma->vm_flags & (VM_LOCKED | VM_PFNMAP | VM_HUGETLB));
}

/* madvise_cold, madvise_pageout: the walk, then (PAGEOUT) reclaim_pages on what it isolated, with the
 * real swap-out of anonymous pages. */
static int madvise_cold_or_pageout(struct vm_area_struct **vmap, unsigned long start, unsigned long end, int behavior)
{
	struct vm_area_struct *vma = *vmap;
	struct madvise_walk_private priv = { .pageout = behavior == MADV_PAGEOUT, .vma = vma };

	if (!can_madv_lru_vma(vma))
		return -EINVAL;
	INIT_LIST_HEAD(&priv.folio_list);
	walk_page_range(vma->vm_mm, start, end, &cold_walk_ops, &priv);
	flush_tlb_mm_range(vma->vm_mm->machine, vma->vm_mm, start, end);
	if (priv.pageout)
		reclaim_pages(vma->vm_mm->machine, &priv.folio_list);
	return 0;
}

/* ---- MERGEABLE, UNMERGEABLE ---- */

/* The KSM advice: ksm_madvise registers the mm or breaks the range's KSM pages, and says what the
 * flags become; the VMA splits and merges as for the other flags. */
static int madvise_ksm(struct vm_area_struct **vmap, unsigned long start, unsigned long end, int behavior)
{
	struct vm_area_struct *vma = *vmap;
	unsigned long newflags = vma->vm_flags;
	int err = ksm_madvise(vma, start, end, behavior, &newflags);

	if (err || newflags == vma->vm_flags)
		return err;
	*vmap = vma_modify_flags(vma->vm_mm, vma, start, end, newflags, &err);
	return *vmap ? 0 : err;
}

/* ---- The table and the system call ---- */

/* Every advice the machine takes (madvise_behavior_valid, madvise_vma_behavior): its scenario name
 * (the MADV_ name in lower case), value and handler. */
static const struct madvise_behavior {
	const char *name;
	int behavior;
	madvise_fn *apply;
} madvise_behaviors[] = {
	{ "normal", MADV_NORMAL, madvise_update_vma },
	{ "random", MADV_RANDOM, madvise_update_vma },
	{ "sequential", MADV_SEQUENTIAL, madvise_update_vma },
	{ "willneed", MADV_WILLNEED, madvise_willneed },
	{ "dontneed", MADV_DONTNEED, madvise_dontneed_free },
	{ "dontneed_locked", MADV_DONTNEED_LOCKED, madvise_dontneed_free },
	{ "free", MADV_FREE, madvise_dontneed_free },
	{ "remove", MADV_REMOVE, madvise_remove },
	{ "dontfork", MADV_DONTFORK, madvise_update_vma },
	{ "dofork", MADV_DOFORK, madvise_update_vma },
	{ "wipeonfork", MADV_WIPEONFORK, madvise_update_vma },
	{ "keeponfork", MADV_KEEPONFORK, madvise_update_vma },
	{ "mergeable", MADV_MERGEABLE, madvise_ksm },
	{ "unmergeable", MADV_UNMERGEABLE, madvise_ksm },
	{ "hugepage", MADV_HUGEPAGE, madvise_hugepage },
	{ "nohugepage", MADV_NOHUGEPAGE, madvise_hugepage },
	{ "collapse", MADV_COLLAPSE, madvise_collapse_vma },
	{ "cold", MADV_COLD, madvise_cold_or_pageout },
	{ "pageout", MADV_PAGEOUT, madvise_cold_or_pageout },
};

#define NR_MADVISE_BEHAVIORS (sizeof(madvise_behaviors) / sizeof(madvise_behaviors[0]))

static const struct madvise_behavior *madvise_behavior_of(int behavior)
{
	for (size_t i = 0; i < NR_MADVISE_BEHAVIORS; i++)
		if (madvise_behaviors[i].behavior == behavior)
			return &madvise_behaviors[i];
	return NULL;
}

int madvise_advice_by_name(const char *name)
{
	for (size_t i = 0; i < NR_MADVISE_BEHAVIORS; i++)
		if (!strcmp(madvise_behaviors[i].name, name))
			return madvise_behaviors[i].behavior;
	return -1;
}

const char *madvise_advice_name(size_t i)
{
	return i < NR_MADVISE_BEHAVIORS ? madvise_behaviors[i].name : NULL;
}

/* madvise_walk_vmas: the advice for every VMA of [start, end); holes are skipped and reported as
 * -ENOMEM at the end, a VMA's error stops the walk (mm/madvise.c). */
static long madvise_walk_vmas(struct mm_struct *mm, unsigned long start, unsigned long end,
			      const struct madvise_behavior *b)
{
	int unmapped = 0;

	for (unsigned long addr = start; addr < end;) {
		struct vm_area_struct *vma = find_vma(mm, addr);
		int err;

		if (!vma || vma->vm_start >= end)
			return -ENOMEM;
		if (vma->vm_start > addr) {
			unmapped = -ENOMEM;	/* a hole: advise the rest, then say so */
			addr = vma->vm_start;
		}
		err = b->apply(&vma, addr, vma->vm_end < end ? vma->vm_end : end, b->behavior);
		if (err)
			return err;
		addr = vma->vm_end;
	}
	return unmapped;
}

long sys_madvise(struct task_struct *tsk, unsigned long start, size_t len, int behavior)
{
	const struct madvise_behavior *b = madvise_behavior_of(behavior);
	unsigned long end;

	if (!b || (start & ~PAGE_MASK))
		return -EINVAL;
	end = start + PAGE_ALIGN(len);
	if ((len && !PAGE_ALIGN(len)) || end < start)
		return -EINVAL;
	return madvise_walk_vmas(tsk->mm, start, end, b);
}
