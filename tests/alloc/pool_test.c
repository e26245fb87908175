/* libmmpool tests: pools, constructors, shrink, destroy reports, statistics, the arena, the
 * checking mode's aborts, and a cross-thread stress that verifies every object's contents. */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
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
	static const size_t huge[][2] = {               /* size, align */
		{ SIZE_MAX, 0 }, { SIZE_MAX - 14, 16 }, { SIZE_MAX - 4094, 4096 },
		{ (SIZE_MAX >> 1) + 2, (SIZE_MAX >> 1) + 1 }, { SIZE_MAX >> 1, 0 }, { (size_t)1 << 40, 0 },
	};
	bool refused = true;
	for (size_t i = 0; i < sizeof(huge) / sizeof(huge[0]); i++) {
		errno = 0;
		refused &= mmpool_create("huge", huge[i][0], huge[i][1], 0) == NULL && errno == EINVAL;
	}
	ok(refused, "pool: sizes whose stride wraps or outgrows a slab refused with EINVAL");
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

/* A program's fork handler that uses a pool, registered before the program made its first
 * pool: prepare handlers run newest first, so libmmpool's (registered at load) must not hold
 * the pool's locks yet when the program's runs. They used to be registered with the first pool,
 * after the program's, and the fork hung. In a child of its own, made before any pool of this
 * process exists; the child's alarm turns a hang into a failure. */
#define FORK_HANDLER_SECONDS 20

static mmpool_t *prepare_pool;
static void *prepare_obj;

static void prepare_uses_pool(void)
{
	prepare_obj = mmpool_alloc(prepare_pool);     /* no cache yet: the slow path's locks */
}

static void test_fork_handler_uses_pool(void)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		alarm(FORK_HANDLER_SECONDS);
		pthread_atfork(prepare_uses_pool, NULL, NULL);
		prepare_pool = mmpool_create("prepare", 32, 0, 0);
		pid_t g = fork();
		if (g == 0)
			_exit(prepare_obj ? 0 : 1);
		int st = -1;
		waitpid(g, &st, 0);
		_exit(prepare_obj && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : 1);
	}
	int st = -1;
	waitpid(pid, &st, 0);
	ok(WIFEXITED(st) && WEXITSTATUS(st) == 0,
	   "pool: a program's fork handler registered before its first pool may use pools");
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

/* Exit status bits of the child: the worker's cache was not given back, an object was lost. */
#define FORK_KEPT_CACHE 2
#define FORK_BAD        1

static _Noreturn void fork_pool_child(void **objs, const struct mmpool_stats *before_worker,
				      const struct mmpool_stats *at_fork)
{
	struct mmpool_stats st;
	mmpool_get_stats(fork_pool, &st);
	bool given_back = st.objs_cached == before_worker->objs_cached &&
			  st.allocs == at_fork->allocs && st.frees == at_fork->frees;
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
	good &= mmpool_destroy(fork_pool) == 0;
	_exit((given_back ? 0 : FORK_KEPT_CACHE) | (good ? 0 : FORK_BAD));
}

static void test_fork_caches(void)
{
	void *objs[FORK_OBJS];
	pthread_t worker;
	struct mmpool_stats before_worker, at_fork;
	fork_pool = mmpool_create("fork", 40, 0, 0);
	for (int i = 0; i < FORK_OBJS; i++)
		if ((objs[i] = mmpool_alloc(fork_pool)))
			fill(objs[i], 40, (unsigned)i);
	mmpool_get_stats(fork_pool, &before_worker);
	pthread_barrier_init(&fork_barrier, NULL, 2);
	pthread_create(&worker, NULL, fork_pool_user, &fork_barrier);
	pthread_barrier_wait(&fork_barrier);
	mmpool_get_stats(fork_pool, &at_fork);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		fork_pool_child(objs, &before_worker, &at_fork);
	int st = -1;
	waitpid(pid, &st, 0);
	pthread_barrier_wait(&fork_barrier);
	pthread_join(worker, NULL);
	for (int i = 0; i < FORK_OBJS; i++)
		mmpool_free(fork_pool, objs[i]);
	ok(WIFEXITED(st) && !(WEXITSTATUS(st) & FORK_BAD),
	   "pool: a fork child's thread keeps its cache while the child's threads make theirs");
	ok(at_fork.objs_cached > before_worker.objs_cached && WIFEXITED(st) &&
	   !(WEXITSTATUS(st) & FORK_KEPT_CACHE),
	   "pool: a fork child gives the parent's other threads' caches back, counts kept");
	ok(mmpool_destroy(fork_pool) == 0, "pool: the parent's pool is whole after the fork");
}

