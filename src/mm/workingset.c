/*
 * Workingset detection (mm/workingset.c). Each node's lruvec counts evictions and activations in
 * nonresident_age. A page reclaim evicts leaves a shadow entry in its slot (the swap table for an
 * anonymous page) holding that clock, its node and whether it was in the workingset. When the page
 * faults back in, the clock's advance since then is its refault distance: the accesses it was out
 * of memory for. If that distance fits in the memory the workingset could use, the page would have
 * stayed with a larger inactive list: it is activated at once (workingset_activate_*), and if it was
 * active when evicted, the workingset is thrashing (workingset_restore_*).
 *
 * With the multi-gen LRU the shadow holds the oldest generation's sequence number and the page's
 * tier instead; a refault within MAX_NR_GENS generations counts for the tier's refaults.
 *
 * The shadow as the kernel packs it, on 64 bits (the machine uses that form on i386 too): an
 * xa_value of the eviction timestamp, the memcg id (0: no memcg), the node and the workingset bit.
 */
#include <mmlab/mm.h>
#include <mmlab/vmscan.h>
#include <mmlab/vmstat.h>
#include <mmlab/xarray.h>

#include "internal.h"

#define WORKINGSET_SHIFT	1
#define MEM_CGROUP_ID_SHIFT	16
#define EVICTION_SHIFT		((64 - BITS_PER_XA_VALUE) + WORKINGSET_SHIFT + NODES_SHIFT + MEM_CGROUP_ID_SHIFT)
#define EVICTION_MASK		(~0UL >> EVICTION_SHIFT)

void *pack_shadow(int memcgid, int nid, unsigned long eviction, bool workingset)
{
	eviction &= EVICTION_MASK;
	eviction = (eviction << MEM_CGROUP_ID_SHIFT) | (unsigned long)memcgid;
	eviction = (eviction << NODES_SHIFT) | (unsigned long)nid;
	eviction = (eviction << WORKINGSET_SHIFT) | workingset;
	return xa_mk_value(eviction);
}

void unpack_shadow(const void *shadow, int *memcgid, int *nid, unsigned long *eviction, bool *workingset)
{
	unsigned long entry = xa_to_value(shadow);

	*workingset = entry & ((1UL << WORKINGSET_SHIFT) - 1);
	entry >>= WORKINGSET_SHIFT;
	*nid = (int)(entry & ((1UL << NODES_SHIFT) - 1));
	entry >>= NODES_SHIFT;
	*memcgid = (int)(entry & ((1UL << MEM_CGROUP_ID_SHIFT) - 1));
	entry >>= MEM_CGROUP_ID_SHIFT;
	*eviction = entry;
}

static unsigned long fls_long(unsigned long x)
{
	return x ? 64 - (unsigned long)__builtin_clzl(x) : 0;
}

/* workingset_init: timestamps keep 64 - EVICTION_SHIFT bits; memory past that many pages groups
 * evictions into buckets of 2^bucket_order (mm/workingset.c). */
void workingset_init(struct machine *m)
{
	unsigned long timestamp_bits = 64 - EVICTION_SHIFT, max_order = fls_long(m->totalram_pages - 1);

	m->workingset_bucket_order = max_order > timestamp_bits ? (unsigned int)(max_order - timestamp_bits) : 0;
	for (int nid = 0; nid < m->nr_node_ids; nid++)
		INIT_LIST_HEAD(&NODE_DATA(m, nid)->shadow_nodes);
}

/* mod_lruvec_state: a node counter of the page's lruvec moves by one page (no memcg). */
static void mod_lruvec_state(struct machine *m, const struct page *page, enum node_stat_item item)
{
	__mod_node_page_state(NODE_DATA(m, page_to_nid(page)), item, 1);
}

/* lru_gen_eviction: the shadow holds min_seq and the page's uses beyond the first; the eviction is
 * counted for its tier (mm/workingset.c). */
static void *lru_gen_eviction(struct machine *m, struct page *page)
{
	int type = folio_is_file_lru(page), refs = folio_lru_refs(page);
	bool workingset = test_bit_flag(page, PG_workingset);
	int tier = lru_tier_from_refs(refs, workingset);
	struct lru_gen_folio *lrugen = &folio_lruvec(m, page)->lrugen;
	unsigned long min_seq = lrugen->min_seq[type];
	unsigned long token = (min_seq << LRU_REFS_WIDTH) | (unsigned long)(refs > 1 ? refs - 1 : 0);

	lrugen->evicted[lru_hist_from_seq(min_seq)][type][tier]++;
	return pack_shadow(0, page_to_nid(page), token, workingset);
}

