/*
 * Transparent huge pages for anonymous memory (mm/huge_memory.c). A fault on an empty PMD of a VMA
 * that covers the whole 2 MiB-aligned range, when /sys/kernel/mm/transparent_hugepage/enabled is
 * "always" (or "madvise" and the VMA has MADV_HUGEPAGE), maps a zeroed order-9 folio with one PSE
 * PMD entry - the entry hugetlb maps its pages with (make_huge_pte), which the MMU walk and the 2M
 * TLB entries already understand. A read fault may map the huge zero page instead.
 *
 * Each huge PMD has a page table deposited beside it, so that splitting it never allocates: a part of
 * the range changing (munmap, mprotect, mremap, MADV_DONTNEED of part of it, a VMA cut inside it)
 * turns the PMD into that table of 512 PTEs mapping the same pages, and the folio stays whole, now
 * mapped by PTEs. A folio left partly mapped goes on its node's deferred split queue, whose
 * shrinker (under reclaim, or drop_caches 2) splits it and frees its unmapped pages. Reclaim splits
 * a folio into 512 small pages before swapping them out (the kernel without CONFIG_THP_SWAP);
 * compaction and migration leave huge folios where they are.
 *
 * A large folio's mappings: each PMD mapping it whole counts in its entire mapcount (in the first
 * tail page), each PTE in its page's own _mapcount; every mapping holds a reference on the head.
 * Every page of the folio carries the folio's anon_vma and its own index, so that the reverse map
 * finds the PTEs of each (the kernel reaches them through page_folio).
 *
 * Not modelled: the shrinker of underused THPs (thp_underused: only partly mapped folios are
 * queued), mTHP sizes, THP for shmem and files, PUD-sized pages.
 */
#include <errno.h>
#include <string.h>

#include <mmlab/cmdline.h>
#include <mmlab/gfp.h>
#include <mmlab/huge_mm.h>
#include <mmlab/hugetlb.h>
#include <mmlab/khugepaged.h>
#include <mmlab/mman.h>
#include <mmlab/procfs.h>
#include <mmlab/seq_file.h>
#include <mmlab/vmscan.h>
#include <mmlab/vmstat.h>

#include "fs/proc/internal.h"
#include "internal.h"

#define THP_FLAG(f)	(1UL << TRANSPARENT_HUGEPAGE_##f)
#define THP_ENABLED_MASK	(THP_FLAG(FLAG) | THP_FLAG(REQ_MADV_FLAG))
#define THP_DEFRAG_MASK		(THP_FLAG(DEFRAG_DIRECT_FLAG) | THP_FLAG(DEFRAG_KSWAPD_FLAG) | \
				 THP_FLAG(DEFRAG_KSWAPD_OR_MADV_FLAG) | THP_FLAG(DEFRAG_REQ_MADV_FLAG))

void hugepage_init(struct machine *m)
{
	m->transparent_hugepage_flags = THP_FLAG(REQ_MADV_FLAG) | THP_FLAG(DEFRAG_REQ_MADV_FLAG) |
					THP_FLAG(DEFRAG_KHUGEPAGED_FLAG) | THP_FLAG(USE_ZERO_PAGE_FLAG);
	for (int nid = 0; nid < m->nr_node_ids; nid++)
		INIT_LIST_HEAD(&NODE_DATA(m, nid)->deferred_split_queue.split_queue);
}

static bool thp_flag(const struct machine *m, enum transparent_hugepage_flag f)
{
	return m->transparent_hugepage_flags & (1UL << f);
}

/* thp_vma_suitable_order: the PMD range around haddr lies inside the VMA (include/linux/huge_mm.h). */
static bool thp_vma_suitable_order(const struct vm_area_struct *vma, unsigned long haddr)
{
	return haddr >= vma->vm_start && haddr + HPAGE_PMD_SIZE <= vma->vm_end;
}

bool thp_vma_allowable_order(const struct vm_area_struct *vma, bool smaps)
{
	const struct machine *m;

	if (!vma->vm_mm)	/* the gate VMA */
		return false;
	m = vma->vm_mm->machine;
	if (!m->arch->thp || !vma_is_anonymous(vma) || (vma->vm_flags & (VM_HUGETLB | VM_NOHUGEPAGE)))
		return false;
	if (!thp_flag(m, TRANSPARENT_HUGEPAGE_FLAG) &&
	    !(thp_flag(m, TRANSPARENT_HUGEPAGE_REQ_MADV_FLAG) && (vma->vm_flags & VM_HUGEPAGE)))
		return false;
	return !smaps || thp_vma_holds_pmd(vma);
}

