/*
 * Page faults and the PTEs of user memory (mm/memory.c): anonymous faults map the shared zero page
 * for a read and a fresh zeroed page for a write; a write to a write-protected private page reuses
 * it when this PTE is its only mapping and copies it otherwise (copy-on-write). Unmapping releases
 * the pages, then the tables no VMA needs any more; fork copies the PTEs of anonymous memory with
 * both sides write-protected. A read fault on a file mapping maps the cached pages around it too
 * (fault-around, fault_around_bytes), so that a scan of a cached file faults once per 64 KiB.
 */
#include <errno.h>
#include <string.h>

#include <mmlab/cmdline.h>
#include <mmlab/fs.h>
#include <mmlab/gfp.h>
#include <mmlab/huge_mm.h>
#include <mmlab/hugetlb.h>
#include <mmlab/ksm.h>
#include <mmlab/mempolicy.h>
#include <mmlab/migrate.h>
#include <mmlab/mm.h>
#include <mmlab/procfs.h>
#include <mmlab/seq_file.h>
#include <mmlab/vmscan.h>
#include <mmlab/vmstat.h>

#include "fs/proc/internal.h"

bool is_zero_pfn(const struct machine *m, unsigned long pfn)
{
	return m->tasks && m->tasks->zero_page && pfn == page_to_pfn(m, m->tasks->zero_page);
}

struct page *vm_normal_page(struct mm_struct *mm, pteval_t v)
{
	unsigned long pfn = pte_pfn(mm->pm, v);

	return pte_special(v) || is_zero_pfn(mm->machine, pfn) ? NULL : pfn_to_page(mm->machine, pfn);
}

/* put_page: drop a reference to the page's folio; the last one takes the folio off its LRU list and
 * frees it, the anon mapping pointers of its pages cleared (include/linux/mm.h, mm/swap.c
 * __page_cache_release, free_pages_prepare). */
void put_page(struct machine *m, struct page *page)
{
	page = page_folio(page);
	if (page_ref_count(page) == 1) {
		if (PageKsm(page))
			ksm_page_freed(m, page);
		folio_undo_large_rmappable(m, page);
		for (unsigned long i = 0; i < folio_nr_pages(page); i++)
			page[i].mapping = NULL;
		if (PageLRU(page))
			lruvec_del_folio(m, page);
		clear_page_flag(page, PG_active);
		clear_page_flag(page, PG_unevictable);
		/* Mlocked still: a race in the kernel (unevictable_pgs_cleared), a bug here. */
		if (test_bit_flag(page, PG_mlocked)) {
			clear_page_flag(page, PG_mlocked);
			__mod_zone_page_state(page_zone(m, page), NR_MLOCK, -(long)folio_nr_pages(page));
			count_vm_events(m, UNEVICTABLE_PGCLEARED, folio_nr_pages(page));
		}
	}
	__free_pages(m, page, compound_order(page));
}

/* folio_add_new_anon_rmap + folio_add_lru_vma: a new anonymous page is swap-backed and joins the
 * inactive anon list, or the unevictable one in a VM_LOCKED VMA (mm/rmap.c, mm/swap.c). */
static void add_new_anon_page(struct machine *m, struct page *page, struct vm_area_struct *vma, unsigned long addr)
{
	page_add_new_anon_rmap(m, page, vma, addr);
	set_page_flag(page, PG_swapbacked);
	folio_add_lru_vma(m, page, vma);
}

/* do_anonymous_page: a first touch: the zero page for a read, a new zeroed page for a write. */
static unsigned int do_anonymous_page(struct vm_area_struct *vma, unsigned long addr, struct pt_entry pte,
				      unsigned int flags)
{
	struct machine *m = vma->vm_mm->machine;
	struct page *page;
	pteval_t entry;

	if (!(flags & FAULT_FLAG_WRITE)) {
		set_pte(pte, pfn_pte(page_to_pfn(m, m->tasks->zero_page), vma->vm_page_prot & ~_PAGE_RW));
		return 0;
	}
	if (anon_vma_prepare(vma))
		return VM_FAULT_OOM;
	page = vma_alloc_folio(GFP_HIGHUSER_MOVABLE | __GFP_ZERO, 0, vma, addr);
	if (!page)
		return VM_FAULT_OOM;
	add_new_anon_page(m, page, vma, addr);
	add_mm_counter(vma->vm_mm, MM_ANONPAGES, 1);
	entry = pfn_pte(page_to_pfn(m, page), vma->vm_page_prot);
	if (vma->vm_flags & VM_WRITE)
		entry |= _PAGE_RW | _PAGE_DIRTY;
	set_pte(pte, entry);
	return 0;
}

