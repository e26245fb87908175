/*
 * hugetlb: pools of huge pages set aside from the buddy allocator (mm/hugetlb.c, include/linux/hugetlb.h).
 * One struct hstate per huge page size: the PMD size (2 MiB on x86_64 and i386 PAE, 4 MiB on i386) and,
 * on x86_64, the PUD size (1 GiB). Pages of a pool are compound pages typed PG_hugetlb; free ones sit on
 * a per-node free list, and the pool's size is set through nr_hugepages.
 */
#ifndef MMLAB_HUGETLB_H
#define MMLAB_HUGETLB_H

#include <mmlab/list.h>
#include <mmlab/machine.h>

#define HUGE_MAX_HSTATE 2

/* struct hstate: one huge page size and its pool (include/linux/hugetlb.h). */
struct hstate {
	unsigned int order;			/* pages per huge page: 1 << order */
	unsigned long max_huge_pages;		/* the persistent pool asked for: /proc/sys/vm/nr_hugepages */
	unsigned long nr_huge_pages;		/* in the pool, free or in use, surplus included */
	unsigned long free_huge_pages;
	unsigned long resv_huge_pages;		/* promised to mappings, not faulted yet */
	unsigned long surplus_huge_pages;	/* beyond nr_hugepages: freed to the buddy when released */
	unsigned long nr_huge_pages_node[MAX_NUMNODES];
	unsigned long free_huge_pages_node[MAX_NUMNODES];
	unsigned long surplus_huge_pages_node[MAX_NUMNODES];
	struct list_head hugepage_freelists[MAX_NUMNODES];
	int next_nid_to_alloc, next_nid_to_free;	/* round robin over the nodes */
	char name[32];				/* "hugepages-2048kB" */
};

struct hugetlb_state {
	int hugetlb_max_hstate;
	struct hstate hstates[HUGE_MAX_HSTATE];	/* [0] is the default size (default_hstate) */
};

/* hugetlb_init / hugetlb_exit: the pools at boot (empty) and teardown (freed to the buddy). */
int hugetlb_init(struct machine *m);
void hugetlb_exit(struct machine *m);

/* default_hstate: the PMD-sized pool that MAP_HUGETLB and HugePages_* use. */
struct hstate *default_hstate(struct machine *m);
static inline unsigned long huge_page_size(const struct hstate *h)
{
	return PAGE_SIZE << h->order;
}
static inline unsigned long pages_per_huge_page(const struct hstate *h)
{
	return 1UL << h->order;
}
/* hugetlb_total_pages: base pages held by every pool (the Hugetlb line of meminfo). */
unsigned long hugetlb_total_pages(struct machine *m);
/* hugetlb_state_of: the pools, for the readers in fs/proc. */
struct hugetlb_state *hugetlb_state_of(struct machine *m);
/* set_max_huge_pages: grow or shrink the persistent pool towards count (mm/hugetlb.c). */
void set_max_huge_pages(struct machine *m, struct hstate *h, unsigned long count);

/* hugetlb_acct_memory: reserve (delta > 0) or release (delta < 0) huge pages of the default pool for a
 * mapping; -ENOMEM when the free pages cannot cover the reservation (mm/hugetlb.c). */
int hugetlb_acct_memory(struct machine *m, struct hstate *h, long delta);
/* alloc_hugetlb_folio: a free page of the pool for a fault, taken from the reservation when
 * use_reserve; NULL when the pool is empty (mm/hugetlb.c). */
struct page *alloc_hugetlb_folio(struct machine *m, struct hstate *h, bool use_reserve);
/* free_huge_folio: the last reference is gone: back to its node's free list, or to the buddy when it
 * was surplus (mm/hugetlb.c). */
void free_huge_folio(struct machine *m, struct page *page);

#endif
