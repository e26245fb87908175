/* Unit tests of vmalloc: the region, first fit with guard pages, the free tree's merges, scattered pages, vfree, vmap,
 * VmallocUsed and /proc/vmallocinfo. */
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
#include <mmlab/vmalloc.h>

#include "machine_fixture.h"

static struct machine *boot(enum mm_arch arch)
{
	struct machine *m = test_boot(arch, 64ULL << 20, 1, 1);

	m->current_site = "v.mm:3";
	return m;
}

static void test_first_fit_and_guard(void **state)
{
	(void)state;
	struct machine *m = boot(ARCH_X86_64);
	unsigned long a = vmalloc(m, 5000), b = vmalloc(m, 4096), c;

	assert_int_equal(a, 0xffffc90000000000UL);
	assert_int_equal(b, a + 3 * PAGE_SIZE);	/* two pages and a guard page */
	assert_int_equal(vmalloc_nr_pages(m), 3);
	assert_non_null(vmalloc_to_page(m, a + 4096));
	assert_null(vmalloc_to_page(m, a + 2 * 4096));	/* the guard */
	vfree(m, a);
	c = vmalloc(m, 8192);
	assert_int_equal(c, a);			/* the hole is reused */
	vfree(m, b);
	vfree(m, c);
	assert_int_equal(vmalloc_nr_pages(m), 0);
	assert_machine_ok(m);
	machine_destroy(m);
}

/* The free tree: freed areas merge with the free ranges before, after, and on both sides of them;
 * the lowest range that fits is taken, whole or from its left. */
static void test_free_ranges_merge(void **state)
{
	(void)state;
	struct machine *m = boot(ARCH_X86_64);
	const unsigned long area = 2 * PAGE_SIZE;	/* one page and its guard */
	unsigned long a[16], start = vmalloc_start(m), v, w, x, y;

	for (int i = 0; i < 16; i++)
		assert_int_equal(a[i] = vmalloc(m, PAGE_SIZE), start + (unsigned long)i * area);
	vfree(m, a[3]);
	vfree(m, a[5]);
	y = vmalloc(m, 2 * PAGE_SIZE);		/* 3 pages: no 2-page hole holds it */
	assert_int_equal(y, start + 16 * area);
	vfree(m, a[4]);				/* joins both neighbours: 6 pages free at a[3] */
	w = vmalloc(m, 2 * PAGE_SIZE);
	x = vmalloc(m, PAGE_SIZE);
	assert_int_equal(w, a[3]);
	assert_int_equal(x, a[3] + 3 * PAGE_SIZE);
	vfree(m, a[7]);
	vfree(m, a[8]);				/* joins the range before it */
	vfree(m, a[6]);				/* joins the range after it */
	v = vmalloc(m, 5 * PAGE_SIZE);		/* 6 of the 7 pages from the one left after x */
	assert_int_equal(v, a[6] - PAGE_SIZE);
	vfree(m, v);
	vfree(m, w);
	vfree(m, x);
	vfree(m, y);
	for (int i = 0; i < 16; i++)
		if (i < 3 || i > 8)
			vfree(m, a[i]);
	v = vmalloc(m, 40 * PAGE_SIZE);		/* everything merged back into one range */
	assert_int_equal(v, start);
	vfree(m, v);
	assert_int_equal(vmalloc_nr_pages(m), 0);
	assert_machine_ok(m);
	machine_destroy(m);
}

/* A page array above a page is vmalloc'ed itself, right after its area, and freed with it. */
static void test_nested_page_array(void **state)
{
	(void)state;
	struct machine *m = boot(ARCH_X86_64);
	unsigned long v = vmalloc(m, 4UL << 20), start = vmalloc_start(m);
	struct seq_file s;

	assert_int_equal(v, start);
	assert_int_equal(vmalloc_nr_pages(m), 1024 + 2);	/* 1024 pointers of 8 bytes: two pages */
	seq_init(&s);
	vmalloc_info_show(m, &s);
	assert_non_null(strstr(s.buf, "0xffffc90000401000-0xffffc90000404000   12288 v.mm:3 pages=2 vmalloc N0=2\n"));
	seq_release(&s);
	vfree(m, v);
	assert_int_equal(vmalloc_nr_pages(m), 0);
	v = vmalloc(m, 2 * PAGE_SIZE);
	assert_int_equal(v, start);
	vfree(m, v);
	assert_machine_ok(m);
	machine_destroy(m);
}

/* Page by page: the pages need not be contiguous, the bytes are real. */
static void test_pages_and_bytes(void **state)
{
	(void)state;
	struct machine *m = boot(ARCH_X86_64);
	unsigned long v = vzalloc(m, 64 * PAGE_SIZE);
	struct seq_file s;

	for (unsigned long off = 0; off < 64 * PAGE_SIZE; off += PAGE_SIZE) {
		unsigned char *p = kmap_local_page(m, vmalloc_to_page(m, v + off));
		assert_int_equal(p[0], 0);
		p[0] = (unsigned char)(off >> PAGE_SHIFT);
	}
	seq_init(&s);
	vmalloc_info_show(m, &s);
	assert_non_null(strstr(s.buf, "0xffffc90000000000-0xffffc90000041000  266240 v.mm:3 pages=64 vmalloc N0=64\n"));
	seq_release(&s);
	vfree(m, v);
	assert_machine_ok(m);
	machine_destroy(m);
}

static void test_vmap_and_bad_vfree(void **state)
{
	(void)state;
	struct machine *m = boot(ARCH_X86_64);
	struct page *pages[2] = { alloc_pages(m, GFP_KERNEL, 0), alloc_pages(m, GFP_KERNEL, 0) };
	unsigned long v = vmap(m, pages, 2);

	assert_ptr_equal(vmalloc_to_page(m, v + PAGE_SIZE), pages[1]);
	vfree(m, v + 16);
	assert_non_null(strstr(m->log.buf, "Trying to vfree() nonexistent vm area"));
	vunmap(m, v);
	__free_pages(m, pages[0], 0);
	__free_pages(m, pages[1], 0);
	assert_machine_ok(m);
	machine_destroy(m);
}

/* i386: above high_memory plus the 8 MiB gap; HighMem pages are fine. */
static void test_i386_region(void **state)
{
	(void)state;
	struct machine *m = boot(ARCH_I386);
	unsigned long v = vmalloc(m, 1 << 20);

	assert_int_equal(vmalloc_start(m), 0xc0000000UL + (64UL << 20) + (8UL << 20));
	assert_int_equal(v, vmalloc_start(m));
	assert_true(is_vmalloc_addr(m, v));
	vfree(m, v);
	assert_machine_ok(m);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_fit_and_guard),
		cmocka_unit_test(test_free_ranges_merge),
		cmocka_unit_test(test_nested_page_array),
		cmocka_unit_test(test_pages_and_bytes),
		cmocka_unit_test(test_vmap_and_bad_vfree),
		cmocka_unit_test(test_i386_region),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
