/* Unit tests of slub_debug: every detection fires on the damage it guards against, and stays quiet
 * on correct use; the machine's invariants hold after each report. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <mmlab/gfp.h>
#include <mmlab/machine.h>
#include <mmlab/seq_file.h>
#include <mmlab/slab.h>

#include "mm/slab.h"
#include "machine_fixture.h"

struct fixture {
	struct machine *m;
	size_t logged;		/* log length before the damage */
};

static int setup(void **state)
{
	static struct fixture f;
	struct machine_config cfg;
	char err[256];

	machine_config_default(&cfg);
	cfg.ram = 64ULL << 20;
	f.m = machine_boot(&cfg, NULL, err, sizeof(err));
	if (!f.m || slub_debug_setup(f.m, "FZPU,kmalloc-*,foo"))
		return -1;
	f.m->current_site = "lesson.mm:7";
	f.logged = f.m->log.len;
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	machine_destroy(f->m);
	return 0;
}

static const char *new_log(struct fixture *f)
{
	const char *s = f->m->log.buf ? f->m->log.buf + f->logged : "";

	f->logged = f->m->log.len;
	return s;
}

static void assert_quiet(struct fixture *f)
{
	const char *log = new_log(f);

	if (strstr(log, "BUG") || strstr(log, "WARNING"))
		print_message("%s", log);
	assert_null(strstr(log, "BUG"));
	assert_null(strstr(log, "WARNING"));
}

static unsigned char *bytes(struct fixture *f, unsigned long addr)
{
	return slab_bytes(f->m, addr);
}

/* Correct use: allocate, fill every requested byte, free, allocate again, validate: no report. */
static void test_correct_use_is_quiet(void **state)
{
	struct fixture *f = *state;
	unsigned long p[40];

	for (int i = 0; i < 40; i++) {
		p[i] = kmalloc(f->m, 1 + (size_t)i * 13, GFP_KERNEL);
		memset(bytes(f, p[i]), 0x33, 1 + (size_t)i * 13);
	}
	for (int i = 0; i < 40; i += 2)
		kfree(f->m, p[i]);
	for (int i = 0; i < 40; i += 2)
		p[i] = kzalloc(f->m, 100, GFP_KERNEL);
	for (int i = 0; i < 40; i++)
		kfree(f->m, p[i]);
	struct kmem_cache *s = NULL;
	while ((s = kmem_cache_next(f->m, s)))
		assert_int_equal(validate_slab_cache(f->m, s), 0);
	assert_quiet(f);
	assert_machine_ok(f->m);
}

/* A debug cache's layout: poison and red zones in place, the free pointer outside the object. */
static void test_layout_and_poison(void **state)
{
	struct fixture *f = *state;
	struct kmem_cache *s = kmalloc_slab(f->m, 64, GFP_KERNEL);
	unsigned long p = kmalloc(f->m, 64, GFP_KERNEL);

	assert_true(s->offset >= s->inuse);
	assert_int_equal(bytes(f, p)[-1], 0xcc);
	assert_int_equal(bytes(f, p)[0], 0x6b);
	assert_int_equal(bytes(f, p)[63], 0xa5);
	assert_int_equal(bytes(f, p)[64], 0xcc);
	kfree(f->m, p);
	assert_int_equal(bytes(f, p)[-1], 0xbb);
	assert_int_equal(bytes(f, p)[64], 0xbb);
	assert_quiet(f);
}

static void test_right_redzone(void **state)
{
	struct fixture *f = *state;
	unsigned long p = kmalloc(f->m, 64, GFP_KERNEL);
	struct slab *slab = virt_to_slab(f->m, p);
	unsigned int inuse = slab->inuse;

	bytes(f, p)[64] = 0x41;
	kfree(f->m, p);
	const char *log = new_log(f);
	assert_non_null(strstr(log, "BUG kmalloc-64 (Not tainted): Right Redzone overwritten"));
	assert_non_null(strstr(log, "First byte 0x41 instead of 0xcc"));
	assert_non_null(strstr(log, "Allocated in lesson.mm:7 age=0 cpu=0 pid=1"));
	assert_non_null(strstr(log, "FIX kmalloc-64: Restoring Right Redzone"));
	assert_non_null(strstr(log, "not freed"));
	assert_int_equal(slab->inuse, inuse);	/* the object was not freed */
	assert_int_equal(bytes(f, p)[64], 0xcc);	/* restored */
	kfree(f->m, p);
	assert_quiet(f);
	assert_machine_ok(f->m);
}

