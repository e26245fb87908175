/*
 * make bench: the machine's fast paths timed against a real baseline measured in the same run.
 * Prints one line per figure, "NAME VALUE UNIT". Each figure is the best of several rounds, so a
 * passing hiccup on the host does not count against the code.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mmlab/gfp.h>
#include <mmlab/machine.h>

#include "bench.h"

#define ROUNDS 7

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

double bench_best_ns_per_op(void (*round)(void *arg, long iters), void *arg, long iters)
{
	double best = 0;

	round(arg, iters / 10);	/* warm up caches and lists */
	for (int r = 0; r < ROUNDS; r++) {
		double t0 = now_ns();
		round(arg, iters);
		double ns = (now_ns() - t0) / (double)iters;
		if (r == 0 || ns < best)
			best = ns;
	}
	return best;
}

void bench_report(const char *name, double value, const char *unit)
{
	printf("%s %.1f %s\n", name, value, unit);
	fflush(stdout);
}

struct machine *bench_machine(void)
{
	struct machine_config cfg;
	char err[256];

	machine_config_default(&cfg);
	cfg.ram = 1ULL << 30;
	struct machine *m = machine_boot(&cfg, NULL, err, sizeof(err));
	if (!m) {
		fprintf(stderr, "bench: cannot boot: %s\n", err);
		exit(1);
	}
	return m;
}

struct pages_arg {
	struct machine *m;
	unsigned int order;
};

/* alloc_pages + __free_pages in a loop: the per-CPU list fast path for orders 0..3. */
static void pages_round(void *arg, long iters)
{
	struct pages_arg *a = arg;

	for (long i = 0; i < iters; i++) {
		struct page *page = alloc_pages(a->m, GFP_KERNEL, a->order);
		bench_keep(page);
		__free_pages(a->m, page, a->order);
	}
}

static void host_malloc_round(void *arg, long iters)
{
	size_t size = *(size_t *)arg;

	for (long i = 0; i < iters; i++) {
		void *p = malloc(size);
		bench_keep(p);
		free(p);
	}
}

static void bench_page_alloc(void)
{
	struct machine *m = bench_machine();
	struct pages_arg a0 = { m, 0 }, a3 = { m, 3 };
	size_t size = 4096;

	bench_report("alloc_pages_order0_pair", bench_best_ns_per_op(pages_round, &a0, 5000000), "ns");
	bench_report("alloc_pages_order3_pair", bench_best_ns_per_op(pages_round, &a3, 5000000), "ns");
	bench_report("host_malloc_4096_pair", bench_best_ns_per_op(host_malloc_round, &size, 5000000), "ns");
	machine_destroy(m);
}

int main(void)
{
	bench_page_alloc();
	bench_slab();
	bench_zram();
	bench_faults();
	bench_reclaim();
	return 0;
}
