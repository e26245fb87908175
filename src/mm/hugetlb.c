/*
 * hugetlb pools (mm/hugetlb.c): huge pages taken whole from the buddy allocator, kept in per-node free
 * lists, handed to MAP_HUGETLB mappings at fault time against reservations made at mmap, and sized
 * through nr_hugepages in /proc/sys/vm and /sys/kernel/mm/hugepages/hugepages-SIZE.
 *
 * Gigantic pages (1 GiB, order 18 > MAX_PAGE_ORDER) come from alloc_contig_pages, which isolates a
 * whole aligned 1 GiB range and migrates its movable pages away; they go back with free_contig_range.
 */
#include <mmlab/cmdline.h>
#include <mmlab/gfp.h>
#include <mmlab/hugetlb.h>
#include <mmlab/machine.h>
#include <mmlab/mm.h>
#include <mmlab/pgtable.h>
#include <mmlab/procfs.h>
#include <mmlab/seq_file.h>
#include <mmlab/vmstat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fs/proc/internal.h"
#include "mm/internal.h"

/* The GFP mask of a pool page: movable, this node only, failing quietly (mm/hugetlb.c htlb_alloc_mask). */
#define HTLB_ALLOC_GFP (GFP_HIGHUSER_MOVABLE | __GFP_COMP | __GFP_THISNODE | __GFP_NOWARN | __GFP_RETRY_MAYFAIL)

struct hugetlb_state *hugetlb_state_of(struct machine *m)
{
	return m->hugetlb;
}

struct hstate *default_hstate(struct machine *m)
{
	return &m->hugetlb->hstates[0];
}

struct hstate *hstate_vma(const struct vm_area_struct *vma)
{
	return hugetlb_file_hstate(vma->hfile);
}

struct hstate *hstate_sizelog(struct machine *m, unsigned int page_size_log)
{
	if (!page_size_log)
		return default_hstate(m);
	for (int i = 0; i < m->hugetlb->hugetlb_max_hstate; i++)
		if (m->hugetlb->hstates[i].order + PAGE_SHIFT == page_size_log)
			return &m->hugetlb->hstates[i];
	return NULL;
}

/* hugetlb_add_hstate: a huge page size and its (empty) pool (mm/hugetlb.c). */
static void hugetlb_add_hstate(struct hugetlb_state *hs, unsigned int order)
{
	struct hstate *h = &hs->hstates[hs->hugetlb_max_hstate++];

	h->order = order;
	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		INIT_LIST_HEAD(&h->hugepage_freelists[nid]);
	snprintf(h->name, sizeof(h->name), "hugepages-%lukB", huge_page_size(h) >> 10);
}

/* hugetlb_init: the PMD size first (the default), then on x86_64 the PUD size (mm/hugetlb.c). */
int hugetlb_init(struct machine *m)
{
	bool pmd_2m = m->cfg.arch == ARCH_X86_64 || m->cfg.pae;

	m->hugetlb = calloc(1, sizeof(*m->hugetlb));
	if (!m->hugetlb)
		return -ENOMEM;
	hugetlb_add_hstate(m->hugetlb, pmd_2m ? 9 : 10);
	if (m->cfg.arch == ARCH_X86_64)
		hugetlb_add_hstate(m->hugetlb, 18);
	return 0;
}

static unsigned long persistent_huge_pages(const struct hstate *h)
{
	return h->nr_huge_pages - h->surplus_huge_pages;
}

/* next_node_allowed: round robin over the nodes, from *next (mm/hugetlb.c hstate_next_node_to_alloc). */
static int next_node_allowed(struct machine *m, int *next)
{
	int nid = *next;

	*next = (nid + 1) % m->nr_node_ids;
	return nid;
}

/* alloc_fresh_hugetlb_folio: a new pool page from the buddy on nid, typed PG_hugetlb and counted in
 * the pool and in NR_HUGETLB (mm/hugetlb.c). */
static struct page *alloc_fresh_hugetlb_folio(struct machine *m, struct hstate *h, int nid)
{
	struct page *page;

