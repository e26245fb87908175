/* Unit tests of zsmalloc: every size class keeps its bytes, objects straddling two pages, free and
 * reuse, NR_ZSPAGES and the pages going back to the buddy allocator, compaction, bad sizes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <mmlab/gfp.h>
#include <mmlab/machine.h>
#include <mmlab/seq_file.h>
#include <mmlab/slab.h>
#include <mmlab/vmstat.h>
#include <mmlab/zsmalloc.h>

#include "machine_fixture.h"

#define ZS_GFP (GFP_NOIO | __GFP_HIGHMEM | __GFP_MOVABLE)

/* fill: len bytes that depend on the object's number, so two objects never look alike. */
static void fill(unsigned char *buf, size_t len, unsigned long n)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = (unsigned char)(n * 131 + i * 7 + (i >> 8));
}

static void assert_object(struct zs_pool *pool, unsigned long handle, size_t len, unsigned long n)
{
	unsigned char want[PAGE_SIZE], got[PAGE_SIZE];

	fill(want, len, n);
	zs_obj_read(pool, handle, got, len);
	assert_memory_equal(got, want, len);
}

static unsigned long store(struct zs_pool *pool, size_t len, unsigned long n)
{
	unsigned char buf[PAGE_SIZE];
	unsigned long handle = zs_malloc(pool, len, ZS_GFP);

	assert_false(IS_ERR_VALUE(handle));
	fill(buf, len, n);
	zs_obj_write(pool, handle, buf, len);
	return handle;
}

static void assert_zspages(struct machine *m, struct zs_pool *pool)
{
	assert_int_equal(global_zone_page_state(m, NR_ZSPAGES), zs_get_total_pages(pool));
	assert_machine_ok(m);
}

/* Every size from 1 to a page, several objects each, all read back after all are written. */
static void test_every_size_class(void **state)
{
	(void)state;
	struct machine *m = test_boot(ARCH_X86_64, 128ULL << 20, 1, 1);
	struct zs_pool *pool = zs_create_pool(m, "test");
	enum { PER_SIZE = 3 };
	static unsigned long handles[PAGE_SIZE + 1][PER_SIZE];

	for (size_t len = 1; len <= PAGE_SIZE; len++)
		for (int k = 0; k < PER_SIZE; k++)
			handles[len][k] = store(pool, len, len * PER_SIZE + (size_t)k);
	assert_zspages(m, pool);
	for (size_t len = 1; len <= PAGE_SIZE; len++)
		for (int k = 0; k < PER_SIZE; k++)
			assert_object(pool, handles[len][k], len, len * PER_SIZE + (size_t)k);
	for (size_t len = 1; len <= PAGE_SIZE; len++)
		for (int k = 0; k < PER_SIZE; k++)
			zs_free(pool, handles[len][k]);
	assert_int_equal(zs_get_total_pages(pool), 0);
	assert_zspages(m, pool);
	zs_destroy_pool(pool);
	machine_destroy(m);
}

/* 2000-byte objects (class 2016, handle word included) in zspages of several pages: most of them
 * cross a page boundary, and their bytes are whole on both sides. */
static void test_straddling_objects(void **state)
{
	(void)state;
	struct machine *m = test_boot(ARCH_X86_64, 64ULL << 20, 1, 1);
	struct zs_pool *pool = zs_create_pool(m, "test");
	unsigned long h[64];

	struct slabinfo si;

	for (unsigned long i = 0; i < 64; i++)
		h[i] = store(pool, 2000, i);
	/* Each handle is a word of the pool's slab cache. */
	get_slabinfo(kmem_cache_lookup(m, "zs_handle-test"), &si);
	assert_true(si.active_objs >= 64);
	assert_true(zs_get_total_pages(pool) >= 64 * 2016 / PAGE_SIZE);
	for (unsigned long i = 0; i < 64; i++)
		assert_object(pool, h[i], 2000, i);
	assert_zspages(m, pool);
	zs_destroy_pool(pool);
	assert_int_equal(global_zone_page_state(m, NR_ZSPAGES), 0);
	assert_null(kmem_cache_lookup(m, "zs_handle-test"));
	assert_machine_ok(m);
	machine_destroy(m);
}

