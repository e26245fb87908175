/* Page reclaim under a streaming workload: a 64 MiB machine with a 320 MiB swap file, one process
 * writing fill=seq bytes over a 256 MiB private mapping page after page, round and round, as
 * `write buf 256M fill=seq` does; every page it touches past the first 64 MiB needs one reclaimed,
 * and from the second pass on each write first swaps its page back in. The clock ticks every
 * 256 pages, so kswapd reclaims as well as the faulting process. reclaim_pages_per_s: pages
 * reclaimed (pgsteal_kswapd + pgsteal_direct) per second of host time. */
#include <stdio.h>
#include <stdlib.h>

#include <mmlab/machine.h>
#include <mmlab/mm.h>
#include <mmlab/mman.h>
#include <mmlab/sched.h>
#include <mmlab/swap.h>
#include <mmlab/syscalls.h>

#include "bench.h"

#define STREAM_BYTES	(256UL << 20)
#define TICK_PAGES	256
#define TICK_NS		1000000ULL

struct reclaim_bench {
	struct machine *m;
	struct task_struct *tsk;
	unsigned long addr;
	unsigned long next;		/* the page the stream writes next */
};

static unsigned long pgsteal(const struct machine *m)
{
	return m->vm_events[PGSTEAL_KSWAPD] + m->vm_events[PGSTEAL_DIRECT];
}

/* One iteration is one page reclaimed: the stream goes on until iters more have been. */
static void stream_round(void *arg, long iters)
{
	struct reclaim_bench *b = arg;
	unsigned long target = pgsteal(b->m) + (unsigned long)iters;
	int sig;

	while (pgsteal(b->m) < target) {
		unsigned long addr = b->addr + b->next * PAGE_SIZE;
		unsigned char *p = user_access_page(b->m, b->tsk, addr, true, &sig);

		if (!p) {
			fprintf(stderr, "bench: the streaming process died of signal %d\n", sig);
			exit(1);
		}
		for (unsigned long i = 0; i < PAGE_SIZE; i++)
			p[i] = seq_byte(addr + i);
		b->next = (b->next + 1) % (STREAM_BYTES / PAGE_SIZE);
		if (!(b->next % TICK_PAGES))
			machine_tick(b->m, TICK_NS);
	}
}

void bench_reclaim(void)
{
	struct machine_config cfg;
	struct reclaim_bench b = { 0 };
	struct swap_header_info info;
	char err[256], msg[256];
	long addr;
	int e;

	machine_config_default(&cfg);
	cfg.ram = 64UL << 20;
	if (!(b.m = machine_boot(&cfg, NULL, err, sizeof(err))) || mkswap(b.m, "/swapfile", 320UL << 20, &info) ||
	    sys_swapon(b.m, "/swapfile", 0) || !(b.tsk = spawn_task(b.m, "stream", NULL, &e, msg, sizeof(msg))) ||
	    (addr = sys_mmap(b.tsk, 0, STREAM_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS)) < 0) {
		fprintf(stderr, "bench: cannot set up the streaming machine\n");
		exit(1);
	}
	b.addr = (unsigned long)addr;
	bench_report("reclaim_pages_per_s", 1e9 / bench_best_ns_per_op(stream_round, &b, 65536), "pages/s");
	machine_destroy(b.m);
}
