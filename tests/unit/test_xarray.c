/* Unit tests of the page cache's index (lib/xarray.c): stores, loads, value entries, iteration in
 * index order, growth and shrinking of the tree, against a plain array as the model. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <mmlab/xarray.h>

static int objs[8];

static void test_store_load_erase(void **state)
{
	struct xarray xa = XARRAY_INIT;
	void *old = &objs[0];

	(void)state;
	assert_true(xa_empty(&xa));
	assert_int_equal(xa_store(&xa, 0, &objs[1], &old), 0);
	assert_null(old);
	assert_int_equal(xa.xa_height, 0);
	assert_int_equal(xa_store(&xa, 5000, &objs[2], &old), 0);
	assert_int_equal(xa.xa_height, 3);	/* 5000 needs 64^2 < 5001 <= 64^3 */
	assert_ptr_equal(xa_load(&xa, 0), &objs[1]);
	assert_ptr_equal(xa_load(&xa, 5000), &objs[2]);
	assert_null(xa_load(&xa, 4999));
	assert_null(xa_load(&xa, 1UL << 40));
	assert_int_equal(xa_store(&xa, 5000, &objs[3], &old), 0);
	assert_ptr_equal(old, &objs[2]);
	assert_ptr_equal(xa_erase(&xa, 5000), &objs[3]);
	/* only index 0 is left: the tree shrinks back to the head */
	assert_int_equal(xa.xa_height, 0);
	assert_int_equal(xa.xa_nodes, 0);
	assert_ptr_equal(xa_erase(&xa, 0), &objs[1]);
	assert_true(xa_empty(&xa));
}

static void test_value_entries(void **state)
{
	struct xarray xa = XARRAY_INIT;
	void *old;

	(void)state;
	assert_int_equal(xa_store(&xa, 77, xa_mk_value(123456), &old), 0);
	assert_true(xa_is_value(xa_load(&xa, 77)));
	assert_int_equal(xa_to_value(xa_load(&xa, 77)), 123456);
	assert_false(xa_is_value(&objs[0]));
	/* a page replacing the shadow hands the shadow back */
	assert_int_equal(xa_store(&xa, 77, &objs[0], &old), 0);
	assert_true(xa_is_value(old));
	assert_int_equal(xa_to_value(old), 123456);
	xa_destroy(&xa);
	assert_int_equal(xa.xa_nodes, 0);
}

/* Random stores and erases against an array; then iteration finds exactly the array's entries. */
static void test_against_model(void **state)
{
	enum { N = 3000 };
	static void *model[N];
	struct xarray xa = XARRAY_INIT;
	uint64_t rng = 12345;
	unsigned long index, count = 0, seen = 0, last = 0;
	void *entry, *old;

	(void)state;
	for (int i = 0; i < 20000; i++) {
		rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
		unsigned long idx = (rng >> 33) % N;
		void *e = (rng >> 20) & 3 ? (void *)&objs[(rng >> 40) % 8] : NULL;

		assert_int_equal(xa_store(&xa, idx, e, &old), 0);
		assert_ptr_equal(old, model[idx]);
		model[idx] = e;
	}
	for (unsigned long i = 0; i < N; i++) {
		assert_ptr_equal(xa_load(&xa, i), model[i]);
		count += model[i] != NULL;
	}
	xa_for_each(&xa, index, entry) {
		assert_true(seen == 0 || index > last);
		assert_ptr_equal(entry, model[index]);
		last = index;
		seen++;
	}
	assert_int_equal(seen, count);
	/* a bounded range */
	seen = 0;
	xa_for_each_range(&xa, index, entry, 100, 199)
		seen++;
	count = 0;
	for (int i = 100; i < 200; i++)
		count += model[i] != NULL;
	assert_int_equal(seen, count);
	for (unsigned long i = 0; i < N; i++)
		xa_erase(&xa, i);
	assert_true(xa_empty(&xa));
	assert_int_equal(xa.xa_nodes, 0);
}

static void test_huge_index(void **state)
{
	struct xarray xa = XARRAY_INIT;
	unsigned long index = 1;
	void *old;

	(void)state;
	assert_int_equal(xa_store(&xa, ~0UL, &objs[4], &old), 0);
	assert_ptr_equal(xa_load(&xa, ~0UL), &objs[4]);
	assert_ptr_equal(xa_find(&xa, &index, ~0UL), &objs[4]);
	assert_true(index == ~0UL);
	xa_erase(&xa, ~0UL);
	assert_true(xa_empty(&xa));
	assert_int_equal(xa.xa_nodes, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_store_load_erase),
		cmocka_unit_test(test_value_entries),
		cmocka_unit_test(test_against_model),
		cmocka_unit_test(test_huge_index),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
