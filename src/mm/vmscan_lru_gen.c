/*
 * The multi-gen LRU: the CONFIG_LRU_GEN half of mm/vmscan.c. Each node's pages are in generations
 * (struct lru_gen_folio): aging (try_to_inc_max_seq) walks every process's page tables, clears the
 * accessed bits it finds and moves those pages to the youngest generation, then opens a new one;
 * eviction (evict_folios) takes pages from the oldest generation of the type the refault feedback
 * picks, keeps those of tiers that refault more than the first, and hands the rest to the same
 * shrink_folio_list the classic LRU uses, where a young PTE found through rmap promotes the page and
 * its young neighbours (lru_gen_look_around). The switch (/sys/kernel/mm/lru_gen/enabled) moves
 * every page between the classic lists and the generations (lru_gen_change_state).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <mmlab/cmdline.h>
#include <mmlab/huge_mm.h>
#include <mmlab/mm.h>
#include <mmlab/procfs.h>
#include <mmlab/sched.h>
#include <mmlab/seq_file.h>
#include <mmlab/vmscan.h>
#include <mmlab/vmstat.h>

#include "internal.h"

#define MIN_LRU_BATCH		64UL	/* BITS_PER_LONG */
#define MAX_LRU_BATCH		(MIN_LRU_BATCH * 64)
#define MAX_SWAPPINESS		200
#define SWAPPINESS_ANON_ONLY	(MAX_SWAPPINESS + 1)
#define NSEC_PER_MSEC		1000000ULL

#define min_type(swappiness)	(!(swappiness))
#define max_type(swappiness)	((swappiness) < SWAPPINESS_ANON_ONLY)

/* evictable_min_seq: the oldest generation of the types swappiness lets reclaim evict. */
static unsigned long evictable_min_seq(const unsigned long min_seq[ANON_AND_FILE], int swappiness)
{
	unsigned long a = min_seq[min_type(swappiness)], b = min_seq[max_type(swappiness)];

	return a < b ? a : b;
}

static unsigned long get_nr_gens(const struct lruvec *lruvec, int type)
{
	return lruvec->lrugen.max_seq - lruvec->lrugen.min_seq[type] + 1;
}

/* reclaimer_offset: which of the kswapd, direct, khugepaged and proactive counters an event goes to. */
static int reclaimer_offset(const struct scan_control *sc)
{
	return sc->kswapd ? 0 : sc->proactive ? PGSCAN_PROACTIVE - PGSCAN_KSWAPD : PGSCAN_DIRECT - PGSCAN_KSWAPD;
}

/* get_swappiness: no anon reclaim without room in swap (mm/vmscan.c). */
static int get_swappiness(struct machine *m, const struct scan_control *sc)
{
	if (!sc->may_swap || get_nr_swap_pages(m) < (long)MIN_LRU_BATCH)
		return 0;
	return m->sysctl.swappiness;
}

void lru_gen_init_lruvec(struct machine *m, struct lruvec *lruvec)
{
	struct lru_gen_folio *lrugen = &lruvec->lrugen;

	memset(lrugen, 0, sizeof(*lrugen));
	lrugen->max_seq = MIN_NR_GENS + 1;
	lrugen->enabled = lru_gen_enabled(m);
	for (unsigned int i = 0; i <= MIN_NR_GENS + 1; i++)
		lrugen->timestamps[i] = m->now_ns;
	for (unsigned int gen = 0; gen < MAX_NR_GENS; gen++)
		for (int type = 0; type < ANON_AND_FILE; type++)
			for (int zone = 0; zone < MAX_NR_ZONES; zone++)
				INIT_LIST_HEAD(&lrugen->folios[gen][type][zone]);
}

/* ---- the PID controller: refaults per tier steer what is evicted ---- */

struct ctrl_pos {
	unsigned long refaulted, total;
	int gain;
};

/* read_ctrl_pos: tier's refaults and evictions (all tiers for MAX_NR_TIERS), the running averages
 * included (mm/vmscan.c). */
static void read_ctrl_pos(const struct lruvec *lruvec, int type, int tier, int gain, struct ctrl_pos *pos)
{
	const struct lru_gen_folio *lrugen = &lruvec->lrugen;
	int hist = lru_hist_from_seq(lrugen->min_seq[type]);

	pos->gain = gain;
	pos->refaulted = pos->total = 0;
	for (int i = tier % (int)MAX_NR_TIERS; i <= (tier < (int)MAX_NR_TIERS ? tier : (int)MAX_NR_TIERS - 1); i++) {
		pos->refaulted += lrugen->avg_refaulted[type][i] + lrugen->refaulted[hist][type][i];
		pos->total += lrugen->avg_total[type][i] + lrugen->protected[hist][type][i] +
			      lrugen->evicted[hist][type][i];
	}
}

/* reset_ctrl_pos: a generation's figures folded into the averages (carryover) or cleared for the
 * next one (mm/vmscan.c). */
static void reset_ctrl_pos(struct lruvec *lruvec, int type, bool carryover)
{
	struct lru_gen_folio *lrugen = &lruvec->lrugen;
	bool clear = carryover ? NR_HIST_GENS == 1 : NR_HIST_GENS > 1;
	int hist = lru_hist_from_seq(carryover ? lrugen->min_seq[type] : lrugen->max_seq + 1);

	if (!carryover && !clear)
		return;
	for (int tier = 0; tier < (int)MAX_NR_TIERS; tier++) {
		if (carryover) {
			lrugen->avg_refaulted[type][tier] =
				(lrugen->avg_refaulted[type][tier] + lrugen->refaulted[hist][type][tier]) / 2;
			lrugen->avg_total[type][tier] = (lrugen->avg_total[type][tier] +
							 lrugen->protected[hist][type][tier] +
							 lrugen->evicted[hist][type][tier]) / 2;
		}
		if (clear)
			lrugen->refaulted[hist][type][tier] = lrugen->evicted[hist][type][tier] =
				lrugen->protected[hist][type][tier] = 0;
	}
}