/* A freed object's room is used again: no new zspage for the next object of its class. */
static void test_free_and_reuse(void **state)
{
	(void)state;
	struct machine *m = test_boot(ARCH_X86_64, 64ULL << 20, 1, 1);
	struct zs_pool *pool = zs_create_pool(m, "test");
	unsigned long keep = store(pool, 100, 1), h = store(pool, 100, 2);
	unsigned long pages = zs_get_total_pages(pool);

	zs_free(pool, h);
	h = store(pool, 100, 3);
	assert_int_equal(zs_get_total_pages(pool), pages);
	assert_object(pool, keep, 100, 1);
	assert_object(pool, h, 100, 3);
	zs_free(pool, keep);
	zs_free(pool, h);
	assert_int_equal(zs_get_total_pages(pool), 0);
	assert_zspages(m, pool);
	zs_destroy_pool(pool);
	machine_destroy(m);
}

/* Freeing every other object leaves half-empty zspages; compaction moves the rest together, frees
 * pages, and every handle still finds its bytes. */
static void test_compaction(void **state)
{
	(void)state;
	struct machine *m = test_boot(ARCH_X86_64, 64ULL << 20, 1, 1);
	struct zs_pool *pool = zs_create_pool(m, "test");
	struct zs_pool_stats stats;
	enum { N = 400 };
	unsigned long h[N], before, freed;

	for (unsigned long i = 0; i < N; i++)
		h[i] = store(pool, 700, i);
	for (unsigned long i = 0; i < N; i += 2)
		zs_free(pool, h[i]);
	before = zs_get_total_pages(pool);
	freed = zs_compact(pool);
	assert_true(freed > 0);
	assert_int_equal(zs_get_total_pages(pool), before - freed);
	zs_pool_stats(pool, &stats);
	assert_int_equal(stats.pages_compacted, freed);
	for (unsigned long i = 1; i < N; i += 2)
		assert_object(pool, h[i], 700, i);
	assert_zspages(m, pool);
	zs_destroy_pool(pool);
	machine_destroy(m);
}

static void test_bad_sizes_and_huge_class(void **state)
{
	(void)state;
	struct machine *m = test_boot(ARCH_X86_64, 64ULL << 20, 1, 1);
	struct zs_pool *pool = zs_create_pool(m, "test");

	assert_int_equal((long)zs_malloc(pool, 0, ZS_GFP), -22);
	assert_int_equal((long)zs_malloc(pool, PAGE_SIZE + 1, ZS_GFP), -22);
	/* The biggest class that is not one object per page, less the handle word but one byte. */
	assert_int_equal(zs_huge_class_size(pool), 3632 - 7);
	zs_free(pool, store(pool, PAGE_SIZE, 9));
	assert_int_equal(zs_get_total_pages(pool), 0);
	zs_destroy_pool(pool);
	assert_machine_ok(m);
	machine_destroy(m);
}

/* With memory gone, zs_malloc answers -ENOMEM and the pool stays sound. */
static void test_out_of_memory(void **state)
{
	(void)state;
	struct machine *m = test_boot(ARCH_X86_64, 32ULL << 20, 1, 1);
	struct zs_pool *pool = zs_create_pool(m, "test");
	unsigned long handle;
	long n = 0;

	while (!IS_ERR_VALUE(handle = zs_malloc(pool, PAGE_SIZE, ZS_GFP | __GFP_NOWARN)))
		n++;
	assert_int_equal((long)handle, -12);
	assert_true(n > 1000);
	assert_zspages(m, pool);
	zs_destroy_pool(pool);
	assert_machine_ok(m);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_size_class),
		cmocka_unit_test(test_straddling_objects),
		cmocka_unit_test(test_free_and_reuse),
		cmocka_unit_test(test_compaction),
		cmocka_unit_test(test_bad_sizes_and_huge_class),
		cmocka_unit_test(test_out_of_memory),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
