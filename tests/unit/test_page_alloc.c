/* Unit tests of boot and the buddy allocator: zones, split and merge, per-CPU lists, watermarks,
 * fallbacks between migratetypes and nodes, failure paths. Each test ends with the invariant checker. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <mmlab/gfp.h>
#include <mmlab/machine.h>
#include <mmlab/seq_file.h>
#include <mmlab/vmstat.h>

#include "mm/internal.h"
#include "machine_fixture.h"

static struct machine *boot_with(const char *arch, uint64_t ram, int nodes)
{
	return test_boot(strcmp(arch, "i386") ? ARCH_X86_64 : ARCH_I386, ram, nodes, 2);
}

static struct zone *zone_of(struct machine *m, int nid, enum zone_type z)
{
	return &NODE_DATA(m, nid)->node_zones[z];
}

static unsigned long free_pages_total(struct machine *m)
{
	return global_zone_page_state(m, NR_FREE_PAGES);
}

/* x86_64 256M: DMA spans pfn 1..4095 with the 640K-1M hole; the first MiB is reserved. */
static void test_boot_zones_x86_64(void **state)
{
	(void)state;
	struct machine *m = boot_with("x86_64", 256ULL << 20, 1);
	struct zone *dma = zone_of(m, 0, ZONE_DMA), *dma32 = zone_of(m, 0, ZONE_DMA32);

	assert_int_equal(dma->zone_start_pfn, 1);
	assert_int_equal(dma->spanned_pages, 4095);
	assert_int_equal(dma->present_pages, 158 + (4096 - 256));
	assert_int_equal(dma->managed_pages, 4096 - 256);
	assert_int_equal(dma32->zone_start_pfn, 4096);
	assert_int_equal(dma32->spanned_pages, 65536 - 4096);
	assert_false(populated_zone(zone_of(m, 0, ZONE_NORMAL)));
	assert_true(dma32->managed_pages < dma32->present_pages);
	assert_int_equal(m->totalram_pages, dma->managed_pages + dma32->managed_pages);
	/* Right after boot almost everything managed is free: only boot-time caches are in use. */
	assert_true(free_pages_total(m) > m->totalram_pages - 256);
	assert_machine_ok(m);
	machine_destroy(m);
}

/* i386 1G: lowmem ends at 896M, the rest is HighMem; GFP_HIGHUSER is served from HighMem, and
 * __get_free_pages never hands out a HighMem page. */
static void test_boot_zones_i386_highmem(void **state)
{
	(void)state;
	struct machine *m = boot_with("i386", 1ULL << 30, 1);
	struct zone *normal = zone_of(m, 0, ZONE_NORMAL), *high = zone_of(m, 0, ZONE_HIGHMEM);

	assert_int_equal(zone_end_pfn(normal), (896UL << 20) >> PAGE_SHIFT);
	assert_int_equal(high->zone_start_pfn, (896UL << 20) >> PAGE_SHIFT);
	assert_int_equal(high->spanned_pages, (128UL << 20) >> PAGE_SHIFT);
	assert_int_equal(m->totalhigh_pages, high->managed_pages);

	struct page *page = alloc_pages(m, GFP_HIGHUSER, 0);
	assert_non_null(page);
	assert_true(PageHighMem(page));
	assert_int_equal(page_address(m, page), 0);
	unsigned long addr = __get_free_pages(m, GFP_HIGHUSER, 0);
	assert_true(addr >= 0xc0000000UL);
	assert_false(PageHighMem(virt_to_page(m, addr)));
	free_pages(m, addr, 0);
	__free_pages(m, page, 0);
	assert_machine_ok(m);
	machine_destroy(m);
}

