/* Unit tests of the deferred split queue (mm/huge_memory.c) and khugepaged (mm/khugepaged.c): which
 * unmaps queue a huge folio, the shrinker's share per priority and what it defers, the unqueue when
 * a queued folio is freed, a collapse's bytes, mapcounts and counters, and MADV_COLLAPSE's
 * answers. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <mmlab/huge_mm.h>
#include <mmlab/khugepaged.h>
#include <mmlab/procfs.h>
#include <mmlab/vmscan.h>
#include <mmlab/vmstat.h>

#include "machine_fixture.h"

#define THP_ENABLED "/sys/kernel/mm/transparent_hugepage/enabled"

/* A machine with THP enabled=always and one task. */
static struct machine *boot_always(struct task_struct **tsk)
{
	struct machine *m = test_boot(ARCH_X86_64, 256ULL << 20, 1, 1);

	assert_int_equal(procfs_write(m, THP_ENABLED, "always", 6), 0);
	*tsk = test_spawn(m, "a");
	return m;
}

/* The folio a huge PMD at addr maps, or NULL. */
static struct page *pmd_folio(struct machine *m, struct mm_struct *mm, unsigned long addr)
{
	struct pt_entry pmd;

	if (walk_to_pmd(mm, addr, false, &pmd) || !pmd_trans_huge(ptep_get(pmd)))
		return NULL;
	return pfn_to_page(m, pte_pfn(mm->pm, ptep_get(pmd)));
}

/* The page a PTE at addr maps. */
static struct page *pte_page(struct machine *m, struct mm_struct *mm, unsigned long addr)
{
	struct pt_entry pte;

	assert_int_equal(walk_to_pte(mm, addr, false, &pte), 0);
	assert_true(pte_present(ptep_get(pte)));
	return pfn_to_page(m, pte_pfn(mm->pm, ptep_get(pte)));
}

static struct deferred_split *queue0(struct machine *m)
{
	return &NODE_DATA(m, 0)->deferred_split_queue;
}

/* An unmap that leaves part of a folio mapped queues it once; the shrinker at priority 0 splits it
 * and frees exactly the unmapped pages; at the default priority a lone folio is not worth a scan. */
static void test_deferred_split(void **state)
{
	struct task_struct *tsk;
	struct machine *m = boot_always(&tsk);
	unsigned long a = test_map_anon(m, tsk, HPAGE_PMD_NR, NULL);
	struct page *folio = pmd_folio(m, tsk->mm, a);

	(void)state;
	assert_non_null(folio);
	assert_int_equal(sys_munmap(tsk, a + 16 * PAGE_SIZE, 16 * PAGE_SIZE), 0);
	assert_true(folio_on_deferred_split(folio));
	assert_int_equal(queue0(m)->split_queue_len, 1);
	assert_int_equal(m->vm_events[THP_DEFERRED_SPLIT_PAGE], 1);
	/* more of it unmapped: queued already */
	assert_int_equal(sys_munmap(tsk, a + 64 * PAGE_SIZE, PAGE_SIZE), 0);
	assert_int_equal(m->vm_events[THP_DEFERRED_SPLIT_PAGE], 1);
	assert_machine_ok(m);

	assert_int_equal(deferred_split_shrink(m, NODE_DATA(m, 0), DEF_PRIORITY), 0);
	assert_int_equal(queue0(m)->split_queue_len, 1);
	long anon = global_node_page_state(m, NR_ANON_MAPPED);
	assert_int_equal(anon, HPAGE_PMD_NR - 17);
	assert_int_equal(deferred_split_shrink(m, NODE_DATA(m, 0), 0), 1);
	assert_int_equal(queue0(m)->split_queue_len, 0);
	assert_int_equal(m->vm_events[THP_SPLIT_PAGE], 1);
	assert_false(PageHead(folio));
	/* the unmapped pages went back to the allocator, the mapped ones kept one reference each */
	for (unsigned long i = 0; i < HPAGE_PMD_NR; i++) {
		bool unmapped = (i >= 16 && i < 32) || i == 64;

		assert_int_equal(page_ref_count(folio + i), unmapped ? 0 : 1);
	}
	assert_int_equal(global_node_page_state(m, NR_ANON_MAPPED), anon);
	assert_machine_ok(m);
	machine_destroy(m);
}

