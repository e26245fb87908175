/* libmmalloc reaps the heaps of threads that are gone without abandoning them (issue 6): a
 * thread makes its heap on its first malloc and a pthread key destructor gives it back at the
 * thread's exit; glibc runs key destructors in at most PTHREAD_DESTRUCTOR_ITERATIONS (4)
 * rounds, so a thread whose first malloc is in another key's destructor in the last round sets
 * its heap's key too late, and the destructor never runs. The threads of a fork parent do not
 * exist in the child either. Another thread, when it makes its heap, finds such heaps and
 * abandons them: what the library holds must not grow with the number of such threads, and
 * in a fork child the heaps of the parent's other threads give their pages back. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/single_threaded.h>
#include <sys/wait.h>
#include "last_round.h"
#include "malloc_totals.h"
#include "tap.h"

#define LATE_THREADS 200                    /* one after another */
#define LATE_FIRST   50                     /* threads before the first reading */
#define LATE_BLOCKS  3
#define SLACK        (4u * (64u << 10))     /* a few pages: heaps not reaped yet */
#define FORK_SLACK   (8u * (64u << 10))     /* and pages of blocks on the child's foreign lists */

static _Atomic int late_bad;

static const size_t late_size[LATE_BLOCKS] = { 40, 700, 3000 };

/* The last destructor round: the thread's first malloc. */
static void last_round_malloc(void)
{
	unsigned char *p[LATE_BLOCKS];
	for (int i = 0; i < LATE_BLOCKS; i++)
		if ((p[i] = malloc(late_size[i])))
			fill(p[i], late_size[i], (unsigned)i);
	for (int i = 0; i < LATE_BLOCKS; i++) {
		if (!p[i] || !check_fill(p[i], late_size[i], (unsigned)i))
			late_bad = 1;
		free(p[i]);
	}
}

/* Runs LATE_THREADS such threads; the pages held after the first LATE_FIRST and at the end. */
static void last_round_held(unsigned long long *held0, unsigned long long *held1)
{
	static struct last_round lr;
	unsigned long long live;
	last_round_init(&lr, last_round_malloc);
	late_bad |= !last_round_run(&lr, LATE_FIRST);
	stats_totals(&live, held0);
	late_bad |= !last_round_run(&lr, LATE_THREADS - LATE_FIRST);
	stats_totals(&live, held1);
}

static void test_last_round(void)
{
	unsigned long long held0, held1;
	last_round_held(&held0, &held1);
	printf("# after %d threads: %llu bytes of pages; after %d: %llu\n", LATE_FIRST, held0,
	       LATE_THREADS, held1);
	ok(!late_bad, "first malloc in the last round of key destructors: every block verified");
	ok(held0 && held1 <= held0 + SLACK,
	   "heaps of threads whose first malloc is in the last destructor round are reaped: pages held do not grow");
}

/* A process with one thread forks: the child's heap has its parent's tid until the child
 * handler gives it its own, and the child's threads must be reaped (exit status 0), as in the
 * parent (fork handlers registered only once a second thread exists would run none here). */
static void test_fork_single_threaded(void)
{
	bool single = __libc_single_threaded;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		unsigned long long held0, held1;
		last_round_held(&held0, &held1);
		printf("# child of a one-thread process: %llu bytes of pages after %d threads, %llu after %d\n",
		       held0, LATE_FIRST, held1, LATE_THREADS);
		fflush(stdout);
		_exit(late_bad || !held0 || held1 > held0 + SLACK);
	}
	int st = -1;
	waitpid(pid, &st, 0);
	ok(single && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	   "fork child of a one-thread process: its threads' heaps are reaped");
}

#define FORK_THREADS 4
#define FORK_BLOCKS  300
#define CHILD_THREADS 8

static unsigned char *fork_blk[FORK_THREADS][FORK_BLOCKS];
static pthread_barrier_t fork_ready, fork_done;

static size_t fork_len(long t, int i)
{
	return 16 + (size_t)(i * 131 + t * 17) % 6000;
}

static void *fork_worker(void *arg)
{
	long t = (long)arg;
	for (int i = 0; i < FORK_BLOCKS; i++)
		if ((fork_blk[t][i] = malloc(fork_len(t, i))))
			fill(fork_blk[t][i], fork_len(t, i), (unsigned)(t * 1000 + i));
	pthread_barrier_wait(&fork_ready);
	pthread_barrier_wait(&fork_done);           /* alive in the parent until the child is done */
	return NULL;
}

/* Verifies and frees the workers' blocks. */
static bool fork_free(void)
{
	bool good = true;
	for (long t = 0; t < FORK_THREADS; t++) {
		for (int i = 0; i < FORK_BLOCKS; i++) {
			unsigned char *p = fork_blk[t][i];
			good &= p && check_fill(p, fork_len(t, i), (unsigned)(t * 1000 + i));
			free(p);
		}
	}
	return good;
}

/* A thread of the child: its first malloc reaps; its blocks may come from adopted pages. */
static void *child_thread(void *arg)
{
	_Atomic int *bad = arg;
	unsigned char *p[64];
	for (int i = 0; i < 64; i++)
		if ((p[i] = malloc(fork_len(7, i * 5))))
			fill(p[i], fork_len(7, i * 5), (unsigned)i);
	for (int i = 0; i < 64; i++) {
		if (!p[i] || !check_fill(p[i], fork_len(7, i * 5), (unsigned)i))
			*bad = 1;
		free(p[i]);
	}
	return NULL;
}

