/* libmmpool tests: pools, constructors, shrink, destroy reports, statistics, the arena, the
 * checking mode's aborts, and a cross-thread stress that verifies every object's contents. */
#include <pthread.h>
#include <stdlib.h>
#include "last_round.h"
#include "mmpool.h"
#include "tap.h"

static void test_basic(void)
{
	mmpool_t *p = mmpool_create("basic", 40, 0, 0);
	void *objs[1000];
	bool distinct = true, aligned = true;
	for (int i = 0; i < 1000; i++) {
		objs[i] = mmpool_alloc(p);
		aligned &= ((uintptr_t)objs[i] % 8) == 0;
		fill(objs[i], 40, (unsigned)i);
	}
	for (int i = 0; i < 1000; i++)
		distinct &= check_fill(objs[i], 40, (unsigned)i);
	ok(p && distinct, "pool: 1000 objects keep their contents");
	ok(aligned, "pool: natural alignment");
	struct mmpool_stats st;
	mmpool_get_stats(p, &st);
	ok(st.objs_live == 1000 && st.allocs == 1000 && st.frees == 0, "pool: stats count live objects");
	for (int i = 0; i < 1000; i++)
		mmpool_free(p, objs[i]);
	mmpool_free(p, NULL);
	mmpool_get_stats(p, &st);
	ok(st.objs_live == 0 && st.frees == 1000, "pool: stats after frees");
	ok(mmpool_shrink(p) > 0, "pool: shrink unmaps empty slabs");
	mmpool_get_stats(p, &st);
	ok(st.slabs == 0, "pool: no slab left after shrink");
	ok(mmpool_destroy(p) == 0, "pool: destroy with nothing live");
}

static void test_align(void)
{
	mmpool_t *p = mmpool_create("align", 100, 256, 0);
	bool good = true;
	for (int i = 0; i < 100; i++)
		good &= ((uintptr_t)mmpool_alloc(p) % 256) == 0;
	ok(good, "pool: 256-byte alignment");
	ok(mmpool_create("bad", 8, 24, 0) == NULL, "pool: non power-of-two alignment refused");
	ok(mmpool_create("bad", 0, 0, 0) == NULL, "pool: zero size refused");
	FILE *devnull = freopen("/dev/null", "w", stderr);
	ok(mmpool_destroy(p) == 100, "pool: destroy reports 100 live objects");
	(void)devnull;
}

static int ctor_calls;
static void ctor(void *obj)
{
	ctor_calls++;
	memset(obj, 0xab, 64);
}

static void test_ctor(void)
{
	mmpool_t *p = mmpool_create_ctor("ctor", 64, 0, 0, ctor);
	unsigned char *o = mmpool_alloc(p);
	ok(o && o[0] == 0xab && o[63] == 0xab, "pool: constructor ran on the object");
	mmpool_free(p, o);
	int calls = ctor_calls;
	o = mmpool_alloc(p);
	ok(ctor_calls == calls, "pool: constructor runs once per object, not per alloc");
	mmpool_free(p, o);
	mmpool_destroy(p);
}

static void test_big_objects(void)
{
	mmpool_t *p = mmpool_create("big", 100000, 0, 0);
	void *a = mmpool_alloc(p), *b = mmpool_alloc(p);
	fill(a, 100000, 1);
	fill(b, 100000, 2);
	ok(check_fill(a, 100000, 1) && check_fill(b, 100000, 2), "pool: 100 KB objects");
	mmpool_free(p, a);
	mmpool_free(p, b);
	ok(mmpool_destroy(p) == 0, "pool: big-object pool destroyed clean");
}

