/*
 * Page reclaim (mm/vmscan.c): shrink_node scans each node's LRU lists in proportions get_scan_count
 * sets from vm.swappiness and the cost of what was reclaimed before; shrink_inactive_list isolates
 * pages from the tail of an inactive list and reclaims those not young twice (swap-out for
 * anonymous pages); shrink_active_list ages the active lists into the inactive ones. kswapd runs
 * from the simulated clock until its node is balanced at the high watermark; an allocation under min
 * reclaims directly (try_to_free_pages).
 */
#include <errno.h>

#include <mmlab/fs.h>
#include <mmlab/huge_mm.h>
#include <mmlab/kthread.h>
#include <mmlab/mm.h>
#include <mmlab/seq_file.h>
#include <mmlab/vmscan.h>
#include <mmlab/vmstat.h>

#include "internal.h"

enum folio_references { FOLIOREF_RECLAIM, FOLIOREF_KEEP, FOLIOREF_ACTIVATE };

/* isolate_lru_folios: up to nr_to_scan pages from the tail of lru onto dst, each with a reference
 * and without PG_lru; NR_ISOLATED_* counts them (mm/vmscan.c). */
static unsigned long isolate_lru_folios(struct machine *m, pg_data_t *pgdat, unsigned long nr_to_scan,
					struct list_head *dst, enum lru_list lru)
{
	struct list_head *src = &pgdat->__lruvec.lists[lru];
	unsigned long nr_taken = 0;

	while (nr_taken < nr_to_scan && !list_empty(src)) {
		struct page *page = list_entry(src->prev, struct page, lru);

		lruvec_del_folio(m, page);
		get_page(page);
		list_add(&page->lru, dst);
		nr_taken += folio_nr_pages(page);
	}
	__mod_node_page_state(pgdat, lru & LRU_FILE ? NR_ISOLATED_FILE : NR_ISOLATED_ANON, (long)nr_taken);
	return nr_taken;
}

/* move_folios_to_lru: isolated pages back on the lists their flags name, the isolation's
 * reference dropped; activations move the workingset clock; one found mlocked goes to the
 * unevictable list (folio_putback_lru). The pages put back on evictable lists (mm/vmscan.c). */
unsigned long move_folios_to_lru(struct machine *m, struct list_head *list)
{
	unsigned long nr_moved = 0;

	while (!list_empty(list)) {
		struct page *page = list_entry(list->next, struct page, lru);

		list_del(&page->lru);
		if (folio_evictable(page)) {
			lruvec_add_folio(m, page);
			if (test_bit_flag(page, PG_active))
				workingset_age_nonresident(folio_lruvec(m, page), 1);
			nr_moved++;
		} else {
			folio_add_lru(m, page);
		}
		put_page(m, page);
	}
	return nr_moved;
}

/* putback_isolated: the pages back, and no longer counted as isolated; those put back on
 * evictable lists. */
static unsigned long putback_isolated(struct machine *m, pg_data_t *pgdat, struct list_head *list, enum lru_list lru,
				      unsigned long nr_taken)
{
	unsigned long nr_moved = move_folios_to_lru(m, list);

	__mod_node_page_state(pgdat, lru & LRU_FILE ? NR_ISOLATED_FILE : NR_ISOLATED_ANON, -(long)nr_taken);
	return nr_moved;
}

/* A file page referenced through an executable mapping (vm_flags from folio_referenced): reclaim
 * gives code a better chance to stay, as folio_check_references and shrink_active_list do. */
static bool executable_file_folio(struct page *page, unsigned long vm_flags)
{
	return (vm_flags & VM_EXEC) && folio_is_file_lru(page);
}

/* folio_check_references: young PTEs twice (or young and PG_referenced) activate, as does one young
 * PTE of an executable file mapping (code gets its first use counted); young once otherwise keeps
 * the page a round longer; else it is reclaimed. With the multi-gen LRU a young page is kept the
 * first time and promoted the next (lru_gen_set_refs) (mm/vmscan.c). */
static enum folio_references folio_check_references(struct machine *m, struct page *page)
{
	unsigned long vm_flags;
	int referenced_ptes = folio_referenced(m, page, &vm_flags);
	bool referenced_folio = test_bit_flag(page, PG_referenced);