bool thp_vma_holds_pmd(const struct vm_area_struct *vma)
{
	return vma->vm_end - vma->vm_start >= HPAGE_PMD_SIZE &&
	       thp_vma_suitable_order(vma, (vma->vm_end - HPAGE_PMD_SIZE) & HPAGE_PMD_MASK);
}

/* vma_thp_gfp_mask: how hard a fault tries for a huge page, from defrag and the VMA's advice. */
static gfp_t vma_thp_gfp_mask(const struct vm_area_struct *vma)
{
	const struct machine *m = vma->vm_mm->machine;
	bool madvised = vma->vm_flags & VM_HUGEPAGE;

	if (thp_flag(m, TRANSPARENT_HUGEPAGE_DEFRAG_DIRECT_FLAG))
		return GFP_TRANSHUGE | (madvised ? 0 : __GFP_NORETRY);
	if (thp_flag(m, TRANSPARENT_HUGEPAGE_DEFRAG_KSWAPD_FLAG))
		return GFP_TRANSHUGE_LIGHT | __GFP_KSWAPD_RECLAIM;
	if (thp_flag(m, TRANSPARENT_HUGEPAGE_DEFRAG_KSWAPD_OR_MADV_FLAG))
		return GFP_TRANSHUGE_LIGHT | (madvised ? __GFP_DIRECT_RECLAIM : __GFP_KSWAPD_RECLAIM);
	if (thp_flag(m, TRANSPARENT_HUGEPAGE_DEFRAG_REQ_MADV_FLAG))
		return GFP_TRANSHUGE_LIGHT | (madvised ? __GFP_DIRECT_RECLAIM : 0);
	return GFP_TRANSHUGE_LIGHT;
}

bool is_huge_zero_pfn(const struct machine *m, unsigned long pfn)
{
	return m->tasks && m->tasks->huge_zero_folio && pfn == page_to_pfn(m, m->tasks->huge_zero_folio);
}

/* mm_get_huge_zero_folio: the huge zero page, allocated at its first use (thp_zero_page_alloc) and
 * kept: the shrinker that frees it when unused is not modelled. */
static struct page *mm_get_huge_zero_folio(struct machine *m)
{
	struct task_state *ts = m->tasks;

	if (!ts->huge_zero_folio) {
		ts->huge_zero_folio = alloc_pages(m, (GFP_TRANSHUGE | __GFP_ZERO) & ~__GFP_MOVABLE, HPAGE_PMD_ORDER);
		count_vm_event(m, ts->huge_zero_folio ? THP_ZERO_PAGE_ALLOC : THP_ZERO_PAGE_ALLOC_FAILED);
	}
	return ts->huge_zero_folio;
}

void pgtable_trans_huge_deposit(struct mm_struct *mm, struct page *pgtable)
{
	if (!mm->pmd_huge_pte)
		INIT_LIST_HEAD(&pgtable->lru);
	else
		list_add(&pgtable->lru, &mm->pmd_huge_pte->lru);
	mm->pmd_huge_pte = pgtable;
}

/* pgtable_trans_huge_withdraw: the last table deposited (mm/pgtable-generic.c). */
static struct page *pgtable_trans_huge_withdraw(struct mm_struct *mm)
{
	struct page *pgtable = mm->pmd_huge_pte;

	mm->pmd_huge_pte = list_empty(&pgtable->lru) ? NULL : list_entry(pgtable->lru.next, struct page, lru);
	if (mm->pmd_huge_pte)
		list_del(&pgtable->lru);
	return pgtable;
}

/* map_anon_folio_pmd: a new folio mapped whole at haddr: rmap, LRU, RSS (mm/huge_memory.c). */
static void map_anon_folio_pmd(struct vm_area_struct *vma, struct pt_entry pmd, struct page *folio,
			       unsigned long haddr)
{
	struct mm_struct *mm = vma->vm_mm;
	struct machine *m = mm->machine;

	folio_prep_large_rmappable(folio);
	folio_add_new_anon_rmap_pmd(m, folio, vma, haddr);
	set_page_flag(folio, PG_swapbacked);
	folio_add_lru_vma(m, folio, vma);	/* mlocked at once in a VM_LOCKED VMA */
	set_pte(pmd, make_huge_pte(m, vma, folio, vma->vm_flags & VM_WRITE) | _PAGE_DIRTY);
	add_mm_counter(mm, MM_ANONPAGES, (long)HPAGE_PMD_NR);
	count_vm_event(m, THP_FAULT_ALLOC);
}

