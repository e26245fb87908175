/* Unit tests of the interval tree (lib/interval_tree.c) and of the i_mmap tree of file mappings
 * (mm/interval_tree.c): random inserts, removals and queries against a brute-force list of the
 * same intervals, the tree checked after every change; equal starts in order of insertion; a
 * file's VMAs found by page offset through splits, merges and unmaps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <mmlab/fs.h>
#include <mmlab/interval_tree.h>
#include <mmlab/machine.h>
#include <mmlab/mm.h>
#include <mmlab/sched.h>
#include <mmlab/syscalls.h>

#include "machine_fixture.h"

#define NODES 400
#define MB (1ULL << 20)

/* xorshift64: the test's own deterministic random numbers. */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

struct model {
	struct interval_tree_node nodes[NODES];
	bool in[NODES];
	struct rb_root root;
};

static void assert_tree(const struct model *mo)
{
	unsigned long count = 0, expected = 0;

	assert_true(interval_tree_check(&mo->root, &count));
	for (int i = 0; i < NODES; i++)
		expected += mo->in[i];
	assert_int_equal(count, expected);
}

/* The tree's answer for [start, last] against the list's: the same nodes, in order of start. */
static void assert_query(struct model *mo, unsigned long start, unsigned long last)
{
	bool seen[NODES] = { false };
	unsigned long prev = 0;
	int found = 0, expected = 0;

	for (struct interval_tree_node *n = interval_tree_iter_first(&mo->root, start, last); n;
	     n = interval_tree_iter_next(n, start, last)) {
		int i = (int)(n - mo->nodes);

		assert_true(i >= 0 && i < NODES && mo->in[i] && !seen[i]);
		assert_true(n->start <= last && n->last >= start);
		assert_true(n->start >= prev);
		prev = n->start;
		seen[i] = true;
		found++;
	}
	for (int i = 0; i < NODES; i++)
		expected += mo->in[i] && mo->nodes[i].start <= last && mo->nodes[i].last >= start;
	assert_int_equal(found, expected);
}

static void test_random_against_list(void **state)
{
	static struct model mo;
	uint64_t seed = 0x9e3779b97f4a7c15ULL;

	(void)state;
	memset(&mo, 0, sizeof(mo));
	mo.root = RB_ROOT;
	for (int step = 0; step < 20000; step++) {
		int i = (int)(rnd(&seed) % NODES);
		unsigned long a = rnd(&seed) % 1000, len = rnd(&seed) % 64;

		if (mo.in[i]) {
			interval_tree_remove(&mo.nodes[i], &mo.root);
			mo.in[i] = false;
		} else {
			mo.nodes[i].start = a;
			mo.nodes[i].last = a + len;
			interval_tree_insert(&mo.nodes[i], &mo.root);
			mo.in[i] = true;
		}
		if (step % 50 == 0)
			assert_tree(&mo);
		assert_query(&mo, a, a + rnd(&seed) % 32);
	}
	assert_query(&mo, 0, ~0UL);
	for (int i = 0; i < NODES; i++)
		if (mo.in[i]) {
			interval_tree_remove(&mo.nodes[i], &mo.root);
			mo.in[i] = false;
		}
	assert_null(mo.root.rb_node);
}

/* Equal starts come back in the order they went in; an empty tree answers nothing. */
static void test_equal_starts(void **state)
{
	struct interval_tree_node n[5];
	struct rb_root root = RB_ROOT;
	int i = 0;

	(void)state;
	assert_null(interval_tree_iter_first(&root, 0, ~0UL));
	for (int k = 0; k < 5; k++) {
		n[k].start = 10;
		n[k].last = 10 + (unsigned long)k;
		interval_tree_insert(&n[k], &root);
	}
	for (struct interval_tree_node *p = interval_tree_iter_first(&root, 12, 100); p;
	     p = interval_tree_iter_next(p, 12, 100))
		assert_ptr_equal(p, &n[2 + i++]);
	assert_int_equal(i, 3);
	assert_null(interval_tree_iter_first(&root, 15, 20));
	assert_null(interval_tree_iter_first(&root, 0, 9));
}

/* How many of the file's VMAs the i_mmap tree finds over page offsets [first, last]. */
static int vmas_over(struct address_space *mapping, unsigned long first, unsigned long last)
{
	struct vm_area_struct *vma;
	int n = 0;

	vma_interval_tree_foreach(vma, &mapping->i_mmap, first, last)
		n++;
	return n;
}

static void test_i_mmap(void **state)
{
	struct machine *m = test_boot(ARCH_X86_64, 64 * MB, 1, 1);
	struct task_struct *a = test_spawn(m, "a"), *b = test_spawn(m, "b");
	struct file *file;
	int err = 0;
	long p, q;

	(void)state;
	assert_int_equal(do_truncate(m, "/i", 64 * PAGE_SIZE), 0);
	file = filp_open(m, "/i", &err);
	assert_non_null(file);
	/* a maps pages 0-31, b pages 16-47 */
	p = sys_mmap_file(a, 0, 32 * PAGE_SIZE, PROT_READ, MAP_SHARED, file, 0);
	q = sys_mmap_file(b, 0, 32 * PAGE_SIZE, PROT_READ, MAP_SHARED, file, 16 * PAGE_SIZE);
	assert_true(p > 0 && q > 0);
	assert_int_equal(vmas_over(file->f_mapping, 0, 15), 1);
	assert_int_equal(vmas_over(file->f_mapping, 20, 20), 2);
	assert_int_equal(vmas_over(file->f_mapping, 40, 63), 1);
	assert_int_equal(vmas_over(file->f_mapping, 48, 63), 0);
	/* mprotect splits a's VMA in three: still one VMA over any offset of it, three over all */
	assert_int_equal(sys_mprotect(a, (unsigned long)p + 8 * PAGE_SIZE, 8 * PAGE_SIZE, PROT_NONE), 0);
	assert_int_equal(vmas_over(file->f_mapping, 0, 31), 3 + 1);
	assert_int_equal(vmas_over(file->f_mapping, 9, 9), 1);
	assert_machine_ok(m);
	/* and merges back */
	assert_int_equal(sys_mprotect(a, (unsigned long)p + 8 * PAGE_SIZE, 8 * PAGE_SIZE, PROT_READ), 0);
	assert_int_equal(vmas_over(file->f_mapping, 0, 31), 2);
	/* an unmap of b's first half moves its VMA's offsets */
	assert_int_equal(sys_munmap(b, (unsigned long)q, 16 * PAGE_SIZE), 0);
	assert_int_equal(vmas_over(file->f_mapping, 16, 31), 1);
	assert_int_equal(vmas_over(file->f_mapping, 32, 47), 1);
	assert_machine_ok(m);
	fput(m, file);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_against_list),
		cmocka_unit_test(test_equal_starts),
		cmocka_unit_test(test_i_mmap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
