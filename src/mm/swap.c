/*
 * The LRU lists (mm/swap.c, include/linux/mm_inline.h): which list a page is on, moving it there and
 * back, and the counters that follow: NR_INACTIVE_ANON... per node, NR_ZONE_INACTIVE_ANON... per
 * zone (meminfo's Active/Inactive, vmstat's nr_*).
 */
#include <mmlab/mm.h>
#include <mmlab/seq_file.h>
#include <mmlab/vmscan.h>
#include <mmlab/vmstat.h>

#include "internal.h"

/* lruvec_init (mm/mmzone.c). */
void lruvec_init(struct lruvec *lruvec)
{
	for (int lru = 0; lru < NR_LRU_LISTS; lru++)
		INIT_LIST_HEAD(&lruvec->lists[lru]);
	lruvec->anon_cost = lruvec->file_cost = 0;
}

/* folio_lru_list (include/linux/mm_inline.h). */
enum lru_list folio_lru_list(const struct page *page)
{
	enum lru_list lru;

	if (test_bit_flag(page, PG_unevictable))
		return LRU_UNEVICTABLE;
	lru = test_bit_flag(page, PG_swapbacked) ? LRU_INACTIVE_ANON : LRU_INACTIVE_FILE;
	return test_bit_flag(page, PG_active) ? lru + LRU_ACTIVE : lru;
}

/* __update_lru_size: the node's NR_LRU_BASE + lru and the zone's NR_ZONE_LRU_BASE + lru
 * (include/linux/mm_inline.h). */
void __update_lru_size(pg_data_t *pgdat, enum lru_list lru, int zid, long nr)
{
	__mod_node_page_state(pgdat, (enum node_stat_item)(NR_INACTIVE_ANON + lru), nr);
	__mod_zone_page_state(&pgdat->node_zones[zid], (enum zone_stat_item)(NR_ZONE_INACTIVE_ANON + lru), nr);
}

static void update_lru_size(struct machine *m, const struct page *page, enum lru_list lru, long nr)
{
	__update_lru_size(NODE_DATA(m, page_to_nid(page)), lru, page_zonenum(page), nr);
}

/* lruvec_add_folio (include/linux/mm_inline.h): the unevictable "list" is only a count (its pages
 * keep their mlock_count where the list pointers would be). */
void lruvec_add_folio(struct machine *m, struct page *page)
{
	enum lru_list lru = folio_lru_list(page);

	set_page_flag(page, PG_lru);
	if (lru_gen_add_folio(m, folio_lruvec(m, page), page, false))
		return;
	update_lru_size(m, page, lru, (long)folio_nr_pages(page));
	if (lru != LRU_UNEVICTABLE)
		list_add(&page->lru, &folio_lruvec(m, page)->lists[lru]);
}

/* lruvec_add_folio_tail: back to the tail, the next to be scanned (folio_rotate_reclaimable). */
void lruvec_add_folio_tail(struct machine *m, struct page *page)
{
	enum lru_list lru = folio_lru_list(page);

	set_page_flag(page, PG_lru);
	if (lru_gen_add_folio(m, folio_lruvec(m, page), page, true))
		return;
	update_lru_size(m, page, lru, (long)folio_nr_pages(page));
	list_add_tail(&page->lru, &folio_lruvec(m, page)->lists[lru]);
}

/* lruvec_del_folio (include/linux/mm_inline.h). */
void lruvec_del_folio(struct machine *m, struct page *page)
{
	enum lru_list lru;

	clear_page_flag(page, PG_lru);
	if (lru_gen_del_folio(m, folio_lruvec(m, page), page, false))
		return;
	lru = folio_lru_list(page);
	update_lru_size(m, page, lru, -(long)folio_nr_pages(page));
	if (lru != LRU_UNEVICTABLE)
		list_del(&page->lru);
}

/* lru_gen_is_active: the two youngest generations count as the active lists
 * (include/linux/mm_inline.h). */
static bool lru_gen_is_active(const struct lruvec *lruvec, int gen)
{
	unsigned long max_seq = lruvec->lrugen.max_seq;

	return gen == lru_gen_from_seq(max_seq) || gen == lru_gen_from_seq(max_seq - 1);
}

