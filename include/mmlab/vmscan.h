/*
 * Page reclaim and the OOM killer (include/linux/swap.h, mm_inline.h, oom.h; mm/swap.c, mm/vmscan.c,
 * mm/oom_kill.c).
 *
 * Every user page is on one of its node's LRU lists (struct lruvec in pg_data_t): anonymous and shmem
 * pages (PG_swapbacked) on the anon lists, page-cache pages on the file lists, each newest at the
 * head. A page enters the inactive list when it is faulted in or read into the page cache
 * (folio_add_lru) and leaves when its last reference goes (put_page). Reclaim takes pages from the
 * tail of the inactive lists: one whose PTEs were young twice is activated, the others are unmapped
 * from every PTE and freed: anonymous pages after being written to swap (their PTEs then hold the
 * swap entry), page-cache pages after being written to their file if dirty. The active lists are aged into the inactive ones.
 * kswapd reclaims from the simulated clock when a zone fell below its low watermark, until every
 * zone is above high; an allocation under min reclaims itself (direct reclaim); a page fault that
 * still finds no memory calls the OOM killer.
 */
#ifndef MMLAB_VMSCAN_H
#define MMLAB_VMSCAN_H

#include <stdbool.h>

#include <mmlab/gfp.h>
#include <mmlab/machine.h>
#include <mmlab/pgtable.h>
#include <mmlab/swap.h>

struct seq_file;
struct task_struct;
struct vm_area_struct;
struct mm_struct;

/* Pages reclaim works on at a time, and the priorities it goes through (include/linux/swap.h,
 * mm/vmscan.c): at priority p a pass scans 1/2^p of each list. */
#define SWAP_CLUSTER_MAX	32UL
#define DEF_PRIORITY		12
/* Rounds of direct reclaim without progress before the allocation gives up (mm/internal.h). */
#define MAX_RECLAIM_RETRIES	16

/* ---- mm/swap.c, include/linux/mm_inline.h: the LRU lists ---- */

void lruvec_init(struct lruvec *lruvec);
static inline struct lruvec *folio_lruvec(const struct machine *m, const struct page *page)
{
	return &NODE_DATA(m, page_to_nid(page))->__lruvec;
}
/* folio_lru_list: the list a page belongs on by its flags. */
enum lru_list folio_lru_list(const struct page *page);
/* lruvec_add_folio / lruvec_del_folio: on or off the list its flags name, counted. */
void lruvec_add_folio(struct machine *m, struct page *page);
void lruvec_add_folio_tail(struct machine *m, struct page *page);
void lruvec_del_folio(struct machine *m, struct page *page);
/* folio_mark_accessed: a page used again (mark_page_accessed): PG_referenced first, then, if
 * referenced already, activated (pgactivate). */
void folio_mark_accessed(struct machine *m, struct page *page);
/* folio_evictable: reclaim may take it; an mlocked page it may not (mm/internal.h). */
static inline bool folio_evictable(const struct page *page)
{
	return !test_bit_flag(page, PG_mlocked);
}
/* folio_add_lru: a page joins the inactive list (PG_lru set), or, when it is not evictable, the
 * unevictable one (lru_add: unevictable_pgs_culled, or _rescued for one that becomes evictable). */
void folio_add_lru(struct machine *m, struct page *page);
/* folio_deactivate: an active page to the head of its inactive list (MADV_COLD), pgdeactivate. */
void folio_deactivate(struct machine *m, struct page *page);
/* folio_mark_lazyfree: a clean anonymous page to the inactive file list, no longer swap-backed
 * (MADV_FREE), pglazyfree. */
void folio_mark_lazyfree(struct machine *m, struct page *page);
/* folio_add_lru_vma: a new page of vma: mlocked at once when the VMA is VM_LOCKED (mm/swap.c). */
void folio_add_lru_vma(struct machine *m, struct page *page, const struct vm_area_struct *vma);
/* lru_size: pages on one list of a node. */
unsigned long lruvec_lru_size(const struct machine *m, const pg_data_t *pgdat, enum lru_list lru);
/* lru_check: every list against its flags and counters; violations into report. */
int lru_check(struct machine *m, struct seq_file *report);

/* ---- The multi-gen LRU (include/linux/mm_inline.h, mm/vmscan.c) ---- */

/* The switches of /sys/kernel/mm/lru_gen/enabled (enum lru_gen_caps, include/linux/mmzone.h). */
enum { LRU_GEN_CORE, LRU_GEN_MM_WALK, LRU_GEN_NONLEAF_YOUNG, NR_LRU_GEN_CAPS };

