/*
 * Kernel same-page merging (mm/ksm.c): ksmd's scan, the stable and unstable trees, merging pages
 * into write-protected KSM pages and breaking them again, and the reverse map of KSM pages. See
 * include/mmlab/ksm.h; the sysfs files and the invariant check are in mm/ksm_sysfs.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include <mmlab/gfp.h>
#include <mmlab/kthread.h>
#include <mmlab/mman.h>
#include <mmlab/swap.h>
#include <mmlab/vmscan.h>
#include <mmlab/vmstat.h>

#include "mm/ksm_internal.h"

/* calc_checksum: xxhash of the page's bytes, truncated to 32 bits as the kernel keeps it. */
static unsigned int calc_checksum(struct machine *m, struct page *page)
{
	return (unsigned int)XXH64(kmap_local_page(m, page), PAGE_SIZE, 0);
}

static int memcmp_pages(struct machine *m, struct page *a, struct page *b)
{
	return memcmp(kmap_local_page(m, a), kmap_local_page(m, b), PAGE_SIZE);
}

/* get_kpfn_nid: the tree a page of kpfn belongs in. */
static int get_kpfn_nid(struct machine *m, unsigned long kpfn)
{
	return m->ksm->merge_across_nodes ? 0 : page_to_nid(pfn_to_page(m, kpfn));
}

static void set_page_stable_node(struct page *page, struct ksm_stable_node *node)
{
	page->mapping = (void *)((unsigned long)node | PAGE_MAPPING_KSM);
}

static bool is_stable_node_chain(const struct ksm_stable_node *node)
{
	return node->rmap_hlist_len == STABLE_NODE_CHAIN;
}

/* The KSM page of a stable node (get_ksm_page: a freed page takes its node along at once here,
 * so a node in a tree always has its page). */
static struct page *get_ksm_page(struct machine *m, const struct ksm_stable_node *node)
{
	return pfn_to_page(m, node->kpfn);
}

/* ---- allocation of the structures ---- */

static struct ksm_rmap_item *alloc_rmap_item(struct machine *m, struct mm_struct *mm, unsigned long addr)
{
	struct ksm_rmap_item *item = calloc(1, sizeof(*item));

	if (!item)
		return NULL;
	item->mm = mm;
	item->address = addr;
	m->ksm->rmap_items++;
	mm->ksm_rmap_items++;
	return item;
}

static void free_rmap_item(struct machine *m, struct ksm_rmap_item *item)
{
	m->ksm->rmap_items--;
	item->mm->ksm_rmap_items--;
	free(item);
}

static struct ksm_stable_node *alloc_stable_node(void)
{
	struct ksm_stable_node *node = calloc(1, sizeof(*node));

	if (node) {
		INIT_LIST_HEAD(&node->hlist);
		INIT_LIST_HEAD(&node->anchors);
	}
	return node;
}

static void free_stable_node(struct ksm_stable_node *node)
{
	struct ksm_rmap_anchor *a, *n;

	list_for_each_entry_safe(a, n, &node->anchors, list) {
		put_anon_vma(a->root);
		free(a);
	}
	free(node);
}

/* stable_node_add_anchor: node's page may be mapped at address by the family of av (see struct
 * ksm_rmap_anchor). 0 or -ENOMEM. */
static int stable_node_add_anchor(struct ksm_stable_node *node, struct anon_vma *av, unsigned long address)
{
	struct anon_vma *root = anon_vma_root(av);
	struct ksm_rmap_anchor *a;

	list_for_each_entry(a, &node->anchors, list)
		if (a->root == root && a->address == address)
			return 0;
	a = malloc(sizeof(*a));
	if (!a)
		return -ENOMEM;
	a->root = root;
	a->address = address;
	get_anon_vma(root);
	list_add_tail(&a->list, &node->anchors);
	return 0;
}

/* ---- the stable tree ---- */

static void stable_node_chain_add_dup(struct ksm_state *ksm, struct ksm_stable_node *dup,
				      struct ksm_stable_node *chain)
{
	dup->chain = chain;
	list_add(&dup->hlist_dup, &chain->hlist);
	ksm->stable_node_dups++;
}

/* free_stable_node_chain: an empty chain leaves its tree. */
static void free_stable_node_chain(struct ksm_state *ksm, struct ksm_stable_node *chain)
{
	rb_erase(&chain->node, &ksm->root_stable_tree[chain->nid]);
	ksm->stable_node_chains--;
	free_stable_node(chain);
}

/* stable_node_dup_del: a node leaves its chain or its tree. */
static void stable_node_dup_del(struct ksm_state *ksm, struct ksm_stable_node *dup)
{
	if (!dup->chain) {
		rb_erase(&dup->node, &ksm->root_stable_tree[dup->nid]);
		return;
	}
	list_del(&dup->hlist_dup);
	dup->chain = NULL;
	ksm->stable_node_dups--;
}

/* stable_item_del: an rmap_item leaves its stable node: the last one takes the page out of
 * pages_shared, the others out of pages_sharing; its anon_vma is let go. */
static void stable_item_del(struct ksm_state *ksm, struct ksm_rmap_item *item)
{
	struct ksm_stable_node *node = item->head;

	list_del(&item->hlist);
	if (list_empty(&node->hlist))
		ksm->pages_shared--;
	else
		ksm->pages_sharing--;
	item->mm->ksm_merging_pages--;
	node->rmap_hlist_len--;
	put_anon_vma(item->anon_vma);
	item->head = NULL;
	item->address &= PAGE_MASK;
}

