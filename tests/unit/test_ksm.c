/* Unit tests of KSM (mm/ksm.c): the stable tree in content order with one node per content and
 * its rmap_items, the unstable tree's checksum rule, max_page_sharing's chains and dups and their
 * collapse, per-node trees with merge_across_nodes=0, unmerging, and the counters against the
 * trees. Each test ends with the invariant checker (ksm_check included). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <mmlab/ksm.h>
#include <mmlab/machine.h>
#include <mmlab/mman.h>
#include <mmlab/procfs.h>
#include <mmlab/syscalls.h>

#include "machine_fixture.h"
#include "mm/ksm_internal.h"

#define MB (1ULL << 20)

/* A mergeable mapping of pages pages, page i filled with the byte content[i]. */
static unsigned long mergeable(struct machine *m, struct task_struct *tsk, const unsigned char *content,
			       unsigned long pages)
{
	unsigned long addr = test_map_anon(m, tsk, pages, content);

	assert_int_equal(sys_madvise(tsk, addr, pages * PAGE_SIZE, MADV_MERGEABLE), 0);
	return addr;
}

static void ksm_write(struct machine *m, const char *file, const char *value)
{
	char path[64];

	snprintf(path, sizeof(path), "/sys/kernel/mm/ksm/%s", file);
	assert_int_equal(procfs_write(m, path, value, strlen(value)), 0);
}

/* full_scans: n more complete scans (ksmd runs from the clock). */
static void full_scans(struct machine *m, unsigned long n)
{
	unsigned long target = m->ksm->scan.seqnr + n;

	while (m->ksm->scan.seqnr < target)
		machine_tick(m, 1000000);
}

static struct machine *boot_ksm(int nodes)
{
	struct machine *m = test_boot(ARCH_X86_64, 64 * MB, nodes, 2);

	ksm_write(m, "pages_to_scan", "1000");
	ksm_write(m, "run", "1");
	return m;
}

/* The number of entries of a stable tree, and that they are in strictly increasing content order. */
static unsigned long stable_tree_entries(struct machine *m, int nid)
{
	const unsigned char *prev = NULL;
	unsigned long n = 0;

	for (struct rb_node *rb = rb_first(&m->ksm->root_stable_tree[nid]); rb; rb = rb_next(rb)) {
		struct ksm_stable_node *node = rb_entry(rb, struct ksm_stable_node, node);
		const unsigned char *bytes;

		if (node->rmap_hlist_len == STABLE_NODE_CHAIN)
			node = list_entry(node->hlist.next, struct ksm_stable_node, hlist_dup);
		bytes = kmap_local_page(m, pfn_to_page(m, node->kpfn));
		if (prev)
			assert_true(memcmp(prev, bytes, PAGE_SIZE) < 0);
		prev = bytes;
		n++;
	}
	return n;
}

/* Identical pages of three processes end in one stable node per content, in content order, each
 * page mapped once per sharer; the first full scan only records checksums. */
static void test_stable_tree_order(void **state)
{
	struct machine *m = boot_ksm(1);
	const unsigned char content[] = { 9, 3, 7, 3, 1, 9 };
	struct task_struct *t[3] = { test_spawn(m, "a"), test_spawn(m, "b"), test_spawn(m, "c") };
	unsigned long addr[3];

	(void)state;
	for (int i = 0; i < 3; i++)
		addr[i] = mergeable(m, t[i], content, 6);
	full_scans(m, 1);
	assert_int_equal(m->ksm->pages_shared, 0);
	assert_int_equal(m->ksm->rmap_items, 18);
	full_scans(m, 1);
	assert_int_equal(stable_tree_entries(m, 0), 4);		/* 1, 3, 7, 9 */
	assert_int_equal(m->ksm->pages_shared, 4);
	assert_int_equal(m->ksm->pages_sharing, 14);
	for (int i = 0; i < 3; i++)
		assert_int_equal(t[i]->mm->ksm_merging_pages, 6);
	/* The pages of one content are one KSM page mapped six times. */
	struct page *page = NULL;
	for (int i = 0; i < 3; i++) {
		struct pt_entry pte;

		assert_true(follow_pte(t[i]->mm, addr[i], &pte));
		struct page *p = pfn_to_page(m, pte_pfn(t[i]->mm->pm, ptep_get(pte)));
		assert_true(PageKsm(p));
		assert_true(!page || p == page);
		page = p;
	}
	assert_int_equal(page->_mapcount + 1, 6);
	assert_int_equal(page_stable_node(page)->rmap_hlist_len, 6);
	assert_machine_ok(m);
	machine_destroy(m);
}

/* A page whose checksum changed since the last scan is volatile: it does not enter the unstable
 * tree; left alone one more scan, it merges. */
static void test_checksum_volatile(void **state)
{
	struct machine *m = boot_ksm(1);
	const unsigned char content[] = { 4 };
	struct task_struct *a = test_spawn(m, "a"), *b = test_spawn(m, "b");
	unsigned long addr;
	int sig = 0;

	(void)state;
	mergeable(m, a, content, 1);
	addr = mergeable(m, b, content, 1);
	full_scans(m, 1);
	user_access_page(m, b, addr, true, &sig)[100] = 5;	/* b's page changes after its checksum */
	full_scans(m, 1);
	assert_int_equal(m->ksm->pages_shared, 0);
	assert_int_equal(m->ksm->pages_unshared, 1);		/* a's page, unchanged, waits there */
	user_access_page(m, b, addr, true, &sig)[100] = 4;
	full_scans(m, 1);
	assert_int_equal(m->ksm->pages_shared, 0);		/* changed again: still volatile */
	full_scans(m, 1);
	assert_int_equal(m->ksm->pages_shared, 1);
	assert_int_equal(m->ksm->pages_sharing, 1);
	assert_int_equal(m->ksm->pages_unshared, 0);
	assert_machine_ok(m);
	machine_destroy(m);
}

