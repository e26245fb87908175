/* Unit tests of NUMA memory policies (mm/mempolicy.c) on a two-node machine, the process on a CPU
 * of node 0: interleave places page i of a mapping on node i mod 2 and counts interleave_hit; bind
 * keeps every page on its nodes; preferred tries its node first; a VMA's policy overrides the task's,
 * which a forked child inherits; mbind splits and merges VMAs; the system calls' errors. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <mmlab/machine.h>
#include <mmlab/mempolicy.h>
#include <mmlab/mm.h>
#include <mmlab/mman.h>
#include <mmlab/sched.h>
#include <mmlab/syscalls.h>
#include <mmlab/vmstat.h>

#include "machine_fixture.h"

#define MB (1ULL << 20)
#define NR_PAGES 16
#define BITS (8 * sizeof(unsigned long))

struct fixture {
	struct machine *m;
	struct task_struct *a;
	unsigned long buf;	/* NR_PAGES of private anonymous memory, not yet touched */
};

static int setup(void **state)
{
	static struct fixture f;

	f.m = test_boot(ARCH_X86_64, 256 * MB, 2, 2);
	assert_int_equal(f.m->cpu_to_node[f.m->this_cpu], 0);
	f.a = test_spawn(f.m, "a");
	f.buf = test_mmap_small_pages(f.a, NR_PAGES * PAGE_SIZE);
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

/* Store to page i of buf in tsk; the node of the page it lands on. */
static int touch(struct fixture *f, struct task_struct *tsk, unsigned long i)
{
	int sig = 0;
	unsigned long addr = f->buf + i * PAGE_SIZE;

	assert_non_null(user_access_page(f->m, tsk, addr, true, &sig));
	assert_int_equal(sig, 0);
	return page_to_nid(test_page_at(f->m, tsk, addr));
}

static unsigned long numa_event(struct machine *m, int nid, enum numa_stat_item item)
{
	unsigned long sum = 0;

	for (int z = 0; z < MAX_NR_ZONES; z++)
		sum += NODE_DATA(m, nid)->node_zones[z].vm_numa_event[item];
	return sum;
}

static void test_interleave_by_offset(void **state)
{
	struct fixture *f = *state;
	unsigned long nodes = 3, hits0 = numa_event(f->m, 0, NUMA_INTERLEAVE_HIT),
		      hits1 = numa_event(f->m, 1, NUMA_INTERLEAVE_HIT);

	assert_int_equal(sys_set_mempolicy(f->a, MPOL_INTERLEAVE, &nodes, BITS), 0);
	/* out of order: the node follows the page's offset, not the order of the faults */
	for (unsigned long i = NR_PAGES; i-- > 0;)
		assert_int_equal(touch(f, f->a, i), (int)(((f->buf >> PAGE_SHIFT) + i) % 2));
	assert_int_equal(numa_event(f->m, 0, NUMA_INTERLEAVE_HIT), hits0 + NR_PAGES / 2);
	assert_int_equal(numa_event(f->m, 1, NUMA_INTERLEAVE_HIT), hits1 + NR_PAGES / 2);
}

static void test_bind_remote_node(void **state)
{
	struct fixture *f = *state;
	unsigned long node1 = 2, hit = numa_event(f->m, 1, NUMA_HIT), other = numa_event(f->m, 1, NUMA_OTHER);

	assert_int_equal(sys_set_mempolicy(f->a, MPOL_BIND, &node1, BITS), 0);
	for (unsigned long i = 0; i < NR_PAGES; i++)
		assert_int_equal(touch(f, f->a, i), 1);
	/* the page tables come from node 1 too: at least the data pages were hits, all remote */
	assert_true(numa_event(f->m, 1, NUMA_HIT) >= hit + NR_PAGES);
	assert_int_equal(numa_event(f->m, 1, NUMA_OTHER) - other, numa_event(f->m, 1, NUMA_HIT) - hit);
}

static void test_preferred_and_local(void **state)
{
	struct fixture *f = *state;
	unsigned long node1 = 2, none = 0;

	assert_int_equal(sys_set_mempolicy(f->a, MPOL_PREFERRED, &node1, BITS), 0);
	assert_int_equal(touch(f, f->a, 0), 1);
	/* preferred without nodes is local allocation */
	assert_int_equal(sys_set_mempolicy(f->a, MPOL_PREFERRED, &none, BITS), 0);
	assert_int_equal(f->a->mempolicy.mode, MPOL_LOCAL);
	assert_int_equal(touch(f, f->a, 1), 0);
}

static void test_vma_policy_overrides_task(void **state)
{
	struct fixture *f = *state;
	unsigned long node0 = 1, node1 = 2;
	struct vm_area_struct *vma;

	assert_int_equal(sys_set_mempolicy(f->a, MPOL_BIND, &node0, BITS), 0);
	assert_int_equal(sys_mbind(f->a, f->buf + 4 * PAGE_SIZE, 4 * PAGE_SIZE, MPOL_BIND, &node1, BITS, 0), 0);
	vma = find_vma(f->a->mm, f->buf + 4 * PAGE_SIZE);
	assert_int_equal(vma->vm_start, f->buf + 4 * PAGE_SIZE);
	assert_int_equal(vma->vm_end, f->buf + 8 * PAGE_SIZE);
	/* default again: the three VMAs are one */
	assert_int_equal(sys_mbind(f->a, f->buf, NR_PAGES * PAGE_SIZE, MPOL_DEFAULT, NULL, 0, 0), 0);
	vma = find_vma(f->a->mm, f->buf);
	assert_int_equal(vma->vm_end - vma->vm_start, NR_PAGES * PAGE_SIZE);
	assert_int_equal(sys_mbind(f->a, f->buf + 4 * PAGE_SIZE, 4 * PAGE_SIZE, MPOL_BIND, &node1, BITS, 0), 0);
	for (unsigned long i = 0; i < NR_PAGES; i++)
		assert_int_equal(touch(f, f->a, i), i >= 4 && i < 8);
}

static void test_fork_inherits(void **state)
{
	struct fixture *f = *state;
	unsigned long node1 = 2;
	int err = 0;
	struct task_struct *b;

	assert_int_equal(sys_set_mempolicy(f->a, MPOL_BIND, &node1, BITS), 0);
	b = kernel_clone(f->m, f->a, "b", &err);
	assert_non_null(b);
	assert_true(mpol_equal(&b->mempolicy, &f->a->mempolicy));
	assert_ptr_equal(b->mm->owner, b);
	assert_int_equal(touch(f, b, 0), 1);
}

static void test_errors(void **state)
{
	struct fixture *f = *state;
	unsigned long none = 0, node1 = 2, node5 = 1UL << 5, node9 = 1UL << 9;

	assert_int_equal(sys_set_mempolicy(f->a, MPOL_BIND, &none, BITS), -EINVAL);
	assert_int_equal(sys_set_mempolicy(f->a, MPOL_INTERLEAVE, &none, BITS), -EINVAL);
	assert_int_equal(sys_set_mempolicy(f->a, MPOL_DEFAULT, &node1, BITS), -EINVAL);
	assert_int_equal(sys_set_mempolicy(f->a, MPOL_LOCAL, &node1, BITS), -EINVAL);
	assert_int_equal(sys_set_mempolicy(f->a, MPOL_BIND, &node5, BITS), -EINVAL);	/* no memory */
	assert_int_equal(sys_set_mempolicy(f->a, MPOL_BIND, &node9, BITS), -EINVAL);	/* > MAX_NUMNODES */
	assert_int_equal(sys_set_mempolicy(f->a, MPOL_MAX, &none, BITS), -EINVAL);
	/* get_nodes reads maxnode - 1 bits: maxnode 2 leaves node 0's bit only, so node 1 alone is no
	 * node; maxnode 1 reads none, which default takes */
	assert_int_equal(sys_set_mempolicy(f->a, MPOL_BIND, &node1, 2), -EINVAL);
	assert_int_equal(sys_set_mempolicy(f->a, MPOL_BIND, &node1, 3), 0);
	assert_int_equal(sys_set_mempolicy(f->a, MPOL_DEFAULT, &node1, 1), 0);
	/* a node past MAX_NUMNODES in a second word is -EINVAL; a word past maxnode is not read */
	assert_int_equal(sys_set_mempolicy(f->a, MPOL_BIND, (unsigned long[]){ 2, 1 }, 2 * BITS + 1), -EINVAL);
	assert_int_equal(sys_set_mempolicy(f->a, MPOL_BIND, (unsigned long[]){ 2, 1 }, BITS + 1), 0);
	assert_int_equal(sys_set_mempolicy(f->a, MPOL_DEFAULT, NULL, 0), 0);
	assert_int_equal(f->a->mempolicy.mode, MPOL_DEFAULT);
	assert_int_equal(sys_mbind(f->a, f->buf + 1, PAGE_SIZE, MPOL_BIND, &node1, BITS, 0), -EINVAL);
	assert_int_equal(sys_mbind(f->a, f->buf, ~0UL - PAGE_SIZE, MPOL_BIND, &node1, BITS, 0), -EINVAL);
	assert_int_equal(sys_mbind(f->a, f->buf, 0, MPOL_BIND, &node1, BITS, 0), 0);
	/* a hole in the middle of the range: -EFAULT, and no VMA takes the policy */
	assert_int_equal(sys_munmap(f->a, f->buf + 8 * PAGE_SIZE, PAGE_SIZE), 0);
	assert_int_equal(sys_mbind(f->a, f->buf, NR_PAGES * PAGE_SIZE, MPOL_BIND, &node1, BITS, 0), -EFAULT);
	assert_int_equal(find_vma(f->a->mm, f->buf)->vm_policy.mode, MPOL_DEFAULT);
	assert_int_equal(find_vma(f->a->mm, f->buf + 9 * PAGE_SIZE)->vm_policy.mode, MPOL_DEFAULT);
}

/* mpol_to_str: the mode as numa_maps names it, the nodes as ranges, cut to the buffer. */
static void test_mpol_to_str(void **state)
{
	char buf[64], small[8];
	struct mempolicy pol = { .mode = MPOL_INTERLEAVE, .nodes = { 0xd } };

	(void)state;
	mpol_to_str(buf, sizeof(buf), &pol);
	assert_string_equal(buf, "interleave:0,2-3");
	mpol_to_str(small, sizeof(small), &pol);
	assert_string_equal(small, "interle");
	pol = (struct mempolicy){ .mode = MPOL_PREFERRED, .nodes = { 2 } };
	mpol_to_str(buf, sizeof(buf), &pol);
	assert_string_equal(buf, "prefer:1");
	pol = (struct mempolicy){ .mode = MPOL_BIND, .nodes = { 0xff } };
	mpol_to_str(buf, sizeof(buf), &pol);
	assert_string_equal(buf, "bind:0-7");
	pol = (struct mempolicy){ .mode = MPOL_LOCAL };
	mpol_to_str(buf, sizeof(buf), &pol);
	assert_string_equal(buf, "local");
	pol = (struct mempolicy){ .mode = MPOL_DEFAULT };
	mpol_to_str(buf, sizeof(buf), &pol);
	assert_string_equal(buf, "default");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_interleave_by_offset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bind_remote_node, setup, teardown),
		cmocka_unit_test_setup_teardown(test_preferred_and_local, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vma_policy_overrides_task, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fork_inherits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test(test_mpol_to_str),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