/* remove_node_from_stable_tree: the node's rmap_items leave it, then the node leaves its tree. */
static void remove_node_from_stable_tree(struct machine *m, struct ksm_stable_node *node)
{
	struct ksm_state *ksm = m->ksm;
	struct ksm_rmap_item *item, *n;

	list_for_each_entry_safe(item, n, &node->hlist, hlist)
		stable_item_del(ksm, item);
	if (trace_enabled(m, ksm_remove_ksm_page))
		trace_emit(m, TP_ksm_remove_ksm_page, "pfn %lu", node->kpfn);
	stable_node_dup_del(ksm, node);
	free_stable_node(node);
}

/* __is_page_sharing_candidate: the node has mappings and room for offset more. */
static bool __is_page_sharing_candidate(const struct machine *m, const struct ksm_stable_node *node, int offset)
{
	return node->rmap_hlist_len && node->rmap_hlist_len + offset < m->ksm->max_page_sharing;
}

static bool is_page_sharing_candidate(const struct machine *m, const struct ksm_stable_node *node)
{
	return __is_page_sharing_candidate(m, node, 0);
}

/* stable_node_dup: the dup of a chain to merge into: the fullest with room (all of them looked at
 * when pruning, at most every stable_node_chains_prune_millisecs); a chain left with one dup that
 * has room is collapsed back into that node. *chainp follows a collapse. */
static struct ksm_stable_node *stable_node_dup(struct machine *m, struct ksm_stable_node **chainp, bool prune)
{
	struct ksm_state *ksm = m->ksm;
	struct ksm_stable_node *chain = *chainp, *dup, *found = NULL;
	uint64_t interval = (uint64_t)ksm->stable_node_chains_prune_millisecs * 1000000;
	int nr = 0;

	if (prune && m->now_ns < chain->chain_prune_time + interval)
		prune = false;
	else if (prune)
		chain->chain_prune_time = m->now_ns;
	list_for_each_entry(dup, &chain->hlist, hlist_dup) {
		nr++;
		if (is_page_sharing_candidate(m, dup) && (!found || dup->rmap_hlist_len > found->rmap_hlist_len)) {
			found = dup;
			if (!prune)
				break;
		}
	}
	if (!found)
		return NULL;
	if (prune && nr == 1) {
		rb_replace_node(&chain->node, &found->node, &ksm->root_stable_tree[chain->nid]);
		list_del(&found->hlist_dup);
		found->chain = NULL;
		ksm->stable_node_chains--;
		ksm->stable_node_dups--;
		free_stable_node(chain);
		*chainp = found;
	} else if (chain->hlist.next != &found->hlist_dup && __is_page_sharing_candidate(m, found, 1)) {
		list_move(&found->hlist_dup, &chain->hlist);	/* the next search finds it first */
	}
	return found;
}

/* __stable_node_chain: the node of a tree entry a page may merge into, NULL when it is full. */
static struct ksm_stable_node *__stable_node_chain(struct machine *m, struct ksm_stable_node **nodep, bool prune)
{
	struct ksm_stable_node *node = *nodep;

	if (!is_stable_node_chain(node))
		return is_page_sharing_candidate(m, node) ? node : NULL;
	return stable_node_dup(m, nodep, prune);
}

/* stable_node_dup_any: any dup of a chain, for its content (they all hold the same). */
static struct ksm_stable_node *stable_node_any(struct ksm_stable_node *node)
{
	return is_stable_node_chain(node) ? list_entry(node->hlist.next, struct ksm_stable_node, hlist_dup) : node;
}

/* stable_tree_search: the KSM page a page can merge into: the page itself if it is one already (a
 * KSM page forked), one of the same content with room, or NULL (chain_prune prunes on the way). */
static struct page *stable_tree_search(struct machine *m, struct page *page)
{
	struct ksm_state *ksm = m->ksm;
	struct rb_root *root;
	struct rb_node *n;

	if (PageKsm(page))	/* a KSM page forked (or, without a node, one being unmerged) */
		return page_stable_node(page) ? page : NULL;
	root = &ksm->root_stable_tree[get_kpfn_nid(m, page_to_pfn(m, page))];
	n = root->rb_node;
	while (n) {
		struct ksm_stable_node *node = rb_entry(n, struct ksm_stable_node, node);
		struct ksm_stable_node *dup = __stable_node_chain(m, &node, true);
		int ret = memcmp_pages(m, page, get_ksm_page(m, dup ? dup : stable_node_any(node)));

		if (ret < 0)
			n = node->node.rb_left;
		else if (ret > 0)
			n = node->node.rb_right;
		else
			return dup ? get_ksm_page(m, dup) : NULL;
	}
	return NULL;
}

/* alloc_stable_node_chain: a chain takes dup's place in the tree, with dup as its first dup. */
static struct ksm_stable_node *alloc_stable_node_chain(struct machine *m, struct ksm_stable_node *dup)
{
	struct ksm_state *ksm = m->ksm;
	struct ksm_stable_node *chain = alloc_stable_node();

	if (!chain)
		return NULL;
	chain->chain_prune_time = m->now_ns;
	chain->rmap_hlist_len = STABLE_NODE_CHAIN;
	chain->nid = dup->nid;
	ksm->stable_node_chains++;
	rb_replace_node(&dup->node, &chain->node, &ksm->root_stable_tree[dup->nid]);
	stable_node_chain_add_dup(ksm, dup, chain);
	return chain;
}

/* stable_tree_insert: a new KSM page into the stable tree: a node of its own, or a new dup of the
 * chain (made now if need be) of the nodes already holding its content. NULL on -ENOMEM. */
