/* Unit tests of the x86 page tables and the TLB: the entry bit layout, walks that allocate tables
 * in each paging mode (counted in NR_PAGETABLE), entries in the table pages' real bytes, freeing
 * tables, and the TLB's lookups, replacement and flushes. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <mmlab/gfp.h>
#include <mmlab/highmem.h>
#include <mmlab/mm.h>
#include <mmlab/vmstat.h>

#include "arch/x86/x86.h"

#include "machine_fixture.h"

/* The bits are the hardware's (Intel SDM vol. 3, 4.5). */
static void test_pte_bits(void **state)
{
	struct machine *m = test_boot(ARCH_X86_64, 64ULL << 20, 1, 1);
	const struct paging_mode *pm = paging_mode_of(m);
	pteval_t v = pfn_pte(0x12345, _PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_NX);
	char buf[64];

	(void)state;
	assert_int_equal(_PAGE_PRESENT, 0x1);
	assert_int_equal(_PAGE_RW, 0x2);
	assert_int_equal(_PAGE_USER, 0x4);
	assert_int_equal(_PAGE_PWT, 0x8);
	assert_int_equal(_PAGE_PCD, 0x10);
	assert_int_equal(_PAGE_ACCESSED, 0x20);
	assert_int_equal(_PAGE_DIRTY, 0x40);
	assert_int_equal(_PAGE_PSE, 0x80);
	assert_int_equal(_PAGE_GLOBAL, 0x100);
	assert_true(_PAGE_NX == 1ULL << 63);
	assert_true(v == 0x8000000012345007ULL);
	assert_int_equal(pte_pfn(pm, v), 0x12345);
	assert_true(pte_present(v) && pte_write(v));
	pte_flags_decode(pm, v | _PAGE_ACCESSED | _PAGE_DIRTY, buf, sizeof(buf));
	assert_string_equal(buf, "P RW U A D NX");
	pte_flags_decode(pm, 0, buf, sizeof(buf));
	assert_string_equal(buf, "-");
	/* PROT_NONE: mapped for the kernel, not present for the MMU */
	v = pte_modify(pm, v | _PAGE_DIRTY, 0);
	assert_true(pte_present(v) && !(v & _PAGE_PRESENT) && (v & _PAGE_DIRTY));
	assert_int_equal(pte_pfn(pm, v), 0x12345);
	machine_destroy(m);
}

/* Walk to addr with allocation in a fresh mm of the given mode: tables per level, the indexes, and
 * the leaf's bytes at the right offset of the last table page. */
static void walk_mode(enum mm_arch arch, bool la57, bool pae, int levels, unsigned long addr,
		      const unsigned int *index)
{
	struct machine_config cfg;
	char err[256];
	struct machine *m;
	struct mm_struct *mm;
	struct pt_entry pte, first;
	struct pt_walk w;

	machine_config_default(&cfg);
	cfg.arch = arch;
	cfg.ram = 64ULL << 20;
	cfg.la57 = la57;
	cfg.pae = pae;
	m = machine_boot(&cfg, NULL, err, sizeof(err));
	assert_non_null(m);
	assert_non_null(task_state(m));
	mm = mm_alloc(m);
	assert_non_null(mm);
	assert_int_equal(mm->pm->levels, levels);
	assert_int_equal(global_node_page_state(m, NR_PAGETABLE), 1);
	assert_int_equal(walk_to_pte(mm, addr, false, &pte), -EFAULT);
	assert_int_equal(walk_to_pte(mm, addr, true, &pte), 0);
	assert_int_equal(global_node_page_state(m, NR_PAGETABLE), levels);
	/* VmPTE (mm_pgtables_bytes): the PTE, PMD and PUD tables, neither the pgd nor la57's P4D */
	assert_int_equal(mm->pgtables_bytes, (levels == 5 ? 3 : levels - 1) * PAGE_SIZE);
	set_pte(pte, pfn_pte(0x1234, _PAGE_PRESENT | _PAGE_USER));
	pt_walk(mm, addr | 0x123, &w);
	assert_int_equal(w.levels, levels);
	for (int l = 0; l < levels; l++)
		assert_int_equal(w.index[l], index[l]);
	assert_true(w.mapped);
	assert_true(w.phys == (0x1234ULL << PAGE_SHIFT | 0x123));
	/* the entry is in the table page's bytes, at index * entry size */
	assert_true(pte.p == (unsigned char *)kmap_local_page(m, pfn_to_page(m, w.table_phys[levels - 1] >> PAGE_SHIFT)) +
				    index[levels - 1] * mm->pm->entry_size);
	/* a second address in the same last-level table needs no new table */
	first = pte;
	assert_int_equal(walk_to_pte(mm, addr + PAGE_SIZE, true, &pte), 0);
	assert_int_equal(global_node_page_state(m, NR_PAGETABLE), levels);
	assert_ptr_equal(pte.p, first.p + mm->pm->entry_size);
	set_pte(first, 0);
	free_pgd_range(mm, addr, addr + PAGE_SIZE, 0, 0);
	assert_int_equal(global_node_page_state(m, NR_PAGETABLE), 1);
	assert_int_equal(mm->pgtables_bytes, 0);
	mmput(mm);
	assert_int_equal(global_node_page_state(m, NR_PAGETABLE), 0);
	assert_machine_ok(m);
	machine_destroy(m);
}