/* do_cow_fault: a store to a private file mapping: a new anonymous page with the file page's bytes. */
static unsigned int do_cow_fault(struct vm_area_struct *vma, unsigned long addr, struct pt_entry pte, struct page *page)
{
	struct machine *m = vma->vm_mm->machine;
	struct page *new = anon_vma_prepare(vma) ? NULL : vma_alloc_folio(GFP_HIGHUSER_MOVABLE, 0, vma, addr);

	if (new) {
		memcpy(kmap_local_page(m, new), kmap_local_page(m, page), PAGE_SIZE);
		add_new_anon_page(m, new, vma, addr);
		add_mm_counter(vma->vm_mm, MM_ANONPAGES, 1);
		set_pte(pte, pfn_pte(page_to_pfn(m, new), vma->vm_page_prot) | _PAGE_RW | _PAGE_DIRTY);
	}
	put_page(m, page);
	return new ? 0 : VM_FAULT_OOM;
}

void set_pte_range(struct vm_area_struct *vma, struct page *page, struct pt_entry pte, bool write)
{
	struct machine *m = vma->vm_mm->machine;
	pteval_t entry = pfn_pte(page_to_pfn(m, page), vma->vm_page_prot);

	if (write) {
		entry |= _PAGE_RW | _PAGE_DIRTY;
		folio_mark_dirty(m, page);	/* fault_dirty_shared_page */
	}
	page_add_file_rmap(m, page);
	mlock_vma_folio(m, page, vma);
	add_mm_counter(vma->vm_mm, MM_FILEPAGES, 1);
	set_pte(pte, entry);
}

void fault_around_init(struct machine *m)
{
	m->fault_around_pages = 65536 >> PAGE_SHIFT;
}

/* do_fault_around: the cached pages of the fault_around_bytes-aligned block around addr mapped
 * first, within the VMA and the page table (mm/memory.c); VM_FAULT_NOPAGE when addr's was. */
static unsigned int do_fault_around(struct vm_area_struct *vma, unsigned long addr)
{
	const struct paging_mode *pm = vma->vm_mm->pm;
	unsigned long nr_pages = vma->vm_mm->machine->fault_around_pages, ptrs = pt_entries(pm, pm->levels - 1);
	unsigned long pte_off = (addr >> PAGE_SHIFT) & (ptrs - 1), vma_off = (addr - vma->vm_start) >> PAGE_SHIFT;
	unsigned long pgoff = vma->vm_pgoff + vma_off, from_pte, to_pte;

	from_pte = pte_off & ~(nr_pages - 1);
	if (from_pte < pte_off - (pte_off < vma_off ? pte_off : vma_off))
		from_pte = pte_off - (pte_off < vma_off ? pte_off : vma_off);
	to_pte = from_pte + nr_pages;
	if (to_pte > ptrs)
		to_pte = ptrs;
	if (to_pte > pte_off + vma_pages(vma) - vma_off)
		to_pte = pte_off + vma_pages(vma) - vma_off;
	return filemap_map_pages(vma, addr, pgoff + from_pte - pte_off, pgoff + to_pte - 1 - pte_off);
}

/* do_fault: a file mapping's first touch (mm/memory.c): a read maps the cached pages around it
 * first (do_read_fault's fault-around), then the page-cache page (read in if need be: a major
 * fault) is mapped read-only (do_read_fault), writable and dirty for a store to a shared mapping
 * (do_shared_fault), or copied for a store to a private one (do_cow_fault). */