static void test_zone_modifiers(void **state)
{
	(void)state;
	struct machine *m = boot_with("x86_64", 256ULL << 20, 1);
	unsigned long dma_allocs = m->vm_events[PGALLOC_DMA], dma32_allocs = m->vm_events[PGALLOC_DMA32];
	unsigned long frees = m->vm_events[PGFREE];
	struct page *dma = alloc_pages(m, GFP_KERNEL | __GFP_DMA, 0);
	struct page *normal = alloc_pages(m, GFP_KERNEL, 0);

	assert_int_equal(page_zonenum(dma), ZONE_DMA);
	/* No Normal zone on a 256M machine: GFP_KERNEL falls back to DMA32, not DMA. */
	assert_int_equal(page_zonenum(normal), ZONE_DMA32);
	assert_int_equal(m->vm_events[PGALLOC_DMA], dma_allocs + 1);
	assert_int_equal(m->vm_events[PGALLOC_DMA32], dma32_allocs + 1);
	__free_pages(m, dma, 0);
	__free_pages(m, normal, 0);
	assert_int_equal(m->vm_events[PGFREE], frees + 2);
	assert_machine_ok(m);
	machine_destroy(m);
}

/* An order-0 free goes to the CPU's list, not the buddy: NR_FREE_PAGES does not count it. */
static void test_pcp_caches_order0(void **state)
{
	(void)state;
	struct machine *m = boot_with("x86_64", 256ULL << 20, 1);
	struct zone *zone = zone_of(m, 0, ZONE_DMA32);
	struct per_cpu_pages *pcp = &zone->per_cpu_pageset[m->this_cpu];

	drain_all_pages(m);
	unsigned long before = free_pages_total(m);
	struct page *page = alloc_pages(m, GFP_KERNEL, 0);

	assert_ptr_equal(page_zone(m, page), zone);
	/* The refill took a whole batch from the buddy and handed out one page. */
	assert_int_equal(pcp->count, pcp->batch - 1);
	assert_int_equal(free_pages_total(m), before - (unsigned long)pcp->batch);
	__free_pages(m, page, 0);
	assert_int_equal(pcp->count, pcp->batch);
	assert_int_equal(free_pages_total(m), before - (unsigned long)pcp->batch);
	drain_all_pages(m);
	assert_int_equal(pcp->count, 0);
	assert_int_equal(free_pages_total(m), before);
	assert_machine_ok(m);
	machine_destroy(m);
}

/* Filling the CPU's list past high drains a batch back to the buddy. */
static void test_pcp_high_drains(void **state)
{
	(void)state;
	struct machine *m = boot_with("x86_64", 256ULL << 20, 1);
	struct zone *zone = zone_of(m, 0, ZONE_DMA32);
	struct per_cpu_pages *pcp = &zone->per_cpu_pageset[0];
	static struct page *pages[4096];
	int n = pcp->high + pcp->batch;

	assert_true(n < 4096);
	for (int i = 0; i < n; i++)
		pages[i] = alloc_pages(m, GFP_KERNEL, 0);
	for (int i = 0; i < n; i++) {
		__free_pages(m, pages[i], 0);
		assert_true(pcp->count < pcp->high);
	}
	assert_machine_ok(m);
	machine_destroy(m);
}

/* Order 4 is above the per-CPU orders: it splits an order-5 (or larger) block, then merges back. */
static void test_split_and_merge(void **state)
{
	(void)state;
	struct machine *m = boot_with("x86_64", 256ULL << 20, 1);
	struct zone *zone = zone_of(m, 0, ZONE_DMA32);
	unsigned long nr_free[NR_PAGE_ORDERS];

	for (int o = 0; o < NR_PAGE_ORDERS; o++)
		nr_free[o] = zone->free_area[o].nr_free;
	int from = 4;
	while (!nr_free[from])
		from++;
	struct page *page = alloc_pages(m, GFP_KERNEL, 4);
	assert_non_null(page);
	assert_int_equal(page_to_pfn(m, page) & 15, 0);
	/* One block of order `from` became one free block of each order 4 .. from-1. */
	assert_int_equal(zone->free_area[from].nr_free, nr_free[from] - 1);
	for (int o = 4; o < from; o++)
		assert_int_equal(zone->free_area[o].nr_free, nr_free[o] + 1);
	assert_machine_ok(m);
	__free_pages(m, page, 4);
	for (int o = 0; o < NR_PAGE_ORDERS; o++)
		assert_int_equal(zone->free_area[o].nr_free, nr_free[o]);
	assert_machine_ok(m);
	machine_destroy(m);
}

