/* Unit tests of transparent huge pages (mm/huge_memory.c): the sysfs policy files, which faults get
 * a PMD-mapped folio, its mapcounts, references and counters, a PMD split and a folio split, the
 * PMD-aligned placement of larger anonymous mappings, reclaim's mlock of a folio in a locked VMA, and a random walk of writes, mprotect,
 * MAP_FIXED remaps, MADV_DONTNEED, mremap and fork whose bytes are checked against a shadow copy. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <mmlab/huge_mm.h>
#include <mmlab/mman.h>
#include <mmlab/procfs.h>
#include <mmlab/syscalls.h>
#include <mmlab/vmscan.h>
#include <mmlab/vmstat.h>

#include "machine_fixture.h"

#define THP_DIR "/sys/kernel/mm/transparent_hugepage/"

static void assert_file(struct machine *m, const char *path, const char *want)
{
	struct seq_file s;

	seq_init(&s);
	assert_int_equal(procfs_read(m, path, &s), 0);
	assert_string_equal(s.buf, want);
	seq_release(&s);
}

static int write_text(struct machine *m, const char *path, const char *text)
{
	return procfs_write(m, path, text, strlen(text));
}

static struct task_struct *spawn(struct machine *m, const char *comm)
{
	char msg[320] = "";
	int err = 0;
	struct task_struct *tsk = spawn_task(m, comm, NULL, &err, msg, sizeof(msg));

	assert_non_null(tsk);
	return tsk;
}

/* A store of one byte; the task must survive it. */
static void store(struct machine *m, struct task_struct *tsk, unsigned long addr, unsigned char v)
{
	int sig = 0;
	unsigned char *p = user_access_page(m, tsk, addr, true, &sig);

	assert_non_null(p);
	*p = v;
}

static unsigned char load(struct machine *m, struct task_struct *tsk, unsigned long addr)
{
	int sig = 0;
	unsigned char *p = user_access_page(m, tsk, addr, false, &sig);

	assert_non_null(p);
	return *p;
}

/* The PMD entry for addr, and the folio a huge one maps (NULL if it is not huge). */
static struct page *pmd_folio(struct machine *m, struct mm_struct *mm, unsigned long addr)
{
	struct pt_entry pmd;

	if (walk_to_pmd(mm, addr, false, &pmd) || !pmd_trans_huge(ptep_get(pmd)))
		return NULL;
	return pfn_to_page(m, pte_pfn(mm->pm, ptep_get(pmd)));
}

/* The files' formats are the kernel's; writes take the kernel's words and nothing else. */
static void test_sysfs(void **state)
{
	struct machine *m = test_boot(ARCH_X86_64, 64ULL << 20, 1, 1);

	(void)state;
	assert_file(m, THP_DIR "enabled", "always [madvise] never\n");
	assert_file(m, THP_DIR "defrag", "always defer defer+madvise [madvise] never\n");
	assert_file(m, THP_DIR "use_zero_page", "1\n");
	assert_file(m, THP_DIR "hpage_pmd_size", "2097152\n");
	assert_file(m, THP_DIR "shmem_enabled", "always within_size advise [never] deny force\n");
	assert_int_equal(write_text(m, THP_DIR "enabled", "always\n"), 0);
	assert_file(m, THP_DIR "enabled", "[always] madvise never\n");
	assert_int_equal(write_text(m, THP_DIR "enabled", "never"), 0);
	assert_file(m, THP_DIR "enabled", "always madvise [never]\n");
	assert_int_equal(write_text(m, THP_DIR "enabled", "sometimes"), -EINVAL);
	assert_int_equal(write_text(m, THP_DIR "enabled", "always\n\n"), -EINVAL);
	assert_file(m, THP_DIR "enabled", "always madvise [never]\n");
	assert_int_equal(write_text(m, THP_DIR "defrag", "defer+madvise"), 0);
	assert_file(m, THP_DIR "defrag", "always defer [defer+madvise] madvise never\n");
	assert_int_equal(write_text(m, THP_DIR "defrag", "always"), 0);
	assert_file(m, THP_DIR "defrag", "[always] defer defer+madvise madvise never\n");
	assert_int_equal(write_text(m, THP_DIR "defrag", "never"), 0);
	assert_file(m, THP_DIR "defrag", "always defer defer+madvise madvise [never]\n");
	assert_int_equal(write_text(m, THP_DIR "use_zero_page", "0"), 0);
	assert_file(m, THP_DIR "use_zero_page", "0\n");
	assert_int_equal(write_text(m, THP_DIR "use_zero_page", "2"), -EINVAL);
	assert_int_equal(write_text(m, THP_DIR "hpage_pmd_size", "4096"), -EACCES);
	assert_int_equal(write_text(m, THP_DIR "khugepaged", "1"), -EISDIR);	/* a directory: its files are khugepaged's */
	machine_destroy(m);
	/* i386 without PAE: no transparent huge pages, no directory */
	m = test_boot(ARCH_I386, 64ULL << 20, 1, 1);
	struct seq_file s;

	seq_init(&s);
	assert_int_equal(procfs_read(m, THP_DIR "enabled", &s), -ENOENT);
	seq_release(&s);
	machine_destroy(m);
}

