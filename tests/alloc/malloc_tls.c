/* libmmalloc under thread-exit destructors that allocate (issue 6). glibc runs the pthread key
 * destructors of an exiting thread in rounds (PTHREAD_DESTRUCTOR_ITERATIONS, 4), in key order,
 * while a round sets new values; libmmalloc's own destructor abandons the thread's heap. A
 * destructor that runs after it and allocates must not get a heap that nobody ever gives back.
 * Here a key made before libmmalloc's frees, in every round, what the destructor of a key made
 * after it allocated in the round before, which re-arms both: in the first round the thread's
 * own blocks are freed before the teardown, the later rounds' after it; the blocks of the last
 * round, allocated after the teardown in that round, are freed by the main thread. Many
 * threads run, in batches: what the library holds (bytes of pages, live bytes) must not grow
 * with their number. Every block is verified. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include "malloc_totals.h"
#include "tap.h"
#include "../../alloc/malloc/internal.h"            /* libmmalloc.a's, linked statically */

#define THREADS 24                          /* per batch */
#define BATCHES 8
#define WARM    3                           /* batches before the level is read */
#define BLOCKS  48                          /* per round of a destructor */
#define ROUNDS  4                           /* PTHREAD_DESTRUCTOR_ITERATIONS */

static pthread_key_t key_free, key_alloc;
static _Atomic int bad, own_heap;

/* The blocks of one thread's latest destructor round. */
struct late {
	int round;
	unsigned char *blk[BLOCKS];
	size_t n[BLOCKS];
};

static struct late lates[THREADS];          /* per thread of a batch */
static _Atomic int nlast;                   /* threads whose last round ran */

static void blocks_alloc(struct late *l, unsigned tag)
{
	for (int i = 0; i < BLOCKS; i++) {
		l->n[i] = 1 + (size_t)(i * 97 + l->round * 13) % (i % 8 ? 600 : 9000);
		l->blk[i] = malloc(l->n[i]);
		if (!l->blk[i]) {
			bad = 1;
			continue;
		}
		fill(l->blk[i], l->n[i], tag + (unsigned)i);
	}
}

static void blocks_free(struct late *l, unsigned tag)
{
	for (int i = 0; i < BLOCKS; i++) {
		if (l->blk[i] && !check_fill(l->blk[i], l->n[i], tag + (unsigned)i))
			bad = 1;
		free(l->blk[i]);
		l->blk[i] = NULL;
	}
}

/* Every round, first (its key is older than libmmalloc's): frees the blocks of the round
 * before. */
static void free_dtor(void *arg)
{
	struct late *l = arg;
	blocks_free(l, (unsigned)l->round);
}

/* Every round, after libmmalloc's destructor once that has run (its key is newer): allocates
 * the blocks that free_dtor frees in the next round, or, in the last round, the main thread. */
static void alloc_dtor(void *arg)
{
	struct late *l = arg;
	blocks_alloc(l, (unsigned)++l->round);
	if (mm_tls_heap != &mm_heap_empty)              /* served by the late heap, not a new one */
		own_heap = 1;
	if (l->round < ROUNDS) {
		pthread_setspecific(key_free, l);
		pthread_setspecific(key_alloc, l);
		return;
	}
	nlast++;                                         /* the main thread frees these */
}

__attribute__((constructor(101))) static void keys_before_malloc(void)
{
	pthread_key_create(&key_free, free_dtor);        /* before the first malloc */
}

static void *thread_main(void *arg)
{
	struct late *l = arg;
	l->round = 0;
	blocks_alloc(l, 0);                              /* freed by free_dtor in round 1 */
	pthread_setspecific(key_free, l);
	pthread_setspecific(key_alloc, l);
	return NULL;
}

static void run_batch(void)
{
	pthread_t t[THREADS];
	for (int i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, thread_main, &lates[i]);
	for (int i = 0; i < THREADS; i++)
		pthread_join(t[i], NULL);
	if (nlast != THREADS)
		bad = 1;
	nlast = 0;
	for (int i = 0; i < THREADS; i++)
		blocks_free(&lates[i], ROUNDS);          /* the last round's, allocated after teardown */
}

int main(void)
{
	void *volatile first = malloc(1);                /* libmmalloc's key exists now */
	free(first);
	pthread_key_create(&key_alloc, alloc_dtor);
	unsigned long long live0, held0, live1, held1;
	/* The level is read after a few batches. The late heap keeps one empty page per size class
	 * it has used (as every heap does), and borrowing between classes can bring a few more
	 * classes in later: a few 64 KiB pages, where a heap per late thread would add over a MiB
	 * per batch. */
	for (int b = 0; b < WARM; b++)
		run_batch();
	stats_totals(&live0, &held0);
	for (int b = WARM; b < BATCHES; b++)
		run_batch();
	stats_totals(&live1, &held1);
	printf("# after %d batches: %llu live bytes, %llu bytes of pages; after %d: %llu, %llu\n",
	       WARM, live0, held0, BATCHES, live1, held1);
	ok(!bad, "destructors that run after the heap's teardown allocate and free: every block verified");
	ok(!own_heap, "a thread past its heap's teardown gets no heap of its own: the late heap serves it");
	ok(held0 && held1 <= held0 + (512u << 10) && live1 <= live0 + (16u << 10),
	   "blocks allocated after a thread's teardown are given back: pages held do not grow with threads");
	return tap_done();
}