/* A folio unmapped whole in one batch (after a PMD split) is never queued; a queued folio that is
 * freed leaves the queue. */
static void test_deferred_unqueue(void **state)
{
	struct task_struct *tsk;
	struct machine *m = boot_always(&tsk);
	unsigned long a = test_map_anon(m, tsk, 2 * HPAGE_PMD_NR, NULL);

	(void)state;
	/* split both PMDs (mprotect of a page of each, and back: one VMA again), then unmap the first
	 * folio whole */
	for (unsigned long i = 0; i < 2; i++) {
		assert_int_equal(sys_mprotect(tsk, a + i * HPAGE_PMD_SIZE, PAGE_SIZE, PROT_READ), 0);
		assert_int_equal(sys_mprotect(tsk, a + i * HPAGE_PMD_SIZE, PAGE_SIZE, PROT_READ | PROT_WRITE), 0);
	}
	assert_null(pmd_folio(m, tsk->mm, a));
	assert_null(pmd_folio(m, tsk->mm, a + HPAGE_PMD_SIZE));
	assert_int_equal(sys_munmap(tsk, a, HPAGE_PMD_SIZE), 0);
	assert_int_equal(m->vm_events[THP_DEFERRED_SPLIT_PAGE], 0);
	/* the second is queued by a partial unmap, then freed by the unmap of the rest */
	assert_int_equal(sys_munmap(tsk, a + HPAGE_PMD_SIZE, PAGE_SIZE), 0);
	assert_int_equal(queue0(m)->split_queue_len, 1);
	assert_machine_ok(m);
	assert_int_equal(sys_munmap(tsk, a + HPAGE_PMD_SIZE, HPAGE_PMD_SIZE), 0);
	assert_int_equal(queue0(m)->split_queue_len, 0);
	assert_int_equal(m->vm_events[THP_SPLIT_PAGE], 0);
	assert_machine_ok(m);
	machine_destroy(m);
}

/* do_shrink_slab's share: (len >> priority) * 4 / DEFAULT_SEEKS a pass, nothing while that is
 * under both a batch and the queue's length, but deferred to the next pass. */
static void test_shrinker_share(void **state)
{
	struct task_struct *tsk;
	struct machine *m = boot_always(&tsk);
	unsigned long a = test_map_anon(m, tsk, 40 * HPAGE_PMD_NR, NULL);

	(void)state;
	for (unsigned long i = 0; i < 40; i++)
		assert_int_equal(sys_munmap(tsk, a + i * HPAGE_PMD_SIZE, PAGE_SIZE), 0);
	assert_int_equal(queue0(m)->split_queue_len, 40);
	/* priority 4: (40 >> 4) * 2 = 4 to scan, under 40 and 128: deferred */
	assert_int_equal(deferred_split_shrink(m, NODE_DATA(m, 0), 4), 0);
	assert_int_equal(queue0(m)->nr_deferred, 4);
	/* priority 1: (4 >> 1) + (40 >> 1) * 2 = 42, capped at none: scans 40 of it, splits all */
	assert_int_equal(deferred_split_shrink(m, NODE_DATA(m, 0), 1), 40);
	assert_int_equal(queue0(m)->split_queue_len, 0);
	assert_int_equal(m->vm_events[SLABS_SCANNED], 42);
	assert_machine_ok(m);
	machine_destroy(m);
}

/* khugepaged collapses a PTE-mapped range into a new folio holding the same bytes; mapcounts,
 * RSS and counters follow; the old pages are freed. */