static void test_arena(void)
{
	mmarena_t *a = mmarena_create(4096);
	char *x = mmarena_alloc(a, 100, 0);
	strcpy(x, "kept");
	mmarena_mark_t m = mmarena_mark(a);
	for (int i = 0; i < 1000; i++)
		fill(mmarena_alloc(a, 333, 64), 333, 1);
	struct mmarena_stats st;
	mmarena_get_stats(a, &st);
	ok(st.chunks > 10 && st.bytes_used > 333000, "arena: grows by chunks");
	char *y = mmarena_alloc(a, 10, 4096);
	ok(((uintptr_t)y % 4096) == 0, "arena: 4096-byte alignment");
	mmarena_release(a, m);
	mmarena_get_stats(a, &st);
	ok(st.chunks <= 2 && strcmp(x, "kept") == 0, "arena: release to mark keeps earlier data");
	char *big = mmarena_alloc(a, 1 << 20, 0);
	memset(big, 1, 1 << 20);
	ok(big != NULL, "arena: request larger than a chunk");
	mmarena_reset(a);
	mmarena_get_stats(a, &st);
	ok(st.bytes_used == 0, "arena: reset");
	ok(mmarena_alloc(a, 8, 3) == NULL, "arena: bad alignment refused");
	mmarena_destroy(a);
}

static void double_free(void *arg)
{
	(void)arg;
	mmpool_t *p = mmpool_create("dentry", 48, 0, MMPOOL_CHECK);
	void *o = mmpool_alloc(p);
	mmpool_free(p, o);
	mmpool_free(p, o);
}

static void foreign_free(void *arg)
{
	(void)arg;
	mmpool_t *p = mmpool_create("inode", 48, 0, MMPOOL_CHECK);
	mmpool_alloc(p);
	static char not_ours[64];
	mmpool_free(p, not_ours);
}

static void other_pool_free(void *arg)
{
	(void)arg;
	mmpool_t *p = mmpool_create("task", 48, 0, MMPOOL_CHECK);
	mmpool_t *q = mmpool_create("files", 48, 0, MMPOOL_CHECK);
	mmpool_free(p, mmpool_alloc(q));
}

static void inner_free(void *arg)
{
	(void)arg;
	mmpool_t *p = mmpool_create("vma", 48, 0, MMPOOL_CHECK);
	mmpool_free(p, (char *)mmpool_alloc(p) + 8);
}

#define STRESS_THREADS 4
#define STRESS_ROUNDS  20000
#define RING           256

/* Each thread allocates objects, fills them, and hands them through a shared ring to the next
 * thread, which verifies and frees them: frees cross threads all the time. */
static struct ring {
	pthread_mutex_t lock;
	void *slot[RING];
	unsigned head, tail;
} rings[STRESS_THREADS];

static mmpool_t *stress_pool;
static _Atomic int stress_bad;

static void *ring_get(struct ring *r)
{
	void *o = NULL;
	pthread_mutex_lock(&r->lock);
	if (r->head != r->tail)
		o = r->slot[r->tail++ % RING];
	pthread_mutex_unlock(&r->lock);
	return o;
}

static void take_and_check(struct ring *r)
{
	void *o = ring_get(r);
	if (!o)
		return;
	if (!check_fill(o, 72, 7))
		stress_bad = 1;
	mmpool_free(stress_pool, o);
}

/* Hands o to the ring's consumer; when the ring is full, frees its oldest entry here. */
static void ring_put(struct ring *r, void *o)
{
	pthread_mutex_lock(&r->lock);
	while (r->head - r->tail >= RING) {
		pthread_mutex_unlock(&r->lock);
		take_and_check(r);
		pthread_mutex_lock(&r->lock);
	}
	r->slot[r->head++ % RING] = o;
	pthread_mutex_unlock(&r->lock);
}

static void *stress_thread(void *arg)
{
	long id = (long)arg;
	struct ring *out = &rings[id], *in = &rings[(id + 1) % STRESS_THREADS];
	for (int i = 0; i < STRESS_ROUNDS; i++) {
		void *o = mmpool_alloc(stress_pool);
		fill(o, 72, 7);
		ring_put(out, o);
		take_and_check(in);
	}
	return NULL;
}

static void test_stress(void)
{
	stress_pool = mmpool_create("stress", 72, 0, MMPOOL_CHECK);
	pthread_t t[STRESS_THREADS];
	for (long i = 0; i < STRESS_THREADS; i++) {
		pthread_mutex_init(&rings[i].lock, NULL);
		pthread_create(&t[i], NULL, stress_thread, (void *)i);
	}
	for (int i = 0; i < STRESS_THREADS; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < STRESS_THREADS; i++)     /* what is left in the rings */
		while (rings[i].head != rings[i].tail)
			take_and_check(&rings[i]);
	struct mmpool_stats st;
	mmpool_get_stats(stress_pool, &st);
	ok(!stress_bad, "pool stress: cross-thread objects verified");
	ok(st.objs_live == 0 && st.allocs == st.frees &&
	   st.allocs == (uint64_t)STRESS_THREADS * STRESS_ROUNDS, "pool stress: counts balance");
	ok(mmpool_destroy(stress_pool) == 0, "pool stress: destroy clean");
}

