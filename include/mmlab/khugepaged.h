/*
 * khugepaged (include/linux/khugepaged.h, mm/khugepaged.c): a kernel thread that scans the address
 * spaces registered with it (mm_slots, MMF_VM_HUGEPAGE) for 2 MiB-aligned ranges of anonymous
 * memory mapped by small pages, and collapses each into one PMD-mapped huge page: a new order-9
 * folio, every byte copied, the PMD installed and the small pages freed. MADV_COLLAPSE does the
 * same synchronously for a range.
 */
#ifndef MMLAB_KHUGEPAGED_H
#define MMLAB_KHUGEPAGED_H

#include <mmlab/mm.h>

struct khugepaged_mm_slot;

/* The scanner's state and tunables (/sys/kernel/mm/transparent_hugepage/khugepaged/). */
struct khugepaged_state {
	struct list_head mm_head;		/* the registered mm_slots, in order of registration */
	struct khugepaged_mm_slot *scan_slot;	/* khugepaged_scan.mm_slot: NULL between full scans */
	unsigned long scan_address;		/* khugepaged_scan.address: the next PMD range of it */
	uint64_t next_scan_ns;			/* when the thread runs next */
	unsigned int pages_to_scan;
	unsigned int scan_sleep_millisecs;
	unsigned int alloc_sleep_millisecs;
	unsigned int max_ptes_none;
	unsigned int max_ptes_swap;
	unsigned int max_ptes_shared;
	unsigned int pages_collapsed;
	unsigned int full_scans;
};

/* khugepaged_init: the state with the kernel's defaults and the khugepaged thread (0 or -ENOMEM);
 * khugepaged_exit_machine: its end. */
int khugepaged_init(struct machine *m);
void khugepaged_exit_machine(struct machine *m);

/* khugepaged_enter_vma: an mm whose vma may have PMD-sized folios joins the scan, once
 * (mmap, a THP fault, MADV_HUGEPAGE). */
void khugepaged_enter_vma(struct vm_area_struct *vma);
/* khugepaged_fork: a child of a registered mm is registered too; khugepaged_exit: an mm goes. */
int khugepaged_fork(struct mm_struct *mm, struct mm_struct *oldmm);
void khugepaged_exit(struct mm_struct *mm);

/* madvise_collapse: MADV_COLLAPSE on [start, end) of vma: each PMD range collapsed now, whatever
 * the khugepaged limits; 0 when every range is (or already was) a huge page, else the errno of the
 * last failure (-ENOMEM: no huge page; -EAGAIN: a page was busy; -EINVAL otherwise). */
int madvise_collapse(struct vm_area_struct *vma, unsigned long start, unsigned long end);

#endif
