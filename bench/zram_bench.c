/* zram against the library it compresses with, in the same run: zram_lz4_store stores pages in a
 * zram device (same-filled check, liblz4, zs_malloc, the copy into the pool's pages, the slot
 * update), lz4_direct calls LZ4_compress_default on the same pages. Both in MB/s of pages taken in.
 * The pages are text-like with a few number tables among them, made from a seed (page_pattern.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <lz4.h>

#include <mmlab/machine.h>
#include <mmlab/page_pattern.h>
#include <mmlab/procfs.h>
#include <mmlab/zram.h>

#include "bench.h"

#define NR_BENCH_PAGES	4096	/* 16 MiB of input, cycled */

struct zram_bench {
	struct zram *zram;
	unsigned char *pages;
	unsigned long next;
};

static const unsigned char *bench_page(struct zram_bench *b)
{
	return b->pages + (b->next++ % NR_BENCH_PAGES) * PAGE_SIZE;
}

static void zram_store_round(void *arg, long iters)
{
	struct zram_bench *b = arg;

	for (long i = 0; i < iters; i++) {
		uint32_t index = (uint32_t)(b->next % NR_BENCH_PAGES);

		if (zram_write_page(b->zram, index, bench_page(b))) {
			fprintf(stderr, "bench: zram_write_page failed\n");
			exit(1);
		}
	}
}

static void lz4_direct_round(void *arg, long iters)
{
	struct zram_bench *b = arg;
	char out[LZ4_COMPRESSBOUND(PAGE_SIZE)];

	for (long i = 0; i < iters; i++) {
		int n = LZ4_compress_default((const char *)bench_page(b), out, PAGE_SIZE, (int)sizeof(out));

		bench_keep(out);
		bench_keep(&n);
	}
}

/* MB/s from nanoseconds per page. */
static double page_mbps(double ns)
{
	return (double)PAGE_SIZE / ns * 1e9 / 1e6;
}

void bench_zram(void)
{
	struct machine *m = bench_machine();
	struct zram_bench b = { .pages = malloc(NR_BENCH_PAGES * PAGE_SIZE) };

	if (!b.pages || procfs_write(m, "/sys/block/zram0/comp_algorithm", "lz4\n", 4) ||
	    procfs_write(m, "/sys/block/zram0/disksize", "64M\n", 4)) {
		fprintf(stderr, "bench: cannot set up zram0\n");
		exit(1);
	}
	b.zram = zram_get(m, "/dev/zram0");
	for (unsigned long i = 0; i < NR_BENCH_PAGES; i++)
		page_pattern_fill(b.pages + i * PAGE_SIZE, i % 8 ? PATTERN_TEXT : PATTERN_SEQ, i, 1, 0);
	bench_report("zram_lz4_store", page_mbps(bench_best_ns_per_op(zram_store_round, &b, 40000)), "MB/s");
	bench_report("lz4_direct", page_mbps(bench_best_ns_per_op(lz4_direct_round, &b, 40000)), "MB/s");
	free(b.pages);
	machine_destroy(m);
}
