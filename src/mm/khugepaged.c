/*
 * khugepaged and MADV_COLLAPSE (mm/khugepaged.c): an mm whose VMAs may hold PMD-sized folios (THP
 * enabled=always, or madvise and MADV_HUGEPAGE) is registered with an mm_slot. The khugepaged
 * thread wakes every scan_sleep_millisecs of simulated time and scans pages_to_scan pages' worth of
 * the registered mms, one aligned PMD range at a time (hpage_collapse_scan_pmd): a range of small
 * anonymous pages passes when its empty or zero-page PTEs, swap PTEs and shared pages stay within
 * max_ptes_none, max_ptes_swap and max_ptes_shared and some page was referenced. collapse_huge_page
 * then allocates an order-9 folio, swaps the range's swapped pages in, isolates the small pages
 * (checking the PTEs again), copies every byte (zeroes where nothing was mapped), installs the PMD
 * with the PTE table deposited beside it, and frees the small pages.
 *
 * Differences: a range holding a page of another large folio (PTE-mapped THP) is not collapsed
 * (page_compound), nor one holding a KSM page; an allocation failure ends the pass and the thread
 * sleeps alloc_sleep_millisecs; file and shmem ranges (collapse_file) and mTHP orders are not
 * modelled.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <mmlab/cmdline.h>
#include <mmlab/gfp.h>
#include <mmlab/huge_mm.h>
#include <mmlab/hugetlb.h>
#include <mmlab/khugepaged.h>
#include <mmlab/ksm.h>
#include <mmlab/kthread.h>
#include <mmlab/seq_file.h>
#include <mmlab/swap.h>
#include <mmlab/trace.h>
#include <mmlab/vmscan.h>
#include <mmlab/vmstat.h>

#include "fs/proc/internal.h"

/* What a scan or a collapse found (enum scan_result), the names its tracepoints print. */
enum scan_result {
	SCAN_FAIL,
	SCAN_SUCCEED,
	SCAN_PMD_NULL,
	SCAN_PMD_NONE,
	SCAN_PMD_MAPPED,
	SCAN_EXCEED_NONE_PTE,
	SCAN_EXCEED_SWAP_PTE,
	SCAN_EXCEED_SHARED_PTE,
	SCAN_LACK_REFERENCED_PAGE,
	SCAN_PAGE_NULL,
	SCAN_PAGE_COUNT,
	SCAN_PAGE_LRU,
	SCAN_PAGE_ANON,
	SCAN_PAGE_COMPOUND,
	SCAN_VMA_CHECK,
	SCAN_ALLOC_HUGE_PAGE_FAIL,
	NR_SCAN_RESULTS
};

static const char *const scan_status[NR_SCAN_RESULTS] = {
	[SCAN_FAIL] = "failed",
	[SCAN_SUCCEED] = "succeeded",
	[SCAN_PMD_NULL] = "pmd_null",
	[SCAN_PMD_NONE] = "pmd_none",
	[SCAN_PMD_MAPPED] = "page_pmd_mapped",
	[SCAN_EXCEED_NONE_PTE] = "exceed_none_pte",
	[SCAN_EXCEED_SWAP_PTE] = "exceed_swap_pte",
	[SCAN_EXCEED_SHARED_PTE] = "exceed_shared_pte",
	[SCAN_LACK_REFERENCED_PAGE] = "lack_referenced_page",
	[SCAN_PAGE_NULL] = "page_null",
	[SCAN_PAGE_COUNT] = "not_suitable_page_count",
	[SCAN_PAGE_LRU] = "page_not_in_lru",
	[SCAN_PAGE_ANON] = "page_not_anon",
	[SCAN_PAGE_COMPOUND] = "page_compound",
	[SCAN_VMA_CHECK] = "vma_check_failed",
	[SCAN_ALLOC_HUGE_PAGE_FAIL] = "alloc_huge_page_failed",
};

