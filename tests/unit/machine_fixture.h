/* What the machine's unit tests share: a machine booted for one test, and the invariant check that
 * ends each test. Include after <cmocka.h>. */
#ifndef TESTS_MACHINE_FIXTURE_H
#define TESTS_MACHINE_FIXTURE_H

#include <stdint.h>
#include <string.h>

#include <mmlab/machine.h>
#include <mmlab/mm.h>
#include <mmlab/mman.h>
#include <mmlab/sched.h>
#include <mmlab/syscalls.h>
#include <mmlab/seq_file.h>

/* test_boot_config: a machine of cfg, without a console; the scenario site is "test.mm:1". */
static inline struct machine *test_boot_config(const struct machine_config *cfg)
{
	char err[256];
	struct machine *m = machine_boot(cfg, NULL, err, sizeof(err));

	if (!m)
		print_message("machine_boot: %s\n", err);
	assert_non_null(m);
	m->current_site = "test.mm:1";
	return m;
}

/* test_boot: a machine of the given shape (test_boot_config). */
static inline struct machine *test_boot(enum mm_arch arch, uint64_t ram, int nodes, int cpus)
{
	struct machine_config cfg;

	machine_config_default(&cfg);
	cfg.arch = arch;
	cfg.ram = ram;
	cfg.nodes = nodes;
	cfg.cpus = cpus;
	return test_boot_config(&cfg);
}

/* test_spawn: a process with the default program, called comm. */
static inline struct task_struct *test_spawn(struct machine *m, const char *comm)
{
	char msg[320] = "";
	int err = 0;
	struct task_struct *tsk = spawn_task(m, comm, NULL, &err, msg, sizeof(msg));

	if (!tsk)
		print_message("spawn_task: %d %s\n", err, msg);
	assert_non_null(tsk);
	return tsk;
}

/* test_mmap_small_pages: len bytes of private anonymous memory in tsk, not yet touched, that faults
 * small pages only (MADV_NOHUGEPAGE). */
static inline unsigned long test_mmap_small_pages(struct task_struct *tsk, unsigned long len)
{
	long addr = sys_mmap(tsk, 0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);

	assert_true(addr > 0);
	assert_int_equal(sys_madvise(tsk, (unsigned long)addr, len, MADV_NOHUGEPAGE), 0);
	return (unsigned long)addr;
}

/* test_fill_pages: page i of the nr from addr in tsk written full of 0x40 + i (test_page_filled). */
static inline void test_fill_pages(struct machine *m, struct task_struct *tsk, unsigned long addr, unsigned long nr)
{
	for (unsigned long i = 0; i < nr; i++) {
		int sig = 0;

		memset(user_access_page(m, tsk, addr + i * PAGE_SIZE, true, &sig), (int)(0x40 + i), PAGE_SIZE);
		assert_int_equal(sig, 0);
	}
}

/* test_page_filled: the bytes of page, page i of test_fill_pages, are still 0x40 + i. */
static inline void test_page_filled(struct machine *m, struct page *page, unsigned long i)
{
	const unsigned char *bytes = kmap_local_page(m, page);

	for (unsigned long b = 0; b < PAGE_SIZE; b++)
		assert_int_equal(bytes[b], 0x40 + i);
}

/* test_page_at: the page mapped at addr in tsk, or NULL. */
static inline struct page *test_page_at(struct machine *m, struct task_struct *tsk, unsigned long addr)
{
	struct pt_entry pte;

	if (!follow_pte(tsk->mm, addr, &pte))
		return NULL;
	return pfn_to_page(m, pte_pfn(tsk->mm->pm, ptep_get(pte)));
}

/* assert_machine_ok: machine_check finds nothing wrong; otherwise its report is printed. */
static inline void assert_machine_ok(struct machine *m)
{
	struct seq_file report;

	seq_init(&report);
	int errors = machine_check(m, &report);
	if (errors)
		print_message("%s", report.buf);
	seq_release(&report);
	assert_int_equal(errors, 0);
}

/* test_map_anon: tsk maps pages pages of private anonymous memory and writes each: every byte of
 * page i is bytes[i], or, bytes NULL, its first byte 0; the start address. */
static inline unsigned long test_map_anon(struct machine *m, struct task_struct *tsk, unsigned long pages,
					  const unsigned char *bytes)
{
	long addr = sys_mmap(tsk, 0, pages * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
	int sig = 0;

	assert_true(addr > 0);
	for (unsigned long i = 0; i < pages; i++) {
		unsigned char *p = user_access_page(m, tsk, (unsigned long)addr + i * PAGE_SIZE, true, &sig);

		assert_non_null(p);
		memset(p, bytes ? bytes[i] : 0, bytes ? PAGE_SIZE : 1);
	}
	return (unsigned long)addr;
}

#endif