void lru_gen_update_size(struct machine *m, struct lruvec *lruvec, const struct page *page, int old_gen, int new_gen)
{
	int type = folio_is_file_lru(page), zone = page_zonenum(page);
	enum lru_list lru = (enum lru_list)(type * LRU_INACTIVE_FILE);
	pg_data_t *pgdat = NODE_DATA(m, page_to_nid(page));
	struct lru_gen_folio *lrugen = &lruvec->lrugen;
	long delta = (long)folio_nr_pages(page);

	if (old_gen >= 0)
		lrugen->nr_pages[old_gen][type][zone] -= delta;
	if (new_gen >= 0)
		lrugen->nr_pages[new_gen][type][zone] += delta;
	if (old_gen < 0)
		__update_lru_size(pgdat, lru + (lru_gen_is_active(lruvec, new_gen) ? LRU_ACTIVE : 0), zone, delta);
	else if (new_gen < 0)
		__update_lru_size(pgdat, lru + (lru_gen_is_active(lruvec, old_gen) ? LRU_ACTIVE : 0), zone, -delta);
	else if (!lru_gen_is_active(lruvec, old_gen) && lru_gen_is_active(lruvec, new_gen)) {
		__update_lru_size(pgdat, lru, zone, -delta);
		__update_lru_size(pgdat, lru + LRU_ACTIVE, zone, delta);
	}
}

/* lru_gen_folio_seq: where a page joins: an active one (set while isolated) among the youngest,
 * one rotated by reclaim at the oldest possible, a new anonymous page (not in the swap cache) in
 * the second oldest, any other a generation younger if in the workingset (mm_inline.h). */
unsigned long lru_gen_folio_seq(const struct lruvec *lruvec, const struct page *page, bool reclaiming)
{
	const struct lru_gen_folio *lrugen = &lruvec->lrugen;
	unsigned long gen, seq;
	int type = folio_is_file_lru(page);

	if (test_bit_flag(page, PG_active))
		gen = MIN_NR_GENS - test_bit_flag(page, PG_workingset);
	else if (reclaiming)
		gen = MAX_NR_GENS;
	else if (!folio_is_file_lru(page) && !PageSwapCache(page))
		gen = MIN_NR_GENS;
	else
		gen = MAX_NR_GENS - test_bit_flag(page, PG_workingset);
	seq = lrugen->max_seq - gen + 1;
	return seq > lrugen->min_seq[type] ? seq : lrugen->min_seq[type];
}

bool lru_gen_add_folio(struct machine *m, struct lruvec *lruvec, struct page *page, bool reclaiming)
{
	struct lru_gen_folio *lrugen = &lruvec->lrugen;
	int type = folio_is_file_lru(page), zone = page_zonenum(page), gen;

	if (test_bit_flag(page, PG_unevictable) || !lrugen->enabled)
		return false;
	gen = lru_gen_from_seq(lru_gen_folio_seq(lruvec, page, reclaiming));
	page->flags = (page->flags & ~(LRU_GEN_MASK | (1UL << PG_active))) | ((gen + 1UL) << LRU_GEN_PGOFF);
	lru_gen_update_size(m, lruvec, page, -1, gen);
	if (reclaiming)
		list_add_tail(&page->lru, &lrugen->folios[gen][type][zone]);
	else
		list_add(&page->lru, &lrugen->folios[gen][type][zone]);
	return true;
}

/* lru_gen_del_folio: off its generation; an active one keeps PG_active for whoever puts it back,
 * unless reclaim isolated it. */
bool lru_gen_del_folio(struct machine *m, struct lruvec *lruvec, struct page *page, bool reclaiming)
{
	int gen = folio_lru_gen(page);

	if (gen < 0)
		return false;
	page->flags &= ~LRU_GEN_MASK;
	if (!reclaiming && lru_gen_is_active(lruvec, gen))
		set_page_flag(page, PG_active);
	lru_gen_update_size(m, lruvec, page, gen, -1);
	list_del(&page->lru);
	return true;
}

/* folio_add_lru: the kernel batches these per CPU (lru_add); the machine adds at once. A page that
 * may not be reclaimed goes to the unevictable list with an mlock_count of 0: an undercount that
 * reclaim corrects when it finds the page in a VM_LOCKED VMA. With the multi-gen LRU a page a
 * fault brings in is active: its PTE is young already (mm/swap.c). */
void folio_add_lru(struct machine *m, struct page *page)
{
	bool was_unevictable = test_bit_flag(page, PG_unevictable);

	if (folio_evictable(page)) {
		clear_page_flag(page, PG_unevictable);
		if (was_unevictable)
			count_vm_event(m, UNEVICTABLE_PGRESCUED);
	} else {
		clear_page_flag(page, PG_active);
		set_page_flag(page, PG_unevictable);
		page->mlock_count = 0;
		if (!was_unevictable)
			count_vm_event(m, UNEVICTABLE_PGCULLED);
	}
	if (lru_gen_enabled(m) && !test_bit_flag(page, PG_unevictable) && m->in_lru_fault && !m->pf_memalloc)
		set_page_flag(page, PG_active);
	lruvec_add_folio(m, page);
}

