/* Unit tests of reclaim's decisions: get_scan_count's anon/file split (vm.swappiness, the lists'
 * reclaim costs, swap space, a tiny file list) from synthetic LRU sizes, each expected count computed
 * here from the kernel's formula (mm/vmscan.c); and oom_badness (mm/oom_kill.c) with
 * /proc/PID/oom_score (fs/proc/base.c) for a process with resident, swapped and page-table pages; the
 * OOM report header (dump_header), the panic with no task to kill, and the kernel threads' pids (kernel/kthread.c, kernel/pid.c). */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <mmlab/kthread.h>
#include <mmlab/machine.h>
#include <mmlab/mm.h>
#include <mmlab/mman.h>
#include <mmlab/panic.h>
#include <mmlab/procfs.h>
#include <mmlab/sched.h>
#include <mmlab/seq_file.h>
#include <mmlab/swap.h>
#include <mmlab/syscalls.h>
#include <mmlab/vmscan.h>
#include <mmlab/vmstat.h>

#include "machine_fixture.h"
#include "mm/internal.h"

#define MB (1ULL << 20)

/* ---- get_scan_count ---- */

/* The synthetic state of node 0: list sizes and costs; the real ones saved to be put back. */
struct lru_setup {
	unsigned long size[NR_LRU_LISTS];
	unsigned long anon_cost, file_cost;
};

struct saved_lru {
	unsigned long size[NR_LRU_LISTS];
	unsigned long anon_cost, file_cost;
	int swappiness;
};

static void set_lru_size(pg_data_t *pgdat, enum lru_list lru, unsigned long want)
{
	enum node_stat_item item = (enum node_stat_item)(NR_INACTIVE_ANON + lru);

	__mod_node_page_state(pgdat, item, (long)want - (long)node_page_state(pgdat, item));
	assert_int_equal(node_page_state(pgdat, item), want);
}

static void apply(struct machine *m, const struct lru_setup *setup, struct saved_lru *saved)
{
	pg_data_t *pgdat = NODE_DATA(m, 0);

	for (int lru = 0; lru < NR_LRU_LISTS; lru++) {
		saved->size[lru] = lruvec_lru_size(m, pgdat, (enum lru_list)lru);
		set_lru_size(pgdat, (enum lru_list)lru, setup->size[lru]);
	}
	saved->anon_cost = pgdat->__lruvec.anon_cost;
	saved->file_cost = pgdat->__lruvec.file_cost;
	saved->swappiness = m->sysctl.swappiness;
	pgdat->__lruvec.anon_cost = setup->anon_cost;
	pgdat->__lruvec.file_cost = setup->file_cost;
}

static void restore(struct machine *m, const struct saved_lru *saved)
{
	pg_data_t *pgdat = NODE_DATA(m, 0);

	for (int lru = 0; lru < NR_LRU_LISTS; lru++)
		set_lru_size(pgdat, (enum lru_list)lru, saved->size[lru]);
	pgdat->__lruvec.anon_cost = saved->anon_cost;
	pgdat->__lruvec.file_cost = saved->file_cost;
	m->sysctl.swappiness = saved->swappiness;
}

/* One get_scan_count on the synthetic state at swappiness and priority. */
static void scan_count(struct machine *m, const struct lru_setup *setup, int swappiness, int priority,
		       bool file_is_tiny, unsigned long nr[NR_LRU_LISTS])
{
	struct saved_lru saved;
	struct scan_control sc = {
		.nr_to_reclaim = SWAP_CLUSTER_MAX,
		.gfp_mask = GFP_KERNEL,
		.priority = priority,
		.reclaim_idx = MAX_NR_ZONES - 1,
		.may_swap = true,
		.file_is_tiny = file_is_tiny,
	};

	apply(m, setup, &saved);
	m->sysctl.swappiness = swappiness;
	memset(nr, 0xff, sizeof(unsigned long) * NR_LRU_LISTS);
	get_scan_count(m, NODE_DATA(m, 0), &sc, nr);
	restore(m, &saved);
}

/* The kernel's SCAN_FRACT fractions (global reclaim): each kind's cost counts the total once more,
 * then ap = swappiness * (total + 1) / (anon_cost + 1), fp = (200 - swappiness) * (total + 1) /
 * (file_cost + 1). */