	if (vm_flags & VM_LOCKED)	/* mlocked now: it goes to the unevictable list */
		return FOLIOREF_ACTIVATE;
	if (lru_gen_enabled(m)) {
		if (!referenced_ptes)
			return FOLIOREF_RECLAIM;
		return lru_gen_set_refs(page) ? FOLIOREF_ACTIVATE : FOLIOREF_KEEP;
	}
	clear_page_flag(page, PG_referenced);
	if (!referenced_ptes)
		return FOLIOREF_RECLAIM;
	set_page_flag(page, PG_referenced);
	if (referenced_folio || referenced_ptes > 1 || executable_file_folio(page, vm_flags))
		return FOLIOREF_ACTIVATE;
	return FOLIOREF_KEEP;
}

/* may_enter_fs: whether reclaim for an allocation of gfp may write the page: a page-cache page
 * needs __GFP_FS, a swap-cache page __GFP_IO (mm/vmscan.c). An allocation that may not start I/O
 * - zram's own, storing a page being swapped out - must not write another page on its way. */
static bool may_enter_fs(const struct page *page, gfp_t gfp)
{
	return (gfp & __GFP_FS) || (PageSwapCache(page) && (gfp & __GFP_IO));
}

/* pageout_anon: the page into the swap cache (only with __GFP_IO), unmapped from every PTE, written
 * if dirty. false when it has to stay (no swap slot, a slot that can count no more PTEs, no I/O
 * allowed, a write error). */
static bool pageout_anon(struct machine *m, struct page *page, struct scan_control *sc, struct reclaim_stat *stat)
{
	if (!PageSwapCache(page)) {
		if (!sc->may_swap || !(sc->gfp_mask & __GFP_IO) || folio_alloc_swap(m, page))
			return false;
		set_page_flag(page, PG_dirty);
	}
	if (page->_mapcount >= 0 && !try_to_unmap(m, page)) {
		stat->nr_unmap_fail++;
		return false;
	}
	if (test_bit_flag(page, PG_dirty)) {
		if (!may_enter_fs(page, sc->gfp_mask))
			return false;
		clear_page_flag(page, PG_dirty);
		if (swap_writepage(m, page)) {
			set_page_flag(page, PG_dirty);
			return false;
		}
		stat->nr_pageout++;
	}
	return true;
}

/* __remove_mapping: only its cache (the swap cache, or the file's page cache) and the isolation
 * hold the page: it leaves the cache, its workingset shadow in its slot, and is freed. */
static bool remove_mapping(struct machine *m, struct page *page)
{
	if (page_ref_count(page) != 2)
		return false;
	if (PageAnon(page)) {
		__swap_cache_del_folio(m, page, workingset_eviction(m, page));
	} else {
		__filemap_remove_folio(m, page, workingset_eviction(m, page));
		put_page(m, page);
	}
	put_page(m, page);
	return true;
}

/* The reclaim of a page-cache page: unmapped from every PTE (their dirty bits move to the page),
 * written to its file if dirty (pageout), then dropped. The kernel leaves most dirty pages to its
 * flusher threads and reclaims them once clean; the machine has none, so reclaim writes them, when
 * the allocation allows it (__GFP_FS). false when it has to stay (no write allowed, a write error,
 * or a reference taken meanwhile). */
static bool reclaim_file(struct machine *m, struct page *page, struct scan_control *sc, struct reclaim_stat *stat)
{
	if (page->_mapcount >= 0 && !try_to_unmap(m, page)) {
		stat->nr_unmap_fail++;
		return false;
	}
	if (test_bit_flag(page, PG_dirty)) {
		if (!may_enter_fs(page, sc->gfp_mask) || folio_write_one(m, page))
			return false;
		__mod_node_page_state(NODE_DATA(m, page_to_nid(page)), NR_VMSCAN_WRITE, 1);
		stat->nr_pageout++;
	}
	return remove_mapping(m, page);
}

/* A lazily freed page (MADV_FREE) that no PTE wrote to since: unmapped everywhere and freed without
 * being written out, counted in pglazyfree; one written again became swap-backed during the unmap and
 * stays (shrink_folio_list's lazyfree case). */
