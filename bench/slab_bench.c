/* The slab allocator's fast paths against the host's malloc, in the same run: a kmem_cache_alloc +
 * kmem_cache_free pair of 64-byte objects, the same through kmalloc, and glibc's malloc(64) + free. */
#include <stdlib.h>

#include <mmlab/machine.h>
#include <mmlab/slab.h>

#include "bench.h"

struct slab_arg {
	struct machine *m;
	struct kmem_cache *s;
};

static void kmem_cache_round(void *arg, long iters)
{
	struct slab_arg *a = arg;

	for (long i = 0; i < iters; i++) {
		unsigned long o = kmem_cache_alloc(a->m, a->s, GFP_KERNEL);
		bench_keep((void *)o);
		kmem_cache_free(a->m, a->s, o);
	}
}

static void kmalloc_round(void *arg, long iters)
{
	struct slab_arg *a = arg;

	for (long i = 0; i < iters; i++) {
		unsigned long o = kmalloc(a->m, 64, GFP_KERNEL);
		bench_keep((void *)o);
		kfree(a->m, o);
	}
}

static void host_malloc_64_round(void *arg, long iters)
{
	(void)arg;
	for (long i = 0; i < iters; i++) {
		void *p = malloc(64);
		bench_keep(p);
		free(p);
	}
}

void bench_slab(void)
{
	struct machine *m = bench_machine();
	struct slab_arg a = { m, kmem_cache_create(m, "bench-64", 64, 0, 0) };

	bench_report("kmem_cache_64_pair", bench_best_ns_per_op(kmem_cache_round, &a, 10000000), "ns");
	bench_report("kmalloc_64_pair", bench_best_ns_per_op(kmalloc_round, &a, 10000000), "ns");
	bench_report("host_malloc_64_pair", bench_best_ns_per_op(host_malloc_64_round, NULL, 10000000), "ns");
	machine_destroy(m);
}
