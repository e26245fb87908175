/* Unit tests of workingset detection (mm/workingset.c): the shadow entry's packing, the refault
 * distance against the workingset size with and without swap (each expectation computed here from
 * the kernel's rule), what a refault does to a page and the counters; and the multi-gen LRU's files
 * (/sys/kernel/mm/lru_gen/enabled, min_ttl_ms, /sys/kernel/debug/lru_gen): their formats, the
 * values they refuse, and a switch that moves every page between the two list structures. */
#include <errno.h>
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
#include <mmlab/mm.h>
#include <mmlab/procfs.h>
#include <mmlab/seq_file.h>
#include <mmlab/swap.h>
#include <mmlab/vmscan.h>
#include <mmlab/vmstat.h>
#include <mmlab/xarray.h>

#include "machine_fixture.h"
#include "mm/internal.h"

#define MB (1ULL << 20)
/* The timestamp bits a 64-bit shadow keeps: 64 - (1 tag + 1 workingset + NODES_SHIFT + 16 memcg). */
#define TIMESTAMP_BITS	(64 - 2 - NODES_SHIFT - 16)
#define EVICTION_MASK	((1UL << TIMESTAMP_BITS) - 1)

static void unpack_expect(const void *shadow, int memcgid, int nid, unsigned long eviction, bool workingset)
{
	int got_memcg, got_nid;
	unsigned long got_eviction;
	bool got_ws;

	assert_true(xa_is_value(shadow));
	unpack_shadow(shadow, &got_memcg, &got_nid, &got_eviction, &got_ws);
	assert_int_equal(got_memcg, memcgid);
	assert_int_equal(got_nid, nid);
	assert_int_equal(got_eviction, eviction);
	assert_int_equal(got_ws, workingset);
}

static void test_shadow_roundtrip(void **state)
{
	(void)state;
	unpack_expect(pack_shadow(0, 0, 0, false), 0, 0, 0, false);
	unpack_expect(pack_shadow(0, 3, 12345, true), 0, 3, 12345, true);
	unpack_expect(pack_shadow(0xffff, 7, EVICTION_MASK, true), 0xffff, 7, EVICTION_MASK, true);
	/* a timestamp past the mask keeps its low bits: the distance is taken modulo the mask */
	unpack_expect(pack_shadow(1, 1, (1UL << TIMESTAMP_BITS) + 5, false), 1, 1, 5, false);
	/* the layout: workingset in bit 1, the node above it, as xa_mk_value shifts by one */
	assert_int_equal((unsigned long)pack_shadow(0, 2, 1, true),
			 ((((1UL << 16) << NODES_SHIFT | 2UL) << 1 | 1UL) << 1) | 1UL);
}

static struct machine *boot_swap(bool swap)
{
	struct machine *m = test_boot(ARCH_X86_64, 64 * MB, 1, 2);
	struct swap_header_info info;

	if (swap) {
		assert_int_equal(mkswap(m, "/swapfile", 16 * MB, &info), 0);
		assert_int_equal(sys_swapon(m, "/swapfile", 0), 0);
	}
	return m;
}

/* The node's list counters set to synthetic sizes (the lists stay empty; put back by restore). */
static void set_sizes(pg_data_t *pgdat, const long want[NR_LRU_LISTS], long saved[NR_LRU_LISTS])
{
	for (int lru = 0; lru < NR_LRU_LISTS; lru++) {
		enum node_stat_item item = (enum node_stat_item)(NR_INACTIVE_ANON + lru);

		saved[lru] = (long)node_page_state(pgdat, item);
		__mod_node_page_state(pgdat, item, want[lru] - saved[lru]);
	}
}

static void restore_sizes(pg_data_t *pgdat, const long saved[NR_LRU_LISTS])
{
	long unused[NR_LRU_LISTS];

	set_sizes(pgdat, saved, unused);
}

/* test_recent: the distance from eviction to the node's clock now, against the sizes. */
static bool recent(struct machine *m, unsigned long eviction, bool file, bool *workingset)
{
	return workingset_test_recent(m, pack_shadow(0, 0, eviction, true), file, workingset);
}