/* Real bytes: what is written into a page reads back; __GFP_ZERO clears what an earlier user left. */
static void test_page_bytes_and_gfp_zero(void **state)
{
	(void)state;
	struct machine *m = boot_with("x86_64", 64ULL << 20, 1);
	struct page *page = alloc_pages(m, GFP_KERNEL, 1);
	unsigned char *bytes = kmap_local_page(m, page);

	for (int i = 0; i < 8192; i++)
		bytes[i] = (unsigned char)(i * 7 + 3);
	for (int i = 0; i < 8192; i++)
		assert_int_equal(bytes[i], (unsigned char)(i * 7 + 3));
	__free_pages(m, page, 1);
	/* The same CPU gets the same hot page back, now zeroed. */
	struct page *again = alloc_pages(m, GFP_KERNEL | __GFP_ZERO, 1);
	assert_ptr_equal(again, page);
	for (int i = 0; i < 8192; i++)
		assert_int_equal(bytes[i], 0);
	__free_pages(m, again, 1);
	assert_machine_ok(m);
	machine_destroy(m);
}

/* Exhausting memory returns NULL (never crashes); freeing everything restores every free page. */
static void test_exhaust_and_restore(void **state)
{
	(void)state;
	struct machine *m = boot_with("x86_64", 32ULL << 20, 1);
	static struct page *pages[16384];
	int n = 0;

	drain_all_pages(m);
	unsigned long before = free_pages_total(m);
	while (n < 16384 && (pages[n] = alloc_pages(m, GFP_KERNEL | __GFP_NOWARN, 0)))
		n++;
	assert_true(n > 1000 && n < 16384);
	assert_machine_ok(m);
	/* What is left is below the min watermark of every zone, less the atomic share. */
	assert_true(free_pages_total(m) < before / 10);
	for (int i = 0; i < n; i++)
		__free_pages(m, pages[i], 0);
	drain_all_pages(m);
	assert_int_equal(free_pages_total(m), before);
	assert_machine_ok(m);
	machine_destroy(m);
}

/* alloc_contig_pages: an aligned 1 GiB compound page from a free range, its pages gone from the free
 * counts and back with free_contig_range; a range held by the kernel is passed over, and when none is
 * left the call fails with every free page where it was and no pageblock left isolated. */
static void test_alloc_contig_pages(void **state)
{
	(void)state;
	struct machine *m = boot_with("x86_64", 3ULL << 30, 1);
	unsigned long before, nr = 1UL << 18;
	struct page *page, *second;

	drain_all_pages(m);
	before = free_pages_total(m);
	page = alloc_contig_pages(m, 18, GFP_HIGHUSER_MOVABLE, 0);
	assert_non_null(page);
	assert_int_equal(page_to_pfn(m, page) & (nr - 1), 0);
	assert_true(PageHead(page));
	assert_int_equal(compound_order(page), 18);
	assert_int_equal(page_ref_count(page), 1);
	assert_ptr_equal(compound_head(page + nr - 1), page);
	assert_int_equal(free_pages_total(m), before - nr);
	assert_machine_ok(m);
	/* the top gigabyte holds the boot allocations: no second range */
	second = alloc_contig_pages(m, 18, GFP_HIGHUSER_MOVABLE, 0);
	assert_null(second);
	assert_int_equal(free_pages_total(m), before - nr);
	assert_machine_ok(m);
	free_contig_range(m, page, 18);
	assert_int_equal(free_pages_total(m), before);
	assert_false(PageHead(page));
	assert_machine_ok(m);
	machine_destroy(m);
}