/* With max_page_sharing 2, six identical pages make three KSM pages of two mappings each: one
 * chain with three dups in the tree. */
static void test_max_page_sharing_chain(void **state)
{
	struct machine *m = boot_ksm(1);
	const unsigned char content[] = { 8, 8, 8, 8, 8, 8 };
	struct task_struct *a = test_spawn(m, "a");
	struct ksm_stable_node *chain;

	(void)state;
	ksm_write(m, "max_page_sharing", "2");
	mergeable(m, a, content, 6);
	full_scans(m, 4);
	assert_int_equal(stable_tree_entries(m, 0), 1);
	chain = rb_entry(m->ksm->root_stable_tree[0].rb_node, struct ksm_stable_node, node);
	assert_int_equal(chain->rmap_hlist_len, STABLE_NODE_CHAIN);
	assert_int_equal(m->ksm->stable_node_chains, 1);
	assert_int_equal(m->ksm->stable_node_dups, 3);
	assert_int_equal(m->ksm->pages_shared, 3);
	assert_int_equal(m->ksm->pages_sharing, 3);
	assert_int_equal(procfs_write(m, "/sys/kernel/mm/ksm/max_page_sharing", "3", 1), -EBUSY);
	assert_machine_ok(m);
	machine_destroy(m);
}

/* A chain whose dups but one are unmerged collapses back into a plain node at the next search
 * after stable_node_chains_prune_millisecs, if that dup has room. With max_page_sharing 3, five
 * pages make a dup of three mappings (pages 0-2) and one of two (pages 3-4). */
static void test_chain_collapse(void **state)
{
	struct machine *m = boot_ksm(1);
	const unsigned char content[] = { 8, 8, 8, 8, 8, 8 };
	struct task_struct *a = test_spawn(m, "a"), *b = test_spawn(m, "b");
	unsigned long addr;

	(void)state;
	ksm_write(m, "max_page_sharing", "3");
	addr = mergeable(m, a, content, 5);
	full_scans(m, 4);
	assert_int_equal(m->ksm->stable_node_dups, 2);
	assert_int_equal(sys_madvise(a, addr, 3 * PAGE_SIZE, MADV_UNMERGEABLE), 0);
	assert_machine_ok(m);
	assert_int_equal(m->ksm->pages_shared, 1);
	assert_int_equal(m->ksm->stable_node_chains, 1);	/* one dup left, not pruned yet */
	ksm_write(m, "stable_node_chains_prune_millisecs", "0");
	mergeable(m, b, content + 5, 1);			/* a search of that content */
	full_scans(m, 2);
	assert_int_equal(m->ksm->stable_node_chains, 0);
	assert_int_equal(m->ksm->stable_node_dups, 0);
	assert_int_equal(m->ksm->pages_shared, 1);
	assert_int_equal(m->ksm->pages_sharing, 2);
	assert_machine_ok(m);
	machine_destroy(m);
}

/* merge_across_nodes=0: one tree per node, and identical pages on different nodes stay apart. */
static void test_per_node_trees(void **state)
{
	struct machine *m = test_boot(ARCH_X86_64, 64 * MB, 2, 2);
	const unsigned char content[] = { 6, 6 };
	struct task_struct *t[2];

	(void)state;
	ksm_write(m, "merge_across_nodes", "0");
	ksm_write(m, "pages_to_scan", "1000");
	ksm_write(m, "run", "1");
	for (int nid = 0; nid < 2; nid++) {
		char msg[320] = "";
		int err = 0;

		m->this_cpu = nid;	/* each process's pages from its CPU's node */
		t[nid] = spawn_task(m, nid ? "b" : "a", NULL, &err, msg, sizeof(msg));
		assert_non_null(t[nid]);
		mergeable(m, t[nid], content, 2);
	}
	full_scans(m, 2);
	assert_int_equal(stable_tree_entries(m, 0), 1);
	assert_int_equal(stable_tree_entries(m, 1), 1);
	assert_int_equal(m->ksm->pages_shared, 2);
	assert_int_equal(m->ksm->pages_sharing, 2);
	assert_int_equal(procfs_write(m, "/sys/kernel/mm/ksm/merge_across_nodes", "1", 1), -EBUSY);
	assert_machine_ok(m);
	machine_destroy(m);
}

/* run=2 unmerges every page and frees every rmap_item; full_scans starts again. */
static void test_run_unmerge(void **state)
{
	struct machine *m = boot_ksm(1);
	const unsigned char content[] = { 2, 2, 2, 5, 5 };
	struct task_struct *a = test_spawn(m, "a");
	unsigned long addr;

	(void)state;
	addr = mergeable(m, a, content, 5);
	full_scans(m, 2);
	assert_int_equal(m->ksm->pages_sharing, 3);
	ksm_write(m, "run", "2");
	assert_int_equal(m->ksm->pages_shared, 0);
	assert_int_equal(m->ksm->rmap_items, 0);
	assert_int_equal(m->ksm->scan.seqnr, 0);
	assert_int_equal(a->mm->rss_stat[MM_ANONPAGES], 5);
	for (unsigned long i = 0; i < 5; i++) {
		int sig = 0;

		assert_int_equal(user_access_page(m, a, addr + i * PAGE_SIZE, false, &sig)[4095], content[i]);
	}
	assert_machine_ok(m);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stable_tree_order),
		cmocka_unit_test(test_checksum_volatile),
		cmocka_unit_test(test_max_page_sharing_chain),
		cmocka_unit_test(test_chain_collapse),
		cmocka_unit_test(test_per_node_trees),
		cmocka_unit_test(test_run_unmerge),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