/* vma_alloc_anon_folio_pmd: a zeroed PMD-sized folio for haddr, by the memory policy, or NULL
 * (thp_fault_fallback). */
static struct page *vma_alloc_anon_folio_pmd(struct vm_area_struct *vma, unsigned long haddr)
{
	struct machine *m = vma->vm_mm->machine;
	struct page *folio = vma_alloc_folio(vma_thp_gfp_mask(vma), HPAGE_PMD_ORDER, vma, haddr);

	if (!folio) {
		count_vm_event(m, THP_FAULT_FALLBACK);
		return NULL;
	}
	memset(kmap_local_page(m, folio), 0, HPAGE_PMD_SIZE);	/* folio_zero_user */
	return folio;
}

/* set_huge_zero_folio: the huge zero page mapped read-only at the PMD (its table deposited). */
static unsigned int set_huge_zero_folio(struct vm_area_struct *vma, struct pt_entry pmd)
{
	struct mm_struct *mm = vma->vm_mm;
	struct page *pgtable = pte_alloc_one(mm), *zero;

	if (!pgtable)
		return VM_FAULT_OOM;
	zero = mm_get_huge_zero_folio(mm->machine);
	if (!zero) {
		pte_free(mm, pgtable);
		count_vm_event(mm->machine, THP_FAULT_FALLBACK);
		return VM_FAULT_FALLBACK;
	}
	pgtable_trans_huge_deposit(mm, pgtable);
	set_pte(pmd, make_huge_pte(mm->machine, vma, zero, false));
	return 0;
}

unsigned int do_huge_pmd_anonymous_page(struct vm_area_struct *vma, unsigned long addr, struct pt_entry pmd,
					unsigned int flags)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long haddr = addr & HPAGE_PMD_MASK;
	struct page *folio, *pgtable;

	if (!thp_vma_suitable_order(vma, haddr))
		return VM_FAULT_FALLBACK;
	if (anon_vma_prepare(vma))
		return VM_FAULT_OOM;
	khugepaged_enter_vma(vma);
	if (!(flags & FAULT_FLAG_WRITE) && thp_flag(mm->machine, TRANSPARENT_HUGEPAGE_USE_ZERO_PAGE_FLAG))
		return set_huge_zero_folio(vma, pmd);
	folio = vma_alloc_anon_folio_pmd(vma, haddr);
	if (!folio)
		return VM_FAULT_FALLBACK;
	pgtable = pte_alloc_one(mm);
	if (!pgtable) {
		__free_pages(mm->machine, folio, HPAGE_PMD_ORDER);
		return VM_FAULT_OOM;
	}
	pgtable_trans_huge_deposit(mm, pgtable);
	map_anon_folio_pmd(vma, pmd, folio, haddr);
	return 0;
}

/* do_huge_zero_wp_pmd: a write to the huge zero page gets a new zeroed folio in its place, keeping
 * the table deposited for it. */
static unsigned int do_huge_zero_wp_pmd(struct vm_area_struct *vma, unsigned long haddr, struct pt_entry pmd)
{
	struct page *folio = vma_alloc_anon_folio_pmd(vma, haddr);

	if (!folio)
		return VM_FAULT_FALLBACK;
	set_pte(pmd, 0);
	flush_tlb_mm_range(vma->vm_mm->machine, vma->vm_mm, haddr, haddr + HPAGE_PMD_SIZE);
	map_anon_folio_pmd(vma, pmd, folio, haddr);
	return 0;
}

unsigned int do_huge_pmd_wp_page(struct vm_area_struct *vma, unsigned long addr, struct pt_entry pmd, pteval_t v)
{
	struct machine *m = vma->vm_mm->machine;
	unsigned long haddr = addr & HPAGE_PMD_MASK, pfn = pte_pfn(vma->vm_mm->pm, v);

	if (is_huge_zero_pfn(m, pfn)) {
		if (!do_huge_zero_wp_pmd(vma, haddr, pmd))
			return 0;
	} else if (page_ref_count(pfn_to_page(m, pfn)) == 1) {
		/* this PMD is the folio's only user: reuse it */
		set_pte(pmd, v | _PAGE_RW | _PAGE_DIRTY | _PAGE_ACCESSED);
		return 0;
	}
	__split_huge_pmd(vma, pmd, haddr);
	return VM_FAULT_FALLBACK;
}