static void test_order_too_big_and_double_free(void **state)
{
	(void)state;
	struct machine *m = boot_with("x86_64", 64ULL << 20, 1);

	assert_null(alloc_pages(m, GFP_KERNEL | __GFP_NOWARN, MAX_PAGE_ORDER + 1));
	struct page *page = alloc_pages(m, GFP_KERNEL, 5);
	__free_pages(m, page, 5);
	unsigned long free_before = free_pages_total(m);
	__free_pages(m, page, 5);	/* reported as a bad page, and ignored */
	assert_int_equal(free_pages_total(m), free_before);
	assert_non_null(strstr(m->log.buf, "BUG: Bad page state"));
	assert_machine_ok(m);
	machine_destroy(m);
}

/* A failed allocation prints the kernel's warning unless __GFP_NOWARN. DMA has at most three free
 * order-10 blocks (the first MiB is reserved). */
static void test_alloc_failure_warning(void **state)
{
	(void)state;
	struct machine *m = boot_with("x86_64", 32ULL << 20, 1);
	struct page *blocks[4];
	int n = 0;

	while (n < 4 && (blocks[n] = alloc_pages(m, GFP_KERNEL | __GFP_DMA | __GFP_NOWARN, 10)))
		n++;
	assert_true(n >= 1 && n <= 3);
	assert_null(strstr(m->log.buf, "page allocation failure"));
	assert_null(alloc_pages(m, GFP_KERNEL | __GFP_DMA, 10));
	assert_non_null(strstr(m->log.buf, "mmlab: page allocation failure: order:10, mode:0xcc1(GFP_KERNEL|GFP_DMA)"));
	assert_non_null(strstr(m->log.buf, "Mem-Info:"));
	while (n--)
		__free_pages(m, blocks[n], 10);
	assert_machine_ok(m);
	machine_destroy(m);
}

/* min_free_kbytes = sqrt(16 * lowmem KiB); min is shared by zone size; low and high a step above. */
static void test_watermarks(void **state)
{
	(void)state;
	struct machine *m = boot_with("x86_64", 256ULL << 20, 1);
	struct zone *dma = zone_of(m, 0, ZONE_DMA), *dma32 = zone_of(m, 0, ZONE_DMA32);
	unsigned long init_pages = 256;	/* the kernel's init sections, freed after the watermarks were set */
	unsigned long managed_at_setup = m->totalram_pages - init_pages;
	unsigned long kb = managed_at_setup * 4, expect = 0;

	while ((expect + 1) * (expect + 1) <= kb * 16)
		expect++;
	assert_int_equal(m->sysctl.min_free_kbytes, expect);
	unsigned long pages_min = expect / 4;
	unsigned long dma32_at_setup = dma32->managed_pages - init_pages;
	assert_int_equal(dma->_watermark[WMARK_MIN], pages_min * dma->managed_pages / managed_at_setup);
	assert_int_equal(dma32->_watermark[WMARK_MIN], pages_min * dma32_at_setup / managed_at_setup);
	unsigned long gap = dma32->_watermark[WMARK_MIN] / 4;
	if (dma32_at_setup * 10 / 10000 > gap)
		gap = dma32_at_setup * 10 / 10000;
	assert_int_equal(dma32->_watermark[WMARK_LOW], dma32->_watermark[WMARK_MIN] + gap);
	assert_int_equal(dma32->_watermark[WMARK_HIGH], dma32->_watermark[WMARK_MIN] + 2 * gap);
	/* DMA keeps back managed(DMA32 + Normal + ...) / 256 from requests that could go higher. */
	assert_int_equal(dma->lowmem_reserve[ZONE_DMA32], (long)(dma32_at_setup / 256));

	/* Writing the tunable recomputes: double min_free_kbytes roughly doubles min. */
	unsigned long old_min = dma32->_watermark[WMARK_MIN];
	m->sysctl.min_free_kbytes *= 2;
	setup_per_zone_wmarks(m);
	assert_true(dma32->_watermark[WMARK_MIN] >= 2 * old_min - 1 && dma32->_watermark[WMARK_MIN] <= 2 * old_min + 2);
	machine_destroy(m);
}

