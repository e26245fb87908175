/* The first-touch fault path and the TLB hit path. first_touch_fault_machine maps 1 GiB of private
 * anonymous memory in a simulated process, writes one byte per 4 KiB page (each a page fault: a
 * walk, table allocations, a zeroed page, a PTE) and unmaps it; first_touch_fault_host does the same
 * with the host kernel's mmap in the same run. Both in ns per page. tlb_hit_loads is simulated
 * loads per second into a resident mapping, every one a TLB hit. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include <mmlab/machine.h>
#include <mmlab/mm.h>
#include <mmlab/syscalls.h>

#include "bench.h"

#define TOUCH_BYTES	(1UL << 30)
#define HOT_PAGES	16	/* a working set the 64-entry TLB holds */

struct fault_bench {
	struct machine *m;
	struct task_struct *tsk;
};

static void die(const char *what)
{
	fprintf(stderr, "bench: %s\n", what);
	exit(1);
}

/* One byte per page of iters pages, through the simulated MMU and fault handler. */
static void machine_touch_round(void *arg, long iters)
{
	struct fault_bench *b = arg;
	unsigned long len = (unsigned long)iters * PAGE_SIZE;
	long addr = sys_mmap(b->tsk, 0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
	int sig;

	if (addr < 0)
		die("mmap failed in the machine");
	for (unsigned long off = 0; off < len; off += PAGE_SIZE) {
		unsigned char *p = user_access_page(b->m, b->tsk, (unsigned long)addr + off, true, &sig);

		if (!p)
			die("a first touch killed the process");
		*p = 1;
	}
	sys_munmap(b->tsk, (unsigned long)addr, len);
}

static void host_touch_round(void *arg, long iters)
{
	size_t len = (size_t)iters * 4096;
	unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	(void)arg;
	if (p == MAP_FAILED)
		die("host mmap failed");
	for (size_t off = 0; off < len; off += 4096)
		p[off] = 1;
	bench_keep(p);
	munmap(p, len);
}

struct hot_bench {
	struct fault_bench *b;
	unsigned long addr;
};

static void tlb_hit_round(void *arg, long iters)
{
	struct hot_bench *h = arg;
	unsigned long sum = 0;
	int sig;

	for (long i = 0; i < iters; i++) {
		unsigned long addr = h->addr + ((unsigned long)i % HOT_PAGES) * PAGE_SIZE + ((unsigned long)i & 0xff8);

		sum += *user_access_page(h->b->m, h->b->tsk, addr, false, &sig);
	}
	bench_keep(&sum);
}

void bench_faults(void)
{
	struct machine_config cfg;
	struct fault_bench b;
	struct hot_bench h = { &b, 0 };
	char err[256], msg[256];
	int e;

	machine_config_default(&cfg);
	cfg.ram = 2ULL << 30;
	b.m = machine_boot(&cfg, NULL, err, sizeof(err));
	if (!b.m || !(b.tsk = spawn_task(b.m, "bench", NULL, &e, msg, sizeof(msg))))
		die("cannot boot a machine with a process");
	bench_report("first_touch_fault_machine", bench_best_ns_per_op(machine_touch_round, &b, TOUCH_BYTES / PAGE_SIZE),
		     "ns");
	bench_report("first_touch_fault_host", bench_best_ns_per_op(host_touch_round, NULL, TOUCH_BYTES / 4096), "ns");
	h.addr = (unsigned long)sys_mmap(b.tsk, 0, HOT_PAGES * PAGE_SIZE, PROT_READ | PROT_WRITE,
					 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE);
	bench_report("tlb_hit_loads", 1e3 / bench_best_ns_per_op(tlb_hit_round, &h, 20000000), "M/s");
	machine_destroy(b.m);
}