static void test_left_redzone(void **state)
{
	struct fixture *f = *state;
	unsigned long p = kmalloc(f->m, 32, GFP_KERNEL);

	bytes(f, p)[-3] = 0;
	kfree(f->m, p);
	assert_non_null(strstr(new_log(f), "BUG kmalloc-32 (Tainted: G    B             ): Left Redzone overwritten"));
	kfree(f->m, p);
	assert_quiet(f);
}

/* kmalloc(60) from kmalloc-64: bytes 60..63 are guarded until ksize says they may be used. */
static void test_kmalloc_redzone(void **state)
{
	struct fixture *f = *state;
	unsigned long p = kmalloc(f->m, 60, GFP_KERNEL);

	bytes(f, p)[61] = 1;
	kfree(f->m, p);
	assert_non_null(strstr(new_log(f), "kmalloc Redzone overwritten"));
	kfree(f->m, p);
	p = kmalloc(f->m, 60, GFP_KERNEL);
	assert_int_equal(ksize(f->m, p), 64);
	memset(bytes(f, p), 0, 64);
	kfree(f->m, p);
	assert_quiet(f);
}

/* A write to a freed object is found when the object is handed out again. */
static void test_use_after_free(void **state)
{
	struct fixture *f = *state;
	unsigned long p = kmalloc(f->m, 128, GFP_KERNEL), keep = kmalloc(f->m, 128, GFP_KERNEL);

	kfree(f->m, p);
	bytes(f, p)[10] = 0;
	unsigned long q = kmalloc(f->m, 128, GFP_KERNEL);
	const char *log = new_log(f);
	assert_non_null(strstr(log, "BUG kmalloc-128 (Tainted: G    B             ): Poison overwritten"));
	assert_non_null(strstr(log, "First byte 0x0 instead of 0x6b"));
	assert_non_null(strstr(log, "Freed in lesson.mm:7"));
	assert_non_null(strstr(log, "FIX kmalloc-128: Marking all objects used"));
	assert_true(q && q != p);
	assert_ptr_not_equal(virt_to_slab(f->m, q), virt_to_slab(f->m, p));
	kfree(f->m, q);
	kfree(f->m, keep);
	assert_quiet(f);
	assert_machine_ok(f->m);
}

static void test_double_free(void **state)
{
	struct fixture *f = *state;
	unsigned long p = kmalloc(f->m, 200, GFP_KERNEL);

	kfree(f->m, p);
	assert_quiet(f);
	kfree(f->m, p);
	const char *log = new_log(f);
	assert_non_null(strstr(log, "Object already free"));
	assert_non_null(strstr(log, "Freed in lesson.mm:7"));
	assert_machine_ok(f->m);
}

static void test_invalid_pointer(void **state)
{
	struct fixture *f = *state;
	unsigned long p = kmalloc(f->m, 256, GFP_KERNEL);

	kfree(f->m, p + 8);
	assert_non_null(strstr(new_log(f), "Invalid object pointer 0x"));
	kfree(f->m, p);
	assert_quiet(f);
	assert_machine_ok(f->m);
}

static void test_wrong_cache(void **state)
{
	struct fixture *f = *state;
	struct kmem_cache *foo = kmem_cache_create(f->m, "foo", 64, 0, 0);
	unsigned long p = kmalloc(f->m, 64, GFP_KERNEL), o = kmem_cache_alloc(f->m, foo, GFP_KERNEL);

	kmem_cache_free(f->m, foo, p);
	assert_non_null(strstr(new_log(f), "kmem_cache_free: Wrong slab cache. foo but object is from kmalloc-64"));
	kmem_cache_free(f->m, foo, o);
	assert_quiet(f);
	assert_int_equal(kmem_cache_destroy(f->m, foo), 0);
	assert_machine_ok(f->m);
}