/* folio_deactivate: an active page (any page, with the multi-gen LRU) moves to the head of its
 * inactive list, unreferenced; counted in pgdeactivate (mm/swap.c lru_deactivate). MADV_COLD. */
void folio_deactivate(struct machine *m, struct page *page)
{
	if (!PageLRU(page) || test_bit_flag(page, PG_unevictable) ||
	    !(test_bit_flag(page, PG_active) || lru_gen_enabled(m)))
		return;
	lruvec_del_folio(m, page);
	clear_page_flag(page, PG_active);
	clear_page_flag(page, PG_referenced);
	lruvec_add_folio(m, page);
	count_vm_events(m, PGDEACTIVATE, folio_nr_pages(page));
}

/* folio_mark_lazyfree: a clean private anonymous page the process no longer needs stops being
 * swap-backed and joins the inactive file list, where reclaim frees it without writing it out unless
 * it is written again; counted in pglazyfree (mm/swap.c lru_lazyfree). MADV_FREE. */
void folio_mark_lazyfree(struct machine *m, struct page *page)
{
	if (!PageLRU(page) || !PageAnon(page) || !test_bit_flag(page, PG_swapbacked) || PageSwapCache(page) ||
	    test_bit_flag(page, PG_unevictable))
		return;
	lruvec_del_folio(m, page);
	clear_page_flag(page, PG_active);
	clear_page_flag(page, PG_referenced);
	clear_page_flag(page, PG_swapbacked);
	lruvec_add_folio(m, page);
	count_vm_events(m, PGLAZYFREE, folio_nr_pages(page));
}

/* lru_gen_inc_refs: a use through a file descriptor under the multi-gen LRU: PG_referenced first,
 * then LRU_REFS counts the uses up to its maximum, past which the page is in the workingset
 * (mm/swap.c). The tier of a page follows from the count (lru_tier_from_refs). */
static void lru_gen_inc_refs(struct page *page)
{
	if (test_bit_flag(page, PG_unevictable))
		return;
	if (!test_bit_flag(page, PG_referenced)) {
		page->flags = (page->flags & ~LRU_REFS_MASK) | (1UL << PG_referenced);
		return;
	}
	if ((page->flags & LRU_REFS_MASK) == LRU_REFS_MASK)
		set_page_flag(page, PG_workingset);
	else
		page->flags += 1UL << LRU_REFS_PGOFF;
}

/* folio_mark_accessed (mm/swap.c): the first use sets PG_referenced; a second activates an
 * inactive page on its LRU (folio_activate), clears the flag again and moves the workingset clock
 * (workingset_activation). The multi-gen LRU counts the uses instead. */
void folio_mark_accessed(struct machine *m, struct page *page)
{
	if (lru_gen_enabled(m)) {
		lru_gen_inc_refs(page);
		return;
	}
	if (!test_bit_flag(page, PG_referenced)) {
		set_page_flag(page, PG_referenced);
		return;
	}
	if (test_bit_flag(page, PG_unevictable) || test_bit_flag(page, PG_active) || !PageLRU(page))
		return;
	lruvec_del_folio(m, page);
	set_page_flag(page, PG_active);
	lruvec_add_folio(m, page);
	clear_page_flag(page, PG_referenced);
	count_vm_event(m, PGACTIVATE);
	workingset_activation(m, page);
}

void folio_add_lru_vma(struct machine *m, struct page *page, const struct vm_area_struct *vma)
{
	if ((vma->vm_flags & (VM_LOCKED | VM_SPECIAL)) == VM_LOCKED)
		mlock_new_folio(m, page);
	else
		folio_add_lru(m, page);
}

unsigned long lruvec_lru_size(const struct machine *m, const pg_data_t *pgdat, enum lru_list lru)
{
	(void)m;
	return node_page_state(pgdat, (enum node_stat_item)(NR_INACTIVE_ANON + lru));
}

/* What lru_check counts: pages per LRU list and zone, from the lists themselves. */
struct lru_census {
	long zone_count[NR_LRU_LISTS][MAX_NR_ZONES];
};

static void check_page(struct machine *m, pg_data_t *pgdat, struct page *page, bool on_lru, const char *list,
		       struct seq_file *report, int *errors)
{
	unsigned long pfn = page_to_pfn(m, page);

