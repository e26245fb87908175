/* Unit tests of the VMA tree (an augmented red-black tree), split and merge, and the top-down
 * unmapped-area search, each checked against a brute-force answer after every operation; and the
 * anon_vma a VMA shares with a neighbour. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <mmlab/mm.h>
#include <mmlab/mman.h>
#include <mmlab/syscalls.h>

#include "machine_fixture.h"

static unsigned long brute_gap(const struct vm_area_struct *vma)
{
	unsigned long start = vma->vm_start, prev_end = vma->vm_prev ? vma->vm_prev->vm_end : 0;

	if (vma->vm_flags & VM_GROWSDOWN)
		start = start > STACK_GUARD_GAP ? start - STACK_GUARD_GAP : 0;
	return start > prev_end ? start - prev_end : 0;
}

/* Red-black rules, parent links and the subtree gap of every node; returns the black height. */
static int check_node(const struct rb_node *node, const struct rb_node *parent, unsigned long *max_gap, int *count)
{
	unsigned long lgap = 0, rgap = 0, own;
	const struct vm_area_struct *vma;
	int lh, rh;

	*max_gap = 0;
	if (!node)
		return 1;
	vma = rb_entry(node, struct vm_area_struct, vm_rb);
	assert_ptr_equal(rb_parent(node), parent);
	if (rb_is_red(node)) {
		assert_true(!node->rb_left || rb_is_black(node->rb_left));
		assert_true(!node->rb_right || rb_is_black(node->rb_right));
	}
	lh = check_node(node->rb_left, node, &lgap, count);
	rh = check_node(node->rb_right, node, &rgap, count);
	assert_int_equal(lh, rh);
	(*count)++;
	own = brute_gap(vma);
	*max_gap = own > lgap ? own : lgap;
	if (rgap > *max_gap)
		*max_gap = rgap;
	assert_int_equal(vma->rb_subtree_gap, *max_gap);
	return lh + rb_is_black(node);
}

/* The tree against the list: same VMAs in the same order, sorted, disjoint, map_count right. */
static void check_mm(struct mm_struct *mm)
{
	unsigned long gap;
	int count = 0, n = 0;
	const struct rb_node *node = rb_first(&mm->mm_rb);
	const struct vm_area_struct *vma, *last = NULL;

	assert_true(!mm->mm_rb.rb_node || rb_is_black(mm->mm_rb.rb_node));
	check_node(mm->mm_rb.rb_node, NULL, &gap, &count);
	for (vma = mm->mmap; vma; last = vma, vma = vma->vm_next, node = rb_next(node), n++) {
		assert_ptr_equal(node, &vma->vm_rb);
		assert_true(vma->vm_start < vma->vm_end);
		assert_ptr_equal(vma->vm_prev, last);
		if (last)
			assert_true(last->vm_end <= vma->vm_start);
	}
	assert_null(node);
	assert_int_equal(n, count);
	assert_int_equal(n, mm->map_count);
	assert_int_equal(mm->highest_vm_end, last ? last->vm_end : 0);
}

/* find_vma by walking the list. */
static struct vm_area_struct *brute_find(struct mm_struct *mm, unsigned long addr)
{
	for (struct vm_area_struct *vma = mm->mmap; vma; vma = vma->vm_next)
		if (vma->vm_end > addr)
			return vma;
	return NULL;
}

/* The highest start for len bytes in a gap below mmap_base, by walking the list. */
static unsigned long brute_topdown(struct mm_struct *mm, unsigned long len)
{
	unsigned long best = 0, prev_end = 0;

	for (struct vm_area_struct *vma = mm->mmap;; vma = vma->vm_next) {
		unsigned long lo = prev_end > MMAP_MIN_ADDR ? prev_end : MMAP_MIN_ADDR;
		unsigned long hi = vma ? vma->vm_start : mm->task_size;

		if (vma && (vma->vm_flags & VM_GROWSDOWN))
			hi -= STACK_GUARD_GAP;
		if (hi > mm->mmap_base)
			hi = mm->mmap_base;
		if (hi > lo && hi - lo >= len)
			best = hi - len;
		if (!vma)
			return best;
		prev_end = vma->vm_end;
	}
}

static struct task_struct fake_task(struct mm_struct *mm)
{
	struct task_struct tsk = { .pid = 1, .mm = mm };

	return tsk;
}

/* Random maps, unmaps, protection changes and moves of 1 to 16 pages in a 1 GiB window, checked
 * after each. */
