/* libmmalloc stress of thread exit under cross-thread frees (issue 6: a page given back to its
 * segment while its reclaiming heap still queued it turned the heap's page lists cyclic).
 * Waves of threads share a table of blocks: each frees what threads of its own and of earlier,
 * exited, waves allocated, so pages are abandoned while other threads free into them, and
 * adopted (reclaimed) by later waves while still in use; and resizes them by realloc, so that
 * growing blocks (grow.c) pass between threads. Every block is filled and verified.
 * Linked with libmmalloc.a, and as malloc_stress-check with the checking library, which checks
 * every heap's page queues and segments on each slow path and aborts on the first violation. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "tap.h"

#define SLOTS  2048
#define WAVES  8
#define PER    4                           /* threads per wave */
#define OPS    12000

static struct slot {
	pthread_mutex_t lock;
	unsigned char *p;
	size_t n;
	unsigned tag;
} table[SLOTS];
static _Atomic int bad;

/* Mostly small blocks (many per page, so pages fill, go full and come back), some medium,
 * a few large and some aligned ones. */
static unsigned char *block_alloc(uint64_t *s, size_t *n)
{
	uint64_t r = rnd(s);
	*n = r % 64 == 0 ? r % 70000 : r % 4 == 0 ? r % 4096 : 1 + r % 256;
	if (r % 16 == 1) {
		void *p = NULL;
		return posix_memalign(&p, (size_t)16 << (r >> 8) % 9, *n) ? NULL : p;
	}
	return malloc(*n);
}

/* Resizes the slot's block by realloc, in this thread whichever thread allocated it: the
 * contents kept up to the smaller size are checked, then the block filled again. A thread's
 * first block grown this way becomes its growing block (grow.c), which other threads then
 * free, resize and free again. Called with the slot's lock. */
static void slot_realloc(struct slot *sl, uint64_t *s, unsigned tag)
{
	uint64_t r = rnd(s);
	size_t n = r % 4 ? sl->n * 2 + r % 64 : r % 9000, keep = n < sl->n ? n : sl->n;
	unsigned char head[64];
	size_t h = keep < sizeof(head) ? keep : sizeof(head);
	memcpy(head, sl->p, h);
	unsigned char *q = realloc(sl->p, n ? n : 1);
	if (!q) {
		bad = 1;
		return;
	}
	if (memcmp(q, head, h))
		bad = 1;
	sl->p = q;
	sl->n = n ? n : 1;
	sl->tag = tag;
	fill(q, sl->n, tag);
}

/* Replaces the block of a random slot with a new one, verifying the old one before freeing
 * it; or, one time in eight, resizes the block. */
static void slot_replace(uint64_t *s, unsigned tag)
{
	struct slot *sl = &table[rnd(s) % SLOTS];
	if (rnd(s) % 8 == 0) {
		pthread_mutex_lock(&sl->lock);
		if (sl->p && !check_fill(sl->p, sl->n, sl->tag))
			bad = 1;
		if (sl->p && sl->n < (1u << 20))
			slot_realloc(sl, s, tag);
		pthread_mutex_unlock(&sl->lock);
		return;
	}
	size_t n;
	unsigned char *p = block_alloc(s, &n);
	if (!p)
		bad = 1;
	else
		fill(p, n, tag);
	pthread_mutex_lock(&sl->lock);
	if (sl->p && !check_fill(sl->p, sl->n, sl->tag))
		bad = 1;
	free(sl->p);
	sl->p = p;
	sl->n = p ? n : 0;
	sl->tag = tag;
	pthread_mutex_unlock(&sl->lock);
}

static void *wave_thread(void *arg)
{
	uint64_t s = 0x9e3779b97f4a7c15ull * ((uintptr_t)arg + 1);
	for (unsigned i = 0; i < tap_scaled(OPS); i++)
		slot_replace(&s, (unsigned)(uintptr_t)arg * OPS + i);
	return NULL;
}

static bool table_verify_free(void)
{
	bool good = true;
	for (int i = 0; i < SLOTS; i++) {
		good &= !table[i].p || check_fill(table[i].p, table[i].n, table[i].tag);
		free(table[i].p);
		table[i].p = NULL;
	}
	return good;
}

/* Waves of threads that overlap: a wave starts while the previous one still runs, and each
 * thread exits (abandoning its heap) while the others keep freeing into its pages. */
static void test_waves(void)
{
	pthread_t t[WAVES][PER];
	for (int i = 0; i < SLOTS; i++)
		pthread_mutex_init(&table[i].lock, NULL);
	for (uintptr_t w = 0; w < WAVES; w++) {
		for (uintptr_t k = 0; k < PER; k++)
			pthread_create(&t[w][k], NULL, wave_thread, (void *)(w * PER + k));
		if (w)
			for (int k = 0; k < PER; k++)
				pthread_join(t[w - 1][k], NULL);
	}
	for (int k = 0; k < PER; k++)
		pthread_join(t[WAVES - 1][k], NULL);
	ok(!bad && table_verify_free(),
	   "waves of exiting threads, cross-thread frees and reallocs: every block verified");
}

/* A thread allocates a batch and exits at once; the main thread frees half of it and the next
 * thread, which adopts the abandoned pages, frees the rest and allocates into them. */
static void *batch_thread(void *arg)
{
	void **v = arg;
	for (int i = 0; i < 4000; i++)
		if (v[i])
			free(v[i]);
	for (int i = 0; i < 4000; i++) {
		size_t n = 1 + (size_t)(i * 37) % 700;
		if ((v[i] = malloc(n)))
			fill(v[i], n, (unsigned)i);
	}
	return NULL;
}

static void test_exit_reclaim(void)
{
	static void *v[4000];
	bool good = true;
	for (unsigned long round = 0; round < tap_scaled(50); round++) {
		pthread_t t;
		pthread_create(&t, NULL, batch_thread, v);
		pthread_join(t, NULL);
		for (int i = 0; i < 4000; i++) {
			size_t n = 1 + (size_t)(i * 37) % 700;
			good &= v[i] && check_fill(v[i], n, (unsigned)i);
			if (i % 2) {
				free(v[i]);
				v[i] = NULL;
			}
		}
	}
	for (int i = 0; i < 4000; i++)
		free(v[i]);
	ok(good, "blocks of exited threads freed by the main thread and by the heap that adopts them");
}

int main(void)
{
	test_waves();
	test_exit_reclaim();
	return tap_done();
}
