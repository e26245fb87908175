/*
 * Swap entries in page tables: the swap half of mm/memory.c (do_swap_page, zap and fork of swap
 * PTEs), swap readahead (mm/swap_state.c swap_cluster_readahead) and swapoff's page-table walk
 * (mm/swapfile.c unuse_mm). A swap PTE holds one reference to its slot; the swap cache holds the
 * page while its data is also in the slot.
 */
#include <errno.h>
#include <string.h>

#include <mmlab/gfp.h>
#include <mmlab/ksm.h>
#include <mmlab/mm.h>
#include <mmlab/vmscan.h>
#include <mmlab/vmstat.h>
#include <mmlab/zswap.h>

/* folio_add_anon_rmap_pte: one more PTE maps a swapped-in page (mm/rmap.c). A page no PTE maps
 * belongs to the faulting VMA's family (the anon_vma root: it may be mapped by any of them); a KSM
 * page keeps its stable node. */
static void swapin_add_rmap(struct machine *m, struct page *page, struct vm_area_struct *vma, unsigned long addr)
{
	if (page->_mapcount < 0 && !PageKsm(page)) {
		page->mapping = (void *)((unsigned long)anon_vma_root(vma->anon_vma) | PAGE_MAPPING_ANON);
		page->index = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
	}
	page_add_anon_rmap(m, page);
	mlock_vma_folio(m, page, vma);
}

struct page *read_swap_cache_async(struct machine *m, swp_entry_t entry, gfp_t gfp)
{
	struct page *page = alloc_pages(m, gfp, 0);
	unsigned char *map = &swp_swap_info(m, entry)->swap_map[swp_offset(entry)];
	void *shadow;

	if (!page)
		return NULL;
	set_page_flag(page, PG_swapbacked);
	if (swap_cache_add_folio(m, page, entry, &shadow)) {
		__free_pages(m, page, 0);
		return NULL;
	}
	*map |= SWAP_HAS_CACHE;
	if (swap_read_folio(m, page, entry)) {
		swap_cache_del_folio(m, page);
		__free_pages(m, page, 0);
		return NULL;
	}
	if (shadow)
		workingset_refault(m, page, shadow);
	folio_add_lru(m, page);
	return page;
}

/* swap_cluster_readahead: the 2^page-cluster aligned slots around entry that are in use and not
 * cached are read too, without reclaiming for them (mm/swap_state.c). */
static void swap_cluster_readahead(struct machine *m, swp_entry_t entry)
{
	struct swap_info_struct *si = swp_swap_info(m, entry);
	unsigned long win = 1UL << m->sysctl.page_cluster, start = swp_offset(entry) & ~(win - 1);

	for (unsigned long off = start; off < start + win && off < si->max && win > 1; off++) {
		swp_entry_t e = swp_entry(swp_type(entry), off);
		struct page *page;

		if (off == swp_offset(entry) || __swap_count(m, e) <= 0 || swap_cache_get_folio(m, e))
			continue;
		page = read_swap_cache_async(m, e, (GFP_HIGHUSER_MOVABLE & ~__GFP_DIRECT_RECLAIM) | __GFP_NOWARN);
		if (!page)
			return;
		count_vm_event(m, SWAP_RA);
		put_page(m, page);
	}
}

/* swapin_readahead: the faulting slot's page, then its neighbours. NULL when out of memory. */
static struct page *swapin_readahead(struct machine *m, swp_entry_t entry)
{
	struct page *page = read_swap_cache_async(m, entry, GFP_HIGHUSER_MOVABLE);

	if (page)
		swap_cluster_readahead(m, entry);
	return page;
}

/* swapin_page: the slot's page with a reference for the caller; *major when it had to be read. */
static struct page *swapin_page(struct machine *m, swp_entry_t entry, bool *major)
{
	struct page *page = swap_cache_get_folio(m, entry);

	*major = !page;
	if (page) {
		count_vm_event(m, SWAP_RA_HIT);
		get_page(page);
		return page;
	}
	return swapin_readahead(m, entry);
}