static bool reclaim_lazyfree(struct machine *m, struct page *page)
{
	if (page->_mapcount >= 0 && !try_to_unmap(m, page))
		return false;
	if (page_ref_count(page) != 1 || test_bit_flag(page, PG_dirty))
		return false;
	count_vm_event(m, PGLAZYFREED);
	put_page(m, page);
	return true;
}

/* The reclaim of one page: a lazily freed one is dropped, a swap-backed anonymous one swapped out, a
 * page-cache page written if need be and dropped; shmem pages stay. */
static bool reclaim_folio(struct machine *m, struct page *page, struct scan_control *sc, struct reclaim_stat *stat)
{
	if (!PageAnon(page))
		return !test_bit_flag(page, PG_swapbacked) && reclaim_file(m, page, sc, stat);
	if (!test_bit_flag(page, PG_swapbacked))
		return reclaim_lazyfree(m, page);
	return pageout_anon(m, page, sc, stat) && remove_mapping(m, page);
}

/* shrink_folio_list: each isolated folio activated, kept, or reclaimed; the kept ones stay on list.
 * ignore_references (MADV_PAGEOUT) reclaims without asking the PTEs. A huge folio to reclaim is
 * split first, its pages joining the list (no THP swap-out). Shmem pages are kept: their swap-out is
 * not modelled (mm/vmscan.c). */
unsigned long shrink_folio_list(struct machine *m, struct list_head *list, struct scan_control *sc,
				struct reclaim_stat *stat, bool ignore_references)
{
	unsigned long nr_reclaimed = 0;
	struct list_head ret = LIST_HEAD_INIT(ret);

	while (!list_empty(list)) {
		struct page *page = list_entry(list->next, struct page, lru);
		enum folio_references ref;

		/* folio_check_dirty_writeback: dirty page-cache pages (flushers' work) are counted */
		if (!PageAnon(page) && !test_bit_flag(page, PG_swapbacked) && test_bit_flag(page, PG_dirty))
			stat->nr_dirty++;
		ref = !folio_evictable(page) ? FOLIOREF_ACTIVATE
		      : ignore_references    ? FOLIOREF_RECLAIM
					     : folio_check_references(m, page);
		list_del(&page->lru);
		if (ref == FOLIOREF_RECLAIM && PageHead(page) && PageAnon(page) && split_folio_to_list(m, page, list))
			ref = FOLIOREF_ACTIVATE;
		if (ref == FOLIOREF_RECLAIM && reclaim_folio(m, page, sc, stat)) {
			nr_reclaimed++;
			continue;
		}
		if (ref == FOLIOREF_KEEP)
			stat->nr_ref_keep++;
		if (!folio_evictable(page)) {
			/* activate_locked: an mlocked page gives up its swap slot, is not activated */
			if (PageSwapCache(page))
				folio_free_swap(m, page);
		} else if (ref == FOLIOREF_ACTIVATE ||
			   (ref == FOLIOREF_RECLAIM && PageAnon(page) && !PageSwapCache(page))) {
			set_page_flag(page, PG_active);
			stat->nr_activate++;
		}
		list_add_tail(&page->lru, &ret);
	}
	while (!list_empty(&ret))
		list_move_tail(ret.next, list);
	count_vm_events(m, PGACTIVATE, stat->nr_activate);
	return nr_reclaimed;
}

/* The isolation counter of the list a page is taken from (NR_ISOLATED_ANON + folio_is_file_lru). */
static void mod_isolated(struct machine *m, const struct page *page, long nr)
{
	__mod_node_page_state(NODE_DATA(m, page_to_nid(page)),
			      test_bit_flag(page, PG_swapbacked) ? NR_ISOLATED_ANON : NR_ISOLATED_FILE, nr);
}

bool folio_isolate_lru(struct machine *m, struct page *page)
{
	if (!PageLRU(page))
		return false;
	lruvec_del_folio(m, page);
	get_page(page);
	mod_isolated(m, page, (long)folio_nr_pages(page));
	return true;
}