/* lru_gen_test_recent: evicted less than MAX_NR_GENS generations ago (mm/workingset.c). */
static bool lru_gen_test_recent(struct machine *m, const void *shadow, struct lruvec **lruvec, unsigned long *token,
				bool *workingset)
{
	int memcgid, nid;
	unsigned long max_seq, seq;

	unpack_shadow(shadow, &memcgid, &nid, token, workingset);
	*lruvec = &NODE_DATA(m, nid)->__lruvec;
	max_seq = (*lruvec)->lrugen.max_seq & (EVICTION_MASK >> LRU_REFS_WIDTH);
	seq = *token >> LRU_REFS_WIDTH;
	return (max_seq > seq ? max_seq - seq : seq - max_seq) < MAX_NR_GENS;
}

/* lru_gen_refault: a recent refault counts for its tier; a fault-time one is activated by
 * folio_add_lru; the workingset bit or the uses come back (mm/workingset.c). */
static void lru_gen_refault(struct machine *m, struct page *page, void *shadow)
{
	int type = folio_is_file_lru(page), refs, tier;
	struct lruvec *lruvec;
	struct lru_gen_folio *lrugen;
	unsigned long token;
	bool workingset, recent = lru_gen_test_recent(m, shadow, &lruvec, &token, &workingset);

	if (lruvec != folio_lruvec(m, page))
		return;
	mod_lruvec_state(m, page, WORKINGSET_REFAULT_ANON + type);
	if (!recent)
		return;
	lrugen = &lruvec->lrugen;
	refs = (int)(token & ((1UL << LRU_REFS_WIDTH) - 1)) + 1;
	tier = lru_tier_from_refs(refs, workingset);
	lrugen->refaulted[lru_hist_from_seq(lrugen->min_seq[type])][type][tier]++;
	if (m->in_lru_fault)
		mod_lruvec_state(m, page, WORKINGSET_ACTIVATE_ANON + type);
	if (workingset) {
		set_page_flag(page, PG_workingset);
		mod_lruvec_state(m, page, WORKINGSET_RESTORE_ANON + type);
	} else {
		page->flags = (page->flags & ~LRU_REFS_MASK) | ((unsigned long)(refs - 1) << LRU_REFS_PGOFF);
	}
}

void workingset_age_nonresident(struct lruvec *lruvec, unsigned long nr_pages)
{
	lruvec->nonresident_age += nr_pages;
}

/* workingset_eviction: the page is off the LRU, about to be freed (mm/workingset.c). */
void *workingset_eviction(struct machine *m, struct page *page)
{
	struct lruvec *lruvec = folio_lruvec(m, page);
	unsigned long eviction;

	if (lru_gen_enabled(m))
		return lru_gen_eviction(m, page);
	eviction = lruvec->nonresident_age >> m->workingset_bucket_order;
	workingset_age_nonresident(lruvec, 1);
	return pack_shadow(0, page_to_nid(page), eviction, test_bit_flag(page, PG_workingset));
}

/* workingset_test_recent: the refault distance against the workingset the page competes with:
 * the active file list, the inactive one too for an anonymous page, and while swap has room the
 * anon lists (the active one; the inactive one too for a file page) (mm/workingset.c). */
bool workingset_test_recent(struct machine *m, void *shadow, bool file, bool *workingset)
{
	int memcgid, nid;
	unsigned long eviction, refault_distance, workingset_size;
	struct lruvec *lruvec;
	pg_data_t *pgdat;

	if (lru_gen_enabled(m))
		return lru_gen_test_recent(m, shadow, &lruvec, &eviction, workingset);
	unpack_shadow(shadow, &memcgid, &nid, &eviction, workingset);
	eviction <<= m->workingset_bucket_order;
	pgdat = NODE_DATA(m, nid);
	lruvec = &pgdat->__lruvec;
	refault_distance = (lruvec->nonresident_age - eviction) & EVICTION_MASK;
	workingset_size = node_page_state(pgdat, NR_ACTIVE_FILE);
	if (!file)
		workingset_size += node_page_state(pgdat, NR_INACTIVE_FILE);
	if (get_nr_swap_pages(m) > 0) {
		workingset_size += node_page_state(pgdat, NR_ACTIVE_ANON);
		if (file)
			workingset_size += node_page_state(pgdat, NR_INACTIVE_ANON);
	}
	return refault_distance <= workingset_size;
}

/* workingset_refault: the page, new and not yet on the LRU, replaces the shadow (mm/workingset.c).
 * The reclaim cost of a restored page (lru_note_cost_refault) is not modelled. */
void workingset_refault(struct machine *m, struct page *page, void *shadow)
{
	bool file = folio_is_file_lru(page), workingset;

	if (lru_gen_enabled(m)) {
		lru_gen_refault(m, page, shadow);
		return;
	}
	mod_lruvec_state(m, page, WORKINGSET_REFAULT_ANON + file);
	if (!workingset_test_recent(m, shadow, file, &workingset))
		return;
	set_page_flag(page, PG_active);
	workingset_age_nonresident(folio_lruvec(m, page), 1);
	mod_lruvec_state(m, page, WORKINGSET_ACTIVATE_ANON + file);
	if (workingset) {
		set_page_flag(page, PG_workingset);
		mod_lruvec_state(m, page, WORKINGSET_RESTORE_ANON + file);
	}
}

