/*
 * Page migration (mm/migrate.c): the data of an isolated page is copied to a new frame, every PTE
 * that mapped the old frame is pointed at the new one (found through rmap), and the new page takes
 * over the old one's mapping, index, counts, flags and swap cache or page cache slot; the old frame
 * is freed. Anonymous and page-cache pages move; shmem pages stay where they are.
 * The kernel replaces the PTEs by migration entries while it copies, because other CPUs run; the
 * machine runs one command at a time, so the copy comes first and the PTEs then move in one pass.
 */
#include <errno.h>
#include <string.h>

#include <mmlab/fs.h>
#include <mmlab/gfp.h>
#include <mmlab/huge_mm.h>
#include <mmlab/hugetlb.h>
#include <mmlab/ksm.h>
#include <mmlab/mempolicy.h>
#include <mmlab/migrate.h>
#include <mmlab/mm.h>
#include <mmlab/sched.h>
#include <mmlab/swap.h>
#include <mmlab/vmscan.h>
#include <mmlab/vmstat.h>


/* The page flags the new page takes over (folio_migrate_flags, folio_migrate_refs), PG_readahead
 * among them (no page under migration is under writeback), and its last NUMA fault's cpupid. */
#define MIGRATE_FLAGS	((1UL << PG_referenced) | (1UL << PG_uptodate) | (1UL << PG_dirty) | (1UL << PG_readahead) | \
			 (1UL << PG_active) | (1UL << PG_workingset) | (1UL << PG_swapbacked) | \
			 (1UL << PG_swapcache) | (1UL << PG_unevictable) | (1UL << PG_mlocked) | LRU_REFS_MASK | \
			 LAST_CPUPID_FLAGS)

static bool page_mapped(const struct page *page)
{
	return page->_mapcount >= 0;
}

/* A page of a file's page cache (not anonymous, not shmem). */
static bool page_is_file_cache(const struct page *page)
{
	return page->mapping && !PageAnon(page) && !test_bit_flag(page, PG_swapbacked);
}

/* folio_expected_refs: the references of a page no one else holds: one per PTE and one for the
 * swap cache or the page cache (mm/migrate.c). */
static int folio_expected_refs(const struct page *page)
{
	return page->_mapcount + 1 + (PageSwapCache(page) || page_is_file_cache(page) ? 1 : 0);
}

static void mod_isolated(struct machine *m, struct page *page, long nr)
{
	__mod_node_page_state(NODE_DATA(m, page_to_nid(page)),
			      test_bit_flag(page, PG_swapbacked) ? NR_ISOLATED_ANON : NR_ISOLATED_FILE, nr);
}

bool page_is_movable(const struct page *page)
{
	if (page_has_type(page) || PageReserved(page) || PageHead(page) || PageTail(page) ||
	    (!PageAnon(page) && !page_is_file_cache(page)))
		return false;
	if ((!page_mapped(page) && !PageSwapCache(page) && !page_is_file_cache(page)) || !PageLRU(page))
		return false;
	/* Pinned (a reference beyond its mappings): migration would fail, so it is not taken. */
	return page_ref_count(page) == folio_expected_refs(page);
}

bool isolate_movable_page(struct machine *m, struct page *page)
{
	if (!page_is_movable(page))
		return false;
	lruvec_del_folio(m, page);	/* folio_isolate_lru */
	get_page(page);
	mod_isolated(m, page, 1);
	return true;
}

/* migrate_folio_done: the isolation's reference goes; a page migrated, or freed by its owners
 * meanwhile, is freed now (mm/migrate.c). */
static void migrate_folio_done(struct machine *m, struct page *page)
{
	list_del(&page->lru);
	mod_isolated(m, page, -1);
	put_page(m, page);
}

void putback_movable_pages(struct machine *m, struct list_head *l)
{
	struct page *page, *next;

	list_for_each_entry_safe(page, next, l, lru) {
		list_del(&page->lru);
		mod_isolated(m, page, -1);
		folio_add_lru(m, page);		/* folio_putback_lru */
		put_page(m, page);
	}
}