static struct ksm_stable_node *stable_tree_insert(struct machine *m, struct page *kpage)
{
	struct ksm_state *ksm = m->ksm;
	int nid = get_kpfn_nid(m, page_to_pfn(m, kpage));
	struct rb_root *root = &ksm->root_stable_tree[nid];
	struct rb_node **new = &root->rb_node, *parent = NULL;
	struct ksm_stable_node *node = NULL, *dup;
	bool need_chain = false;

	while (*new) {
		int ret;

		node = rb_entry(*new, struct ksm_stable_node, node);
		ret = memcmp_pages(m, kpage, get_ksm_page(m, stable_node_any(node)));
		parent = *new;
		if (ret < 0) {
			new = &parent->rb_left;
		} else if (ret > 0) {
			new = &parent->rb_right;
		} else {
			need_chain = true;
			break;
		}
	}
	dup = alloc_stable_node();
	if (!dup)
		return NULL;
	dup->kpfn = page_to_pfn(m, kpage);
	dup->nid = nid;
	if (!need_chain) {
		rb_link_node(&dup->node, parent, new);
		rb_insert_color(&dup->node, root);
	} else {
		if (!is_stable_node_chain(node) && !(node = alloc_stable_node_chain(m, node))) {
			free_stable_node(dup);
			return NULL;
		}
		stable_node_chain_add_dup(ksm, dup, node);
	}
	set_page_stable_node(kpage, dup);
	return dup;
}

/* stable_tree_append: the rmap_item now maps node's page (and its anon_vma is held). 0, or
 * -ENOMEM when no anchor could be recorded (the caller breaks the mapping). */
static int stable_tree_append(struct machine *m, struct ksm_rmap_item *item, struct ksm_stable_node *node)
{
	struct ksm_state *ksm = m->ksm;

	if (stable_node_add_anchor(node, item->anon_vma, item->address & PAGE_MASK))
		return -ENOMEM;
	node->rmap_hlist_len++;
	item->head = node;
	item->address |= STABLE_FLAG;
	if (list_empty(&node->hlist))
		ksm->pages_shared++;
	else
		ksm->pages_sharing++;
	list_add(&item->hlist, &node->hlist);
	item->mm->ksm_merging_pages++;
	item->age = 0;
	return 0;
}

/* remove_rmap_item_from_tree: the item leaves the stable node or the unstable tree it is in. */
static void remove_rmap_item_from_tree(struct machine *m, struct ksm_rmap_item *item)
{
	struct ksm_state *ksm = m->ksm;

	if (item->address & STABLE_FLAG) {
		stable_item_del(ksm, item);
	} else if (item->address & UNSTABLE_FLAG) {
		/* Left over from an earlier scan, its tree was already reset: only this scan's are erased. */
		if (!(unsigned char)(ksm->scan.seqnr - item->address))
			rb_erase(&item->node, &ksm->root_unstable_tree[item->nid]);
		ksm->pages_unshared--;
		item->address &= PAGE_MASK;
	}
}

/* ---- merging ---- */

/* find_mergeable_vma: the VM_MERGEABLE VMA with an anon_vma at addr, or NULL. */
static struct vm_area_struct *find_mergeable_vma(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	if (!vma || vma->vm_start > addr || !(vma->vm_flags & VM_MERGEABLE) || !vma->anon_vma)
		return NULL;
	return vma;
}

/* The anonymous page the PTE at addr maps, or NULL (none, the zero page, a shmem or page-cache
 * page, a page of a huge folio: the kernel splits those, this machine leaves them alone). */
static struct page *follow_anon_page(struct mm_struct *mm, unsigned long addr)
{
	struct machine *m = mm->machine;
	struct pt_entry pte;
	struct page *page;
	unsigned long pfn;

	if (!follow_pte(mm, addr, &pte))
		return NULL;
	pfn = pte_pfn(mm->pm, ptep_get(pte));
	if (is_zero_pfn(m, pfn))
		return NULL;
	page = pfn_to_page(m, pfn);
	return PageAnon(page) && !PageHead(page) && !PageTail(page) ? page : NULL;
}

/* get_mergeable_page: the anonymous page at the item's address, with a reference, or NULL. */
static struct page *get_mergeable_page(struct ksm_rmap_item *item)
{
	unsigned long addr = item->address & PAGE_MASK;
	struct page *page;

	if (!find_mergeable_vma(item->mm, addr) || !(page = follow_anon_page(item->mm, addr)))
		return NULL;
	get_page(page);
	return page;
}

/* break_ksm: a KSM page (or KSM zero page) at addr gets a private copy, through an unsharing fault
 * that keeps the PTE as writable as it was. 0 or -ENOMEM. */
static int break_ksm(struct vm_area_struct *vma, unsigned long addr)
{
	struct mm_struct *mm = vma->vm_mm;
	struct machine *m = mm->machine;
	unsigned int ret;

	do {
		struct pt_entry pte;
		pteval_t v;

		if (!follow_pte(mm, addr, &pte))
			return 0;
		v = ptep_get(pte);
		if (!is_ksm_zero_pte(m, mm, v) &&
		    (is_zero_pfn(m, pte_pfn(mm->pm, v)) || !PageKsm(pfn_to_page(m, pte_pfn(mm->pm, v)))))
			return 0;
		ret = handle_mm_fault(vma, addr, FAULT_FLAG_UNSHARE);
	} while (!(ret & (VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV | VM_FAULT_OOM)));
	return ret & VM_FAULT_OOM ? -ENOMEM : 0;
}

/* write_protect_page: the PTE at addr mapping page made read-only and clean (its dirtiness moved to
 * the page), unless someone holds the page beyond its mappings, the swap cache and ksmd. */
