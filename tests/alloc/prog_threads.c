/* A threaded program for the preload comparison: workers build and sort lists of strings,
 * hand them to each other (frees across threads), and print a checksum that must not depend on
 * the allocator. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WORKERS 4
#define ITEMS   20000

static char **lists[WORKERS];
static pthread_barrier_t barrier;

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void *worker(void *arg)
{
	long id = (long)arg;
	uint64_t s = 88172645463325252ull + (uint64_t)id;
	char **l = malloc(ITEMS * sizeof(char *));
	for (int i = 0; i < ITEMS; i++) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		size_t n = 1 + s % 200;
		l[i] = malloc(n + 1);
		for (size_t k = 0; k < n; k++)
			l[i][k] = (char)('a' + (s >> (k % 60)) % 26);
		l[i][n] = 0;
	}
	qsort(l, ITEMS, sizeof(char *), cmp);
	lists[id] = l;
	pthread_barrier_wait(&barrier);
	char **theirs = lists[(id + 1) % WORKERS];   /* free the neighbour's strings */
	uint64_t sum = 0;
	for (int i = 0; i < ITEMS; i++) {
		for (const char *c = theirs[i]; *c; c++)
			sum = sum * 131 + (unsigned char)*c;
		free(theirs[i]);
	}
	pthread_barrier_wait(&barrier);
	free(theirs);
	return (void *)(uintptr_t)sum;
}

int main(void)
{
	pthread_t t[WORKERS];
	pthread_barrier_init(&barrier, NULL, WORKERS);
	for (long i = 0; i < WORKERS; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	for (int i = 0; i < WORKERS; i++) {
		void *r;
		pthread_join(t[i], &r);
		printf("worker %d checksum %016llx\n", i, (unsigned long long)(uintptr_t)r);
	}
	return 0;
}