/* workingset_activation: a page activated by use moves the clock too (mm/workingset.c). */
void workingset_activation(struct machine *m, struct page *page)
{
	workingset_age_nonresident(folio_lruvec(m, page), 1);
}

/* workingset_update_node: a leaf node of a page-cache XArray whose entries are all shadows goes on
 * the shadow_nodes list of the node of the CPU at work (where the kernel's slab would have put it)
 * and counts in workingset_nodes; one that holds a page again, or is freed, comes off
 * (mm/workingset.c). */
void workingset_update_node(struct xa_node *node, void *private)
{
	struct machine *m = private;

	if (node->count && node->count == node->nr_values) {
		if (list_empty(&node->private_list)) {
			node->nid = (unsigned char)m->cpu_to_node[m->this_cpu];
			list_add_tail(&node->private_list, &NODE_DATA(m, node->nid)->shadow_nodes);
			__mod_node_page_state(NODE_DATA(m, node->nid), WORKINGSET_NODES, 1);
		}
	} else if (!list_empty(&node->private_list)) {
		list_del_init(&node->private_list);
		__mod_node_page_state(NODE_DATA(m, node->nid), WORKINGSET_NODES, -1);
	}
}

/* count_shadow_nodes: the nodes of shadows beyond what the node's memory justifies: a shadow is
 * worth keeping while its page could still fit, which at a density of 1/8 of the slots per node is
 * present_pages >> (XA_CHUNK_SHIFT - 3) nodes (mm/workingset.c). */
static unsigned long count_shadow_nodes(const pg_data_t *pgdat)
{
	unsigned long nodes = node_page_state(pgdat, WORKINGSET_NODES);
	unsigned long max_nodes = pgdat->node_present_pages >> (XA_CHUNK_SHIFT - 3);

	return nodes > max_nodes ? nodes - max_nodes : 0;
}

/* scan_shadow_nodes, shadow_lru_isolate: the oldest nodes of shadows freed with their shadows
 * (mm/workingset.c). */
static void scan_shadow_nodes(pg_data_t *pgdat, unsigned long nr_to_scan)
{
	while (nr_to_scan-- && !list_empty(&pgdat->shadow_nodes)) {
		struct xa_node *node = list_first_entry(&pgdat->shadow_nodes, struct xa_node, private_list);

		xa_delete_node(node);
		__mod_node_page_state(pgdat, WORKINGSET_NODERECLAIM, 1);
	}
}

/* shrink_shadow_nodes: do_shrink_slab for the shadow shrinker, whose seeks of 0 ask for half of what
 * is freeable per pass, scanned in batches; a remainder under a batch waits for the next pass (the
 * kernel defers it in nr_deferred) (mm/shrinker.c). */
void shrink_shadow_nodes(struct machine *m, pg_data_t *pgdat)
{
	unsigned long total_scan = count_shadow_nodes(pgdat) / 2;

	for (; total_scan >= SHRINK_BATCH; total_scan -= SHRINK_BATCH) {
		scan_shadow_nodes(pgdat, SHRINK_BATCH);
		count_vm_events(m, SLABS_SCANNED, SHRINK_BATCH);
	}
}

/* One listed node: its slots recounted, every entry a shadow, and on the list of its node. */
static void check_shadow_node(const pg_data_t *pgdat, const struct xa_node *node, struct seq_file *report,
			      int *errors)
{
	unsigned int count = 0, values = 0;

	for (unsigned int off = 0; off < XA_CHUNK_SIZE; off++) {
		count += node->slots[off] != NULL;
		values += node->slots[off] && xa_is_value(node->slots[off]);
	}
	if (node->shift || !count || count != node->count || values != count || node->nr_values != values ||
	    node->nid != pgdat->node_id)
		check_report(report, errors, "node %d shadow_nodes: a node of shift %u on node %u counts %u/%u, holds %u/%u",
			     pgdat->node_id, node->shift, node->nid, node->count, node->nr_values, count, values);
}

int workingset_check(struct machine *m, struct seq_file *report)
{
	int errors = 0;

	for (int nid = 0; nid < m->nr_node_ids; nid++) {
		const pg_data_t *pgdat = NODE_DATA(m, nid);
		const struct xa_node *node;
		unsigned long n = 0;

		list_for_each_entry(node, &pgdat->shadow_nodes, private_list) {
			check_shadow_node(pgdat, node, report, &errors);
			n++;
		}
		if (n != node_page_state(pgdat, WORKINGSET_NODES))
			check_report(report, &errors, "node %d: workingset_nodes is %lu, shadow_nodes lists %lu", nid,
				     node_page_state(pgdat, WORKINGSET_NODES), n);
	}
	return errors;
}
