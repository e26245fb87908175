/*
 * hugetlb: pools of huge pages set aside from the buddy allocator (mm/hugetlb.c, include/linux/hugetlb.h).
 * One struct hstate per huge page size: the PMD size (2 MiB on x86_64 and i386 PAE, 4 MiB on i386) and,
 * on x86_64, the PUD size (1 GiB). Pages of a pool are compound pages typed PG_hugetlb; free ones sit on
 * a per-node free list, and the pool's size is set through nr_hugepages.
 */
#ifndef MMLAB_HUGETLB_H
#define MMLAB_HUGETLB_H

#include <mmlab/list.h>
#include <mmlab/machine.h>
#include <mmlab/pgtable.h>

#define HUGE_MAX_HSTATE 2

/* struct hstate: one huge page size and its pool (include/linux/hugetlb.h). */
struct hstate {
	unsigned int order;			/* pages per huge page: 1 << order */
	unsigned long max_huge_pages;		/* the persistent pool asked for: /proc/sys/vm/nr_hugepages */
	unsigned long nr_huge_pages;		/* in the pool, free or in use, surplus included */
	unsigned long free_huge_pages;
	unsigned long resv_huge_pages;		/* promised to mappings, not faulted yet */
	unsigned long surplus_huge_pages;	/* beyond nr_hugepages: freed to the buddy when released */
	unsigned long nr_overcommit_huge_pages;	/* how many surplus pages reservations and faults may add */
	unsigned long nr_huge_pages_node[MAX_NUMNODES];
	unsigned long free_huge_pages_node[MAX_NUMNODES];
	unsigned long surplus_huge_pages_node[MAX_NUMNODES];
	struct list_head hugepage_freelists[MAX_NUMNODES];
	int next_nid_to_alloc, next_nid_to_free;	/* round robin over the nodes */
	char name[32];				/* "hugepages-2048kB" */
};

struct hugetlb_state {
	int hugetlb_max_hstate;
	struct hstate hstates[HUGE_MAX_HSTATE];	/* [0] is the default size (default_hstate) */
};

/* hugetlb_init / hugetlb_exit: the pools at boot (empty) and teardown (freed to the buddy). */
int hugetlb_init(struct machine *m);
void hugetlb_exit(struct machine *m);

/* default_hstate: the PMD-sized pool that MAP_HUGETLB and HugePages_* use. */
struct hstate *default_hstate(struct machine *m);
static inline unsigned long huge_page_size(const struct hstate *h)
{
	return PAGE_SIZE << h->order;
}
static inline unsigned long pages_per_huge_page(const struct hstate *h)
{
	return 1UL << h->order;
}
struct vm_area_struct;
/* hstate_vma: the pool a hugetlb mapping's pages come from (include/linux/hugetlb.h). */
struct hstate *hstate_vma(const struct vm_area_struct *vma);
/* hstate_sizelog: the pool of 2^page_size_log-byte pages MAP_HUGE_* names, the default one for 0;
 * NULL when there is none (include/linux/hugetlb.h). */
struct hstate *hstate_sizelog(struct machine *m, unsigned int page_size_log);
/* hugetlb_check: every pool's free lists and counters agree (machine_check); the violations. */
struct seq_file;
int hugetlb_check(struct machine *m, struct seq_file *report);
/* hugetlb_total_pages: base pages held by every pool (the Hugetlb line of meminfo). */
unsigned long hugetlb_total_pages(struct machine *m);
/* hugetlb_state_of: the pools, for the readers in fs/proc. */
struct hugetlb_state *hugetlb_state_of(struct machine *m);
/* set_max_huge_pages: grow or shrink the persistent pool towards count (mm/hugetlb.c). */
void set_max_huge_pages(struct machine *m, struct hstate *h, unsigned long count);

/* hugetlb_acct_memory: reserve (delta > 0) or release (delta < 0) huge pages of pool h for a mapping,
 * surplus pages added (up to nr_overcommit_hugepages) or freed as needed; -ENOMEM when the pool cannot
 * cover the reservation (mm/hugetlb.c). */
int hugetlb_acct_memory(struct machine *m, struct hstate *h, long delta);
/* alloc_hugetlb_folio: a free page of the pool for a fault, taken from the reservation when
 * use_reserve; NULL when the pool is empty (mm/hugetlb.c). */
