/*
 * Address spaces (include/linux/mm_types.h, include/linux/mm.h): an mm_struct is a process's view
 * of memory: its page tables and its virtual memory areas. VMAs are kept twice, as the kernel did
 * before the maple tree: in an address-ordered list for walking and in a red-black tree augmented
 * with the largest free gap below each subtree, so that find_vma and get_unmapped_area are
 * O(log n).
 */
#ifndef MMLAB_MM_TYPES_H
#define MMLAB_MM_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mmlab/interval_tree.h>
#include <mmlab/mempolicy.h>
#include <mmlab/pgtable.h>
#include <mmlab/rbtree.h>

/* vm_flags (include/linux/mm.h), the kernel's values. */
#define VM_NONE		0x00000000UL
#define VM_READ		0x00000001UL
#define VM_WRITE	0x00000002UL
#define VM_EXEC		0x00000004UL
#define VM_SHARED	0x00000008UL
#define VM_MAYREAD	0x00000010UL
#define VM_MAYWRITE	0x00000020UL
#define VM_MAYEXEC	0x00000040UL
#define VM_MAYSHARE	0x00000080UL
#define VM_GROWSDOWN	0x00000100UL
#define VM_PFNMAP	0x00000400UL	/* raw page frames, no struct page use */
#define VM_LOCKED	0x00002000UL
#define VM_IO		0x00004000UL
#define VM_SEQ_READ	0x00008000UL	/* MADV_SEQUENTIAL */
#define VM_RAND_READ	0x00010000UL	/* MADV_RANDOM */
#define VM_DONTCOPY	0x00020000UL
#define VM_DONTEXPAND	0x00040000UL
#define VM_LOCKONFAULT	0x00080000UL	/* locked as pages are faulted in, not populated */
#define VM_ACCOUNT	0x00100000UL
#define VM_NORESERVE	0x00200000UL
#define VM_HUGETLB	0x00400000UL
#define VM_WIPEONFORK	0x02000000UL
#define VM_DONTDUMP	0x04000000UL
#define VM_SOFTDIRTY	0x08000000UL
#define VM_MIXEDMAP	0x10000000UL
#define VM_HUGEPAGE	0x20000000UL	/* MADV_HUGEPAGE */
#define VM_NOHUGEPAGE	0x40000000UL	/* MADV_NOHUGEPAGE */
#define VM_MERGEABLE	0x80000000UL	/* KSM may merge its pages (MADV_MERGEABLE) */

/* Mappings the core mm must not merge, mlock or otherwise treat as ordinary memory (VM_SPECIAL). */
#define VM_SPECIAL	(VM_IO | VM_DONTEXPAND | VM_PFNMAP | VM_MIXEDMAP)
#define VM_LOCKED_MASK	(VM_LOCKED | VM_LOCKONFAULT)

#define VM_ACCESS_FLAGS	(VM_READ | VM_WRITE | VM_EXEC)
#define VM_MAYACCESS	(VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)
/* Flags that differ between two VMAs without stopping a merge (VM_IGNORE_MERGE). */
#define VM_IGNORE_MERGE	VM_SOFTDIRTY
/* What the stack and the heap are created with (VM_STACK_FLAGS, VM_DATA_DEFAULT_FLAGS on x86). */
#define VM_DATA_DEFAULT_FLAGS	(VM_READ | VM_WRITE | VM_MAYACCESS)
#define VM_STACK_FLAGS		(VM_GROWSDOWN | VM_DATA_DEFAULT_FLAGS | VM_ACCOUNT)

/* The per-mm RSS counters (include/linux/mm_types_task.h). */
enum mm_counter {
	MM_FILEPAGES,
	MM_ANONPAGES,
	MM_SWAPENTS,
	MM_SHMEMPAGES,
	NR_MM_COUNTERS
};

struct mm_struct;
struct shmem_object;
struct file;
struct hugetlb_file;
struct ksm_mm_slot;
struct khugepaged_mm_slot;

/* What anonymous pages point to (page->mapping): every VMA that may map one of its pages is
 * linked to it by an anon_vma_chain (include/linux/rmap.h). A forked VMA is linked to its own
 * anon_vma and to each of its parent's, so that a page faulted before the fork finds the child too. */
struct anon_vma {
	struct anon_vma *parent;	/* the anon_vma of the VMA this one's was forked from */
	int refcount;			/* chain links to it and child anon_vmas */
	struct list_head head;		/* the anon_vma_chains of the VMAs linked to it */
};

struct vm_area_struct;

/* One link between a VMA and an anon_vma, on a list of each (include/linux/rmap.h). */
struct anon_vma_chain {
	struct vm_area_struct *vma;
	struct anon_vma *anon_vma;
	struct list_head same_vma;	/* in the VMA's anon_vma_chain list */
	struct list_head same_anon_vma;	/* in the anon_vma's head list */
};
#define PAGE_MAPPING_ANON	0x1UL

struct vm_area_struct;

/* A mapping the kernel installs itself ([vdso], [vvar]): its name in /proc/PID/maps and what a
 * fault in it maps (include/linux/mm_types.h struct vm_special_mapping). */
struct vm_special_mapping {
	const char *name;
	/* 0 or VM_FAULT_*: the entry for addr, the pgoff-th page of the mapping; NULL for the gate
	 * VMA, which no fault reaches (it is in no mm's tree) */
	unsigned int (*fault)(const struct vm_special_mapping *sm, struct vm_area_struct *vma, unsigned long pgoff,
			      struct pt_entry pte);
};