static void test_walk_x86_64(void **state)
{
	static const unsigned int idx4[] = { 255, 511, 511, 510 }, idx5[] = { 0, 255, 511, 511, 510 };

	(void)state;
	walk_mode(ARCH_X86_64, false, false, 4, 0x7fffffffe000UL, idx4);
	walk_mode(ARCH_X86_64, true, false, 5, 0x7fffffffe000UL, idx5);
}

static void test_walk_i386(void **state)
{
	static const unsigned int idx2[] = { 0x2ff, 0x3fe }, idx3[] = { 2, 511, 510 };

	(void)state;
	walk_mode(ARCH_I386, false, false, 2, 0xbfffe000UL, idx2);
	walk_mode(ARCH_I386, false, true, 3, 0xbfffe000UL, idx3);
}

/* 4-byte entries on i386 without PAE: two neighbours do not overlap. */
static void test_i386_entry_width(void **state)
{
	struct machine *m = test_boot(ARCH_I386, 64ULL << 20, 1, 1);
	struct mm_struct *mm;
	struct pt_entry a, b;

	(void)state;
	assert_non_null(task_state(m));
	mm = mm_alloc(m);
	assert_int_equal(walk_to_pte(mm, 0x08048000UL, true, &a), 0);
	assert_int_equal(walk_to_pte(mm, 0x08049000UL, true, &b), 0);
	assert_int_equal(a.size, 4);
	assert_ptr_equal(b.p, a.p + 4);
	set_pte(a, 0xfffff067);
	set_pte(b, 0x00001005);
	assert_int_equal(ptep_get(a), 0xfffff067);
	assert_int_equal(ptep_get(b), 0x00001005);
	set_pte(a, 0);
	set_pte(b, 0);
	free_pgd_range(mm, 0x08048000UL, 0x0804a000UL, 0, 0);
	mmput(mm);
	assert_machine_ok(m);
	machine_destroy(m);
}