/* The child: frees the workers' blocks (into pages of heaps whose threads are not here), runs
 * threads, which reap those heaps; exit status 1: a block was wrong, 2: the pages were not
 * given back. */
static _Noreturn void fork_child(unsigned long long held0)
{
	unsigned long long live, held_before, held_after;
	_Atomic int bad = !fork_free();
	stats_totals(&live, &held_before);
	for (int i = 0; i < CHILD_THREADS; i++) {
		pthread_t t;
		pthread_create(&t, NULL, child_thread, &bad);
		pthread_join(t, NULL);
	}
	stats_totals(&live, &held_after);
	printf("# fork child: %llu bytes of pages before the parent's threads, %llu in the child "
	       "before its threads, %llu after them\n", held0, held_before, held_after);
	fflush(stdout);
	_exit((bad ? 1 : 0) | (held_after <= held0 + FORK_SLACK ? 0 : 2));
}

static void test_fork_reap(void)
{
	unsigned long long live, held0, held1;
	pthread_t t[FORK_THREADS];
	pthread_barrier_init(&fork_ready, NULL, FORK_THREADS + 1);
	pthread_barrier_init(&fork_done, NULL, FORK_THREADS + 1);
	stats_totals(&live, &held0);
	for (long i = 0; i < FORK_THREADS; i++)
		pthread_create(&t[i], NULL, fork_worker, (void *)i);
	pthread_barrier_wait(&fork_ready);
	stats_totals(&live, &held1);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		fork_child(held0);
	int st = -1;
	waitpid(pid, &st, 0);
	pthread_barrier_wait(&fork_done);
	for (int i = 0; i < FORK_THREADS; i++)
		pthread_join(t[i], NULL);
	bool parent_good = fork_free();
	ok(WIFEXITED(st) && !(WEXITSTATUS(st) & 1) && parent_good,
	   "fork child: the parent's threads' blocks are verified and freed, and threads of its own run");
	ok(held1 > held0 + 8 * SLACK && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	   "fork child: the heaps of the parent's other threads are reaped, their pages given back");
}

/* Forks while threads free each other's blocks: each child's copy of a worker's heap may be
 * caught in the middle of a free (the owner's push, a remote free's foreign-list push, a slow
 * path); the child's threads reap those copies, and must neither crash nor (the checked
 * library) find a heap broken. */
#define BUSY_THREADS 3
#define BUSY_SLOTS   512
#define BUSY_FORKS   tap_scaled(40)
static _Atomic(unsigned char *) busy_slot[BUSY_SLOTS];
static _Atomic int busy_stop, busy_bad;

static void *busy_worker(void *arg)
{
	uint64_t s = 0x9e3779b97f4a7c15ull * (uint64_t)((long)arg + 1);
	while (!busy_stop) {
		s ^= s << 13, s ^= s >> 7, s ^= s << 17;
		size_t n = 16 + s % 1500;
		unsigned char *p = malloc(n);
		if (!p) {
			busy_bad = 1;
			continue;
		}
		memcpy(p, &n, sizeof(n));                /* n >= 16: the size, and a tag at the end */
		p[n - 1] = (unsigned char)(n >> 3);
		/* another thread's block comes out: its free is often remote */
		unsigned char *old = atomic_exchange(&busy_slot[(s >> 20) % BUSY_SLOTS], p);
		free(old);
	}
	return NULL;
}

static void test_fork_busy(void)
{
	pthread_t t[BUSY_THREADS];
	for (long i = 0; i < BUSY_THREADS; i++)
		pthread_create(&t[i], NULL, busy_worker, (void *)i);
	int bad_children = 0;
	for (size_t k = 0; k < BUSY_FORKS; k++) {
		pid_t pid = fork();
		if (pid == 0) {
			/* the workers' blocks that were only in their registers at the fork leak here */
			VALGRIND_CLO_CHANGE("--leak-check=no");
			_Atomic int bad = 0;
			for (int i = 0; i < CHILD_THREADS; i++) {
				pthread_t c;
				pthread_create(&c, NULL, child_thread, &bad);
				pthread_join(c, NULL);
			}
			_exit(bad);
		}
		int st = -1;
		waitpid(pid, &st, 0);
		bad_children += !WIFEXITED(st) || WEXITSTATUS(st);
	}
	busy_stop = 1;
	for (int i = 0; i < BUSY_THREADS; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < BUSY_SLOTS; i++) {
		unsigned char *p = busy_slot[i];
		size_t n = 0;
		if (p)
			memcpy(&n, p, sizeof(n));
		if (p && (n < 16 || n >= 1516 || p[n - 1] != (unsigned char)(n >> 3)))
			busy_bad = 1;
		free(p);
	}
	printf("# %zu forks while %d threads freed each other's blocks: %d children failed\n",
	       BUSY_FORKS, BUSY_THREADS, bad_children);
	ok(!bad_children && !busy_bad,
	   "fork while threads free each other's blocks: the child reaps the copies of their heaps");
}

int main(void)
{
	void *volatile first = malloc(1);            /* libmmalloc's key exists now */
	free(first);
	test_fork_single_threaded();                 /* first: no thread made yet */
	test_last_round();
	test_fork_reap();
	test_fork_busy();
	return tap_done();
}