static void kernel_fractions(unsigned long anon, unsigned long file, unsigned long swappiness, unsigned long *ap,
			     unsigned long *fp)
{
	unsigned long total = anon + file;
	unsigned long anon_cost = total + anon, file_cost = total + file;

	total = anon_cost + file_cost;
	*ap = swappiness * (total + 1) / (anon_cost + 1);
	*fp = (200 - swappiness) * (total + 1) / (file_cost + 1);
}

static struct machine *boot_with_swap(void)
{
	struct machine *m = test_boot(ARCH_X86_64, 64 * MB, 1, 1);
	struct swap_header_info info;

	assert_int_equal(mkswap(m, "/swapfile", 16 * MB, &info), 0);
	assert_int_equal(sys_swapon(m, "/swapfile", 0), 0);
	assert_true(get_nr_swap_pages(m) > 0);
	return m;
}

/* Lists whose sizes >> priority are multiples of the SCAN_FRACT denominator, so that each count is
 * exact (the kernel rounds down for an online memcg, as global reclaim's root is). */
static void fract_setup(struct lru_setup *setup, unsigned long denom, int priority)
{
	setup->size[LRU_INACTIVE_ANON] = (3 * denom) << priority;
	setup->size[LRU_ACTIVE_ANON] = (5 * denom) << priority;
	setup->size[LRU_INACTIVE_FILE] = (7 * denom) << priority;
	setup->size[LRU_ACTIVE_FILE] = (2 * denom) << priority;
	setup->size[LRU_UNEVICTABLE] = 1000;
}

static void assert_fract(const struct lru_setup *setup, int priority, unsigned long ap, unsigned long fp,
			 const unsigned long nr[NR_LRU_LISTS])
{
	unsigned long denom = ap + fp;

	for (int lru = 0; lru < LRU_UNEVICTABLE; lru++) {
		unsigned long scan = setup->size[lru] >> priority;
		unsigned long fraction = lru & LRU_FILE ? fp : ap;

		assert_int_equal(nr[lru], scan * fraction / denom);
	}
	assert_int_equal(nr[LRU_UNEVICTABLE], 0);
}

/* swappiness 0: no anonymous page scanned while there are file pages, at any priority but 0 too. */
static void test_swappiness_0(void **state)
{
	struct machine *m = boot_with_swap();
	struct lru_setup setup = { .anon_cost = 10, .file_cost = 300 };
	unsigned long nr[NR_LRU_LISTS], ap, fp;

	(void)state;
	kernel_fractions(setup.anon_cost, setup.file_cost, 0, &ap, &fp);
	assert_int_equal(ap, 0);
	fract_setup(&setup, 1, DEF_PRIORITY);
	for (int prio = DEF_PRIORITY; prio >= 0; prio -= 4) {
		scan_count(m, &setup, 0, prio, false, nr);
		assert_int_equal(nr[LRU_INACTIVE_ANON], 0);
		assert_int_equal(nr[LRU_ACTIVE_ANON], 0);
		assert_int_equal(nr[LRU_INACTIVE_FILE], setup.size[LRU_INACTIVE_FILE] >> prio);
		assert_int_equal(nr[LRU_ACTIVE_FILE], setup.size[LRU_ACTIVE_FILE] >> prio);
		assert_int_equal(nr[LRU_UNEVICTABLE], 0);
	}
	assert_machine_ok(m);
	machine_destroy(m);
}

/* swappiness 200: anon only, even when anon reclaim has cost more than file. */
static void test_swappiness_200(void **state)
{
	struct machine *m = boot_with_swap();
	struct lru_setup setup = { .anon_cost = 500, .file_cost = 20 };
	unsigned long nr[NR_LRU_LISTS], ap, fp;
	const int prio = 4;

	(void)state;
	kernel_fractions(setup.anon_cost, setup.file_cost, 200, &ap, &fp);
	assert_int_equal(fp, 0);
	fract_setup(&setup, ap, prio);
	scan_count(m, &setup, 200, prio, false, nr);
	assert_fract(&setup, prio, ap, fp, nr);
	assert_int_equal(nr[LRU_INACTIVE_ANON], setup.size[LRU_INACTIVE_ANON] >> prio);
	assert_int_equal(nr[LRU_ACTIVE_ANON], setup.size[LRU_ACTIVE_ANON] >> prio);
	assert_int_equal(nr[LRU_INACTIVE_FILE], 0);
	assert_int_equal(nr[LRU_ACTIVE_FILE], 0);
	assert_machine_ok(m);
	machine_destroy(m);
}