/* A registered mm (struct khugepaged_mm_slot). */
struct khugepaged_mm_slot {
	struct list_head mm_node;	/* in khugepaged_state.mm_head */
	struct mm_struct *mm;
};

/* struct collapse_control: khugepaged's limits apply, MADV_COLLAPSE's do not. */
struct collapse_control {
	bool is_khugepaged;
};

/* What one pass over a PMD range's PTEs counted. */
struct pte_census {
	int none_or_zero, unmapped, shared, referenced;
	struct page *page;	/* the last page seen, for the tracepoint */
};

/* ---- registration ---- */

/* hugepage_pmd_enabled: THP is on at all (always or madvise): the thread has something to do. */
static bool hugepage_pmd_enabled(const struct machine *m)
{
	return m->arch->thp && (m->transparent_hugepage_flags &
				((1UL << TRANSPARENT_HUGEPAGE_FLAG) | (1UL << TRANSPARENT_HUGEPAGE_REQ_MADV_FLAG)));
}

/* __khugepaged_enter: the mm joins the tail of the list; the thread wakes if the list was empty. */
static void __khugepaged_enter(struct mm_struct *mm)
{
	struct khugepaged_state *kh = mm->machine->khugepaged;
	struct khugepaged_mm_slot *slot = calloc(1, sizeof(*slot));

	if (!slot)
		return;
	slot->mm = mm;
	mm->khugepaged_slot = slot;
	if (list_empty(&kh->mm_head))
		kh->next_scan_ns = mm->machine->now_ns;
	list_add_tail(&slot->mm_node, &kh->mm_head);
}

void khugepaged_enter_vma(struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;

	if (!mm->khugepaged_slot && hugepage_pmd_enabled(mm->machine) && thp_vma_allowable_order(vma, true))
		__khugepaged_enter(mm);
}

int khugepaged_fork(struct mm_struct *mm, struct mm_struct *oldmm)
{
	if (oldmm->khugepaged_slot)
		__khugepaged_enter(mm);
	return 0;
}

/* The cursor leaves slot for the next one; past the last, a full scan is complete. */
static void khugepaged_next_slot(struct khugepaged_state *kh, struct khugepaged_mm_slot *slot)
{
	if (slot->mm_node.next != &kh->mm_head) {
		kh->scan_slot = list_entry(slot->mm_node.next, struct khugepaged_mm_slot, mm_node);
	} else {
		kh->scan_slot = NULL;
		kh->full_scans++;
	}
	kh->scan_address = 0;
}

void khugepaged_exit(struct mm_struct *mm)
{
	struct khugepaged_state *kh = mm->machine->khugepaged;
	struct khugepaged_mm_slot *slot = mm->khugepaged_slot;

	if (!slot)
		return;
	if (kh->scan_slot == slot)	/* collect_mm_slot, as the scan would on finding the mm gone */
		khugepaged_next_slot(kh, slot);
	list_del(&slot->mm_node);
	mm->khugepaged_slot = NULL;
	free(slot);
}

/* ---- one PMD range: hpage_collapse_scan_pmd ---- */

/* find_pmd_or_thp_or_none: the PMD over addr, if it holds a table of PTEs. */
static enum scan_result find_pmd_or_thp_or_none(struct mm_struct *mm, unsigned long addr, struct pt_entry *pmd)
{
	pteval_t v;

	if (walk_to_pmd(mm, addr, false, pmd))
		return SCAN_PMD_NULL;
	v = ptep_get(*pmd);
	if (!v)
		return SCAN_PMD_NONE;
	if (pmd_trans_huge(v))
		return SCAN_PMD_MAPPED;
	return pte_present(v) ? SCAN_SUCCEED : SCAN_PMD_NULL;
}

static struct pt_entry collapse_pte(struct mm_struct *mm, struct pt_entry pmd, unsigned long addr)
{
	return pt_entry_at(mm->machine, mm->pm, pt_table_page(mm->machine, mm->pm, ptep_get(pmd)), mm->pm->levels - 1,
			   addr);
}

