/*
 * The swap cache (mm/swap_state.c, mm/swap_table.h): which page holds the data of a swap slot. As in
 * 6.18 it is the swap table of each cluster: one entry per slot, allocated with the cluster's first
 * cached page and freed with the cluster; an entry is a page, or the workingset shadow a reclaimed
 * page left behind (mm/workingset.c) until the slot is freed or a page caches it again. A cached page carries PG_swapcache, its entry in
 * page->private (folio->swap), and one reference the cache holds; it counts in NR_FILE_PAGES and
 * NR_SWAPCACHE (meminfo's SwapCached).
 */
#include <mmlab/gfp.h>
#include <mmlab/machine.h>
#include <mmlab/mm.h>
#include <mmlab/swap.h>
#include <mmlab/vmstat.h>

#include <errno.h>
#include <stdlib.h>

#include "mm/swap_internal.h"

unsigned long *swap_cluster_table(struct swap_info_struct *si, unsigned long offset, bool alloc)
{
	struct swap_cluster_info *ci = &si->cluster_info[offset / SWAPFILE_CLUSTER];

	if (!ci->table && alloc)
		ci->table = calloc(SWAPFILE_CLUSTER, sizeof(*ci->table));
	return ci->table ? &ci->table[offset % SWAPFILE_CLUSTER] : NULL;
}

/* swap_table_get: the swap table entry of entry's slot; 0 for a slot of no area or no table
 * (__swap_table_get). */
static unsigned long swap_table_get(struct machine *m, swp_entry_t entry)
{
	struct swap_info_struct *si = swp_swap_info(m, entry);
	unsigned long *slot;

	if (!si || swp_offset(entry) >= si->max)
		return 0;
	slot = swap_cluster_table(si, swp_offset(entry), false);
	return slot ? *slot : 0;
}

/* swap_cache_get_folio: the page caching entry's slot, or NULL (mm/swap_state.c). */
struct page *swap_cache_get_folio(struct machine *m, swp_entry_t entry)
{
	unsigned long swp_tb = swap_table_get(m, entry);

	return swp_tb_is_folio(swp_tb) ? (struct page *)swp_tb : NULL;
}

/* swap_cache_get_shadow (mm/swap_state.c). */
void *swap_cache_get_shadow(struct machine *m, swp_entry_t entry)
{
	unsigned long swp_tb = swap_table_get(m, entry);

	return swp_tb_is_shadow(swp_tb) ? (void *)swp_tb : NULL;
}

/* The swap cache's share of the page's node counters. */
static void swap_cache_account(struct machine *m, struct page *page, long nr)
{
	pg_data_t *pgdat = NODE_DATA(m, page_to_nid(page));

	__mod_node_page_state(pgdat, NR_FILE_PAGES, nr);
	__mod_node_page_state(pgdat, NR_SWAPCACHE, nr);
}

/* swap_cache_add_folio: the page caches entry's slot, in place of the shadow it may hold
 * (mm/swap_state.c). */
int swap_cache_add_folio(struct machine *m, struct page *page, swp_entry_t entry, void **shadow)
{
	unsigned long *slot = swap_cluster_table(swp_swap_info(m, entry), swp_offset(entry), true);

	if (!slot)
		return -ENOMEM;
	if (shadow)
		*shadow = swp_tb_is_shadow(*slot) ? (void *)*slot : NULL;
	*slot = (unsigned long)page;
	get_page(page);
	set_page_flag(page, PG_swapcache);
	page->private = entry.val;
	swap_cache_account(m, page, 1);
	return 0;
}

/* __swap_cache_del_folio: the page leaves the swap cache, shadow stays in the slot, the slot loses
 * SWAP_HAS_CACHE (and is freed, shadow and all, if nothing else uses it), the cache's reference is
 * dropped (mm/swap_state.c). */
void __swap_cache_del_folio(struct machine *m, struct page *page, void *shadow)
{
	swp_entry_t entry = page_swap_entry(page);

	*swap_cluster_table(swp_swap_info(m, entry), swp_offset(entry), false) = (unsigned long)shadow;
	clear_page_flag(page, PG_swapcache);
	page->private = 0;
	swap_cache_account(m, page, -1);
	put_swap_folio(m, entry);
	put_page(m, page);
}

void swap_cache_del_folio(struct machine *m, struct page *page)
{
	__swap_cache_del_folio(m, page, NULL);
}

/* __swap_cache_replace_folio (mm/swap_state.c). */
void __swap_cache_replace_folio(struct machine *m, struct page *old, struct page *new)
{
	swp_entry_t entry = page_swap_entry(old);

	*swap_cluster_table(swp_swap_info(m, entry), swp_offset(entry), false) = (unsigned long)new;
}

/* __swap_cache_clear_shadow (mm/swap_state.c). */
void __swap_cache_clear_shadow(struct swap_info_struct *si, unsigned long offset)
{
	unsigned long *slot = swap_cluster_table(si, offset, false);

	if (slot && swp_tb_is_shadow(*slot))
		*slot = 0;
}

/* folio_free_swap: a swap cache page no swap PTE refers to lets go of its slot; it is dirty again,
 * since its only copy is now in memory (mm/swapfile.c). */
bool folio_free_swap(struct machine *m, struct page *page)
{
	if (!PageSwapCache(page) || __swap_count(m, page_swap_entry(page)) != 0)
		return false;
	set_page_flag(page, PG_dirty);
	swap_cache_del_folio(m, page);
	return true;
}