/* positive_ctrl_err: the process variable refaults little, or less than the setpoint. */
static bool positive_ctrl_err(const struct ctrl_pos *sp, const struct ctrl_pos *pv)
{
	return pv->refaulted < MIN_LRU_BATCH ||
	       pv->refaulted * (sp->total + MIN_LRU_BATCH) * (unsigned long)sp->gain <=
		       (sp->refaulted + 1) * pv->total * (unsigned long)pv->gain;
}

/* ---- the aging ---- */

static void set_lru_refs(struct page *page, unsigned long flags)
{
	page->flags = (page->flags & ~LRU_REFS_FLAGS) | flags;
}

/* folio_update_gen: a page found young in the page tables: the first time only PG_referenced, after
 * that the youngest generation and the workingset (mm/vmscan.c). The old generation, or -1. */
static int folio_update_gen(struct page *page, int gen)
{
	int old_gen = folio_lru_gen(page);

	if (!test_bit_flag(page, PG_referenced) && !test_bit_flag(page, PG_workingset)) {
		page->flags = (page->flags & ~LRU_REFS_MASK) | (1UL << PG_referenced);
		return -1;
	}
	if (old_gen < 0)
		return -1;
	page->flags = (page->flags & ~(LRU_GEN_MASK | LRU_REFS_FLAGS)) | ((gen + 1UL) << LRU_GEN_PGOFF) |
		      (1UL << PG_workingset);
	return old_gen;
}

/* folio_inc_gen: a page of the oldest generation moves one younger, unless the aging promoted it
 * already (mm/vmscan.c). Its generation. */
static int folio_inc_gen(struct machine *m, struct lruvec *lruvec, struct page *page)
{
	int type = folio_is_file_lru(page);
	int old_gen = lru_gen_from_seq(lruvec->lrugen.min_seq[type]), new_gen = folio_lru_gen(page);

	if (new_gen >= 0 && new_gen != old_gen)
		return new_gen;
	new_gen = (old_gen + 1) % (int)MAX_NR_GENS;
	page->flags = (page->flags & ~(LRU_GEN_MASK | LRU_REFS_FLAGS)) | ((new_gen + 1UL) << LRU_GEN_PGOFF);
	lru_gen_update_size(m, lruvec, page, old_gen, new_gen);
	return new_gen;
}

/* The folio a young PTE (or huge PMD) maps, if it is on this node's generations (get_pte_pfn,
 * get_pfn_folio). */
static struct page *young_pte_folio(struct mm_struct *mm, pteval_t v, const pg_data_t *pgdat)
{
	struct machine *m = mm->machine;
	unsigned long pfn = pte_pfn(mm->pm, v);
	struct page *page;

	if (!pte_present(v) || !(v & _PAGE_ACCESSED) || is_zero_pfn(m, pfn) || is_huge_zero_pfn(m, pfn) ||
	    pfn >= m->max_pfn)
		return NULL;
	page = page_folio(pfn_to_page(m, pfn));
	return folio_lru_gen(page) >= 0 && page_to_nid(page) == pgdat->node_id ? page : NULL;
}

/* What the aging's page-table walk carries (struct lru_gen_mm_walk). */
struct lru_gen_mm_walk {
	struct lruvec *lruvec;
	pg_data_t *pgdat;
	int swappiness;
};

/* walk_pte_range, one entry: a young PTE's folio promoted to the generation of max_seq, the accessed
 * bit cleared; swap-backed pages only while they can be swapped, page-cache pages unless only anon
 * is reclaimed (should_skip_vma) (mm/vmscan.c). */
static int walk_pte_entry(struct pt_entry pte, unsigned long addr, struct mm_walk *walk)
{
	struct lru_gen_mm_walk *w = walk->private;
	pteval_t v = ptep_get(pte);
	struct page *page = young_pte_folio(walk->mm, v, w->pgdat);
	int new_gen = lru_gen_from_seq(w->lruvec->lrugen.max_seq), old_gen;

	(void)addr;
	if (!page || (folio_is_file_lru(page) ? w->swappiness > MAX_SWAPPINESS : !w->swappiness))
		return 0;
	set_pte(pte, v & ~_PAGE_ACCESSED);
	old_gen = folio_update_gen(page, new_gen);
	if (old_gen >= 0 && old_gen != new_gen)
		lru_gen_update_size(walk->mm->machine, w->lruvec, page, old_gen, new_gen);
	return 0;
}

/* walk_pmd_range_locked: a young huge PMD, likewise for its folio. */
static int walk_pmd_entry(struct pt_entry pmd, unsigned long addr, unsigned long next, struct mm_walk *walk)
{
	(void)next;
	return walk_pte_entry(pmd, addr, walk);
}

/* walk_mm: every VMA the aging looks at: not locked, special or hugetlb, with recency (should_skip_vma). */
static void walk_mm(struct mm_struct *mm, struct lru_gen_mm_walk *w)
{
	static const struct mm_walk_ops ops = { .pte_entry = walk_pte_entry, .pmd_entry = walk_pmd_entry };

	for (struct vm_area_struct *vma = mm->mmap; vma; vma = vma->vm_next)
		if (!(vma->vm_flags & (VM_LOCKED | VM_SPECIAL | VM_HUGETLB)) && vma_has_recency(vma))
			walk_page_range(mm, vma->vm_start, vma->vm_end, &ops, w);
}