long thp_get_unmapped_area(struct mm_struct *mm, unsigned long len, unsigned long flags)
{
	long ret = get_unmapped_area(mm, 0, len + HPAGE_PMD_SIZE, flags);
	unsigned long off_sub;

	if (ret < 0)	/* perhaps only the padding did not fit */
		return get_unmapped_area(mm, 0, len, flags);
	/* top-down, the padded range's top part when it starts aligned, else the first aligned address */
	off_sub = (0 - (unsigned long)ret) & (HPAGE_PMD_SIZE - 1);
	return ret + (long)(off_sub ? off_sub : HPAGE_PMD_SIZE);
}

void huge_pmd_set_accessed(struct pt_entry pmd, pteval_t v, unsigned int flags)
{
	set_pte(pmd, v | _PAGE_ACCESSED | (flags & FAULT_FLAG_WRITE ? _PAGE_DIRTY : 0));
}

void __split_huge_pmd(struct vm_area_struct *vma, struct pt_entry pmd, unsigned long haddr)
{
	struct mm_struct *mm = vma->vm_mm;
	struct machine *m = mm->machine;
	const struct paging_mode *pm = mm->pm;
	pteval_t v = ptep_get(pmd), bits = v & ~(pm->pfn_mask | _PAGE_PSE);
	unsigned long pfn = pte_pfn(pm, v);
	bool zero = is_huge_zero_pfn(m, pfn);
	struct page *table = pgtable_trans_huge_withdraw(mm), *folio = pfn_to_page(m, pfn);

	count_vm_event(m, THP_SPLIT_PMD);
	for (unsigned long i = 0; i < HPAGE_PMD_NR; i++) {
		struct pt_entry pte = pt_entry_at(m, pm, table, pm->levels - 1, haddr + i * PAGE_SIZE);

		if (zero) {	/* __split_huge_zero_page_pmd: the small zero page, read-only */
			set_pte(pte, pfn_pte(page_to_pfn(m, m->tasks->zero_page), bits & ~_PAGE_RW));
			continue;
		}
		/* folio_add_anon_rmap_ptes: the folio is still mapped whole, so no page is newly mapped */
		page_dup_rmap(folio + i);
		set_pte(pte, pfn_pte(pfn + i, bits));
	}
	if (!zero) {
		folio->_refcount += (int)HPAGE_PMD_NR - 1;	/* a reference per PTE instead of the PMD's */
		folio_remove_rmap_pmd(m, folio);
	}
	set_pte(pmd, pfn_pte(page_to_pfn(m, table), _PAGE_TABLE));
	flush_tlb_mm_range(m, mm, haddr, haddr + HPAGE_PMD_SIZE);
}

void split_huge_pmd_address(struct vm_area_struct *vma, unsigned long addr)
{
	struct pt_entry pmd;

	if (!vma->vm_mm->machine->arch->thp || !(addr & ~HPAGE_PMD_MASK))
		return;
	if (!walk_to_pmd(vma->vm_mm, addr, false, &pmd) && pmd_trans_huge(ptep_get(pmd)))
		__split_huge_pmd(vma, pmd, addr & HPAGE_PMD_MASK);
}

bool split_huge_pmd_partial(struct vm_area_struct *vma, struct pt_entry pmd, unsigned long addr, unsigned long next)
{
	if (!(addr & ~HPAGE_PMD_MASK) && next - addr == HPAGE_PMD_SIZE)
		return false;
	__split_huge_pmd(vma, pmd, addr & HPAGE_PMD_MASK);
	return true;
}

int zap_huge_pmd(struct pt_entry pmd, unsigned long addr, unsigned long next, struct mm_walk *walk)
{
	struct vm_area_struct *vma = ((struct zap_details *)walk->private)->vma;
	struct mm_struct *mm = walk->mm;
	struct machine *m = mm->machine;
	unsigned long pfn;
	struct page *folio;

	if (split_huge_pmd_partial(vma, pmd, addr, next))
		return 0;
	pfn = pte_pfn(mm->pm, ptep_get(pmd));
	set_pte(pmd, 0);
	pte_free(mm, pgtable_trans_huge_withdraw(mm));
	if (is_huge_zero_pfn(m, pfn))
		return 0;
	folio = pfn_to_page(m, pfn);
	munlock_vma_folio(m, folio, vma);
	folio_remove_rmap_pmd(m, folio);
	add_mm_counter(mm, MM_ANONPAGES, -(long)HPAGE_PMD_NR);
	put_page(m, folio);
	return 0;
}

