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

#endif
