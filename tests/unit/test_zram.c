/* Unit tests of zram: configuration through sysfs and its errors, round trips with every algorithm,
 * same-filled and huge pages, mm_stat's compression figures against the library's own, mem_limit,
 * and reset giving every page back. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <lz4.h>

#include <mmlab/compress.h>
#include <mmlab/machine.h>
#include <mmlab/page_pattern.h>
#include <mmlab/procfs.h>
#include <mmlab/seq_file.h>
#include <mmlab/vmalloc.h>
#include <mmlab/vmstat.h>
#include <mmlab/zram.h>

#include "machine_fixture.h"

static int sysfs_write(struct machine *m, const char *path, const char *text)
{
	return procfs_write(m, path, text, strlen(text));
}

/* mm_stat: its nine numbers into v. */
static void read_mm_stat(struct machine *m, unsigned long long v[9])
{
	struct seq_file s;

	seq_init(&s);
	assert_int_equal(procfs_read(m, "/sys/block/zram0/mm_stat", &s), 0);
	assert_int_equal(sscanf(s.buf, "%llu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0], &v[1], &v[2], &v[3],
				&v[4], &v[5], &v[6], &v[7], &v[8]), 9);
	seq_release(&s);
}

enum { ORIG, COMPR, MEM_USED, MEM_LIMIT, MEM_USED_MAX, SAME, COMPACTED, HUGE, HUGE_SINCE };

/* setup: zram0 with alg and size; the device. */
static struct zram *setup(struct machine *m, const char *alg, const char *size)
{
	assert_int_equal(sysfs_write(m, "/sys/block/zram0/comp_algorithm", alg), 0);
	assert_int_equal(sysfs_write(m, "/sys/block/zram0/disksize", size), 0);
	return zram_get(m, "/dev/zram0");
}

static void write_pages(struct zram *z, enum page_pattern kind, uint32_t first, uint32_t n)
{
	unsigned char page[PAGE_SIZE];

	for (uint32_t i = first; i < first + n; i++) {
		page_pattern_fill(page, kind, i, 7, 0x5a);
		assert_int_equal(zram_write_page(z, i, page), 0);
	}
}

static void check_pages(struct zram *z, enum page_pattern kind, uint32_t first, uint32_t n)
{
	unsigned char page[PAGE_SIZE], want[PAGE_SIZE];

	for (uint32_t i = first; i < first + n; i++) {
		page_pattern_fill(want, kind, i, 7, 0x5a);
		assert_int_equal(zram_read_page(z, i, page), 0);
		assert_memory_equal(page, want, PAGE_SIZE);
	}
}

/* The crypto wrappers alone: each algorithm compresses text and gets it back. */
static void test_crypto_round_trip(void **state)
{
	(void)state;
	unsigned char src[PAGE_SIZE], dst[COMP_DST_SIZE], back[PAGE_SIZE];
	const char *alg;

	page_pattern_fill(src, PATTERN_TEXT, 1, 1, 0);
	for (int i = 0; (alg = crypto_comp_alg(i)); i++) {
		struct crypto_comp *tfm = crypto_alloc_comp(alg);
		unsigned int dlen = sizeof(dst), blen = sizeof(back);

		assert_non_null(tfm);
		assert_int_equal(crypto_comp_compress(tfm, src, PAGE_SIZE, dst, &dlen), 0);
		assert_true(dlen < PAGE_SIZE / 2);
		assert_int_equal(crypto_comp_decompress(tfm, dst, dlen, back, &blen), 0);
		assert_int_equal(blen, PAGE_SIZE);
		assert_memory_equal(back, src, PAGE_SIZE);
		dlen = 16;	/* too little room: an error, never an overflow */
		assert_int_not_equal(crypto_comp_compress(tfm, src, PAGE_SIZE, dst, &dlen), 0);
		crypto_free_comp(tfm);
	}
	assert_null(crypto_alloc_comp("deflate"));
}

/* Every algorithm through a device: text, sequences and random pages read back whole. */
static void test_device_round_trip_per_algorithm(void **state)
{
	(void)state;
	const char *alg;

	for (int i = 0; (alg = crypto_comp_alg(i)); i++) {
		struct machine *m = test_boot(ARCH_X86_64, 128ULL << 20, 1, 1);
		struct zram *z = setup(m, alg, "16M");

		write_pages(z, PATTERN_TEXT, 0, 200);
		write_pages(z, PATTERN_SEQ, 200, 50);
		write_pages(z, PATTERN_RAND, 250, 5);
		check_pages(z, PATTERN_TEXT, 0, 200);
		check_pages(z, PATTERN_SEQ, 200, 50);
		check_pages(z, PATTERN_RAND, 250, 5);
		assert_machine_ok(m);
		machine_destroy(m);
	}
}