static void check_distances(bool swap)
{
	struct machine *m = boot_swap(swap);
	pg_data_t *pgdat = NODE_DATA(m, 0);
	const long sizes[NR_LRU_LISTS] = { [LRU_INACTIVE_ANON] = 300, [LRU_ACTIVE_ANON] = 200,
					   [LRU_INACTIVE_FILE] = 50, [LRU_ACTIVE_FILE] = 100 };
	/* anon competes with the file lists and, with swap, the active anon list; file with the
	 * active file list and, with swap, both anon lists */
	unsigned long anon_ws = 100 + 50 + (swap ? 200 : 0), file_ws = 100 + (swap ? 200 + 300 : 0);
	long saved[NR_LRU_LISTS];
	bool ws = false;

	set_sizes(pgdat, sizes, saved);
	pgdat->__lruvec.nonresident_age = 1000;
	assert_true(recent(m, 1000 - anon_ws, false, &ws));
	assert_true(ws);
	assert_false(recent(m, 1000 - anon_ws - 1, false, &ws));
	assert_true(recent(m, 1000 - file_ws, true, &ws));
	assert_false(recent(m, 1000 - file_ws - 1, true, &ws));
	/* the clock wrapped past the mask since the eviction: the distance is still 10 */
	pgdat->__lruvec.nonresident_age = 5;
	assert_true(recent(m, EVICTION_MASK - 4, false, &ws));
	pgdat->__lruvec.nonresident_age = 0;
	restore_sizes(pgdat, saved);
	assert_machine_ok(m);
	machine_destroy(m);
}

static void test_refault_distance_swap(void **state)
{
	(void)state;
	check_distances(true);
}

static void test_refault_distance_no_swap(void **state)
{
	(void)state;
	check_distances(false);
}

/* A new anonymous page refaulting where a shadow was: counted; activated and the clock moved when
 * the distance fits; restored when the shadow says it was in the workingset. */
static void refault_one(struct machine *m, void *shadow, bool active, bool restored)
{
	pg_data_t *pgdat = NODE_DATA(m, 0);
	unsigned long refault = node_page_state(pgdat, WORKINGSET_REFAULT_ANON);
	unsigned long activate = node_page_state(pgdat, WORKINGSET_ACTIVATE_ANON);
	unsigned long restore = node_page_state(pgdat, WORKINGSET_RESTORE_ANON);
	unsigned long age = pgdat->__lruvec.nonresident_age;
	struct page *page = alloc_pages(m, GFP_HIGHUSER_MOVABLE, 0);

	assert_non_null(page);
	set_page_flag(page, PG_swapbacked);
	workingset_refault(m, page, shadow);
	assert_int_equal(node_page_state(pgdat, WORKINGSET_REFAULT_ANON), refault + 1);
	assert_int_equal(node_page_state(pgdat, WORKINGSET_ACTIVATE_ANON), activate + active);
	assert_int_equal(node_page_state(pgdat, WORKINGSET_RESTORE_ANON), restore + restored);
	assert_int_equal(test_bit_flag(page, PG_active), active);
	assert_int_equal(test_bit_flag(page, PG_workingset), restored);
	assert_int_equal(pgdat->__lruvec.nonresident_age, age + active);
	__free_pages(m, page, 0);
}

static void test_refault_activates(void **state)
{
	struct machine *m = boot_swap(true);
	pg_data_t *pgdat = NODE_DATA(m, 0);
	const long sizes[NR_LRU_LISTS] = { [LRU_ACTIVE_ANON] = 100 };
	long saved[NR_LRU_LISTS];

	(void)state;
	set_sizes(pgdat, sizes, saved);
	pgdat->__lruvec.nonresident_age = 500;
	refault_one(m, pack_shadow(0, 0, 450, false), true, false);
	refault_one(m, pack_shadow(0, 0, 450, true), true, true);
	refault_one(m, pack_shadow(0, 0, 100, true), false, false);
	restore_sizes(pgdat, saved);
	assert_machine_ok(m);
	machine_destroy(m);
}