static int count_pte(struct vm_area_struct *vma, unsigned long addr, void *arg)
{
	(void)vma;
	(void)addr;
	++*(int *)arg;
	return 0;
}

/* remove_migration_pte: this PTE maps the new frame, every other bit kept; the TLBs forget the old
 * translation (mm/migrate.c). */
static int remove_migration_pte(struct vm_area_struct *vma, unsigned long addr, void *arg)
{
	struct mm_struct *mm = vma->vm_mm;
	struct page *new = arg;
	struct pt_entry pte;

	follow_pte(mm, addr, &pte);
	set_pte(pte, (ptep_get(pte) & ~mm->pm->pfn_mask) | pfn_pte(page_to_pfn(mm->machine, new), 0));
	flush_tlb_mm_range(mm->machine, mm, addr, addr + PAGE_SIZE);
	return 0;
}

/* migrate_node_stats: a page moving to another node takes its share of the node counters along,
 * and a dirty one its zone's write-pending count to its new zone. */
static void migrate_node_stats(struct machine *m, struct page *old, struct page *new)
{
	pg_data_t *from = NODE_DATA(m, page_to_nid(old)), *to = NODE_DATA(m, page_to_nid(new));
	bool file = page_is_file_cache(old), dirty = file && test_bit_flag(old, PG_dirty);
	enum node_stat_item items[] = { NR_ANON_MAPPED, NR_SWAPCACHE, NR_FILE_PAGES, NR_FILE_MAPPED, NR_FILE_DIRTY };
	bool counted[] = { page_mapped(old) && PageAnon(old), PageSwapCache(old), PageSwapCache(old) || file,
			   page_mapped(old) && file, dirty };

	if (dirty && page_zone(m, old) != page_zone(m, new)) {
		__mod_zone_page_state(page_zone(m, old), NR_ZONE_WRITE_PENDING, -1);
		__mod_zone_page_state(page_zone(m, new), NR_ZONE_WRITE_PENDING, 1);
	}
	if (from == to)
		return;
	for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
		if (!counted[i])
			continue;
		__mod_node_page_state(from, items[i], -1);
		__mod_node_page_state(to, items[i], 1);
	}
}

/* folio_migrate_mapping, folio_migrate_flags: new stands where old stood: in the anon_vma at its
 * index, in its swap cache slot, with its mappings' references (the isolation's stays with old). */
static void folio_migrate_mapping(struct machine *m, struct page *new, struct page *old)
{
	migrate_node_stats(m, old, new);
	new->mapping = old->mapping;
	new->index = old->index;
	new->private = old->private;
	new->_mapcount = old->_mapcount;
	set_page_count(new, page_ref_count(old) - 1);
	new->flags |= old->flags & MIGRATE_FLAGS;
	if (PageSwapCache(old))
		__swap_cache_replace_folio(m, old, new);
	else if (page_is_file_cache(old))
		__filemap_replace_folio(old, new);
	old->_mapcount = -1;
	old->private = 0;
	old->flags &= ~MIGRATE_FLAGS;
	set_page_count(old, 1);
}

/* migrate_folio_move: copy the bytes, move the PTEs, hand the page over, free the old frame. */
static void migrate_folio_move(struct machine *m, struct page *new, struct page *old)
{
	memcpy(kmap_local_page(m, new), kmap_local_page(m, old), PAGE_SIZE);
	rmap_walk(m, old, remove_migration_pte, new);
	folio_migrate_mapping(m, new, old);
	ksm_migrate_page(m, new, old);
	folio_add_lru(m, new);
	migrate_folio_done(m, old);
}

/* unmap_and_move: one page. 0 when it moved (or was freed meanwhile), -EAGAIN when someone else
 * holds it, -ENOMEM when get_new has no page (migrate_folio_unmap + migrate_folio_move). */