/* Thread-exit destructors that use a pool after libmmpool's own destructor retired the thread's
 * caches (glibc runs key destructors in rounds, PTHREAD_DESTRUCTOR_ITERATIONS, 4): one re-arms
 * itself in every round, freeing the objects of the round before and allocating new ones, and
 * in the last round only frees. No cache may be left behind by such a thread. */
#define LATE_THREADS 32
#define LATE_OBJS    40
#define LATE_ROUNDS  4

static pthread_key_t late_key;
static mmpool_t *late_pool;
static _Atomic int late_bad;

struct late_objs {
	int round;
	void *obj[LATE_OBJS];
};

static void late_swap(struct late_objs *l, bool again)
{
	for (int i = 0; i < LATE_OBJS; i++) {
		if (l->obj[i] && !check_fill(l->obj[i], 40, (unsigned)(l->round + i)))
			late_bad = 1;
		mmpool_free(late_pool, l->obj[i]);
		l->obj[i] = again ? mmpool_alloc(late_pool) : NULL;
		if (l->obj[i])
			fill(l->obj[i], 40, (unsigned)(l->round + 1 + i));
	}
	l->round++;
}

static void late_dtor(void *arg)
{
	struct late_objs *l = arg;
	late_swap(l, l->round < LATE_ROUNDS);            /* the last round only frees */
	if (l->round <= LATE_ROUNDS)
		pthread_setspecific(late_key, l);        /* again in the next round */
}

static void *late_thread(void *arg)
{
	struct late_objs *l = arg;
	late_swap(l, true);                              /* this thread's cache in use */
	pthread_setspecific(late_key, l);
	return NULL;
}

static void test_thread_exit_late(void)
{
	static struct late_objs objs[LATE_THREADS];
	late_pool = mmpool_create("late", 40, 0, 0);
	mmpool_free(late_pool, mmpool_alloc(late_pool)); /* libmmpool's key exists now */
	pthread_key_create(&late_key, late_dtor);        /* after it: runs after the retirement */
	pthread_t t[LATE_THREADS];
	for (int i = 0; i < LATE_THREADS; i++)
		pthread_create(&t[i], NULL, late_thread, &objs[i]);
	for (int i = 0; i < LATE_THREADS; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < LATE_THREADS; i++)
		late_swap(&objs[i], false);              /* none left: the last round freed them */
	mmpool_shrink(late_pool);                        /* the main thread's cache and the depot */
	struct mmpool_stats st;
	mmpool_get_stats(late_pool, &st);
	ok(!late_bad && objs[0].round == LATE_ROUNDS + 2, "pool: destructors use the pool after its thread teardown");
	ok(st.objs_live == 0 && st.objs_cached == 0 && st.allocs == st.frees &&
	   st.allocs == (uint64_t)LATE_THREADS * LATE_OBJS * LATE_ROUNDS + 1,
	   "pool: no thread cache is left behind by destructors that run after the teardown");
	ok(mmpool_destroy(late_pool) == 0, "pool: destroyed with nothing live after the late destructors");
}

/* A thread whose first use of a pool is in another key's destructor in the last round: its
 * cache's key value is set after the rounds are over (PTHREAD_DESTRUCTOR_ITERATIONS, 4), so its
 * exit destructor never runs; the threads that make caches later retire it. Threads run one
 * after another: the objects held by caches must not grow with their number. */
#define LAST_THREADS 200
#define LAST_FIRST   50                             /* threads before the first reading */

static mmpool_t *last_pool;
static _Atomic int last_bad;

/* The last destructor round: the thread's first use of a pool. */
static void last_round_pool(void)
{
	void *obj = mmpool_alloc(last_pool);
	if (obj)
		fill(obj, 40, 9);
	if (!obj || !check_fill(obj, 40, 9))
		last_bad = 1;
	mmpool_free(last_pool, obj);
}

