/*
 * Page migration (include/linux/migrate.h, mm/migrate.c): a page's data moves to another page frame
 * and every PTE that mapped the old frame maps the new one; the processes notice nothing.
 * Compaction moves pages this way to gather free memory into large blocks.
 *
 * Which pages move: anonymous pages, mapped or in the swap cache, that no one else holds (their
 * references are their PTEs and the swap cache's). Kernel pages, slabs, page tables, the zero page,
 * shmem pages and pinned pages stay where they are.
 */
#ifndef MMLAB_MIGRATE_H
#define MMLAB_MIGRATE_H

#include <stdbool.h>

#include <mmlab/machine.h>

struct list_head;
struct task_struct;
struct vm_area_struct;

/* How hard migration may try (include/linux/migrate_mode.h). Async compaction takes pages only from
 * pageblocks of the allocation's type; the synchronous modes scan every pageblock. */
enum migrate_mode {
	MIGRATE_ASYNC,
	MIGRATE_SYNC_LIGHT,
	MIGRATE_SYNC,
};

/* new_folio_t, free_folio_t: where a page goes, and what to do with a target not used. */
typedef struct page *new_page_t(struct machine *m, struct page *src, void *private);
typedef void free_page_t(struct machine *m, struct page *dst, void *private);

/* isolate_movable_page: take page for migration if it can move: a reference is taken and the caller
 * links it on its list through page->lru (isolate_migratepages_block's checks, folio_isolate_lru). */
bool isolate_movable_page(struct machine *m, struct page *page);
/* page_is_movable: isolate_movable_page would take it (its test, without taking it). */
bool page_is_movable(const struct page *page);

/* migrate_pages: move every page of from (isolated pages linked through lru) to a page get_new
 * returns. Moved pages leave the list and are freed; the others stay on it for putback_movable_pages.
 * pgmigrate_success and pgmigrate_fail count them. The number not moved, or -ENOMEM when get_new
 * ran out (the rest are left untried); *nr_succeeded the number moved (mm/migrate.c). */
int migrate_pages(struct machine *m, struct list_head *from, new_page_t *get_new, free_page_t *put_new,
		  void *private, unsigned int *nr_succeeded);

/* putback_movable_pages: the isolated pages not migrated go back to their owners (mm/migrate.c). */
void putback_movable_pages(struct machine *m, struct list_head *l);

/* struct migration_target_control (mm/internal.h): where alloc_migration_target allocates: from nid
 * (NUMA_NO_NODE: the source page's node) with gfp_mask. */
struct migration_target_control {
	int nid;
	gfp_t gfp_mask;
};

/* alloc_migration_target (mm/migrate.c): a page as the migration_target_control private points to
 * says, or NULL; free_migration_target gives back one migration did not use. */
struct page *alloc_migration_target(struct machine *m, struct page *src, void *private);
void free_migration_target(struct machine *m, struct page *dst, void *private);

/* vma_migratable (include/linux/mempolicy.h): the VMA's pages may move: not VM_IO or VM_PFNMAP, and
 * not a special mapping ([vdso], [vvar]). */
bool vma_migratable(const struct vm_area_struct *vma);
/* folio_walk_start (mm/pagewalk.c, FW_ZEROPAGE): the page mapped at addr, by a PTE or a huge entry,
 * the zero pages included; NULL when nothing (or a raw frame) is mapped there. */
struct page *folio_walk_start(struct vm_area_struct *vma, unsigned long addr);
/* is_zero_folio, is_huge_zero_folio: the page is (part of) the zero page or the huge zero page. */
bool is_zero_folio(struct machine *m, const struct page *page);

/* migrate_misplaced_folio (mm/migrate.c): a NUMA hinting fault's page, mapped in vma, to node: 0 when
 * it moved (counted in numa_pages_migrated), else -EAGAIN or -EACCES (it stays). */
int migrate_misplaced_folio(struct page *page, struct vm_area_struct *vma, int node);

/* sys_move_pages (mm/migrate.c kernel_move_pages): with nodes, move the page at each pages[i] to
 * nodes[i] (do_pages_move), else tell where each is (do_pages_stat); status[i] the node it is on,
 * or -EFAULT, -ENOENT, -EACCES or -EBUSY. 0; the number of pages not moved when migration failed
 * for some; -EINVAL for unknown flags, -EPERM for MPOL_MF_MOVE_ALL without CAP_SYS_NICE, -ENODEV
 * for a node without memory, -ENOMEM when a node has no free page. Only tsk's own pages, as when it
 * calls with pid 0. */
long sys_move_pages(struct task_struct *tsk, unsigned long nr_pages, const unsigned long *pages, const int *nodes,
		    int *status, int flags);

#endif