int change_huge_pmd(struct pt_entry pmd, unsigned long addr, unsigned long next, struct mm_walk *walk)
{
	struct vm_area_struct *vma = walk->private;

	if (!split_huge_pmd_partial(vma, pmd, addr, next))
		set_pte(pmd, pte_modify(vma->vm_mm->pm, ptep_get(pmd), vma->vm_page_prot) | _PAGE_PSE);
	return 0;
}

int copy_huge_pmd(struct vm_area_struct *dst_vma, struct pt_entry src_pmd, unsigned long addr, bool cow)
{
	struct mm_struct *dst_mm = dst_vma->vm_mm;
	struct machine *m = dst_mm->machine;
	struct page *pgtable = pte_alloc_one(dst_mm);
	struct pt_entry dst;
	pteval_t v;

	if (!pgtable)
		return -ENOMEM;
	if (walk_to_pmd(dst_mm, addr, true, &dst)) {
		pte_free(dst_mm, pgtable);
		return -ENOMEM;
	}
	v = ptep_get(src_pmd);
	if (!pmd_trans_huge(v)) {	/* reclaim split it meanwhile: its PTEs are copied instead */
		pte_free(dst_mm, pgtable);
		return 0;
	}
	pgtable_trans_huge_deposit(dst_mm, pgtable);
	if (!is_huge_zero_pfn(m, pte_pfn(dst_mm->pm, v))) {
		struct page *folio = pfn_to_page(m, pte_pfn(dst_mm->pm, v));

		get_page(folio);
		folio_add_anon_rmap_pmd(folio);
		add_mm_counter(dst_mm, MM_ANONPAGES, (long)HPAGE_PMD_NR);
	}
	if (cow && pte_write(v)) {
		v &= ~_PAGE_RW;
		set_pte(src_pmd, v);
	}
	set_pte(dst, v & ~_PAGE_ACCESSED);
	return 0;
}

int move_huge_pmd(struct mm_struct *mm, struct pt_entry old_pmd, unsigned long new_addr)
{
	struct pt_entry new_pmd;

	if (walk_to_pmd(mm, new_addr, true, &new_pmd) || ptep_get(new_pmd) || !pmd_trans_huge(ptep_get(old_pmd)))
		return -ENOMEM;
	set_pte(new_pmd, ptep_get(old_pmd));
	set_pte(old_pmd, 0);
	return 0;
}

static int split_pmd_one(struct vm_area_struct *vma, unsigned long addr, void *arg)
{
	struct pt_entry pmd;

	(void)arg;
	walk_to_pmd(vma->vm_mm, addr, false, &pmd);
	__split_huge_pmd(vma, pmd, addr);
	return 0;
}

/* The flags the pages of a split folio take from it (__split_folio_to_order). */
#define SPLIT_FLAGS	((1UL << PG_referenced) | (1UL << PG_uptodate) | (1UL << PG_dirty) | (1UL << PG_active) | \
			 (1UL << PG_workingset) | (1UL << PG_swapbacked) | (1UL << PG_unevictable) | (1UL << PG_mlocked))

/* __split_huge_page: the compound page comes apart; each page keeps a reference per mapping and one
 * for the isolation, on list; a page nothing maps any more is freed, out of NR_MLOCK if the folio
 * was mlocked (mm/huge_memory.c). */
static void __split_huge_page(struct machine *m, struct page *folio, struct list_head *list)
{
	unsigned long nr = folio_nr_pages(folio), flags = folio->flags & SPLIT_FLAGS, freed = 0;

	folio_undo_large_rmappable(m, folio);
	clear_page_flag(folio, PG_head);
	folio[1].compound_order = 0;
	for (unsigned long i = 1; i < nr; i++)
		folio[i].compound_head = 0;
	for (unsigned long i = 1; i < nr; i++) {
		struct page *page = folio + i;

		if (page->_mapcount < 0) {
			page->mapping = NULL;
			set_page_count(page, 1);
			__free_pages(m, page, 0);
			freed++;
			continue;
		}
		page->flags |= flags;
		set_page_count(page, page->_mapcount + 2);
		list_add_tail(&page->lru, list);
	}
	set_page_count(folio, folio->_mapcount + 2);
	if (flags & (1UL << PG_mlocked))
		__mod_zone_page_state(page_zone(m, folio), NR_MLOCK, -(long)freed);
}