unsigned int do_swap_page(struct vm_area_struct *vma, unsigned long addr, struct pt_entry pte, pteval_t v,
			  unsigned int flags)
{
	struct mm_struct *mm = vma->vm_mm;
	struct machine *m = mm->machine;
	swp_entry_t entry = pte_to_swp_entry(mm->pm->entry_size, v);
	struct page *page, *swapcache;
	pteval_t prot = vma->vm_page_prot | _PAGE_ACCESSED;
	bool major, exclusive;

	if (__swap_count(m, entry) <= 0)
		return VM_FAULT_SIGBUS;
	if (anon_vma_prepare(vma))
		return VM_FAULT_OOM;
	swapcache = swapin_page(m, entry, &major);
	if (!swapcache)
		return VM_FAULT_OOM;
	/* A page another family maps (KSM merged it across processes) is copied. */
	page = ksm_might_need_to_copy(swapcache, vma, addr);
	if (!page || ptep_get(pte) != v) {	/* no memory, or reclaim changed the PTE: fault again */
		if (page && page != swapcache)
			put_page(m, page);
		put_page(m, swapcache);
		return page ? 0 : VM_FAULT_OOM;
	}
	if (page != swapcache)
		put_page(m, swapcache);
	swapin_add_rmap(m, page, vma, addr);
	add_mm_counter(mm, MM_ANONPAGES, 1);
	add_mm_counter(mm, MM_SWAPENTS, -1);
	swap_free(m, entry);
	/* A copy is this PTE's alone; so is the page once the last swap PTE is gone (it then leaves the
	 * swap cache, dirty). A KSM page stays write-protected. */
	exclusive = page != swapcache ||
		    (__swap_count(m, entry) == 0 && page->_mapcount == 0 && folio_free_swap(m, page));
	if (exclusive && !PageKsm(page) && (vma->vm_flags & VM_WRITE))
		prot |= _PAGE_RW | (flags & FAULT_FLAG_WRITE ? _PAGE_DIRTY : 0);
	set_pte(pte, pfn_pte(page_to_pfn(m, page), prot));
	if (major)
		count_vm_event(m, PGMAJFAULT);
	return major ? VM_FAULT_MAJOR : 0;
}

int zap_swap_pte(struct pt_entry pte, unsigned long addr, struct mm_walk *walk)
{
	(void)addr;
	free_swap_and_cache(walk->mm->machine, pte_to_swp_entry(walk->mm->pm->entry_size, ptep_get(pte)));
	set_pte(pte, 0);
	add_mm_counter(walk->mm, MM_SWAPENTS, -1);
	return 0;
}

int copy_swap_pte(struct mm_struct *dst_mm, struct pt_entry dst, pteval_t v)
{
	if (swap_duplicate(dst_mm->machine, pte_to_swp_entry(dst_mm->pm->entry_size, v)))
		return -1;
	set_pte(dst, v);
	add_mm_counter(dst_mm, MM_SWAPENTS, 1);
	return 0;
}

int swap_peek(struct machine *m, swp_entry_t entry, void *buf)
{
	struct page *page = swap_cache_get_folio(m, entry);
	struct swap_info_struct *si = swp_swap_info(m, entry);

	if (page) {
		memcpy(buf, kmap_local_page(m, page), PAGE_SIZE);
		return 0;
	}
	if (!swap_entry_valid(m, entry))
		return -ENOENT;
	if (!zswap_peek(m, entry, buf))
		return 0;
	return si->backend->read_page(si, swp_offset(entry), buf);
}

/* What unuse_mm's walk needs: the area, the VMA being walked and the first failure. */
struct unuse_ctx {
	unsigned int type;
	struct vm_area_struct *vma;
	int err;
};

/* unuse_pte: a swap PTE of the area is faulted back in (mm/swapfile.c unuse_pte). */
static int unuse_pte(struct pt_entry pte, unsigned long addr, struct mm_walk *walk)
{
	struct unuse_ctx *ctx = walk->private;
	pteval_t v = ptep_get(pte);

	if (swp_type(pte_to_swp_entry(walk->mm->pm->entry_size, v)) != ctx->type)
		return 0;
	if (do_swap_page(ctx->vma, addr, pte, v, 0) & VM_FAULT_OOM)
		ctx->err = -ENOMEM;
	return ctx->err;
}

static const struct mm_walk_ops unuse_ops = { .swap_entry = unuse_pte };

int unuse_mm(struct machine *m, struct mm_struct *mm, unsigned int type)
{
	struct unuse_ctx ctx = { .type = type };

	(void)m;
	for (ctx.vma = mm->mmap; ctx.vma && !ctx.err; ctx.vma = ctx.vma->vm_next)
		if (ctx.vma->anon_vma)
			walk_page_range(mm, ctx.vma->vm_start, ctx.vma->vm_end, &unuse_ops, &ctx);
	return ctx.err;
}