/* inc_min_seq: the oldest generation emptied one younger, its pages counted as protected per tier
 * (mm/vmscan.c). */
static void inc_min_seq(struct machine *m, struct lruvec *lruvec, int type, int swappiness)
{
	struct lru_gen_folio *lrugen = &lruvec->lrugen;
	int hist = lru_hist_from_seq(lrugen->min_seq[type]), old_gen = lru_gen_from_seq(lrugen->min_seq[type]);

	if ((type && swappiness == SWAPPINESS_ANON_ONLY) || (!type && !swappiness))
		goto done;
	for (int zone = 0; zone < MAX_NR_ZONES; zone++) {
		struct list_head *head = &lrugen->folios[old_gen][type][zone];

		while (!list_empty(head)) {
			struct page *page = list_entry(head->prev, struct page, lru);
			int refs = folio_lru_refs(page), new_gen;
			bool workingset = test_bit_flag(page, PG_workingset);

			new_gen = folio_inc_gen(m, lruvec, page);
			list_move_tail(&page->lru, &lrugen->folios[new_gen][type][zone]);
			if (refs + workingset != (1 << LRU_REFS_WIDTH) + 1)
				lrugen->protected[hist][type][lru_tier_from_refs(refs, workingset)]++;
		}
	}
done:
	reset_ctrl_pos(lruvec, type, true);
	lrugen->min_seq[type]++;
}

/* try_to_inc_min_seq: min_seq past the empty oldest generations, anon and file kept within
 * MIN_NR_GENS of each other while both are evictable (mm/vmscan.c). */
static bool try_to_inc_min_seq(struct lruvec *lruvec, int swappiness)
{
	struct lru_gen_folio *lrugen = &lruvec->lrugen;
	unsigned long min_seq[ANON_AND_FILE] = { lrugen->min_seq[0], lrugen->min_seq[1] };
	bool success = false;

	for (int type = min_type(swappiness); type <= max_type(swappiness); type++)
		while (min_seq[type] + MIN_NR_GENS <= lrugen->max_seq) {
			int gen = lru_gen_from_seq(min_seq[type]), zone;

			for (zone = 0; zone < MAX_NR_ZONES && list_empty(&lrugen->folios[gen][type][zone]); zone++)
				;
			if (zone < MAX_NR_ZONES)
				break;
			min_seq[type]++;
		}
	if (swappiness && swappiness <= MAX_SWAPPINESS) {
		unsigned long seq = lrugen->max_seq - MIN_NR_GENS;

		if (min_seq[LRU_GEN_ANON] > seq && min_seq[LRU_GEN_FILE] < seq)
			min_seq[LRU_GEN_ANON] = seq;
		else if (min_seq[LRU_GEN_FILE] > seq && min_seq[LRU_GEN_ANON] < seq)
			min_seq[LRU_GEN_FILE] = seq;
	}
	for (int type = min_type(swappiness); type <= max_type(swappiness); type++) {
		if (min_seq[type] <= lrugen->min_seq[type])
			continue;
		reset_ctrl_pos(lruvec, type, true);
		lrugen->min_seq[type] = min_seq[type];
		success = true;
	}
	return success;
}

/* inc_max_seq: a new youngest generation; the one two back now counts as inactive (mm/vmscan.c). */
static void inc_max_seq(struct machine *m, pg_data_t *pgdat, int swappiness)
{
	struct lruvec *lruvec = &pgdat->__lruvec;
	struct lru_gen_folio *lrugen = &lruvec->lrugen;
	int prev, next;

	for (int type = 0; type < ANON_AND_FILE; type++)
		if (get_nr_gens(lruvec, type) == MAX_NR_GENS)
			inc_min_seq(m, lruvec, type, swappiness);
	prev = lru_gen_from_seq(lrugen->max_seq - 1);
	next = lru_gen_from_seq(lrugen->max_seq + 1);
	for (int type = 0; type < ANON_AND_FILE; type++)
		for (int zone = 0; zone < MAX_NR_ZONES; zone++) {
			enum lru_list lru = (enum lru_list)(type * LRU_INACTIVE_FILE);
			long delta = lrugen->nr_pages[prev][type][zone] - lrugen->nr_pages[next][type][zone];

			__update_lru_size(pgdat, lru, zone, delta);
			__update_lru_size(pgdat, lru + LRU_ACTIVE, zone, -delta);
		}
	for (int type = 0; type < ANON_AND_FILE; type++)
		reset_ctrl_pos(lruvec, type, false);
	lrugen->timestamps[next] = m->now_ns;
	lrugen->max_seq++;
}

/* try_to_inc_max_seq: with hardware accessed bits (LRU_GEN_MM_WALK), every process's page tables are
 * walked first; without, lru_gen_look_around alone finds the young pages (mm/vmscan.c). false if
 * seq is no longer the youngest generation. */
static bool try_to_inc_max_seq(struct machine *m, pg_data_t *pgdat, unsigned long seq, int swappiness)
{
	struct lru_gen_mm_walk w = { .lruvec = &pgdat->__lruvec, .pgdat = pgdat, .swappiness = swappiness };
	struct task_struct *tsk;

	if (seq != pgdat->__lruvec.lrugen.max_seq)
		return false;
	if ((m->lru_gen_caps & (1U << LRU_GEN_MM_WALK)) && m->tasks)
		list_for_each_entry(tsk, &m->tasks->tasks, tasks)
			if (tsk->mm)
				walk_mm(tsk->mm, &w);
	inc_max_seq(m, pgdat, swappiness);
	return true;
}