	if (h->order > MAX_PAGE_ORDER)
		page = alloc_contig_pages(m, h->order, HTLB_ALLOC_GFP, nid);	/* alloc_gigantic_folio */
	else
		page = alloc_pages_node(m, nid, HTLB_ALLOC_GFP, h->order);
	if (!page)
		return NULL;
	__SetPageType(page, PG_hugetlb);
	set_page_count(page, 0);
	__mod_node_page_state(NODE_DATA(m, nid), NR_HUGETLB, (long)pages_per_huge_page(h));
	h->nr_huge_pages++;
	h->nr_huge_pages_node[nid]++;
	return page;
}

/* enqueue_hugetlb_folio: onto its node's free list (mm/hugetlb.c). */
static void enqueue_hugetlb_folio(struct machine *m, struct hstate *h, struct page *page)
{
	int nid = page_to_nid(page);

	(void)m;
	list_add(&page->lru, &h->hugepage_freelists[nid]);
	h->free_huge_pages++;
	h->free_huge_pages_node[nid]++;
}

/* dequeue_hugetlb_folio_node_exact: the first free page of nid, off the list (mm/hugetlb.c). */
static struct page *dequeue_hugetlb_folio_node_exact(struct hstate *h, int nid)
{
	struct list_head *list = &h->hugepage_freelists[nid];
	struct page *page;

	if (list_empty(list))
		return NULL;
	page = list_entry(list->next, struct page, lru);
	list_del(&page->lru);
	h->free_huge_pages--;
	h->free_huge_pages_node[nid]--;
	return page;
}

/* update_and_free_hugetlb_folio: a page leaves the pool for the buddy allocator (mm/hugetlb.c). */
static void update_and_free_hugetlb_folio(struct machine *m, struct hstate *h, struct page *page)
{
	int nid = page_to_nid(page);

	h->nr_huge_pages--;
	h->nr_huge_pages_node[nid]--;
	__mod_node_page_state(NODE_DATA(m, nid), NR_HUGETLB, -(long)pages_per_huge_page(h));
	__ClearPageType(page);
	page->mapping = NULL;
	if (h->order > MAX_PAGE_ORDER) {
		free_contig_range(m, page, h->order);	/* free_gigantic_folio */
		return;
	}
	set_page_count(page, 1);
	__free_pages(m, page, h->order);
}

/* alloc_pool_huge_folio: one more persistent page, from the next node that can give one. */
static bool alloc_pool_huge_folio(struct machine *m, struct hstate *h)
{
	for (int tries = 0; tries < m->nr_node_ids; tries++) {
		struct page *page = alloc_fresh_hugetlb_folio(m, h, next_node_allowed(m, &h->next_nid_to_alloc));

		if (page) {
			enqueue_hugetlb_folio(m, h, page);
			return true;
		}
	}
	return false;
}

/* remove_pool_hugetlb_folio: a free page of the next node that has one (and, for acct_surplus, a
 * surplus page to give back there) leaves the pool for the buddy allocator (mm/hugetlb.c). */
static bool free_pool_huge_folio(struct machine *m, struct hstate *h, bool acct_surplus)
{
	for (int tries = 0; tries < m->nr_node_ids; tries++) {
		int nid = next_node_allowed(m, &h->next_nid_to_free);
		struct page *page;

		if (acct_surplus && !h->surplus_huge_pages_node[nid])
			continue;
		page = dequeue_hugetlb_folio_node_exact(h, nid);
		if (!page)
			continue;
		if (acct_surplus) {
			h->surplus_huge_pages--;
			h->surplus_huge_pages_node[nid]--;
		}
		update_and_free_hugetlb_folio(m, h, page);
		return true;
	}
	return false;
}

/* alloc_surplus_hugetlb_folio: a fresh page beyond the persistent pool while nr_overcommit_hugepages
 * allows it; never a gigantic one (mm/hugetlb.c). */
static struct page *alloc_surplus_hugetlb_folio(struct machine *m, struct hstate *h)
{
	int nid = m->cpu_to_node[m->this_cpu];
	struct page *page;

	if (h->order > MAX_PAGE_ORDER || h->surplus_huge_pages >= h->nr_overcommit_huge_pages)
		return NULL;
	page = alloc_fresh_hugetlb_folio(m, h, nid);
	if (!page)
		return NULL;
	h->surplus_huge_pages++;
	h->surplus_huge_pages_node[nid]++;
	return page;
}

/* adjust_pool_surplus: turn one in-use page into surplus (delta 1) or a surplus page back into a
 * persistent one (delta -1) on the first node that allows it (mm/hugetlb.c). */