int split_folio_to_list(struct machine *m, struct page *folio, struct list_head *list)
{
	rmap_walk_pmd(m, folio, split_pmd_one, NULL);
	if (page_ref_count(folio) != folio_mapcount(folio) + 1) {
		count_vm_event(m, THP_SPLIT_PAGE_FAILED);
		return -EAGAIN;
	}
	__split_huge_page(m, folio, list);
	count_vm_event(m, THP_SPLIT_PAGE);
	return 0;
}

/* ---- the deferred split queue (mm/huge_memory.c) ---- */

void folio_prep_large_rmappable(struct page *folio)
{
	set_page_flag(&folio[1], PG_large_rmappable);
	INIT_LIST_HEAD(&folio[2]._deferred_list);
}

void folio_undo_large_rmappable(struct machine *m, struct page *folio)
{
	if (!folio_test_large_rmappable(folio))
		return;
	folio_unqueue_deferred_split(m, folio);
	clear_page_flag(&folio[1], PG_large_rmappable);
	memset(&folio[2]._deferred_list, 0, sizeof(folio[2]._deferred_list));
}

static struct deferred_split *get_deferred_split_queue(struct machine *m, const struct page *folio)
{
	return &NODE_DATA(m, page_to_nid(folio))->deferred_split_queue;
}

void deferred_split_folio(struct machine *m, struct page *folio)
{
	struct deferred_split *ds_queue;

	if (!folio_test_large_rmappable(folio) || folio_on_deferred_split(folio))
		return;
	ds_queue = get_deferred_split_queue(m, folio);
	count_vm_event(m, THP_DEFERRED_SPLIT_PAGE);
	list_add_tail(&folio[2]._deferred_list, &ds_queue->split_queue);
	ds_queue->split_queue_len++;
}

bool folio_unqueue_deferred_split(struct machine *m, struct page *folio)
{
	if (!folio_on_deferred_split(folio))
		return false;
	list_del_init(&folio[2]._deferred_list);
	get_deferred_split_queue(m, folio)->split_queue_len--;
	return true;
}

int split_folio(struct machine *m, struct page *folio)
{
	struct page *page, *next;
	struct list_head pages = LIST_HEAD_INIT(pages);
	int ret;

	if (!folio_isolate_lru(m, folio))
		return -EAGAIN;
	ret = split_folio_to_list(m, folio, &pages);
	list_add(&folio->lru, &pages);
	list_for_each_entry_safe(page, next, &pages, lru) {
		list_del(&page->lru);
		folio_add_lru(m, page);
		put_page(m, page);
	}
	__mod_node_page_state(NODE_DATA(m, page_to_nid(folio)), NR_ISOLATED_ANON, -(long)HPAGE_PMD_NR);
	return ret;
}

/* deferred_split_scan: up to nr_to_scan folios off the head of the queue, each split (its unmapped
 * pages freed) or put back at the tail; the folios split, or SHRINK_STOP when the queue is empty
 * and none was. */
static unsigned long deferred_split_scan(struct machine *m, struct deferred_split *ds_queue,
					 unsigned long nr_to_scan)
{
	unsigned long split = 0;
	struct list_head batch = LIST_HEAD_INIT(batch);

	while (nr_to_scan-- && !list_empty(&ds_queue->split_queue)) {
		struct page *folio = list_first_entry(&ds_queue->split_queue, struct page, _deferred_list) - 2;

		list_move_tail(&folio[2]._deferred_list, &batch);
		ds_queue->split_queue_len--;
	}
	while (!list_empty(&batch)) {
		struct page *folio = list_first_entry(&batch, struct page, _deferred_list) - 2;

		list_del_init(&folio[2]._deferred_list);
		if (!split_folio(m, folio)) {
			split++;
			continue;
		}
		list_add_tail(&folio[2]._deferred_list, &ds_queue->split_queue);	/* requeue */
		ds_queue->split_queue_len++;
	}
	return !split && list_empty(&ds_queue->split_queue) ? SHRINK_STOP : split;
}