/* One PTE of the range judged (the loop bodies of hpage_collapse_scan_pmd and
 * __collapse_huge_page_isolate): SCAN_SUCCEED to go on. */
static enum scan_result collapse_check_pte(struct mm_struct *mm, pteval_t v, struct pte_census *c,
					   const struct collapse_control *cc)
{
	struct machine *m = mm->machine;
	const struct khugepaged_state *kh = m->khugepaged;
	struct page *page;

	if (v && !pte_present(v)) {
		if (++c->unmapped > (int)kh->max_ptes_swap && cc->is_khugepaged) {
			count_vm_event(m, THP_SCAN_EXCEED_SWAP_PTE);
			return SCAN_EXCEED_SWAP_PTE;
		}
		return SCAN_SUCCEED;
	}
	if (!v || is_zero_pfn(m, pte_pfn(mm->pm, v))) {
		if (++c->none_or_zero > (int)kh->max_ptes_none && cc->is_khugepaged) {
			count_vm_event(m, THP_SCAN_EXCEED_NONE_PTE);
			return SCAN_EXCEED_NONE_PTE;
		}
		return SCAN_SUCCEED;
	}
	page = c->page = pfn_to_page(m, pte_pfn(mm->pm, v));
	if (!PageAnon(page) || PageKsm(page))
		return SCAN_PAGE_ANON;
	if (PageHead(page) || PageTail(page))
		return SCAN_PAGE_COMPOUND;
	if (folio_mapcount(page) > 1 && ++c->shared > (int)kh->max_ptes_shared && cc->is_khugepaged) {
		count_vm_event(m, THP_SCAN_EXCEED_SHARED_PTE);
		return SCAN_EXCEED_SHARED_PTE;
	}
	if (!PageLRU(page))
		return SCAN_PAGE_LRU;
	/* folio_expected_ref_count: a reference per mapping, and the swap cache's */
	if (page_ref_count(page) != folio_mapcount(page) + (PageSwapCache(page) ? 1 : 0))
		return SCAN_PAGE_COUNT;
	if (cc->is_khugepaged && ((v & _PAGE_ACCESSED) || test_bit_flag(page, PG_referenced)))
		c->referenced++;
	return SCAN_SUCCEED;
}

/* Every PTE of the range at haddr judged, the census kept. */
static enum scan_result collapse_scan_ptes(struct mm_struct *mm, struct pt_entry pmd, unsigned long haddr,
					   struct pte_census *c, const struct collapse_control *cc)
{
	for (unsigned long i = 0; i < HPAGE_PMD_NR; i++) {
		enum scan_result r = collapse_check_pte(mm, ptep_get(collapse_pte(mm, pmd, haddr + i * PAGE_SIZE)), c, cc);

		if (r != SCAN_SUCCEED)
			return r;
	}
	if (cc->is_khugepaged && (!c->referenced || (c->unmapped && c->referenced < (int)HPAGE_PMD_NR / 2)))
		return SCAN_LACK_REFERENCED_PAGE;
	return SCAN_SUCCEED;
}

/* trace_ptr: %p's hashed pointer (ptr_to_id, lib/vsprintf.c): 32 bits of a hash keyed by the boot
 * seed; an mm is known by its pgd page. */
static unsigned long trace_mm(const struct mm_struct *mm)
{
	uint64_t z = page_kaddr(mm->machine, mm->pgd) ^ mm->machine->cfg.seed;

	z = (z ^ (z >> 33)) * 0xff51afd7ed558ccdULL;
	z = (z ^ (z >> 33)) * 0xc4ceb9fe1a85ec53ULL;
	return (unsigned long)((z ^ (z >> 33)) & 0xffffffffUL);
}

/* ---- collapse_huge_page ---- */