static bool adjust_pool_surplus(struct machine *m, struct hstate *h, int delta)
{
	for (int nid = 0; nid < m->nr_node_ids; nid++) {
		if (delta < 0 && !h->surplus_huge_pages_node[nid])
			continue;
		if (delta > 0 && h->surplus_huge_pages_node[nid] >= h->nr_huge_pages_node[nid])
			continue;
		h->surplus_huge_pages += (unsigned long)(long)delta;
		h->surplus_huge_pages_node[nid] += (unsigned long)(long)delta;
		return true;
	}
	return false;
}

/* set_max_huge_pages: surplus pages become persistent first, then new pages come from the buddy until
 * count or failure; shrinking frees only free, unreserved pages and leaves in-use ones as surplus, to be
 * freed when released (mm/hugetlb.c). */
void set_max_huge_pages(struct machine *m, struct hstate *h, unsigned long count)
{
	unsigned long min_count;

	while (h->surplus_huge_pages && count > persistent_huge_pages(h)) {
		if (!adjust_pool_surplus(m, h, -1))
			break;
	}
	while (count > persistent_huge_pages(h)) {
		if (!alloc_pool_huge_folio(m, h))
			break;
	}
	min_count = h->resv_huge_pages + h->nr_huge_pages - h->free_huge_pages;
	if (count < min_count)
		count = min_count;
	while (count < persistent_huge_pages(h)) {
		if (!free_pool_huge_folio(m, h, false))
			break;
	}
	while (count < persistent_huge_pages(h)) {
		if (!adjust_pool_surplus(m, h, 1))
			break;
	}
	h->max_huge_pages = persistent_huge_pages(h);
}

unsigned long hugetlb_total_pages(struct machine *m)
{
	unsigned long nr = 0;

	for (int i = 0; i < m->hugetlb->hugetlb_max_hstate; i++)
		nr += m->hugetlb->hstates[i].nr_huge_pages * pages_per_huge_page(&m->hugetlb->hstates[i]);
	return nr;
}

/* gather_surplus_pages: a reservation of delta more pages: what the free pages not reserved yet
 * cannot cover comes as surplus pages, all of them or none (mm/hugetlb.c). */
static int gather_surplus_pages(struct machine *m, struct hstate *h, unsigned long delta)
{
	unsigned long needed = h->resv_huge_pages + delta > h->free_huge_pages ?
				       h->resv_huge_pages + delta - h->free_huge_pages : 0;
	struct list_head surplus = LIST_HEAD_INIT(surplus);
	struct page *page, *next;
	unsigned long got = 0;

	while (got < needed && (page = alloc_surplus_hugetlb_folio(m, h))) {
		list_add(&page->lru, &surplus);
		got++;
	}
	list_for_each_entry_safe(page, next, &surplus, lru) {
		list_del(&page->lru);
		enqueue_hugetlb_folio(m, h, page);
	}
	if (got < needed) {
		while (got-- && free_pool_huge_folio(m, h, true))
			;
		return -ENOMEM;
	}
	h->resv_huge_pages += delta;
	return 0;
}

/* return_unused_surplus_pages: reservations given back; as many free surplus pages leave the pool. */
static void return_unused_surplus_pages(struct machine *m, struct hstate *h, unsigned long unused)
{
	unsigned long nr = unused < h->surplus_huge_pages ? unused : h->surplus_huge_pages;

	h->resv_huge_pages -= unused;
	while (nr-- && free_pool_huge_folio(m, h, true))
		;
}

int hugetlb_acct_memory(struct machine *m, struct hstate *h, long delta)
{
	if (delta > 0)
		return gather_surplus_pages(m, h, (unsigned long)delta);
	return_unused_surplus_pages(m, h, (unsigned long)-delta);
	return 0;
}

struct page *alloc_hugetlb_folio(struct machine *m, struct hstate *h, bool use_reserve)
{
	int local = m->cpu_to_node[m->this_cpu];
	struct page *page = NULL;

	bool may_dequeue = use_reserve || h->free_huge_pages > h->resv_huge_pages;

	for (int i = 0; may_dequeue && i < m->nr_node_ids && !page; i++)
		page = dequeue_hugetlb_folio_node_exact(h, (local + i) % m->nr_node_ids);
	if (!page && !use_reserve)
		page = alloc_surplus_hugetlb_folio(m, h);	/* alloc_buddy_hugetlb_folio_with_mpol */
	if (!page)
		return NULL;
	if (use_reserve && h->resv_huge_pages)
		h->resv_huge_pages--;
	set_page_count(page, 1);
	return page;
}