static int write_protect_page(struct vm_area_struct *vma, unsigned long addr, struct page *page, pteval_t *orig)
{
	struct mm_struct *mm = vma->vm_mm;
	struct machine *m = mm->machine;
	struct pt_entry pte;
	pteval_t v;

	if (!follow_pte(mm, addr, &pte) || pte_pfn(mm->pm, ptep_get(pte)) != page_to_pfn(m, page))
		return -EFAULT;
	v = ptep_get(pte);
	if (v & (_PAGE_RW | _PAGE_DIRTY)) {
		if (page->_mapcount + 1 + 1 + PageSwapCache(page) != page_ref_count(page))
			return -EFAULT;
		if (v & _PAGE_DIRTY)
			set_page_flag(page, PG_dirty);
		v &= ~(pteval_t)(_PAGE_RW | _PAGE_DIRTY);
		set_pte(pte, v);
		flush_tlb_mm_range(m, mm, addr, addr + PAGE_SIZE);
	}
	*orig = v;
	return 0;
}

void ksm_map_zero_page(struct mm_struct *mm)
{
	mm->machine->ksm->zero_pages++;
	mm->ksm_zero_pages++;
}

/* replace_page: the PTE at addr, still orig, maps kpage instead of page; the zero page is mapped
 * special and dirty, and leaves the anonymous RSS. */
static int replace_page(struct vm_area_struct *vma, unsigned long addr, struct page *page, struct page *kpage,
			pteval_t orig)
{
	struct mm_struct *mm = vma->vm_mm;
	struct machine *m = mm->machine;
	unsigned long kpfn = page_to_pfn(m, kpage);
	struct pt_entry pte;
	pteval_t newpte = pfn_pte(kpfn, vma->vm_page_prot);

	if (!follow_pte(mm, addr, &pte) || ptep_get(pte) != orig)
		return -EFAULT;
	if (!is_zero_pfn(m, kpfn)) {
		get_page(kpage);
		page_add_anon_rmap(m, kpage);
	} else {
		newpte |= _PAGE_DIRTY;
		ksm_map_zero_page(mm);
		add_mm_counter(mm, MM_ANONPAGES, -1);
	}
	set_pte(pte, newpte);
	flush_tlb_mm_range(m, mm, addr, addr + PAGE_SIZE);
	page_remove_rmap(m, page);
	if (page->_mapcount < 0 && PageSwapCache(page))
		folio_free_swap(m, page);
	put_page(m, page);
	return 0;
}

/* is_lazyfree: a page MADV_FREE left for reclaim to drop without writing it out. Nothing merges into
 * or out of one here: the mappings merged into it would lose their bytes with it. (The kernel has
 * no such check.) */
static bool is_lazyfree(const struct machine *m, const struct page *page)
{
	return !is_zero_pfn(m, page_to_pfn(m, page)) && !test_bit_flag(page, PG_swapbacked);
}

/* try_to_merge_one_page: page, mapped at addr of vma, becomes a KSM page itself (kpage NULL: its
 * stable node comes later) or is replaced there by kpage, of the same bytes. 0 or -EFAULT. */
static int try_to_merge_one_page(struct vm_area_struct *vma, unsigned long addr, struct page *page,
				 struct page *kpage)
{
	struct machine *m = vma->vm_mm->machine;
	pteval_t orig;

	if (page == kpage)	/* a KSM page forked */
		return 0;
	if (!PageAnon(page) || is_lazyfree(m, page) || (kpage && is_lazyfree(m, kpage)) ||
	    write_protect_page(vma, addr, page, &orig))
		return -EFAULT;
	if (!kpage) {
		set_page_stable_node(page, NULL);
		set_page_flag(page, PG_referenced);	/* mark_page_accessed */
		set_page_flag(page, PG_dirty);		/* reclaim must write it, not drop it */
		return 0;
	}
	if (memcmp_pages(m, page, kpage))
		return -EFAULT;
	return replace_page(vma, addr, page, kpage, orig);
}

/* try_to_merge_with_ksm_page: the item's page merged as try_to_merge_one_page does; the item then
 * holds its VMA's anon_vma, ready for the stable tree. */
static int try_to_merge_with_ksm_page(struct machine *m, struct ksm_rmap_item *item, struct page *page,
				      struct page *kpage)
{
	unsigned long addr = item->address & PAGE_MASK;
	struct vm_area_struct *vma = find_mergeable_vma(item->mm, addr);
	int err = vma ? try_to_merge_one_page(vma, addr, page, kpage) : -EFAULT;

	if (err)
		return err;
	remove_rmap_item_from_tree(m, item);
	item->anon_vma = vma->anon_vma;
	get_anon_vma(vma->anon_vma);
	return 0;
}

/* break_cow: a mapping merged but not put in the stable tree gets its private copy back. */
static void break_cow(struct ksm_rmap_item *item)
{
	unsigned long addr = item->address & PAGE_MASK;
	struct vm_area_struct *vma = find_mergeable_vma(item->mm, addr);

	put_anon_vma(item->anon_vma);
	item->anon_vma = NULL;
	if (vma)
		break_ksm(vma, addr);
}

/* try_to_merge_two_pages: page becomes a KSM page and tree_page is replaced by it; page, or NULL. */
static struct page *try_to_merge_two_pages(struct machine *m, struct ksm_rmap_item *item, struct page *page,
					   struct ksm_rmap_item *tree_item, struct page *tree_page)
{
	if (try_to_merge_with_ksm_page(m, item, page, NULL))
		return NULL;
	if (try_to_merge_with_ksm_page(m, tree_item, tree_page, page)) {
		break_cow(item);
		return NULL;
	}
	return page;
}

/* unstable_tree_search_insert: an unstable tree page of the same bytes (its item returned, the
 * page with a reference in *tree_pagep), or the item inserted. */