static void test_collapse(void **state)
{
	struct machine *m = test_boot(ARCH_X86_64, 128ULL << 20, 1, 1);
	struct task_struct *tsk = test_spawn(m, "a");
	unsigned char bytes[HPAGE_PMD_NR];
	unsigned long a;
	struct page *old, *folio;
	int sig = 0;

	(void)state;
	for (unsigned long i = 0; i < HPAGE_PMD_NR; i++)
		bytes[i] = (unsigned char)(i * 7 + 1);
	a = test_map_anon(m, tsk, HPAGE_PMD_NR, bytes);
	assert_true(!(a & ~HPAGE_PMD_MASK));
	old = pte_page(m, tsk->mm, a + PAGE_SIZE);
	assert_false(PageHead(old));
	assert_int_equal(sys_madvise(tsk, a, HPAGE_PMD_SIZE, MADV_HUGEPAGE), 0);
	assert_non_null(tsk->mm->khugepaged_slot);
	machine_tick(m, 1000000);
	folio = pmd_folio(m, tsk->mm, a);
	assert_non_null(folio);
	assert_int_equal(folio_entire_mapcount(folio), 1);
	assert_int_equal(folio_mapcount(folio), 1);
	assert_int_equal(page_ref_count(old), 0);
	assert_int_equal(m->khugepaged->pages_collapsed, 1);
	assert_int_equal(m->vm_events[THP_COLLAPSE_ALLOC], 1);
	assert_int_equal(tsk->mm->rss_stat[MM_ANONPAGES], HPAGE_PMD_NR);
	for (unsigned long i = 0; i < HPAGE_PMD_NR; i++) {
		unsigned char *p = user_access_page(m, tsk, a + i * PAGE_SIZE, false, &sig);

		assert_non_null(p);
		assert_int_equal(p[0], bytes[i]);
		assert_int_equal(p[PAGE_SIZE - 1], bytes[i]);
	}
	assert_machine_ok(m);
	machine_destroy(m);
}

/* MADV_COLLAPSE: every whole PMD range of the VMA, the empty ones too; -EINVAL for a VMA that
 * advised against huge pages or holds none. */
static void test_madvise_collapse(void **state)
{
	struct machine *m = test_boot(ARCH_X86_64, 128ULL << 20, 1, 1);
	struct task_struct *tsk = test_spawn(m, "a");
	unsigned long a = test_map_anon(m, tsk, 2 * HPAGE_PMD_NR, NULL);
	long small = sys_mmap(tsk, 0, 64 * PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);	/* no merge */

	(void)state;
	assert_int_equal(sys_madvise(tsk, a + 100 * PAGE_SIZE, 300 * PAGE_SIZE, MADV_DONTNEED), 0);
	assert_int_equal(sys_madvise(tsk, a, 2 * HPAGE_PMD_SIZE, MADV_COLLAPSE), 0);
	assert_non_null(pmd_folio(m, tsk->mm, a));
	assert_non_null(pmd_folio(m, tsk->mm, a + HPAGE_PMD_SIZE));
	assert_int_equal(m->khugepaged->pages_collapsed, 0);
	assert_int_equal(m->vm_events[THP_COLLAPSE_ALLOC], 2);
	assert_true(small > 0);
	assert_int_equal(sys_madvise(tsk, (unsigned long)small, 64 * PAGE_SIZE, MADV_COLLAPSE), -EINVAL);
	assert_int_equal(sys_madvise(tsk, a, 2 * HPAGE_PMD_SIZE, MADV_NOHUGEPAGE), 0);
	assert_int_equal(sys_madvise(tsk, a, 2 * HPAGE_PMD_SIZE, MADV_COLLAPSE), -EINVAL);
	assert_machine_ok(m);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deferred_split),
		cmocka_unit_test(test_deferred_unqueue),
		cmocka_unit_test(test_shrinker_share),
		cmocka_unit_test(test_collapse),
		cmocka_unit_test(test_madvise_collapse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
