/* Unit tests of the page cache's dirty accounting (mm/filemap.c, mm/page-writeback.c, mm/truncate.c):
 * a page dirtied twice counts once in NR_FILE_DIRTY and nr_dirtied; writeback cleans it, counts
 * nr_written and puts its bytes (up to i_size) in the host file; drop_caches' invalidation leaves
 * dirty and referenced pages; truncation drops a dirty page and its count. machine_check agrees
 * after every step. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <mmlab/fs.h>
#include <mmlab/gfp.h>
#include <mmlab/machine.h>
#include <mmlab/mm.h>
#include <mmlab/vmstat.h>

#include "machine_fixture.h"

#define MB (1ULL << 20)

/* A machine file of size bytes, opened, with a new page at index 0 filled with byte. */
static struct page *cached_page(struct machine *m, struct file **file, long long size, unsigned char byte)
{
	struct page *page;
	int err = 0;

	assert_int_equal(do_truncate(m, "/t", size), 0);
	*file = filp_open(m, "/t", &err);
	assert_non_null(*file);
	assert_true((*file)->f_mode & FMODE_WRITE);
	page = alloc_pages(m, GFP_HIGHUSER_MOVABLE, 0);
	assert_non_null(page);
	memset(kmap_local_page(m, page), byte, PAGE_SIZE);
	assert_int_equal(filemap_add_folio(m, (*file)->f_mapping, page, 0), 0);
	put_page(m, page);	/* the cache's reference is left */
	assert_ptr_equal(filemap_get_folio((*file)->f_mapping, 0), page);
	assert_int_equal((*file)->f_mapping->nrpages, 1);
	return page;
}

static void test_dirty_and_writeback(void **state)
{
	struct machine *m = test_boot(ARCH_X86_64, 64 * MB, 1, 1);
	struct file *file;
	struct page *page = cached_page(m, &file, 100, 0x5a);
	unsigned char buf[200];

	(void)state;
	assert_int_equal(global_node_page_state(m, NR_FILE_PAGES), 1);
	folio_mark_dirty(m, page);
	folio_mark_dirty(m, page);
	assert_int_equal(global_node_page_state(m, NR_FILE_DIRTY), 1);
	assert_int_equal(global_node_page_state(m, NR_DIRTIED), 1);
	assert_int_equal(file->f_mapping->nrdirty, 1);
	assert_machine_ok(m);
	/* the host file is still zeros until writeback */
	assert_int_equal(fs_host_read(m, "/t", 0, buf, sizeof(buf)), 100);
	assert_int_equal(buf[0], 0);
	assert_int_equal(folio_write_one(m, page), 0);
	assert_int_equal(global_node_page_state(m, NR_FILE_DIRTY), 0);
	assert_int_equal(global_node_page_state(m, NR_WRITTEN), 1);
	assert_int_equal(global_node_page_state(m, NR_WRITEBACK), 0);
	/* only the bytes below i_size reach the file */
	assert_int_equal(fs_host_read(m, "/t", 0, buf, sizeof(buf)), 100);
	assert_int_equal(buf[0], 0x5a);
	assert_int_equal(buf[99], 0x5a);
	/* a clean page writes nothing more */
	assert_int_equal(folio_write_one(m, page), 0);
	assert_int_equal(global_node_page_state(m, NR_WRITTEN), 1);
	assert_machine_ok(m);
	fput(m, file);
	machine_destroy(m);
}

static void test_invalidate_and_truncate(void **state)
{
	struct machine *m = test_boot(ARCH_X86_64, 64 * MB, 1, 1);
	struct file *file;
	struct page *page = cached_page(m, &file, 3 * PAGE_SIZE, 0x11);
	struct file *again;

	(void)state;
	folio_mark_dirty(m, page);
	/* drop_caches' invalidation leaves a dirty page */
	assert_int_equal(invalidate_mapping_pages(m, file->f_mapping, 0, ~0UL), 0);
	assert_int_equal(file->f_mapping->nrpages, 1);
	/* cutting the file to 10 bytes keeps page 0, its tail zeroed */
	assert_int_equal(truncate_setsize(m, file_inode(file), 10), 0);
	assert_int_equal(((unsigned char *)kmap_local_page(m, page))[9], 0x11);
	assert_int_equal(((unsigned char *)kmap_local_page(m, page))[10], 0);
	assert_int_equal(mapping_max_index(file->f_mapping), 1);
	assert_machine_ok(m);
	/* cutting it to 0 drops the dirty page and its count */
	assert_int_equal(truncate_setsize(m, file_inode(file), 0), 0);
	assert_int_equal(file->f_mapping->nrpages, 0);
	assert_int_equal(global_node_page_state(m, NR_FILE_DIRTY), 0);
	assert_int_equal(global_node_page_state(m, NR_FILE_PAGES), 0);
	assert_true(xa_empty(&file->f_mapping->i_pages));
	assert_machine_ok(m);
	/* a second open finds the same inode; a clean page with no other user is dropped; the inode
	 * goes once nothing holds it */
	cached_page(m, &again, PAGE_SIZE, 0x22);
	assert_ptr_equal(again->f_mapping, file->f_mapping);
	fput(m, again);
	assert_int_equal(invalidate_mapping_pages(m, file->f_mapping, 0, ~0UL), 1);
	assert_int_equal(global_node_page_state(m, NR_FILE_PAGES), 0);
	assert_int_equal(prune_icache(m), 0);	/* still open */
	fput(m, file);
	assert_int_equal(prune_icache(m), 1);
	assert_machine_ok(m);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dirty_and_writeback),
		cmocka_unit_test(test_invalidate_and_truncate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