unsigned long deferred_split_shrink(struct machine *m, pg_data_t *pgdat, int priority)
{
	struct deferred_split *ds_queue = &pgdat->deferred_split_queue;
	unsigned long freeable = ds_queue->split_queue_len;	/* deferred_split_count */
	unsigned long nr = ds_queue->nr_deferred, delta, total_scan, scanned = 0, freed = 0, next;

	if (!freeable)
		return 0;
	ds_queue->nr_deferred = 0;
	delta = (freeable >> priority) * 4 / DEFAULT_SEEKS;
	total_scan = (nr >> priority) + delta;
	if (total_scan > 2 * freeable)
		total_scan = 2 * freeable;
	while (total_scan >= SHRINK_BATCH || total_scan >= freeable) {
		unsigned long nr_to_scan = total_scan < SHRINK_BATCH ? total_scan : SHRINK_BATCH;
		unsigned long ret = deferred_split_scan(m, ds_queue, nr_to_scan);

		if (ret == SHRINK_STOP)
			break;
		freed += ret;
		count_vm_events(m, SLABS_SCANNED, nr_to_scan);
		total_scan -= nr_to_scan;
		scanned += nr_to_scan;
	}
	next = nr + delta > scanned ? nr + delta - scanned : 0;
	ds_queue->nr_deferred = next < 2 * freeable ? next : 2 * freeable;
	return freed;
}

/* A queued folio must be a PMD-sized anonymous folio of this node, mapped in part only. */
static void check_queued_folio(struct machine *m, int nid, const struct page *folio, struct seq_file *report,
			       int *errors)
{
	unsigned long pfn = page_to_pfn(m, folio);
	bool unmapped = false;

	if (!folio_test_large_rmappable(folio) || !PageAnon(folio) || page_to_nid(folio) != nid) {
		check_report(report, errors, "node %d: pfn %#lx on the deferred split queue is no anonymous THP of it",
			     nid, pfn);
		return;
	}
	for (unsigned long i = 0; i < HPAGE_PMD_NR && !folio_entire_mapcount(folio); i++)
		unmapped |= folio[i]._mapcount < 0;
	if (!unmapped || !folio_mapped(folio))
		check_report(report, errors, "node %d: THP at pfn %#lx on the deferred split queue is %s", nid, pfn,
			     unmapped ? "unmapped" : "mapped whole");
}

int deferred_split_check(struct machine *m, struct seq_file *report)
{
	int errors = 0;

	for (int nid = 0; nid < m->nr_node_ids; nid++) {
		const pg_data_t *pgdat = NODE_DATA(m, nid);
		const struct deferred_split *ds_queue = &pgdat->deferred_split_queue;
		unsigned long listed = 0, queued = 0;
		const struct page *folio;

		list_for_each_entry(folio, &ds_queue->split_queue, _deferred_list) {
			check_queued_folio(m, nid, folio - 2, report, &errors);
			listed++;
		}
		for (unsigned long pfn = pgdat->node_start_pfn; pfn < pgdat->node_start_pfn + pgdat->node_spanned_pages;
		     pfn++)
			queued += folio_on_deferred_split(pfn_to_page(m, pfn));
		if (listed != ds_queue->split_queue_len || queued != listed)
			check_report(report, &errors, "node %d: split_queue_len is %lu, the queue holds %lu, %lu THPs say they are on it",
				     nid, ds_queue->split_queue_len, listed, queued);
	}
	return errors;
}

unsigned long hugepage_madvise(unsigned long vm_flags, int advice)
{
	if (advice == MADV_HUGEPAGE)
		return (vm_flags & ~VM_NOHUGEPAGE) | VM_HUGEPAGE;
	return (vm_flags & ~VM_HUGEPAGE) | VM_NOHUGEPAGE;
}

/* ---- /sys/kernel/mm/transparent_hugepage (mm/huge_memory.c) ---- */

static int enabled_show(struct machine *m, struct seq_file *s)
{
	seq_printf(s, "%s\n", thp_flag(m, TRANSPARENT_HUGEPAGE_FLAG)	      ? "[always] madvise never" :
			      thp_flag(m, TRANSPARENT_HUGEPAGE_REQ_MADV_FLAG) ? "always [madvise] never" :
										"always madvise [never]");
	return 0;
}

/* A choice among names, each setting its flag bits within mask (enabled_store, defrag_store). */
struct thp_choice {
	const char *name;
	unsigned long flags;
};

static const struct thp_choice enabled_choices[] = {
	{ "always", THP_FLAG(FLAG) }, { "madvise", THP_FLAG(REQ_MADV_FLAG) }, { "never", 0 }, { NULL, 0 },
};

static const struct thp_choice defrag_choices[] = {
	{ "always", THP_FLAG(DEFRAG_DIRECT_FLAG) },
	{ "defer", THP_FLAG(DEFRAG_KSWAPD_FLAG) },
	{ "defer+madvise", THP_FLAG(DEFRAG_KSWAPD_OR_MADV_FLAG) },
	{ "madvise", THP_FLAG(DEFRAG_REQ_MADV_FLAG) },
	{ "never", 0 },
	{ NULL, 0 },
};

