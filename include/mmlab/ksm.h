/*
 * Kernel same-page merging (mm/ksm.c, include/linux/ksm.h, Documentation/admin-guide/mm/ksm.rst).
 *
 * A process marks anonymous memory MADV_MERGEABLE; its mm is then registered with ksmd (an mm_slot).
 * ksmd, a kernel thread on the simulated clock, wakes every sleep_millisecs and scans pages_to_scan
 * pages of the registered mms, keeping an rmap_item per scanned page. A page is compared first with
 * the stable tree (a red-black tree of KSM pages keyed by content); failing that, if its checksum
 * did not change since the last full scan, with the unstable tree (candidate pages keyed by content,
 * rebuilt every full scan). Two identical pages are merged into one write-protected KSM page
 * (page->mapping holds the stable_node, tagged PAGE_MAPPING_KSM) that every sharer maps; a write
 * breaks the sharing with a copy (do_wp_page never reuses a KSM page). A stable node shares its
 * page with at most max_page_sharing mappings: beyond that, more KSM pages of the same content are
 * made, chained under one stable_node chain (its dups). With use_zero_pages, empty pages are merged
 * with the zero page instead (its PTE marked dirty: ksm_zero_pages).
 *
 * KSM pages stay on the LRU and in every rmap-driven path: rmap_walk_ksm finds their PTEs from the
 * stable node's rmap_items (and the forks of those mms, through their anon_vma families), so that
 * reclaim swaps them out and compaction migrates them with every PTE updated.
 */
#ifndef MMLAB_KSM_H
#define MMLAB_KSM_H

#include <stdbool.h>

#include <mmlab/mm.h>

struct machine;
struct page;
struct seq_file;

/* page->mapping of a KSM page: its stable_node | PAGE_MAPPING_KSM (include/linux/page-flags.h). */
#define PAGE_MAPPING_KSM	(PAGE_MAPPING_ANON | 0x2UL)
#define PAGE_MAPPING_FLAGS	PAGE_MAPPING_KSM

/* PageKsm: the page is a KSM page (folio_test_ksm). */
static inline bool PageKsm(const struct page *page)
{
	return ((unsigned long)page->mapping & PAGE_MAPPING_FLAGS) == PAGE_MAPPING_KSM;
}

/* ksm_init / ksm_exit_machine: the state with the kernel's defaults and the ksmd thread; its end. */
int ksm_init(struct machine *m);
void ksm_exit_machine(struct machine *m);

/* ksm_madvise: MADV_MERGEABLE / MADV_UNMERGEABLE on [start, end) of vma: the new flags in *vm_flags
 * (the caller applies them); unmerging breaks every KSM page of the range first. 0 or -ENOMEM /
 * -EAGAIN (include/linux/ksm.h). */
int ksm_madvise(struct vm_area_struct *vma, unsigned long start, unsigned long end, int advice,
		unsigned long *vm_flags);
/* ksm_fork: a child of a registered mm is registered too (its VMAs keep VM_MERGEABLE). 0 or -ENOMEM. */
int ksm_fork(struct mm_struct *mm, struct mm_struct *oldmm);
/* ksm_exit: the mm is going: its rmap_items leave the trees and its slot is freed (__ksm_exit). */
void ksm_exit(struct mm_struct *mm);

/* rmap_walk_ksm: fn for each VMA and address whose PTE maps the KSM page (mm/ksm.c). */
int rmap_walk_ksm(struct machine *m, struct page *page,
		  int (*fn)(struct vm_area_struct *vma, unsigned long addr, void *arg), void *arg);
/* ksm_migrate_page: newpage took oldpage's place: its stable node follows (ksm_migrate_folio). */
void ksm_migrate_page(struct machine *m, struct page *newpage, struct page *oldpage);
/* ksm_page_freed: the last reference to a KSM page went: its stable node leaves the tree. */
void ksm_page_freed(struct machine *m, struct page *page);
/* ksm_might_need_to_copy: the page a swap fault may map at addr of vma: page itself, or a copy
 * (ksm_swpin_copy) when page is a KSM page no stable node holds or an anonymous page of another
 * family; NULL when out of memory. The copy carries the caller's reference, page keeps its own. */
struct page *ksm_might_need_to_copy(struct page *page, struct vm_area_struct *vma, unsigned long addr);

/* ksm_map_zero_page: mm maps one more KSM zero page (include/linux/ksm.h). */
void ksm_map_zero_page(struct mm_struct *mm);
/* is_ksm_zero_pte: the zero page mapped by KSM, told apart by its dirty bit (include/linux/ksm.h). */
bool is_ksm_zero_pte(const struct machine *m, const struct mm_struct *mm, pteval_t v);
/* ksm_might_unmap_zero_page: a PTE that mapped v goes: the KSM zero pages of mm and the machine. */
void ksm_might_unmap_zero_page(struct mm_struct *mm, pteval_t v);

/* ksm_check: trees, rmap_items, slots and counters agree with the pages (machine_check). */
int ksm_check(struct machine *m, struct seq_file *report);

#endif
