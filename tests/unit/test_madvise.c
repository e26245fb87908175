/* Unit tests of madvise's decisions (mm/madvise.c) and the LRU moves behind them (mm/swap.c,
 * mm/vmscan.c, mm/rmap.c): which pages MADV_FREE makes lazily freeable, when reclaim may drop a lazily
 * freed page (clean everywhere, no extra reference) and when it must keep it swap-backed again (a PTE
 * written, a pin); folio_deactivate moving only active pages; the error returns of sys_madvise; the
 * readahead and fork flags of the VMA. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <mmlab/list.h>
#include <mmlab/machine.h>
#include <mmlab/mm.h>
#include <mmlab/mman.h>
#include <mmlab/sched.h>
#include <mmlab/swap.h>
#include <mmlab/syscalls.h>
#include <mmlab/vmscan.h>
#include <mmlab/vmstat.h>

#include "machine_fixture.h"

#define MB (1ULL << 20)

#define NR_PAGES 4

/* Each test's machine: process a with NR_PAGES pages of private anonymous memory at buf, page i
 * holding value(i) in its first byte. */
struct fixture {
	struct machine *m;
	struct task_struct *a;
	unsigned long buf;
};

static unsigned char value(unsigned long i)
{
	return (unsigned char)(0x10 + i);
}