/* The choice text names (sysfs_streq), or -EINVAL. */
static int thp_choice_store(struct machine *m, const struct thp_choice *c, unsigned long mask, const char *text,
			    size_t len)
{
	char buf[32];

	if (sysfs_text_copy(text, len, buf, sizeof(buf)))
		return -EINVAL;
	for (; c->name; c++)
		if (!strcmp(buf, c->name)) {
			m->transparent_hugepage_flags = (m->transparent_hugepage_flags & ~mask) | c->flags;
			return 0;
		}
	return -EINVAL;
}

static int enabled_store(struct machine *m, const char *text, size_t len)
{
	return thp_choice_store(m, enabled_choices, THP_ENABLED_MASK, text, len);
}

static int defrag_show(struct machine *m, struct seq_file *s)
{
	size_t i = 0;

	/* the choices in order, the one set in brackets */
	while (defrag_choices[i].flags && !(m->transparent_hugepage_flags & defrag_choices[i].flags))
		i++;
	for (size_t k = 0; defrag_choices[k].name; k++) {
		bool set = k == i;

		seq_printf(s, "%s%s%s%s", k ? " " : "", set ? "[" : "", defrag_choices[k].name, set ? "]" : "");
	}
	seq_putc(s, '\n');
	return 0;
}

static int defrag_store(struct machine *m, const char *text, size_t len)
{
	return thp_choice_store(m, defrag_choices, THP_DEFRAG_MASK, text, len);
}

static int use_zero_page_show(struct machine *m, struct seq_file *s)
{
	seq_printf(s, "%d\n", thp_flag(m, TRANSPARENT_HUGEPAGE_USE_ZERO_PAGE_FLAG));
	return 0;
}

/* single_hugepage_flag_store: 0 or 1. */
static int use_zero_page_store(struct machine *m, const char *text, size_t len)
{
	unsigned long value;

	if (kstrtoul_text(text, len, &value) || value > 1)
		return -EINVAL;
	m->transparent_hugepage_flags = (m->transparent_hugepage_flags & ~THP_FLAG(USE_ZERO_PAGE_FLAG)) |
					(value ? THP_FLAG(USE_ZERO_PAGE_FLAG) : 0);
	return 0;
}

static int hpage_pmd_size_show(struct machine *m, struct seq_file *s)
{
	(void)m;
	seq_printf(s, "%lu\n", HPAGE_PMD_SIZE);
	return 0;
}

/* shmem_enabled_show (mm/shmem.c): huge pages for shmem are not modelled: never, and read-only here. */
static int shmem_enabled_show(struct machine *m, struct seq_file *s)
{
	(void)m;
	seq_puts(s, "always within_size advise [never] deny force\n");
	return 0;
}

static const struct thp_attr {
	const char *name;
	int (*show)(struct machine *m, struct seq_file *s);
	int (*store)(struct machine *m, const char *text, size_t len);
} thp_attrs[] = {
	{ "enabled", enabled_show, enabled_store },
	{ "defrag", defrag_show, defrag_store },
	{ "use_zero_page", use_zero_page_show, use_zero_page_store },
	{ "hpage_pmd_size", hpage_pmd_size_show, NULL },
	{ "shmem_enabled", shmem_enabled_show, NULL },
	{ NULL, NULL, NULL },
};

/* The attribute called name; the directory exists only on a kernel with THP (x86_64 here). */
static const struct thp_attr *thp_attr(struct machine *m, const char *name)
{
	if (!m->arch->thp)
		return NULL;
	for (const struct thp_attr *a = thp_attrs; a->name; a++)
		if (!strcmp(a->name, name))
			return a;
	return NULL;
}

static bool thp_attr_lookup(struct machine *m, const char *arg)
{
	return thp_attr(m, arg) != NULL;
}

static int thp_attr_show(struct machine *m, struct seq_file *s, const char *arg)
{
	return thp_attr(m, arg)->show(m, s);
}

static int thp_attr_store(struct machine *m, const char *arg, const char *text, size_t len)
{
	const struct thp_attr *a = thp_attr(m, arg);

	return a->store ? a->store(m, text, len) : -EACCES;
}

const struct proc_entry thp_proc_entries[] = {
	{ .path = "/sys/kernel/mm/transparent_hugepage/*", .lookup = thp_attr_lookup, .show = thp_attr_show,
	  .write = thp_attr_store },
	{ 0 },
};