static void test_random_tree(void **state)
{
	struct machine *m = test_boot(ARCH_X86_64, 64ULL << 20, 1, 1);
	struct mm_struct *mm = mm_alloc(m);
	struct task_struct tsk = fake_task(mm);
	const unsigned long base = 0x10000000UL;

	(void)state;
	assert_non_null(task_state(m));
	mm->mmap_base = base + (1UL << 30);
	for (int i = 0; i < 3000; i++) {
		unsigned long r = machine_random(m), addr = base + ((r >> 8) % 4096) * PAGE_SIZE * 64;
		unsigned long len = (1 + (r >> 40) % 16) * PAGE_SIZE, probe = base + (r >> 20) % (1UL << 30);
		int op = (int)(r % 5);

		if (op == 0)
			assert_true(sys_mmap(&tsk, addr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED) ==
				    (long)addr);
		else if (op == 1)
			assert_int_equal(sys_munmap(&tsk, addr, len), 0);
		else if (op == 2)
			sys_mprotect(&tsk, addr, len, (r >> 50) & 1 ? PROT_READ : PROT_READ | PROT_WRITE);
		else if (op == 3)
			sys_mremap(&tsk, addr, len, 2 * len, MREMAP_MAYMOVE, 0);
		else
			assert_int_equal(get_unmapped_area(mm, 0, len, 0), (long)brute_topdown(mm, len));
		check_mm(mm);
		assert_ptr_equal(find_vma(mm, probe), brute_find(mm, probe));
	}
	mmput(mm);
	assert_machine_ok(m);
	machine_destroy(m);
}