unsigned long reclaim_pages(struct machine *m, struct list_head *list)
{
	struct scan_control sc = { .gfp_mask = GFP_KERNEL, .priority = DEF_PRIORITY, .may_swap = true };
	struct reclaim_stat stat = { 0 };
	unsigned long nr_reclaimed;
	struct page *page;

	/* The isolation ends as shrink_folio_list takes them (a lazily freed page may turn swap-backed). */
	list_for_each_entry(page, list, lru)
		mod_isolated(m, page, -(long)folio_nr_pages(page));
	nr_reclaimed = shrink_folio_list(m, list, &sc, &stat, true);
	while (!list_empty(list)) {
		page = list_entry(list->next, struct page, lru);
		list_del(&page->lru);
		lruvec_add_folio(m, page);	/* folio_putback_lru */
		put_page(m, page);
	}
	return nr_reclaimed;
}

/* lru_note_cost: what reclaiming a kind cost (I/O weighs SWAP_CLUSTER_MAX, a rotation 1), decayed
 * when the costs outgrow a quarter of the lists (mm/swap.c). */
static void lru_note_cost(struct machine *m, pg_data_t *pgdat, bool file, unsigned long nr_io,
			  unsigned long nr_rotated)
{
	struct lruvec *lruvec = &pgdat->__lruvec;
	unsigned long cost = nr_io * SWAP_CLUSTER_MAX + nr_rotated, size = 0;

	*(file ? &lruvec->file_cost : &lruvec->anon_cost) += cost;
	for (int lru = 0; lru < LRU_UNEVICTABLE; lru++)
		size += lruvec_lru_size(m, pgdat, (enum lru_list)lru);
	if (lruvec->anon_cost + lruvec->file_cost > size / 4) {
		lruvec->anon_cost /= 2;
		lruvec->file_cost /= 2;
	}
}

static const char *reclaim_flags(bool file)
{
	return file ? "RECLAIM_WB_FILE|RECLAIM_WB_ASYNC" : "RECLAIM_WB_ANON|RECLAIM_WB_ASYNC";
}

void trace_shrink_inactive(struct machine *m, const pg_data_t *pgdat, unsigned long nr_scanned,
			   unsigned long nr_reclaimed, const struct reclaim_stat *stat, int priority, bool file)
{
	if (trace_enabled(m, mm_vmscan_lru_shrink_inactive))
		trace_emit(m, TP_mm_vmscan_lru_shrink_inactive,
			   "nid=%d nr_scanned=%lu nr_reclaimed=%lu nr_dirty=%lu nr_writeback=0 nr_congested=0 "
			   "nr_immediate=0 nr_activate_anon=%lu nr_activate_file=%lu nr_ref_keep=%lu nr_unmap_fail=%lu "
			   "priority=%d flags=%s", pgdat->node_id, nr_scanned, nr_reclaimed, stat->nr_dirty, file ? 0 : stat->nr_activate,
			   file ? stat->nr_activate : 0, stat->nr_ref_keep, stat->nr_unmap_fail, priority,
			   reclaim_flags(file));
}

/* shrink_inactive_list (mm/vmscan.c). */
static unsigned long shrink_inactive_list(struct machine *m, unsigned long nr_to_scan, pg_data_t *pgdat,
					  struct scan_control *sc, enum lru_list lru)
{
	bool file = lru & LRU_FILE;
	struct reclaim_stat stat = { 0 };
	struct list_head list = LIST_HEAD_INIT(list);
	unsigned long nr_taken = isolate_lru_folios(m, pgdat, nr_to_scan, &list, lru), nr_reclaimed;

	count_vm_events(m, sc->kswapd ? PGSCAN_KSWAPD : PGSCAN_DIRECT, nr_taken);
	count_vm_events(m, PGSCAN_ANON + file, nr_taken);
	nr_reclaimed = shrink_folio_list(m, &list, sc, &stat, false);
	putback_isolated(m, pgdat, &list, lru, nr_taken);
	count_vm_events(m, sc->kswapd ? PGSTEAL_KSWAPD : PGSTEAL_DIRECT, nr_reclaimed);
	count_vm_events(m, PGSTEAL_ANON + file, nr_reclaimed);
	lru_note_cost(m, pgdat, file, stat.nr_pageout, nr_taken - nr_reclaimed);
	trace_shrink_inactive(m, pgdat, nr_taken, nr_reclaimed, &stat, sc->priority, file);
	return nr_reclaimed;
}

