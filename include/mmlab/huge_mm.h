/*
 * Transparent huge pages (include/linux/huge_mm.h, mm/huge_memory.c): anonymous memory faulted in
 * as PMD-mapped order-9 folios when /sys/kernel/mm/transparent_hugepage/enabled allows, the huge
 * zero page for read faults, and the splits that turn a huge PMD into a table of PTEs (a part of
 * the range changes) or a huge folio into 512 small pages (reclaim).
 */
#ifndef MMLAB_HUGE_MM_H
#define MMLAB_HUGE_MM_H

#include <mmlab/mm.h>

#define HPAGE_PMD_ORDER	9
#define HPAGE_PMD_NR	(1UL << HPAGE_PMD_ORDER)
#define HPAGE_PMD_SIZE	(PAGE_SIZE << HPAGE_PMD_ORDER)
#define HPAGE_PMD_MASK	(~(HPAGE_PMD_SIZE - 1))

/* The bits of machine->transparent_hugepage_flags (include/linux/huge_mm.h). */
enum transparent_hugepage_flag {
	TRANSPARENT_HUGEPAGE_UNSUPPORTED,
	TRANSPARENT_HUGEPAGE_FLAG,			/* enabled=always */
	TRANSPARENT_HUGEPAGE_REQ_MADV_FLAG,		/* enabled=madvise */
	TRANSPARENT_HUGEPAGE_DEFRAG_DIRECT_FLAG,	/* defrag=always */
	TRANSPARENT_HUGEPAGE_DEFRAG_KSWAPD_FLAG,	/* defrag=defer */
	TRANSPARENT_HUGEPAGE_DEFRAG_KSWAPD_OR_MADV_FLAG,	/* defrag=defer+madvise */
	TRANSPARENT_HUGEPAGE_DEFRAG_REQ_MADV_FLAG,	/* defrag=madvise */
	TRANSPARENT_HUGEPAGE_DEFRAG_KHUGEPAGED_FLAG,
	TRANSPARENT_HUGEPAGE_USE_ZERO_PAGE_FLAG,
};

/* hugepage_init: the boot defaults: enabled=madvise, defrag=madvise, use_zero_page=1 (mm/huge_memory.c). */
void hugepage_init(struct machine *m);

/* thp_vma_allowable_order: may vma have a PMD-sized folio? For a fault (smaps false) the sysfs
 * policy and the VMA's advice decide; for smaps' THPeligible the VMA must also hold a whole aligned
 * PMD range. */
bool thp_vma_allowable_order(const struct vm_area_struct *vma, bool smaps);
/* thp_vma_holds_pmd: outside a fault, the last aligned PMD range of the VMA must lie inside it
 * (__thp_vma_allowable_orders' thp_vma_suitable_orders at vm_end). */
bool thp_vma_holds_pmd(const struct vm_area_struct *vma);

/* thp_get_unmapped_area: where a private anonymous mapping whose length is a multiple of the PMD
 * size goes: a PMD-aligned address, found by asking for a PMD more (mm/huge_memory.c
 * __thp_get_unmapped_area, as __get_unmapped_area uses it since 6.7). */
long thp_get_unmapped_area(struct mm_struct *mm, unsigned long len, unsigned long flags);

/* pmd_trans_huge: a present PMD that maps a huge page rather than a table. */
static inline bool pmd_trans_huge(pteval_t v)
{
	return pte_present(v) && (v & _PAGE_PSE);
}
/* is_huge_zero_pfn: the frame of the huge zero page (include/linux/huge_mm.h). */
bool is_huge_zero_pfn(const struct machine *m, unsigned long pfn);

/* do_huge_pmd_anonymous_page: the first touch of an empty PMD: the huge zero page for a read when
 * use_zero_page allows, else a zeroed order-9 folio; VM_FAULT_FALLBACK (thp_fault_fallback) when
 * none can be had without the reclaim defrag forbids. */
unsigned int do_huge_pmd_anonymous_page(struct vm_area_struct *vma, unsigned long addr, struct pt_entry pmd,
					unsigned int flags);
/* do_huge_pmd_wp_page: a write to a write-protected huge PMD: the folio is reused when this PMD is its
 * only user, the huge zero page replaced by a new folio; otherwise the PMD is split and
 * VM_FAULT_FALLBACK sends the fault to the PTE (do_wp_page copies the one 4K page). */
unsigned int do_huge_pmd_wp_page(struct vm_area_struct *vma, unsigned long addr, struct pt_entry pmd, pteval_t v);
/* huge_pmd_set_accessed: a spurious fault on a usable huge PMD: young, and dirty for a write. */
void huge_pmd_set_accessed(struct pt_entry pmd, pteval_t v, unsigned int flags);

/* __split_huge_pmd: the huge PMD at haddr becomes its deposited table of 512 PTEs mapping the same
 * pages with the same bits (thp_split_pmd); the folio stays whole, mapped by PTEs. */
