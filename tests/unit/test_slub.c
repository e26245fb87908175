/* Unit tests of SLUB and kmalloc: slab sizing, filling a slab, per-CPU and node partial lists, slabs
 * back to the buddy allocator, shrink, destroy with leaks, accounting. Each test ends with the
 * invariant checker, slab part included. */
#include <errno.h>
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
#include <mmlab/slab.h>
#include <mmlab/vmstat.h>

#include "mm/internal.h"
#include "mm/slab.h"
#include "machine_fixture.h"

static struct machine *boot_with(enum mm_arch arch, int cpus, int nodes)
{
	return test_boot(arch, 128ULL << 20, nodes, cpus);
}

static long slab_pages(struct machine *m)
{
	return (long)(global_node_page_state(m, NR_SLAB_RECLAIMABLE_B) +
		      global_node_page_state(m, NR_SLAB_UNRECLAIMABLE_B));
}

static long cache_slabs(struct kmem_cache *s)
{
	struct slabinfo si;

	get_slabinfo(s, &si);
	return (long)si.num_slabs;
}

/* The kmalloc caches and their sizes, as kmalloc_index maps them. */
static void test_kmalloc_classes(void **state)
{
	(void)state;
	struct machine *m = boot_with(ARCH_X86_64, 4, 1);
	static const struct {
		size_t size;
		const char *cache;
	} map[] = { { 1, "kmalloc-8" },	    { 8, "kmalloc-8" },	    { 9, "kmalloc-16" },   { 65, "kmalloc-96" },
		    { 96, "kmalloc-96" },   { 97, "kmalloc-128" },  { 129, "kmalloc-192" }, { 193, "kmalloc-256" },
		    { 1000, "kmalloc-1k" }, { 4097, "kmalloc-8k" }, { 8192, "kmalloc-8k" } };

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		assert_string_equal(kmem_cache_name(kmalloc_slab(m, map[i].size, GFP_KERNEL)), map[i].cache);
	assert_string_equal(kmem_cache_name(kmalloc_slab(m, 100, GFP_KERNEL | __GFP_RECLAIMABLE)), "kmalloc-rcl-128");
	assert_string_equal(kmem_cache_name(kmalloc_slab(m, 100, GFP_KERNEL | __GFP_DMA)), "dma-kmalloc-128");
	assert_null(kmalloc_slab(m, 8193, GFP_KERNEL));
	assert_int_equal(kmalloc(m, 0, GFP_KERNEL), 16);	/* ZERO_SIZE_PTR */
	kfree(m, 16);
	machine_destroy(m);
}

/* calculate_order: 4 CPUs want 16 objects a slab; kmalloc-192 fits 21 in a page, 1k needs order 2. */
static void test_slab_orders(void **state)
{
	(void)state;
	struct machine *m = boot_with(ARCH_X86_64, 4, 1);
	struct slabinfo si;

	get_slabinfo(kmem_cache_lookup(m, "kmalloc-192"), &si);
	assert_int_equal(si.objects_per_slab, 21);
	assert_int_equal(si.cache_order, 0);
	get_slabinfo(kmem_cache_lookup(m, "kmalloc-1k"), &si);
	assert_int_equal(si.objects_per_slab, 16);
	assert_int_equal(si.cache_order, 2);
	get_slabinfo(kmem_cache_lookup(m, "kmalloc-8k"), &si);
	assert_int_equal(si.objects_per_slab, 4);
	assert_int_equal(si.cache_order, 3);
	machine_destroy(m);
}