static unsigned int do_fault(struct vm_area_struct *vma, unsigned long addr, struct pt_entry pte, unsigned int flags)
{
	unsigned int fault = 0;
	bool major;
	struct page *page;

	if (!(flags & FAULT_FLAG_WRITE) && vma->vm_mm->machine->fault_around_pages > 1 &&
	    do_fault_around(vma, addr) == VM_FAULT_NOPAGE)
		return 0;
	page = filemap_fault(vma, addr, &major, &fault);
	if (!page)
		return fault;
	if ((flags & FAULT_FLAG_WRITE) && !(vma->vm_flags & VM_SHARED))
		return do_cow_fault(vma, addr, pte, page) | (major ? VM_FAULT_MAJOR : 0);
	set_pte_range(vma, page, pte, flags & FAULT_FLAG_WRITE);
	return major ? VM_FAULT_MAJOR : 0;
}

/* wp_page_copy: this PTE gets a copy of the page (zeros for the zero page) of its own: writable
 * and dirty, or for an unsharing fault (break_ksm) with the VMA's protection only. */
static unsigned int wp_page_copy(struct vm_area_struct *vma, unsigned long addr, struct pt_entry pte, pteval_t v,
				 bool unshare)
{
	struct mm_struct *mm = vma->vm_mm;
	struct machine *m = mm->machine;
	unsigned long pfn = pte_pfn(mm->pm, v);
	struct page *old = is_zero_pfn(m, pfn) ? NULL : pfn_to_page(m, pfn), *new;

	if (anon_vma_prepare(vma))
		return VM_FAULT_OOM;
	new = vma_alloc_folio(GFP_HIGHUSER_MOVABLE | (old ? 0 : __GFP_ZERO), 0, vma, addr);
	if (!new)
		return VM_FAULT_OOM;
	if (ptep_get(pte) != v) {	/* reclaim swapped the old page out meanwhile: fault again */
		__free_pages(m, new, 0);
		return 0;
	}
	if (old)
		memcpy(kmap_local_page(m, new), kmap_local_page(m, old), PAGE_SIZE);
	if (old && PageKsm(old))
		count_vm_event(m, COW_KSM);
	ksm_might_unmap_zero_page(mm, v);
	add_new_anon_page(m, new, vma, addr);
	add_mm_counter(mm, MM_ANONPAGES, 1);
	set_pte(pte, pfn_pte(page_to_pfn(m, new), vma->vm_page_prot) | (unshare ? 0 : _PAGE_RW | _PAGE_DIRTY));
	flush_tlb_mm_range(m, mm, addr, addr + PAGE_SIZE);
	if (old) {
		add_mm_counter(mm, mm_counter(old), -1);
		munlock_vma_folio(m, old, vma);
		page_remove_rmap(m, old);
		put_page(m, old);
	}
	return 0;
}

/* wp_can_reuse_anon_folio: only this PTE maps the page, and its folio has no reference beyond its
 * mappings (a page of a large folio: whatever maps the folio's other pages); never a KSM page. */
static bool wp_can_reuse_anon_folio(const struct page *page)
{
	const struct page *folio = page_folio(page);

	return PageAnon(page) && !PageKsm(page) && folio_precise_page_mapcount(page) == 1 &&
	       page_ref_count(folio) == folio_mapcount(folio);
}

/* do_wp_page: a write (or an unsharing fault) to a present, write-protected PTE. A shared mapping
 * just becomes writable (a page-cache page dirtied: wp_page_shared); a private anonymous page
 * mapped only here is reused (pgreuse), never a KSM page; anything else is copied. */
static unsigned int do_wp_page(struct vm_area_struct *vma, unsigned long addr, struct pt_entry pte, pteval_t v,
			       unsigned int flags)
{
	struct machine *m = vma->vm_mm->machine;
	unsigned long pfn = pte_pfn(vma->vm_mm->pm, v);
	struct page *page = is_zero_pfn(m, pfn) ? NULL : pfn_to_page(m, pfn);
	bool unshare = !(flags & FAULT_FLAG_WRITE);

	if ((vma->vm_flags & VM_SHARED) || (page && wp_can_reuse_anon_folio(page))) {
		if (unshare)
			return 0;
		if (!(vma->vm_flags & VM_SHARED))
			count_vm_event(m, PGREUSE);
		else if (vma->vm_file)
			folio_mark_dirty(m, page);
		set_pte(pte, v | _PAGE_RW | _PAGE_DIRTY | _PAGE_ACCESSED);
		return 0;
	}
	return wp_page_copy(vma, addr, pte, v, unshare);
}