/* zone_batchsize and zone_highsize follow the kernel's formulas. */
static void test_pcp_sizes(void **state)
{
	(void)state;
	struct machine *m = boot_with("x86_64", 1ULL << 30, 1);
	struct zone *dma32 = zone_of(m, 0, ZONE_DMA32);
	struct per_cpu_pages *pcp = &dma32->per_cpu_pageset[0];

	/* managed >> 10 is over 256 pages, capped to 256, /4 = 64, 64 + 32 = 96 -> 64 - 1. */
	assert_int_equal(pcp->batch, 63);
	assert_int_equal(pcp->high_min, (int)(low_wmark_pages(dma32) / 2));
	assert_int_equal(pcp->high_max, (int)((dma32->managed_pages - 256) / 8 / 2));
	machine_destroy(m);
}

/* Two nodes: node 1's allocations come from node 1; when it runs dry, node 0 serves them (numa_miss). */
static void test_numa_fallback(void **state)
{
	(void)state;
	struct machine *m = boot_with("x86_64", 128ULL << 20, 2);
	static struct page *pages[32768];
	int n = 0;

	assert_int_equal(NODE_DATA(m, 1)->node_zonelists[ZONELIST_FALLBACK]._zonerefs[0].zone->zone_pgdat->node_id, 1);
	unsigned long hits = zone_of(m, 1, ZONE_DMA32)->vm_numa_event[NUMA_HIT];
	unsigned long other = zone_of(m, 1, ZONE_DMA32)->vm_numa_event[NUMA_OTHER];
	struct page *page = alloc_pages_node(m, 1, GFP_KERNEL, 0);
	assert_int_equal(page_to_nid(page), 1);
	assert_int_equal(zone_of(m, 1, ZONE_DMA32)->vm_numa_event[NUMA_HIT], hits + 1);
	/* CPU 0 is on node 0, so a hit on node 1 is numa_other. */
	assert_int_equal(zone_of(m, 1, ZONE_DMA32)->vm_numa_event[NUMA_OTHER], other + 1);
	__free_pages(m, page, 0);
	while (n < 32768 && (pages[n] = alloc_pages_node(m, 1, GFP_KERNEL | __GFP_NOWARN, 0)))
		if (page_to_nid(pages[n++]) == 0)
			break;
	assert_int_equal(page_to_nid(pages[n - 1]), 0);
	assert_true(global_numa_event_state(m, NUMA_MISS) >= 1);
	assert_true(zone_of(m, 1, ZONE_DMA32)->vm_numa_event[NUMA_FOREIGN] >= 1);
	assert_machine_ok(m);
	for (int i = 0; i < n; i++)
		__free_pages(m, pages[i], 0);
	/* __GFP_THISNODE never leaves the node. */
	assert_machine_ok(m);
	machine_destroy(m);
}

