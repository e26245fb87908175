/*
 * Reverse mapping (mm/rmap.c): from a page to every PTE that maps it. An anonymous page points to
 * the anon_vma of the VMA it was faulted in; every VMA that may map it - the pieces of a split
 * VMA, the copies in forked children - is linked to that anon_vma by an anon_vma_chain. A shmem
 * page points to its object, which every VMA mapping it names. A page's _mapcount counts the
 * PTEs (minus one); NR_ANON_MAPPED and NR_FILE_MAPPED the pages mapped at all.
 */
#include <errno.h>
#include <stdlib.h>

#include <mmlab/fs.h>
#include <mmlab/huge_mm.h>
#include <mmlab/ksm.h>
#include <mmlab/mm.h>
#include <mmlab/vmscan.h>
#include <mmlab/vmstat.h>

#include "internal.h"

static struct anon_vma *anon_vma_alloc(struct anon_vma *parent)
{
	struct anon_vma *av = calloc(1, sizeof(*av));

	if (!av)
		return NULL;
	INIT_LIST_HEAD(&av->head);
	av->parent = parent;
	if (parent)
		parent->refcount++;
	return av;
}

void get_anon_vma(struct anon_vma *av)
{
	av->refcount++;
}

void put_anon_vma(struct anon_vma *av)
{
	while (av && --av->refcount == 0) {
		struct anon_vma *parent = av->parent;

		free(av);
		av = parent;
	}
}

/* anon_vma_chain_link: vma may now map pages of av. 0 or -ENOMEM. */
static int anon_vma_chain_link(struct vm_area_struct *vma, struct anon_vma *av)
{
	struct anon_vma_chain *avc = malloc(sizeof(*avc));

	if (!avc)
		return -ENOMEM;
	avc->vma = vma;
	avc->anon_vma = av;
	av->refcount++;
	list_add_tail(&avc->same_vma, &vma->anon_vma_chain);
	list_add_tail(&avc->same_anon_vma, &av->head);
	return 0;
}

/* __anon_vma_prepare: a neighbour's anon_vma if vma may share it, else a new one (mm/rmap.c). */
int anon_vma_prepare(struct vm_area_struct *vma)
{
	struct anon_vma *av, *allocated = NULL;

	if (vma->anon_vma)
		return 0;
	av = find_mergeable_anon_vma(vma);
	if (!av)
		av = allocated = anon_vma_alloc(NULL);
	if (!av)
		return -ENOMEM;
	if (anon_vma_chain_link(vma, av)) {
		free(allocated);
		return -ENOMEM;
	}
	vma->anon_vma = av;
	return 0;
}

int anon_vma_clone(struct vm_area_struct *dst, const struct vm_area_struct *src)
{
	struct anon_vma_chain *avc;

	list_for_each_entry(avc, &src->anon_vma_chain, same_vma)
		if (anon_vma_chain_link(dst, avc->anon_vma)) {
			unlink_anon_vmas(dst);
			return -ENOMEM;
		}
	dst->anon_vma = src->anon_vma;
	return 0;
}

int anon_vma_fork(struct vm_area_struct *vma, const struct vm_area_struct *pvma)
{
	struct anon_vma *av;

	if (!pvma->anon_vma)
		return 0;
	if (anon_vma_clone(vma, pvma))
		return -ENOMEM;
	av = anon_vma_alloc(pvma->anon_vma);
	if (!av || anon_vma_chain_link(vma, av)) {
		put_anon_vma(av ? av->parent : NULL);
		free(av);
		unlink_anon_vmas(vma);
		return -ENOMEM;
	}
	vma->anon_vma = av;
	return 0;
}

void unlink_anon_vmas(struct vm_area_struct *vma)
{
	struct anon_vma_chain *avc, *n;

	list_for_each_entry_safe(avc, n, &vma->anon_vma_chain, same_vma) {
		list_del(&avc->same_vma);
		list_del(&avc->same_anon_vma);
		put_anon_vma(avc->anon_vma);
		free(avc);
	}
	vma->anon_vma = NULL;
}

static void mod_anon_mapped(struct machine *m, struct page *page, long delta)
{
	__mod_node_page_state(NODE_DATA(m, page_to_nid(page)), NR_ANON_MAPPED, delta);
}