/* do_numa_page: a NUMA hinting fault. The PTE gets the VMA's protection back, writable again where
 * a write may not need a fault (can_change_pte_writable: an anonymous page only this PTE maps, a
 * dirty page of a shared mapping); numa_hint_faults counts it, numa_hint_faults_local when the page
 * is on this CPU's node; a misplaced page moves to this CPU's node (mpol_misplaced,
 * migrate_misplaced_folio). The PTE is restored before the move, which carries it to the new frame
 * (the kernel moves first and restores through the migration entry: the same PTE results). */
static unsigned int do_numa_page(struct vm_area_struct *vma, unsigned long addr, struct pt_entry pte, pteval_t v)
{
	struct mm_struct *mm = vma->vm_mm;
	struct machine *m = mm->machine;
	pteval_t nv = pte_modify(mm->pm, v, vma->vm_page_prot) | _PAGE_ACCESSED;
	struct page *page = vm_normal_page(mm, nv);
	int target;

	if ((vma->vm_flags & VM_WRITE) &&
	    ((vma->vm_flags & VM_SHARED) ? (v & _PAGE_DIRTY) != 0 : page && wp_can_reuse_anon_folio(page)))
		nv |= _PAGE_RW;
	set_pte(pte, nv);
	flush_tlb_mm_range(m, mm, addr, addr + PAGE_SIZE);
	if (!page)
		return 0;
	count_vm_event(m, NUMA_HINT_FAULTS);
	if (page_to_nid(page) == m->cpu_to_node[m->this_cpu])
		count_vm_event(m, NUMA_HINT_FAULTS_LOCAL);
	target = mpol_misplaced(page, vma, m->this_cpu);
	if (target != NUMA_NO_NODE)
		migrate_misplaced_folio(page, vma, target);
	return 0;
}

/* __handle_mm_fault, the PMD level: an empty PMD of a VMA that may have a huge page gets one; a huge
 * PMD takes the write or the access; VM_FAULT_FALLBACK goes on to the PTE level. */
static unsigned int handle_pmd_fault(struct vm_area_struct *vma, unsigned long addr, unsigned int flags)
{
	struct pt_entry pmd;
	pteval_t v;

	if (!vma->vm_mm->machine->arch->thp)
		return VM_FAULT_FALLBACK;
	if (walk_to_pmd(vma->vm_mm, addr, true, &pmd))
		return VM_FAULT_OOM;
	v = ptep_get(pmd);
	if (!v)
		return thp_vma_allowable_order(vma, false) ? do_huge_pmd_anonymous_page(vma, addr, pmd, flags)
							    : VM_FAULT_FALLBACK;
	if (!pmd_trans_huge(v))
		return VM_FAULT_FALLBACK;
	if ((flags & FAULT_FLAG_WRITE) && !pte_write(v))
		return do_huge_pmd_wp_page(vma, addr, pmd, v);
	huge_pmd_set_accessed(pmd, v, flags);
	return 0;
}

static unsigned int __handle_mm_fault(struct vm_area_struct *vma, unsigned long addr, unsigned int flags)
{
	struct mm_struct *mm = vma->vm_mm;
	struct pt_entry pte;
	unsigned int ret;
	pteval_t v;

	if (vma->vm_flags & VM_HUGETLB)
		return hugetlb_fault(vma, addr, flags);
	if (!vma->shm && (ret = handle_pmd_fault(vma, addr, flags)) != VM_FAULT_FALLBACK)
		return ret;
	if (walk_to_pte(mm, addr, true, &pte))
		return VM_FAULT_OOM;
	v = ptep_get(pte);
	if (v && !pte_present(v))
		return do_swap_page(vma, addr, pte, v, flags);
	if (!pte_present(v) && vma->vm_special)	/* special_mapping_fault: vmf->pgoff, split VMAs too */
		return vma->vm_special->fault(vma->vm_special, vma,
					      vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT), pte);
	if (!pte_present(v))
		return vma->shm ? shmem_fault(vma, addr, pte) : vma->vm_file ? do_fault(vma, addr, pte, flags)
						 : do_anonymous_page(vma, addr, pte, flags);
	if (pte_protnone(v) && vma_is_accessible(vma))
		return do_numa_page(vma, addr, pte, v);
	if ((flags & (FAULT_FLAG_WRITE | FAULT_FLAG_UNSHARE)) && !pte_write(v))
		return do_wp_page(vma, addr, pte, v, flags);
	if (flags & FAULT_FLAG_UNSHARE)
		return 0;
	/* Spurious (another CPU's stale TLB entry): mark it young, and dirty for a write. */
	set_pte(pte, v | _PAGE_ACCESSED | (flags & FAULT_FLAG_WRITE ? _PAGE_DIRTY : 0));
	return 0;
}