/* shrink_active_list: pages from the tail of an active list go to the inactive one; their young
 * PTEs are made old on the way, so that the inactive list sees fresh references. A referenced page
 * of an executable file mapping takes one more trip round the active list instead (nr_rotated)
 * (mm/vmscan.c). */
static void shrink_active_list(struct machine *m, unsigned long nr_to_scan, pg_data_t *pgdat,
			       struct scan_control *sc, enum lru_list lru)
{
	struct list_head list = LIST_HEAD_INIT(list), l_active = LIST_HEAD_INIT(l_active);
	unsigned long nr_taken = isolate_lru_folios(m, pgdat, nr_to_scan, &list, lru);
	unsigned long vm_flags, nr_activate, nr_deactivate, nr_rotated = 0;
	struct page *page, *next;

	count_vm_events(m, PGREFILL, nr_taken);
	list_for_each_entry_safe(page, next, &list, lru) {
		if (folio_evictable(page) && folio_referenced(m, page, &vm_flags) &&
		    executable_file_folio(page, vm_flags)) {
			nr_rotated += folio_nr_pages(page);
			list_move_tail(&page->lru, &l_active);
			continue;
		}
		clear_page_flag(page, PG_active);
		set_page_flag(page, PG_workingset);
	}
	nr_activate = move_folios_to_lru(m, &l_active);
	nr_deactivate = putback_isolated(m, pgdat, &list, lru, nr_taken);
	count_vm_events(m, PGDEACTIVATE, nr_deactivate);
	if (trace_enabled(m, mm_vmscan_lru_shrink_active))
		trace_emit(m, TP_mm_vmscan_lru_shrink_active,
			   "nid=%d nr_taken=%lu nr_active=%lu nr_deactivated=%lu nr_referenced=%lu priority=%d flags=%s",
			   pgdat->node_id, nr_taken, nr_activate, nr_deactivate, nr_rotated, sc->priority,
			   reclaim_flags(lru & LRU_FILE));
}

static unsigned long int_sqrt(unsigned long x)
{
	unsigned long r = 0;

	while ((r + 1) * (r + 1) <= x)
		r++;
	return r;
}

/* inactive_is_low: the inactive list is smaller than the active one over inactive_ratio, which
 * grows with the square root of the lists' size in GiB (mm/vmscan.c). */
static bool inactive_is_low(struct machine *m, pg_data_t *pgdat, enum lru_list inactive_lru)
{
	unsigned long inactive = lruvec_lru_size(m, pgdat, inactive_lru);
	unsigned long active = lruvec_lru_size(m, pgdat, inactive_lru + LRU_ACTIVE);
	unsigned long gb = (inactive + active) >> (30 - PAGE_SHIFT);

	return inactive * (gb ? int_sqrt(10 * gb) : 1) < active;
}

static unsigned long shrink_list(struct machine *m, enum lru_list lru, unsigned long nr_to_scan, pg_data_t *pgdat,
				 struct scan_control *sc)
{
	if (lru & LRU_ACTIVE) {
		if (inactive_is_low(m, pgdat, lru - LRU_ACTIVE))
			shrink_active_list(m, nr_to_scan, pgdat, sc, lru);
		return 0;
	}
	return shrink_inactive_list(m, nr_to_scan, pgdat, sc, lru);
}

enum scan_balance { SCAN_EQUAL, SCAN_FRACT, SCAN_ANON, SCAN_FILE };

/* The balance and, for SCAN_FRACT, the anon and file fractions of get_scan_count. */
static enum scan_balance scan_balance(struct machine *m, pg_data_t *pgdat, struct scan_control *sc,
				      unsigned long fraction[2])
{
	const struct lruvec *lruvec = &pgdat->__lruvec;
	unsigned long swappiness = (unsigned long)m->sysctl.swappiness, anon_cost, file_cost, total_cost;

	if (!sc->may_swap || get_nr_swap_pages(m) <= 0)
		return SCAN_FILE;
	if (!sc->priority && swappiness)
		return SCAN_EQUAL;
	if (sc->file_is_tiny)
		return SCAN_ANON;
	total_cost = lruvec->anon_cost + lruvec->file_cost;
	anon_cost = total_cost + lruvec->anon_cost;
	file_cost = total_cost + lruvec->file_cost;
	total_cost = anon_cost + file_cost;
	fraction[0] = swappiness * (total_cost + 1) / (anon_cost + 1);
	fraction[1] = (200 - swappiness) * (total_cost + 1) / (file_cost + 1);
	return SCAN_FRACT;
}

