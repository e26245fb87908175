/* libmmpool checking mode: a registry of slab addresses (so that a foreign pointer is rejected
 * without touching it) and a live bit per object (so that a double free is caught). */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include "pool_internal.h"

#define REG_GRAIN_SHIFT 16 /* slabs start on 64 KiB boundaries */
#define REG_LEAF_SHIFT  32 /* a leaf covers 4 GiB */
#define REG_TOP         (1u << (47 - REG_LEAF_SHIFT)) /* user space is 47 bits */
#define REG_LEAF_WORDS  ((1u << (REG_LEAF_SHIFT - REG_GRAIN_SHIFT)) / 64)

/* Two-level bitmap: one bit per 64 KiB granule that starts a slab. */
static _Atomic(_Atomic uint64_t *) registry[REG_TOP];

static _Atomic uint64_t *registry_leaf(uintptr_t a, bool create)
{
	if (a >> 47)
		return NULL;
	_Atomic uint64_t *leaf = atomic_load_explicit(&registry[a >> REG_LEAF_SHIFT],
						      memory_order_acquire);
	if (leaf || !create)
		return leaf;
	leaf = mmap(NULL, REG_LEAF_WORDS * sizeof(uint64_t), PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (leaf == MAP_FAILED)
		return NULL;
	_Atomic uint64_t *old = NULL;                  /* another thread may install one first */
	if (!atomic_compare_exchange_strong(&registry[a >> REG_LEAF_SHIFT], &old, leaf)) {
		munmap(leaf, REG_LEAF_WORDS * sizeof(uint64_t));
		return old;
	}
	return leaf;
}

static uint64_t registry_bit(uintptr_t a, size_t *word)
{
	size_t g = (a >> REG_GRAIN_SHIFT) & ((1u << (REG_LEAF_SHIFT - REG_GRAIN_SHIFT)) - 1);
	*word = g / 64;
	return 1ull << (g % 64);
}

void mmpool_registry_set(uintptr_t slab, bool on)
{
	size_t w;
	uint64_t bit = registry_bit(slab, &w);
	_Atomic uint64_t *leaf = registry_leaf(slab, on);
	if (!leaf)
		return;                                /* a slab is still usable, just unchecked */
	if (on)
		atomic_fetch_or(&leaf[w], bit);
	else
		atomic_fetch_and(&leaf[w], ~bit);
}

static bool registry_has(uintptr_t slab)
{
	size_t w;
	uint64_t bit = registry_bit(slab, &w);
	_Atomic uint64_t *leaf = registry_leaf(slab, false);
	return leaf && (atomic_load_explicit(&leaf[w], memory_order_relaxed) & bit);
}

static _Noreturn void check_fail(const struct mmpool *pool, const void *obj, const char *why,
				 const char *other)
{
	fprintf(stderr, "mmpool: pool '%s': free of %p: %s%s%s\n", pool->name, obj, why,
		other ? " " : "", other ? other : "");
	abort();
}

/* Finds obj's slab and index; aborts when obj is not an object of this pool. */
static struct mmpool_slab *check_locate(struct mmpool *pool, void *obj, size_t *idx)
{
	struct mmpool_slab *s = mmpool_slab_of(pool, obj);
	if (!registry_has((uintptr_t)s) || s->magic != (MMPOOL_SLAB_MAGIC ^ (uintptr_t)s))
		check_fail(pool, obj, "pointer not from this pool", NULL);
	if (s->pool != pool)
		check_fail(pool, obj, "object belongs to pool", s->pool->name);
	size_t off = (size_t)((char *)obj - s->objs);
	if ((char *)obj < s->objs || off % pool->stride || off / pool->stride >= s->nobj)
		check_fail(pool, obj, "pointer not at the start of an object", NULL);
	*idx = off / pool->stride;
	return s;
}

void mmpool_check_alloc(struct mmpool *pool, void *obj)
{
	size_t i;
	struct mmpool_slab *s = check_locate(pool, obj, &i);
	atomic_fetch_or_explicit(&s->live[i / 64], 1ull << (i % 64), memory_order_relaxed);
}

void mmpool_check_free(struct mmpool *pool, void *obj)
{
	size_t i;
	struct mmpool_slab *s = check_locate(pool, obj, &i);
	uint64_t bit = 1ull << (i % 64);
	if (!(atomic_fetch_and_explicit(&s->live[i / 64], ~bit, memory_order_relaxed) & bit))
		check_fail(pool, obj, "double free (object is not allocated)", NULL);
}

/* Prints the first live objects that the live bitmaps know of (checking mode only). */
static void report_addresses(struct mmpool *pool)
{
	int shown = 0;
	struct mmpool_list *lists[] = { &pool->partial, &pool->full };
	struct mmpool_slab *s;
	for (size_t l = 0; l < 2; l++) {
		list_for_each_entry(s, &lists[l]->head, list) {
			for (uint32_t i = 0; i < s->nobj && shown < 8; i++) {
				if (atomic_load(&s->live[i / 64]) & (1ull << (i % 64))) {
					fprintf(stderr, "mmpool:   live object %p\n",
						(void *)(s->objs + (size_t)i * pool->stride));
					shown++;
				}
			}
		}
	}
}

void mmpool_report_live(struct mmpool *pool, size_t live)
{
	fprintf(stderr, "mmpool: pool '%s' destroyed with %zu object%s still live\n", pool->name,
		live, live == 1 ? "" : "s");
	if (pool->check)
		report_addresses(pool);
}