static struct ksm_rmap_item *unstable_tree_search_insert(struct machine *m, struct ksm_rmap_item *item,
							  struct page *page, struct page **tree_pagep)
{
	struct ksm_state *ksm = m->ksm;
	int nid = get_kpfn_nid(m, page_to_pfn(m, page));
	struct rb_root *root = &ksm->root_unstable_tree[nid];
	struct rb_node **new = &root->rb_node, *parent = NULL;

	while (*new) {
		struct ksm_rmap_item *tree_item = rb_entry(*new, struct ksm_rmap_item, node);
		struct page *tree_page = get_mergeable_page(tree_item);
		int ret;

		if (!tree_page || tree_page == page) {	/* gone, or the same page forked */
			if (tree_page)
				put_page(m, tree_page);
			return NULL;
		}
		ret = memcmp_pages(m, page, tree_page);
		parent = *new;
		if (ret) {
			put_page(m, tree_page);
			new = ret < 0 ? &parent->rb_left : &parent->rb_right;
			continue;
		}
		if (!ksm->merge_across_nodes && page_to_nid(tree_page) != nid) {
			put_page(m, tree_page);
			return NULL;
		}
		*tree_pagep = tree_page;
		return tree_item;
	}
	item->address |= UNSTABLE_FLAG | (ksm->scan.seqnr & SEQNR_MASK);
	item->nid = nid;
	rb_link_node(&item->node, parent, new);
	rb_insert_color(&item->node, root);
	ksm->pages_unshared++;
	return NULL;
}

/* merge_zero_page: an empty page replaced by the zero page (use_zero_pages); false if it was not
 * empty after all, or its mapping changed. */
static bool merge_zero_page(struct machine *m, struct ksm_rmap_item *item, struct page *page)
{
	unsigned long addr = item->address & PAGE_MASK;
	struct vm_area_struct *vma = find_mergeable_vma(item->mm, addr);

	return !vma || !try_to_merge_one_page(vma, addr, page, m->tasks->zero_page);
}

/* merge_into_stable: the item's page merged into kpage of the stable tree. */
static void merge_into_stable(struct machine *m, struct ksm_rmap_item *item, struct page *page, struct page *kpage)
{
	if (try_to_merge_with_ksm_page(m, item, page, kpage))
		return;
	if (stable_tree_append(m, item, page_stable_node(kpage)))
		break_cow(item);
}

/* merge_unstable_pair: two identical pages made one new KSM page in the stable tree, or, if the
 * tree cannot take it, both mappings given their copies back. */
static void merge_unstable_pair(struct machine *m, struct ksm_rmap_item *item, struct page *page,
				struct ksm_rmap_item *tree_item, struct page *tree_page)
{
	struct page *kpage = try_to_merge_two_pages(m, item, page, tree_item, tree_page);
	struct ksm_stable_node *node;

	if (!kpage)
		return;
	node = stable_tree_insert(m, kpage);
	if (node && !stable_tree_append(m, tree_item, node) && !stable_tree_append(m, item, node))
		return;
	if (!node || !(tree_item->address & STABLE_FLAG))
		break_cow(tree_item);
	break_cow(item);
}

/* cmp_and_merge_page: one scanned page: already in the stable tree, merged into a stable page,
 * merged with the zero page, or compared with the unstable tree, where an identical page makes a
 * new KSM page and a page unchanged since the last scan is inserted (mm/ksm.c). */
static void cmp_and_merge_page(struct machine *m, struct page *page, struct ksm_rmap_item *item)
{
	struct ksm_state *ksm = m->ksm;
	struct ksm_stable_node *node = page_stable_node(page);
	struct ksm_rmap_item *tree_item;
	struct page *kpage, *tree_page;
	unsigned int checksum;

	if (node && (item->address & STABLE_FLAG) && item->head == node)
		return;
	remove_rmap_item_from_tree(m, item);
	kpage = stable_tree_search(m, page);
	if (kpage) {
		merge_into_stable(m, item, page, kpage);
		return;
	}
	/* A page that changed since the last scan is volatile: not worth a place in the unstable tree. */
	checksum = calc_checksum(m, page);
	if (item->oldchecksum != checksum) {
		item->oldchecksum = checksum;
		return;
	}
	if (ksm->use_zero_pages && checksum == ksm->zero_checksum && merge_zero_page(m, item, page))
		return;
	tree_item = unstable_tree_search_insert(m, item, page, &tree_page);
	if (!tree_item)
		return;
	merge_unstable_pair(m, item, page, tree_item, tree_page);
	put_page(m, tree_page);
}

/* ---- the scan ---- */

/* get_next_rmap_item: the item of addr in the mm's list at *rmap_list, made if need be; the items
 * of addresses passed over go (their pages are gone). */
static struct ksm_rmap_item *get_next_rmap_item(struct machine *m, struct ksm_mm_slot *slot,
						 struct ksm_rmap_item **rmap_list, unsigned long addr)
{
	struct ksm_rmap_item *item;

	while (*rmap_list) {
		item = *rmap_list;
		if ((item->address & PAGE_MASK) == addr)
			return item;
		if (item->address > addr)
			break;
		*rmap_list = item->rmap_list;
		remove_rmap_item_from_tree(m, item);
		free_rmap_item(m, item);
	}
	item = alloc_rmap_item(m, slot->mm, addr);
	if (item) {
		item->rmap_list = *rmap_list;
		*rmap_list = item;
	}
	return item;
}

/* remove_trailing_rmap_items: the items from *rmap_list on go. */
static void remove_trailing_rmap_items(struct machine *m, struct ksm_rmap_item **rmap_list)
{
	while (*rmap_list) {
		struct ksm_rmap_item *item = *rmap_list;

		*rmap_list = item->rmap_list;
		remove_rmap_item_from_tree(m, item);
		free_rmap_item(m, item);
	}
}