/* get_scan_count: how many pages of each list this round scans (mm/vmscan.c). */
void get_scan_count(struct machine *m, pg_data_t *pgdat, struct scan_control *sc,
		    unsigned long nr[NR_LRU_LISTS])
{
	unsigned long fraction[2] = { 0, 0 };
	enum scan_balance balance = scan_balance(m, pgdat, sc, fraction);
	unsigned long denominator = fraction[0] + fraction[1];

	for (int lru = 0; lru < LRU_UNEVICTABLE; lru++) {
		bool file = lru & LRU_FILE;
		unsigned long scan = lruvec_lru_size(m, pgdat, (enum lru_list)lru) >> sc->priority;

		if (balance == SCAN_FRACT)
			scan = denominator ? (scan * fraction[file] + denominator - 1) / denominator : 0;
		else if (balance != SCAN_EQUAL && file != (balance == SCAN_FILE))
			scan = 0;
		nr[lru] = scan;
	}
	nr[LRU_UNEVICTABLE] = 0;
}

/* shrink_lruvec: the lists in SWAP_CLUSTER_MAX bites until the counts are scanned or enough is
 * reclaimed; then the anon lists rebalanced (mm/vmscan.c). */
static void shrink_lruvec(struct machine *m, pg_data_t *pgdat, struct scan_control *sc)
{
	unsigned long nr[NR_LRU_LISTS];

	get_scan_count(m, pgdat, sc, nr);
	while ((nr[LRU_INACTIVE_ANON] || nr[LRU_ACTIVE_FILE] || nr[LRU_INACTIVE_FILE]) &&
	       sc->nr_reclaimed < sc->nr_to_reclaim) {
		for (int lru = 0; lru < LRU_UNEVICTABLE; lru++) {
			unsigned long n = nr[lru] < SWAP_CLUSTER_MAX ? nr[lru] : SWAP_CLUSTER_MAX;

			nr[lru] -= n;
			if (n)
				sc->nr_reclaimed += shrink_list(m, (enum lru_list)lru, n, pgdat, sc);
		}
	}
	if (get_nr_swap_pages(m) > 0 && inactive_is_low(m, pgdat, LRU_INACTIVE_ANON))
		shrink_active_list(m, SWAP_CLUSTER_MAX, pgdat, sc, LRU_ACTIVE_ANON);
}

/* The eligible zones' free pages and high watermarks summed. */
static void node_free_and_high(const pg_data_t *pgdat, enum zone_type reclaim_idx, unsigned long *free,
			       unsigned long *high)
{
	*free = *high = 0;
	for (int z = 0; z <= (int)reclaim_idx && z < MAX_NR_ZONES; z++) {
		*free += zone_page_state(&pgdat->node_zones[z], NR_FREE_PAGES);
		*high += high_wmark_pages(&pgdat->node_zones[z]);
	}
}

/* shrink_node: the multi-gen LRU's own, or file_is_tiny decided (prepare_scan_control) and the
 * lists; then the shrinkers (mm/vmscan.c). */
static void shrink_node(struct machine *m, pg_data_t *pgdat, struct scan_control *sc)
{
	unsigned long free, high, before = sc->nr_reclaimed;
	unsigned long file = lruvec_lru_size(m, pgdat, LRU_INACTIVE_FILE) + lruvec_lru_size(m, pgdat, LRU_ACTIVE_FILE);

	if (lru_gen_enabled(m)) {
		lru_gen_shrink_node(m, pgdat, sc);
	} else {
		node_free_and_high(pgdat, sc->reclaim_idx, &free, &high);
		sc->file_is_tiny = file + free <= high && !inactive_is_low(m, pgdat, LRU_INACTIVE_ANON) &&
				   lruvec_lru_size(m, pgdat, LRU_INACTIVE_ANON) >> sc->priority;
		shrink_lruvec(m, pgdat, sc);
		if (sc->nr_reclaimed > before)
			pgdat->kswapd_failures = 0;
	}
	shrink_shadow_nodes(m, pgdat);	/* shrink_slab */
	deferred_split_shrink(m, pgdat, sc->priority);
}