/* Same-filled pages take no pool memory; random pages are stored raw, one per page. */
static void test_same_and_huge_pages(void **state)
{
	(void)state;
	struct machine *m = test_boot(ARCH_X86_64, 64ULL << 20, 1, 1);
	struct zram *z = setup(m, "lz4", "8M");
	unsigned long long v[9];

	write_pages(z, PATTERN_ZERO, 0, 10);
	write_pages(z, PATTERN_BYTE, 10, 10);
	read_mm_stat(m, v);
	assert_int_equal(v[SAME], 20);
	assert_int_equal(v[ORIG], 20 * PAGE_SIZE);
	assert_int_equal(v[COMPR], 0);
	assert_int_equal(v[MEM_USED], 0);
	write_pages(z, PATTERN_RAND, 20, 3);
	read_mm_stat(m, v);
	assert_int_equal(v[HUGE], 3);
	assert_int_equal(v[HUGE_SINCE], 3);
	assert_int_equal(v[COMPR], 3 * PAGE_SIZE);
	assert_int_equal(v[MEM_USED], 3 * PAGE_SIZE);
	check_pages(z, PATTERN_ZERO, 0, 10);
	check_pages(z, PATTERN_BYTE, 10, 10);
	check_pages(z, PATTERN_RAND, 20, 3);
	zram_free_page(z, 20);
	read_mm_stat(m, v);
	assert_int_equal(v[HUGE], 2);
	assert_int_equal(v[HUGE_SINCE], 3);
	assert_machine_ok(m);
	machine_destroy(m);
}

/* compr_data_size is the sum of what liblz4 itself makes of the same pages. */
static void test_ratio_matches_library(void **state)
{
	(void)state;
	struct machine *m = test_boot(ARCH_X86_64, 64ULL << 20, 1, 1);
	struct zram *z = setup(m, "lz4", "8M");
	unsigned char page[PAGE_SIZE], out[LZ4_COMPRESSBOUND(PAGE_SIZE)];
	unsigned long long v[9], direct = 0;

	for (uint32_t i = 0; i < 300; i++) {
		page_pattern_fill(page, i % 3 ? PATTERN_TEXT : PATTERN_SEQ, i, 3, 0);
		assert_int_equal(zram_write_page(z, i, page), 0);
		direct += (unsigned long long)LZ4_compress_default((const char *)page, (char *)out, PAGE_SIZE,
								   (int)sizeof(out));
	}
	read_mm_stat(m, v);
	assert_int_equal(v[ORIG], 300 * PAGE_SIZE);
	assert_int_equal(v[COMPR], direct);
	assert_int_equal(v[HUGE] + v[SAME], 0);
	assert_true(v[MEM_USED] < v[ORIG] && v[MEM_USED] >= v[COMPR]);
	assert_int_equal(v[MEM_USED], global_zone_page_state(m, NR_ZSPAGES) * PAGE_SIZE);
	machine_destroy(m);
}

/* Past mem_limit a write is refused with -ENOMEM, counted in failed_writes; the slot keeps its page. */
static void test_mem_limit(void **state)
{
	(void)state;
	struct machine *m = test_boot(ARCH_X86_64, 64ULL << 20, 1, 1);
	struct zram *z = setup(m, "lz4", "8M");
	unsigned char page[PAGE_SIZE];
	unsigned long long v[9];
	struct seq_file s;
	uint32_t i = 0;
	int ret;

	assert_int_equal(sysfs_write(m, "/sys/block/zram0/mem_limit", "64K\n"), 0);
	do {
		page_pattern_fill(page, PATTERN_RAND, i, 1, 0);
		ret = zram_write_page(z, i++, page);
	} while (ret == 0 && i < 100);
	assert_int_equal(ret, -ENOMEM);
	assert_int_equal(i, 17);	/* 16 raw pages fit in 64 KiB, the 17th does not */
	read_mm_stat(m, v);
	assert_int_equal(v[MEM_LIMIT], 64 * 1024);
	assert_true(v[MEM_USED] <= 64 * 1024);
	assert_int_equal(v[ORIG], 16 * PAGE_SIZE);
	seq_init(&s);
	assert_int_equal(procfs_read(m, "/sys/block/zram0/io_stat", &s), 0);
	assert_string_equal(s.buf, "       0        1 0        0\n");
	seq_release(&s);
	check_pages(z, PATTERN_RAND, 0, 0);
	assert_int_equal(zram_read_page(z, 16, page), 0);	/* never stored: reads as zeros */
	assert_int_equal(page[0] | page[PAGE_SIZE - 1], 0);
	assert_machine_ok(m);
	machine_destroy(m);
}