	if (!PageLRU(page) || page_to_nid(page) != pgdat->node_id || !on_lru)
		check_report(report, errors, "node %d %s: pfn %#lx is flagged %#lx on node %d", pgdat->node_id, list,
			     pfn, page->flags & PAGE_FLAGS_CHECK_AT_PREP, page_to_nid(page));
	if (page_ref_count(page) <= 0)
		check_report(report, errors, "node %d %s: pfn %#lx has refcount %d", pgdat->node_id, list, pfn,
			     page_ref_count(page));
	/* PG_readahead marks page-cache pages only (the bit is PG_reclaim, for pages under writeback) */
	if (test_bit_flag(page, PG_readahead) &&
	    (!page->mapping || PageAnon(page) || test_bit_flag(page, PG_swapbacked) || test_bit_flag(page, PG_writeback)))
		check_report(report, errors, "node %d %s: pfn %#lx is marked PG_readahead but is no page-cache page",
			     pgdat->node_id, list, pfn);
}

/* One classic list: each page flagged PG_lru, on its node, on the list its flags name, on no
 * generation. */
static void check_list(struct machine *m, pg_data_t *pgdat, enum lru_list lru, struct lru_census *c,
		       struct seq_file *report, int *errors)
{
	struct page *page;

	list_for_each_entry(page, &pgdat->__lruvec.lists[lru], lru) {
		c->zone_count[lru][page_zonenum(page)] += (long)folio_nr_pages(page);
		check_page(m, pgdat, page, folio_lru_list(page) == lru && folio_lru_gen(page) < 0, "lru", report, errors);
	}
}

/* One generation list: its pages of its type and zone, each in a generation from min_seq to max_seq
 * (not always this list's: the aging promotes pages in place); counted by the generation they are in. */
static void check_gen_list(struct machine *m, pg_data_t *pgdat, int gen, int type, int zone,
			   long nr[MAX_NR_GENS][ANON_AND_FILE][MAX_NR_ZONES], struct seq_file *report, int *errors)
{
	const struct lru_gen_folio *lrugen = &pgdat->__lruvec.lrugen;
	struct page *page;

	list_for_each_entry(page, &lrugen->folios[gen][type][zone], lru) {
		int g = folio_lru_gen(page);
		bool in_window = false;

		for (unsigned long seq = lrugen->min_seq[type]; seq <= lrugen->max_seq && g >= 0; seq++)
			in_window |= lru_gen_from_seq(seq) == g;
		check_page(m, pgdat, page,
			   in_window && folio_is_file_lru(page) == type && (int)page_zonenum(page) == zone &&
				   !test_bit_flag(page, PG_active) && !test_bit_flag(page, PG_unevictable),
			   "lru_gen", report, errors);
		if (g >= 0)
			nr[g][type][zone] += (long)folio_nr_pages(page);
	}
}

/* The generations of a node: the sequence numbers in range, the lists against nr_pages, and their
 * pages in the census as the active (the two youngest generations) or inactive lists. */
static void check_lrugen(struct machine *m, pg_data_t *pgdat, struct lru_census *c, struct seq_file *report,
			 int *errors)
{
	const struct lru_gen_folio *lrugen = &pgdat->__lruvec.lrugen;
	long nr[MAX_NR_GENS][ANON_AND_FILE][MAX_NR_ZONES] = { { { 0 } } };

	for (int type = 0; type < ANON_AND_FILE; type++) {
		unsigned long n = lrugen->max_seq - lrugen->min_seq[type] + 1;

		if (lrugen->min_seq[type] > lrugen->max_seq || n < MIN_NR_GENS || n > MAX_NR_GENS)
			check_report(report, errors, "node %d lru_gen: type %d has min_seq %lu, max_seq %lu", pgdat->node_id,
				     type, lrugen->min_seq[type], lrugen->max_seq);
	}
	for (int gen = 0; gen < (int)MAX_NR_GENS; gen++)
		for (int type = 0; type < ANON_AND_FILE; type++)
			for (int zone = 0; zone < MAX_NR_ZONES; zone++)
				check_gen_list(m, pgdat, gen, type, zone, nr, report, errors);
	for (int gen = 0; gen < (int)MAX_NR_GENS; gen++)
		for (int type = 0; type < ANON_AND_FILE; type++)
			for (int zone = 0; zone < MAX_NR_ZONES; zone++) {
				bool active = gen == lru_gen_from_seq(lrugen->max_seq) ||
					      gen == lru_gen_from_seq(lrugen->max_seq - 1);

				if (nr[gen][type][zone] && !lrugen->enabled)
					check_report(report, errors, "node %d lru_gen: gen %d holds pages with the multi-gen LRU off",
						     pgdat->node_id, gen);
				if (nr[gen][type][zone] != lrugen->nr_pages[gen][type][zone])
					check_report(report, errors, "node %d lru_gen: gen %d type %d zone %d counts %ld, lists %ld",
						     pgdat->node_id, gen, type, zone, lrugen->nr_pages[gen][type][zone],
						     nr[gen][type][zone]);
				c->zone_count[type * LRU_INACTIVE_FILE + active][zone] += nr[gen][type][zone];
			}
}

