/* Allocator benchmark workloads (run under each allocator via LD_PRELOAD by bench/malloc/run):
 *   churn     small-object churn, random sizes 8..512 B, 2 threads
 *   larson    server pattern: each thread replaces objects that another thread allocated
 *   prodcons  producer threads allocate, consumer threads free
 *   realloc   strings and vectors growing by realloc
 *   big       blocks of 64 KiB..8 MiB, every page touched
 * Usage: workloads NAME. Prints a checksum so that the work cannot be optimised away. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

static _Atomic uint64_t checksum;

static void *churn_thread(void *arg)
{
	enum { SLOTS = 8192, OPS = 12000000 };
	uint64_t s = 0x1234567 + (uintptr_t)arg, sum = 0;
	unsigned char **slot = calloc(SLOTS, sizeof(*slot));
	for (int i = 0; i < OPS; i++) {
		size_t k = rnd(&s) % SLOTS, n = 8 + rnd(&s) % 505;
		if (slot[k])
			sum += slot[k][0];
		free(slot[k]);
		slot[k] = malloc(n);
		slot[k][0] = (unsigned char)n;
		slot[k][n - 1] = 1;
	}
	for (int k = 0; k < SLOTS; k++)
		free(slot[k]);
	free(slot);
	checksum += sum;
	return NULL;
}

#define LARSON_THREADS 4
#define LARSON_SLOTS   4096
static unsigned char **larson_sets[LARSON_THREADS];
static pthread_barrier_t larson_barrier;

/* Each round a thread works on the set the previous thread filled: frees cross threads. */
static void *larson_thread(void *arg)
{
	long id = (long)arg;
	uint64_t s = 0x9876543 + (uint64_t)id, sum = 0;
	for (int round = 0; round < 200; round++) {
		unsigned char **set = larson_sets[(id + round) % LARSON_THREADS];
		for (int i = 0; i < 2 * LARSON_SLOTS; i++) {
			size_t k = rnd(&s) % LARSON_SLOTS, n = 16 + rnd(&s) % 240;
			if (set[k])
				sum += set[k][0];
			free(set[k]);
			set[k] = malloc(n);
			set[k][0] = (unsigned char)n;
		}
		pthread_barrier_wait(&larson_barrier);
	}
	checksum += sum;
	return NULL;
}

#define PC_BATCH 256
#define PC_QUEUE 64
static struct {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	void **items[PC_QUEUE];
	unsigned head, tail;
	int producers_left;
} q = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, { 0 }, 0, 0, 2 };

static void *producer(void *arg)
{
	uint64_t s = 0x55aa + (uintptr_t)arg;
	for (int b = 0; b < 12000; b++) {
		void **batch = malloc(PC_BATCH * sizeof(void *));
		for (int i = 0; i < PC_BATCH; i++) {
			size_t n = 16 + rnd(&s) % 1000;
			batch[i] = malloc(n);
			memset(batch[i], 1, 16);
		}
		pthread_mutex_lock(&q.lock);
		while (q.head - q.tail == PC_QUEUE)
			pthread_cond_wait(&q.cond, &q.lock);
		q.items[q.head++ % PC_QUEUE] = batch;
		pthread_cond_broadcast(&q.cond);
		pthread_mutex_unlock(&q.lock);
	}
	pthread_mutex_lock(&q.lock);
	q.producers_left--;
	pthread_cond_broadcast(&q.cond);
	pthread_mutex_unlock(&q.lock);
	return NULL;
}

static void *consumer(void *arg)
{
	(void)arg;
	uint64_t sum = 0;
	for (;;) {
		pthread_mutex_lock(&q.lock);
		while (q.head == q.tail && q.producers_left)
			pthread_cond_wait(&q.cond, &q.lock);
		if (q.head == q.tail) {
			pthread_mutex_unlock(&q.lock);
			break;
		}
		void **batch = q.items[q.tail++ % PC_QUEUE];
		pthread_cond_broadcast(&q.cond);
		pthread_mutex_unlock(&q.lock);
		for (int i = 0; i < PC_BATCH; i++) {
			sum += ((unsigned char *)batch[i])[0];
			free(batch[i]);
		}
		free(batch);
	}
	checksum += sum;
	return NULL;
}

static void run_threads(int n, void *(*fn)(void *))
{
	pthread_t t[8];
	for (long i = 0; i < n; i++)
		pthread_create(&t[i], NULL, fn, (void *)i);
	for (int i = 0; i < n; i++)
		pthread_join(t[i], NULL);
}

static void larson(void)
{
	for (int i = 0; i < LARSON_THREADS; i++)
		larson_sets[i] = calloc(LARSON_SLOTS, sizeof(unsigned char *));
	pthread_barrier_init(&larson_barrier, NULL, LARSON_THREADS);
	run_threads(LARSON_THREADS, larson_thread);
	for (int i = 0; i < LARSON_THREADS; i++) {
		for (int k = 0; k < LARSON_SLOTS; k++)
			free(larson_sets[i][k]);
		free(larson_sets[i]);
	}
}

static void prodcons(void)
{
	pthread_t t[4];
	for (long i = 0; i < 2; i++) {
		pthread_create(&t[i], NULL, producer, (void *)i);
		pthread_create(&t[2 + i], NULL, consumer, (void *)i);
	}
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
}

/* Strings grown a few bytes at a time, and vectors doubling, as parsers and builders do. */
static void grow(void)
{
	uint64_t s = 77, sum = 0;
	for (int round = 0; round < 60; round++) {
		char *str = NULL;
		size_t len = 0;
		while (len < (4u << 20)) {
			size_t add = 1 + rnd(&s) % 200;
			str = realloc(str, len + add);
			memset(str + len, 'x', add);
			len += add;
		}
		sum += (unsigned char)str[len / 2];
		free(str);
		for (int v = 0; v < 2000; v++) {
			int *vec = NULL;
			for (size_t cap = 4; cap <= 2048; cap *= 2) {
				vec = realloc(vec, cap * sizeof(int));
				vec[cap - 1] = (int)cap;
			}
			sum += (uint64_t)vec[2047];
			free(vec);
		}
	}
	checksum += sum;
}

static void big(void)
{
	enum { LIVE = 16 };
	unsigned char *live[LIVE] = { 0 };
	uint64_t s = 4242, sum = 0;
	for (int i = 0; i < 4000; i++) {
		size_t k = rnd(&s) % LIVE;
		size_t n = (64u << 10) + rnd(&s) % ((8u << 20) - (64u << 10));
		free(live[k]);
		live[k] = malloc(n);
		for (size_t off = 0; off < n; off += 4096)      /* touch every page */
			live[k][off] = (unsigned char)off;
		sum += live[k][n / 2];
	}
	for (int k = 0; k < LIVE; k++)
		free(live[k]);
	checksum += sum;
}

int main(int argc, char **argv)
{
	const char *w = argc > 1 ? argv[1] : "";
	if (!strcmp(w, "churn"))
		run_threads(2, churn_thread);
	else if (!strcmp(w, "larson"))
		larson();
	else if (!strcmp(w, "prodcons"))
		prodcons();
	else if (!strcmp(w, "realloc"))
		grow();
	else if (!strcmp(w, "big"))
		big();
	else {
		fprintf(stderr, "usage: workloads churn|larson|prodcons|realloc|big\n");
		return 2;
	}
	printf("%s checksum %llu\n", w, (unsigned long long)checksum);
	return 0;
}