/* Unmovable requests, once their own pageblocks are used up, claim a movable pageblock. */
static void test_migratetype_fallback(void **state)
{
	(void)state;
	struct machine *m = boot_with("x86_64", 64ULL << 20, 1);
	struct zone *zone = zone_of(m, 0, ZONE_DMA32);
	unsigned long blocks = zone_nr_pageblocks(m, zone), unmovable_before = 0, unmovable_after = 0;

	/* Use up the free unmovable pages so the next request must steal. */
	static struct page *pages[16384];
	int n = 0;
	for (unsigned long i = 0; i < blocks; i++)
		unmovable_before += zone->pageblock_flags[i] == MIGRATE_UNMOVABLE;
	while (n < 16384) {
		pages[n] = alloc_pages(m, GFP_KERNEL, 0);
		unmovable_after = 0;
		for (unsigned long i = 0; i < blocks; i++)
			unmovable_after += zone->pageblock_flags[i] == MIGRATE_UNMOVABLE;
		if (unmovable_after > unmovable_before)
			break;
		n++;
	}
	struct page *page = pages[n];
	/* A movable pageblock changed owner (two, when the block stolen was a whole order-10 block). */
	assert_true(unmovable_after == unmovable_before + 1 || unmovable_after == unmovable_before + 2);
	assert_int_equal(get_pfnblock_migratetype(m, zone, page_to_pfn(m, page)), MIGRATE_UNMOVABLE);
	/* A movable request still gets a movable block. */
	struct page *movable = alloc_pages(m, GFP_HIGHUSER_MOVABLE, 0);
	assert_int_equal(get_pfnblock_migratetype(m, zone, page_to_pfn(m, movable)), MIGRATE_MOVABLE);
	for (int i = 0; i <= n; i++)
		__free_pages(m, pages[i], 0);
	__free_pages(m, movable, 0);
	assert_machine_ok(m);
	machine_destroy(m);
}

static void test_bad_configs(void **state)
{
	(void)state;
	struct machine_config cfg;
	char err[256];

	machine_config_default(&cfg);
	cfg.ram = 1 << 20;
	assert_null(machine_boot(&cfg, NULL, err, sizeof(err)));
	assert_non_null(strstr(err, "out of range"));
	machine_config_default(&cfg);
	cfg.nodes = 9;
	assert_null(machine_boot(&cfg, NULL, err, sizeof(err)));
	machine_config_default(&cfg);
	cfg.arch = ARCH_I386;
	cfg.ram = 8ULL << 30;
	assert_null(machine_boot(&cfg, NULL, err, sizeof(err)));
	machine_config_default(&cfg);
	cfg.nodes = 2;
	cfg.distance_given = true;
	cfg.distance[0][0] = cfg.distance[1][1] = 10;
	cfg.distance[0][1] = 5;
	cfg.distance[1][0] = 20;
	assert_null(machine_boot(&cfg, NULL, err, sizeof(err)));
	assert_non_null(strstr(err, "distance"));
}

/* The PCI hole: a 5G machine has RAM to 3G, then from 4G; DMA32 spans the hole but has no pages in it. */
static void test_pci_hole(void **state)
{
	(void)state;
	struct machine *m = boot_with("x86_64", 5ULL << 30, 1);
	struct zone *dma32 = zone_of(m, 0, ZONE_DMA32), *normal = zone_of(m, 0, ZONE_NORMAL);

	assert_int_equal(zone_end_pfn(dma32), (4UL << 30) >> PAGE_SHIFT);
	assert_int_equal(dma32->present_pages, ((3UL << 30) - (16UL << 20)) >> PAGE_SHIFT);
	assert_int_equal(normal->zone_start_pfn, (4UL << 30) >> PAGE_SHIFT);
	assert_int_equal(normal->present_pages, (2UL << 30) >> PAGE_SHIFT);
	assert_machine_ok(m);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boot_zones_x86_64),
		cmocka_unit_test(test_boot_zones_i386_highmem),
		cmocka_unit_test(test_zone_modifiers),
		cmocka_unit_test(test_pcp_caches_order0),
		cmocka_unit_test(test_pcp_high_drains),
		cmocka_unit_test(test_split_and_merge),
		cmocka_unit_test(test_page_bytes_and_gfp_zero),
		cmocka_unit_test(test_exhaust_and_restore),
		cmocka_unit_test(test_order_too_big_and_double_free),
		cmocka_unit_test(test_alloc_failure_warning),
		cmocka_unit_test(test_watermarks),
		cmocka_unit_test(test_pcp_sizes),
		cmocka_unit_test(test_numa_fallback),
		cmocka_unit_test(test_migratetype_fallback),
		cmocka_unit_test(test_bad_configs),
		cmocka_unit_test(test_pci_hole),
		cmocka_unit_test(test_alloc_contig_pages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