/* Objects held by the pool's caches after n more such threads. */
static size_t run_last_threads(struct last_round *lr, int n)
{
	struct mmpool_stats st;
	last_bad |= !last_round_run(lr, n);
	mmpool_get_stats(last_pool, &st);
	return st.objs_cached;
}

static void test_thread_exit_last_round(void)
{
	static struct last_round lr;
	last_pool = mmpool_create("last", 40, 0, 0);
	last_round_init(&lr, last_round_pool);           /* after libmmpool's key */
	size_t first = run_last_threads(&lr, LAST_FIRST);
	size_t last = run_last_threads(&lr, LAST_THREADS - LAST_FIRST);
	printf("# objects held by caches after %d threads: %zu; after %d: %zu\n", LAST_FIRST, first,
	       LAST_THREADS, last);
	ok(!last_bad, "pool: first use in the last round of key destructors: objects verified");
	ok(last <= first + 4 * 64,
	   "pool: caches of threads whose first use is in the last destructor round are retired");
	ok(mmpool_destroy(last_pool) == 0, "pool: destroyed with nothing live after the last-round threads");
}

/* A fork child's thread keeps its caches when the child's new threads make theirs (and check
 * others' threads): it has a tid of its own there. A worker of the parent, absent in the child,
 * holds a cache too. Exit status 0: every object verified, nothing live at destroy. */
#define FORK_OBJS 100

static mmpool_t *fork_pool;
static pthread_barrier_t fork_barrier;

static void *fork_pool_user(void *arg)
{
	mmpool_free(fork_pool, mmpool_alloc(fork_pool));     /* a cache of its own */
	if (arg) {
		pthread_barrier_wait(&fork_barrier);     /* cached in the parent at the fork */
		pthread_barrier_wait(&fork_barrier);
	}
	return NULL;
}

static _Noreturn void fork_pool_child(void **objs)
{
	for (int i = 0; i < 4; i++) {
		pthread_t t;
		pthread_create(&t, NULL, fork_pool_user, NULL);
		pthread_join(t, NULL);
	}
	bool good = true;
	for (int i = 0; i < FORK_OBJS; i++) {
		good &= check_fill(objs[i], 40, (unsigned)i);
		mmpool_free(fork_pool, objs[i]);     /* into this thread's cache */
	}
	_exit(good && mmpool_destroy(fork_pool) == 0 ? 0 : 1);
}

static void test_fork_caches(void)
{
	void *objs[FORK_OBJS];
	pthread_t worker;
	fork_pool = mmpool_create("fork", 40, 0, 0);
	for (int i = 0; i < FORK_OBJS; i++)
		if ((objs[i] = mmpool_alloc(fork_pool)))
			fill(objs[i], 40, (unsigned)i);
	pthread_barrier_init(&fork_barrier, NULL, 2);
	pthread_create(&worker, NULL, fork_pool_user, &fork_barrier);
	pthread_barrier_wait(&fork_barrier);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		fork_pool_child(objs);
	int st = -1;
	waitpid(pid, &st, 0);
	pthread_barrier_wait(&fork_barrier);
	pthread_join(worker, NULL);
	for (int i = 0; i < FORK_OBJS; i++)
		mmpool_free(fork_pool, objs[i]);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	   "pool: a fork child's thread keeps its cache while the child's threads make theirs");
	ok(mmpool_destroy(fork_pool) == 0, "pool: the parent's pool is whole after the fork");
}

int main(void)
{
	test_basic();
	test_ctor();
	test_big_objects();
	test_arena();
	test_stress();
	test_thread_exit_late();
	test_thread_exit_last_round();
	test_fork_caches();
	expect_abort(double_free, NULL, "mmpool: pool 'dentry': free of 0x", "pool check: double free aborts");
	expect_abort(foreign_free, NULL, "pool 'inode'", "pool check: foreign pointer aborts");
	expect_abort(other_pool_free, NULL, "belongs to pool files", "pool check: other pool's object");
	expect_abort(inner_free, NULL, "not at the start", "pool check: pointer inside an object");
	test_align();                                  /* last: it silences stderr */
	return tap_done();
}