/* A thread runs a slab's constructor (it waits on a barrier in the first one) while the main
 * thread forks: the child must get objects of that pool. A pool lock held by the constructing
 * thread would stay locked in the child forever; the child's alarm turns that into a failure. */
#define CHILD_SECONDS 20

static mmpool_t *ctor_pool;
static atomic_bool ctor_waited;
static pthread_barrier_t ctor_barrier;

static void waiting_ctor(void *obj)
{
	if (!atomic_exchange(&ctor_waited, true)) {
		pthread_barrier_wait(&ctor_barrier);     /* in the constructor */
		pthread_barrier_wait(&ctor_barrier);     /* the main thread forked */
	}
	memset(obj, 0x5a, 32);
}

static void *ctor_user(void *arg)
{
	(void)arg;
	mmpool_free(ctor_pool, mmpool_alloc(ctor_pool));
	return NULL;
}

/* Exit status of a fork child that checks an object of the pool: 0 when constructed. */
static _Noreturn void child_alloc(mmpool_t *pool)
{
	alarm(CHILD_SECONDS);
	unsigned char *o = mmpool_alloc(pool);
	bool good = o && o[0] == 0x5a && o[31] == 0x5a;
	mmpool_free(pool, o);
	_exit(good && mmpool_destroy(pool) == 0 ? 0 : 1);
}

static bool child_passed(pid_t pid)
{
	int st = -1;
	return pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static void test_fork_in_ctor(void)
{
	pthread_t t;
	ctor_pool = mmpool_create_ctor("ctor-fork", 32, 0, 0, waiting_ctor);
	pthread_barrier_init(&ctor_barrier, NULL, 2);
	pthread_create(&t, NULL, ctor_user, NULL);
	pthread_barrier_wait(&ctor_barrier);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		child_alloc(ctor_pool);
	pthread_barrier_wait(&ctor_barrier);
	pthread_join(t, NULL);
	ok(child_passed(pid), "pool: a fork while another thread runs a constructor: the child allocates from the pool");
	ok(mmpool_destroy(ctor_pool) == 0, "pool: the constructor's pool is whole in the parent");
}

/* A constructor that forks, and one that uses another pool: neither runs under a pool lock. */
static mmpool_t *inner_pool;
static atomic_int ctor_child;

static void forking_ctor(void *obj)
{
	memset(obj, 0x5a, 32);
	void *inner = mmpool_alloc(inner_pool);
	mmpool_free(inner_pool, inner);
	if (atomic_load(&ctor_child) == 0) {
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0)
			child_alloc(inner_pool);
		atomic_store(&ctor_child, child_passed(pid) ? 1 : -1);
	}
}

static void test_ctor_forks(void)
{
	inner_pool = mmpool_create_ctor("inner", 32, 0, 0, waiting_ctor);
	mmpool_t *p = mmpool_create_ctor("forking-ctor", 32, 0, 0, forking_ctor);
	unsigned char *o = mmpool_alloc(p);
	ok(o && o[31] == 0x5a && atomic_load(&ctor_child) == 1,
	   "pool: a constructor may fork and use another pool");
	mmpool_free(p, o);
	ok(mmpool_destroy(p) == 0 && mmpool_destroy(inner_pool) == 0,
	   "pool: both pools whole after the constructor's fork");
}

/* Forks while two threads churn a pool through its slow paths (caches filling and emptying,
 * magazines to and from the depot, new slabs): each child gives the other threads' caches back
 * and must then hand out distinct objects, never one twice, and destroy its copy sanely. */
#define CHURN_THREADS 2
#define CHURN_HELD    300                           /* objects a churning thread holds at most */
#define CHURN_FORKS   40
#define CHURN_CHILD   3000                          /* objects a child allocates and checks */

static mmpool_t *churn_pool;
static atomic_bool churn_stop;
static atomic_uint churn_rounds;
static _Atomic int churn_bad;

static void *churn_thread(void *arg)
{
	static void *held[CHURN_THREADS][CHURN_HELD];
	void **h = held[(long)arg];
	for (unsigned round = 0; !atomic_load(&churn_stop); round++) {
		unsigned n = 1 + round % CHURN_HELD;
		for (unsigned i = 0; i < n; i++)
			if ((h[i] = mmpool_alloc(churn_pool)))
				fill(h[i], 48, i);
		for (unsigned i = 0; i < n; i++) {
			if (h[i] && !check_fill(h[i], 48, i))
				churn_bad = 1;
			mmpool_free(churn_pool, h[i]);
		}
		atomic_fetch_add(&churn_rounds, 1);
	}
	return NULL;
}