static struct hstate *page_hstate(struct machine *m, const struct page *page)
{
	for (int i = 0; i < m->hugetlb->hugetlb_max_hstate; i++) {
		if (m->hugetlb->hstates[i].order == compound_order(page))
			return &m->hugetlb->hstates[i];
	}
	return default_hstate(m);
}

void free_huge_folio(struct machine *m, struct page *page)
{
	struct hstate *h = page_hstate(m, page);
	int nid = page_to_nid(page);

	page->mapping = NULL;
	if (h->surplus_huge_pages_node[nid]) {
		h->surplus_huge_pages--;
		h->surplus_huge_pages_node[nid]--;
		update_and_free_hugetlb_folio(m, h, page);
		return;
	}
	set_page_count(page, 0);
	enqueue_hugetlb_folio(m, h, page);
}

void hugetlb_exit(struct machine *m)
{
	if (!m->hugetlb)
		return;
	for (int i = 0; i < m->hugetlb->hugetlb_max_hstate; i++) {
		struct hstate *h = &m->hugetlb->hstates[i];

		h->resv_huge_pages = 0;
		set_max_huge_pages(m, h, 0);
	}
	free(m->hugetlb);
	m->hugetlb = NULL;
}

unsigned long follow_huge_pfn(struct mm_struct *mm, unsigned long addr)
{
	struct pt_walk w;

	pt_walk(mm, addr, &w);
	if (!w.mapped || w.levels == mm->pm->levels)
		return 0;
	return (unsigned long)(w.phys >> PAGE_SHIFT);
}

/* hugetlb_put: drop a reference; the last one sends the page back to the pool (folio_put). */
static void hugetlb_put(struct machine *m, struct page *page)
{
	if (put_page_testzero(page))
		free_huge_folio(m, page);
}

pteval_t make_huge_pte(struct machine *m, const struct vm_area_struct *vma, struct page *page, bool writable)
{
	pteval_t v = pfn_pte(page_to_pfn(m, page), vma->vm_page_prot | _PAGE_PSE | _PAGE_ACCESSED);

	return writable ? v | _PAGE_RW | _PAGE_DIRTY : v;
}

/* A private mapping that holds reservations: created without MAP_NORESERVE, and not a child's copy
 * (a shared mapping's reservations are its file's). */
static bool vma_has_reserves(const struct vm_area_struct *vma)
{
	return !(vma->vm_flags & (VM_NORESERVE | VM_MAYSHARE));
}

/* vma_hugecache_offset: the file index of the huge page at haddr (mm/hugetlb.c). */
static unsigned long vma_hugecache_offset(const struct hstate *h, const struct vm_area_struct *vma, unsigned long haddr)
{
	return ((haddr - vma->vm_start) >> (h->order + PAGE_SHIFT)) + (vma->vm_pgoff >> h->order);
}

/* A zeroed pool page for a fault, from a reservation when use_reserve; NULL when none is left. */
static struct page *alloc_zeroed_huge_page(struct machine *m, struct hstate *h, bool use_reserve)
{
	struct page *page = alloc_hugetlb_folio(m, h, use_reserve);

	if (page)
		memset(kmap_local_page(m, page), 0, huge_page_size(h));	/* folio_zero_user */
	return page;
}

/* hugetlb_no_page: the first touch of a huge page. A shared mapping finds its file's page, or takes
 * a zeroed pool page against the file's reservation and adds it to the file; a private one takes a
 * zeroed page from the mapping's reservation unless MAP_NORESERVE. None left is SIGBUS (mm/hugetlb.c). */
