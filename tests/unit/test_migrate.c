/* Unit tests of moving pages between nodes on a three-node machine, the process on a CPU of node 0:
 * move_pages (mm/migrate.c) moves the bytes and remaps the PTEs, gives each page's status and
 * moves runs of one target node together; migrate_pages (mm/mempolicy.c) moves each node's pages to
 * the node in the same place of the new set; mbind's MPOL_MF_MOVE puts misplaced pages where the
 * policy would have allocated them. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <mmlab/machine.h>
#include <mmlab/mempolicy.h>
#include <mmlab/migrate.h>
#include <mmlab/mm.h>
#include <mmlab/mman.h>
#include <mmlab/sched.h>
#include <mmlab/syscalls.h>
#include <mmlab/vmstat.h>

#include "machine_fixture.h"

#define MB (1ULL << 20)
#define NR_PAGES 8
#define BITS (8 * sizeof(unsigned long))

struct fixture {
	struct machine *m;
	struct task_struct *a;
	unsigned long buf;	/* NR_PAGES of private anonymous memory, each page filled with its index */
	unsigned long pages[NR_PAGES];
};

static int setup(void **state)
{
	static struct fixture f;

	f.m = test_boot(ARCH_X86_64, 384 * MB, 3, 3);
	assert_int_equal(f.m->cpu_to_node[f.m->this_cpu], 0);
	f.a = test_spawn(f.m, "a");
	f.buf = test_mmap_small_pages(f.a, NR_PAGES * PAGE_SIZE);
	test_fill_pages(f.m, f.a, f.buf, NR_PAGES);
	for (unsigned long i = 0; i < NR_PAGES; i++)
		f.pages[i] = f.buf + i * PAGE_SIZE;
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	assert_machine_ok(f->m);
	machine_destroy(f->m);
	return 0;
}

/* Page i: on which node, and still filled with its index. */
static int page_node_checked(struct fixture *f, struct task_struct *tsk, unsigned long i)
{
	struct page *page = test_page_at(f->m, tsk, f->pages[i]);

	test_page_filled(f->m, page, i);
	return page_to_nid(page);
}

static unsigned long vm_event(struct machine *m, enum vm_event_item item)
{
	return m->vm_events[item];
}

static void test_move_pages_moves_bytes(void **state)
{
	struct fixture *f = *state;
	int nodes[NR_PAGES], status[NR_PAGES];
	unsigned long success = vm_event(f->m, PGMIGRATE_SUCCESS);
	struct page *old = test_page_at(f->m, f->a, f->pages[0]);

	for (int i = 0; i < NR_PAGES; i++)
		nodes[i] = 2;
	assert_int_equal(sys_move_pages(f->a, NR_PAGES, f->pages, nodes, status, MPOL_MF_MOVE), 0);
	for (unsigned long i = 0; i < NR_PAGES; i++) {
		assert_int_equal(status[i], 2);
		assert_int_equal(page_node_checked(f, f->a, i), 2);
	}
	/* the PTE maps a new frame, which the rmap knows; the old one is free */
	assert_ptr_not_equal(test_page_at(f->m, f->a, f->pages[0]), old);
	assert_int_equal(folio_precise_page_mapcount(test_page_at(f->m, f->a, f->pages[0])), 1);
	assert_int_equal(page_ref_count(old), 0);
	assert_int_equal(vm_event(f->m, PGMIGRATE_SUCCESS), success + NR_PAGES);
	/* do_pages_stat tells the same */
	assert_int_equal(sys_move_pages(f->a, NR_PAGES, f->pages, NULL, status, 0), 0);
	for (int i = 0; i < NR_PAGES; i++)
		assert_int_equal(status[i], 2);
}

/* Runs of one node move together; a page already there, or one that cannot move, ends a run and has
 * its status at once. */
static void test_move_pages_mixed_nodes(void **state)
{
	struct fixture *f = *state;
	int nodes[NR_PAGES] = { 1, 1, 0, 2, 2, 1, 0, 1 }, status[NR_PAGES];
	unsigned long pages[NR_PAGES];

	memcpy(pages, f->pages, sizeof(pages));
	pages[5] = f->buf + NR_PAGES * PAGE_SIZE + PAGE_SIZE;	/* past the mapping: -EFAULT */
	assert_int_equal(sys_move_pages(f->a, NR_PAGES, pages, nodes, status, MPOL_MF_MOVE), 0);
	for (unsigned long i = 0; i < NR_PAGES; i++) {
		if (i == 5) {
			assert_int_equal(status[i], -EFAULT);
			assert_int_equal(page_node_checked(f, f->a, i), 0);
			continue;
		}
		assert_int_equal(status[i], nodes[i]);
		assert_int_equal(page_node_checked(f, f->a, i), nodes[i]);
	}
}