/* ---- rmap feedback ---- */

/* lru_gen_set_refs: a page found young through rmap: the first time PG_referenced, after that the
 * workingset; true when it is to be promoted (mm/vmscan.c). */
bool lru_gen_set_refs(struct page *page)
{
	if (!test_bit_flag(page, PG_referenced) && !test_bit_flag(page, PG_workingset)) {
		set_lru_refs(page, 1UL << PG_referenced);
		return false;
	}
	set_lru_refs(page, 1UL << PG_workingset);
	return true;
}

/* folio_activate: a page on the LRU into the youngest generation (mm/swap.c lru_activate). */
static void folio_activate(struct machine *m, struct page *page)
{
	lruvec_del_folio(m, page);
	set_page_flag(page, PG_active);
	lruvec_add_folio(m, page);
	count_vm_event(m, PGACTIVATE);
}

/* lru_gen_look_around: the PTE at addr was young: the other PTEs of its page-table page around it,
 * up to MIN_LRU_BATCH of them, are looked at too, and their young pages promoted (mm/vmscan.c). */
void lru_gen_look_around(struct vm_area_struct *vma, unsigned long addr, const struct page *page)
{
	struct mm_struct *mm = vma->vm_mm;
	struct machine *m = mm->machine;
	pg_data_t *pgdat = NODE_DATA(m, page_to_nid(page));
	unsigned long pmd_mask = ~(mm->pm->huge_size - 1), batch = MIN_LRU_BATCH * PAGE_SIZE;
	unsigned long start = (addr & pmd_mask) > vma->vm_start ? addr & pmd_mask : vma->vm_start;
	unsigned long end = ((addr | ~pmd_mask) < vma->vm_end - 1 ? addr | ~pmd_mask : vma->vm_end - 1) + 1;
	int new_gen = lru_gen_from_seq(pgdat->__lruvec.lrugen.max_seq);

	if (end - start > batch) {
		if (addr - start < batch / 2)
			end = start + batch;
		else if (end - addr < batch / 2)
			start = end - batch;
		else
			start = addr - batch / 2, end = addr + batch / 2;
	}
	for (unsigned long a = start; a != end; a += PAGE_SIZE) {
		struct pt_entry pte;
		struct page *young;

		if (a == addr || !follow_pte(mm, a, &pte) || !(young = young_pte_folio(mm, ptep_get(pte), pgdat)))
			continue;
		set_pte(pte, ptep_get(pte) & ~_PAGE_ACCESSED);
		if (lru_gen_set_refs(young) && PageLRU(young) && folio_lru_gen(young) != new_gen)
			folio_activate(m, young);
	}
}

/* ---- the eviction ---- */

/* sort_folio: a page of the oldest generation that is not to be isolated: one the aging promoted
 * goes to its generation; one of a protected tier, or of a zone the reclaim may not use, one
 * generation younger (mm/vmscan.c). true when sorted. */
static bool sort_folio(struct machine *m, struct lruvec *lruvec, struct page *page, struct scan_control *sc,
		       int tier_idx)
{
	struct lru_gen_folio *lrugen = &lruvec->lrugen;
	int gen = folio_lru_gen(page), type = folio_is_file_lru(page), zone = page_zonenum(page);
	int refs = folio_lru_refs(page);
	bool workingset = test_bit_flag(page, PG_workingset);
	int tier = lru_tier_from_refs(refs, workingset);

	if (gen != lru_gen_from_seq(lrugen->min_seq[type])) {
		list_move(&page->lru, &lrugen->folios[gen][type][zone]);
		return true;
	}
	if (tier > tier_idx || refs + workingset == (1 << LRU_REFS_WIDTH) + 1) {
		gen = folio_inc_gen(m, lruvec, page);
		list_move(&page->lru, &lrugen->folios[gen][type][zone]);
		if (refs + workingset != (1 << LRU_REFS_WIDTH) + 1)
			lrugen->protected[lru_hist_from_seq(lrugen->min_seq[type])][type][tier]++;
		return true;
	}
	if (zone > (int)sc->reclaim_idx) {
		gen = folio_inc_gen(m, lruvec, page);
		list_move_tail(&page->lru, &lrugen->folios[gen][type][zone]);
		return true;
	}
	return false;
}

/* isolate_folio: off the generation, with a reference; an anonymous page outside the swap cache is
 * left where it is when the reclaim may do no I/O (mm/vmscan.c). */
static bool isolate_folio(struct machine *m, struct lruvec *lruvec, struct page *page, struct scan_control *sc)
{
	if (!(sc->gfp_mask & __GFP_IO) && (test_bit_flag(page, PG_dirty) || (PageAnon(page) && !PageSwapCache(page))))
		return false;
	get_page(page);
	clear_page_flag(page, PG_lru);
	if (!test_bit_flag(page, PG_referenced))
		page->flags &= ~LRU_REFS_MASK;
	clear_page_flag(page, PG_reclaim);
	lru_gen_del_folio(m, lruvec, page, true);
	return true;
}

/* scan_folios: up to MAX_LRU_BATCH pages of the oldest generation of type sorted or isolated onto
 * list, the zones above reclaim_idx first; those it may not isolate stay, counted in pgskip_*
 * (mm/vmscan.c). Pages scanned (0: none eligible). */
