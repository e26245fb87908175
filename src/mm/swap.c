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

/* update_lru_size: the node's NR_LRU_BASE + lru and the zone's NR_ZONE_LRU_BASE + lru
 * (include/linux/mm_inline.h). */
static void update_lru_size(struct machine *m, const struct page *page, enum lru_list lru, long nr)
{
	__mod_node_page_state(NODE_DATA(m, page_to_nid(page)), (enum node_stat_item)(NR_INACTIVE_ANON + lru), nr);
	__mod_zone_page_state(page_zone(m, page), (enum zone_stat_item)(NR_ZONE_INACTIVE_ANON + lru), nr);
}

/* lruvec_add_folio (include/linux/mm_inline.h). */
void lruvec_add_folio(struct machine *m, struct page *page)
{
	enum lru_list lru = folio_lru_list(page);

	update_lru_size(m, page, lru, 1);
	list_add(&page->lru, &folio_lruvec(m, page)->lists[lru]);
	set_page_flag(page, PG_lru);
}

/* lruvec_add_folio_tail: back to the tail, the next to be scanned (folio_rotate_reclaimable). */
void lruvec_add_folio_tail(struct machine *m, struct page *page)
{
	enum lru_list lru = folio_lru_list(page);

	update_lru_size(m, page, lru, 1);
	list_add_tail(&page->lru, &folio_lruvec(m, page)->lists[lru]);
	set_page_flag(page, PG_lru);
}

/* lruvec_del_folio (include/linux/mm_inline.h). */
void lruvec_del_folio(struct machine *m, struct page *page)
{
	update_lru_size(m, page, folio_lru_list(page), -1);
	list_del(&page->lru);
	clear_page_flag(page, PG_lru);
}

/* folio_add_lru: the kernel batches these per CPU (lru_add_fn); the machine adds at once. */
void folio_add_lru(struct machine *m, struct page *page)
{
	lruvec_add_folio(m, page);
}

/* folio_deactivate: an active page moves to the head of its inactive list, unreferenced; counted in
 * pgdeactivate (mm/swap.c lru_deactivate). MADV_COLD. */
void folio_deactivate(struct machine *m, struct page *page)
{
	if (!PageLRU(page) || test_bit_flag(page, PG_unevictable) || !test_bit_flag(page, PG_active))
		return;
	lruvec_del_folio(m, page);
	clear_page_flag(page, PG_active);
	clear_page_flag(page, PG_referenced);
	lruvec_add_folio(m, page);
	count_vm_event(m, PGDEACTIVATE);
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
	count_vm_event(m, PGLAZYFREE);
}

unsigned long lruvec_lru_size(const struct machine *m, const pg_data_t *pgdat, enum lru_list lru)
{
	(void)m;
	return node_page_state(pgdat, (enum node_stat_item)(NR_INACTIVE_ANON + lru));
}

/* One list: each page flagged PG_lru, on its node, on the list its flags name; the counter right. */
static void check_list(struct machine *m, pg_data_t *pgdat, enum lru_list lru, struct seq_file *report,
		       int *errors, long zone_count[MAX_NR_ZONES])
{
	struct page *page;
	long n = 0;

	list_for_each_entry(page, &pgdat->__lruvec.lists[lru], lru) {
		unsigned long pfn = page_to_pfn(m, page);

		n++;
		zone_count[page_zonenum(page)]++;
		if (!PageLRU(page) || page_to_nid(page) != pgdat->node_id || folio_lru_list(page) != lru)
			check_report(report, errors, "node %d lru %d: pfn %#lx is flagged %#lx on node %d", pgdat->node_id,
				     lru, pfn, page->flags & ((1UL << __NR_PAGEFLAGS) - 1), page_to_nid(page));
		if (page_ref_count(page) <= 0)
			check_report(report, errors, "node %d lru %d: pfn %#lx has refcount %d", pgdat->node_id, lru, pfn,
				     page_ref_count(page));
	}
	if (n != pgdat->vm_stat[NR_INACTIVE_ANON + lru])
		check_report(report, errors, "node %d: %s is %ld but the list holds %ld pages", pgdat->node_id,
			     vmstat_text[NR_VM_ZONE_STAT_ITEMS + NR_VM_NUMA_EVENT_ITEMS + NR_INACTIVE_ANON + lru],
			     pgdat->vm_stat[NR_INACTIVE_ANON + lru], n);
}

int lru_check(struct machine *m, struct seq_file *report)
{
	int errors = 0;

	for (int nid = 0; nid < m->nr_node_ids; nid++) {
		pg_data_t *pgdat = NODE_DATA(m, nid);

		for (int lru = 0; lru < NR_LRU_LISTS; lru++) {
			long zone_count[MAX_NR_ZONES] = { 0 };

			check_list(m, pgdat, (enum lru_list)lru, report, &errors, zone_count);
			for (int z = 0; z < MAX_NR_ZONES; z++)
				if (zone_count[z] != pgdat->node_zones[z].vm_stat[NR_ZONE_INACTIVE_ANON + lru])
					check_report(report, &errors, "node %d zone %d lru %d: counter %ld, list %ld", nid, z,
						     lru, pgdat->node_zones[z].vm_stat[NR_ZONE_INACTIVE_ANON + lru],
						     zone_count[z]);
		}
	}
	return errors;
}