static inline bool lru_gen_enabled(const struct machine *m)
{
	return m->lru_gen_caps & (1U << LRU_GEN_CORE);
}
static inline int lru_gen_from_seq(unsigned long seq)
{
	return (int)(seq % MAX_NR_GENS);
}
static inline int lru_hist_from_seq(unsigned long seq)
{
	return (int)(seq % NR_HIST_GENS);
}
/* folio_is_file_lru: 1 for the file lists, 0 for the anon ones (the LRU_GEN_* type). */
static inline int folio_is_file_lru(const struct page *page)
{
	return !test_bit_flag(page, PG_swapbacked);
}
/* folio_lru_gen: the generation the page is in, or -1. */
static inline int folio_lru_gen(const struct page *page)
{
	return (int)((page->flags & LRU_GEN_MASK) >> LRU_GEN_PGOFF) - 1;
}
/* folio_lru_refs: the accesses through file descriptors counted (0 without PG_referenced). */
static inline int folio_lru_refs(const struct page *page)
{
	if (!test_bit_flag(page, PG_referenced))
		return 0;
	return (int)((page->flags & LRU_REFS_MASK) >> LRU_REFS_PGOFF) + 1;
}
/* lru_tier_from_refs: the tier of a page used refs times; the workingset is the top tier. */
static inline int lru_tier_from_refs(int refs, bool workingset)
{
	int order = 0;

	while ((1 << order) < refs)
		order++;
	return workingset ? (int)MAX_NR_TIERS - 1 : order;
}
/* lru_gen_add_folio / lru_gen_del_folio: on or off the generation lists when the multi-gen LRU is
 * on; false when the page goes on the classic lists instead (include/linux/mm_inline.h). */
bool lru_gen_add_folio(struct machine *m, struct lruvec *lruvec, struct page *page, bool reclaiming);
bool lru_gen_del_folio(struct machine *m, struct lruvec *lruvec, struct page *page, bool reclaiming);
/* lru_gen_init_lruvec: a node's generations at boot (mm/vmscan.c). */
void lru_gen_init_lruvec(struct machine *m, struct lruvec *lruvec);
/* lru_gen_change_state: switch every node's pages to the multi-gen lists or back (mm/vmscan.c). */
void lru_gen_change_state(struct machine *m, bool enabled);
/* lru_gen_check: every generation list against the page flags and nr_pages; violations into report. */
int lru_gen_check(struct machine *m, struct seq_file *report);

/* ---- mm/workingset.c: refault detection ---- */

/* workingset_eviction: the shadow entry an evicted page leaves in its slot. */
void *workingset_eviction(struct machine *m, struct page *page);
/* workingset_refault: a page faulted back in where its shadow was: counted, and activated (and
 * restored) when its refault distance fits the workingset. */
void workingset_refault(struct machine *m, struct page *page, void *shadow);
/* workingset_test_recent: does the shadow belong to a page evicted recently enough to be worth
 * keeping? *workingset: whether it was in the workingset (active) when evicted. */
bool workingset_test_recent(struct machine *m, void *shadow, bool file, bool *workingset);
/* workingset_age_nonresident: the lruvec's eviction clock moves by nr_pages. */
void workingset_age_nonresident(struct lruvec *lruvec, unsigned long nr_pages);
/* workingset_activation: a page was activated by use (folio_mark_accessed): the clock moves. */
void workingset_activation(struct machine *m, struct page *page);
/* workingset_update_node: the page-cache XArray's hook: a node of shadows only is listed and
 * counted in workingset_nodes, unlisted when it holds a page again or goes. */
struct xa_node;
void workingset_update_node(struct xa_node *node, void *private);
#define SHRINK_BATCH	128	/* a shrinker's default batch_size (mm/shrinker.c) */
#define DEFAULT_SEEKS	2	/* what recreating an object costs, for do_shrink_slab (include/linux/shrinker.h) */
#define SHRINK_STOP	(~0UL)	/* a scan_objects that can do no more (include/linux/shrinker.h) */

/* shrink_shadow_nodes: the shadow-node shrinker (one of shrink_slab's two here): beyond what the
 * node's memory justifies, the oldest nodes of shadows are freed (workingset_nodereclaim). */
void shrink_shadow_nodes(struct machine *m, pg_data_t *pgdat);
/* workingset_check: each node's shadow_nodes list against workingset_nodes, each listed node holding
 * shadows only; violations into report. */
int workingset_check(struct machine *m, struct seq_file *report);
/* workingset_init: the eviction timestamps' granularity for the machine's memory size. */
void workingset_init(struct machine *m);

/* ---- mm/rmap.c: what reclaim asks of the reverse map ---- */

/* folio_referenced: how many PTEs mapping page were young, their Accessed bits cleared; *vm_flags
 * gets VM_LOCKED when a VM_LOCKED VMA maps it (the walk stops there and mlocks the page). */
int folio_referenced(struct machine *m, struct page *page, unsigned long *vm_flags);
/* folio_mkclean: every PTE mapping a page-cache page write-protected and cleaned (the next store
 * faults); how many were writable or dirty. */