static _Noreturn void churn_child(void)
{
	static void *objs[CHURN_CHILD];
	alarm(CHILD_SECONDS);
	VALGRIND_CLO_CHANGE("--leak-check=no");      /* the threads' objects in hand leak here */
	bool good = true;
	for (unsigned i = 0; i < CHURN_CHILD; i++)
		if ((objs[i] = mmpool_alloc(churn_pool)))
			fill(objs[i], 48, i);
	for (unsigned i = 0; i < CHURN_CHILD; i++) {
		good &= objs[i] && check_fill(objs[i], 48, i);
		mmpool_free(churn_pool, objs[i]);
	}
	struct mmpool_stats st;
	mmpool_get_stats(churn_pool, &st);
	good &= st.objs_live <= CHURN_THREADS * (CHURN_HELD + 1 + 64) && /* lost here: objects in */
		st.objs_live + st.objs_cached <= st.objs_total; /* hand, a magazine filling */
	if (!good)
		printf("# fork child of churning threads: %zu live, %zu cached, %zu in %zu slabs\n",
		       st.objs_live, st.objs_cached, st.objs_total, st.slabs);
	fflush(stdout);
	_exit(good ? 0 : 1);
}

static void test_fork_churn(void)
{
	pthread_t t[CHURN_THREADS];
	churn_pool = mmpool_create("churn", 48, 0, 0);
	atomic_store(&churn_stop, false);
	for (long i = 0; i < CHURN_THREADS; i++)
		pthread_create(&t[i], NULL, churn_thread, (void *)i);
	int passed = 0;
	for (int i = 0; i < CHURN_FORKS; i++) {
		unsigned r = atomic_load(&churn_rounds);
		while (atomic_load(&churn_rounds) - r < 2 * CHURN_THREADS)
			sched_yield();                   /* the threads are churning */
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0)
			churn_child();
		passed += child_passed(pid);
	}
	atomic_store(&churn_stop, true);
	for (int i = 0; i < CHURN_THREADS; i++)
		pthread_join(t[i], NULL);
	ok(passed == CHURN_FORKS, "pool: fork children of threads churning the pool hand out distinct objects");
	ok(!churn_bad && mmpool_destroy(churn_pool) == 0, "pool: the churned pool is whole in the parent");
}

/* A child made without the fork handlers (_Fork): its thread's caches keep the parent's tid,
 * which is not in the child's thread group. Destroying a pool there must still clear the
 * thread's slot of it (its cache is freed), or the next pool given that slot uses freed memory. */
static _Noreturn void raw_fork_child(mmpool_t *p)
{
	alarm(CHILD_SECONDS);
	mmpool_free(p, mmpool_alloc(p));
	bool good = mmpool_destroy(p) == 0;
	mmpool_t *q = mmpool_create("raw-fork-next", 24, 0, 0);   /* p's slot, free again */
	void *objs[3 * 64];
	for (int i = 0; i < 3 * 64; i++)
		if ((objs[i] = mmpool_alloc(q)))
			fill(objs[i], 24, (unsigned)i);
	for (int i = 0; i < 3 * 64; i++) {
		good &= objs[i] && check_fill(objs[i], 24, (unsigned)i);
		mmpool_free(q, objs[i]);
	}
	good &= mmpool_destroy(q) == 0;
	_exit(good ? 0 : 1);
}

static void test_raw_fork_destroy(void)
{
	mmpool_t *p = mmpool_create("raw-fork", 24, 0, 0);
	mmpool_free(p, mmpool_alloc(p));                 /* this thread's cache */
	fflush(stdout);
	pid_t pid = _Fork();
	if (pid == 0)
		raw_fork_child(p);
	ok(child_passed(pid), "pool: destroy in a child made without the fork handlers clears its thread's slot");
	ok(mmpool_destroy(p) == 0, "pool: the parent's pool is whole after the _Fork child");
}

int main(void)
{
	test_fork_handler_uses_pool();                 /* first: before any pool exists */
	test_basic();
	test_ctor();
	test_big_objects();
	test_arena();
	test_stress();
	test_thread_exit_late();
	test_thread_exit_last_round();
	test_fork_caches();
	test_fork_in_ctor();
	test_ctor_forks();
	test_fork_churn();
	test_raw_fork_destroy();
	expect_abort(double_free, NULL, "mmpool: pool 'dentry': free of 0x", "pool check: double free aborts");
	expect_abort(foreign_free, NULL, "pool 'inode'", "pool check: foreign pointer aborts");
	expect_abort(other_pool_free, NULL, "belongs to pool files", "pool check: other pool's object");
	expect_abort(inner_free, NULL, "not at the start", "pool check: pointer inside an object");
	test_align();                                  /* last: it silences stderr */
	return tap_done();
}