/* swappiness 60: the proportional split, with no history, cheap anon and cheap file. */
static void test_swappiness_60_proportional(void **state)
{
	static const unsigned long costs[][2] = { { 0, 0 }, { 100, 50 }, { 7, 900 }, { 1000, 3 } };
	struct machine *m = boot_with_swap();
	unsigned long nr[NR_LRU_LISTS], ap, fp;
	const int prio = 2;

	(void)state;
	for (size_t i = 0; i < sizeof(costs) / sizeof(costs[0]); i++) {
		struct lru_setup setup = { .anon_cost = costs[i][0], .file_cost = costs[i][1] };

		kernel_fractions(setup.anon_cost, setup.file_cost, 60, &ap, &fp);
		assert_true(ap > 0 && fp > 0);
		fract_setup(&setup, ap + fp, prio);
		scan_count(m, &setup, 60, prio, false, nr);
		assert_fract(&setup, prio, ap, fp, nr);
		if (i == 0) {	/* no costs yet: 60 : 140 */
			assert_int_equal(ap, 60);
			assert_int_equal(fp, 140);
			assert_int_equal(nr[LRU_INACTIVE_ANON], 3 * 60);
			assert_int_equal(nr[LRU_INACTIVE_FILE], 7 * 140);
		}
		if (i == 2)	/* anon was cheaper to reclaim: anon's share above the bare 60 : 140 */
			assert_true(ap * 140 > fp * 60);
		if (i == 3)	/* anon was dearer: below it */
			assert_true(ap * 140 < fp * 60);
	}
	assert_machine_ok(m);
	machine_destroy(m);
}

/* Priority 0 with swappiness > 0: every list scanned whole (SCAN_EQUAL). */
static void test_priority_0_equal(void **state)
{
	struct machine *m = boot_with_swap();
	struct lru_setup setup = { .anon_cost = 100, .file_cost = 1 };
	unsigned long nr[NR_LRU_LISTS];

	(void)state;
	fract_setup(&setup, 13, 0);
	scan_count(m, &setup, 60, 0, false, nr);
	for (int lru = 0; lru < LRU_UNEVICTABLE; lru++)
		assert_int_equal(nr[lru], setup.size[lru]);
	assert_int_equal(nr[LRU_UNEVICTABLE], 0);
	machine_destroy(m);
}

/* No swap space (none on, or may_swap off): file lists only, whatever swappiness says. */
static void test_no_swap_no_anon(void **state)
{
	struct machine *m = test_boot(ARCH_X86_64, 64 * MB, 1, 1);
	struct lru_setup setup = { .anon_cost = 0, .file_cost = 1000 };
	unsigned long nr[NR_LRU_LISTS];
	const int prio = 3;

	(void)state;
	assert_true(get_nr_swap_pages(m) <= 0);
	fract_setup(&setup, 11, prio);
	for (int swappiness = 0; swappiness <= 200; swappiness += 100) {
		for (int p = prio; p >= 0; p -= prio) {
			scan_count(m, &setup, swappiness, p, false, nr);
			assert_int_equal(nr[LRU_INACTIVE_ANON], 0);
			assert_int_equal(nr[LRU_ACTIVE_ANON], 0);
			assert_int_equal(nr[LRU_INACTIVE_FILE], setup.size[LRU_INACTIVE_FILE] >> p);
			assert_int_equal(nr[LRU_ACTIVE_FILE], setup.size[LRU_ACTIVE_FILE] >> p);
		}
	}
	/* file_is_tiny does not make anon reclaimable without swap */
	scan_count(m, &setup, 60, prio, true, nr);
	assert_int_equal(nr[LRU_INACTIVE_ANON] + nr[LRU_ACTIVE_ANON], 0);
	assert_machine_ok(m);
	machine_destroy(m);
}