static unsigned long scan_folios(struct machine *m, unsigned long nr_to_scan, struct lruvec *lruvec,
				 struct scan_control *sc, int type, int tier, struct list_head *list)
{
	struct lru_gen_folio *lrugen = &lruvec->lrugen;
	unsigned long scanned = 0, sorted = 0, isolated = 0;
	unsigned long remaining = nr_to_scan < MAX_LRU_BATCH ? nr_to_scan : MAX_LRU_BATCH;
	int gen = lru_gen_from_seq(lrugen->min_seq[type]);

	if (get_nr_gens(lruvec, type) == MIN_NR_GENS)
		return 0;
	for (int i = MAX_NR_ZONES; i > 0 && remaining && isolated < MIN_LRU_BATCH; i--) {
		int zone = ((int)sc->reclaim_idx + i) % MAX_NR_ZONES;
		struct list_head *head = &lrugen->folios[gen][type][zone], moved = LIST_HEAD_INIT(moved);
		unsigned long skipped = 0;

		while (!list_empty(head) && remaining && isolated < MIN_LRU_BATCH && skipped < MIN_LRU_BATCH) {
			struct page *page = list_entry(head->prev, struct page, lru);
			unsigned long delta = folio_nr_pages(page);

			scanned += delta;
			remaining--;
			if (sort_folio(m, lruvec, page, sc, tier))
				sorted += delta;
			else if (isolate_folio(m, lruvec, page, sc)) {
				list_add(&page->lru, list);
				isolated += delta;
			} else {
				list_move(&page->lru, &moved);
				skipped += delta;
			}
		}
		while (!list_empty(&moved))	/* list_splice back to the head */
			list_move(moved.prev, head);
		__count_zid_vm_events(m, PGSCAN_SKIP_DMA, (enum zone_type)zone, skipped);
	}
	count_vm_events(m, PGSCAN_KSWAPD + reclaimer_offset(sc), isolated);
	count_vm_events(m, PGREFILL, sorted);
	count_vm_events(m, PGSCAN_ANON + type, isolated);
	return isolated || !remaining ? scanned : 0;
}

/* get_tier_idx: the tiers whose refaults are no worse than the first tier's are evicted; the
 * others protected (mm/vmscan.c). */
static int get_tier_idx(const struct lruvec *lruvec, int type)
{
	struct ctrl_pos sp, pv;
	int tier;

	read_ctrl_pos(lruvec, type, 0, 2, &sp);
	for (tier = 1; tier < (int)MAX_NR_TIERS; tier++) {
		read_ctrl_pos(lruvec, type, tier, 3, &pv);
		if (!positive_ctrl_err(&sp, &pv))
			break;
	}
	return tier - 1;
}

/* get_type_to_scan: anon or file, whichever refaults less weighted by swappiness (mm/vmscan.c). */
static int get_type_to_scan(const struct lruvec *lruvec, int swappiness)
{
	struct ctrl_pos sp, pv;

	if (swappiness <= 1)
		return LRU_GEN_FILE;
	if (swappiness >= MAX_SWAPPINESS)
		return LRU_GEN_ANON;
	read_ctrl_pos(lruvec, LRU_GEN_ANON, MAX_NR_TIERS, swappiness, &sp);
	read_ctrl_pos(lruvec, LRU_GEN_FILE, MAX_NR_TIERS, MAX_SWAPPINESS - swappiness, &pv);
	return positive_ctrl_err(&sp, &pv);
}

static unsigned long isolate_folios(struct machine *m, unsigned long nr_to_scan, struct lruvec *lruvec,
				    struct scan_control *sc, int swappiness, int *type_scanned, struct list_head *list)
{
	int type = get_type_to_scan(lruvec, swappiness);

	for (int i = min_type(swappiness); i <= max_type(swappiness); i++) {
		unsigned long scanned;

		*type_scanned = type;
		scanned = scan_folios(m, nr_to_scan, lruvec, sc, type, get_tier_idx(lruvec, type), list);
		if (scanned)
			return scanned;
		type = !type;
	}
	return 0;
}

/* evict_folios: one batch isolated from the oldest generation and reclaimed; what stays goes back,
 * never into the oldest generation (mm/vmscan.c). Pages scanned. */
static unsigned long evict_folios(struct machine *m, unsigned long nr_to_scan, pg_data_t *pgdat,
				  struct scan_control *sc, int swappiness)
{
	struct lruvec *lruvec = &pgdat->__lruvec;
	struct list_head list = LIST_HEAD_INIT(list);
	struct reclaim_stat stat = { 0 };
	unsigned long scanned, reclaimed;
	struct page *page;
	int type = LRU_GEN_ANON;

	scanned = isolate_folios(m, nr_to_scan, lruvec, sc, swappiness, &type, &list);
	scanned += try_to_inc_min_seq(lruvec, swappiness);
	if (evictable_min_seq(lruvec->lrugen.min_seq, swappiness) + MIN_NR_GENS > lruvec->lrugen.max_seq)
		scanned = 0;
	if (list_empty(&list))
		return scanned;
	reclaimed = shrink_folio_list(m, &list, sc, &stat, false);
	sc->nr_reclaimed += reclaimed;
	trace_shrink_inactive(m, pgdat, scanned, reclaimed, &stat, sc->priority, type);
	list_for_each_entry(page, &list, lru)
		if (lru_gen_folio_seq(lruvec, page, false) == lruvec->lrugen.min_seq[type])
			set_lru_refs(page, 1UL << PG_active);
	move_folios_to_lru(m, &list);
	count_vm_events(m, PGSTEAL_KSWAPD + reclaimer_offset(sc), reclaimed);
	count_vm_events(m, PGSTEAL_ANON + type, reclaimed);
	return scanned;
}