void page_add_new_anon_rmap(struct machine *m, struct page *page, struct vm_area_struct *vma, unsigned long addr)
{
	page->mapping = (void *)((unsigned long)vma->anon_vma | PAGE_MAPPING_ANON);
	page->index = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
	page->_mapcount = 0;
	mod_anon_mapped(m, page, 1);
}

void page_add_file_rmap(struct machine *m, struct page *page)
{
	if (++page->_mapcount == 0)
		__mod_node_page_state(NODE_DATA(m, page_to_nid(page)), NR_FILE_MAPPED, 1);
}

void page_add_anon_rmap(struct machine *m, struct page *page)
{
	if (++page->_mapcount == 0)
		mod_anon_mapped(m, page, 1);
}

void page_dup_rmap(struct page *page)
{
	page->_mapcount++;
}

/* One PTE of page less; true when that unmapped an anonymous page of a large folio altogether. */
static bool __page_remove_rmap(struct machine *m, struct page *page)
{
	if (--page->_mapcount >= 0)
		return false;
	if (!PageAnon(page)) {
		__mod_node_page_state(NODE_DATA(m, page_to_nid(page)), NR_FILE_MAPPED, -1);
		return false;
	}
	if (!(PageHead(page) || PageTail(page))) {
		mod_anon_mapped(m, page, -1);
		return false;
	}
	/* a page of a folio a PMD still maps whole stays mapped */
	if (folio_entire_mapcount(page_folio(page)))
		return false;
	mod_anon_mapped(m, page, -1);
	return true;
}

void folio_remove_rmap_ptes(struct machine *m, struct page *folio, struct page *page, unsigned int nr)
{
	bool unmapped = false;

	for (unsigned int i = 0; i < nr; i++)
		unmapped |= __page_remove_rmap(m, page + i);
	/* __folio_remove_rmap: a page gone while others stay mapped: partially mapped */
	if (unmapped && !folio_on_deferred_split(folio) && folio_mapped(folio))
		deferred_split_folio(m, folio);
}

void page_remove_rmap(struct machine *m, struct page *page)
{
	folio_remove_rmap_ptes(m, page_folio(page), page, 1);
}

void folio_add_new_anon_rmap_pmd(struct machine *m, struct page *folio, struct vm_area_struct *vma, unsigned long haddr)
{
	unsigned long nr = folio_nr_pages(folio);

	for (unsigned long i = 0; i < nr; i++) {
		folio[i].mapping = (void *)((unsigned long)vma->anon_vma | PAGE_MAPPING_ANON);
		folio[i].index = vma->vm_pgoff + ((haddr - vma->vm_start) >> PAGE_SHIFT) + i;
	}
	folio[1]._entire_mapcount = 0;
	mod_anon_mapped(m, folio, (long)nr);
	__mod_node_page_state(NODE_DATA(m, page_to_nid(folio)), NR_ANON_THPS, (long)nr);
}

void folio_add_anon_rmap_pmd(struct page *folio)
{
	folio[1]._entire_mapcount++;
}

void folio_remove_rmap_pmd(struct machine *m, struct page *folio)
{
	unsigned long nr = folio_nr_pages(folio), unmapped = 0;

	if (--folio[1]._entire_mapcount >= 0)
		return;
	for (unsigned long i = 0; i < nr; i++)
		unmapped += folio[i]._mapcount < 0;
	mod_anon_mapped(m, folio, -(long)unmapped);
	__mod_node_page_state(NODE_DATA(m, page_to_nid(folio)), NR_ANON_THPS, -(long)nr);
	/* __folio_remove_rmap: some pages only PTEs still map: partially mapped */
	if (unmapped && unmapped < nr)
		deferred_split_folio(m, folio);
}

/* vma_address: where the page would be in vma, or 0 if outside it. */
static unsigned long vma_address(const struct page *page, const struct vm_area_struct *vma)
{
	unsigned long addr;

	if (page->index < vma->vm_pgoff)
		return 0;
	addr = vma->vm_start + ((page->index - vma->vm_pgoff) << PAGE_SHIFT);
	return addr >= vma->vm_start && addr < vma->vm_end ? addr : 0;
}