/* __collapse_huge_page_swapin: each swap PTE of the range faulted back in. */
static enum scan_result __collapse_huge_page_swapin(struct vm_area_struct *vma, struct pt_entry pmd,
						    unsigned long haddr)
{
	for (unsigned long addr = haddr; addr < haddr + HPAGE_PMD_SIZE; addr += PAGE_SIZE) {
		pteval_t v = ptep_get(collapse_pte(vma->vm_mm, pmd, addr));

		if (v && !pte_present(v) && (handle_mm_fault(vma, addr, 0) & (VM_FAULT_OOM | VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV)))
			return SCAN_FAIL;
	}
	return SCAN_SUCCEED;
}

/* release_pte_pages: the pages isolated so far back on their LRU lists. */
static void release_pte_pages(struct machine *m, struct page **pages, unsigned long nr)
{
	for (unsigned long i = 0; i < nr; i++) {
		if (!pages[i])
			continue;
		__mod_node_page_state(NODE_DATA(m, page_to_nid(pages[i])), NR_ISOLATED_ANON, -1);
		folio_add_lru(m, pages[i]);
		put_page(m, pages[i]);
	}
}

/* __collapse_huge_page_isolate: every page of the range judged again and taken off its LRU list
 * (pages[i], NULL for an empty or zero-page PTE); a swap-cache page leaves the swap cache. */
static enum scan_result __collapse_huge_page_isolate(struct mm_struct *mm, struct pt_entry pmd, unsigned long haddr,
						     struct page **pages, const struct collapse_control *cc)
{
	struct machine *m = mm->machine;
	struct pte_census c = { 0 };

	for (unsigned long i = 0; i < HPAGE_PMD_NR; i++) {
		pteval_t v = ptep_get(collapse_pte(mm, pmd, haddr + i * PAGE_SIZE));
		enum scan_result r = v && !pte_present(v) ? SCAN_FAIL : collapse_check_pte(mm, v, &c, cc);

		pages[i] = NULL;
		if (r == SCAN_SUCCEED && v && !is_zero_pfn(m, pte_pfn(mm->pm, v))) {
			struct page *page = pfn_to_page(m, pte_pfn(mm->pm, v));

			if (PageSwapCache(page) && !folio_free_swap(m, page))
				r = SCAN_PAGE_COUNT;
			else if (!folio_isolate_lru(m, page))
				r = SCAN_PAGE_LRU;
			else
				pages[i] = page;
		}
		if (r != SCAN_SUCCEED) {
			release_pte_pages(m, pages, i + 1);
			return r;
		}
	}
	return SCAN_SUCCEED;
}

/* __collapse_huge_page_copy: the range's bytes into the new folio, zeroes where nothing was mapped;
 * then each small page put back on the LRU, unmapped and freed (kept if another mm maps it), each
 * empty PTE now counted in the RSS (__collapse_huge_page_copy_succeeded). */
static void __collapse_huge_page_copy(struct vm_area_struct *vma, struct pt_entry pmd, unsigned long haddr,
				      struct page *folio, struct page **pages)
{
	struct mm_struct *mm = vma->vm_mm;
	struct machine *m = mm->machine;
	char *dst = kmap_local_page(m, folio);

	for (unsigned long i = 0; i < HPAGE_PMD_NR; i++) {
		struct pt_entry pte = collapse_pte(mm, pmd, haddr + i * PAGE_SIZE);
		pteval_t v = ptep_get(pte);

		if (pages[i])
			memcpy(dst + i * PAGE_SIZE, kmap_local_page(m, pages[i]), PAGE_SIZE);
		else
			memset(dst + i * PAGE_SIZE, 0, PAGE_SIZE);
		set_pte(pte, 0);
		if (!pages[i]) {
			if (v)
				ksm_might_unmap_zero_page(mm, v);
			add_mm_counter(mm, MM_ANONPAGES, 1);
			continue;
		}
		release_pte_pages(m, &pages[i], 1);	/* release_pte_folio: back on the LRU */
		munlock_vma_folio(m, pages[i], vma);
		page_remove_rmap(m, pages[i]);
		put_page(m, pages[i]);	/* the PTE's reference: freed unless another mm maps it */
	}
}