int folio_mkclean(struct machine *m, struct page *page);
/* try_to_unmap: every PTE mapping page replaced by its swap entry (page is in the swap cache).
 * true when no PTE maps it any more. */
bool try_to_unmap(struct machine *m, struct page *page);

/* ---- mm/vmscan.c ---- */

/* try_to_free_pages: direct reclaim for an allocation of order in zones up to highest_zoneidx;
 * pages reclaimed. */
unsigned long try_to_free_pages(struct machine *m, gfp_t gfp, unsigned int order, enum zone_type highest_zoneidx,
				int nid);
/* wakeup_kswapd: zone fell below its low watermark; its node's kswapd runs at the next tick. */
void wakeup_kswapd(struct machine *m, struct zone *zone, gfp_t gfp, unsigned int order,
		   enum zone_type highest_zoneidx);
/* folio_isolate_lru: take page off its LRU list with a reference, counted in NR_ISOLATED_*; false
 * when it is on none (mm/vmscan.c). */
bool folio_isolate_lru(struct machine *m, struct page *page);
/* reclaim_pages: reclaim the isolated pages of list now, whatever their references say (MADV_PAGEOUT);
 * those that stay go back on their lists. The number reclaimed (mm/vmscan.c). */
unsigned long reclaim_pages(struct machine *m, struct list_head *list);
/* zone_reclaimable_pages: LRU pages of the zone reclaim could free (anonymous ones only with swap). */
unsigned long zone_reclaimable_pages(struct zone *zone);
/* kswapd_init: one kswapd thread per node (kswapd_run), run by the clock when woken (balance_pgdat,
 * then sleep); -ENOMEM when the host is out of memory. */
int kswapd_init(struct machine *m);

/* ---- mm/memory.c, mm/swap_state.c: swap entries in page tables ---- */

/* do_swap_page: a fault on a PTE holding a swap entry: the page from the swap cache or read in
 * (with readahead of 2^page-cluster slots), mapped again. 0 or VM_FAULT_*. */
unsigned int do_swap_page(struct vm_area_struct *vma, unsigned long addr, struct pt_entry pte, pteval_t v,
			  unsigned int flags);
/* read_swap_cache_async: a new page for the slot, read, in the swap cache (in place of the shadow its
 * evicted page left, which workingset_refault judges) and on the LRU; it holds one reference for the
 * caller besides the cache's. NULL with no memory or a read error (mm/swap_state.c
 * __read_swap_cache_async). */
struct page *read_swap_cache_async(struct machine *m, swp_entry_t entry, gfp_t gfp);
/* swap_peek: the bytes of a swap entry, from the swap cache or the device, counting nothing (for
 * verify). 0 or a negative errno. */
int swap_peek(struct machine *m, swp_entry_t entry, void *buf);
/* unuse_mm: every swap PTE of mm that points into area type swapped in (mm/swapfile.c). 0 or
 * -ENOMEM. */
int unuse_mm(struct machine *m, struct mm_struct *mm, unsigned int type);

/* ---- mm/oom_kill.c ---- */

/* oom_badness: the points of a task (rss + swap entries + page tables, adjusted); LONG_MIN for a
 * task that may not be killed. */
long oom_badness(struct task_struct *tsk, unsigned long totalpages);
/* struct oom_control: what the OOM killer is asked for (include/linux/oom.h). call_path: the frames
 * below out_of_memory that the report's stack dump shows, innermost first, one per line. */
struct oom_control {
	gfp_t gfp_mask;
	unsigned int order;
	const char *call_path;
};

/* The callers' stacks as the kernel's report prints them. A user page's allocation in a fault calls
 * the OOM killer from the allocator's slow path (__alloc_pages_may_oom, inlined there); since 5.16
 * pagefault_out_of_memory only lets the fault retry. */
#define OOM_PATH_PAGEFAULT	" __alloc_pages_slowpath\n __alloc_frozen_pages_noprof\n alloc_pages_mpol\n folio_alloc_mpol_noprof\n" \
				" vma_alloc_folio_noprof\n __handle_mm_fault\n handle_mm_fault\n do_user_addr_fault\n"  \
				" exc_page_fault\n asm_exc_page_fault\n"
#define OOM_PATH_KSWAPD		" lru_gen_age_node\n balance_pgdat\n kswapd\n kthread\n ret_from_fork\n ret_from_fork_asm\n"

/* out_of_memory: kill the task with the most points, with the kernel's report. The victim's pid, or
 * 0 when no task could be killed: then the machine has panicked (or had already). */
int out_of_memory(struct machine *m, const struct oom_control *oc);
/* oom_totalpages: RAM plus swap, what oom_score scales by. */
unsigned long oom_totalpages(struct machine *m);

#endif