/* skip_age: how many scans smart_scan skips a page that has not merged for age scans. */
static unsigned int skip_age(unsigned int age)
{
	return age <= 3 ? 1 : age <= 5 ? 2 : age <= 8 ? 4 : 8;
}

/* should_skip_rmap_item: smart_scan leaves pages that keep failing to merge alone for a while. */
static bool should_skip_rmap_item(struct machine *m, struct page *page, struct ksm_rmap_item *item)
{
	unsigned int age;

	if (!m->ksm->smart_scan || PageKsm(page))
		return false;
	age = item->age;
	if (age != UINT8_MAX)
		item->age++;
	if (age < 3)
		return false;
	if (!item->remaining_skips) {
		item->remaining_skips = (uint8_t)skip_age(age);
		return false;
	}
	m->ksm->pages_skipped++;
	item->remaining_skips--;
	remove_rmap_item_from_tree(m, item);
	return true;
}

/* scan_mm: the next page of the cursor's mm to scan, from scan.address on, with its item; NULL
 * at the end of the mm. */
static struct ksm_rmap_item *scan_mm(struct machine *m, struct page **pagep)
{
	struct ksm_scan *scan = &m->ksm->scan;
	struct mm_struct *mm = scan->mm_slot->mm;

	for (struct vm_area_struct *vma = find_vma(mm, scan->address); vma; vma = vma->vm_next) {
		if (!(vma->vm_flags & VM_MERGEABLE) || !vma->anon_vma)
			continue;
		if (scan->address < vma->vm_start)
			scan->address = vma->vm_start;
		for (; scan->address < vma->vm_end; scan->address += PAGE_SIZE) {
			struct page *page = follow_anon_page(mm, scan->address);
			struct ksm_rmap_item *item;

			if (!page)
				continue;
			item = get_next_rmap_item(m, scan->mm_slot, scan->rmap_list, scan->address);
			if (!item)
				return NULL;
			scan->rmap_list = &item->rmap_list;
			if (should_skip_rmap_item(m, page, item))
				continue;
			get_page(page);
			scan->address += PAGE_SIZE;
			*pagep = page;
			return item;
		}
	}
	return NULL;
}

static void ksm_scan_start_mm(struct ksm_scan *scan, struct ksm_mm_slot *slot)
{
	scan->mm_slot = slot;
	scan->address = 0;
	scan->rmap_list = &slot->rmap_list;
}

/* ksm_scan_next_mm: the cursor moves past its mm; past the last, a full scan is complete. */
static void ksm_scan_next_mm(struct machine *m)
{
	struct ksm_state *ksm = m->ksm;
	struct ksm_mm_slot *slot = ksm->scan.mm_slot;

	if (slot->mm_node.next != &ksm->mm_head) {
		ksm_scan_start_mm(&ksm->scan, list_entry(slot->mm_node.next, struct ksm_mm_slot, mm_node));
		return;
	}
	if (trace_enabled(m, ksm_stop_scan))
		trace_emit(m, TP_ksm_stop_scan, "seq %d rmap size %d", (int)ksm->scan.seqnr, (int)(uint32_t)ksm->rmap_items);
	ksm->scan.seqnr++;
	ksm->scan.mm_slot = NULL;
}

/* scan_get_next_rmap_item: the next page to scan, with a reference, and its item; NULL when a full
 * scan is complete (or there is nothing to scan). A new full scan starts with empty unstable trees. */
static struct ksm_rmap_item *scan_get_next_rmap_item(struct machine *m, struct page **pagep)
{
	struct ksm_state *ksm = m->ksm;

	if (list_empty(&ksm->mm_head))
		return NULL;
	if (!ksm->scan.mm_slot) {
		if (trace_enabled(m, ksm_start_scan))
			trace_emit(m, TP_ksm_start_scan, "seq %d rmap size %d", (int)ksm->scan.seqnr,
				   (int)(uint32_t)ksm->rmap_items);
		for (int nid = 0; nid < MAX_NUMNODES; nid++)
			ksm->root_unstable_tree[nid] = RB_ROOT;
		ksm_scan_start_mm(&ksm->scan, list_entry(ksm->mm_head.next, struct ksm_mm_slot, mm_node));
	}
	while (ksm->scan.mm_slot) {
		struct ksm_rmap_item *item = scan_mm(m, pagep);

		if (item)
			return item;
		remove_trailing_rmap_items(m, ksm->scan.rmap_list);
		ksm_scan_next_mm(m);
	}
	return NULL;
}

/* ksm_do_scan: one batch of up to scan_npages pages. */
static void ksm_do_scan(struct machine *m, unsigned int scan_npages)
{
	while (scan_npages--) {
		struct page *page;
		struct ksm_rmap_item *item = scan_get_next_rmap_item(m, &page);

		if (!item)
			return;
		cmp_and_merge_page(m, page, item);
		put_page(m, page);
		m->ksm->pages_scanned++;
	}
}

/* The time between two batches: sleep_millisecs, at least a millisecond here. */
static uint64_t ksm_sleep_ns(const struct ksm_state *ksm)
{
	return (uint64_t)(ksm->sleep_millisecs ? ksm->sleep_millisecs : 1) * 1000000;
}

/* ksmd_should_run: merging is on and some mm is registered; and the sleep is over. */
static bool ksmd_should_run(struct machine *m, void *data)
{
	struct ksm_state *ksm = m->ksm;

	(void)data;
	return (ksm->run & KSM_RUN_MERGE) && !list_empty(&ksm->mm_head) && ksm->next_scan_ns <= m->now_ns;
}