/* Filling a slab: objects in address order, each free object holding the next one's address. */
static void test_fill_slab(void **state)
{
	(void)state;
	struct machine *m = boot_with(ARCH_X86_64, 1, 1);
	struct kmem_cache *s = kmem_cache_create(m, "foo", 192, 64, 0);
	unsigned long obj[64];

	assert_non_null(s);
	assert_int_equal(kmem_cache_size(s), 192);
	struct slabinfo si;
	get_slabinfo(s, &si);
	for (unsigned int i = 0; i < si.objects_per_slab; i++) {
		obj[i] = kmem_cache_alloc(m, s, GFP_KERNEL);
		assert_true(obj[i]);
		if (i)
			assert_int_equal(obj[i], obj[i - 1] + 192);
	}
	assert_int_equal(cache_slabs(s), 1);
	struct slab *slab = virt_to_slab(m, obj[0]);
	assert_true(PageSlab(slab_page(slab)));
	assert_ptr_equal(slab->slab_cache, s);
	/* Two frees: the second object's bytes now hold the first one's address. */
	kmem_cache_free(m, s, obj[3]);
	kmem_cache_free(m, s, obj[5]);
	assert_int_equal(get_freepointer(m, s, obj[5]), obj[3]);
	assert_int_equal(kmem_cache_alloc(m, s, GFP_KERNEL), obj[5]);
	assert_int_equal(kmem_cache_alloc(m, s, GFP_KERNEL), obj[3]);
	/* The next allocation needs a second slab. */
	unsigned long extra = kmem_cache_alloc(m, s, GFP_KERNEL);
	assert_ptr_not_equal(virt_to_slab(m, extra), slab);
	assert_int_equal(cache_slabs(s), 2);
	assert_machine_ok(m);
	kmem_cache_free(m, s, extra);
	for (unsigned int i = 0; i < si.objects_per_slab; i++)
		kmem_cache_free(m, s, obj[i]);
	assert_int_equal(kmem_cache_destroy(m, s), 0);
	assert_machine_ok(m);
	machine_destroy(m);
}

/* Empty slabs beyond min_partial go back to the buddy allocator; shrink returns the rest. */
static void test_partial_lists_and_shrink(void **state)
{
	(void)state;
	struct machine *m = boot_with(ARCH_X86_64, 2, 1);
	struct kmem_cache *s = kmem_cache_create(m, "bar", 512, 0, 0);
	long pages0 = slab_pages(m);
	unsigned long free0 = global_zone_page_state(m, NR_FREE_PAGES);
	enum { N = 2000 };
	static unsigned long obj[N];

	for (int i = 0; i < N; i++)
		obj[i] = kmem_cache_alloc(m, s, GFP_KERNEL);
	long slabs = cache_slabs(s);
	assert_true(slabs >= N / 16);
	assert_true(slab_pages(m) > pages0);
	assert_machine_ok(m);
	/* Free every other object from CPU 1: remote frees, full slabs onto CPU 1's partial chain. */
	m->this_cpu = 1;
	for (int i = 0; i < N; i += 2)
		kmem_cache_free(m, s, obj[i]);
	assert_machine_ok(m);
	m->this_cpu = 0;
	for (int i = 1; i < N; i += 2)
		kmem_cache_free(m, s, obj[i]);
	assert_machine_ok(m);
	assert_true(cache_slabs(s) < slabs);
	assert_true(s->node[0]->nr_partial <= s->min_partial);
	kmem_cache_shrink(m, s);
	assert_int_equal(cache_slabs(s), 0);
	assert_int_equal(slab_pages(m), pages0);
	drain_all_pages(m);
	assert_true(global_zone_page_state(m, NR_FREE_PAGES) + 16 >= free0);
	assert_int_equal(kmem_cache_destroy(m, s), 0);
	assert_machine_ok(m);
	machine_destroy(m);
}

/* Destroying a cache with objects reports them and keeps the cache. */
static void test_destroy_with_leaks(void **state)
{
	(void)state;
	struct machine *m = boot_with(ARCH_X86_64, 1, 1);
	struct kmem_cache *s = kmem_cache_create(m, "leaky", 100, 0, SLAB_STORE_USER);
	unsigned long a = kmem_cache_alloc(m, s, GFP_KERNEL);
	unsigned long b = kmem_cache_alloc(m, s, GFP_KERNEL);

	kmem_cache_free(m, s, a);
	size_t logged = m->log.len;
	assert_int_equal(kmem_cache_destroy(m, s), -EBUSY);
	assert_non_null(strstr(m->log.buf + logged, "BUG leaky (Not tainted): Objects remaining in leaky on __kmem_cache_shutdown()"));
	assert_non_null(strstr(m->log.buf + logged, "Allocated in test.mm:1"));
	assert_non_null(strstr(m->log.buf + logged, "Slab cache still has objects when called from test.mm:1"));
	assert_ptr_equal(kmem_cache_lookup(m, "leaky"), s);
	assert_machine_ok(m);
	kmem_cache_free(m, s, b);
	assert_int_equal(kmem_cache_destroy(m, s), 0);
	assert_null(kmem_cache_lookup(m, "leaky"));
	assert_machine_ok(m);
	machine_destroy(m);
}

