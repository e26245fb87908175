/* Unit tests of automatic NUMA balancing on a two-node machine with CPUs 0-1 on node 0 and 2-3 on
 * node 1: task_numa_work's scan makes PTEs PROT_NONE (but for pages already on the node the process
 * runs on, and copy-on-write pages another process maps too); a hinting fault restores the PTE and
 * moves a misplaced page to the CPU's node with its bytes; should_numa_migrate_memory's filter; the
 * last cpupid is reset when a page is freed and carried when it migrates. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <mmlab/gfp.h>
#include <mmlab/machine.h>
#include <mmlab/mm.h>
#include <mmlab/numa_balancing.h>
#include <mmlab/sched.h>
#include <mmlab/vmstat.h>

#include "machine_fixture.h"

#define MB (1ULL << 20)
#define NR_PAGES 8
#define SEC 1000000000ULL

struct fixture {
	struct machine *m;
	struct task_struct *a;
	unsigned long buf;	/* NR_PAGES written from CPU 0: on node 0, each filled with its index */
};

static int setup(void **state)
{
	static struct fixture f;

	f.m = test_boot(ARCH_X86_64, 256 * MB, 2, 4);
	assert_int_equal(f.m->cpu_to_node[2], 1);
	f.m->numa_balancing_mode = NUMA_BALANCING_NORMAL;
	f.a = test_spawn(f.m, "a");
	f.buf = test_mmap_small_pages(f.a, NR_PAGES * PAGE_SIZE);
	test_fill_pages(f.m, f.a, f.buf, NR_PAGES);
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

static pteval_t pte_at(struct task_struct *tsk, unsigned long addr)
{
	struct pt_entry pte;

	assert_int_equal(walk_to_pte(tsk->mm, addr, false, &pte), 0);
	return ptep_get(pte);
}

/* A scan from CPU cpu, its delay passed. */
static void scan_from(struct fixture *f, struct task_struct *tsk, int cpu)
{
	f->m->this_cpu = cpu;
	f->m->now_ns += 2 * SEC;
	task_numa_work(f->m, tsk);
}

/* A load of page i from CPU cpu; the node of the page, whose bytes are checked. */
static int load_from(struct fixture *f, struct task_struct *tsk, unsigned long i, int cpu)
{
	int sig = 0;
	struct page *page;

	f->m->this_cpu = cpu;
	assert_non_null(user_access_page(f->m, tsk, f->buf + i * PAGE_SIZE, false, &sig));
	assert_int_equal(sig, 0);
	page = test_page_at(f->m, tsk, f->buf + i * PAGE_SIZE);
	test_page_filled(f->m, page, i);
	return page_to_nid(page);
}

static void test_scan_and_hinting_fault(void **state)
{
	struct fixture *f = *state;
	unsigned long updates = f->m->vm_events[NUMA_PTE_UPDATES];

	/* from node 0 the pages are where they should be: nothing to mark */
	scan_from(f, f->a, 0);
	assert_int_equal(f->m->vm_events[NUMA_PTE_UPDATES], updates);
	scan_from(f, f->a, 2);
	assert_int_equal(f->m->vm_events[NUMA_PTE_UPDATES], updates + NR_PAGES);
	for (unsigned long i = 0; i < NR_PAGES; i++)
		assert_true(pte_protnone(pte_at(f->a, f->buf + i * PAGE_SIZE)));
	/* a load from node 1: a remote hinting fault, the page moves; the PTE is back and writable */
	assert_int_equal(load_from(f, f->a, 0, 3), 1);
	assert_int_equal(f->m->vm_events[NUMA_HINT_FAULTS], 1);
	assert_int_equal(f->m->vm_events[NUMA_HINT_FAULTS_LOCAL], 0);
	assert_int_equal(f->m->vm_events[NUMA_PAGE_MIGRATE], 1);
	assert_false(pte_protnone(pte_at(f->a, f->buf)));
	assert_true(pte_write(pte_at(f->a, f->buf)));
	/* a load from node 0: local, nothing moves */
	assert_int_equal(load_from(f, f->a, 1, 1), 0);
	assert_int_equal(f->m->vm_events[NUMA_HINT_FAULTS_LOCAL], 1);
	assert_int_equal(f->m->vm_events[NUMA_PAGE_MIGRATE], 1);
	/* the moved page carries the cpupid of its fault */
	assert_int_equal(folio_last_cpupid(test_page_at(f->m, f->a, f->buf)), cpu_pid_to_cpupid(3, f->a->pid));
}

/* Copy-on-write pages another process maps, and pages of a VMA with a policy, are not scanned. */
static void test_scan_skips(void **state)
{
	struct fixture *f = *state;
	unsigned long updates = f->m->vm_events[NUMA_PTE_UPDATES], node0 = 1;
	int err = 0;
	struct task_struct *b = kernel_clone(f->m, f->a, "b", &err);

	assert_non_null(b);
	scan_from(f, f->a, 2);
	assert_int_equal(f->m->vm_events[NUMA_PTE_UPDATES], updates);
	do_exit(f->m, b);
	assert_int_equal(sys_mbind(f->a, f->buf, NR_PAGES * PAGE_SIZE, MPOL_BIND, &node0, 65, 0), 0);
	scan_from(f, f->a, 2);
	assert_int_equal(f->m->vm_events[NUMA_PTE_UPDATES], updates);
	/* the default policy again: scanned */
	assert_int_equal(sys_mbind(f->a, f->buf, NR_PAGES * PAGE_SIZE, MPOL_DEFAULT, NULL, 0, 0), 0);
	scan_from(f, f->a, 2);
	assert_int_equal(f->m->vm_events[NUMA_PTE_UPDATES], updates + NR_PAGES);
}

/* should_numa_migrate_memory: a first or private fault passes; a shared one only when the last
 * fault came from the same node. */
static void test_two_stage_filter(void **state)
{
	struct fixture *f = *state;
	struct task_struct *b = test_spawn(f->m, "b");
	struct page *page = test_page_at(f->m, f->a, f->buf);

	assert_true(cpupid_pid_unset(folio_last_cpupid(page)));
	assert_true(should_numa_migrate_memory(f->m, f->a, page, 0));
	assert_true(should_numa_migrate_memory(f->m, f->a, page, 2));	/* private */
	assert_false(should_numa_migrate_memory(f->m, b, page, 0));	/* a's last fault was from node 1 */
	assert_true(should_numa_migrate_memory(f->m, f->a, page, 1));	/* b's from node 0, a's now too */
	assert_true(should_numa_migrate_memory(f->m, b, page, 0));
}

/* A freed page forgets its last fault (page_cpupid_reset_last). */
static void test_cpupid_reset_on_free(void **state)
{
	struct fixture *f = *state;
	struct page *page = alloc_pages(f->m, GFP_KERNEL, 0);

	assert_non_null(page);
	folio_xchg_last_cpupid(page, cpu_pid_to_cpupid(1, 42));
	assert_int_equal(cpupid_to_pid(folio_last_cpupid(page)), 42);
	assert_int_equal(cpupid_to_cpu(folio_last_cpupid(page)), 1);
	__free_pages(f->m, page, 0);
	assert_true(cpupid_pid_unset(folio_last_cpupid(page)));
}

/* machine_check catches a hinting PTE that is writable, and an access cost its bytes cannot add up to. */
static void test_check_catches(void **state)
{
	struct fixture *f = *state;
	struct seq_file report;
	struct pt_entry pte;

	scan_from(f, f->a, 2);
	assert_int_equal(walk_to_pte(f->a->mm, f->buf, false, &pte), 0);
	set_pte(pte, ptep_get(pte) | _PAGE_RW);
	f->a->numa_access_cost++;
	seq_init(&report);
	assert_int_equal(machine_check(f->m, &report), 2);
	assert_non_null(strstr(report.buf, "a NUMA hinting entry on a page no scan marks"));
	assert_non_null(strstr(report.buf, "remote cannot cost"));
	seq_release(&report);
	set_pte(pte, ptep_get(pte) & ~_PAGE_RW);
	f->a->numa_access_cost--;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_scan_and_hinting_fault, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scan_skips, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_stage_filter, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cpupid_reset_on_free, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_catches, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