/* ksm_scan_thread: every batch whose time has come, sleep_millisecs apart. */
static void ksm_scan_thread(struct machine *m, void *data)
{
	struct ksm_state *ksm = m->ksm;

	while (ksmd_should_run(m, data)) {
		ksm_do_scan(m, ksm->pages_to_scan);
		ksm->next_scan_ns += ksm_sleep_ns(ksm);
	}
}

void ksm_wake(struct machine *m)
{
	m->ksm->next_scan_ns = m->now_ns;
}

/* ---- registration: madvise, fork, exit ---- */

/* __ksm_enter: the mm is registered, behind the cursor (after the cursor while unmerging). */
static int __ksm_enter(struct mm_struct *mm)
{
	struct machine *m = mm->machine;
	struct ksm_state *ksm = m->ksm;
	struct ksm_mm_slot *slot = calloc(1, sizeof(*slot));

	if (!slot)
		return -ENOMEM;
	slot->mm = mm;
	mm->ksm_slot = slot;
	if (list_empty(&ksm->mm_head))
		ksm_wake(m);
	if (!(ksm->run & KSM_RUN_UNMERGE) && ksm->scan.mm_slot)
		list_add_tail(&slot->mm_node, &ksm->scan.mm_slot->mm_node);
	else
		list_add_tail(&slot->mm_node, &ksm->mm_head);
	return 0;
}

void ksm_exit(struct mm_struct *mm)
{
	struct machine *m = mm->machine;
	struct ksm_mm_slot *slot = mm->ksm_slot;

	if (!slot)
		return;
	remove_trailing_rmap_items(m, &slot->rmap_list);
	if (m->ksm->scan.mm_slot == slot)
		ksm_scan_next_mm(m);
	list_del(&slot->mm_node);
	free(slot);
	mm->ksm_slot = NULL;
}

int ksm_fork(struct mm_struct *mm, struct mm_struct *oldmm)
{
	return oldmm->ksm_slot ? __ksm_enter(mm) : 0;
}

/* unmerge_ksm_pages: every KSM page of [start, end) broken. 0 or -ENOMEM. */
static int unmerge_ksm_pages(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	int err = 0;

	for (unsigned long addr = start; addr < end && !err; addr += PAGE_SIZE)
		err = break_ksm(vma, addr);
	return err;
}

/* vma_ksm_compatible: private anonymous memory only (no shared, hugetlb or special mappings). */
static bool vma_ksm_compatible(const struct vm_area_struct *vma)
{
	return !(vma->vm_flags & (VM_SHARED | VM_MAYSHARE | VM_DONTEXPAND | VM_HUGETLB));
}

int ksm_madvise(struct vm_area_struct *vma, unsigned long start, unsigned long end, int advice,
		unsigned long *vm_flags)
{
	struct mm_struct *mm = vma->vm_mm;
	int err;

	if (advice == MADV_MERGEABLE) {
		if ((*vm_flags & VM_MERGEABLE) || !vma_ksm_compatible(vma))
			return 0;
		if (!mm->ksm_slot && (err = __ksm_enter(mm)))
			return err;
		*vm_flags |= VM_MERGEABLE;
		return 0;
	}
	if (!(*vm_flags & VM_MERGEABLE))
		return 0;
	if (vma->anon_vma && (err = unmerge_ksm_pages(vma, start, end)))
		return err;
	*vm_flags &= ~VM_MERGEABLE;
	return 0;
}

/* remove_stable_node: a KSM page no PTE maps (one in the swap cache) leaves the stable tree and
 * is a plain page again; a mapped one stays (-EBUSY). */
static int remove_stable_node(struct machine *m, struct ksm_stable_node *node)
{
	struct page *page = get_ksm_page(m, node);

	if (page->_mapcount >= 0)
		return -EBUSY;
	set_page_stable_node(page, NULL);
	remove_node_from_stable_tree(m, node);
	return 0;
}

int remove_all_stable_nodes(struct machine *m)
{
	int err = 0;

	for (int nid = 0; nid < MAX_NUMNODES; nid++) {
		struct rb_node *n = rb_first(&m->ksm->root_stable_tree[nid]);

		while (n) {
			struct ksm_stable_node *node = rb_entry(n, struct ksm_stable_node, node), *dup, *next;

			n = rb_next(n);
			if (!is_stable_node_chain(node)) {
				err |= remove_stable_node(m, node);
				continue;
			}
			list_for_each_entry_safe(dup, next, &node->hlist, hlist_dup)
				err |= remove_stable_node(m, dup);
			if (list_empty(&node->hlist))
				free_stable_node_chain(m->ksm, node);
		}
	}
	return err ? -EBUSY : 0;
}

/* unmerge_and_remove_all_rmap_items: `echo 2 > run`: every KSM page of every registered mm is
 * broken and every item freed; full_scans starts again from 0. 0 or -ENOMEM. */
static int unmerge_and_remove_all_rmap_items(struct machine *m)
{
	struct ksm_state *ksm = m->ksm;
	struct ksm_mm_slot *slot;

	list_for_each_entry(slot, &ksm->mm_head, mm_node) {
		for (struct vm_area_struct *vma = slot->mm->mmap; vma; vma = vma->vm_next) {
			int err;

			if (!(vma->vm_flags & VM_MERGEABLE) || !vma->anon_vma)
				continue;
			if ((err = unmerge_ksm_pages(vma, vma->vm_start, vma->vm_end))) {
				ksm->scan.mm_slot = NULL;
				return err;
			}
		}
		remove_trailing_rmap_items(m, &slot->rmap_list);
	}
	remove_all_stable_nodes(m);
	ksm->scan.mm_slot = NULL;
	ksm->scan.seqnr = 0;
	return 0;
}