/* The new folio mapped whole at haddr, the range's PTE table deposited beside the PMD. */
static void collapse_install_pmd(struct vm_area_struct *vma, struct pt_entry pmd, unsigned long haddr,
				 struct page *folio)
{
	struct mm_struct *mm = vma->vm_mm;
	struct machine *m = mm->machine;
	struct page *table = pt_table_page(m, mm->pm, ptep_get(pmd));

	folio_prep_large_rmappable(folio);
	folio_add_new_anon_rmap_pmd(m, folio, vma, haddr);
	set_page_flag(folio, PG_swapbacked);
	folio_add_lru_vma(m, folio, vma);
	set_pte(pmd, 0);
	flush_tlb_mm_range(m, mm, haddr, haddr + HPAGE_PMD_SIZE);
	pgtable_trans_huge_deposit(mm, table);
	set_pte(pmd, make_huge_pte(m, vma, folio, vma->vm_flags & VM_WRITE) | _PAGE_DIRTY);
}

/* alloc_charge_folio: the huge page, as hard as defrag says for khugepaged (GFP_TRANSHUGE when
 * khugepaged/defrag is 1), always with direct reclaim for MADV_COLLAPSE. */
static struct page *alloc_charge_folio(struct machine *m, const struct collapse_control *cc)
{
	bool defrag = !cc->is_khugepaged ||
		      (m->transparent_hugepage_flags & (1UL << TRANSPARENT_HUGEPAGE_DEFRAG_KHUGEPAGED_FLAG));
	struct page *folio = alloc_pages(m, defrag ? GFP_TRANSHUGE : GFP_TRANSHUGE_LIGHT, HPAGE_PMD_ORDER);

	count_vm_event(m, folio ? THP_COLLAPSE_ALLOC : THP_COLLAPSE_ALLOC_FAILED);
	return folio;
}

static enum scan_result collapse_huge_page(struct vm_area_struct *vma, unsigned long haddr, int unmapped,
					   const struct collapse_control *cc)
{
	struct mm_struct *mm = vma->vm_mm;
	struct machine *m = mm->machine;
	struct page *pages[HPAGE_PMD_NR], *folio = alloc_charge_folio(m, cc);
	enum scan_result result = SCAN_ALLOC_HUGE_PAGE_FAIL;
	struct pt_entry pmd;
	int isolated = 0;

	if (!folio)
		goto out;
	result = find_pmd_or_thp_or_none(mm, haddr, &pmd);
	if (result == SCAN_SUCCEED && unmapped)
		result = __collapse_huge_page_swapin(vma, pmd, haddr);
	if (result == SCAN_SUCCEED)	/* the swap-ins may have changed the tables */
		result = find_pmd_or_thp_or_none(mm, haddr, &pmd);
	if (result == SCAN_SUCCEED && anon_vma_prepare(vma))
		result = SCAN_FAIL;
	if (result == SCAN_SUCCEED)
		result = __collapse_huge_page_isolate(mm, pmd, haddr, pages, cc);
	if (result != SCAN_SUCCEED) {
		__free_pages(m, folio, HPAGE_PMD_ORDER);
		goto out;
	}
	isolated = 1;
	__collapse_huge_page_copy(vma, pmd, haddr, folio, pages);
	collapse_install_pmd(vma, pmd, haddr, folio);
out:
	if (trace_enabled(m, mm_collapse_huge_page))
		trace_emit(m, TP_mm_collapse_huge_page, "mm=%016lx, isolated=%d, status=%s", trace_mm(mm), isolated,
			   scan_status[result]);
	return result;
}