struct page *alloc_hugetlb_folio(struct machine *m, struct hstate *h, bool use_reserve);
/* free_huge_folio: the last reference is gone: back to its node's free list, or to the buddy when it
 * was surplus (mm/hugetlb.c). */
void free_huge_folio(struct machine *m, struct page *page);

struct vm_area_struct;
struct mm_struct;
/* hugetlb_fault: a fault in a VM_HUGETLB mapping: a pool page mapped by a PMD (_PAGE_PSE) entry, or
 * copy-on-write of a private page shared since fork; 0 or VM_FAULT_* (mm/hugetlb.c). */
unsigned int hugetlb_fault(struct vm_area_struct *vma, unsigned long addr, unsigned int flags);
/* unmap_hugepage_range: the huge entries of [start, end) go; their pages return to the pool when
 * unreferenced (mm/hugetlb.c). */
void unmap_hugepage_range(struct vm_area_struct *vma, unsigned long start, unsigned long end);
/* copy_hugetlb_page_range: fork: the child maps the parent's pages, write-protected on both sides
 * (mm/hugetlb.c). */
int copy_hugetlb_page_range(struct vm_area_struct *dst, struct vm_area_struct *src);
/* hugetlb_vm_op_close: the mapping goes: its unused reservations are given back (mm/hugetlb.c). */
void hugetlb_vm_op_close(struct vm_area_struct *vma);
/* hugetlb_change_protection: mprotect of the huge entries of [start, end) (mm/hugetlb.c). */
void hugetlb_change_protection(struct vm_area_struct *vma, unsigned long start, unsigned long end);
/* follow_huge_pmd_pte: the frame of the 4K part of a huge page that maps addr, or 0 (mm/hugetlb.c). */
unsigned long follow_huge_pfn(struct mm_struct *mm, unsigned long addr);
/* make_huge_pte: the PMD entry (_PAGE_PSE) mapping the huge page with the VMA's protection, young,
 * writable and dirty when asked (mm/hugetlb.c); transparent huge pages are mapped with it too. */
pteval_t make_huge_pte(struct machine *m, const struct vm_area_struct *vma, struct page *page, bool writable);
/* ---- fs/hugetlbfs/inode.c: the file behind a shared hugetlb mapping ---- */

struct hugetlb_file;
/* hugetlb_file_setup: a file of size bytes of h's pages, every page reserved when reserve; NULL when
 * the pool cannot cover the reservation or memory is short (-ENOMEM). */
struct hugetlb_file *hugetlb_file_setup(struct machine *m, struct hstate *h, unsigned long size, bool reserve);
unsigned long hugetlb_file_ino(const struct hugetlb_file *f);
/* hugetlb_file_hstate: the pool its pages come from (hstate_file). */
struct hstate *hugetlb_file_hstate(const struct hugetlb_file *f);
/* hugetlb_file_get / hugetlb_file_put: one VMA more or less; the last one frees the file's pages and
 * gives its unused reservations back (hugetlbfs_evict_inode). */
void hugetlb_file_get(struct hugetlb_file *f);
void hugetlb_file_put(struct machine *m, struct hugetlb_file *f);
/* hugetlb_file_folio: the page at huge page index idx, or NULL (filemap_lock_hugetlb_folio). */
struct page *hugetlb_file_folio(const struct hugetlb_file *f, unsigned long idx);
/* hugetlb_file_reserved: idx still has the reservation made at mmap. */
bool hugetlb_file_reserved(const struct hugetlb_file *f, unsigned long idx);
/* hugetlb_file_size: the file's size in huge pages. */
unsigned long hugetlb_file_size(const struct hugetlb_file *f);
/* hugetlb_add_to_page_cache: page becomes the file's at idx (a reference for the file), consuming its
 * reservation. */
void hugetlb_add_to_page_cache(struct hugetlb_file *f, unsigned long idx, struct page *page);
/* hugetlbfs_punch_hole: the bytes [offset, offset + len) of the file are punched out: the whole huge
 * pages among them unmapped from every VMA and freed, their reservations released; the parts of pages
 * at either end zeroed (fallocate(FALLOC_FL_PUNCH_HOLE), MADV_REMOVE). */
void hugetlbfs_punch_hole(struct machine *m, struct hugetlb_file *f, unsigned long offset, unsigned long len);


#endif
