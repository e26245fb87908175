/* What the machine's unit tests share: a machine booted for one test, and the invariant check that
 * ends each test. Include after <cmocka.h>. */
#ifndef TESTS_MACHINE_FIXTURE_H
#define TESTS_MACHINE_FIXTURE_H

#include <stdint.h>

#include <mmlab/machine.h>
#include <mmlab/sched.h>
#include <mmlab/seq_file.h>

/* test_boot: a machine of the given shape, without a console; the scenario site is "test.mm:1". */
static inline struct machine *test_boot(enum mm_arch arch, uint64_t ram, int nodes, int cpus)
{
	struct machine_config cfg;
	char err[256];

	machine_config_default(&cfg);
	cfg.arch = arch;
	cfg.ram = ram;
	cfg.nodes = nodes;
	cfg.cpus = cpus;
	struct machine *m = machine_boot(&cfg, NULL, err, sizeof(err));
	if (!m)
		print_message("machine_boot: %s\n", err);
	assert_non_null(m);
	m->current_site = "test.mm:1";
	return m;
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

#endif