/* An evicted page's shadow holds the clock before the eviction, which moves the clock by one. */
static void test_eviction_ticks(void **state)
{
	struct machine *m = boot_swap(false);
	struct page *page = alloc_pages(m, GFP_HIGHUSER_MOVABLE, 0);
	void *shadow;

	(void)state;
	assert_non_null(page);
	set_page_flag(page, PG_swapbacked);
	set_page_flag(page, PG_workingset);
	NODE_DATA(m, 0)->__lruvec.nonresident_age = 77;
	shadow = workingset_eviction(m, page);
	unpack_expect(shadow, 0, 0, 77, true);
	assert_int_equal(NODE_DATA(m, 0)->__lruvec.nonresident_age, 78);
	__free_pages(m, page, 0);
	machine_destroy(m);
}

/* A page-cache XArray's leaf nodes: listed while they hold shadows only, unlisted when a page comes
 * back into one or it is freed; the shrinker's xa_delete_node frees a listed node with its shadows. */
static void test_shadow_nodes(void **state)
{
	struct machine *m = boot_swap(false);
	pg_data_t *pgdat = NODE_DATA(m, 0);
	struct xarray xa;
	struct page fake __attribute__((aligned(8)));
	void *old;

	(void)state;
	xa_init(&xa);
	xa_set_update(&xa, workingset_update_node, m);
	for (unsigned long i = 64; i < 192; i++)	/* two leaf nodes of shadows */
		assert_int_equal(xa_store(&xa, i, pack_shadow(0, 0, i, false), &old), 0);
	assert_int_equal(node_page_state(pgdat, WORKINGSET_NODES), 2);
	assert_int_equal(xa_store(&xa, 70, &fake, &old), 0);	/* a page back in the first */
	assert_true(xa_is_value(old));
	assert_int_equal(node_page_state(pgdat, WORKINGSET_NODES), 1);
	assert_machine_ok(m);
	assert_int_equal(xa_store(&xa, 70, pack_shadow(0, 0, 70, true), &old), 0);
	assert_int_equal(node_page_state(pgdat, WORKINGSET_NODES), 2);
	/* the first node went back to the tail of the list: the second is the oldest now */
	xa_delete_node(list_first_entry(&pgdat->shadow_nodes, struct xa_node, private_list));
	assert_int_equal(node_page_state(pgdat, WORKINGSET_NODES), 1);
	assert_non_null(xa_load(&xa, 100));
	assert_null(xa_load(&xa, 150));
	assert_machine_ok(m);
	xa_destroy(&xa);
	assert_int_equal(node_page_state(pgdat, WORKINGSET_NODES), 0);
	assert_true(list_empty(&pgdat->shadow_nodes));
	assert_machine_ok(m);
	machine_destroy(m);
}

static const char *read_file(struct machine *m, const char *path, struct seq_file *s)
{
	seq_release(s);
	seq_init(s);
	assert_int_equal(procfs_read(m, path, s), 0);
	return s->buf;
}

static int write_file(struct machine *m, const char *path, const char *text)
{
	return procfs_write(m, path, text, strlen(text));
}