/* handle_mm_fault: in a VMA with recency the fault runs with current->in_lru_fault set, so that the
 * multi-gen LRU adds the pages it brings in as active (lru_gen_enter_fault, lru_gen_exit_fault)
 * (mm/memory.c). */
unsigned int handle_mm_fault(struct vm_area_struct *vma, unsigned long addr, unsigned int flags)
{
	struct machine *m = vma->vm_mm->machine;
	unsigned int ret;

	count_vm_event(m, PGFAULT);
	m->in_lru_fault = vma_has_recency(vma);
	ret = __handle_mm_fault(vma, addr, flags);
	m->in_lru_fault = false;
	return ret;
}

bool follow_pte(struct mm_struct *mm, unsigned long addr, struct pt_entry *ptep)
{
	return !walk_to_pte(mm, addr, false, ptep) && pte_present(ptep_get(*ptep));
}

/* folio_pte_batch: how many PTEs from pte on, before end and within its table, map the pages of
 * page's folio that follow page (mm/internal.h). */
static unsigned int folio_pte_batch(struct mm_struct *mm, struct pt_entry pte, unsigned long addr, unsigned long end,
				    struct page *page)
{
	struct machine *m = mm->machine;
	struct page *folio = page_folio(page);
	unsigned long table_end = (addr | (pt_level_size(mm->pm, mm->pm->levels - 2) - 1)) + 1;
	unsigned long last = end < table_end ? end : table_end, pfn = page_to_pfn(m, page);
	unsigned int nr = 1;

	while (addr + nr * PAGE_SIZE < last && page + nr < folio + folio_nr_pages(folio)) {
		pteval_t v = ptep_get((struct pt_entry){ pte.p + nr * pte.size, pte.size });

		if (!pte_present(v) || pte_pfn(mm->pm, v) != pfn + nr)
			break;
		nr++;
	}
	return nr;
}

/* zap_present_folio_ptes: the PTEs mapping a run of pages of one large folio are cleared together,
 * so that the folio is judged partially mapped once, after the batch, and a locked VMA munlocks it
 * once for the batch (folio_remove_rmap_ptes' munlock_vma_folio), not once per page (mm/memory.c). */
static void zap_present_folio_ptes(struct mm_walk *walk, struct pt_entry pte, unsigned long addr, struct page *page)
{
	struct zap_details *details = walk->private;
	struct machine *m = walk->mm->machine;
	struct page *folio = page_folio(page);
	unsigned int nr = folio_pte_batch(walk->mm, pte, addr, details->end, page);

	for (unsigned int i = 0; i < nr; i++)
		set_pte((struct pt_entry){ pte.p + i * pte.size, pte.size }, 0);
	add_mm_counter(walk->mm, MM_ANONPAGES, -(long)nr);
	folio_remove_rmap_ptes(m, folio, page, nr);
	munlock_vma_folio(m, folio, details->vma);
	for (unsigned int i = 0; i < nr; i++)
		put_page(m, folio);
}

/* zap_pte: clear one PTE and release what it mapped (zap_present_pte); walk->private is the
 * zap_details. */