static unsigned int hugetlb_no_page(struct vm_area_struct *vma, unsigned long haddr, struct pt_entry pte)
{
	struct machine *m = vma->vm_mm->machine;
	struct hstate *h = hstate_vma(vma);
	unsigned long idx = vma_hugecache_offset(h, vma, haddr);
	struct page *page;

	if (!(vma->vm_flags & VM_MAYSHARE)) {
		page = alloc_zeroed_huge_page(m, h, vma_has_reserves(vma));
	} else if (idx >= hugetlb_file_size(vma->hfile)) {
		return VM_FAULT_SIGBUS;
	} else if ((page = hugetlb_file_folio(vma->hfile, idx))) {
		get_page(page);
	} else if ((page = alloc_zeroed_huge_page(m, h, hugetlb_file_reserved(vma->hfile, idx)))) {
		hugetlb_add_to_page_cache(vma->hfile, idx, page);
	}
	if (!page)
		return VM_FAULT_SIGBUS;
	page[1]._entire_mapcount++;
	vma->vm_mm->hugetlb_usage += pages_per_huge_page(h);	/* hugetlb_count_add */
	set_pte(pte, make_huge_pte(m, vma, page, vma->vm_flags & VM_WRITE));
	return 0;
}

/* hugetlb_wp: a write to a write-protected huge page: a shared mapping's page just becomes writable;
 * a private one is reused when this mapping is its only user, else copied to a page of the pool
 * (mm/hugetlb.c). */
static unsigned int hugetlb_wp(struct vm_area_struct *vma, unsigned long haddr, struct pt_entry pmd, pteval_t v)
{
	struct mm_struct *mm = vma->vm_mm;
	struct machine *m = mm->machine;
	struct hstate *h = hstate_vma(vma);
	struct page *old = pfn_to_page(m, pte_pfn(mm->pm, v)), *new;

	if ((vma->vm_flags & VM_MAYSHARE) || page_ref_count(old) == 1) {
		set_pte(pmd, v | _PAGE_RW | _PAGE_DIRTY | _PAGE_ACCESSED);
		return 0;
	}
	new = alloc_hugetlb_folio(m, h, false);
	if (!new)
		return VM_FAULT_SIGBUS;
	memcpy(kmap_local_page(m, new), kmap_local_page(m, old), huge_page_size(h));	/* copy_user_large_folio */
	new[1]._entire_mapcount++;
	set_pte(pmd, make_huge_pte(m, vma, new, true));
	flush_tlb_mm_range(m, mm, haddr, haddr + huge_page_size(h));
	old[1]._entire_mapcount--;
	hugetlb_put(m, old);
	return 0;
}

unsigned int hugetlb_fault(struct vm_area_struct *vma, unsigned long addr, unsigned int flags)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long size = huge_page_size(hstate_vma(vma)), haddr = addr & ~(size - 1);
	struct pt_entry pmd;
	pteval_t v;

	if (huge_pte_alloc(mm, haddr, size, true, &pmd))
		return VM_FAULT_OOM;
	v = ptep_get(pmd);
	if (!pte_present(v))
		return hugetlb_no_page(vma, haddr, pmd);
	if ((flags & FAULT_FLAG_WRITE) && !pte_write(v))
		return hugetlb_wp(vma, haddr, pmd, v);
	set_pte(pmd, v | _PAGE_ACCESSED | (flags & FAULT_FLAG_WRITE ? _PAGE_DIRTY : 0));
	return 0;
}

/* __unmap_hugepage_range, one entry: cleared, its page released; counted in walk->private. */
static int zap_huge_pmd(struct pt_entry pmd, unsigned long addr, struct mm_walk *walk)
{
	struct machine *m = walk->mm->machine;
	struct page *page = pfn_to_page(m, pte_pfn(walk->mm->pm, ptep_get(pmd)));

	(void)addr;
	set_pte(pmd, 0);
	walk->mm->hugetlb_usage -= 1UL << compound_order(page);	/* hugetlb_count_sub */
	page[1]._entire_mapcount--;
	hugetlb_put(m, page);
	++*(unsigned long *)walk->private;
	return 0;
}

static const struct mm_walk_ops zap_huge_ops = { .hugetlb_entry = zap_huge_pmd };

void unmap_hugepage_range(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long zapped = 0;

	walk_page_range(mm, start, end, &zap_huge_ops, &zapped);
	flush_tlb_mm_range(mm->machine, mm, start, end);
	/* The pages it faulted in had consumed the owner's reservations: they are owed again, and given
	 * back with the rest when the mapping closes (mm/hugetlb.c region_add on a hole). */
	if (vma_has_reserves(vma))
		hstate_vma(vma)->resv_huge_pages += zapped;
}

void hugetlb_vm_op_close(struct vm_area_struct *vma)
{
	struct hstate *h = hstate_vma(vma);

	if (vma_has_reserves(vma))
		hugetlb_acct_memory(vma->vm_mm->machine, h, -(long)((vma->vm_end - vma->vm_start) / huge_page_size(h)));
}