int ksm_set_run(struct machine *m, unsigned long flags)
{
	struct ksm_state *ksm = m->ksm;
	int err;

	if (ksm->run == flags)
		return 0;
	ksm->run = flags;
	if ((flags & KSM_RUN_UNMERGE) && (err = unmerge_and_remove_all_rmap_items(m))) {
		ksm->run = KSM_RUN_STOP;
		return err;
	}
	if (flags & KSM_RUN_MERGE)
		ksm_wake(m);
	return 0;
}

/* ---- KSM pages elsewhere in mm: rmap, migration, freeing, swap-in, zero pages ---- */

int rmap_walk_ksm(struct machine *m, struct page *page,
		  int (*fn)(struct vm_area_struct *vma, unsigned long addr, void *arg), void *arg)
{
	struct ksm_stable_node *node = page_stable_node(page);
	struct ksm_rmap_anchor *a;
	struct anon_vma_chain *avc;
	int ret;

	if (!node)
		return 0;
	list_for_each_entry(a, &node->anchors, list)
		list_for_each_entry(avc, &a->root->head, same_anon_vma) {
			struct vm_area_struct *vma = avc->vma;

			if (a->address < vma->vm_start || a->address >= vma->vm_end)
				continue;
			if ((ret = rmap_one_at(m, page, vma, a->address, fn, arg)))
				return ret;
		}
	return 0;
}

void ksm_migrate_page(struct machine *m, struct page *newpage, struct page *oldpage)
{
	struct ksm_stable_node *node = page_stable_node(newpage);

	if (node && node->kpfn == page_to_pfn(m, oldpage))
		node->kpfn = page_to_pfn(m, newpage);
}

void ksm_page_freed(struct machine *m, struct page *page)
{
	struct ksm_stable_node *node = page_stable_node(page), *chain;

	if (!node || node->kpfn != page_to_pfn(m, page))
		return;
	chain = node->chain;
	remove_node_from_stable_tree(m, node);
	if (chain && list_empty(&chain->hlist))	/* an empty chain goes with its last dup */
		free_stable_node_chain(m->ksm, chain);
}

struct page *ksm_might_need_to_copy(struct page *page, struct vm_area_struct *vma, unsigned long addr)
{
	struct machine *m = vma->vm_mm->machine;
	struct page *new;

	if (PageKsm(page)) {
		if (page_stable_node(page) && !(m->ksm->run & KSM_RUN_UNMERGE))
			return page;
	} else if (page->_mapcount < 0 || !page->mapping ||
		   (page->index == vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT) &&
		    anon_vma_root((struct anon_vma *)((unsigned long)page->mapping & ~PAGE_MAPPING_FLAGS)) ==
			    anon_vma_root(vma->anon_vma))) {
		return page;
	}
	new = alloc_pages(m, GFP_HIGHUSER_MOVABLE, 0);
	if (!new)
		return NULL;
	memcpy(kmap_local_page(m, new), kmap_local_page(m, page), PAGE_SIZE);
	set_page_flag(new, PG_swapbacked);
	set_page_flag(new, PG_dirty);
	folio_add_lru(m, new);
	count_vm_event(m, KSM_SWPIN_COPY);
	return new;
}

bool is_ksm_zero_pte(const struct machine *m, const struct mm_struct *mm, pteval_t v)
{
	return pte_present(v) && is_zero_pfn(m, pte_pfn(mm->pm, v)) && (v & _PAGE_DIRTY);
}

void ksm_might_unmap_zero_page(struct mm_struct *mm, pteval_t v)
{
	if (!is_ksm_zero_pte(mm->machine, mm, v))
		return;
	mm->machine->ksm->zero_pages--;
	mm->ksm_zero_pages--;
}

/* ---- boot ---- */

int ksm_init(struct machine *m)
{
	struct ksm_state *ksm = calloc(1, sizeof(*ksm));
	static const unsigned char zeros[PAGE_SIZE];

	if (!ksm)
		return -ENOMEM;
	INIT_LIST_HEAD(&ksm->mm_head);
	ksm->pages_to_scan = 100;
	ksm->sleep_millisecs = 20;
	ksm->max_page_sharing = 256;
	ksm->merge_across_nodes = 1;
	ksm->smart_scan = true;
	ksm->stable_node_chains_prune_millisecs = 2000;
	ksm->advisor_max_cpu = 70;
	ksm->advisor_min_pages_to_scan = 500;
	ksm->advisor_max_pages_to_scan = 30000;
	ksm->advisor_target_scan_time = 200;
	ksm->zero_checksum = (unsigned int)XXH64(zeros, PAGE_SIZE, 0);
	m->ksm = ksm;
	return kthread_run(m, ksmd_should_run, ksm_scan_thread, NULL, "ksmd") ? 0 : -ENOMEM;
}

void ksm_exit_machine(struct machine *m)
{
	/* The KSM pages left are in the swap cache, which goes without freeing them one by one. */
	for (int nid = 0; nid < MAX_NUMNODES; nid++) {
		struct rb_root *root = &m->ksm->root_stable_tree[nid];

		while (root->rb_node) {
			struct ksm_stable_node *node = rb_entry(root->rb_node, struct ksm_stable_node, node), *dup, *next;

			rb_erase(&node->node, root);
			if (is_stable_node_chain(node))
				list_for_each_entry_safe(dup, next, &node->hlist, hlist_dup)
					free_stable_node(dup);
			free_stable_node(node);
		}
	}
	free(m->ksm);
	m->ksm = NULL;
}
