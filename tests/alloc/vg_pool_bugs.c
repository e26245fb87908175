/* Deliberate bugs with libmmpool's objects and arena blocks, for memcheck to report (linked with
 * the valgrind build, libmmpool-vg.a): tests/alloc/run runs `vg_pool_bugs BUG` under valgrind
 * and expects memcheck's error for BUG, and `vg_pool_bugs clean` (the same objects used
 * correctly) to be clean. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mmpool.h"

struct obj {
	long key;
	char name[40];
};

/* The compiler must not see through the bugs. */
static void *volatile hidden;

static void *hide(void *p)
{
	hidden = p;
	return hidden;
}

static int use_after_free(mmpool_t *pool)
{
	struct obj *o = hide(mmpool_alloc(pool));
	o->key = 1;
	mmpool_free(pool, o);
	return (int)o->key;                          /* read of a freed object */
}

static int overflow(mmpool_t *pool)
{
	char *o = hide(mmpool_alloc(pool));
	memset(o, 0, sizeof(struct obj));
	o[sizeof(struct obj)] = 1;                   /* into the next object, which is free */
	mmpool_free(pool, o);
	return 0;
}

static int leak(mmpool_t *pool)
{
	struct obj *o = hide(mmpool_alloc(pool));
	o->key = 2;
	hidden = NULL;                               /* the only pointer to it is gone */
	return 0;
}

static int double_free(mmpool_t *pool)
{
	void *o = hide(mmpool_alloc(pool));
	mmpool_free(pool, o);
	mmpool_free(pool, o);                        /* not a checking pool: memcheck's to see */
	return 0;
}

static int uninitialised(mmpool_t *pool)
{
	struct obj *o = hide(mmpool_alloc(pool));
	if (o->key == 42)                            /* the object was never written */
		puts("42");
	mmpool_free(pool, o);
	return 0;
}

static int arena_after_release(mmpool_t *pool)
{
	(void)pool;
	mmarena_t *a = mmarena_create(0);
	mmarena_mark_t m = mmarena_mark(a);
	char *s = hide(mmarena_alloc(a, 32, 0));
	strcpy(s, "scratch");
	mmarena_release(a, m);
	int r = s[0];                                /* released with everything since the mark */
	mmarena_destroy(a);
	return r;
}

static int arena_overflow(mmpool_t *pool)
{
	(void)pool;
	mmarena_t *a = mmarena_create(0);
	char *s = hide(mmarena_alloc(a, 32, 0));
	memset(s, 0, 33);                            /* one byte past the block */
	mmarena_destroy(a);
	return 0;
}

/* Everything above, done right: memcheck must stay silent. */
static void ctor(void *p)
{
	((struct obj *)p)->key = 42;
}

static int clean(mmpool_t *pool)
{
	struct obj *o[100];
	for (int i = 0; i < 100; i++) {
		o[i] = mmpool_alloc(pool);
		memset(o[i], i, sizeof(*o[i]));
	}
	int sum = 0;
	for (int i = 0; i < 100; i++) {
		sum += o[i]->name[39];
		mmpool_free(pool, o[i]);
	}
	mmpool_t *cp = mmpool_create_ctor("constructed", sizeof(struct obj), 0, 0, ctor);
	struct obj *c = mmpool_alloc(cp);
	sum += c->key == 42;                         /* set by the constructor: defined */
	mmpool_free(cp, c);
	mmpool_destroy(cp);
	mmarena_t *a = mmarena_create(4096);
	for (int round = 0; round < 3; round++) {
		mmarena_mark_t m = mmarena_mark(a);
		for (int i = 0; i < 200; i++)
			memset(mmarena_alloc(a, 100, 0), i, 100);
		mmarena_release(a, m);
	}
	mmarena_destroy(a);
	return sum == 100 * 99 / 2 + 1 ? 0 : 1;
}

/* keep: the bug leaves the pool as it is (a leak to find, a corrupted cache): not destroyed */
static const struct {
	const char *name;
	int (*fn)(mmpool_t *pool);
	bool keep;
} bugs[] = {
	{ "use-after-free", use_after_free, false }, { "overflow", overflow, false },
	{ "leak", leak, true }, { "double-free", double_free, true },
	{ "uninitialised", uninitialised, false },
	{ "arena-after-release", arena_after_release, false },
	{ "arena-overflow", arena_overflow, false }, { "clean", clean, false },
};

int main(int argc, char **argv)
{
	mmpool_t *pool = mmpool_create("buggy", sizeof(struct obj), 0, 0);
	for (size_t i = 0; argc == 2 && i < sizeof(bugs) / sizeof(bugs[0]); i++) {
		if (strcmp(argv[1], bugs[i].name))
			continue;
		int r = bugs[i].fn(pool);
		if (!bugs[i].keep)
			mmpool_destroy(pool);
		return r;
	}
	fprintf(stderr, "usage: vg_pool_bugs use-after-free|overflow|leak|double-free|uninitialised|"
			"arena-after-release|arena-overflow|clean\n");
	return 2;
}