/* lruvec_evictable_size: the pages of the generations swappiness lets reclaim evict. */
static unsigned long lruvec_evictable_size(const struct lruvec *lruvec, int swappiness)
{
	const struct lru_gen_folio *lrugen = &lruvec->lrugen;
	unsigned long size = 0;

	for (int type = min_type(swappiness); type <= max_type(swappiness); type++)
		for (unsigned long seq = lrugen->min_seq[type]; seq <= lrugen->max_seq; seq++)
			for (int zone = 0; zone < MAX_NR_ZONES; zone++) {
				long n = lrugen->nr_pages[lru_gen_from_seq(seq)][type][zone];

				size += n > 0 ? (unsigned long)n : 0;
			}
	return size;
}

/* should_run_aging: the pages evictable now into *nr_to_scan; true when the aging must (nothing is
 * old enough to evict) or had better run (mm/vmscan.c). */
static bool should_run_aging(const struct lruvec *lruvec, int swappiness, unsigned long *nr_to_scan)
{
	unsigned long min_seq = evictable_min_seq(lruvec->lrugen.min_seq, swappiness);

	*nr_to_scan = 0;
	if (min_seq + MIN_NR_GENS > lruvec->lrugen.max_seq)
		return true;
	*nr_to_scan = lruvec_evictable_size(lruvec, swappiness);
	return min_seq + MIN_NR_GENS == lruvec->lrugen.max_seq;
}

/* get_nr_to_scan: what this pass scans; below the default priority the aging runs when it should,
 * and then the pass stops (mm/vmscan.c). -1: stop. */
static long get_nr_to_scan(struct machine *m, pg_data_t *pgdat, struct scan_control *sc, int swappiness)
{
	unsigned long nr_to_scan;
	bool aging = should_run_aging(&pgdat->__lruvec, swappiness, &nr_to_scan);

	if (!aging || sc->priority == DEF_PRIORITY)
		return (long)(nr_to_scan >> sc->priority);
	return try_to_inc_max_seq(m, pgdat, pgdat->__lruvec.lrugen.max_seq, swappiness) ? -1 : 0;
}

/* should_abort_scan: enough reclaimed, or (kswapd, order 0) every eligible zone safely above its
 * high watermark (mm/vmscan.c). */
static bool should_abort_scan(const pg_data_t *pgdat, const struct scan_control *sc)
{
	unsigned long gap = 2UL << sc->order;

	if (sc->nr_reclaimed >= (sc->nr_to_reclaim > gap ? sc->nr_to_reclaim : gap))
		return true;
	if (!sc->kswapd || sc->order)
		return false;
	for (int i = 0; i <= (int)sc->reclaim_idx && i < MAX_NR_ZONES; i++) {
		struct zone *zone = (struct zone *)&pgdat->node_zones[i];

		if (zone->managed_pages &&
		    !zone_watermark_ok(zone, 0, high_wmark_pages(zone) + MIN_LRU_BATCH, (int)sc->reclaim_idx, 0))
			return false;
	}
	return true;
}

/* try_to_shrink_lruvec (mm/vmscan.c). */
static void try_to_shrink_lruvec(struct machine *m, pg_data_t *pgdat, struct scan_control *sc)
{
	int swappiness = get_swappiness(m, sc);
	unsigned long scanned = 0;

	for (;;) {
		long nr_to_scan = get_nr_to_scan(m, pgdat, sc, swappiness);
		unsigned long delta;

		if (nr_to_scan <= 0)
			break;
		delta = evict_folios(m, (unsigned long)nr_to_scan, pgdat, sc, swappiness);
		scanned += delta;
		if (!delta || scanned >= (unsigned long)nr_to_scan || should_abort_scan(pgdat, sc))
			break;
	}
}

static unsigned long fls_long(unsigned long x)
{
	return x ? 64 - (unsigned long)__builtin_clzl(x) : 0;
}

/* set_initial_priority: the priority at which the inactive pages' share reclaims nr_to_reclaim,
 * between DEF_PRIORITY / 2 and DEF_PRIORITY (mm/vmscan.c). */
static void set_initial_priority(struct machine *m, pg_data_t *pgdat, struct scan_control *sc)
{
	unsigned long reclaimable = node_page_state(pgdat, NR_INACTIVE_FILE);
	long priority;

	if (sc->priority != DEF_PRIORITY || sc->nr_to_reclaim < MIN_LRU_BATCH)
		return;
	if (get_nr_swap_pages(m) > 0)
		reclaimable += node_page_state(pgdat, NR_INACTIVE_ANON);
	priority = (long)fls_long(reclaimable) - 1 - (long)fls_long(sc->nr_to_reclaim - 1);
	sc->priority = priority < DEF_PRIORITY / 2 ? DEF_PRIORITY / 2 : priority > DEF_PRIORITY ? DEF_PRIORITY
												   : (int)priority;
}

void lru_gen_shrink_node(struct machine *m, pg_data_t *pgdat, struct scan_control *sc)
{
	unsigned long reclaimed = sc->nr_reclaimed;

	set_initial_priority(m, pgdat, sc);
	if (sc->kswapd)
		sc->nr_reclaimed = 0;
	try_to_shrink_lruvec(m, pgdat, sc);
	if (sc->kswapd)
		sc->nr_reclaimed += reclaimed;
	if (sc->nr_reclaimed > reclaimed)
		pgdat->kswapd_failures = 0;
}

/* lru_gen_age_node: kswapd's check of min_ttl_ms: unless the oldest evictable generation is older
 * than that and the generations hold enough to reclaim, the workingset of that time does not fit and
 * the OOM killer runs (lruvec_is_reclaimable, mm/vmscan.c). */