static enum scan_result hpage_collapse_scan_pmd(struct vm_area_struct *vma, unsigned long haddr,
						const struct collapse_control *cc)
{
	struct mm_struct *mm = vma->vm_mm;
	struct machine *m = mm->machine;
	struct pte_census c = { 0 };
	struct pt_entry pmd;
	enum scan_result result = find_pmd_or_thp_or_none(mm, haddr, &pmd);

	if (result == SCAN_SUCCEED)
		result = collapse_scan_ptes(mm, pmd, haddr, &c, cc);
	if (result == SCAN_SUCCEED)
		result = collapse_huge_page(vma, haddr, c.unmapped, cc);
	if (trace_enabled(m, mm_khugepaged_scan_pmd))
		trace_emit(m, TP_mm_khugepaged_scan_pmd,
			   "mm=%016lx, scan_pfn=0x%lx, referenced=%d, none_or_zero=%d, status=%s, unmapped=%d",
			   trace_mm(mm), c.page ? page_to_pfn(m, c.page) : -1UL, c.referenced, c.none_or_zero,
			   scan_status[result], c.unmapped);
	return result;
}

/* ---- the thread: khugepaged_do_scan ---- */

/* khugepaged_scan_mm_slot: the cursor's mm from its address on, until pages is used up (a VMA not
 * eligible costs one, a PMD range HPAGE_PMD_NR); the cursor moves to the next mm at the end of
 * this one. The pages used; *alloc_failed when a huge page could not be had. */
static unsigned int khugepaged_scan_mm_slot(struct machine *m, unsigned int pages, bool *alloc_failed)
{
	static const struct collapse_control cc = { .is_khugepaged = true };
	struct khugepaged_state *kh = m->khugepaged;
	struct khugepaged_mm_slot *slot;
	struct vm_area_struct *vma;
	unsigned int progress = 1;

	if (!kh->scan_slot) {
		kh->scan_slot = list_first_entry(&kh->mm_head, struct khugepaged_mm_slot, mm_node);
		kh->scan_address = 0;
	}
	slot = kh->scan_slot;
	for (vma = find_vma(slot->mm, kh->scan_address); vma; vma = vma->vm_next) {
		unsigned long hstart = (vma->vm_start + HPAGE_PMD_SIZE - 1) & HPAGE_PMD_MASK;
		unsigned long hend = vma->vm_end & HPAGE_PMD_MASK;

		if (!thp_vma_allowable_order(vma, true) || kh->scan_address > hend) {
			progress++;
			continue;
		}
		if (kh->scan_address < hstart)
			kh->scan_address = hstart;
		while (kh->scan_address < hend) {
			enum scan_result r = hpage_collapse_scan_pmd(vma, kh->scan_address, &cc);

			kh->pages_collapsed += r == SCAN_SUCCEED;
			kh->scan_address += HPAGE_PMD_SIZE;
			progress += HPAGE_PMD_NR;
			if (r == SCAN_ALLOC_HUGE_PAGE_FAIL) {
				*alloc_failed = true;
				return progress;
			}
			if (progress >= pages)
				return progress;
		}
	}
	khugepaged_next_slot(kh, slot);
	return progress;
}

/* khugepaged_do_scan: pages_to_scan pages' worth, through at most one end of the list. */
static bool khugepaged_do_scan(struct machine *m)
{
	struct khugepaged_state *kh = m->khugepaged;
	unsigned int progress = 0, pages = kh->pages_to_scan, pass_through_head = 0;
	bool alloc_failed = false;

	while (progress < pages && !alloc_failed && !list_empty(&kh->mm_head)) {
		if (!kh->scan_slot && ++pass_through_head >= 2)
			break;
		progress += khugepaged_scan_mm_slot(m, pages - progress, &alloc_failed);
	}
	return alloc_failed;
}

/* khugepaged_should_run: THP on, some mm registered, and the sleep over (khugepaged_wait_work). */
static bool khugepaged_should_run(struct machine *m, void *data)
{
	const struct khugepaged_state *kh = m->khugepaged;

	(void)data;
	return hugepage_pmd_enabled(m) && !list_empty(&kh->mm_head) && kh->next_scan_ns <= m->now_ns;
}

/* khugepaged: a pass, then scan_sleep_millisecs asleep (alloc_sleep_millisecs after a failed
 * allocation); every pass whose time has come. */