static int zap_pte(struct pt_entry pte, unsigned long addr, struct mm_walk *walk)
{
	struct zap_details *details = walk->private;
	struct machine *m = walk->mm->machine;
	pteval_t v = ptep_get(pte);
	unsigned long pfn = pte_pfn(walk->mm->pm, v);
	struct page *page;

	if (pte_special(v)) {	/* a raw frame: nothing to release */
		set_pte(pte, 0);
		return 0;
	}
	if (is_zero_pfn(m, pfn)) {
		set_pte(pte, 0);
		ksm_might_unmap_zero_page(walk->mm, v);
		return 0;
	}
	page = pfn_to_page(m, pfn);
	if (PageHead(page) || PageTail(page)) {
		zap_present_folio_ptes(walk, pte, addr, page);
		return 0;
	}
	set_pte(pte, 0);
	if (mm_counter(page) == MM_FILEPAGES) {	/* what the PTE knows goes to the page-cache page */
		if (v & _PAGE_DIRTY)
			folio_mark_dirty(m, page);
		if (v & _PAGE_ACCESSED)
			folio_mark_accessed(m, page);
	}
	add_mm_counter(walk->mm, mm_counter(page), -1);
	munlock_vma_folio(m, page, details->vma);
	page_remove_rmap(m, page);
	put_page(m, page);
	return 0;
}

static const struct mm_walk_ops zap_ops = { .pte_entry = zap_pte, .swap_entry = zap_swap_pte, .pmd_entry = zap_huge_pmd };

void zap_page_range(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	struct mm_struct *mm = vma->vm_mm;

	if (vma->vm_flags & VM_HUGETLB) {
		unmap_hugepage_range(vma, start, end);
	} else {
		struct zap_details details = { .vma = vma, .end = end };

		walk_page_range(mm, start, end, &zap_ops, &details);
		flush_tlb_mm_range(mm->machine, mm, start, end);
	}
	if (!vma->shm)
		seq_record(mm, start, end, false);
}

/* The object behind a shared mapping (its vm_file): a shmem object or a hugetlbfs file. */
static const void *vma_mapping(const struct vm_area_struct *vma)
{
	return vma->shm ? (const void *)vma->shm : (const void *)vma->hfile;
}

void unmap_mapping_range(struct machine *m, const void *mapping, unsigned long start, unsigned long end)
{
	struct task_struct *tsk;

	list_for_each_entry(tsk, &m->tasks->tasks, tasks)
		for (struct vm_area_struct *vma = tsk->mm->mmap; vma; vma = vma->vm_next) {
			unsigned long first = vma->vm_pgoff, last = first + vma_pages(vma);

			if (!mapping || vma_mapping(vma) != mapping || last <= start || first >= end)
				continue;
			zap_page_range(vma, vma->vm_start + (((start > first ? start : first) - first) << PAGE_SHIFT),
				       vma->vm_start + (((end < last ? end : last) - first) << PAGE_SHIFT));
		}
}

/* free_pt_tree: a table and every table below it (free_pte_range & co, for a span no VMA uses). */
static void free_pt_tree(struct mm_struct *mm, struct page *table, int level)
{
	const struct paging_mode *pm = mm->pm;

	for (unsigned int i = 0; level < pm->levels - 1 && i < pt_entries(pm, level); i++) {
		unsigned char *base = kmap_local_page(mm->machine, table);
		pteval_t v = ptep_get((struct pt_entry){ base + (size_t)i * pm->entry_size, pm->entry_size });

		if (pte_present(v))
			free_pt_tree(mm, pt_table_page(mm->machine, pm, v), level + 1);
	}
	pt_free_one(mm, table, level);
}

/* Free the tables below a table of this level whose whole span lies in [floor, ceiling_last]. */
static void free_pt_range(struct mm_struct *mm, struct page *table, int level, unsigned long start,
			  unsigned long end, unsigned long floor, unsigned long ceiling_last)
{
	const struct paging_mode *pm = mm->pm;
	unsigned long size = pt_level_size(pm, level);

	if (level == pm->levels - 1)
		return;
	for (unsigned long addr = start, lo, next; addr < end; addr = next) {
		struct pt_entry e = pt_entry_at(mm->machine, pm, table, level, addr);
		pteval_t v = ptep_get(e);

		lo = addr & ~(size - 1);
		next = lo + size - 1 < end - 1 ? lo + size : end;
		if (!pte_present(v))
			continue;
		if (lo >= floor && lo + size - 1 <= ceiling_last) {
			free_pt_tree(mm, pt_table_page(mm->machine, pm, v), level + 1);
			set_pte(e, 0);
		} else {
			free_pt_range(mm, pt_table_page(mm->machine, pm, v), level + 1, addr, next, floor, ceiling_last);
		}
	}
}

