/* libmmpool's alloc+free pair against a glibc malloc+free pair of the same size, in one run
 * (run without LD_PRELOAD: the baseline is the C library's malloc). Prints ns per pair. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "mmpool.h"

#define PAIRS 50000000
#define SIZE  64

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Keeps the compiler from dropping the pairs. */
static void *volatile sink;

int main(void)
{
	mmpool_t *pool = mmpool_create("bench", SIZE, 0, 0);
	double best_pool = 1e9, best_libc = 1e9;
	for (int rep = 0; rep < 3; rep++) {
		double t = now();
		for (int i = 0; i < PAIRS; i++) {
			void *o = mmpool_alloc(pool);
			sink = o;
			mmpool_free(pool, o);
		}
		double p = (now() - t) * 1e9 / PAIRS;
		t = now();
		for (int i = 0; i < PAIRS; i++) {
			void *o = malloc(SIZE);
			sink = o;
			free(o);
		}
		double l = (now() - t) * 1e9 / PAIRS;
		best_pool = p < best_pool ? p : best_pool;
		best_libc = l < best_libc ? l : best_libc;
	}
	printf("mmpool %.2f glibc %.2f\n", best_pool, best_libc);
	mmpool_destroy(pool);
	return 0;
}