/* mprotect of the first half splits a VMA; restoring merges it back; adjacent maps merge. */
static void test_split_and_merge(void **state)
{
	struct machine *m = test_boot(ARCH_X86_64, 64ULL << 20, 1, 1);
	struct mm_struct *mm;
	struct task_struct tsk;
	long a, b;

	(void)state;
	assert_non_null(task_state(m));
	mm = mm_alloc(m);
	tsk = fake_task(mm);
	arch_pick_mmap_layout(mm, &(struct rlimit){ _STK_LIM, RLIM_INFINITY });
	a = sys_mmap(&tsk, 0, 64 * 1024, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
	assert_true(a > 0);
	assert_int_equal(mm->map_count, 1);
	assert_int_equal(sys_mprotect(&tsk, (unsigned long)a, 32 * 1024, PROT_READ), 0);
	assert_int_equal(mm->map_count, 2);
	assert_int_equal(find_vma(mm, (unsigned long)a)->vm_end, (unsigned long)a + 32 * 1024);
	assert_int_equal(sys_mprotect(&tsk, (unsigned long)a, 32 * 1024, PROT_READ | PROT_WRITE), 0);
	assert_int_equal(mm->map_count, 1);
	b = sys_mmap(&tsk, 0, 16 * 1024, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
	assert_int_equal(b, a - 16 * 1024);
	assert_int_equal(mm->map_count, 1);
	assert_int_equal(mm->total_vm, 20);
	/* a different protection does not merge; unmapping the middle splits */
	assert_int_equal(sys_mmap(&tsk, 0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS), b - 4096);
	assert_int_equal(mm->map_count, 2);
	assert_int_equal(sys_munmap(&tsk, (unsigned long)a, 4096), 0);
	assert_int_equal(mm->map_count, 3);
	check_mm(mm);
	mmput(mm);
	assert_machine_ok(m);
	machine_destroy(m);
}

static void touch(struct machine *m, struct task_struct *tsk, unsigned long addr)
{
	int sig = 0;
	unsigned char *p = user_access_page(m, tsk, addr, true, &sig);

	assert_non_null(p);
	*p = 1;
}

/* find_mergeable_anon_vma: a VMA faulted first takes its neighbour's anon_vma when the two differ
 * only in access flags, so mprotect merges them back; a far one gets its own. machine_check
 * reports a VMA whose anon_vma is not among its chain's. */
static void test_anon_vma_reuse(void **state)
{
	struct machine *m = test_boot(ARCH_X86_64, 64ULL << 20, 1, 1);
	struct task_struct *tsk = test_spawn(m, "a");
	struct mm_struct *mm = tsk->mm;
	unsigned long a = (unsigned long)sys_mmap(tsk, 0, 3 * PAGE_SIZE, PROT_READ | PROT_WRITE,
						  MAP_PRIVATE | MAP_ANONYMOUS);
	unsigned long guard = (unsigned long)sys_mmap(tsk, 0, PAGE_SIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS);
	unsigned long far = (unsigned long)sys_mmap(tsk, 0, PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);
	struct seq_file report;
	struct anon_vma *own;
	int maps;

	(void)state;
	assert_int_equal(sys_mprotect(tsk, a + PAGE_SIZE, PAGE_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC), 0);
	maps = mm->map_count;
	touch(m, tsk, a);
	touch(m, tsk, a + PAGE_SIZE);
	assert_non_null(find_vma(mm, a)->anon_vma);
	assert_ptr_equal(find_vma(mm, a + PAGE_SIZE)->anon_vma, find_vma(mm, a)->anon_vma);
	assert_null(find_vma(mm, a + 2 * PAGE_SIZE)->anon_vma);
	assert_machine_ok(m);
	assert_int_equal(sys_mprotect(tsk, a + PAGE_SIZE, PAGE_SIZE, PROT_READ | PROT_WRITE), 0);
	assert_int_equal(mm->map_count, maps - 2);
	assert_int_equal(find_vma(mm, a)->vm_end, a + 3 * PAGE_SIZE);
	/* a mapping apart from it, past an inaccessible one that has none: its own anon_vma */
	assert_int_equal(far + PAGE_SIZE, guard);
	assert_int_equal(guard + PAGE_SIZE, a);
	assert_int_equal(sys_mprotect(tsk, far, PAGE_SIZE, PROT_READ | PROT_WRITE), 0);
	touch(m, tsk, far);
	own = find_vma(mm, far)->anon_vma;
	assert_non_null(own);
	assert_ptr_not_equal(own, find_vma(mm, a)->anon_vma);
	assert_machine_ok(m);
	find_vma(mm, far)->anon_vma = find_vma(mm, a)->anon_vma;
	seq_init(&report);
	assert_int_equal(machine_check(m, &report), 1);
	seq_release(&report);
	find_vma(mm, far)->anon_vma = own;
	assert_machine_ok(m);
	machine_destroy(m);
}

/* expand_stack as a task with the stack limit limit (and the default RLIMIT_MEMLOCK) faults. */
static int grow_stack(struct vm_area_struct *vma, unsigned long addr, unsigned long limit)
{
	struct task_struct tsk = { .mm = vma->vm_mm };

	tsk.rlim[RLIMIT_STACK].rlim_cur = limit;
	tsk.rlim[RLIMIT_MEMLOCK].rlim_cur = MLOCK_LIMIT;
	return expand_stack(vma, addr, &tsk);
}

/* expand_stack: growth within the limit moves vm_start and vm_pgoff together and is counted in
 * stack_vm; the guard gap stops it short of an accessible mapping below, but not of another stack
 * or an inaccessible (PROT_NONE) one; past the limit, or for a VMA that does not grow down, it fails;
 * a locked stack of an ordinary user grows within its RLIMIT_MEMLOCK. */
static void test_expand_stack(void **state)
{
	struct machine *m = test_boot(ARCH_X86_64, 64ULL << 20, 1, 1);
	struct mm_struct *mm = mm_alloc(m);
	const unsigned long top = 0x7f0000000000UL, limit = 64 * PAGE_SIZE;
	struct vm_area_struct *stack, *below;

	(void)state;
	assert_non_null(task_state(m));
	stack = map_anon_range(mm, top - 4 * PAGE_SIZE, top, VM_STACK_FLAGS);
	assert_non_null(stack);
	assert_int_equal(grow_stack(stack, top - 8 * PAGE_SIZE + 100, limit), 0);
	assert_int_equal(stack->vm_start, top - 8 * PAGE_SIZE);
	assert_int_equal(stack->vm_pgoff, stack->vm_start >> PAGE_SHIFT);
	assert_int_equal(mm->stack_vm, 8);
	assert_int_equal(grow_stack(stack, top - limit - PAGE_SIZE, limit), -ENOMEM);
	assert_int_equal(grow_stack(stack, top - limit, limit), 0);
	assert_int_equal(mm->stack_vm, 64);
	/* a readable mapping ending 2 pages below: no growth into the gap */
	below = map_anon_range(mm, top - limit - STACK_GUARD_GAP - 4 * PAGE_SIZE, top - limit - STACK_GUARD_GAP + 2 * PAGE_SIZE,
			       VM_DATA_DEFAULT_FLAGS);
	assert_non_null(below);
	assert_int_equal(grow_stack(stack, top - limit - PAGE_SIZE, 2 * limit), -ENOMEM);
	below->vm_flags &= ~VM_ACCESS_FLAGS;
	assert_int_equal(grow_stack(stack, top - limit - PAGE_SIZE, 2 * limit), 0);
	below->vm_flags |= VM_READ | VM_GROWSDOWN;
	assert_int_equal(grow_stack(stack, top - limit - 2 * PAGE_SIZE, 2 * limit), 0);
	below->vm_flags = VM_DATA_DEFAULT_FLAGS;
	assert_int_equal(grow_stack(below, below->vm_start - PAGE_SIZE, 2 * limit), -EFAULT);
	assert_int_equal(mm->stack_vm, 66);
	/* a locked stack grows within RLIMIT_MEMLOCK for an ordinary user (acct_stack_growth) */
	struct task_struct user = { .mm = mm, .uid = 1000 };

	user.rlim[RLIMIT_STACK].rlim_cur = RLIM_INFINITY;
	user.rlim[RLIMIT_MEMLOCK].rlim_cur = PAGE_SIZE;
	below->vm_flags &= ~VM_ACCESS_FLAGS;	/* no guard gap to keep */
	stack->vm_flags |= VM_LOCKED;
	assert_int_equal(expand_stack(stack, stack->vm_start - 2 * PAGE_SIZE, &user), -ENOMEM);
	assert_int_equal(expand_stack(stack, stack->vm_start - PAGE_SIZE, &user), 0);
	assert_int_equal(mm->locked_vm, 1);
	assert_int_equal(expand_stack(stack, stack->vm_start - PAGE_SIZE, &user), -ENOMEM);
	check_mm(mm);
	mmput(mm);
	assert_machine_ok(m);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_tree),
		cmocka_unit_test(test_split_and_merge),
		cmocka_unit_test(test_anon_vma_reuse),
		cmocka_unit_test(test_expand_stack),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