static int unmap_and_move(struct machine *m, new_page_t *get_new, free_page_t *put_new, void *private,
			  struct page *page)
{
	struct page *new;
	int ptes = 0;

	if (page_ref_count(page) == 1) {	/* freed from under us: done */
		migrate_folio_done(m, page);
		return 0;
	}
	new = get_new(m, page, private);
	if (!new)
		return -ENOMEM;
	rmap_walk(m, page, count_pte, &ptes);
	if (page_ref_count(page) != folio_expected_refs(page) + 1 || ptes != page->_mapcount + 1) {
		put_new(m, new, private);
		return -EAGAIN;
	}
	migrate_folio_move(m, new, page);
	return 0;
}

int migrate_pages(struct machine *m, struct list_head *from, new_page_t *get_new, free_page_t *put_new,
		  void *private, unsigned int *nr_succeeded)
{
	struct page *page, *next;
	unsigned int succeeded = 0, failed = 0;
	int rc = 0;

	list_for_each_entry_safe(page, next, from, lru) {
		rc = unmap_and_move(m, get_new, put_new, private, page);
		if (rc)
			failed++;
		else
			succeeded++;
		if (rc == -ENOMEM)
			break;
	}
	count_vm_events(m, PGMIGRATE_SUCCESS, succeeded);
	count_vm_events(m, PGMIGRATE_FAIL, failed);
	*nr_succeeded = succeeded;
	return rc == -ENOMEM ? -ENOMEM : (int)failed;
}

/* ---- NUMA balancing: a misplaced page (mm/migrate.c) ---- */

/* migrate_balanced_pgdat: some zone of the node would stay above its high watermark with nr more
 * pages (a node nearly full is left alone). */
static bool migrate_balanced_pgdat(pg_data_t *pgdat, unsigned long nr)
{
	for (int z = MAX_NR_ZONES - 1; z >= 0; z--) {
		struct zone *zone = &pgdat->node_zones[z];

		if (populated_zone(zone) && zone_watermark_ok(zone, 0, high_wmark_pages(zone) + nr, ZONE_MOVABLE, 0))
			return true;
	}
	return false;
}

/* migrate_misplaced_folio_prepare: the page isolated for the move, or why not: a file page of an
 * executable mapping more than one process maps (a shared library), a dirty file page, a large
 * folio (its migration is not modelled), a target node nearly full, a page that cannot be taken. */
static int migrate_misplaced_folio_prepare(struct machine *m, struct page *page, struct vm_area_struct *vma, int node)
{
	if (folio_is_file_lru(page_folio(page))) {
		if ((vma->vm_flags & VM_EXEC) && folio_precise_page_mapcount(page) > 1)
			return -EACCES;
		if (test_bit_flag(page, PG_dirty))
			return -EAGAIN;
	}
	if (PageHead(page) || PageTail(page) || !migrate_balanced_pgdat(NODE_DATA(m, node), 1))
		return -EAGAIN;
	return isolate_movable_page(m, page) ? 0 : -EAGAIN;
}

int migrate_misplaced_folio(struct page *page, struct vm_area_struct *vma, int node)
{
	struct machine *m = vma->vm_mm->machine;
	/* alloc_misplaced_dst_folio: that node only, no reclaim, no reserves */
	struct migration_target_control mtc = {
		.nid = node,
		.gfp_mask = (GFP_HIGHUSER_MOVABLE | __GFP_THISNODE | __GFP_NOMEMALLOC | __GFP_NORETRY | __GFP_NOWARN) &
			    ~__GFP_RECLAIM,
	};
	struct list_head pagelist = LIST_HEAD_INIT(pagelist);
	unsigned int nr_succeeded = 0;
	int err = migrate_misplaced_folio_prepare(m, page, vma, node);

	if (err)
		return err;
	list_add_tail(&page->lru, &pagelist);
	if (migrate_pages(m, &pagelist, alloc_migration_target, free_migration_target, &mtc, &nr_succeeded))
		putback_movable_pages(m, &pagelist);
	if (nr_succeeded)
		count_vm_events(m, NUMA_PAGE_MIGRATE, nr_succeeded);
	return nr_succeeded ? 0 : -EAGAIN;
}