static void test_lru_gen_enabled_file(void **state)
{
	struct machine *m = boot_swap(false);
	struct seq_file s;

	(void)state;
	seq_init(&s);
	assert_string_equal(read_file(m, "/sys/kernel/mm/lru_gen/enabled", &s), "0x0000\n");
	assert_int_equal(write_file(m, "/sys/kernel/mm/lru_gen/enabled", "y\n"), 0);
	assert_string_equal(read_file(m, "/sys/kernel/mm/lru_gen/enabled", &s), "0x0007\n");
	assert_true(lru_gen_enabled(m));
	assert_int_equal(write_file(m, "/sys/kernel/mm/lru_gen/enabled", "6\n"), 0);
	assert_string_equal(read_file(m, "/sys/kernel/mm/lru_gen/enabled", &s), "0x0006\n");
	assert_false(lru_gen_enabled(m));
	assert_int_equal(write_file(m, "/sys/kernel/mm/lru_gen/enabled", "0x5"), 0);
	assert_string_equal(read_file(m, "/sys/kernel/mm/lru_gen/enabled", &s), "0x0005\n");
	assert_int_equal(write_file(m, "/sys/kernel/mm/lru_gen/enabled", "N"), 0);
	assert_string_equal(read_file(m, "/sys/kernel/mm/lru_gen/enabled", &s), "0x0000\n");
	assert_int_equal(write_file(m, "/sys/kernel/mm/lru_gen/enabled", "x"), -EINVAL);
	assert_int_equal(write_file(m, "/sys/kernel/mm/lru_gen/enabled", ""), -EINVAL);
	assert_string_equal(read_file(m, "/sys/kernel/mm/lru_gen/min_ttl_ms", &s), "0\n");
	assert_int_equal(write_file(m, "/sys/kernel/mm/lru_gen/min_ttl_ms", "1000\n"), 0);
	assert_string_equal(read_file(m, "/sys/kernel/mm/lru_gen/min_ttl_ms", &s), "1000\n");
	assert_int_equal(write_file(m, "/sys/kernel/mm/lru_gen/min_ttl_ms", "-1"), -EINVAL);
	assert_int_equal(write_file(m, "/sys/kernel/mm/lru_gen/min_ttl_ms", "4294967296"), -EINVAL);
	seq_release(&s);
	assert_machine_ok(m);
	machine_destroy(m);
}

static void test_lru_gen_debugfs(void **state)
{
	struct machine *m = boot_swap(true);
	const char *path = "/sys/kernel/debug/lru_gen";
	struct seq_file s;

	(void)state;
	seq_init(&s);
	assert_string_equal(read_file(m, path, &s), "memcg     0 \n"
						    " node     0\n"
						    "          0          0          0           0 \n"
						    "          1          0          0           0 \n"
						    "          2          0          0           0 \n"
						    "          3          0          0           0 \n");
	assert_int_equal(write_file(m, path, "+ 1 0 3"), -EINVAL);	/* no such memcg */
	assert_int_equal(write_file(m, path, "+ 0 1 3"), -EINVAL);	/* no such node */
	assert_int_equal(write_file(m, path, "+ 0 0 4"), -EINVAL);	/* past max_seq */
	assert_int_equal(write_file(m, path, "- 0 0 2"), -EINVAL);	/* not fully aged */
	assert_int_equal(write_file(m, path, "+ 0 0 3 202"), -EINVAL);	/* swappiness past max */
	assert_int_equal(write_file(m, path, "+ 0 0"), -EINVAL);
	assert_int_equal(write_file(m, path, "* 0 0 3"), -EINVAL);
	assert_int_equal(write_file(m, path, "+ 0 0 3 100 1 x"), -EINVAL);
	m->now_ns += 250000000;
	assert_int_equal(write_file(m, path, "+ 0 0 3; + 0 0 4 max\n"), 0);
	assert_string_equal(read_file(m, path, &s), "memcg     0 \n"
						    " node     0\n"
						    "          2        250          0           0 \n"
						    "          3        250          0           0 \n"
						    "          4          0          0           0 \n"
						    "          5          0          0           0 \n");
	assert_int_equal(write_file(m, path, "- 0 0 3"), 0);
	seq_release(&s);
	assert_machine_ok(m);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shadow_roundtrip),
		cmocka_unit_test(test_refault_distance_swap),
		cmocka_unit_test(test_refault_distance_no_swap),
		cmocka_unit_test(test_refault_activates),
		cmocka_unit_test(test_eviction_ticks),
		cmocka_unit_test(test_shadow_nodes),
		cmocka_unit_test(test_lru_gen_enabled_file),
		cmocka_unit_test(test_lru_gen_debugfs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