/* copy_hugetlb_page_range, one entry: the child maps the page too; a writable private entry is
 * write-protected in both, a shared one stays as it is (mm/hugetlb.c). */
static int copy_huge_pmd(struct pt_entry src, unsigned long addr, struct mm_walk *walk)
{
	struct vm_area_struct *dst_vma = walk->private;
	struct machine *m = walk->mm->machine;
	struct pt_entry dst;
	pteval_t v;
	struct page *page;

	if (huge_pte_alloc(dst_vma->vm_mm, addr, huge_page_size(hstate_vma(dst_vma)), true, &dst))
		return -1;
	v = ptep_get(src);
	page = pfn_to_page(m, pte_pfn(walk->mm->pm, v));
	get_page(page);
	page[1]._entire_mapcount++;
	dst_vma->vm_mm->hugetlb_usage += 1UL << compound_order(page);
	if (pte_write(v) && !(dst_vma->vm_flags & VM_MAYSHARE)) {
		v &= ~(pteval_t)_PAGE_RW;
		set_pte(src, v);
	}
	set_pte(dst, v & ~(pteval_t)_PAGE_ACCESSED);
	return 0;
}

static const struct mm_walk_ops copy_huge_ops = { .hugetlb_entry = copy_huge_pmd };

int copy_hugetlb_page_range(struct vm_area_struct *dst, struct vm_area_struct *src)
{
	/* A private mapping's reservations stay with the parent (the kernel's HPAGE_RESV_OWNER): the
	 * child's faults take unreserved pages. */
	if (!(src->vm_flags & VM_MAYSHARE))
		dst->vm_flags |= VM_NORESERVE;
	if (walk_page_range(src->vm_mm, src->vm_start, src->vm_end, &copy_huge_ops, dst))
		return -1;
	flush_tlb_mm_range(src->vm_mm->machine, src->vm_mm, src->vm_start, src->vm_end);
	return 0;
}

/* hugetlb_change_protection, one entry: the new bits, write-protected (a write decides reuse or copy). */
static int change_huge_pmd(struct pt_entry pmd, unsigned long addr, struct mm_walk *walk)
{
	const struct vm_area_struct *vma = walk->private;
	pteval_t v = pte_modify(vma->vm_mm->pm, ptep_get(pmd), vma->vm_page_prot & ~(pteval_t)_PAGE_RW);

	(void)addr;
	set_pte(pmd, v | _PAGE_PSE);
	return 0;
}

static const struct mm_walk_ops change_huge_ops = { .hugetlb_entry = change_huge_pmd };

void hugetlb_change_protection(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	walk_page_range(vma->vm_mm, start, end, &change_huge_ops, vma);
	flush_tlb_mm_range(vma->vm_mm->machine, vma->vm_mm, start, end);
}

/* One pool: its free lists against the free counts, every free page a clean head of the pool's order
 * on its node, and the counters within each other. */
static void hugetlb_check_hstate(struct machine *m, struct hstate *h, struct seq_file *report, int *errors)
{
	unsigned long free = 0, nr = 0, surplus = 0;

	for (int nid = 0; nid < m->nr_node_ids; nid++) {
		unsigned long n = 0;
		struct page *page;

		list_for_each_entry(page, &h->hugepage_freelists[nid], lru) {
			n++;
			if (!PageHead(page) || !page_type_is(page, PG_hugetlb) || compound_order(page) != h->order ||
			    page_ref_count(page) || page_to_nid(page) != nid)
				check_report(report, errors, "%s: free pfn %#lx is not a free order-%u page of node %d",
					     h->name, page_to_pfn(m, page), h->order, nid);
		}
		if (n != h->free_huge_pages_node[nid])
			check_report(report, errors, "%s: node %d counts %lu free pages, its list holds %lu", h->name,
				     nid, h->free_huge_pages_node[nid], n);
		free += n;
		nr += h->nr_huge_pages_node[nid];
		surplus += h->surplus_huge_pages_node[nid];
	}
	if (free != h->free_huge_pages || nr != h->nr_huge_pages || surplus != h->surplus_huge_pages)
		check_report(report, errors, "%s: free %lu nr %lu surplus %lu, but the nodes sum to %lu %lu %lu",
			     h->name, h->free_huge_pages, h->nr_huge_pages, h->surplus_huge_pages, free, nr, surplus);
	if (h->resv_huge_pages > h->free_huge_pages || h->free_huge_pages > h->nr_huge_pages ||
	    h->surplus_huge_pages > h->nr_huge_pages)
		check_report(report, errors, "%s: reserved %lu, free %lu, surplus %lu of %lu pages", h->name,
			     h->resv_huge_pages, h->free_huge_pages, h->surplus_huge_pages, h->nr_huge_pages);
}