/* A full swap area is no swap space either. */
static void test_full_swap_no_anon(void **state)
{
	struct machine *m = test_boot(ARCH_X86_64, 64 * MB, 1, 1);
	struct swap_header_info info;
	struct lru_setup setup = { 0 };
	unsigned long nr[NR_LRU_LISTS];

	(void)state;
	assert_int_equal(mkswap(m, "/swapfile", 16 * MB, &info), 0);
	assert_int_equal(sys_swapon(m, "/swapfile", 0), 0);
	long free_slots = get_nr_swap_pages(m);

	fract_setup(&setup, 200, 2);
	m->swap->nr_swap_pages = 0;	/* every slot taken, as far as reclaim can see */
	scan_count(m, &setup, 100, 2, false, nr);
	m->swap->nr_swap_pages = free_slots;
	assert_int_equal(nr[LRU_INACTIVE_ANON] + nr[LRU_ACTIVE_ANON], 0);
	assert_int_equal(nr[LRU_INACTIVE_FILE], setup.size[LRU_INACTIVE_FILE] >> 2);
	assert_machine_ok(m);
	machine_destroy(m);
}

/* A tiny file list (file_is_tiny, as shrink_node decides it): anon scanned, file not, even at
 * swappiness 0. */
static void test_file_is_tiny(void **state)
{
	struct machine *m = boot_with_swap();
	struct lru_setup setup = { .anon_cost = 1000, .file_cost = 0 };
	unsigned long nr[NR_LRU_LISTS];
	const int prio = DEF_PRIORITY;

	(void)state;
	setup.size[LRU_INACTIVE_ANON] = 40000;
	setup.size[LRU_ACTIVE_ANON] = 90000;
	setup.size[LRU_INACTIVE_FILE] = 3;
	setup.size[LRU_ACTIVE_FILE] = 2;
	for (int swappiness = 0; swappiness <= 200; swappiness += 60) {
		scan_count(m, &setup, swappiness, prio, true, nr);
		assert_int_equal(nr[LRU_INACTIVE_ANON], 40000UL >> prio);
		assert_int_equal(nr[LRU_ACTIVE_ANON], 90000UL >> prio);
		assert_int_equal(nr[LRU_INACTIVE_FILE], 0);
		assert_int_equal(nr[LRU_ACTIVE_FILE], 0);
	}
	assert_machine_ok(m);
	machine_destroy(m);
}

/* ---- oom_badness, /proc/PID/oom_score ---- */

/* The badness by the kernel's formula, from the mm's counters. */
static long expected_badness(const struct task_struct *tsk, unsigned long totalpages)
{
	const struct mm_struct *mm = tsk->mm;
	long rss = mm->rss_stat[MM_FILEPAGES] + mm->rss_stat[MM_ANONPAGES] + mm->rss_stat[MM_SHMEMPAGES];

	if (tsk->oom_score_adj == -1000)
		return LONG_MIN;
	return rss + mm->rss_stat[MM_SWAPENTS] + (long)(mm->pgtables_bytes / PAGE_SIZE) +
	       (long)tsk->oom_score_adj * (long)(totalpages / 1000);
}

static unsigned long read_oom_score(struct machine *m, int pid)
{
	char path[64];
	struct seq_file s;
	unsigned long v;

	snprintf(path, sizeof(path), "/proc/%d/oom_score", pid);
	seq_init(&s);
	assert_int_equal(procfs_read(m, path, &s), 0);
	v = strtoul(s.buf, NULL, 10);
	seq_release(&s);
	return v;
}

static void set_adj(struct machine *m, int pid, const char *adj)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", pid);
	assert_int_equal(procfs_write(m, path, adj, strlen(adj)), 0);
}

/* proc_oom_score: (1000 + badness * 1000 / totalpages) * 2 / 3; 0 for OOM_SCORE_ADJ_MIN. */
static unsigned long expected_oom_score(long badness, unsigned long totalpages)
{
	if (badness == LONG_MIN)
		return 0;
	return (unsigned long)((1000 + badness * 1000 / (long)totalpages) * 2 / 3);
}