/* The TLB: a miss, a fill, a hit; a full set evicts round-robin; flushes by range and on switch. */
static void test_tlb(void **state)
{
	static struct tlb tlb;
	const struct mm_struct *a = (const struct mm_struct *)&tlb, *b = a + 1;
	unsigned long addr = 0x400000UL, stride = TLB_4K_SETS * PAGE_SIZE;

	(void)state;
	memset(&tlb, 0, sizeof(tlb));
	switch_mm(&tlb, a);
	assert_null(tlb_lookup(&tlb, addr));
	assert_int_equal(tlb.misses, 1);
	tlb_fill(&tlb, addr, 0x42, _PAGE_RW | _PAGE_USER, PAGE_SIZE);
	assert_non_null(tlb_lookup(&tlb, addr + 0x10));
	assert_int_equal(tlb_lookup(&tlb, addr)->pfn, 0x42);
	assert_int_equal(tlb.hits, 2);
	/* TLB_4K_WAYS more pages of the same set push the first one out */
	for (int w = 1; w <= TLB_4K_WAYS; w++)
		tlb_fill(&tlb, addr + (unsigned long)w * stride, 0x100 + (unsigned long)w, _PAGE_USER, PAGE_SIZE);
	assert_null(tlb_lookup(&tlb, addr));
	assert_non_null(tlb_lookup(&tlb, addr + stride));
	flush_tlb_one_user(&tlb, addr + stride);
	assert_null(tlb_lookup(&tlb, addr + stride));
	assert_non_null(tlb_lookup(&tlb, addr + 2 * stride));
	/* the same mm again keeps the entries; another one flushes them */
	switch_mm(&tlb, a);
	assert_non_null(tlb_lookup(&tlb, addr + 2 * stride));
	switch_mm(&tlb, b);
	assert_null(tlb_lookup(&tlb, addr + 2 * stride));
	tlb_fill(&tlb, 0x200000UL, 0x7, _PAGE_USER, TLB_2M_SIZE);
	assert_non_null(tlb_lookup(&tlb, 0x3ff000UL));
	assert_int_equal(tlb_lookup(&tlb, 0x3ff000UL)->mask, TLB_2M_SIZE - 1);
	/* a 1G entry covers its whole gigabyte; four of them, the oldest pushed out by a fifth */
	tlb_fill(&tlb, 0x40000000UL, 0x40000, _PAGE_USER | _PAGE_PSE, TLB_1G_SIZE);
	assert_int_equal(tlb_lookup(&tlb, 0x7ffff123UL)->pfn, 0x40000);
	assert_int_equal(tlb_lookup(&tlb, 0x7ffff123UL)->mask, TLB_1G_SIZE - 1);
	assert_null(tlb_lookup(&tlb, 0x80000000UL));
	for (unsigned long g = 2; g < 2 + TLB_1G_ENTRIES; g++)
		tlb_fill(&tlb, g << 30, g << 18, _PAGE_USER | _PAGE_PSE, TLB_1G_SIZE);
	assert_null(tlb_lookup(&tlb, 0x40000000UL));
	assert_non_null(tlb_lookup(&tlb, 5UL << 30));
	flush_tlb_one_user(&tlb, (5UL << 30) + 0x1234000UL);
	assert_null(tlb_lookup(&tlb, 5UL << 30));
	assert_non_null(tlb_lookup(&tlb, 4UL << 30));
}

/* Every pgd's kernel half is swapper_pg_dir's (and machine_check notices one that is not); the
 * direct map's tables are as many as the counting pass said, reserved pages rather than PG_table
 * ones; a user access to the kernel half dies with the hardware's error code in the log. */
static void kernel_half(enum mm_arch arch, bool pae, uint64_t ram, unsigned long tables)
{
	struct machine_config cfg;
	struct machine *m;
	struct task_struct *a, *b;
	unsigned char *swapper, *half;
	size_t len;
	struct pt_walk w;
	int sig;
	struct seq_file report;
	char want[96];

	machine_config_default(&cfg);
	cfg.arch = arch;
	cfg.ram = ram;
	cfg.pae = pae;
	m = test_boot_config(&cfg);
	assert_int_equal(init_mem_mapping_pages(m), tables);
	a = test_spawn(m, "a");
	b = test_spawn(m, "b");
	swapper = pgd_kernel_half(m, m->swapper_pg_dir, &len);
	assert_int_equal(len, (size_t)(pt_entries(a->mm->pm, 0) - kernel_pgd_boundary(m)) * a->mm->pm->entry_size);
	assert_memory_equal(pgd_kernel_half(m, a->mm->pgd, &len), swapper, len);
	half = pgd_kernel_half(m, b->mm->pgd, &len);
	assert_memory_equal(half, swapper, len);
	half[len - 1] ^= 0x10;
	seq_init(&report);
	assert_int_equal(machine_check(m, &report), 1);
	snprintf(want, sizeof(want), "b[%d]: the kernel half of its pgd differs from swapper_pg_dir", b->pid);
	assert_non_null(strstr(report.buf, want));
	seq_release(&report);
	half[len - 1] ^= 0x10;
	pt_walk(a->mm, m->arch->page_offset + 0x123456, &w);
	assert_true(w.mapped);
	assert_int_equal(w.phys, 0x123456);
	/* the tables are reserved pages; entries pointing at them carry User (but PAE's top ones,
	 * which have no such bit), the leaf does not */
	for (int level = 1; level < w.levels; level++) {
		struct page *table = pfn_to_page(m, (unsigned long)(w.table_phys[level] >> PAGE_SHIFT));

		assert_true(PageReserved(table) && !PageTable(table));
		assert_int_equal(w.entry[level - 1] & ~a->mm->pm->pfn_mask,
				 pae && level == 1 ? _PAGE_PRESENT : _PAGE_TABLE);
	}
	assert_false(w.entry[w.levels - 1] & _PAGE_USER);
	snprintf(want, sizeof(want), "a[%d]: segfault at ", a->pid);
	assert_null(user_access_page(m, a, m->arch->page_offset + 0x1000, false, &sig));
	assert_int_equal(sig, SIGSEGV);
	assert_non_null(strstr(m->log.buf, want));
	assert_non_null(strstr(m->log.buf, " error 5 likely on CPU "));
	assert_null(user_access_page(m, b, m->arch->page_offset + 0x1000, true, &sig));
	assert_non_null(strstr(m->log.buf, " error 7 likely on CPU "));
	assert_machine_ok(m);
	machine_destroy(m);
}