/* do_try_to_free_pages: every node, the local one first, at rising pressure until enough is
 * reclaimed (mm/vmscan.c). */
static void do_try_to_free_pages(struct machine *m, int nid, struct scan_control *sc)
{
	__count_zid_vm_events(m, ALLOCSTALL_DMA, sc->reclaim_idx, 1);
	do {
		for (int i = 0; i < m->nr_node_ids && sc->nr_reclaimed < sc->nr_to_reclaim; i++)
			shrink_node(m, NODE_DATA(m, (nid + i) % m->nr_node_ids), sc);
	} while (sc->nr_reclaimed < sc->nr_to_reclaim && --sc->priority >= 0);
}

unsigned long try_to_free_pages(struct machine *m, gfp_t gfp, unsigned int order, enum zone_type highest_zoneidx,
				int nid)
{
	struct scan_control sc = {
		.nr_to_reclaim = SWAP_CLUSTER_MAX,
		.gfp_mask = gfp,
		.order = (int)order,
		.priority = DEF_PRIORITY,
		.reclaim_idx = highest_zoneidx,
		.may_swap = true,
	};

	if (trace_enabled(m, mm_vmscan_direct_reclaim_begin)) {
		struct seq_file s;

		seq_init(&s);
		format_gfp_flags(&s, gfp);
		trace_emit(m, TP_mm_vmscan_direct_reclaim_begin, "order=%u gfp_flags=%s", order, s.buf ? s.buf : "none");
		seq_release(&s);
	}
	m->pf_memalloc++;
	do_try_to_free_pages(m, nid, &sc);
	m->pf_memalloc--;
	if (trace_enabled(m, mm_vmscan_direct_reclaim_end))
		trace_emit(m, TP_mm_vmscan_direct_reclaim_end, "nr_reclaimed=%lu", sc.nr_reclaimed);
	return sc.nr_reclaimed;
}

/* ---- kswapd ---- */

/* kswapd_nap_ns: the short sleep after balancing (HZ/10) during which a new wakeup counts as
 * kswapd_low_wmark_hit_quickly (kswapd_try_to_sleep). */
#define KSWAPD_NAP_NS 100000000ULL

/* pgdat_balanced: some eligible zone is above its high watermark for the order (mm/vmscan.c). */
static bool pgdat_balanced(pg_data_t *pgdat, int order, enum zone_type highest_zoneidx)
{
	for (int z = 0; z <= (int)highest_zoneidx && z < MAX_NR_ZONES; z++) {
		struct zone *zone = &pgdat->node_zones[z];

		if (populated_zone(zone) && zone_watermark_ok(zone, (unsigned int)order, high_wmark_pages(zone),
							      (int)highest_zoneidx, 0))
			return true;
	}
	return false;
}

void wakeup_kswapd(struct machine *m, struct zone *zone, gfp_t gfp, unsigned int order,
		   enum zone_type highest_zoneidx)
{
	pg_data_t *pgdat = zone->zone_pgdat;

	if (pgdat->kswapd_failures >= MAX_RECLAIM_RETRIES || pgdat_balanced(pgdat, (int)order, highest_zoneidx))
		return;
	if (trace_enabled(m, mm_vmscan_wakeup_kswapd)) {
		struct seq_file s;

		seq_init(&s);
		format_gfp_flags(&s, gfp);
		trace_emit(m, TP_mm_vmscan_wakeup_kswapd, "nid=%d order=%u gfp_flags=%s", pgdat->node_id, order,
			   s.buf ? s.buf : "none");
		seq_release(&s);
	}
	if (!pgdat->kswapd_woken && pgdat->kswapd_sleep_ns && m->now_ns - pgdat->kswapd_sleep_ns < KSWAPD_NAP_NS)
		count_vm_event(m, KSWAPD_LOW_WMARK_HIT_QUICKLY);
	if (!pgdat->kswapd_woken || (int)order > pgdat->kswapd_order)
		pgdat->kswapd_order = (int)order;
	if (!pgdat->kswapd_woken || highest_zoneidx > pgdat->kswapd_highest_zoneidx)
		pgdat->kswapd_highest_zoneidx = highest_zoneidx;
	pgdat->kswapd_woken = true;
}