/* A present PTE of vma at addr maps the page (page_vma_mapped_walk's check_pte). */
static bool pte_maps_page(struct machine *m, struct vm_area_struct *vma, unsigned long addr, struct page *page)
{
	struct pt_entry pte;

	return addr && follow_pte(vma->vm_mm, addr, &pte) &&
	       pte_pfn(vma->vm_mm->pm, ptep_get(pte)) == page_to_pfn(m, page);
}

int rmap_one_at(struct machine *m, struct page *page, struct vm_area_struct *vma, unsigned long addr,
		int (*fn)(struct vm_area_struct *vma, unsigned long addr, void *arg), void *arg)
{
	return pte_maps_page(m, vma, addr, page) ? fn(vma, addr, arg) : 0;
}

/* "Only mlock fully mapped pages" of folio_referenced_one and try_to_unmap_one (mm/rmap.c): a locked
 * VMA whose PTE at addr maps a page of the folio mlocks the folio only if its PTEs map every page
 * of it, under one page table (not PVMW_PGTABLE_CROSSED); a small folio always. A walk that finds
 * the folio's first page at addr judges the VMA; one at a later page is past that judgement. */
static bool folio_mlock_fully_mapped(struct vm_area_struct *vma, struct page *folio, unsigned long addr)
{
	struct machine *m = vma->vm_mm->machine;
	const struct paging_mode *pm = vma->vm_mm->pm;
	unsigned long nr = folio_nr_pages(folio), table_mask = ~(pt_level_size(pm, pm->levels - 2) - 1);

	if (nr == 1)
		return true;
	if (addr != vma_address(folio, vma) || (addr & table_mask) != ((addr + (nr << PAGE_SHIFT) - 1) & table_mask))
		return false;
	for (unsigned long i = 1; i < nr; i++)
		if (!pte_maps_page(m, vma, vma_address(folio + i, vma), folio + i))
			return false;
	return true;
}

/* The VMA maps the page at its address if a present PTE there points at it. */
static int rmap_one(struct machine *m, struct page *page, struct vm_area_struct *vma,
		    int (*fn)(struct vm_area_struct *vma, unsigned long addr, void *arg), void *arg)
{
	return rmap_one_at(m, page, vma, vma_address(page, vma), fn, arg);
}

/* rmap_walk_file: a page-cache page is mapped only by the VMAs over its offset in its mapping's
 * i_mmap tree; a shmem page by the VMAs of every task naming its object (the kernel keeps those in
 * an i_mmap tree too). */
static int rmap_walk_file(struct machine *m, struct page *page,
			  int (*fn)(struct vm_area_struct *vma, unsigned long addr, void *arg), void *arg)
{
	struct task_struct *tsk;
	struct vm_area_struct *vma;
	int ret = 0;

	if (!test_bit_flag(page, PG_swapbacked)) {
		vma_interval_tree_foreach(vma, &((struct address_space *)page->mapping)->i_mmap, page->index, page->index)
			if ((ret = rmap_one(m, page, vma, fn, arg)))
				break;
		return ret;
	}
	list_for_each_entry(tsk, &m->tasks->tasks, tasks)
		for (struct vm_area_struct *vma = tsk->mm->mmap; vma && !ret; vma = vma->vm_next)
			if (vma->shm && (void *)vma->shm == page->mapping)
				ret = rmap_one(m, page, vma, fn, arg);
	return ret;
}

int rmap_walk(struct machine *m, struct page *page, int (*fn)(struct vm_area_struct *vma, unsigned long addr, void *arg),
	      void *arg)
{
	struct anon_vma *av = (struct anon_vma *)((unsigned long)page->mapping & ~PAGE_MAPPING_ANON);
	struct anon_vma_chain *avc;
	int ret = 0;

	if (page->_mapcount < 0 || !page->mapping || !m->tasks)
		return 0;
	if (!PageAnon(page))
		return rmap_walk_file(m, page, fn, arg);
	if (PageKsm(page))
		return rmap_walk_ksm(m, page, fn, arg);
	list_for_each_entry(avc, &av->head, same_anon_vma)
		if ((ret = rmap_one(m, page, avc->vma, fn, arg)))
			break;
	return ret;
}

