/* Deliberate bugs with libmmalloc's blocks, for memcheck to report (linked with the valgrind
 * build, libmmalloc-vg.a, so that malloc here is ours; valgrind runs with
 * --soname-synonyms=somalloc=nouserintercepts so that it leaves it ours): tests/alloc/run runs
 * `vg_malloc_bugs BUG` under valgrind and expects memcheck's error for BUG, and
 * `vg_malloc_bugs clean` (the same blocks used correctly) to be clean. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The compiler must not see through the bugs. */
static void *volatile hidden;
static void *volatile kept;

static void *hide(void *p)
{
	hidden = p;
	return hidden;
}

static int use_after_free(void)
{
	char *p = hide(malloc(40));
	p[0] = 1;
	free(hide(p));
	return p[0];                                 /* read of a freed block */
}

static int overflow(void)
{
	char *p = hide(malloc(32));
	memset(p, 0, 32);
	p[32] = 1;                                   /* into the next block, which is free */
	free(hide(p));
	return 0;
}

static int leak(void)
{
	kept = malloc(48);                           /* the page's first block: its page points at it */
	char *p = hide(malloc(48));
	p[0] = 2;
	hidden = NULL;                               /* the only pointer to it is gone */
	return 0;
}

/* The thread's growing block (a span of its heap's, which keeps its key, not its address). */
static int leak_growing(void)
{
	kept = malloc(100000);                       /* the region's first span: its base points at it */
	char *p = hide(realloc(hide(malloc(16)), 40));
	p[0] = 2;
	hidden = NULL;
	return 0;
}

static int double_free(void)
{
	void *p = hide(malloc(64));
	free(hide(p));
	free(hide(p));                               /* memcheck reports it, then mmalloc aborts */
	return 0;
}

static int uninitialised(void)
{
	long *p = hide(malloc(64));
	if (p[3] == 42)                              /* never written */
		puts("42");
	free(p);
	return 0;
}

static int realloc_stale(void)
{
	char *p = hide(malloc(32));
	memset(p, 3, 32);
	char *q = realloc(hide(p), 4000);            /* another size class: moved */
	int r = p[0];                                /* the old block, freed by realloc */
	free(q);
	return r;
}

static int large_after_free(void)
{
	char *p = hide(malloc(300000));              /* a span */
	memset(p, 1, 300000);
	free(hide(p));
	return p[299999];
}

/* Everything above, done right: memcheck must stay silent. */
static int clean(void)
{
	char *p[200];
	for (int i = 0; i < 200; i++) {
		p[i] = malloc((size_t)i * 37 + 1);
		memset(p[i], i, (size_t)i * 37 + 1);
	}
	int sum = 0;
	for (int i = 0; i < 200; i++) {
		p[i] = realloc(p[i], (size_t)i * 91 + 1);  /* in place or moved: contents kept */
		sum += p[i][0] == (char)i;
		free(p[i]);
	}
	void *a = NULL;
	if (posix_memalign(&a, 256, 100) == 0) {
		memset(a, 0, 100);
		free(a);
	}
	char *big = malloc(300000), *c = calloc(100, 3);
	memset(big, 1, 300000);
	big = realloc(big, 900000);
	sum += big[299999] + c[299];
	free(big);
	free(c);
	return sum == 201 ? 0 : 1;
}

static const struct {
	const char *name;
	int (*fn)(void);
} bugs[] = {
	{ "use-after-free", use_after_free }, { "overflow", overflow }, { "leak", leak },
	{ "leak-growing", leak_growing }, { "double-free", double_free }, { "uninitialised", uninitialised },
	{ "realloc-stale", realloc_stale }, { "large-after-free", large_after_free },
	{ "clean", clean },
};

int main(int argc, char **argv)
{
	for (size_t i = 0; argc == 2 && i < sizeof(bugs) / sizeof(bugs[0]); i++)
		if (!strcmp(argv[1], bugs[i].name))
			return bugs[i].fn();
	fprintf(stderr, "usage: vg_malloc_bugs use-after-free|overflow|leak|leak-growing|double-free|uninitialised|"
			"realloc-stale|large-after-free|clean\n");
	return 2;
}