/* A virtual memory area: [vm_start, vm_end) with one set of permissions (include/linux/mm_types.h). */
struct vm_area_struct {
	unsigned long vm_start;
	unsigned long vm_end;		/* the first byte after */
	struct vm_area_struct *vm_next, *vm_prev;	/* the address-ordered list */
	struct rb_node vm_rb;
	/* The largest free gap below any VMA of this subtree, gaps counted below each VMA's start down
	 * to its predecessor's end: what the unmapped-area search prunes by. */
	unsigned long rb_subtree_gap;
	struct mm_struct *vm_mm;
	pteval_t vm_page_prot;		/* the PTE bits a fault installs (before write-protecting COW) */
	unsigned long vm_flags;
	unsigned long vm_pgoff;		/* offset in pages: in the file, or vm_start >> PAGE_SHIFT if anon */
	struct shmem_object *shm;	/* MAP_SHARED|MAP_ANONYMOUS: the shmem object behind it */
	struct file *vm_file;		/* a file mapping: the file, or NULL */
	/* in the file's mapping->i_mmap tree: [vm_pgoff, vm_pgoff + vma_pages - 1] (vma_interval_tree) */
	struct interval_tree_node shared;
	struct hugetlb_file *hfile;	/* MAP_SHARED|MAP_ANONYMOUS|MAP_HUGETLB: the hugetlbfs file behind it */
	struct anon_vma *anon_vma;	/* NULL until the first anonymous page is faulted in */
	struct list_head anon_vma_chain;	/* its links to anon_vmas: its own, then its parent's */
	const struct vm_special_mapping *vm_special;	/* vm_private_data of a special mapping, or NULL */
	struct mempolicy vm_policy;	/* mbind's NUMA policy; MPOL_DEFAULT: the task's */
};

/* A range written with fill=seq, which verify checks byte for byte (no kernel counterpart). */
struct seq_range {
	unsigned long start, end;
	unsigned long origin;	/* the address the byte now at start was written at (mremap moves it) */
};

struct mm_struct {
	struct machine *machine;
	struct task_struct *owner;	/* the task whose mm this is (mm->owner): its memory policy */
	const struct paging_mode *pm;
	struct vm_area_struct *mmap;	/* the first VMA of the list */
	struct rb_root mm_rb;
	int map_count;
	unsigned long highest_vm_end;	/* the end of the highest VMA */
	unsigned long mmap_base;	/* where the top-down search for free space starts */
	unsigned long task_size;
	struct page *pgd;
	unsigned long pgtables_bytes;	/* VmPTE */
	/* Page tables set aside for the huge PMDs, one each, so that splitting one never allocates
	 * (pgtable_trans_huge_deposit): a stack linked through page->lru, counted in VmPTE. */
	struct page *pmd_huge_pte;
	int mm_users;

	unsigned long start_code, end_code, start_data, end_data;
	unsigned long start_brk, brk, start_stack;
	unsigned long def_flags;	/* flags every new VMA gets: VM_LOCKED after mlockall(MCL_FUTURE) */
	unsigned long total_vm, data_vm, exec_vm, stack_vm, locked_vm;	/* pages */
	unsigned long hiwater_rss, hiwater_vm;
	long rss_stat[NR_MM_COUNTERS];
	unsigned long hugetlb_usage;	/* base pages mapped by huge entries: HugetlbPages (hugetlb_count_add) */

	/* KSM (mm/ksm.c): the slot while registered (MMF_VM_MERGEABLE), the rmap_items, those in the
	 * stable tree, and the KSM zero pages mapped. */
	struct ksm_mm_slot *ksm_slot;
	unsigned long ksm_rmap_items, ksm_merging_pages;
	long ksm_zero_pages;
	/* khugepaged (mm/khugepaged.c): the slot while registered (MMF_VM_HUGEPAGE). */
	struct khugepaged_mm_slot *khugepaged_slot;
	/* NUMA balancing (kernel/sched/fair.c task_numa_work): when the next scan may run (0: not yet
	 * set), where it starts, and how many passes over the address space are done. */
	uint64_t numa_next_scan;
	unsigned long numa_scan_offset;
	int numa_scan_seq;

	struct seq_range *seq;		/* what verify checks, sorted, disjoint */
	size_t nr_seq, seq_cap;
};

static inline unsigned long vma_pages(const struct vm_area_struct *vma)
{
	return (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
}

static inline bool vma_is_anonymous(const struct vm_area_struct *vma)
{
	return !vma->shm && !vma->vm_file && !vma->vm_special;
}

/* vma_has_recency: whether the LRU may learn from accesses through vma: not after MADV_SEQUENTIAL
 * or MADV_RANDOM (include/linux/mm_inline.h; FMODE_NOREUSE is not modelled). */
static inline bool vma_has_recency(const struct vm_area_struct *vma)
{
	return !(vma->vm_flags & (VM_SEQ_READ | VM_RAND_READ));
}

/* get_mm_rss: resident pages of every kind (include/linux/mm.h). */
static inline unsigned long get_mm_rss(const struct mm_struct *mm)
{
	long rss = mm->rss_stat[MM_FILEPAGES] + mm->rss_stat[MM_ANONPAGES] + mm->rss_stat[MM_SHMEMPAGES];

	return rss < 0 ? 0 : (unsigned long)rss;
}

/* add_mm_counter: with the high-water mark of the RSS, as the kernel samples it. */
static inline void add_mm_counter(struct mm_struct *mm, enum mm_counter member, long value)
{
	mm->rss_stat[member] += value;
	if (get_mm_rss(mm) > mm->hiwater_rss)
		mm->hiwater_rss = get_mm_rss(mm);
}

#endif
