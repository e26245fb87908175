/*
 * Dirty pages and their writeback (mm/page-writeback.c): a page-cache page whose bytes differ from
 * the file's is PG_dirty, counted in NR_FILE_DIRTY (meminfo Dirty) and NR_ZONE_WRITE_PENDING, and
 * once in NR_DIRTIED (vmstat nr_dirtied) each time it becomes dirty. Writeback first cleans it
 * (folio_clear_dirty_for_io: every PTE mapping it write-protected and cleaned, so that the next
 * store faults and dirties it again), then writes it to the host file with pwrite under
 * PG_writeback (NR_WRITEBACK), then counts it in NR_WRITTEN and pgpgout. The machine's writeback
 * is synchronous: a page is under writeback only inside folio_write_one.
 */
#include <errno.h>
#include <unistd.h>

#include <mmlab/fs.h>
#include <mmlab/mm.h>
#include <mmlab/vmscan.h>
#include <mmlab/vmstat.h>

#define SECTORS_PER_PAGE (PAGE_SIZE >> 9)

/* A page-cache page of a file (not anonymous, not shmem: those are dirtied without accounting, as
 * noop_dirty_folio does). */
static bool folio_is_file_cache(const struct page *page)
{
	return page->mapping && !PageAnon(page) && !test_bit_flag(page, PG_swapbacked);
}

/* Dirty and writeback pages of a node and zone (folio_account_dirtied & co). */
static void mod_write_pending(struct machine *m, struct page *page, enum node_stat_item item, long delta)
{
	__mod_node_page_state(NODE_DATA(m, page_to_nid(page)), item, delta);
	__mod_zone_page_state(page_zone(m, page), NR_ZONE_WRITE_PENDING, delta);
}

void folio_mark_dirty(struct machine *m, struct page *page)
{
	if (test_bit_flag(page, PG_dirty))
		return;
	set_page_flag(page, PG_dirty);
	if (!folio_is_file_cache(page))
		return;
	((struct address_space *)page->mapping)->nrdirty++;
	mod_write_pending(m, page, NR_FILE_DIRTY, 1);
	__mod_node_page_state(NODE_DATA(m, page_to_nid(page)), NR_DIRTIED, 1);
}

/* folio_account_cleaned: a dirty page is clean again (written, or truncated). */
void folio_account_cleaned(struct machine *m, struct page *page)
{
	clear_page_flag(page, PG_dirty);
	((struct address_space *)page->mapping)->nrdirty--;
	mod_write_pending(m, page, NR_FILE_DIRTY, -1);
}

/* folio_clear_dirty_for_io: the PTEs cleaned, then the flag; whether the page was dirty. */
static bool folio_clear_dirty_for_io(struct machine *m, struct page *page)
{
	if (folio_mkclean(m, page))
		folio_mark_dirty(m, page);	/* a store through a PTE the fault did not see */
	if (!test_bit_flag(page, PG_dirty))
		return false;
	folio_account_cleaned(m, page);
	return true;
}

/* The page's bytes up to i_size, to the host file. */
static int write_page_to_host(struct machine *m, struct page *page)
{
	struct address_space *mapping = page->mapping;
	long long off = (long long)page->index << PAGE_SHIFT, len = mapping->host->i_size - off;

	if (len <= 0)
		return 0;	/* wholly past the end (a truncate raced it): nothing to write */
	if (len > (long long)PAGE_SIZE)
		len = PAGE_SIZE;
	return pwrite(mapping->host->fd, kmap_local_page(m, page), (size_t)len, (off_t)off) == len ? 0 : -EIO;
}

int folio_write_one(struct machine *m, struct page *page)
{
	int err;

	if (!folio_clear_dirty_for_io(m, page))
		return 0;
	set_page_flag(page, PG_writeback);	/* folio_start_writeback */
	mod_write_pending(m, page, NR_WRITEBACK, 1);
	err = write_page_to_host(m, page);
	clear_page_flag(page, PG_writeback);	/* folio_end_writeback */
	mod_write_pending(m, page, NR_WRITEBACK, -1);
	if (err) {
		folio_mark_dirty(m, page);	/* folio_redirty_for_writepage */
		return err;
	}
	__mod_node_page_state(NODE_DATA(m, page_to_nid(page)), NR_WRITTEN, 1);
	count_vm_events(m, PGPGOUT, SECTORS_PER_PAGE);
	return 0;
}

int filemap_write_and_wait_range(struct machine *m, struct address_space *mapping, long long start, long long end)
{
	unsigned long index;
	void *entry;
	int ret = 0;

	if (!mapping->nrdirty || end < start)
		return 0;
	xa_for_each_range(&mapping->i_pages, index, entry, (unsigned long)(start >> PAGE_SHIFT),
			  (unsigned long)(end >> PAGE_SHIFT)) {
		int err;

		if (!xa_is_value(entry) && test_bit_flag(entry, PG_dirty) && (err = folio_write_one(m, entry)) && !ret)
			ret = err;
	}
	return ret;
}