static int setup(void **state)
{
	static struct fixture f;
	long addr;
	int sig = 0;

	f.m = test_boot(ARCH_X86_64, 64 * MB, 1, 1);
	f.a = test_spawn(f.m, "a");
	addr = sys_mmap(f.a, 0, NR_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
	assert_true(addr > 0);
	f.buf = (unsigned long)addr;
	for (unsigned long i = 0; i < NR_PAGES; i++)
		user_access_page(f.m, f.a, f.buf + i * PAGE_SIZE, true, &sig)[0] = value(i);
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

static unsigned char load_byte(struct machine *m, struct task_struct *tsk, unsigned long addr)
{
	int sig = 0;
	unsigned char *p = user_access_page(m, tsk, addr, false, &sig);

	assert_non_null(p);
	return *p;
}

/* One page through reclaim_pages (MADV_PAGEOUT's reclaim); the number reclaimed. */
static unsigned long reclaim_one(struct machine *m, struct page *page)
{
	struct list_head list = LIST_HEAD_INIT(list);

	assert_true(folio_isolate_lru(m, page));
	list_add(&page->lru, &list);
	return reclaim_pages(m, &list);
}

/* A clean lazily freed page is dropped without swap; its PTE goes and a read then sees zeros. */
static void test_lazyfree_clean_is_dropped(void **state)
{
	struct fixture *f = *state;
	struct page *page;

	assert_int_equal(sys_madvise(f->a, f->buf, 2 * PAGE_SIZE, MADV_FREE), 0);
	page = test_page_at(f->m, f->a, f->buf);
	assert_non_null(page);
	assert_false(test_bit_flag(page, PG_swapbacked));
	assert_int_equal(folio_lru_list(page), LRU_INACTIVE_FILE);
	assert_int_equal(f->m->vm_events[PGLAZYFREE], 2);
	assert_int_equal(f->a->mm->rss_stat[MM_ANONPAGES], NR_PAGES);

	assert_int_equal(reclaim_one(f->m, page), 1);
	assert_int_equal(f->m->vm_events[PGLAZYFREED], 1);
	assert_int_equal(f->m->vm_events[PSWPOUT], 0);
	assert_null(test_page_at(f->m, f->a, f->buf));
	assert_int_equal(f->a->mm->rss_stat[MM_ANONPAGES], NR_PAGES - 1);
	assert_int_equal(load_byte(f->m, f->a, f->buf), 0);
	assert_int_equal(load_byte(f->m, f->a, f->buf + PAGE_SIZE), value(1));
}

/* A lazily freed page written again is dirty in its PTE: reclaim keeps it with its bytes, swap-backed
 * and active again (try_to_unmap_one's MADV_FREE case, activate_locked). */
static void test_lazyfree_redirtied_is_kept(void **state)
{
	struct fixture *f = *state;
	struct page *page;
	int sig = 0;

	assert_int_equal(sys_madvise(f->a, f->buf, PAGE_SIZE, MADV_FREE), 0);
	user_access_page(f->m, f->a, f->buf + 8, true, &sig)[0] = 0x22;
	page = test_page_at(f->m, f->a, f->buf);
	assert_int_equal(reclaim_one(f->m, page), 0);
	assert_ptr_equal(test_page_at(f->m, f->a, f->buf), page);
	assert_true(test_bit_flag(page, PG_swapbacked));
	assert_int_equal(folio_lru_list(page), LRU_ACTIVE_ANON);
	assert_int_equal(f->m->vm_events[PGLAZYFREED], 0);
	assert_int_equal(load_byte(f->m, f->a, f->buf), value(0));
	assert_int_equal(load_byte(f->m, f->a, f->buf + 8), 0x22);
}

/* A lazily freed page someone else holds a reference to (a pin) is not dropped. */
static void test_lazyfree_pinned_is_kept(void **state)
{
	struct fixture *f = *state;
	struct page *page;

	assert_int_equal(sys_madvise(f->a, f->buf, PAGE_SIZE, MADV_FREE), 0);
	page = test_page_at(f->m, f->a, f->buf);
	get_page(page);
	assert_int_equal(reclaim_one(f->m, page), 0);
	assert_true(test_bit_flag(page, PG_swapbacked));
	put_page(f->m, page);
	assert_int_equal(load_byte(f->m, f->a, f->buf), value(0));
}

/* After fork, a page both map: the parent frees it lazily, the child's PTE is still dirty. Reclaim
 * drops the parent's clean mapping, then finds the child's dirty PTE and keeps the page for it. */
static void test_lazyfree_shared(void **state)
{
	struct fixture *f = *state;
	struct task_struct *b;
	struct page *page;
	int err = 0;

	b = kernel_clone(f->m, f->a, "b", &err);
	assert_non_null(b);
	page = test_page_at(f->m, f->a, f->buf);
	assert_int_equal(sys_madvise(f->a, f->buf, PAGE_SIZE, MADV_FREE), 0);
	assert_int_equal(reclaim_one(f->m, page), 0);
	/* the parent's clean PTE went before the child's dirty one stopped the unmap */
	assert_null(test_page_at(f->m, f->a, f->buf));
	assert_int_equal(load_byte(f->m, b, f->buf), value(0));
	assert_int_equal(load_byte(f->m, f->a, f->buf), 0);
}

/* folio_deactivate moves only active pages, each counted once; folio_mark_lazyfree leaves a page in
 * the swap cache and an unevictable one alone. */
static void test_deactivate_and_lazyfree_moves(void **state)
{
	struct fixture *f = *state;
	struct page *page = test_page_at(f->m, f->a, f->buf), *other = test_page_at(f->m, f->a, f->buf + PAGE_SIZE);

	folio_deactivate(f->m, page);
	assert_int_equal(f->m->vm_events[PGDEACTIVATE], 0);
	lruvec_del_folio(f->m, page);
	set_page_flag(page, PG_active);
	lruvec_add_folio(f->m, page);
	folio_deactivate(f->m, page);
	assert_int_equal(f->m->vm_events[PGDEACTIVATE], 1);
	assert_int_equal(folio_lru_list(page), LRU_INACTIVE_ANON);

	lruvec_del_folio(f->m, other);
	set_page_flag(other, PG_unevictable);
	lruvec_add_folio(f->m, other);
	folio_mark_lazyfree(f->m, other);
	assert_true(test_bit_flag(other, PG_swapbacked));
	lruvec_del_folio(f->m, other);
	clear_page_flag(other, PG_unevictable);
	lruvec_add_folio(f->m, other);
	assert_int_equal(f->m->vm_events[PGLAZYFREE], 0);
}

/* sys_madvise's answers: bad advice or start -EINVAL, length rounded up, zero length 0, holes -ENOMEM
 * after the mapped parts were advised. */
static void test_madvise_errors(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(sys_madvise(f->a, f->buf, PAGE_SIZE, 999), -EINVAL);
	assert_int_equal(sys_madvise(f->a, f->buf, PAGE_SIZE, -1), -EINVAL);
	assert_int_equal(sys_madvise(f->a, f->buf + 1, PAGE_SIZE, MADV_DONTNEED), -EINVAL);
	assert_int_equal(sys_madvise(f->a, f->buf, (size_t)-1, MADV_DONTNEED), -EINVAL);
	assert_int_equal(sys_madvise(f->a, f->buf, 0, MADV_DONTNEED), 0);
	assert_int_equal(f->a->mm->rss_stat[MM_ANONPAGES], 4);
	/* one byte rounds up to a page */
	assert_int_equal(sys_madvise(f->a, f->buf, 1, MADV_DONTNEED), 0);
	assert_int_equal(f->a->mm->rss_stat[MM_ANONPAGES], 3);
	/* a hole before them (above them are the vDSO's mappings): the mapped pages go, then -ENOMEM */
	assert_int_equal(sys_madvise(f->a, f->buf - 60 * PAGE_SIZE, 64 * PAGE_SIZE, MADV_DONTNEED), -ENOMEM);
	assert_int_equal(f->a->mm->rss_stat[MM_ANONPAGES], 0);
	/* nothing mapped at all */
	assert_int_equal(sys_madvise(f->a, 0x10000, PAGE_SIZE, MADV_COLD), -ENOMEM);
}

/* The flag advice: split off the range, set or clear the flag, merge back when undone. */
static void test_madvise_flags(void **state)
{
	struct fixture *f = *state;
	int before = f->a->mm->map_count;
	struct vm_area_struct *vma;

	assert_int_equal(sys_madvise(f->a, f->buf + PAGE_SIZE, PAGE_SIZE, MADV_SEQUENTIAL), 0);
	vma = find_vma(f->a->mm, f->buf + PAGE_SIZE);
	assert_true(vma->vm_flags & VM_SEQ_READ);
	assert_int_equal(f->a->mm->map_count, before + 2);
	assert_int_equal(sys_madvise(f->a, f->buf + PAGE_SIZE, PAGE_SIZE, MADV_RANDOM), 0);
	vma = find_vma(f->a->mm, f->buf + PAGE_SIZE);
	assert_true(vma->vm_flags & VM_RAND_READ);
	assert_false(vma->vm_flags & VM_SEQ_READ);
	assert_int_equal(sys_madvise(f->a, f->buf, 4 * PAGE_SIZE, MADV_NORMAL), 0);
	assert_int_equal(f->a->mm->map_count, before);
	assert_int_equal(sys_madvise(f->a, f->buf, 4 * PAGE_SIZE, MADV_DONTFORK), 0);
	assert_true(find_vma(f->a->mm, f->buf)->vm_flags & VM_DONTCOPY);
	assert_int_equal(sys_madvise(f->a, f->buf, 4 * PAGE_SIZE, MADV_DOFORK), 0);
	assert_false(find_vma(f->a->mm, f->buf)->vm_flags & VM_DONTCOPY);
	assert_int_equal(f->a->mm->map_count, before);
}

/* Every advice of the table is found by its name and back. */
static void test_advice_names(void **state)
{
	const char *name;
	size_t n = 0;

	(void)state;
	for (size_t i = 0; (name = madvise_advice_name(i)); i++, n++)
		assert_true(madvise_advice_by_name(name) >= 0);
	assert_true(n >= 13);
	assert_int_equal(madvise_advice_by_name("pageout"), MADV_PAGEOUT);
	assert_int_equal(madvise_advice_by_name("free"), MADV_FREE);
	assert_int_equal(madvise_advice_by_name("nosuch"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_lazyfree_clean_is_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lazyfree_redirtied_is_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lazyfree_pinned_is_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lazyfree_shared, setup, teardown),
		cmocka_unit_test_setup_teardown(test_deactivate_and_lazyfree_moves, setup, teardown),
		cmocka_unit_test_setup_teardown(test_madvise_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_madvise_flags, setup, teardown),
		cmocka_unit_test(test_advice_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