/* The pages kswapd aims to reclaim in one pass over the node: the eligible zones' high watermarks
 * (kswapd_shrink_node). */
static unsigned long kswapd_reclaim_target(const pg_data_t *pgdat, enum zone_type highest_zoneidx)
{
	unsigned long free, high;

	node_free_and_high(pgdat, highest_zoneidx, &free, &high);
	return high > SWAP_CLUSTER_MAX ? high : SWAP_CLUSTER_MAX;
}

/* balance_pgdat: reclaim at rising pressure until the node is balanced (mm/vmscan.c). */
static void balance_pgdat(struct machine *m, pg_data_t *pgdat, int order, enum zone_type highest_zoneidx)
{
	struct scan_control sc = {
		.gfp_mask = GFP_KERNEL,
		.order = order,
		.priority = DEF_PRIORITY,
		.reclaim_idx = highest_zoneidx,
		.may_swap = true,
		.kswapd = true,
	};
	unsigned long total = 0;

	count_vm_event(m, PAGEOUTRUN);
	m->pf_memalloc++;
	while (sc.priority >= 1 && !pgdat_balanced(pgdat, order, highest_zoneidx)) {
		sc.nr_to_reclaim = kswapd_reclaim_target(pgdat, highest_zoneidx);
		sc.nr_reclaimed = 0;
		if (lru_gen_enabled(m))
			lru_gen_age_node(m, pgdat, &sc);	/* kswapd_age_node */
		shrink_node(m, pgdat, &sc);
		total += sc.nr_reclaimed;
		if (sc.nr_reclaimed < sc.nr_to_reclaim)
			sc.priority--;
	}
	m->pf_memalloc--;
	if (!total)
		pgdat->kswapd_failures++;
}

/* zone_reclaimable_pages: the zone's file LRU pages, and its anonymous ones while there is swap to
 * put them in (mm/vmscan.c). */
unsigned long zone_reclaimable_pages(struct zone *zone)
{
	unsigned long nr = zone_page_state(zone, NR_ZONE_INACTIVE_FILE) + zone_page_state(zone, NR_ZONE_ACTIVE_FILE);

	if (get_nr_swap_pages(zone_machine(zone)) > 0)
		nr += zone_page_state(zone, NR_ZONE_INACTIVE_ANON) + zone_page_state(zone, NR_ZONE_ACTIVE_ANON);
	return nr;
}

/* kswapd: one turn of a woken node's thread: balance until the node is balanced or reclaim keeps
 * failing (the condition prepare_kswapd_sleep puts on sleeping), then sleep (mm/vmscan.c). */
static void kswapd(struct machine *m, void *data)
{
	pg_data_t *pgdat = data;
	int nid = pgdat->node_id;

	if (trace_enabled(m, mm_vmscan_kswapd_wake))
		trace_emit(m, TP_mm_vmscan_kswapd_wake, "nid=%d order=%d", nid, pgdat->kswapd_order);
	do
		balance_pgdat(m, pgdat, pgdat->kswapd_order, pgdat->kswapd_highest_zoneidx);
	while (!pgdat_balanced(pgdat, pgdat->kswapd_order, pgdat->kswapd_highest_zoneidx) &&
	       pgdat->kswapd_failures < MAX_RECLAIM_RETRIES);
	pgdat->kswapd_woken = false;
	pgdat->kswapd_sleep_ns = m->now_ns;
	if (trace_enabled(m, mm_vmscan_kswapd_sleep))
		trace_emit(m, TP_mm_vmscan_kswapd_sleep, "nid=%d", nid);
}

/* kswapd_try_to_sleep's other side: the thread runs once woken (wakeup_kswapd). */
static bool kswapd_woken(struct machine *m, void *data)
{
	(void)m;
	return ((pg_data_t *)data)->kswapd_woken;
}

int kswapd_init(struct machine *m)
{
	for (int nid = 0; nid < m->nr_node_ids; nid++) {
		char comm[TASK_COMM_LEN];

		snprintf(comm, sizeof(comm), "kswapd%d", nid);	/* kswapd_run: the thread's name */
		if (!kthread_run(m, kswapd_woken, kswapd, NODE_DATA(m, nid), comm))
			return -ENOMEM;
	}
	return 0;
}