static void test_kernel_half(void **state)
{
	(void)state;
	kernel_half(ARCH_X86_64, false, 64ULL << 20, 3);	/* a PUD, a PMD and a PTE table */
	kernel_half(ARCH_I386, false, 1ULL << 30, 2);		/* the first 4M's PTE table, pkmap's */
	kernel_half(ARCH_I386, true, 1ULL << 30, 3);		/* and with PAE the kernel's PMD */
}

/* kmap of a lowmem page is its direct-map address; HighMem pages get pkmap slots, kept while
 * mapped, reused after kunmap once the slots wrap around; with every slot in use kmap fails. */
static void test_kmap(void **state)
{
	struct machine *m = test_boot(ARCH_I386, 1ULL << 30, 1, 1);
	struct page *low = alloc_pages(m, GFP_KERNEL, 0);
	struct page *high[LAST_PKMAP_MAX + 1];
	unsigned long first;

	(void)state;
	assert_int_equal(kmap(m, low), page_address(m, low));
	for (int i = 0; i <= LAST_PKMAP_MAX; i++) {
		high[i] = alloc_pages(m, GFP_HIGHUSER, 0);
		assert_true(PageHighMem(high[i]));
	}
	first = kmap(m, high[0]);
	assert_int_equal(first, PKMAP_BASE + PAGE_SIZE);
	assert_int_equal(kmap(m, high[0]), first);
	assert_int_equal(kunmap(m, high[0]), 0);
	assert_int_equal(kunmap(m, high[0]), 0);
	assert_int_equal(kunmap(m, high[0]), -EINVAL);
	/* slots 2..1023, then slot 0 after the wrap; slot 1 was freed by the wrap's flush */
	for (int i = 1; i < LAST_PKMAP_MAX; i++)
		assert_int_not_equal(kmap(m, high[i]), 0);
	assert_int_equal(kmap(m, high[LAST_PKMAP_MAX]), first);
	assert_int_equal(kmap(m, high[0]), 0);
	for (int i = 1; i <= LAST_PKMAP_MAX; i++)
		assert_int_equal(kunmap(m, high[i]), 0);
	assert_int_not_equal(kmap(m, high[0]), 0);
	assert_int_equal(kunmap(m, high[0]), 0);
	for (int i = 0; i <= LAST_PKMAP_MAX; i++)
		__free_pages(m, high[i], 0);
	__free_pages(m, low, 0);
	assert_machine_ok(m);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pte_bits),
		cmocka_unit_test(test_walk_x86_64),
		cmocka_unit_test(test_walk_i386),
		cmocka_unit_test(test_i386_entry_width),
		cmocka_unit_test(test_tlb),
		cmocka_unit_test(test_kernel_half),
		cmocka_unit_test(test_kmap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