void __split_huge_pmd(struct vm_area_struct *vma, struct pt_entry pmd, unsigned long haddr);
/* split_huge_pmd_address: split the huge PMD covering addr, if any (vma_adjust_trans_huge calls it
 * where a VMA is cut inside a PMD range). */
void split_huge_pmd_address(struct vm_area_struct *vma, unsigned long addr);

/* split_huge_pmd_partial: a walk that covers only part [addr, next) of a huge PMD splits it (the
 * next - addr != HPAGE_PMD_SIZE test of zap_pmd_range, change_pmd_range and madvise's walks); true
 * when it did, and the walk goes on through its PTEs. */
bool split_huge_pmd_partial(struct vm_area_struct *vma, struct pt_entry pmd, unsigned long addr, unsigned long next);

/* The PMD-level operations a page-table walk hands a huge PMD to, each on [addr, next) of it: when
 * that is only part of the PMD's range, the PMD is split and the walk goes on through its PTEs.
 * zap_huge_pmd: unmap (walk->private is the zap_details); change_huge_pmd: mprotect (walk->private is the
 * VMA with its new protection). */
int zap_huge_pmd(struct pt_entry pmd, unsigned long addr, unsigned long next, struct mm_walk *walk);
int change_huge_pmd(struct pt_entry pmd, unsigned long addr, unsigned long next, struct mm_walk *walk);
/* copy_huge_pmd: fork: the child maps the folio (or the huge zero page) too, write-protected on both
 * sides when cow, with a table of its own deposited. 0 or -ENOMEM. */
int copy_huge_pmd(struct vm_area_struct *dst_vma, struct pt_entry src_pmd, unsigned long addr, bool cow);
/* move_huge_pmd: mremap moves a whole huge PMD to the PMD-aligned new_addr. 0 or -ENOMEM. */
int move_huge_pmd(struct mm_struct *mm, struct pt_entry old_pmd, unsigned long new_addr);

/* split_folio_to_list: an isolated PMD-sized anonymous folio becomes 512 small pages: every PMD
 * mapping it is split first, then its tail pages join list (isolated, with a reference each) or are
 * freed if nothing maps them (thp_split_page). 0, or -EAGAIN when someone else holds a reference. */
int split_folio_to_list(struct machine *m, struct page *folio, struct list_head *list);
/* split_folio (include/linux/huge_mm.h): a PMD-sized anonymous folio on an LRU list split where it is:
 * taken off its list for the split, then its pages that stay (or the whole folio, when it cannot be
 * split) put back (folio_putback_lru). 0, or -EAGAIN (also when it is on no LRU list). */
int split_folio(struct machine *m, struct page *folio);

/* The flag of a large folio kept in its second page (include/linux/page-flags.h): an anonymous
 * PMD-sized folio, whose third page holds its _deferred_list. */
#define PG_large_rmappable	PG_workingset

static inline bool folio_test_large_rmappable(const struct page *folio)
{
	return PageHead(folio) && test_bit_flag(&folio[1], PG_large_rmappable);
}
/* folio_on_deferred_split: the folio waits on its node's deferred split queue. */
static inline bool folio_on_deferred_split(const struct page *folio)
{
	return folio_test_large_rmappable(folio) && !list_empty(&folio[2]._deferred_list);
}
/* folio_prep_large_rmappable: a new PMD-sized anonymous folio, on no queue yet; and
 * folio_undo_large_rmappable when it is freed or split: off the queue. */
void folio_prep_large_rmappable(struct page *folio);
void folio_undo_large_rmappable(struct machine *m, struct page *folio);
/* deferred_split_folio: a folio partly unmapped (some pages unmapped, some still mapped) joins the
 * tail of its node's queue, once (thp_deferred_split_page). */
void deferred_split_folio(struct machine *m, struct page *folio);
/* folio_unqueue_deferred_split: off the queue, if it was on it (__folio_unqueue_deferred_split). */
bool folio_unqueue_deferred_split(struct machine *m, struct page *folio);
/* deferred_split_shrink: do_shrink_slab for the deferred split shrinker on pgdat at priority
 * (mm/shrinker.c: (queue length >> priority) * 4 / DEFAULT_SEEKS folios to scan, plus what earlier
 * passes deferred, in batches of SHRINK_BATCH); deferred_split_scan splits each scanned folio, its
 * unmapped pages freed (thp_split_page), or requeues it. The folios split. */
unsigned long deferred_split_shrink(struct machine *m, pg_data_t *pgdat, int priority);
/* deferred_split_check: each node's queue against its length, each folio on it partly mapped;
 * violations into report. */
struct seq_file;
int deferred_split_check(struct machine *m, struct seq_file *report);

/* pgtable_trans_huge_deposit: a table kept for a huge PMD, on the mm's stack through page->lru
 * (mm/pgtable-generic.c). */
void pgtable_trans_huge_deposit(struct mm_struct *mm, struct page *pgtable);

/* hugepage_madvise: MADV_HUGEPAGE / MADV_NOHUGEPAGE on a VMA's flags (mm/khugepaged.c). */
unsigned long hugepage_madvise(unsigned long vm_flags, int advice);

#endif