/* What folio_referenced's walk carries: the folio, the young entries found, the flags of the VMAs
 * they were found in (VM_LOCKED: a locked VMA maps it), and whether the walk is of PMDs mapping the
 * folio whole. */
struct folio_referenced_arg {
	struct page *page;
	int referenced;
	unsigned long vm_flags;
	bool pmd;
};

/* A young entry counts, and is made old again (ptep_clear_flush_young); whether it was young. */
static bool clear_young(struct pt_entry e, int *referenced)
{
	pteval_t v = ptep_get(e);

	if (!(v & _PAGE_ACCESSED))
		return false;
	set_pte(e, v & ~_PAGE_ACCESSED);
	++*referenced;
	return true;
}

int rmap_walk_pmd(struct machine *m, struct page *folio,
		  int (*fn)(struct vm_area_struct *vma, unsigned long addr, void *arg), void *arg)
{
	struct anon_vma *av = (struct anon_vma *)((unsigned long)folio->mapping & ~PAGE_MAPPING_ANON);
	struct anon_vma_chain *avc;
	int ret = 0;

	if (folio_entire_mapcount(folio) <= 0 || !PageAnon(folio))
		return 0;
	list_for_each_entry(avc, &av->head, same_anon_vma) {
		struct vm_area_struct *vma = avc->vma;
		unsigned long addr = vma_address(folio, vma);
		struct pt_entry pmd;
		pteval_t v;

		if (!addr || walk_to_pmd(vma->vm_mm, addr, false, &pmd))
			continue;
		v = ptep_get(pmd);
		if (pmd_trans_huge(v) && pte_pfn(vma->vm_mm->pm, v) == page_to_pfn(m, folio) && (ret = fn(vma, addr, arg)))
			break;
	}
	return ret;
}

/* folio_referenced_one: a PTE mapping a page of the folio, or with fra->pmd a PMD mapping it whole
 * (page_vma_mapped_walk's pvmw.pte or pvmw.pmd); with the multi-gen LRU a young PTE's neighbours are
 * looked at too (lru_gen_look_around); a VM_LOCKED VMA mapping the whole folio mlocks it (it was
 * missed or undercounted) and ends the walk, one mapping part of a large folio is passed over,
 * its PTEs neither locking nor referencing it. A VMA without recency (MADV_SEQUENTIAL,
 * MADV_RANDOM) is not asked (invalid_folio_referenced_vma) (mm/rmap.c). */
static int folio_referenced_one(struct vm_area_struct *vma, unsigned long addr, void *arg)
{
	struct folio_referenced_arg *fra = arg;
	struct pt_entry e;

	if (!vma_has_recency(vma))
		return 0;
	if (vma->vm_flags & VM_LOCKED) {
		if (!fra->pmd && !folio_mlock_fully_mapped(vma, fra->page, addr))
			return 0;
		mlock_vma_folio(vma->vm_mm->machine, fra->page, vma);
		fra->vm_flags |= VM_LOCKED;
		return 1;
	}
	if (fra->pmd)
		walk_to_pmd(vma->vm_mm, addr, false, &e);
	else
		follow_pte(vma->vm_mm, addr, &e);
	if (!clear_young(e, &fra->referenced))
		return 0;
	fra->vm_flags |= vma->vm_flags & ~VM_LOCKED;
	if (!fra->pmd && lru_gen_enabled(vma->vm_mm->machine))
		lru_gen_look_around(vma, addr, fra->page);
	return 0;
}

int folio_referenced(struct machine *m, struct page *page, unsigned long *vm_flags)
{
	struct folio_referenced_arg fra = { .page = page };

	for (unsigned long i = 0; i < folio_nr_pages(page) && !(fra.vm_flags & VM_LOCKED); i++)
		rmap_walk(m, page + i, folio_referenced_one, &fra);
	fra.pmd = true;
	if (PageHead(page) && !(fra.vm_flags & VM_LOCKED))
		rmap_walk_pmd(m, page, folio_referenced_one, &fra);
	*vm_flags = fra.vm_flags;
	return fra.referenced;
}