/* The kernel's answers to bad sysfs writes, and I/O on an uninitialised device. */
static void test_sysfs_errors(void **state)
{
	(void)state;
	struct machine *m = test_boot(ARCH_X86_64, 64ULL << 20, 1, 1);
	struct zram *z = zram_get(m, "/dev/zram0");
	unsigned char page[PAGE_SIZE] = { 0 };

	assert_null(zram_get(m, "/dev/zram1"));
	assert_int_equal(zram_write_page(z, 0, page), -EIO);
	assert_int_equal(sysfs_write(m, "/sys/block/zram0/comp_algorithm", "deflate\n"), -EINVAL);
	assert_int_equal(sysfs_write(m, "/sys/block/zram0/disksize", "0\n"), -EINVAL);
	assert_int_equal(sysfs_write(m, "/sys/block/zram0/disksize", "12Q\n"), -EINVAL);
	assert_int_equal(sysfs_write(m, "/sys/block/zram0/compact", "1\n"), -EINVAL);
	assert_int_equal(sysfs_write(m, "/sys/block/zram0/disksize", "1M\n"), 0);
	assert_int_equal(sysfs_write(m, "/sys/block/zram0/disksize", "2M\n"), -EBUSY);
	assert_int_equal(sysfs_write(m, "/sys/block/zram0/comp_algorithm", "zstd\n"), -EBUSY);
	assert_int_equal(sysfs_write(m, "/sys/block/zram0/reset", "0\n"), -EINVAL);
	assert_int_equal(sysfs_write(m, "/sys/block/zram0/mem_used_max", "5\n"), -EINVAL);
	assert_int_equal(zram_write_page(z, 256, page), -EIO);
	assert_int_equal(zram_claim(z), 0);
	assert_int_equal(zram_claim(z), -EBUSY);
	assert_int_equal(sysfs_write(m, "/sys/block/zram0/reset", "1\n"), -EBUSY);
	zram_release(z);
	assert_int_equal(sysfs_write(m, "/sys/block/zram0/reset", "1\n"), 0);
	assert_int_equal(zram_nr_pages(z), 0);
	machine_destroy(m);
}

/* hot_add makes zram1, hot_remove takes it away; a device in use stays (-EBUSY). */
static void test_hot_add_remove(void **state)
{
	(void)state;
	struct machine *m = test_boot(ARCH_X86_64, 64ULL << 20, 1, 1);
	struct seq_file s;

	seq_init(&s);
	assert_int_equal(procfs_read(m, "/sys/class/zram-control/hot_add", &s), 0);
	assert_string_equal(s.buf, "1\n");
	assert_non_null(zram_get(m, "/dev/zram1"));
	assert_int_equal(zram_claim(zram_get(m, "/dev/zram1")), 0);
	assert_int_equal(sysfs_write(m, "/sys/class/zram-control/hot_remove", "1\n"), -EBUSY);
	zram_release(zram_get(m, "/dev/zram1"));
	assert_int_equal(sysfs_write(m, "/sys/class/zram-control/hot_remove", "1\n"), 0);
	assert_null(zram_get(m, "/dev/zram1"));
	assert_int_equal(sysfs_write(m, "/sys/class/zram-control/hot_remove", "1\n"), -ENODEV);
	assert_int_equal(procfs_read(m, "/sys/block/zram1/disksize", &s), -ENOENT);
	seq_release(&s);
	machine_destroy(m);
}

/* Reset frees the pool's pages and the vmalloc'ed table: the machine is back where it started. */
static void test_reset_returns_pages(void **state)
{
	(void)state;
	struct machine *m = test_boot(ARCH_X86_64, 64ULL << 20, 1, 1);
	unsigned long vmalloc_before = vmalloc_nr_pages(m);
	struct zram *z = setup(m, "zstd", "32M");

	write_pages(z, PATTERN_TEXT, 0, 500);
	assert_true(global_zone_page_state(m, NR_ZSPAGES) > 20);
	assert_int_equal(vmalloc_nr_pages(m), vmalloc_before + 32);	/* 8192 slots of 16 bytes */
	assert_machine_ok(m);
	assert_int_equal(sysfs_write(m, "/sys/block/zram0/reset", "1\n"), 0);
	assert_int_equal(global_zone_page_state(m, NR_ZSPAGES), 0);
	assert_int_equal(vmalloc_nr_pages(m), vmalloc_before);
	assert_machine_ok(m);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crypto_round_trip),
		cmocka_unit_test(test_device_round_trip_per_algorithm),
		cmocka_unit_test(test_same_and_huge_pages),
		cmocka_unit_test(test_ratio_matches_library),
		cmocka_unit_test(test_mem_limit),
		cmocka_unit_test(test_sysfs_errors),
		cmocka_unit_test(test_hot_add_remove),
		cmocka_unit_test(test_reset_returns_pages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