/* The errors of the call, and of each page. */
static void test_move_pages_errors(void **state)
{
	struct fixture *f = *state;
	int node1[NR_PAGES] = { 1, 1, 1, 1, 1, 1, 1, 1 }, bad[1] = { 3 }, status[NR_PAGES];
	int err = 0;
	struct task_struct *b;

	assert_int_equal(sys_move_pages(f->a, 1, f->pages, node1, status, MPOL_MF_STRICT), -EINVAL);
	assert_int_equal(sys_move_pages(f->a, 1, f->pages, bad, status, MPOL_MF_MOVE), -ENODEV);
	/* nothing mapped yet: -ENOENT; only read: the zero page, -EFAULT */
	assert_int_equal(sys_madvise(f->a, f->buf, 2 * PAGE_SIZE, MADV_DONTNEED), 0);
	assert_non_null(user_access_page(f->m, f->a, f->pages[1], false, &err));
	assert_int_equal(sys_move_pages(f->a, 2, f->pages, node1, status, MPOL_MF_MOVE), 0);
	assert_int_equal(status[0], -ENOENT);
	assert_int_equal(status[1], -EFAULT);
	/* shared with a child: -EACCES, unless MPOL_MF_MOVE_ALL, which needs CAP_SYS_NICE */
	b = kernel_clone(f->m, f->a, "b", &err);
	assert_non_null(b);
	assert_int_equal(sys_move_pages(f->a, 1, &f->pages[2], node1, status, MPOL_MF_MOVE), 0);
	assert_int_equal(status[0], -EACCES);
	assert_int_equal(sys_setuid(b, 1000), 0);
	assert_int_equal(sys_move_pages(b, 1, &f->pages[2], node1, status, MPOL_MF_MOVE_ALL), -EPERM);
	assert_int_equal(sys_move_pages(f->a, 1, &f->pages[2], node1, status, MPOL_MF_MOVE_ALL), 0);
	assert_int_equal(status[0], 1);
	assert_int_equal(page_node_checked(f, b, 2), 1);
	assert_int_equal(page_node_checked(f, f->a, 2), 1);
}

/* migrate_pages {0,1} -> {1,2}: node 1's pages go to 2 first, then node 0's to 1. */
static void test_migrate_pages_remaps_nodes(void **state)
{
	struct fixture *f = *state;
	int node1[4] = { 1, 1, 1, 1 }, status[4];
	unsigned long from = 3, to = 6, none = 0;

	assert_int_equal(sys_move_pages(f->a, 4, f->pages, node1, status, MPOL_MF_MOVE), 0);
	assert_int_equal(sys_migrate_pages(f->a, BITS, &from, &to), 0);
	for (unsigned long i = 0; i < NR_PAGES; i++)
		assert_int_equal(page_node_checked(f, f->a, i), i < 4 ? 2 : 1);
	/* an empty target set moves nothing */
	assert_int_equal(sys_migrate_pages(f->a, BITS, &to, &none), 0);
	assert_int_equal(page_node_checked(f, f->a, 0), 2);
	/* a node past MAX_NUMNODES */
	from = 1UL << 9;
	assert_int_equal(sys_migrate_pages(f->a, BITS, &from, &to), -EINVAL);
}

/* mbind interleave with MPOL_MF_MOVE: each page off the policy's nodes goes where a fault would put
 * it under the policy; one on them stays. */
static void test_mbind_move_interleave(void **state)
{
	struct fixture *f = *state;
	unsigned long nodes = 3, from = 1, to = 4;

	assert_int_equal(sys_migrate_pages(f->a, BITS, &from, &to), 0);
	assert_int_equal(sys_mbind(f->a, f->buf, NR_PAGES * PAGE_SIZE, MPOL_INTERLEAVE, &nodes, BITS, MPOL_MF_MOVE), 0);
	for (unsigned long i = 0; i < NR_PAGES; i++)
		assert_int_equal(page_node_checked(f, f->a, i), (int)(((f->buf >> PAGE_SHIFT) + i) % 2));
	/* bind to node 2 with strict alone: the pages are misplaced, -EIO, no policy set */
	nodes = 4;
	assert_int_equal(sys_mbind(f->a, f->buf, NR_PAGES * PAGE_SIZE, MPOL_BIND, &nodes, BITS, MPOL_MF_STRICT), -EIO);
	assert_int_equal(find_vma(f->a->mm, f->buf)->vm_policy.mode, MPOL_INTERLEAVE);
	/* unknown flags */
	assert_int_equal(sys_mbind(f->a, f->buf, PAGE_SIZE, MPOL_BIND, &nodes, BITS, MPOL_MF_INVERT), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_move_pages_moves_bytes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_move_pages_mixed_nodes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_move_pages_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migrate_pages_remaps_nodes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mbind_move_interleave, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
