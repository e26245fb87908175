/*
 * The memory-management core's internal interface (include/linux/mm.h, mm/internal.h, mm/vma.h):
 * VMAs, faults, unmapping, and the accesses of simulated programs.
 */
#ifndef MMLAB_MM_H
#define MMLAB_MM_H

#include <mmlab/mm_types.h>
#include <mmlab/sched.h>

struct seq_file;
struct task_struct;

/* sysctl_max_map_count (DEFAULT_MAX_MAP_COUNT) and mmap_min_addr (the x86 default, 64K). */
#define DEFAULT_MAX_MAP_COUNT	65530
#define MMAP_MIN_ADDR		65536UL
/* The guard gap kept below a stack VMA (stack_guard_gap: 256 pages). */
#define STACK_GUARD_GAP		(256UL << PAGE_SHIFT)

#define PAGE_ALIGN(x)	(((x) + PAGE_SIZE - 1) & PAGE_MASK)

/* ---- mm/vma.c: the VMA tree and list ---- */

struct vm_area_struct *vm_area_alloc(struct mm_struct *mm);
struct vm_area_struct *vm_area_dup(struct vm_area_struct *orig);
void vm_area_free(struct vm_area_struct *vma);
/* find_vma: the first VMA that ends above addr, or NULL. */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);
/* is_cow_mapping: private and may be written: its pages are copied on write (include/linux/mm.h). */
static inline bool is_cow_mapping(unsigned long vm_flags)
{
	return (vm_flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE;
}
/* vma_is_accessible: some access is allowed (include/linux/mm.h). */
static inline bool vma_is_accessible(const struct vm_area_struct *vma)
{
	return vma->vm_flags & VM_ACCESS_FLAGS;
}
/* change_protection (mm/mprotect.c): the present PTEs of [start, end) of vma take its vm_page_prot;
 * with MM_CP_PROT_NUMA they become PAGE_NONE for NUMA hinting faults instead (change_prot_numa), but
 * for those a scan passes over (prot_numa_skip). The PTEs changed. */
#define MM_CP_PROT_NUMA		(1UL << 1)
long change_protection(struct vm_area_struct *vma, unsigned long start, unsigned long end, unsigned long cp_flags);
/* vma_lookup: the VMA that holds addr, or NULL (include/linux/mm.h). */
static inline struct vm_area_struct *vma_lookup(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	return vma && vma->vm_start <= addr ? vma : NULL;
}
/* find_vma_intersection: a VMA overlapping [start, end), or NULL. */
struct vm_area_struct *find_vma_intersection(struct mm_struct *mm, unsigned long start, unsigned long end);
/* find_vma_prev: find_vma, and the VMA before it in *pprev. */
struct vm_area_struct *find_vma_prev(struct mm_struct *mm, unsigned long addr, struct vm_area_struct **pprev);
/* vma_link: insert a VMA into a free range of the tree and list. */
void vma_link(struct mm_struct *mm, struct vm_area_struct *vma);
/* vma_unlink: take it out again (the caller frees it). */
void vma_unlink(struct mm_struct *mm, struct vm_area_struct *vma);
/* vma_set_range: change a linked VMA's bounds (vma_expand, vma_shrink), gaps kept right. */
void vma_set_range(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long start, unsigned long end);
/* split_vma: cut vma at addr: the new VMA is the part below addr when new_below. 0 or -ENOMEM. */
int split_vma(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr, bool new_below);
/* find_mergeable_anon_vma: the anon_vma of a neighbour (the next VMA first, then the previous) that
 * vma may share, so that pieces split by mprotect and faulted apart can merge again; NULL if none
 * (mm/vma.c). */
struct anon_vma *find_mergeable_anon_vma(const struct vm_area_struct *vma);
/* vma_merge_neighbours: merge vma with its neighbours where nothing tells them apart; the result. */
struct vm_area_struct *vma_merge_neighbours(struct mm_struct *mm, struct vm_area_struct *vma);
/* vma_modify_flags: [start, end) of vma gets newflags: split at the ends, then merged with the
 * neighbours that now match. The VMA covering [start, end), or NULL with split_vma's error in *err
 * (-ENOMEM, or -EINVAL through a huge page). */
struct vm_area_struct *vma_modify_flags(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long start,
				       unsigned long end, unsigned long newflags, int *err);
/* vm_get_page_prot: the PTE bits of a VMA's flags (protection_map in arch/x86/mm/pgprot.c). */
pteval_t vm_get_page_prot(const struct mm_struct *mm, unsigned long vm_flags);
/* vma_set_page_prot: vm_page_prot from vm_flags, write-protected where writes must be noticed (a
 * shared writable file mapping: vma_wants_writenotify) (mm/mmap.c). */
void vma_set_page_prot(struct vm_area_struct *vma);
/* vm_account: a VM_ACCOUNT mapping of pages more is charged to the commit (Committed_AS) if
 * vm.overcommit_memory allows (security_vm_enough_memory_mm). 0 or -ENOMEM. */
int vm_account(struct mm_struct *mm, unsigned long vm_flags, unsigned long pages);
/* vm_unaccount: the charge of pages of a VM_ACCOUNT mapping goes (vm_unacct_memory). */
void vm_unaccount(struct mm_struct *mm, unsigned long vm_flags, unsigned long pages);
/* vm_stat_account: total_vm, locked_vm and the data, exec and stack counts (mm/mmap.c). */
void vm_stat_account(struct mm_struct *mm, unsigned long flags, long npages);

/* ---- mm/pagewalk.c ---- */

struct mm_walk;
/* What a walk does at each present PTE; a non-zero return stops the walk and is returned. */
struct mm_walk_ops {
	/* each present PTE (may be NULL) */
	int (*pte_entry)(struct pt_entry pte, unsigned long addr, struct mm_walk *walk);
	/* optional: each swap PTE (a non-empty entry that is not present) */
	int (*swap_entry)(struct pt_entry pte, unsigned long addr, struct mm_walk *walk);
	/* optional: each table page the walk enters, the pgd first */
	int (*pt_table)(struct page *table, int level, struct mm_walk *walk);
	/* optional: each present huge entry of a hugetlb page (walk_hugetlb_range) */
	int (*hugetlb_entry)(struct pt_entry pmd, unsigned long addr, struct mm_walk *walk);
	/* optional: each huge PMD of a transparent huge page, [addr, next) the part walked; when it
	 * leaves a table there (the PMD was split), the walk goes on through its PTEs */
	int (*pmd_entry)(struct pt_entry pmd, unsigned long addr, unsigned long next, struct mm_walk *walk);
};
struct mm_walk {
	const struct mm_walk_ops *ops;
	struct mm_struct *mm;
	void *private;
};
/* walk_page_range: every present PTE (PROT_NONE ones included) of [start, end), in address order. */
int walk_page_range(struct mm_struct *mm, unsigned long start, unsigned long end, const struct mm_walk_ops *ops,
		    void *private);

/* ---- mm/mmap.c ---- */

/* get_unmapped_area: where a mapping of len bytes goes, or a negative errno. */
long get_unmapped_area(struct mm_struct *mm, unsigned long addr, unsigned long len, unsigned long flags);
/* __get_unmapped_area: a private anonymous mapping without a hint whose length is a multiple of the
 * PMD size goes on a PMD boundary (thp_get_unmapped_area, since 6.7); anything else where
 * get_unmapped_area says (shared memory: shmem without huge pages; files: a filesystem's own
 * get_unmapped_area is not modelled). */
long __get_unmapped_area(struct mm_struct *mm, const struct file *file, unsigned long addr, unsigned long len,
			 unsigned long flags);
/* do_munmap: unmap [start, start + len). 0 or a negative errno. */
int do_munmap(struct mm_struct *mm, unsigned long start, size_t len);
/* mm_alloc / mmput: a new empty address space, and its end (exit_mmap). */
struct mm_struct *mm_alloc(struct machine *m);
void mmput(struct mm_struct *mm);
/* insert_vm_struct-like: map an anonymous VMA at [start, end) with flags, merging. NULL on ENOMEM. */
struct vm_area_struct *map_anon_range(struct mm_struct *mm, unsigned long start, unsigned long end,
				      unsigned long vm_flags);
/* mmap_region: map [start, end) with flags, of file from page pgoff (anonymous when file is NULL),
 * merging with its neighbours where they continue it. NULL on ENOMEM. */
struct vm_area_struct *mmap_region(struct mm_struct *mm, struct file *file, unsigned long start, unsigned long end,
				   unsigned long vm_flags, unsigned long pgoff);
/* _install_special_mapping: a VMA at [addr, addr + len) whose faults spec resolves (mm/mmap.c);
 * never merged (VM_DONTEXPAND), never locked. NULL on ENOMEM. */
struct vm_area_struct *install_special_mapping(struct mm_struct *mm, unsigned long addr, unsigned long len,
					      unsigned long vm_flags, const struct vm_special_mapping *spec);
/* arch_setup_additional_pages: [vvar], [vvar_vclock] and [vdso] for a new program
 * (arch/x86/entry/vdso/vma.c). 0 or -ENOMEM. */
int arch_setup_additional_pages(struct mm_struct *mm);
/* get_gate_vma: the [vsyscall] VMA shown after mm's own, in no mm's tree; NULL on i386
 * (arch/x86/entry/vsyscall/vsyscall_64.c). */
const struct vm_area_struct *get_gate_vma(const struct mm_struct *mm);
/* expand_stack: grow a stack VMA down to addr within the faulting task's RLIMIT_STACK, and its
 * RLIMIT_MEMLOCK for a locked stack (expand_downwards, acct_stack_growth). 0 or a negative errno. */
int expand_stack(struct vm_area_struct *vma, unsigned long addr, const struct task_struct *tsk);
/* mm_populate: fault in every page of [start, start + len) (mm/gup.c __mm_populate). */
void mm_populate(struct mm_struct *mm, unsigned long start, unsigned long len);

/* ---- mm/memory.c ---- */

/* The fault flags and results (include/linux/mm_types.h). */
#define FAULT_FLAG_WRITE	0x01
#define FAULT_FLAG_USER		0x40
#define FAULT_FLAG_UNSHARE	0x400	/* copy a shared page without making it writable (break_ksm) */
#define VM_FAULT_OOM		0x0001
#define VM_FAULT_SIGBUS		0x0002
#define VM_FAULT_MAJOR		0x0004	/* the page had to be read in (pgmajfault, maj_flt) */
#define VM_FAULT_SIGSEGV	0x0040
#define VM_FAULT_NOPAGE		0x0100	/* the handler installed the PTE itself (fault-around) */
#define VM_FAULT_FALLBACK	0x0800	/* no huge page: handle the fault at the PTE level */

/* handle_mm_fault: resolve a fault at addr in vma; 0 or VM_FAULT_*. */
unsigned int handle_mm_fault(struct vm_area_struct *vma, unsigned long addr, unsigned int flags);
/* zap_details: what a zap walk carries (walk->private): the VMA, and the end of the range, where a
 * batch of PTEs stops (include/linux/mm.h has the kernel's, for other details). */
struct zap_details {
	struct vm_area_struct *vma;
	unsigned long end;
};
/* zap_page_range: unmap and release the pages of [start, end) inside vma. */
void zap_page_range(struct vm_area_struct *vma, unsigned long start, unsigned long end);
/* unmap_mapping_range: every VMA of every process that maps mapping (a shmem object or a hugetlbfs
 * file) loses its PTEs of the base pages [start, end) of it (mm/memory.c; the kernel finds the VMAs
 * in the mapping's i_mmap tree). */
void unmap_mapping_range(struct machine *m, const void *mapping, unsigned long start, unsigned long end);
/* free_pgtables: free the tables covering [start, end) that no VMA in [floor, ceiling) needs. */
void free_pgd_range(struct mm_struct *mm, unsigned long start, unsigned long end, unsigned long floor,
		    unsigned long ceiling);
/* copy_page_range: fork's copy of a VMA's PTEs, anonymous pages write-protected and shared. */
int copy_page_range(struct vm_area_struct *dst, struct vm_area_struct *src);
/* is_zero_pfn: the shared zero page (include/linux/pgtable.h). */
bool is_zero_pfn(const struct machine *m, unsigned long pfn);
/* vm_normal_page: the page a present PTE maps, NULL for a special entry (a raw frame) or the shared
 * zero page (mm/memory.c). */
struct page *vm_normal_page(struct mm_struct *mm, pteval_t v);
/* ---- mm/interval_tree.c: a file's VMAs by the page offsets they map ---- */

/* vma_interval_tree_insert, vma_interval_tree_remove: vma enters or leaves the tree at
 * [vm_pgoff, vm_pgoff + vma_pages(vma) - 1]; a VMA whose range or offset changes leaves first. */
void vma_interval_tree_insert(struct vm_area_struct *vma, struct rb_root *root);
void vma_interval_tree_remove(struct vm_area_struct *vma, struct rb_root *root);
/* vma_interval_tree_iter_first, vma_interval_tree_iter_next: the VMAs mapping any of the page
 * offsets [first, last], in order of vm_pgoff. */
struct vm_area_struct *vma_interval_tree_iter_first(struct rb_root *root, unsigned long first, unsigned long last);
struct vm_area_struct *vma_interval_tree_iter_next(struct vm_area_struct *vma, unsigned long first,
						   unsigned long last);
#define vma_interval_tree_foreach(vma, root, first, last)					\
	for (vma = vma_interval_tree_iter_first(root, first, last); vma;			\
	     vma = vma_interval_tree_iter_next(vma, first, last))

/* set_pte_range: pte maps the page-cache page, read-only, or writable and dirty for a store to a
 * shared mapping; the caller's reference on the page goes to the PTE (mm/memory.c). */
void set_pte_range(struct vm_area_struct *vma, struct page *page, struct pt_entry pte, bool write);
/* fault_around_init: fault_around_bytes at its default, 64 KiB (mm/memory.c). */
void fault_around_init(struct machine *m);
/* follow_pte: the present PTE mapping addr, without faulting; false if none. */
bool follow_pte(struct mm_struct *mm, unsigned long addr, struct pt_entry *ptep);

/* zap_swap_pte, copy_swap_pte: a swap PTE unmapped (its slot reference dropped) or copied by fork
 * (one more reference; -1 when the slot can count no more) (src/mm/memory_swap.c). */
int zap_swap_pte(struct pt_entry pte, unsigned long addr, struct mm_walk *walk);
int copy_swap_pte(struct mm_struct *dst_mm, struct pt_entry dst, pteval_t v);

/* put_page: drop a reference to a user page; the last one takes it off the LRU and frees it. */
void put_page(struct machine *m, struct page *page);

/* ---- mm/mlock.c: the pages of VM_LOCKED VMAs ---- */

/* mlock_future_ok: bytes more of VM_LOCKED memory (vm_flags) stay within tsk's RLIMIT_MEMLOCK, or
 * tsk has CAP_IPC_LOCK (mm/mmap.c). */
bool mlock_future_ok(const struct task_struct *tsk, unsigned long vm_flags, unsigned long bytes);
/* mlock_folio: a VM_LOCKED VMA maps page: PG_mlocked (NR_MLOCK), on the unevictable list. */
void mlock_folio(struct machine *m, struct page *page);
/* mlock_new_folio: a page just faulted into a VM_LOCKED VMA, not yet on any LRU list. */
void mlock_new_folio(struct machine *m, struct page *page);
/* munlock_folio: one locked VMA less maps page; the last one makes it evictable again. */
void munlock_folio(struct machine *m, struct page *page);
/* mlock_vma_folio, munlock_vma_folio: page mapped or unmapped by vma (mm/internal.h). */
static inline void mlock_vma_folio(struct machine *m, struct page *page, const struct vm_area_struct *vma)
{
	if ((vma->vm_flags & (VM_LOCKED | VM_SPECIAL)) == VM_LOCKED)
		mlock_folio(m, page);
}
static inline void munlock_vma_folio(struct machine *m, struct page *page, const struct vm_area_struct *vma)
{
	if (vma->vm_flags & VM_LOCKED)
		munlock_folio(m, page);
}

/* ---- mm/shmem.c: shared anonymous memory ---- */

/* shmem_zero_setup: the object behind a new MAP_SHARED|MAP_ANONYMOUS mapping of size bytes,
 * charged to the commit when account (shmem_acct_size); NULL when memory or the commit is short. */
struct shmem_object *shmem_zero_setup(struct machine *m, unsigned long size, bool account);
unsigned long shmem_ino(const struct shmem_object *obj);
void shmem_get(struct shmem_object *obj);
void shmem_put(struct machine *m, struct shmem_object *obj);
unsigned int shmem_fault(struct vm_area_struct *vma, unsigned long addr, struct pt_entry pte);
/* shmem_punch_hole: shmem_fallocate(FALLOC_FL_PUNCH_HOLE) of the object's pages [start, end): unmapped
 * from every VMA and freed; later faults find zeroed pages (MADV_REMOVE). */
void shmem_punch_hole(struct machine *m, struct shmem_object *obj, unsigned long start, unsigned long end);

/* ---- mm/rmap.c: reverse mapping ---- */

/* anon_vma_prepare: a VMA's anon_vma, at its first anonymous fault: a neighbour's it may share
 * (find_mergeable_anon_vma), else a new one. 0 or -ENOMEM. */
int anon_vma_prepare(struct vm_area_struct *vma);
/* anon_vma_clone: dst (split off src, or merged with it) is linked to every anon_vma src is. */
int anon_vma_clone(struct vm_area_struct *dst, const struct vm_area_struct *src);
/* anon_vma_fork: a child's VMA: linked to its parent's anon_vmas and to a new one of its own. */
int anon_vma_fork(struct vm_area_struct *vma, const struct vm_area_struct *pvma);
/* unlink_anon_vmas: a VMA going away drops its links (and the anon_vmas no one uses). */
void unlink_anon_vmas(struct vm_area_struct *vma);
/* page_add_new_anon_rmap: a page just faulted in: mapped once, by the VMA's anon_vma, at its index. */
void page_add_new_anon_rmap(struct machine *m, struct page *page, struct vm_area_struct *vma, unsigned long addr);
/* page_add_anon_rmap: one more PTE maps an anonymous page that keeps its mapping (a KSM page, a
 * swapped-in page) (folio_add_anon_rmap_pte). */
void page_add_anon_rmap(struct machine *m, struct page *page);
/* page_dup_rmap: fork maps the page once more. */
void page_dup_rmap(struct page *page);
/* page_remove_rmap: one PTE less; the last one takes the page out of NR_ANON_MAPPED (or, for a
 * shmem page, NR_FILE_MAPPED). */
void page_remove_rmap(struct machine *m, struct page *page);
/* folio_remove_rmap_ptes: nr consecutive pages of folio from page lose a PTE each, as one batch; an
 * anonymous large folio that keeps other pages mapped goes on the deferred split queue. */
void folio_remove_rmap_ptes(struct machine *m, struct page *folio, struct page *page, unsigned int nr);
/* folio_add_new_anon_rmap (a PMD-mapped folio): every page of a new folio takes the VMA's anon_vma
 * and its index; the folio is mapped whole once: NR_ANON_MAPPED and NR_ANON_THPS grow by its pages. */
void folio_add_new_anon_rmap_pmd(struct machine *m, struct page *folio, struct vm_area_struct *vma, unsigned long haddr);
/* folio_add_anon_rmap_pmd: fork maps the folio whole once more. */
void folio_add_anon_rmap_pmd(struct page *folio);
/* folio_remove_rmap_pmd: one PMD less; the last takes the folio out of NR_ANON_THPS, and its pages no
 * PTE maps out of NR_ANON_MAPPED. */
void folio_remove_rmap_pmd(struct machine *m, struct page *folio);
/* rmap_walk_pmd: fn for every VMA and address where a PMD maps the folio whole (rmap_walk, whose
 * page_vma_mapped_walk stops at a PMD-mapped folio). */
int rmap_walk_pmd(struct machine *m, struct page *folio,
		  int (*fn)(struct vm_area_struct *vma, unsigned long addr, void *arg), void *arg);
/* get_anon_vma / put_anon_vma: a hold on an anon_vma; the last one frees it and lets go of its
 * parent. */
void get_anon_vma(struct anon_vma *av);
void put_anon_vma(struct anon_vma *av);
/* anon_vma_root: the anon_vma every process forked from the first owner is linked to. */
static inline struct anon_vma *anon_vma_root(struct anon_vma *av)
{
	while (av->parent)
		av = av->parent;
	return av;
}
/* rmap_one_at: fn(vma, addr) if the present PTE at addr of vma maps page; else 0. */
int rmap_one_at(struct machine *m, struct page *page, struct vm_area_struct *vma, unsigned long addr,
		int (*fn)(struct vm_area_struct *vma, unsigned long addr, void *arg), void *arg);
/* rmap_walk: fn for every VMA and address whose PTE maps page, until fn returns non-zero (its
 * value is returned). */
int rmap_walk(struct machine *m, struct page *page, int (*fn)(struct vm_area_struct *vma, unsigned long addr, void *arg),
	      void *arg);
static inline bool PageAnon(const struct page *page)
{
	return ((unsigned long)page->mapping & PAGE_MAPPING_ANON) != 0;
}
/* mm_counter: the rss counter a mapped page counts in: anonymous, shmem or file (include/linux/mm.h). */
static inline enum mm_counter mm_counter(const struct page *page)
{
	if (PageAnon(page))
		return MM_ANONPAGES;
	return test_bit_flag(page, PG_swapbacked) ? MM_SHMEMPAGES : MM_FILEPAGES;
}
/* page_add_file_rmap: one more PTE maps a shmem, page-cache or vDSO page; the first makes it count
 * as Mapped (NR_FILE_MAPPED). */
void page_add_file_rmap(struct machine *m, struct page *page);

/* ---- arch/x86/mm/mmap.c: the layout of a new process ---- */

void arch_pick_mmap_layout(struct mm_struct *mm, const struct rlimit *rlim_stack);
unsigned long randomize_stack_top(struct mm_struct *mm, unsigned long stack_top);
unsigned long elf_load_bias(struct mm_struct *mm);
unsigned long arch_randomize_brk(struct mm_struct *mm);

/* load_elf_binary: the VMAs of an ELF file's PT_LOAD segments (fs/binfmt_elf.c). 0, or a
 * negative errno with what is wrong in msg. */
int load_elf_binary(struct mm_struct *mm, const char *path, char *msg, size_t msglen);

/* ---- The simulated programs' memory accesses (arch/x86/mm/fault.c, the MMU) ---- */

/* user_access_slow: a TLB miss, a store through a clean or read-only entry, or another process's
 * translations loaded: the walk, and the faults it raises (arch/x86/mm/fault.c). */
unsigned char *user_access_slow(struct machine *m, struct task_struct *tsk, unsigned long addr, bool write, int *sig);

/* numa_account_access: bytes a load or store of tsk touched at host address p (a page's bytes, as
 * user_access_page gives them), each charged the distance from its CPU's node to the page's
 * (tsk->numa_bytes_local, numa_bytes_remote, numa_access_cost; no kernel counterpart). */
void numa_account_access(struct machine *m, struct task_struct *tsk, const unsigned char *p, unsigned long bytes);

/* user_access_page: the host bytes behind addr for a load (or a store when write), through the
 * TLB and the page tables, faulting as needed; bytes up to the end of the page are addressable.
 * NULL when the access killed the task (SIGSEGV, SIGBUS or SIGKILL: *sig says which), or found
 * no memory and nothing to kill: the machine panicked (*sig SIGKILL, the task alive). A TLB hit costs a
 * set's compare and no call. */
static inline unsigned char *user_access_page(struct machine *m, struct task_struct *tsk, unsigned long addr,
					      bool write, int *sig)
{
	struct tlb *tlb = &m->tasks->tlb[m->this_cpu];
	struct tlb_entry *e;

	if (tlb->loaded_mm == tsk->mm && (e = tlb_lookup(tlb, addr)) &&
	    (!write || (e->flags & (_PAGE_RW | _PAGE_DIRTY)) == (_PAGE_RW | _PAGE_DIRTY))) {
		*sig = 0;
		return m->phys + ((uint64_t)e->pfn << PAGE_SHIFT) + (addr & e->mask);
	}
	return user_access_slow(m, tsk, addr, write, sig);
}
/* copy_to_user, copy_from_user: a system call's copy to or from the task's memory, faulting pages
 * in; the bytes not copied (a part the task may not access: -EFAULT for the caller). *sig: the
 * task died on the way (out of memory) (arch/x86/lib/usercopy_64.c). */
unsigned long copy_to_user(struct machine *m, struct task_struct *tsk, unsigned long to, const void *from,
			   unsigned long n, int *sig);
unsigned long copy_from_user(struct machine *m, struct task_struct *tsk, void *to, unsigned long from,
			     unsigned long n, int *sig);

/* The signal a task died of. */
#define SIGABRT	6
#define SIGBUS	7
#define SIGKILL	9
#define SIGSEGV	11

/* page_table_check: every mapped page against the PTEs that map it, and the counters that follow
 * them; the number of violations, each described in report (mm/page_table_check.c). */
int page_table_check(struct machine *m, struct seq_file *report);

/* ---- fs/proc/task_mmu.c: /proc/PID/pagemap's entries (Documentation/admin-guide/mm/pagemap.rst) ---- */

#define PM_PFRAME_MASK		((UINT64_C(1) << 55) - 1)	/* bits 0-54: the page frame, if present */
#define PM_SOFT_DIRTY		(UINT64_C(1) << 55)
#define PM_MMAP_EXCLUSIVE	(UINT64_C(1) << 56)		/* mapped by this PTE only */
#define PM_FILE			(UINT64_C(1) << 61)		/* a file page or shared anonymous memory */
#define PM_SWAP			(UINT64_C(1) << 62)
#define PM_PRESENT		(UINT64_C(1) << 63)

/* pagemap_entry: the 64-bit pagemap entry of addr (pte_to_pagemap_entry). */
uint64_t pagemap_entry(struct mm_struct *mm, unsigned long addr);

/* ---- mm/verify.c: what fill=seq wrote, and the check that it is still there ---- */

/* seq_byte: the byte fill=seq writes at addr. */
static inline unsigned char seq_byte(unsigned long addr)
{
	return (unsigned char)(addr ^ (addr >> 8) ^ (addr >> 17) ^ (addr >> 29) ^ 0x5a);
}
/* seq_record: [start, end) now holds seq bytes (or, when seq is false, no longer does). */
void seq_record(struct mm_struct *mm, unsigned long start, unsigned long end, bool seq);
/* seq_record_write: a process wrote [start, end), seq bytes or not: its private parts are recorded. */
void seq_record_write(struct mm_struct *mm, unsigned long start, unsigned long end, bool seq);
/* seq_move: mremap moved [old, old + len) to new: what was recorded there moves with it. */
void seq_move(struct mm_struct *mm, unsigned long old, unsigned long new, unsigned long len);
/* seq_copy: a forked child holds what its parent held. 0 or -ENOMEM. */
int seq_copy(struct mm_struct *dst, const struct mm_struct *src);
/* verify_mm: check every recorded byte; the number of bad pages, each described in report. */
int verify_mm(struct task_struct *tsk, struct seq_file *report);

#endif
