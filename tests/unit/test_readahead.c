/* Unit tests of file readahead (mm/readahead.c): the on-demand window's first size and its
 * ramp-up, the PG_readahead marker at the start of each window's async part, the page cache's
 * history standing in for a fresh file's state, the file's end, read_ahead_kb 0, and the cap on
 * forced readahead. Every page read holds the file's bytes; machine_check agrees after each step. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <mmlab/fs.h>
#include <mmlab/gfp.h>
#include <mmlab/machine.h>
#include <mmlab/mm.h>
#include <mmlab/vmstat.h>

#include "machine_fixture.h"

#define MB (1ULL << 20)

/* The machine's file /r of pages pages, page i filled with the byte i + 1, opened afresh. */
static struct file *ra_file(struct machine *m, unsigned long pages)
{
	struct file *file;
	unsigned char buf[PAGE_SIZE];
	int err = 0;

	assert_int_equal(do_truncate(m, "/r", (long long)(pages * PAGE_SIZE)), 0);
	file = filp_open(m, "/r", &err);
	assert_non_null(file);
	for (unsigned long i = 0; i < pages; i++) {
		memset(buf, (int)(i + 1), sizeof(buf));
		assert_int_equal(pwrite(file->f_inode->fd, buf, sizeof(buf), (off_t)(i * PAGE_SIZE)), (long)sizeof(buf));
	}
	assert_int_equal(file->f_ra.ra_pages, 32);
	assert_int_equal(file->f_ra.prev_pos, -1);
	return file;
}

/* The cached pages of [first, end) and which of them are marked, as a string of '.', 'c', 'R'. */
static void cache_map(struct file *file, unsigned long first, unsigned long end, char *out)
{
	for (unsigned long i = first; i < end; i++) {
		struct page *page = filemap_get_folio(file->f_mapping, i);

		*out++ = !page ? '.' : test_bit_flag(page, PG_readahead) ? 'R' : 'c';
	}
	*out = 0;
}

/* Every cached page holds its file page's bytes. */
static void assert_cache_bytes(struct machine *m, struct file *file)
{
	unsigned long index;
	void *entry;

	xa_for_each(&file->f_mapping->i_pages, index, entry) {
		const unsigned char *p = kmap_local_page(m, entry);

		assert_int_equal(p[0], (unsigned char)(index + 1));
		assert_int_equal(p[PAGE_SIZE - 1], (unsigned char)(index + 1));
	}
}

static void sync_ra(struct machine *m, struct file *file, unsigned long index, unsigned long req)
{
	DEFINE_READAHEAD(ractl, file, &file->f_ra, file->f_mapping, index);

	page_cache_sync_ra(m, &ractl, req);
}

static void async_ra(struct machine *m, struct file *file, unsigned long index, unsigned long req)
{
	DEFINE_READAHEAD(ractl, file, &file->f_ra, file->f_mapping, index);
	struct page *page = filemap_get_folio(file->f_mapping, index);

	assert_non_null(page);
	assert_true(test_bit_flag(page, PG_readahead));
	page_cache_async_ra(m, &ractl, page, req);
	assert_false(test_bit_flag(page, PG_readahead));
}

/* A read of one page at the start: a window of 4 (get_init_ra_size: x4 for a small request), its
 * last 3 async; each marked page reads the next window, 8, 16, then 32 = ra_pages. */