/* The node and zone counters of each list against the census. */
static void check_counters(pg_data_t *pgdat, const struct lru_census *c, struct seq_file *report, int *errors)
{
	for (int lru = 0; lru < NR_LRU_LISTS; lru++) {
		long n = 0;

		for (int z = 0; z < MAX_NR_ZONES; z++) {
			n += c->zone_count[lru][z];
			if (c->zone_count[lru][z] != pgdat->node_zones[z].vm_stat[NR_ZONE_INACTIVE_ANON + lru])
				check_report(report, errors, "node %d zone %d lru %d: counter %ld, list %ld", pgdat->node_id, z,
					     lru, pgdat->node_zones[z].vm_stat[NR_ZONE_INACTIVE_ANON + lru],
					     c->zone_count[lru][z]);
		}
		if (n != pgdat->vm_stat[NR_INACTIVE_ANON + lru])
			check_report(report, errors, "node %d: %s is %ld but the list holds %ld pages", pgdat->node_id,
				     vmstat_text[NR_VM_ZONE_STAT_ITEMS + NR_VM_NUMA_EVENT_ITEMS + NR_INACTIVE_ANON + lru],
				     pgdat->vm_stat[NR_INACTIVE_ANON + lru], n);
	}
}

/* The unevictable pages are on no list: each zone's are counted from mem_map into the census, with
 * its mlocked pages (NR_MLOCK); an mlocked page on an LRU is an unevictable one. */
static void check_unevictable(struct machine *m, struct zone *zone, struct lru_census *c, struct seq_file *report,
			      int *errors)
{
	long mlocked = 0;

	for (unsigned long pfn = zone->zone_start_pfn; pfn < zone_end_pfn(zone); pfn++) {
		const struct page *page = pfn_to_page(m, pfn);
		bool unevictable_lru = PageLRU(page) && test_bit_flag(page, PG_unevictable);

		if (unevictable_lru)
			c->zone_count[LRU_UNEVICTABLE][page_zonenum(page)] += (long)folio_nr_pages(page);
		if (test_bit_flag(page, PG_mlocked))
			mlocked += (long)folio_nr_pages(page);
		if (test_bit_flag(page, PG_mlocked) && PageLRU(page) && !unevictable_lru)
			check_report(report, errors, "pfn %#lx is mlocked on an evictable LRU list", pfn);
	}
	if (mlocked != zone->vm_stat[NR_MLOCK])
		check_report(report, errors, "zone %s: nr_mlock is %ld but %ld pages are mlocked", zone->name,
			     zone->vm_stat[NR_MLOCK], mlocked);
}

int lru_check(struct machine *m, struct seq_file *report)
{
	int errors = 0;

	for (int nid = 0; nid < m->nr_node_ids; nid++) {
		pg_data_t *pgdat = NODE_DATA(m, nid);
		struct lru_census c = { { { 0 } } };

		if (pgdat->__lruvec.lrugen.enabled != lru_gen_enabled(m))
			check_report(report, &errors, "node %d: lrugen.enabled is %d, lru_gen_enabled() %d", nid,
				     pgdat->__lruvec.lrugen.enabled, lru_gen_enabled(m));
		for (int z = 0; z < MAX_NR_ZONES; z++)
			check_unevictable(m, &pgdat->node_zones[z], &c, report, &errors);
		for (int lru = 0; lru < LRU_UNEVICTABLE; lru++) {
			if (lru_gen_enabled(m) && !list_empty(&pgdat->__lruvec.lists[lru]))
				check_report(report, &errors, "node %d: lru %d is not empty with the multi-gen LRU on", nid,
					     lru);
			check_list(m, pgdat, (enum lru_list)lru, &c, report, &errors);
		}
		check_lrugen(m, pgdat, &c, report, &errors);
		check_counters(pgdat, &c, report, &errors);
	}
	return errors;
}