/* ---- move_pages(2) (mm/migrate.c) ---- */

struct page *alloc_migration_target(struct machine *m, struct page *src, void *private)
{
	const struct migration_target_control *mtc = private;

	return __alloc_pages(m, mtc->gfp_mask, 0, mtc->nid == NUMA_NO_NODE ? page_to_nid(src) : mtc->nid);
}

void free_migration_target(struct machine *m, struct page *dst, void *private)
{
	(void)private;
	__free_pages(m, dst, 0);
}

bool vma_migratable(const struct vm_area_struct *vma)
{
	return !(vma->vm_flags & (VM_IO | VM_PFNMAP)) && !vma->vm_special;
}

struct page *folio_walk_start(struct vm_area_struct *vma, unsigned long addr)
{
	struct mm_struct *mm = vma->vm_mm;
	struct pt_entry pte;
	unsigned long pfn;

	if (follow_pte(mm, addr, &pte)) {
		pteval_t v = ptep_get(pte);

		pfn = pte_pfn(mm->pm, v);
		return pte_special(v) && !is_zero_pfn(mm->machine, pfn) ? NULL : pfn_to_page(mm->machine, pfn);
	}
	pfn = follow_huge_pfn(mm, addr);
	return pfn ? pfn_to_page(mm->machine, pfn) : NULL;
}

bool is_zero_folio(struct machine *m, const struct page *page)
{
	unsigned long pfn = page_to_pfn(m, page);

	return is_zero_pfn(m, pfn) || is_huge_zero_pfn(m, pfn & ~(HPAGE_PMD_NR - 1));
}

/* do_pages_stat_array: the node of the page mapped at each address; -EFAULT outside any VMA or at
 * the zero page, -ENOENT where nothing is mapped. */
static void do_pages_stat(struct mm_struct *mm, unsigned long nr_pages, const unsigned long *pages, int *status)
{
	for (unsigned long i = 0; i < nr_pages; i++) {
		struct vm_area_struct *vma = vma_lookup(mm, pages[i]);
		struct page *page = vma ? folio_walk_start(vma, pages[i]) : NULL;

		if (!vma || (page && is_zero_folio(mm->machine, page)))
			status[i] = -EFAULT;
		else
			status[i] = page ? page_to_nid(page) : -ENOENT;
	}
}

/* The page at addr split out of its transparent huge page, which migration cannot move whole (as
 * when the architecture has no THP migration, try_split_folio); NULL when it will not split. */
static struct page *split_for_migration(struct vm_area_struct *vma, unsigned long addr, struct page *page)
{
	if (!PageHead(page) && !PageTail(page))
		return page;
	if (split_folio(vma->vm_mm->machine, page_folio(page)))
		return NULL;
	return folio_walk_start(vma, addr);
}

/* add_folio_for_migration: queue the page at addr on pagelist for node: 1 when queued, 0 when it is
 * there already, -EFAULT (no VMA, one that cannot migrate, the zero page), -ENOENT (nothing mapped),
 * -EACCES (mapped by more than one page table, without MPOL_MF_MOVE_ALL), -EBUSY (it cannot be
 * isolated: pinned, shmem, hugetlb, or queued already). */
static int add_folio_for_migration(struct mm_struct *mm, unsigned long addr, int node, struct list_head *pagelist,
				   bool migrate_all)
{
	struct machine *m = mm->machine;
	struct vm_area_struct *vma = vma_lookup(mm, addr);
	struct page *page = vma && vma_migratable(vma) ? folio_walk_start(vma, addr) : NULL;

	if (!vma || !vma_migratable(vma))
		return -EFAULT;
	if (!page)
		return -ENOENT;
	if (is_zero_folio(m, page))
		return -EFAULT;
	if (page_to_nid(page) == node)
		return 0;
	if (folio_precise_page_mapcount(page) > 1 && !migrate_all)
		return -EACCES;
	if (vma->vm_flags & VM_HUGETLB)		/* isolate_hugetlb: hugetlb migration is not modelled */
		return -EBUSY;
	page = split_for_migration(vma, addr, page);
	if (!page || !isolate_movable_page(m, page))
		return -EBUSY;
	list_add_tail(&page->lru, pagelist);
	return 1;
}