static void test_oom_badness(void **state)
{
	struct machine *m = boot_with_swap();
	unsigned long totalpages = m->totalram_pages + (unsigned long)total_swap_pages(m);
	struct task_struct *big, *small;
	long b;

	(void)state;
	assert_int_equal(oom_totalpages(m), totalpages);
	big = test_spawn(m, "big");
	test_map_anon(m, big, 2048, NULL);
	small = test_spawn(m, "small");
	test_map_anon(m, small, 64, NULL);

	/* rss, page tables, adj 0 */
	assert_true(get_mm_rss(big->mm) >= 2048);
	assert_true(big->mm->pgtables_bytes >= PAGE_SIZE);
	b = oom_badness(big, totalpages);
	assert_int_equal(b, expected_badness(big, totalpages));
	assert_true(b >= 2048 + 1);
	assert_true(b > oom_badness(small, totalpages));
	assert_int_equal(read_oom_score(m, big->pid), expected_oom_score(b, totalpages));

	/* swap entries count as much as resident pages: reclaim swaps some of big out */
	for (int i = 0; i < 64 && big->mm->rss_stat[MM_SWAPENTS] < 256; i++)
		try_to_free_pages(m, GFP_KERNEL, 0, MAX_NR_ZONES - 1, 0);
	assert_true(big->mm->rss_stat[MM_SWAPENTS] > 0);
	assert_int_equal(oom_badness(big, totalpages), expected_badness(big, totalpages));
	assert_int_equal(oom_badness(big, totalpages),
			 (long)get_mm_rss(big->mm) + big->mm->rss_stat[MM_SWAPENTS] +
				 (long)(big->mm->pgtables_bytes / PAGE_SIZE));
	assert_int_equal(read_oom_score(m, big->pid), expected_oom_score(oom_badness(big, totalpages), totalpages));

	/* oom_score_adj: +500 adds half of totalpages' thousandths times 500 */
	set_adj(m, small->pid, "500\n");
	assert_int_equal(small->oom_score_adj, 500);
	assert_int_equal(oom_badness(small, totalpages), expected_badness(small, totalpages));
	assert_int_equal(read_oom_score(m, small->pid),
			 expected_oom_score(expected_badness(small, totalpages), totalpages));

	/* +1000: maximal, above any task at 0 */
	set_adj(m, small->pid, "1000");
	b = oom_badness(small, totalpages);
	assert_int_equal(b, expected_badness(small, totalpages));
	assert_true(b >= (long)(totalpages / 1000) * 1000);
	assert_true(b > oom_badness(big, totalpages));
	assert_int_equal(read_oom_score(m, small->pid), expected_oom_score(b, totalpages));
	assert_true(read_oom_score(m, small->pid) > read_oom_score(m, big->pid));
	assert_true(read_oom_score(m, small->pid) > 1000 * 2 / 3 * 19 / 10);

	/* -1000: never chosen; LONG_MIN, oom_score 0 */
	set_adj(m, big->pid, "-1000");
	assert_true(oom_badness(big, totalpages) == LONG_MIN);
	assert_int_equal(read_oom_score(m, big->pid), 0);
	set_adj(m, big->pid, "-999");
	assert_true(oom_badness(big, totalpages) != LONG_MIN);
	assert_int_equal(oom_badness(big, totalpages), expected_badness(big, totalpages));
	assert_int_equal(read_oom_score(m, big->pid),
			 expected_oom_score(expected_badness(big, totalpages), totalpages));
	set_adj(m, big->pid, "-1000");

	assert_machine_ok(m);
	machine_destroy(m);
}

/* The OOM killer picks by badness: +1000 first even when smaller; -1000 never, even when biggest. */
static void test_oom_victim_choice(void **state)
{
	struct machine *m = boot_with_swap();
	struct task_struct *big, *small;
	int big_pid, small_pid;

	(void)state;
	big = test_spawn(m, "big");
	test_map_anon(m, big, 1024, NULL);
	small = test_spawn(m, "small");
	test_map_anon(m, small, 16, NULL);
	big_pid = big->pid;
	small_pid = small->pid;

	set_adj(m, small_pid, "1000");
	assert_int_equal(out_of_memory(m, &(struct oom_control){ .gfp_mask = GFP_KERNEL, .call_path = "" }), small_pid);
	assert_null(find_task_by_pid(m, small_pid));

	set_adj(m, big_pid, "-1000");
	small = test_spawn(m, "small2");
	test_map_anon(m, small, 8, NULL);
	small_pid = small->pid;
	assert_int_equal(out_of_memory(m, &(struct oom_control){ .gfp_mask = GFP_KERNEL, .call_path = "" }), small_pid);
	assert_non_null(find_task_by_pid(m, big_pid));
	assert_machine_ok(m);
	machine_destroy(m);
}

