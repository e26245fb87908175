/* What the two halves of KSM share: the scanner and trees (mm/ksm.c) and its sysfs files and
 * checks (mm/ksm_sysfs.c). The structures are the kernel's (mm/ksm.c). */
#ifndef MM_KSM_INTERNAL_H
#define MM_KSM_INTERNAL_H

#include <stdint.h>

#include <mmlab/ksm.h>
#include <mmlab/machine.h>

/* rmap_hlist_len of a stable_node chain (any negative number far from -1). */
#define STABLE_NODE_CHAIN	-1024

/* The low bits of rmap_item->address. */
#define SEQNR_MASK	0x0ff	/* low bits of the unstable tree's seqnr */
#define UNSTABLE_FLAG	0x100	/* a node of the unstable tree */
#define STABLE_FLAG	0x200	/* listed from the stable tree */
#define KSM_FLAG_MASK	(SEQNR_MASK | UNSTABLE_FLAG | STABLE_FLAG)

/* /sys/kernel/mm/ksm/run. */
#define KSM_RUN_STOP	0
#define KSM_RUN_MERGE	1
#define KSM_RUN_UNMERGE	2

/*
 * A node of a stable tree (struct ksm_stable_node): a KSM page and the rmap_items of the mappings
 * ksmd merged into it; or, when one content has more KSM pages than max_page_sharing allows on
 * one, a chain whose hlist holds those pages' nodes (its dups), only the chain being in the tree.
 */
struct ksm_stable_node {
	struct rb_node node;		/* in a stable tree (a plain node or a chain) */
	struct list_head hlist;		/* the rmap_items; of a chain, its dups */
	struct list_head hlist_dup;	/* a dup: in its chain's hlist */
	struct ksm_stable_node *chain;	/* a dup: its chain (is_stable_node_dup); else NULL */
	struct list_head anchors;	/* struct ksm_rmap_anchor: where rmap_walk_ksm looks */
	union {
		unsigned long kpfn;		/* the KSM page */
		uint64_t chain_prune_time;	/* a chain: when its dups were last pruned (ns) */
	};
	int rmap_hlist_len;		/* rmap_items, or STABLE_NODE_CHAIN */
	int nid;			/* the node of the tree it is in */
};

/*
 * Where a KSM page may be mapped: an anon_vma family (its root, held) and an address. No kernel
 * counterpart: the kernel reaches a KSM page's mappings from its rmap_items' anon_vmas; an anchor
 * is recorded with each rmap_item added and kept while the page lives, so that the forks of an mm
 * whose rmap_item went (the mm exited, or ksmd moved on) are still found.
 */
struct ksm_rmap_anchor {
	struct list_head list;
	struct anon_vma *root;
	unsigned long address;
};

/* The reverse mapping item of one scanned virtual address (struct ksm_rmap_item): 64 bytes on a
 * 64-bit kernel, as general_profit counts it. */
struct ksm_rmap_item {
	struct ksm_rmap_item *rmap_list;	/* the next of its mm_slot's list, by address */
	union {
		struct anon_vma *anon_vma;	/* when stable: the VMA's, held */
		int nid;			/* when in the unstable tree: its node */
	};
	struct mm_struct *mm;
	unsigned long address;		/* + the flags above in the low bits */
	unsigned int oldchecksum;	/* the page's checksum at the last scan */
	uint8_t age;			/* scans without a merge (smart_scan) */
	uint8_t remaining_skips;	/* scans still to skip it (smart_scan) */
	union {
		struct rb_node node;	/* when in the unstable tree */
		struct {		/* when listed from the stable tree */
			struct ksm_stable_node *head;
			struct list_head hlist;
		};
	};
};
_Static_assert(sizeof(void *) != 8 || sizeof(struct ksm_rmap_item) == 64, "struct ksm_rmap_item is 64 bytes");

/* An mm registered for scanning (struct ksm_mm_slot); the kernel finds it in a hash by mm, this
 * machine through mm->ksm_slot. */
struct ksm_mm_slot {
	struct list_head mm_node;	/* in the list of ksm_state.mm_head */
	struct ksm_rmap_item *rmap_list;
	struct mm_struct *mm;
};

/* ksmd's cursor (struct ksm_scan); mm_slot NULL: between two full scans. */
struct ksm_scan {
	struct ksm_mm_slot *mm_slot;
	unsigned long address;			/* the next address of that mm to scan */
	struct ksm_rmap_item **rmap_list;	/* where its next rmap_item goes */
	unsigned long seqnr;			/* full scans completed */
};

/* KSM's tunables, counters, trees and cursor (the statics of mm/ksm.c). */
struct ksm_state {
	struct rb_root root_stable_tree[MAX_NUMNODES];
	struct rb_root root_unstable_tree[MAX_NUMNODES];
	struct list_head mm_head;	/* the mm_slots, in scan order */
	struct ksm_scan scan;

	unsigned long pages_shared;	/* stable nodes with rmap_items */
	unsigned long pages_sharing;	/* rmap_items beyond the first of each node */
	unsigned long pages_unshared;	/* rmap_items in the unstable tree */
	unsigned long rmap_items;
	unsigned long stable_node_chains, stable_node_dups;
	unsigned long pages_scanned, pages_skipped;
	long zero_pages;		/* ksm_zero_pages */

	unsigned long run;
	unsigned int pages_to_scan;
	unsigned int sleep_millisecs;
	int max_page_sharing;
	unsigned int merge_across_nodes;
	bool use_zero_pages;
	bool smart_scan;
	int stable_node_chains_prune_millisecs;
	/* The advisor (advisor_mode scan-time) is not modelled: its tunables are kept and shown. */
	unsigned long advisor_max_cpu, advisor_min_pages_to_scan, advisor_max_pages_to_scan;
	unsigned long advisor_target_scan_time;

	unsigned int zero_checksum;	/* the checksum of an empty page */
	uint64_t next_scan_ns;		/* when ksmd wakes for its next batch */
};

/* ksm_nr_node_ids: the trees in use: one, or one per node when merge_across_nodes is 0. */
static inline int ksm_nr_node_ids(const struct machine *m)
{
	return m->ksm->merge_across_nodes ? 1 : m->nr_node_ids;
}

/* page_stable_node: a KSM page's stable node (NULL while it is being made) (folio_stable_node). */
static inline struct ksm_stable_node *page_stable_node(const struct page *page)
{
	return PageKsm(page) ? (struct ksm_stable_node *)((unsigned long)page->mapping & ~PAGE_MAPPING_FLAGS) : NULL;
}

/* ksm_set_run: `echo N > run`: 0 stops ksmd, 1 starts it, 2 unmerges everything. 0 or -ENOMEM. */
int ksm_set_run(struct machine *m, unsigned long flags);
/* remove_all_stable_nodes: every stable node whose page no PTE maps goes, the page a plain page
 * again; -EBUSY if some page is still mapped (its node stays). */
int remove_all_stable_nodes(struct machine *m);
/* ksm_wake: ksmd's next batch is due now (wake_up_interruptible(&ksm_thread_wait)). */
void ksm_wake(struct machine *m);

#endif