void lru_gen_age_node(struct machine *m, pg_data_t *pgdat, struct scan_control *sc)
{
	const struct lruvec *lruvec = &pgdat->__lruvec;
	uint64_t min_ttl = (uint64_t)m->lru_gen_min_ttl_ms * NSEC_PER_MSEC, birth;
	int swappiness = get_swappiness(m, sc);

	set_initial_priority(m, pgdat, sc);
	if (!min_ttl)
		return;
	birth = lruvec->lrugen.timestamps[lru_gen_from_seq(evictable_min_seq(lruvec->lrugen.min_seq, swappiness))];
	if ((lruvec_evictable_size(lruvec, swappiness) >> sc->priority) && birth + min_ttl < m->now_ns)
		return;
	out_of_memory(m, &(struct oom_control){ .gfp_mask = sc->gfp_mask, .call_path = OOM_PATH_KSWAPD });
}

/* ---- the switch ---- */

/* fill_evictable / drain_evictable: every evictable page from the classic lists into the
 * generations, or back (mm/vmscan.c). */
static void fill_evictable(struct machine *m, struct lruvec *lruvec)
{
	for (int lru = 0; lru < LRU_UNEVICTABLE; lru++)
		while (!list_empty(&lruvec->lists[lru])) {
			struct page *page = list_entry(lruvec->lists[lru].prev, struct page, lru);

			lruvec_del_folio(m, page);
			lruvec_add_folio(m, page);
		}
}

static void drain_evictable(struct machine *m, struct lruvec *lruvec)
{
	for (unsigned int gen = 0; gen < MAX_NR_GENS; gen++)
		for (int type = 0; type < ANON_AND_FILE; type++)
			for (int zone = 0; zone < MAX_NR_ZONES; zone++) {
				struct list_head *head = &lruvec->lrugen.folios[gen][type][zone];

				while (!list_empty(head)) {
					struct page *page = list_entry(head->prev, struct page, lru);

					lru_gen_del_folio(m, lruvec, page, false);
					lruvec_add_folio(m, page);
				}
			}
}

void lru_gen_change_state(struct machine *m, bool enabled)
{
	if (enabled == lru_gen_enabled(m))
		return;
	m->lru_gen_caps = enabled ? m->lru_gen_caps | (1U << LRU_GEN_CORE) : m->lru_gen_caps & ~(1U << LRU_GEN_CORE);
	for (int nid = 0; nid < m->nr_node_ids; nid++) {
		struct lruvec *lruvec = &NODE_DATA(m, nid)->__lruvec;

		lruvec->lrugen.enabled = enabled;
		if (enabled)
			fill_evictable(m, lruvec);
		else
			drain_evictable(m, lruvec);
	}
}

/* ---- /sys/kernel/mm/lru_gen and /sys/kernel/debug/lru_gen ---- */

/* enabled: the switches as a hex mask; the MMU of x86 sets accessed bits in leaf and non-leaf
 * entries, so every switch takes (should_walk_mmu, should_clear_pmd_young). */
static int enabled_show(struct machine *m, struct seq_file *s, const char *arg)
{
	(void)arg;
	seq_printf(s, "0x%04x\n", m->lru_gen_caps);
	return 0;
}

static int enabled_store(struct machine *m, const char *arg, const char *text, size_t len)
{
	unsigned long caps;

	(void)arg;
	if (len && (text[0] == 'n' || text[0] == 'N'))
		caps = 0;
	else if (len && (text[0] == 'y' || text[0] == 'Y'))
		caps = ~0UL;
	else if (kstrtoul_text(text, len, &caps) || caps > 0xffffffffUL)
		return -EINVAL;
	lru_gen_change_state(m, caps & (1U << LRU_GEN_CORE));
	m->lru_gen_caps = (m->lru_gen_caps & (1U << LRU_GEN_CORE)) |
			  (unsigned int)(caps & ((1U << NR_LRU_GEN_CAPS) - 1) & ~(1U << LRU_GEN_CORE));
	return 0;
}

static int min_ttl_ms_show(struct machine *m, struct seq_file *s, const char *arg)
{
	(void)arg;
	seq_printf(s, "%u\n", m->lru_gen_min_ttl_ms);	/* HZ=1000: jiffies are milliseconds */
	return 0;
}

static int min_ttl_ms_store(struct machine *m, const char *arg, const char *text, size_t len)
{
	unsigned long msecs;

	(void)arg;
	if (kstrtoul_text(text, len, &msecs) || msecs > 0xffffffffUL)
		return -EINVAL;
	m->lru_gen_min_ttl_ms = (unsigned int)msecs;
	return 0;
}

/* lru_gen_seq_show: per node with memory, each generation from the oldest evictable one: its
 * number, its age in milliseconds, its anon and file pages (no memcg: id 0, no path) (mm/vmscan.c). */
static int lru_gen_show(struct machine *m, struct seq_file *s, const char *arg)
{
	bool first = true;

	(void)arg;
	for (int nid = 0; nid < m->nr_node_ids; nid++) {
		const struct lru_gen_folio *lrugen = &NODE_DATA(m, nid)->__lruvec.lrugen;

		if (!NODE_DATA(m, nid)->node_present_pages)
			continue;
		if (first)
			seq_printf(s, "memcg %5hu %s\n", (unsigned short)0, "");
		first = false;
		seq_printf(s, " node %5d\n", nid);
		for (unsigned long seq = evictable_min_seq(lrugen->min_seq, MAX_SWAPPINESS / 2); seq <= lrugen->max_seq;
		     seq++) {
			int gen = lru_gen_from_seq(seq);

			seq_printf(s, " %10lu %10u", seq, (unsigned int)((m->now_ns - lrugen->timestamps[gen]) / NSEC_PER_MSEC));
			for (int type = 0; type < ANON_AND_FILE; type++) {
				unsigned long size = 0;

				for (int zone = 0; zone < MAX_NR_ZONES; zone++)
					size += lrugen->nr_pages[gen][type][zone] > 0 ? (unsigned long)lrugen->nr_pages[gen][type][zone] : 0;
				seq_printf(s, " %10lu%c", size, ' ');
			}
			seq_putc(s, '\n');
		}
	}
	return 0;
}