/* Direct reclaim for an allocation that may not start I/O (GFP_NOIO: zram's and zswap's own, made
 * while a page is being swapped out) swaps nothing out: no page enters the swap cache, none is
 * written (shrink_folio_list's __GFP_IO test, may_enter_fs); GFP_KERNEL reclaim of the same pages
 * swaps them. Before, a zram store's allocation swapped other pages out into zram inside the store,
 * overwriting the compressed bytes it was about to keep. */
static void test_noio_reclaim_swaps_nothing(void **state)
{
	struct machine *m = boot_with_swap();
	struct task_struct *a = test_spawn(m, "a");
	long free_slots;

	(void)state;
	test_map_anon(m, a, 2048, NULL);
	free_slots = get_nr_swap_pages(m);
	for (int i = 0; i < 16; i++)
		try_to_free_pages(m, GFP_NOIO, 0, MAX_NR_ZONES - 1, 0);
	assert_int_equal(m->vm_events[PSWPOUT], 0);
	assert_int_equal(a->mm->rss_stat[MM_SWAPENTS], 0);
	assert_int_equal(get_nr_swap_pages(m), free_slots);
	assert_int_equal(global_node_page_state(m, NR_SWAPCACHE), 0);
	assert_machine_ok(m);
	for (int i = 0; i < 64 && !a->mm->rss_stat[MM_SWAPENTS]; i++)
		try_to_free_pages(m, GFP_KERNEL, 0, MAX_NR_ZONES - 1, 0);
	assert_true(m->vm_events[PSWPOUT] > 0);
	assert_true(a->mm->rss_stat[MM_SWAPENTS] > 0);
	assert_machine_ok(m);
	machine_destroy(m);
}

/* No task to kill (mm/oom_kill.c out_of_memory): every task at -1000, a fault that finds no memory
 * and no swap panics the machine, "System is deadlocked on memory"; the exempt task is not killed
 * and nothing more runs: a later OOM neither reports nor kills. */