static void khugepaged_thread(struct machine *m, void *data)
{
	struct khugepaged_state *kh = m->khugepaged;

	while (khugepaged_should_run(m, data)) {
		bool alloc_failed = khugepaged_do_scan(m);
		unsigned int sleep = alloc_failed ? kh->alloc_sleep_millisecs : kh->scan_sleep_millisecs;

		kh->next_scan_ns += (uint64_t)(sleep ? sleep : 1) * 1000000;
	}
}

/* ---- MADV_COLLAPSE ---- */

/* madvise_collapse_errno: what a failed range tells the caller. */
static int madvise_collapse_errno(enum scan_result r)
{
	switch (r) {
	case SCAN_ALLOC_HUGE_PAGE_FAIL:
		return -ENOMEM;
	case SCAN_EXCEED_NONE_PTE:
		return -EBUSY;
	case SCAN_PAGE_COUNT:
	case SCAN_PAGE_LRU:
		return -EAGAIN;
	default:
		return -EINVAL;
	}
}

/* The failures after which the next range is still worth a try; any other ends the call. */
static bool madvise_collapse_may_continue(enum scan_result r)
{
	switch (r) {
	case SCAN_PMD_NULL:
	case SCAN_PMD_NONE:
	case SCAN_PAGE_NULL:
	case SCAN_PAGE_COUNT:
	case SCAN_PAGE_COMPOUND:
	case SCAN_PAGE_LRU:
		return true;
	default:
		return false;
	}
}

int madvise_collapse(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	static const struct collapse_control cc = { .is_khugepaged = false };
	unsigned long hstart = (start + HPAGE_PMD_SIZE - 1) & HPAGE_PMD_MASK, hend = end & HPAGE_PMD_MASK;
	unsigned long thps = 0;
	enum scan_result last_fail = SCAN_FAIL;

	/* TVA_FORCED_COLLAPSE: the sysfs setting does not matter, the VMA's own advice does */
	if (!vma->vm_mm->machine->arch->thp || !vma_is_anonymous(vma) ||
	    (vma->vm_flags & (VM_HUGETLB | VM_NOHUGEPAGE)) || !thp_vma_holds_pmd(vma))
		return -EINVAL;
	for (unsigned long addr = hstart; addr < hend; addr += HPAGE_PMD_SIZE) {
		enum scan_result r = hpage_collapse_scan_pmd(vma, addr, &cc);

		if (r == SCAN_SUCCEED || r == SCAN_PMD_MAPPED) {
			thps++;
			continue;
		}
		last_fail = r;
		if (!madvise_collapse_may_continue(r))
			break;
	}
	/* a range holding no whole PMD range: 0 if it is empty, -EINVAL if it is not */
	return thps == (hend - hstart) / HPAGE_PMD_SIZE ? 0 : madvise_collapse_errno(last_fail);
}

/* ---- /sys/kernel/mm/transparent_hugepage/khugepaged (mm/khugepaged.c) ---- */

static unsigned int *khugepaged_tunable(struct khugepaged_state *kh, const char *name, unsigned int *max,
					bool *writable)
{
	const struct {
		const char *name;
		unsigned int *value, max;
	} tunables[] = {
		{ "pages_to_scan", &kh->pages_to_scan, ~0U },
		{ "scan_sleep_millisecs", &kh->scan_sleep_millisecs, ~0U },
		{ "alloc_sleep_millisecs", &kh->alloc_sleep_millisecs, ~0U },
		{ "max_ptes_none", &kh->max_ptes_none, HPAGE_PMD_NR - 1 },
		{ "max_ptes_swap", &kh->max_ptes_swap, HPAGE_PMD_NR - 1 },
		{ "max_ptes_shared", &kh->max_ptes_shared, HPAGE_PMD_NR - 1 },
		{ "pages_collapsed", &kh->pages_collapsed, 0 },
		{ "full_scans", &kh->full_scans, 0 },
	};

	for (size_t i = 0; i < sizeof(tunables) / sizeof(tunables[0]); i++)
		if (!strcmp(tunables[i].name, name)) {
			*max = tunables[i].max;
			*writable = tunables[i].max != 0;
			return tunables[i].value;
		}
	return NULL;
}