/* SLAB_RECLAIM_ACCOUNT: SReclaimable, and the pages of the Reclaimable migratetype. */
static void test_reclaim_account(void **state)
{
	(void)state;
	struct machine *m = boot_with(ARCH_X86_64, 1, 1);
	long rec0 = (long)global_node_page_state(m, NR_SLAB_RECLAIMABLE_B);
	unsigned long p = kmalloc(m, 100, GFP_KERNEL | __GFP_RECLAIMABLE);
	struct page *page = virt_to_page(m, p);

	assert_int_equal((long)global_node_page_state(m, NR_SLAB_RECLAIMABLE_B), rec0 + 1);
	assert_int_equal(get_pfnblock_migratetype(m, page_zone(m, page), page_to_pfn(m, page)), MIGRATE_RECLAIMABLE);
	kfree(m, p);
	kmem_cache_shrink(m, kmalloc_slab(m, 100, __GFP_RECLAIMABLE));
	assert_int_equal((long)global_node_page_state(m, NR_SLAB_RECLAIMABLE_B), rec0);
	assert_machine_ok(m);
	machine_destroy(m);
}

/* kmalloc_large, ksize, krealloc, kzalloc, kcalloc. */
static void test_kmalloc_family(void **state)
{
	(void)state;
	struct machine *m = boot_with(ARCH_X86_64, 1, 1);
	long unrec0 = (long)global_node_page_state(m, NR_SLAB_UNRECLAIMABLE_B);
	unsigned long big = kmalloc(m, 9000, GFP_KERNEL);

	assert_true(big);
	assert_int_equal(ksize(m, big), 16384);
	assert_int_equal((long)global_node_page_state(m, NR_SLAB_UNRECLAIMABLE_B), unrec0 + 4);
	kfree(m, big);
	assert_int_equal((long)global_node_page_state(m, NR_SLAB_UNRECLAIMABLE_B), unrec0);

	unsigned long p = kmalloc(m, 50, GFP_KERNEL);
	assert_int_equal(ksize(m, p), 64);
	memcpy(slab_bytes(m, p), "hello", 6);
	unsigned long q = krealloc(m, p, 60, GFP_KERNEL);
	assert_int_equal(q, p);
	q = krealloc(m, p, 300, GFP_KERNEL);
	assert_int_not_equal(q, p);
	assert_string_equal((char *)slab_bytes(m, q), "hello");
	assert_int_equal(ksize(m, q), 512);
	kfree(m, q);

	unsigned long z = kcalloc(m, 10, 30, GFP_KERNEL);
	for (int i = 0; i < 300; i++)
		assert_int_equal(slab_bytes(m, z)[i], 0);
	kfree(m, z);
	assert_int_equal(kcalloc(m, SIZE_MAX / 2, 4, GFP_KERNEL), 0);
	assert_machine_ok(m);
	machine_destroy(m);
}

/* i386: 4-byte free pointers, slabs in lowmem. */
static void test_i386(void **state)
{
	(void)state;
	struct machine *m = boot_with(ARCH_I386, 2, 1);
	unsigned long a = kmalloc(m, 8, GFP_KERNEL), b = kmalloc(m, 8, GFP_KERNEL);

	assert_true(a >= 0xc0000000UL && a < 0xf8000000UL);
	assert_int_equal(b, a + 8);
	kfree(m, a);
	kfree(m, b);
	assert_machine_ok(m);
	machine_destroy(m);
}

/* Two nodes: kmem_cache_node objects for each, slabs from the local node. */
static void test_numa(void **state)
{
	(void)state;
	struct machine *m = boot_with(ARCH_X86_64, 2, 2);

	m->cpu_to_node[1] = 1;
	m->this_cpu = 1;
	unsigned long p = kmalloc(m, 64, GFP_KERNEL);
	assert_int_equal(page_to_nid(virt_to_page(m, p)), 1);
	m->this_cpu = 0;
	kfree(m, p);
	assert_machine_ok(m);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kmalloc_classes),
		cmocka_unit_test(test_slab_orders),
		cmocka_unit_test(test_fill_slab),
		cmocka_unit_test(test_partial_lists_and_shrink),
		cmocka_unit_test(test_destroy_with_leaks),
		cmocka_unit_test(test_reclaim_account),
		cmocka_unit_test(test_kmalloc_family),
		cmocka_unit_test(test_i386),
		cmocka_unit_test(test_numa),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