static void test_oom_no_victim_panics(void **state)
{
	struct machine *m = test_boot(ARCH_X86_64, 64 * MB, 1, 1);
	struct task_struct *a = test_spawn(m, "a");
	int pid = a->pid, sig = 0;
	long addr;
	size_t logged;

	(void)state;
	set_adj(m, pid, "-1000");
	m->trace.pid = pid;	/* a's own accesses: it invokes the OOM killer */
	m->trace.comm = a->comm;
	m->sysctl.overcommit_memory = 1;
	addr = sys_mmap(a, 0, 128 * MB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
	assert_true(addr > 0);
	for (unsigned long off = 0; off < 128 * MB && !sig; off += PAGE_SIZE)
		user_access_page(m, a, (unsigned long)addr + off, true, &sig);
	assert_int_equal(sig, SIGKILL);
	assert_true(machine_panicked(m));
	assert_string_equal(m->panic_msg, "System is deadlocked on memory");
	assert_ptr_equal(find_task_by_pid(m, pid), a);
	assert_int_equal(m->vm_events[OOM_KILL], 0);
	assert_non_null(strstr(m->log.buf, "a invoked oom-killer: gfp_mask=0x100cca(GFP_HIGHUSER_MOVABLE), order=0, "
					   "oom_score_adj=-1000\n"));
	assert_non_null(strstr(m->log.buf, "] Out of memory and no killable processes...\n"));
	assert_non_null(strstr(m->log.buf, "] Kernel panic - not syncing: System is deadlocked on memory\n"));
	assert_non_null(strstr(m->log.buf, "] ---[ end Kernel panic - not syncing: System is deadlocked on memory ]---\n"));
	assert_machine_ok(m);
	logged = m->log.len;
	assert_int_equal(out_of_memory(m, &(struct oom_control){ .gfp_mask = GFP_KERNEL, .call_path = "" }), 0);
	assert_int_equal(m->log.len, logged);
	assert_non_null(find_task_by_pid(m, pid));
	machine_destroy(m);
}

/* Pids as a booted kernel has them: 1 init, 2 kthreadd, then the kernel threads in the order the
 * kernel starts them (kcompactd per node, ksmd, kswapd per node), then processes. */
static void test_kthread_pids(void **state)
{
	static const char *const comms[] = { "kcompactd0", "kcompactd1", "ksmd", "kswapd0", "kswapd1", "khugepaged" };
	struct machine *m = test_boot(ARCH_X86_64, 64 * MB, 2, 2);
	struct kthread *k = m->kthreads;
	int pid = KTHREADD_PID;

	(void)state;
	assert_int_equal(m->trace.pid, INIT_PID);
	for (size_t i = 0; i < sizeof(comms) / sizeof(comms[0]); i++, k = k->next) {
		assert_non_null(k);
		assert_string_equal(k->comm, comms[i]);
		assert_int_equal(k->pid, ++pid);
	}
	assert_null(k);
	struct task_struct *a = test_spawn(m, "a");
	struct seq_file report;

	assert_int_equal(a->pid, pid + 1);
	assert_machine_ok(m);
	/* machine_check: a pid used twice, and a soft limit above its hard one */
	a->pid = m->kthreads->pid;
	a->rlim[RLIMIT_MEMLOCK].rlim_cur = a->rlim[RLIMIT_MEMLOCK].rlim_max + 1;
	seq_init(&report);
	assert_int_equal(machine_check(m, &report), 2);
	seq_release(&report);
	a->pid = pid + 1;
	a->rlim[RLIMIT_MEMLOCK].rlim_cur--;
	assert_machine_ok(m);
	machine_destroy(m);
}

/* dump_header names the allocating task's own oom_score_adj, whoever the victim is; kernel threads,
 * and the script's own context (init), have 0. */
static void test_oom_header_current_adj(void **state)
{
	struct machine *m = boot_with_swap();
	struct task_struct *big = test_spawn(m, "big"), *cur = test_spawn(m, "cur");
	int victim = big->pid;
	size_t logged;

	(void)state;
	test_map_anon(m, big, 1024, NULL);
	set_adj(m, cur->pid, "-500");
	m->trace.pid = cur->pid;
	m->trace.comm = cur->comm;
	logged = m->log.len;
	assert_int_equal(out_of_memory(m, &(struct oom_control){ .gfp_mask = GFP_KERNEL, .call_path = "" }), victim);
	assert_non_null(strstr(m->log.buf + logged, "cur invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, "
						    "oom_score_adj=-500\n"));
	m->trace.pid = m->kthreads->pid;
	m->trace.comm = m->kthreads->comm;
	big = test_spawn(m, "big2");
	victim = big->pid;
	test_map_anon(m, big, 1024, NULL);
	logged = m->log.len;
	assert_int_equal(out_of_memory(m, &(struct oom_control){ .gfp_mask = GFP_KERNEL, .call_path = "" }), victim);
	assert_non_null(strstr(m->log.buf + logged, "kcompactd0 invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), "
						    "order=0, oom_score_adj=0\n"));
	assert_machine_ok(m);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_swappiness_0),
		cmocka_unit_test(test_swappiness_200),
		cmocka_unit_test(test_swappiness_60_proportional),
		cmocka_unit_test(test_priority_0_equal),
		cmocka_unit_test(test_no_swap_no_anon),
		cmocka_unit_test(test_full_swap_no_anon),
		cmocka_unit_test(test_file_is_tiny),
		cmocka_unit_test(test_oom_badness),
		cmocka_unit_test(test_oom_victim_choice),
		cmocka_unit_test(test_oom_header_current_adj),
		cmocka_unit_test(test_oom_no_victim_panics),
		cmocka_unit_test(test_noio_reclaim_swaps_nothing),
		cmocka_unit_test(test_kthread_pids),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