void free_pgd_range(struct mm_struct *mm, unsigned long start, unsigned long end, unsigned long floor,
		    unsigned long ceiling)
{
	free_pt_range(mm, mm->pgd, 0, start, end, floor, ceiling - 1);
}

/* What fork's PTE copy needs: the child's VMA. */
struct copy_ctx {
	struct vm_area_struct *dst;
	bool cow;
};

/* copy_present_pte: the child maps the same page; a private writable page becomes write-protected
 * on both sides, so that whichever writes first gets a copy. */
static int copy_pte(struct pt_entry src, unsigned long addr, struct mm_walk *walk)
{
	struct copy_ctx *ctx = walk->private;
	struct mm_struct *dst_mm = ctx->dst->vm_mm;
	struct machine *m = dst_mm->machine;
	pteval_t v;
	struct page *page;
	struct pt_entry dst;

	if (walk_to_pte(dst_mm, addr, true, &dst))
		return -1;
	v = ptep_get(src);	/* after the table allocation, which may have reclaimed the page */
	if (!pte_present(v))
		return copy_swap_pte(dst_mm, dst, v);
	page = vm_normal_page(dst_mm, v);
	if (page) {
		get_page(page);
		page_dup_rmap(page);
		add_mm_counter(dst_mm, mm_counter(page), 1);
	} else if (is_ksm_zero_pte(m, dst_mm, v)) {
		ksm_map_zero_page(dst_mm);	/* the child's PTE is a KSM zero page too (its dirty bit) */
	}
	if (ctx->cow && pte_write(v)) {
		v &= ~_PAGE_RW;
		set_pte(src, v);
	}
	set_pte(dst, v & ~_PAGE_ACCESSED);
	return 0;
}

/* copy_pmd_range, a huge PMD: copy_huge_pmd. */
static int copy_pmd(struct pt_entry src, unsigned long addr, unsigned long next, struct mm_walk *walk)
{
	struct copy_ctx *ctx = walk->private;

	(void)next;
	return copy_huge_pmd(ctx->dst, src, addr, ctx->cow) ? -1 : 0;
}

static const struct mm_walk_ops copy_ops = { .pte_entry = copy_pte, .swap_entry = copy_pte, .pmd_entry = copy_pmd };

int copy_page_range(struct vm_area_struct *dst, struct vm_area_struct *src)
{
	struct copy_ctx ctx = { dst, (src->vm_flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE };

	if (src->vm_flags & VM_HUGETLB)
		return copy_hugetlb_page_range(dst, src);
	/* vma_needs_copy: anonymous memory and raw frames need their PTEs copied; anything else is
	 * faulted in again. */
	if (!(src->vm_flags & VM_PFNMAP) && (!src->anon_vma || src->shm))
		return 0;
	return walk_page_range(src->vm_mm, src->vm_start, src->vm_end, &copy_ops, &ctx) ? -1 : 0;
}

/* ---- /sys/kernel/debug/fault_around_bytes ---- */

static int fault_around_bytes_get(struct machine *m, struct seq_file *s, const char *arg)
{
	(void)arg;
	seq_printf(s, "%lu\n", m->fault_around_pages << PAGE_SHIFT);
	return 0;
}

/* fault_around_bytes_set: at most a page table's span; rounded down to a power of two pages, one
 * page (no fault-around) for a page or less. */
static int fault_around_bytes_set(struct machine *m, const char *arg, const char *text, size_t len)
{
	const struct paging_mode *pm = paging_mode_of(m);
	unsigned long val, pages = 1;

	(void)arg;
	if (kstrtoul_text(text, len, &val) || val / PAGE_SIZE > pt_entries(pm, pm->levels - 1))
		return -EINVAL;
	if (val > PAGE_SIZE)
		while (pages << 1 <= val >> PAGE_SHIFT)
			pages <<= 1;
	m->fault_around_pages = pages;
	return 0;
}

const struct proc_entry memory_proc_entries[] = {
	{ .path = "/sys/kernel/debug/fault_around_bytes", .show = fault_around_bytes_get, .write = fault_around_bytes_set },
	{ 0 },
};