static void test_window_ramp(void **state)
{
	struct machine *m = test_boot(ARCH_X86_64, 64 * MB, 1, 1);
	struct file *file = ra_file(m, 200);
	struct file_ra_state *ra = &file->f_ra;
	char map[80];

	(void)state;
	sync_ra(m, file, 0, 1);
	assert_int_equal(ra->start, 0);
	assert_int_equal(ra->size, 4);
	assert_int_equal(ra->async_size, 3);
	cache_map(file, 0, 6, map);
	assert_string_equal(map, "cRcc..");
	async_ra(m, file, 1, 1);
	assert_int_equal(ra->start, 4);
	assert_int_equal(ra->size, 8);
	assert_int_equal(ra->async_size, 8);
	async_ra(m, file, 4, 1);
	assert_int_equal(ra->start, 12);
	assert_int_equal(ra->size, 16);
	async_ra(m, file, 12, 1);
	assert_int_equal(ra->start, 28);
	assert_int_equal(ra->size, 32);
	async_ra(m, file, 28, 1);
	assert_int_equal(ra->start, 60);
	assert_int_equal(ra->size, 32);		/* the largest window stays */
	cache_map(file, 58, 62, map);
	assert_string_equal(map, "ccRc");
	assert_int_equal(file->f_mapping->nrpages, 92);
	assert_cache_bytes(m, file);
	assert_machine_ok(m);
	fput(m, file);
	machine_destroy(m);
}

/* A fresh state (a new open) that misses after cached pages: the cached run before it is the
 * stream's history (page_cache_prev_miss); a miss with no history is read as asked, and the
 * state is left alone. */
static void test_history(void **state)
{
	struct machine *m = test_boot(ARCH_X86_64, 64 * MB, 1, 1);
	struct file *file = ra_file(m, 200), *again;
	int err = 0;
	char map[80];

	(void)state;
	sync_ra(m, file, 0, 12);		/* 12 pages rounded up to 16, doubled: 32 */
	assert_int_equal(file->f_ra.size, 32);
	assert_int_equal(file->f_ra.async_size, 20);
	again = filp_open(m, "/r", &err);
	assert_non_null(again);
	/* a miss at 100, nothing cached before it: one page, no window */
	sync_ra(m, again, 100, 1);
	assert_int_equal(again->f_ra.size, 0);
	cache_map(again, 99, 102, map);
	assert_string_equal(map, ".c.");
	/* a miss at 32 after 32 cached pages from the start of the file: a window of 2 x 32 + 1,
	 * at most 32, marked on its first page */
	sync_ra(m, again, 32, 1);
	assert_int_equal(again->f_ra.start, 32);
	assert_int_equal(again->f_ra.size, 32);
	assert_int_equal(again->f_ra.async_size, 1);
	cache_map(again, 62, 65, map);
	assert_string_equal(map, "cR.");
	assert_cache_bytes(m, file);
	assert_machine_ok(m);
	fput(m, again);
	fput(m, file);
	machine_destroy(m);
}

/* No page past the last: a 10-page file read from 8 reads 2; a window from past the end reads
 * nothing. With ra_pages 0 a read gets its one page; forced readahead reads at most 32 pages. */
static void test_end_and_off(void **state)
{
	struct machine *m = test_boot(ARCH_X86_64, 64 * MB, 1, 1);
	struct file *file = ra_file(m, 10);
	struct address_space *mapping = file->f_mapping;

	(void)state;
	sync_ra(m, file, 0, 1);
	sync_ra(m, file, 8, 32);
	assert_int_equal(file->f_mapping->nrpages, 6);
	sync_ra(m, file, 12, 1);
	assert_int_equal(file->f_mapping->nrpages, 6);
	fput(m, file);
	assert_int_equal(invalidate_mapping_pages(m, mapping, 0, ~0UL), 6);

	file = ra_file(m, 100);
	file->f_ra.ra_pages = 0;
	sync_ra(m, file, 0, 8);
	assert_int_equal(file->f_mapping->nrpages, 1);
	force_page_cache_readahead(m, file->f_mapping, file, 10, 100);	/* max(io_pages, ra_pages) */
	assert_int_equal(file->f_mapping->nrpages, 33);
	assert_null(filemap_get_folio(file->f_mapping, 42));
	assert_cache_bytes(m, file);
	assert_machine_ok(m);
	fput(m, file);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_window_ramp),
		cmocka_unit_test(test_history),
		cmocka_unit_test(test_end_and_off),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