/* run_aging: '+': a new generation, if seq is not past the youngest (mm/vmscan.c). */
static int run_aging(struct machine *m, pg_data_t *pgdat, unsigned long seq, int swappiness)
{
	unsigned long max_seq = pgdat->__lruvec.lrugen.max_seq;

	if (seq > max_seq)
		return -EINVAL;
	return try_to_inc_max_seq(m, pgdat, max_seq, swappiness) ? 0 : -EEXIST;
}

/* run_eviction: '-': the generations up to seq evicted, up to nr_to_reclaim pages (mm/vmscan.c). */
static int run_eviction(struct machine *m, pg_data_t *pgdat, unsigned long seq, struct scan_control *sc,
			int swappiness, unsigned long nr_to_reclaim)
{
	const struct lru_gen_folio *lrugen = &pgdat->__lruvec.lrugen;

	if (seq + MIN_NR_GENS > lrugen->max_seq)
		return -EINVAL;
	sc->nr_reclaimed = 0;
	while (seq >= evictable_min_seq(lrugen->min_seq, swappiness) && sc->nr_reclaimed < nr_to_reclaim)
		if (!evict_folios(m, nr_to_reclaim - sc->nr_reclaimed, pgdat, sc, swappiness))
			break;
	return 0;
}

/* run_cmd: one command for memcg 0 (the machine has no memcg) and a node with memory. */
static int run_cmd(struct machine *m, char cmd, unsigned long long memcg_id, unsigned int nid, unsigned long seq,
		   struct scan_control *sc, int swappiness, unsigned long opt)
{
	pg_data_t *pgdat;

	if (nid >= (unsigned int)m->nr_node_ids || !NODE_DATA(m, (int)nid)->node_present_pages || memcg_id)
		return -EINVAL;
	pgdat = NODE_DATA(m, (int)nid);
	if (swappiness < 0)
		swappiness = get_swappiness(m, sc);
	else if (swappiness > SWAPPINESS_ANON_ONLY)
		return -EINVAL;
	if (cmd == '+')
		return run_aging(m, pgdat, seq, swappiness);
	if (cmd == '-')
		return run_eviction(m, pgdat, seq, sc, swappiness, opt);
	return -EINVAL;
}

/* parse_cmd: "CMD MEMCG_ID NODE_ID SEQ [SWAPPINESS [OPT]]" into its fields; swappiness -1 when
 * absent, SWAPPINESS_ANON_ONLY for "max". */
static int parse_cmd(char *cur, char *cmd, unsigned long long *memcg_id, unsigned int *nid, unsigned long *seq,
		     int *swappiness, unsigned long *opt)
{
	char swap_string[5];
	unsigned long val;
	int end = 0, n = sscanf(cur, "%c %llu %u %lu %n %4s %n %lu %n", cmd, memcg_id, nid, seq, &end, swap_string,
				&end, opt, &end);

	if (n < 4 || cur[end])
		return -EINVAL;
	if (n == 4)
		*swappiness = -1;
	else if (!strcmp(swap_string, "max"))
		*swappiness = SWAPPINESS_ANON_ONLY;
	else if (kstrtoul_text(swap_string, strlen(swap_string), &val) || val > 0x7fffffffUL)
		return -EINVAL;
	else
		*swappiness = (int)val;
	return 0;
}

/* lru_gen_seq_write: commands separated by ',', ';' or newlines (mm/vmscan.c). */
static int lru_gen_write(struct machine *m, const char *arg, const char *text, size_t len)
{
	struct scan_control sc = { .gfp_mask = GFP_KERNEL, .reclaim_idx = MAX_NR_ZONES - 1, .may_swap = true,
				   .proactive = true };
	char *buf = strndup(text, len), *next = buf, *cur;
	int err = -EINVAL;

	(void)arg;
	if (!buf)
		return -ENOMEM;
	m->pf_memalloc++;
	while ((cur = strsep(&next, ",;\n"))) {
		unsigned long long memcg_id;
		unsigned long seq, opt = ~0UL;
		unsigned int nid;
		int swappiness;
		char cmd;

		cur += strspn(cur, " \t");
		if (!*cur)
			continue;
		err = parse_cmd(cur, &cmd, &memcg_id, &nid, &seq, &swappiness, &opt);
		if (!err)
			err = run_cmd(m, cmd, memcg_id, nid, seq, &sc, swappiness, opt);
		if (err)
			break;
	}
	m->pf_memalloc--;
	free(buf);
	return err;
}

const struct proc_entry lru_gen_proc_entries[] = {
	{ .path = "/sys/kernel/mm/lru_gen/enabled", .show = enabled_show, .write = enabled_store },
	{ .path = "/sys/kernel/mm/lru_gen/min_ttl_ms", .show = min_ttl_ms_show, .write = min_ttl_ms_store },
	{ .path = "/sys/kernel/debug/lru_gen", .show = lru_gen_show, .write = lru_gen_write },
	{ .path = NULL },
};