int hugetlb_check(struct machine *m, struct seq_file *report)
{
	int errors = 0;

	for (int i = 0; m->hugetlb && i < m->hugetlb->hugetlb_max_hstate; i++)
		hugetlb_check_hstate(m, &m->hugetlb->hstates[i], report, &errors);
	return errors;
}

/* /sys/kernel/mm/hugepages/hugepages-SIZE: one directory per hstate (mm/hugetlb_sysfs.c). */
static struct hstate *kobj_to_hstate(struct machine *m, const char *arg)
{
	for (int i = 0; i < m->hugetlb->hugetlb_max_hstate; i++) {
		struct hstate *h = &m->hugetlb->hstates[i];

		if (!strcmp(h->name + strlen("hugepages-"), arg))
			return h;
	}
	return NULL;
}

static bool hstate_lookup(struct machine *m, const char *arg)
{
	return kobj_to_hstate(m, arg) != NULL;
}

static int nr_hugepages_show(struct machine *m, struct seq_file *s, const char *arg)
{
	seq_printf(s, "%lu\n", kobj_to_hstate(m, arg)->nr_huge_pages);
	return 0;
}

static int free_hugepages_show(struct machine *m, struct seq_file *s, const char *arg)
{
	seq_printf(s, "%lu\n", kobj_to_hstate(m, arg)->free_huge_pages);
	return 0;
}

static int resv_hugepages_show(struct machine *m, struct seq_file *s, const char *arg)
{
	seq_printf(s, "%lu\n", kobj_to_hstate(m, arg)->resv_huge_pages);
	return 0;
}

static int surplus_hugepages_show(struct machine *m, struct seq_file *s, const char *arg)
{
	seq_printf(s, "%lu\n", kobj_to_hstate(m, arg)->surplus_huge_pages);
	return 0;
}

/* nr_hugepages_store: a decimal count, a trailing newline allowed (kstrtoul) (mm/hugetlb_sysfs.c). */
static int nr_hugepages_store(struct machine *m, const char *arg, const char *text, size_t len)
{
	unsigned long count;
	int err = kstrtoul_text(text, len, &count);

	if (!err)
		set_max_huge_pages(m, kobj_to_hstate(m, arg), count);
	return err;
}

static int nr_overcommit_hugepages_show(struct machine *m, struct seq_file *s, const char *arg)
{
	seq_printf(s, "%lu\n", kobj_to_hstate(m, arg)->nr_overcommit_huge_pages);
	return 0;
}

/* nr_overcommit_hugepages_store: the limit of surplus pages; gigantic pools take it too (x86_64 can
 * allocate them at run time), though no surplus gigantic page is ever made (mm/hugetlb_sysfs.c). */
static int nr_overcommit_hugepages_store(struct machine *m, const char *arg, const char *text, size_t len)
{
	return kstrtoul_text(text, len, &kobj_to_hstate(m, arg)->nr_overcommit_huge_pages);
}

#define HSTATE_DIR "/sys/kernel/mm/hugepages/hugepages-*/"

const struct proc_entry hugetlb_proc_entries[] = {
	{ .path = HSTATE_DIR "nr_hugepages", .lookup = hstate_lookup, .show = nr_hugepages_show,
	  .write = nr_hugepages_store },
	{ .path = HSTATE_DIR "nr_overcommit_hugepages", .lookup = hstate_lookup, .show = nr_overcommit_hugepages_show,
	  .write = nr_overcommit_hugepages_store },
	{ .path = HSTATE_DIR "free_hugepages", .lookup = hstate_lookup, .show = free_hugepages_show },
	{ .path = HSTATE_DIR "resv_hugepages", .lookup = hstate_lookup, .show = resv_hugepages_show },
	{ .path = HSTATE_DIR "surplus_hugepages", .lookup = hstate_lookup, .show = surplus_hugepages_show },
	{ 0 },
};