/* do_move_pages_to_node: migrate the queued pages to node; those that did not move go back. The
 * number not moved, or -ENOMEM. */
static int do_move_pages_to_node(struct machine *m, struct list_head *pagelist, int node)
{
	struct migration_target_control mtc = { .nid = node, .gfp_mask = GFP_HIGHUSER_MOVABLE | __GFP_THISNODE };
	unsigned int nr_succeeded;
	int err = migrate_pages(m, pagelist, alloc_migration_target, free_migration_target, &mtc, &nr_succeeded);

	if (err)
		putback_movable_pages(m, pagelist);
	return err;
}

/* move_pages_and_store_status: the batch [start, i) to node, each status the node; when some did not
 * move, the number not moved counting the pages not yet tried (their statuses untouched). */
static int move_pages_and_store_status(struct machine *m, int node, struct list_head *pagelist, int *status,
				       unsigned long start, unsigned long i, unsigned long nr_pages)
{
	int err;

	if (list_empty(pagelist))
		return 0;
	err = do_move_pages_to_node(m, pagelist, node);
	if (err)
		return err > 0 ? err + (int)(nr_pages - i) : err;
	for (; start < i; start++)
		status[start] = node;
	return 0;
}

/* do_pages_move: the pages in runs of one target node, each run queued and then migrated together;
 * a page not queued has its status at once (its node, or why not) and ends the run. A node without
 * memory, or past MAX_NUMNODES, ends the call with -ENODEV. */
static int do_pages_move(struct mm_struct *mm, unsigned long nr_pages, const unsigned long *pages, const int *nodes,
			 int *status, int flags)
{
	struct machine *m = mm->machine;
	struct list_head pagelist = LIST_HEAD_INIT(pagelist);
	int current_node = NUMA_NO_NODE, err = 0, err1;
	unsigned long start = 0, i;

	for (i = 0; i < nr_pages; i++) {
		int node = nodes[i];

		err = -ENODEV;
		if (node < 0 || node >= m->nr_node_ids || !NODE_DATA(m, node)->node_present_pages)
			break;
		if (current_node == NUMA_NO_NODE) {
			current_node = node;
			start = i;
		} else if (node != current_node) {
			err = move_pages_and_store_status(m, current_node, &pagelist, status, start, i, nr_pages);
			if (err)
				return err;
			start = i;
			current_node = node;
		}
		err = add_folio_for_migration(mm, pages[i], current_node, &pagelist, flags & MPOL_MF_MOVE_ALL);
		if (err > 0)
			continue;
		status[i] = err ? err : current_node;
		err = move_pages_and_store_status(m, current_node, &pagelist, status, start, i, nr_pages);
		if (err)
			return err > 0 ? err - 1 : err;	/* page i has its status */
		current_node = NUMA_NO_NODE;
	}
	err1 = move_pages_and_store_status(m, current_node, &pagelist, status, start, i, nr_pages);
	return err >= 0 ? err1 : err;
}

long sys_move_pages(struct task_struct *tsk, unsigned long nr_pages, const unsigned long *pages, const int *nodes,
		    int *status, int flags)
{
	if (flags & ~(MPOL_MF_MOVE | MPOL_MF_MOVE_ALL))
		return -EINVAL;
	if ((flags & MPOL_MF_MOVE_ALL) && !capable(tsk, CAP_SYS_NICE))
		return -EPERM;
	if (!nodes) {
		do_pages_stat(tsk->mm, nr_pages, pages, status);
		return 0;
	}
	return do_pages_move(tsk->mm, nr_pages, pages, nodes, status, flags);
}