static bool khugepaged_attr_lookup(struct machine *m, const char *arg)
{
	unsigned int max;
	bool writable;

	return m->arch->thp && (!strcmp(arg, "defrag") || khugepaged_tunable(m->khugepaged, arg, &max, &writable));
}

static int khugepaged_attr_show(struct machine *m, struct seq_file *s, const char *arg)
{
	unsigned int max;
	bool writable;

	if (!strcmp(arg, "defrag"))	/* single_hugepage_flag_show */
		seq_printf(s, "%d\n",
			   !!(m->transparent_hugepage_flags & (1UL << TRANSPARENT_HUGEPAGE_DEFRAG_KHUGEPAGED_FLAG)));
	else
		seq_printf(s, "%u\n", *khugepaged_tunable(m->khugepaged, arg, &max, &writable));
	return 0;
}

/* The stores: kstrtouint, 1 or more for pages_to_scan, HPAGE_PMD_NR - 1 at most for the max_ptes_*;
 * a new scan_sleep_millisecs or alloc_sleep_millisecs wakes the thread (its sleep starts again). */
static int khugepaged_attr_store(struct machine *m, const char *arg, const char *text, size_t len)
{
	struct khugepaged_state *kh = m->khugepaged;
	unsigned long value;
	unsigned int max, *p;
	bool writable;

	if (kstrtoul_text(text, len, &value))
		return -EINVAL;
	if (!strcmp(arg, "defrag")) {
		if (value > 1)
			return -EINVAL;
		m->transparent_hugepage_flags = (m->transparent_hugepage_flags &
						 ~(1UL << TRANSPARENT_HUGEPAGE_DEFRAG_KHUGEPAGED_FLAG)) |
						((unsigned long)value << TRANSPARENT_HUGEPAGE_DEFRAG_KHUGEPAGED_FLAG);
		return 0;
	}
	p = khugepaged_tunable(kh, arg, &max, &writable);
	if (!writable)
		return -EACCES;
	if (value > max || (p == &kh->pages_to_scan && !value))
		return -EINVAL;
	*p = (unsigned int)value;
	if (p == &kh->scan_sleep_millisecs || p == &kh->alloc_sleep_millisecs)
		kh->next_scan_ns = m->now_ns;
	return 0;
}

const struct proc_entry khugepaged_proc_entries[] = {
	{ .path = "/sys/kernel/mm/transparent_hugepage/khugepaged/*", .lookup = khugepaged_attr_lookup,
	  .show = khugepaged_attr_show, .write = khugepaged_attr_store },
	{ 0 },
};

/* ---- boot ---- */

/* khugepaged_init: the kernel's defaults: 8 PMDs' worth of pages every 10 s, 60 s after a failed
 * allocation, max_ptes_none HPAGE_PMD_NR - 1, max_ptes_swap HPAGE_PMD_NR / 8, max_ptes_shared
 * HPAGE_PMD_NR / 2. */
int khugepaged_init(struct machine *m)
{
	struct khugepaged_state *kh = calloc(1, sizeof(*kh));

	if (!kh)
		return -ENOMEM;
	INIT_LIST_HEAD(&kh->mm_head);
	kh->pages_to_scan = HPAGE_PMD_NR * 8;
	kh->scan_sleep_millisecs = 10000;
	kh->alloc_sleep_millisecs = 60000;
	kh->max_ptes_none = HPAGE_PMD_NR - 1;
	kh->max_ptes_swap = HPAGE_PMD_NR / 8;
	kh->max_ptes_shared = HPAGE_PMD_NR / 2;
	m->khugepaged = kh;
	return kthread_run(m, khugepaged_should_run, khugepaged_thread, NULL, "khugepaged") ? 0 : -ENOMEM;
}

void khugepaged_exit_machine(struct machine *m)
{
	free(m->khugepaged);
	m->khugepaged = NULL;
}