/* enabled and MADV_HUGEPAGE/MADV_NOHUGEPAGE decide which write faults get a folio. */
static void test_fault_policy(void **state)
{
	struct machine *m = test_boot(ARCH_X86_64, 64ULL << 20, 1, 1);
	struct task_struct *tsk = spawn(m, "a");
	long a = sys_mmap(tsk, 0, 8UL << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);

	(void)state;
	assert_true(a > 0 && !(a & (HPAGE_PMD_SIZE - 1)));	/* thp_get_unmapped_area */
	store(m, tsk, (unsigned long)a, 1);	/* madvise mode, no advice: 4K */
	assert_null(pmd_folio(m, tsk->mm, (unsigned long)a));
	assert_int_equal(sys_madvise(tsk, (unsigned long)a + HPAGE_PMD_SIZE, HPAGE_PMD_SIZE, MADV_HUGEPAGE), 0);
	store(m, tsk, (unsigned long)a + HPAGE_PMD_SIZE + 5, 2);
	assert_non_null(pmd_folio(m, tsk->mm, (unsigned long)a + HPAGE_PMD_SIZE));
	assert_int_equal(write_text(m, THP_DIR "enabled", "always"), 0);
	assert_int_equal(sys_madvise(tsk, (unsigned long)a + 2 * HPAGE_PMD_SIZE, HPAGE_PMD_SIZE, MADV_NOHUGEPAGE), 0);
	store(m, tsk, (unsigned long)a + 2 * HPAGE_PMD_SIZE, 3);
	assert_null(pmd_folio(m, tsk->mm, (unsigned long)a + 2 * HPAGE_PMD_SIZE));
	store(m, tsk, (unsigned long)a + 3 * HPAGE_PMD_SIZE + 7, 4);
	assert_non_null(pmd_folio(m, tsk->mm, (unsigned long)a + 3 * HPAGE_PMD_SIZE));
	assert_int_equal(m->vm_events[THP_FAULT_ALLOC], 2);
	assert_int_equal(global_node_page_state(m, NR_ANON_THPS), 2 * HPAGE_PMD_NR);
	assert_int_equal(write_text(m, THP_DIR "enabled", "never"), 0);
	assert_int_equal(sys_munmap(tsk, (unsigned long)a + 3 * HPAGE_PMD_SIZE, HPAGE_PMD_SIZE), 0);
	long b = sys_mmap(tsk, (unsigned long)a + 3 * HPAGE_PMD_SIZE, HPAGE_PMD_SIZE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
	assert_true(b == a + (long)(3 * HPAGE_PMD_SIZE));
	store(m, tsk, (unsigned long)b, 5);
	assert_null(pmd_folio(m, tsk->mm, (unsigned long)b));
	/* a mapping that covers no whole PMD range gets none even when always */
	assert_int_equal(write_text(m, THP_DIR "enabled", "always"), 0);
	assert_int_equal(sys_munmap(tsk, (unsigned long)a, 8UL << 20), 0);
	b = sys_mmap(tsk, (unsigned long)a + PAGE_SIZE, HPAGE_PMD_SIZE + PAGE_SIZE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
	store(m, tsk, (unsigned long)a + PAGE_SIZE, 6);
	store(m, tsk, (unsigned long)a + HPAGE_PMD_SIZE, 7);
	assert_null(pmd_folio(m, tsk->mm, (unsigned long)a));
	assert_null(pmd_folio(m, tsk->mm, (unsigned long)a + HPAGE_PMD_SIZE));
	assert_int_equal(m->vm_events[THP_FAULT_ALLOC], 2);
	assert_machine_ok(m);
	machine_destroy(m);
}

/* A new folio: order 9, zeroed, mapped whole once, one reference, on the LRU as 512 pages; the
 * huge zero page for a read, replaced by a folio at the first write. */
static void test_fault_folio(void **state)
{
	struct machine *m = test_boot(ARCH_X86_64, 64ULL << 20, 1, 1);
	struct task_struct *tsk = spawn(m, "a");
	unsigned long pgtables = tsk->mm->pgtables_bytes;
	long a;
	struct page *folio;

	(void)state;
	assert_int_equal(write_text(m, THP_DIR "enabled", "always"), 0);
	/* a hint far from the vDSO's mappings: the page tables above a's PTE table are a's alone */
	a = sys_mmap(tsk, 1UL << 44, 4UL << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
	assert_int_equal(a, 1L << 44);
	assert_int_equal(load(m, tsk, (unsigned long)a + 100), 0);
	folio = pmd_folio(m, tsk->mm, (unsigned long)a);
	assert_non_null(folio);
	assert_true(is_huge_zero_pfn(m, page_to_pfn(m, folio)));
	assert_int_equal(m->vm_events[THP_ZERO_PAGE_ALLOC], 1);
	assert_int_equal(global_node_page_state(m, NR_ANON_THPS), 0);
	store(m, tsk, (unsigned long)a + 100, 0x5a);
	folio = pmd_folio(m, tsk->mm, (unsigned long)a);
	assert_non_null(folio);
	assert_false(is_huge_zero_pfn(m, page_to_pfn(m, folio)));
	assert_true(PageHead(folio) && compound_order(folio) == HPAGE_PMD_ORDER && PageAnon(folio) && PageLRU(folio));
	assert_int_equal(folio_entire_mapcount(folio), 1);
	assert_int_equal(folio_mapcount(folio), 1);
	assert_int_equal(page_ref_count(folio), 1);
	assert_int_equal(load(m, tsk, (unsigned long)a + 100), 0x5a);
	assert_int_equal(load(m, tsk, (unsigned long)a + HPAGE_PMD_SIZE - 1), 0);
	assert_int_equal(global_node_page_state(m, NR_ANON_THPS), HPAGE_PMD_NR);
	assert_int_equal(global_node_page_state(m, NR_ANON_MAPPED), HPAGE_PMD_NR);
	assert_int_equal(tsk->mm->rss_stat[MM_ANONPAGES], HPAGE_PMD_NR);
	assert_int_equal(global_node_page_state(m, NR_INACTIVE_ANON), HPAGE_PMD_NR);
	assert_int_equal(m->vm_events[THP_FAULT_ALLOC], 1);
	/* the bytes the MMU reached are the folio's */
	assert_int_equal(((unsigned char *)kmap_local_page(m, folio))[100], 0x5a);
	assert_machine_ok(m);
	assert_int_equal(sys_munmap(tsk, (unsigned long)a, 4UL << 20), 0);
	assert_int_equal(global_node_page_state(m, NR_ANON_THPS), 0);
	assert_int_equal(global_node_page_state(m, NR_ANON_MAPPED), 0);
	assert_int_equal(global_node_page_state(m, NR_INACTIVE_ANON), 0);
	assert_int_equal(tsk->mm->pgtables_bytes, pgtables);	/* the deposited table and the rest freed */
	assert_machine_ok(m);
	machine_destroy(m);
}

/* mprotect of half a huge PMD: the PMD becomes its deposited table, each PTE maps its page of the
 * same folio; the folio stays whole, now PTE-mapped; a write to it reuses the page. */
static void test_split_pmd(void **state)
{
	struct machine *m = test_boot(ARCH_X86_64, 64ULL << 20, 1, 1);
	struct task_struct *tsk = spawn(m, "a");
	unsigned long a, pfn, tables;
	struct page *folio;
	struct pt_entry pte;

	(void)state;
	assert_int_equal(write_text(m, THP_DIR "enabled", "always"), 0);
	a = (unsigned long)sys_mmap(tsk, 0, HPAGE_PMD_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
	store(m, tsk, a + 3 * PAGE_SIZE, 0x77);
	folio = pmd_folio(m, tsk->mm, a);
	pfn = page_to_pfn(m, folio);
	tables = global_node_page_state(m, NR_PAGETABLE);
	assert_int_equal(sys_mprotect(tsk, a, HPAGE_PMD_SIZE / 2, PROT_READ), 0);
	assert_null(pmd_folio(m, tsk->mm, a));
	assert_int_equal(global_node_page_state(m, NR_PAGETABLE), tables);	/* the deposited table, used */
	assert_int_equal(m->vm_events[THP_SPLIT_PMD], 1);
	for (unsigned long i = 0; i < HPAGE_PMD_NR; i++) {
		assert_true(follow_pte(tsk->mm, a + i * PAGE_SIZE, &pte));
		assert_int_equal(pte_pfn(tsk->mm->pm, ptep_get(pte)), pfn + i);
		assert_int_equal(folio_precise_page_mapcount(folio + i), 1);
	}
	assert_true(PageHead(folio));
	assert_int_equal(folio_entire_mapcount(folio), 0);
	assert_int_equal(page_ref_count(folio), HPAGE_PMD_NR);
	assert_int_equal(global_node_page_state(m, NR_ANON_THPS), 0);
	assert_int_equal(global_node_page_state(m, NR_ANON_MAPPED), HPAGE_PMD_NR);
	assert_int_equal(load(m, tsk, a + 3 * PAGE_SIZE), 0x77);
	store(m, tsk, a + HPAGE_PMD_SIZE - 1, 0x11);	/* reused, not copied */
	assert_true(follow_pte(tsk->mm, a + HPAGE_PMD_SIZE - 1, &pte));
	assert_int_equal(pte_pfn(tsk->mm->pm, ptep_get(pte)), pfn + HPAGE_PMD_NR - 1);
	assert_machine_ok(m);
	/* unmapping part of it frees nothing: the folio is freed with its last page's mapping */
	assert_int_equal(sys_munmap(tsk, a, HPAGE_PMD_SIZE / 2), 0);
	assert_int_equal(page_ref_count(folio), HPAGE_PMD_NR / 2);
	assert_machine_ok(m);
	assert_int_equal(sys_munmap(tsk, a + HPAGE_PMD_SIZE / 2, HPAGE_PMD_SIZE / 2), 0);
	assert_int_equal(global_node_page_state(m, NR_ANON_MAPPED), 0);
	assert_machine_ok(m);
	machine_destroy(m);
}

/* folio_referenced over a PTE-mapped huge page and a locked VMA (mm/rmap.c folio_referenced_one):
 * a locked VMA over half the folio neither mlocks it nor counts its young PTEs; once the VMA
 * holds the whole folio (an mlock of the other half, which leaves the folio unlocked, as the
 * kernel's mlock_pte_range does for a folio not within its range), reclaim mlocks it. */
static void test_referenced_locked(void **state)
{
	struct machine *m = test_boot(ARCH_X86_64, 64ULL << 20, 1, 1);
	struct task_struct *tsk = spawn(m, "a");
	unsigned long a, vm_flags;
	struct page *folio;

	(void)state;
	assert_int_equal(write_text(m, THP_DIR "enabled", "always"), 0);
	a = (unsigned long)sys_mmap(tsk, 0, HPAGE_PMD_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
	for (unsigned long off = 0; off < HPAGE_PMD_SIZE; off += PAGE_SIZE)
		store(m, tsk, a + off, 0x3c);
	folio = pmd_folio(m, tsk->mm, a);
	assert_non_null(folio);
	assert_int_equal(sys_mlock(tsk, a, HPAGE_PMD_SIZE / 2), 0);
	assert_null(pmd_folio(m, tsk->mm, a));
	assert_false(test_bit_flag(folio, PG_mlocked));
	/* the young PTEs of the unlocked half count, the locked half's are passed over */
	assert_int_equal(folio_referenced(m, folio, &vm_flags), HPAGE_PMD_NR / 2);
	assert_false(vm_flags & VM_LOCKED);
	assert_false(test_bit_flag(folio, PG_mlocked));
	assert_int_equal(global_zone_page_state(m, NR_MLOCK), 0);
	assert_machine_ok(m);
	/* the whole folio in one locked VMA, not yet mlocked: reclaim's walk restores the mlock */
	assert_int_equal(sys_mlock(tsk, a + HPAGE_PMD_SIZE / 2, HPAGE_PMD_SIZE / 2), 0);
	assert_false(test_bit_flag(folio, PG_mlocked));
	assert_int_equal(folio_referenced(m, folio, &vm_flags), 0);
	assert_true(vm_flags & VM_LOCKED);
	assert_true(test_bit_flag(folio, PG_mlocked) && test_bit_flag(folio, PG_unevictable));
	assert_int_equal(global_zone_page_state(m, NR_MLOCK), HPAGE_PMD_NR);
	assert_int_equal(m->vm_events[UNEVICTABLE_PGMLOCKED], HPAGE_PMD_NR);
	assert_machine_ok(m);
	assert_int_equal(sys_munmap(tsk, a, HPAGE_PMD_SIZE), 0);
	assert_int_equal(global_zone_page_state(m, NR_MLOCK), 0);
	assert_machine_ok(m);
	machine_destroy(m);
}

/* split_folio_to_list: the PMD split first, then 512 small pages, each on the list with a reference
 * per mapping and one for the isolation; pages nothing maps are freed. */
static void test_split_folio(void **state)
{
	struct machine *m = test_boot(ARCH_X86_64, 64ULL << 20, 1, 1);
	struct task_struct *tsk = spawn(m, "a");
	struct list_head list = LIST_HEAD_INIT(list);
	unsigned long a, n = 0;
	struct page *folio, *page, *next;

	(void)state;
	assert_int_equal(write_text(m, THP_DIR "enabled", "always"), 0);
	a = (unsigned long)sys_mmap(tsk, 0, HPAGE_PMD_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
	for (unsigned long i = 0; i < HPAGE_PMD_NR; i++)
		store(m, tsk, a + i * PAGE_SIZE, (unsigned char)i);
	folio = pmd_folio(m, tsk->mm, a);
	/* the last page unmapped: it is freed by the split */
	assert_int_equal(sys_madvise(tsk, a + HPAGE_PMD_SIZE - PAGE_SIZE, PAGE_SIZE, MADV_DONTNEED), 0);
	lruvec_del_folio(m, folio);	/* isolated, as reclaim takes it */
	get_page(folio);
	assert_int_equal(split_folio_to_list(m, folio, &list), 0);
	assert_int_equal(m->vm_events[THP_SPLIT_PAGE], 1);
	assert_false(PageHead(folio));
	list_for_each_entry(page, &list, lru) {
		assert_false(PageTail(page) || PageHead(page));
		assert_int_equal(page_ref_count(page), 2);
		assert_int_equal(page->_mapcount, 0);
		assert_true(PageAnon(page) && test_bit_flag(page, PG_swapbacked));
		n++;
	}
	assert_int_equal(n, HPAGE_PMD_NR - 2);	/* the head is the caller's, the last page is gone */
	list_add(&folio->lru, &list);
	list_for_each_entry_safe(page, next, &list, lru) {
		list_del(&page->lru);
		lruvec_add_folio(m, page);
		put_page(m, page);
	}
	for (unsigned long i = 0; i < HPAGE_PMD_NR - 1; i++)
		assert_int_equal(load(m, tsk, a + i * PAGE_SIZE), (unsigned char)i);
	assert_int_equal(load(m, tsk, a + HPAGE_PMD_SIZE - PAGE_SIZE), 0);
	assert_machine_ok(m);
	machine_destroy(m);
}

/* ---- a random walk, every byte checked against a shadow copy ---- */

#define WALK_LEN	(8UL << 20)

struct walker {
	struct machine *m;
	struct task_struct *tsk[2];	/* the process and, after a fork, its child */
	unsigned char *shadow[2];
	unsigned long base;
	uint64_t rng;
};

static unsigned long rnd(struct walker *w, unsigned long n)
{
	w->rng = w->rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned long)(w->rng >> 33) % n;
}

/* A random page-aligned range of the area, up to a PMD and a half long. */
static void random_range(struct walker *w, unsigned long *off, unsigned long *len)
{
	*off = rnd(w, WALK_LEN / PAGE_SIZE) * PAGE_SIZE;
	*len = (1 + rnd(w, 3 * HPAGE_PMD_NR / 2)) * PAGE_SIZE;
	if (*off + *len > WALK_LEN)
		*len = WALK_LEN - *off;
}

static void walk_step(struct walker *w, int t)
{
	struct task_struct *tsk = w->tsk[t];
	unsigned long off, len;

	random_range(w, &off, &len);
	switch (rnd(w, 6)) {
	case 0:	/* mprotect read-only and back: splits, then merges */
		assert_int_equal(sys_mprotect(tsk, w->base + off, len, PROT_READ), 0);
		assert_int_equal(sys_mprotect(tsk, w->base + off, len, PROT_READ | PROT_WRITE), 0);
		break;
	case 1:	/* a fresh mapping over part of it */
		assert_true(sys_mmap(tsk, w->base + off, len, PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED) == (long)(w->base + off));
		memset(w->shadow[t] + off, 0, len);
		break;
	case 2:
		assert_int_equal(sys_madvise(tsk, w->base + off, len, MADV_DONTNEED), 0);
		memset(w->shadow[t] + off, 0, len);
		break;
	default:	/* writes, some whole PMDs */
		for (unsigned long i = 0; i < 64; i++) {
			unsigned long a = off + rnd(w, len);
			unsigned char v = (unsigned char)rnd(w, 256);

			store(w->m, tsk, w->base + a, v);
			w->shadow[t][a] = v;
		}
	}
}

static void walk_verify(struct walker *w, int t)
{
	for (unsigned long off = 0; off < WALK_LEN; off += 97)
		assert_int_equal(load(w->m, w->tsk[t], w->base + off), w->shadow[t][off]);
}

static void test_random_walk(void **state)
{
	struct walker w = { .rng = 42 };
	int err = 0;

	(void)state;
	w.m = test_boot(ARCH_X86_64, 96ULL << 20, 1, 1);
	assert_int_equal(write_text(w.m, THP_DIR "enabled", "always"), 0);
	w.tsk[0] = spawn(w.m, "a");
	w.base = (unsigned long)sys_mmap(w.tsk[0], 0, WALK_LEN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
	w.shadow[0] = calloc(1, WALK_LEN);
	w.shadow[1] = malloc(WALK_LEN);
	for (int step = 0; step < 120; step++) {
		if (step == 40) {	/* fork: the child starts with the parent's bytes */
			w.tsk[1] = kernel_clone(w.m, w.tsk[0], "b", &err);
			assert_non_null(w.tsk[1]);
			memcpy(w.shadow[1], w.shadow[0], WALK_LEN);
		}
		walk_step(&w, step > 40 ? (int)rnd(&w, 2) : 0);
		if (step % 10 == 9) {
			assert_machine_ok(w.m);
			walk_verify(&w, 0);
			if (w.tsk[1])
				walk_verify(&w, 1);
		}
	}
	assert_true(w.m->vm_events[THP_FAULT_ALLOC] > 0 && w.m->vm_events[THP_SPLIT_PMD] > 0);
	free(w.shadow[0]);
	free(w.shadow[1]);
	machine_destroy(w.m);
}

/* mremap of a whole aligned PMD moves the entry: same folio, no split. */
static void test_mremap_pmd(void **state)
{
	struct machine *m = test_boot(ARCH_X86_64, 64ULL << 20, 1, 1);
	struct task_struct *tsk = spawn(m, "a");
	unsigned long a, b;
	struct page *folio;

	(void)state;
	assert_int_equal(write_text(m, THP_DIR "enabled", "always"), 0);
	a = (unsigned long)sys_mmap(tsk, 0, HPAGE_PMD_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
	b = (unsigned long)sys_mmap(tsk, 0, 2 * HPAGE_PMD_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS);
	assert_int_equal(sys_munmap(tsk, b, 2 * HPAGE_PMD_SIZE), 0);
	store(m, tsk, a + 12345, 0x99);
	folio = pmd_folio(m, tsk->mm, a);
	assert_true(sys_mremap(tsk, a, HPAGE_PMD_SIZE, HPAGE_PMD_SIZE, MREMAP_MAYMOVE | MREMAP_FIXED, b) == (long)b);
	assert_true(pmd_folio(m, tsk->mm, b) == folio);
	assert_int_equal(m->vm_events[THP_SPLIT_PMD], 0);
	assert_int_equal(load(m, tsk, b + 12345), 0x99);
	assert_machine_ok(m);
	/* to an address not PMD-aligned: split, the PTEs move */
	assert_true(sys_mremap(tsk, b, HPAGE_PMD_SIZE, HPAGE_PMD_SIZE, MREMAP_MAYMOVE | MREMAP_FIXED, a + PAGE_SIZE) ==
		    (long)(a + PAGE_SIZE));
	assert_int_equal(m->vm_events[THP_SPLIT_PMD], 1);
	assert_int_equal(load(m, tsk, a + PAGE_SIZE + 12345), 0x99);
	assert_machine_ok(m);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sysfs),
		cmocka_unit_test(test_fault_policy),
		cmocka_unit_test(test_fault_folio),
		cmocka_unit_test(test_split_pmd),
		cmocka_unit_test(test_split_folio),
		cmocka_unit_test(test_referenced_locked),
		cmocka_unit_test(test_mremap_pmd),
		cmocka_unit_test(test_random_walk),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