/* Without slub_debug the same damage goes unseen, as in the kernel. */
static void test_no_debug_no_report(void **state)
{
	struct fixture *f = *state;
	struct kmem_cache *bar = kmem_cache_create(f->m, "bar", 64, 0, 0);
	unsigned long a = kmem_cache_alloc(f->m, bar, GFP_KERNEL), b = kmem_cache_alloc(f->m, bar, GFP_KERNEL);

	assert_int_equal(kmem_cache_flags(bar) & SLAB_DEBUG_FLAGS, 0);
	assert_int_equal(b, a + 64);
	bytes(f, a)[64] = 0x41;	/* into b */
	kmem_cache_free(f->m, bar, a);
	kmem_cache_free(f->m, bar, b);
	assert_quiet(f);
	assert_int_equal(kmem_cache_destroy(f->m, bar), 0);
	assert_machine_ok(f->m);
}

/* The sysfs switches: only while the cache holds no slab. */
static void test_set_debug(void **state)
{
	struct fixture *f = *state;
	struct kmem_cache *baz = kmem_cache_create(f->m, "baz", 40, 0, 0);
	unsigned long o;

	assert_int_equal(kmem_cache_set_debug(f->m, baz, SLAB_RED_ZONE | SLAB_CONSISTENCY_CHECKS, true), 0);
	assert_true(kmem_cache_size(baz) > 40);
	o = kmem_cache_alloc(f->m, baz, GFP_KERNEL);
	assert_int_equal(kmem_cache_set_debug(f->m, baz, SLAB_POISON, true), -EBUSY);
	bytes(f, o)[40] = 0;
	kmem_cache_free(f->m, baz, o);
	assert_non_null(strstr(new_log(f), "BUG baz"));
	kmem_cache_free(f->m, baz, o);
	assert_int_equal(kmem_cache_destroy(f->m, baz), 0);
	assert_quiet(f);
}

/* SLAB_TRACE (slub_debug=T): a TRACE line per alloc and free of that cache alone, the slab's in-use
 * count and freelist after the alloc or before the free, the freed object's bytes. */
static void test_trace(void **state)
{
	struct fixture *f = *state;
	struct kmem_cache *t = kmem_cache_create(f->m, "traced", 24, 0, SLAB_TRACE);
	struct kmem_cache *q = kmem_cache_create(f->m, "quiet", 24, 0, 0);
	unsigned long a = kmem_cache_alloc(f->m, t, GFP_KERNEL), b = kmem_cache_alloc(f->m, t, GFP_KERNEL);
	unsigned long o = kmem_cache_alloc(f->m, q, GFP_KERNEL);
	char line[160];
	const char *log;

	kmem_cache_free(f->m, q, o);
	memcpy(bytes(f, a), "AAAA", 4);
	kmem_cache_free(f->m, t, a);
	log = new_log(f);
	snprintf(line, sizeof(line), "TRACE traced alloc 0x%lx inuse=1 fp=0x%lx\n", a, b);
	assert_non_null(strstr(log, line));
	snprintf(line, sizeof(line), "TRACE traced alloc 0x%lx inuse=2 fp=0x%lx\n", b, b + 24);
	assert_non_null(strstr(log, line));
	snprintf(line, sizeof(line), "TRACE traced free 0x%lx inuse=2 fp=0x%lx\n", a, b + 24);
	assert_non_null(strstr(log, line));
	snprintf(line, sizeof(line), "Object %lx: 41 41 41 41 ", a);
	assert_non_null(strstr(log, line));
	assert_null(strstr(log, "quiet"));
	assert_null(strstr(log, "BUG"));
	kmem_cache_free(f->m, t, b);
	assert_non_null(strstr(new_log(f), "TRACE traced free"));
	assert_int_equal(kmem_cache_destroy(f->m, t), 0);
	assert_int_equal(kmem_cache_destroy(f->m, q), 0);
	assert_machine_ok(f->m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_correct_use_is_quiet),
		cmocka_unit_test(test_layout_and_poison),
		cmocka_unit_test(test_right_redzone),
		cmocka_unit_test(test_left_redzone),
		cmocka_unit_test(test_kmalloc_redzone),
		cmocka_unit_test(test_use_after_free),
		cmocka_unit_test(test_double_free),
		cmocka_unit_test(test_invalid_pointer),
		cmocka_unit_test(test_wrong_cache),
		cmocka_unit_test(test_no_debug_no_report),
		cmocka_unit_test(test_set_debug),
		cmocka_unit_test(test_trace),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