/* page_mkclean_one: a writable or dirty PTE becomes read-only and clean (mm/rmap.c). */
static int page_mkclean_one(struct vm_area_struct *vma, unsigned long addr, void *arg)
{
	struct pt_entry pte;
	pteval_t v;

	follow_pte(vma->vm_mm, addr, &pte);
	v = ptep_get(pte);
	if (v & (_PAGE_RW | _PAGE_DIRTY)) {
		set_pte(pte, v & ~(pteval_t)(_PAGE_RW | _PAGE_DIRTY));
		flush_tlb_mm_range(vma->vm_mm->machine, vma->vm_mm, addr, addr + PAGE_SIZE);
		++*(int *)arg;
	}
	return 0;
}

int folio_mkclean(struct machine *m, struct page *page)
{
	int cleaned = 0;

	rmap_walk(m, page, page_mkclean_one, &cleaned);
	return cleaned;
}

/* The PTE at addr of mm goes (it held entry: a swap entry, or none); the page loses a mapping. */
static void unmap_one_pte(struct mm_struct *mm, struct page *page, struct pt_entry pte, unsigned long addr,
			  pteval_t entry)
{
	set_pte(pte, entry);
	flush_tlb_mm_range(mm->machine, mm, addr, addr + PAGE_SIZE);
	add_mm_counter(mm, mm_counter(page), -1);
	page_remove_rmap(mm->machine, page);
	put_page(mm->machine, page);
}

/* A lazily freed page (not swap-backed): a PTE is simply cleared while the page is clean and only its
 * mappings and the caller hold it; a PTE written since makes it dirty and swap-backed again, and the
 * walk stops (try_to_unmap_one's MADV_FREE case). */
static int try_to_unmap_lazyfree(struct mm_struct *mm, struct page *page, struct pt_entry pte, unsigned long addr)
{
	if (ptep_get(pte) & _PAGE_DIRTY)
		set_page_flag(page, PG_dirty);
	if (test_bit_flag(page, PG_dirty) || page_ref_count(page) != page->_mapcount + 2) {
		set_page_flag(page, PG_swapbacked);
		return 1;
	}
	unmap_one_pte(mm, page, pte, addr, 0);
	return 0;
}

/* try_to_unmap_one of a page-cache page: the PTE is cleared (the next access faults it back from
 * the cache or the file); a dirty PTE makes the page dirty. */
static void try_to_unmap_file_one(struct mm_struct *mm, struct page *page, struct pt_entry pte, unsigned long addr)
{
	if (ptep_get(pte) & _PAGE_DIRTY)
		folio_mark_dirty(mm->machine, page);
	unmap_one_pte(mm, page, pte, addr, 0);
}

/* try_to_unmap_one: the PTE gets the swap entry of the page's slot, one more reference to the
 * slot; a dirty PTE makes the page dirty (mm/rmap.c). Non-zero stops the walk: the slot is full. */
static int try_to_unmap_one(struct vm_area_struct *vma, unsigned long addr, void *arg)
{
	struct mm_struct *mm = vma->vm_mm;
	struct page *page = arg;
	swp_entry_t entry = page_swap_entry(page);
	struct pt_entry pte;

	if (vma->vm_flags & VM_LOCKED) {	/* not to be unmapped: mlocked if fully mapped, the walk aborted */
		if (folio_mlock_fully_mapped(vma, page_folio(page), addr))
			mlock_vma_folio(mm->machine, page, vma);
		return 1;
	}
	follow_pte(mm, addr, &pte);
	if (!PageAnon(page)) {
		try_to_unmap_file_one(mm, page, pte, addr);
		return 0;
	}
	if (!test_bit_flag(page, PG_swapbacked))
		return try_to_unmap_lazyfree(mm, page, pte, addr);
	if (swap_duplicate(mm->machine, entry))
		return 1;
	if (ptep_get(pte) & _PAGE_DIRTY)
		set_page_flag(page, PG_dirty);
	add_mm_counter(mm, MM_SWAPENTS, 1);
	unmap_one_pte(mm, page, pte, addr, swp_entry_to_pte(mm->pm->entry_size, entry));
	return 0;
}

bool try_to_unmap(struct machine *m, struct page *page)
{
	rmap_walk(m, page, try_to_unmap_one, page);
	return page->_mapcount < 0;
}
