/*
 * zswap (mm/zswap.c): a compressed cache in front of the swap devices. See include/mmlab/zswap.h.
 *
 * Each entry is a zsmalloc object of the current pool, a "zswap_entry" slab object (so its
 * metadata counts in Slab as the kernel's does) and a place in an index of the swap area's slots
 * (the kernel's per-area xarrays: here one pointer per slot, made on the area's first store) and in
 * the LRU, newest first. A pool is a zsmalloc pool and a compressor; changing the compressor makes a
 * new pool for new stores, and an old pool goes when its last entry does (zswap_pool_put).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mmlab/cmdline.h>
#include <mmlab/compress.h>
#include <mmlab/machine.h>
#include <mmlab/procfs.h>
#include <mmlab/seq_file.h>
#include <mmlab/slab.h>
#include <mmlab/swap.h>
#include <mmlab/vmstat.h>
#include <mmlab/zsmalloc.h>
#include <mmlab/zswap.h>

#include "mm/internal.h"

#define ZSWAP_COMPRESSOR_DEFAULT	"lzo"	/* CONFIG_ZSWAP_COMPRESSOR_DEFAULT */
#define CRYPTO_MAX_ALG_NAME		128
#define MAX_RECLAIM_RETRIES		16	/* include/linux/mmzone.h: shrink_worker's failure bound */
#define SECTORS_PER_PAGE		(PAGE_SIZE >> 9)
/* zswap's allocations: no direct reclaim, as in the kernel's store path. */
#define ZSWAP_GFP			(GFP_NOWAIT | __GFP_NORETRY | __GFP_NOWARN)

/* struct zswap_pool: a zsmalloc pool and the compressor its entries were made with. */
struct zswap_pool {
	struct zs_pool *zs_pool;
	struct crypto_comp *tfm;
	unsigned long nr_entries;	/* the entries that hold it (the kernel's percpu_ref) */
	struct list_head list;		/* zswap_pools: the current pool first */
};

/* struct zswap_entry: one stored page. */
struct zswap_entry {
	swp_entry_t swpentry;
	unsigned int length;		/* compressed bytes */
	struct zswap_pool *pool;
	unsigned long handle;		/* the zsmalloc object */
	unsigned long slab_obj;		/* the "zswap_entry" slab object standing for this struct */
	struct list_head lru;
};

/* The debugfs counters (/sys/kernel/debug/zswap/). */
struct zswap_stats {
	unsigned long long written_back_pages, reject_reclaim_fail, reject_alloc_fail, reject_kmemcache_fail,
		reject_compress_fail, reject_compress_poor, pool_limit_hit, decompress_fail;
};

struct zswap_state {
	bool enabled, shrinker_enabled, pool_reached_full;
	char compressor[CRYPTO_MAX_ALG_NAME];
	unsigned int max_pool_percent, accept_thr_percent;
	unsigned int pool_id;		/* names the next pool's zsmalloc pool "zswapN" */
	struct list_head pools;
	struct kmem_cache *entry_cache;
	struct zswap_entry **trees[MAX_SWAPFILES];
	unsigned long tree_size[MAX_SWAPFILES];
	struct list_head lru;		/* newest at the head, writeback from the tail */
	unsigned long stored_pages;
	struct zswap_stats stats;
	unsigned char buf[COMP_DST_SIZE];	/* the per-CPU compression buffer (acomp_ctx->buffer) */
};

int zswap_init(struct machine *m)
{
	struct zswap_state *z = calloc(1, sizeof(*z));

	if (!z)
		return -ENOMEM;
	snprintf(z->compressor, sizeof(z->compressor), "%s", ZSWAP_COMPRESSOR_DEFAULT);
	z->max_pool_percent = 20;
	z->accept_thr_percent = 90;
	INIT_LIST_HEAD(&z->pools);
	INIT_LIST_HEAD(&z->lru);
	m->zswap = z;
	return 0;
}

/* ---- Pools ---- */

static void zswap_pool_destroy(struct zswap_pool *pool)
{
	list_del(&pool->list);
	zs_destroy_pool(pool->zs_pool);
	crypto_free_comp(pool->tfm);
	free(pool);
}

/* zswap_pool_create: a pool for the configured compressor, made current. */
static struct zswap_pool *zswap_pool_create(struct machine *m)
{
	struct zswap_state *z = m->zswap;
	struct zswap_pool *pool = calloc(1, sizeof(*pool));
	char name[32];

	if (!pool)
		return NULL;
	snprintf(name, sizeof(name), "zswap%x", z->pool_id++);
	pool->tfm = crypto_alloc_comp(z->compressor);
	pool->zs_pool = pool->tfm ? zs_create_pool(m, name) : NULL;
	if (!pool->zs_pool) {
		crypto_free_comp(pool->tfm);
		free(pool);
		return NULL;
	}
	list_add(&pool->list, &z->pools);
	return pool;
}

/* zswap_pool_current: the pool of the configured compressor, made on the first store after a change. */
static struct zswap_pool *zswap_pool_current(struct machine *m)
{
	struct zswap_state *z = m->zswap;
	struct zswap_pool *pool = list_empty(&z->pools) ? NULL : list_first_entry(&z->pools, struct zswap_pool, list);

	if (pool && !strcmp(crypto_comp_name(pool->tfm), z->compressor))
		return pool;
	if (pool && !pool->nr_entries)
		zswap_pool_destroy(pool);
	return zswap_pool_create(m);
}

/* zswap_pool_put: an entry let go of its pool; an old pool goes with its last entry. */
static void zswap_pool_put(struct machine *m, struct zswap_pool *pool)
{
	if (--pool->nr_entries == 0 && pool != list_first_entry(&m->zswap->pools, struct zswap_pool, list))
		zswap_pool_destroy(pool);
}

unsigned long zswap_total_pages(const struct machine *m)
{
	const struct zswap_pool *pool;
	unsigned long pages = 0;

	if (!m->zswap)
		return 0;
	list_for_each_entry(pool, &m->zswap->pools, list)
		pages += zs_get_total_pages(pool->zs_pool);
	return pages;
}

unsigned long zswap_stored_pages(const struct machine *m)
{
	return m->zswap ? m->zswap->stored_pages : 0;
}

/* zswap_max_pages / zswap_accept_thr_pages: the pool limit and where stores resume. */
static unsigned long zswap_max_pages(const struct machine *m)
{
	return m->totalram_pages * m->zswap->max_pool_percent / 100;
}

static unsigned long zswap_accept_thr_pages(const struct machine *m)
{
	return zswap_max_pages(m) * m->zswap->accept_thr_percent / 100;
}

/* zswap_check_limits: true while the pool is full: from reaching the limit until it is back under
 * the accept threshold. */
static bool zswap_check_limits(struct machine *m)
{
	struct zswap_state *z = m->zswap;
	unsigned long cur = zswap_total_pages(m);

	if (cur >= zswap_max_pages(m)) {
		z->stats.pool_limit_hit++;
		z->pool_reached_full = true;
	} else if (z->pool_reached_full && cur <= zswap_accept_thr_pages(m)) {
		z->pool_reached_full = false;
	}
	return z->pool_reached_full;
}

/* ---- The index and entries ---- */

static struct zswap_entry **zswap_slot(struct machine *m, swp_entry_t swpentry)
{
	struct zswap_state *z = m->zswap;
	unsigned int type = swp_type(swpentry);

	if (!z || type >= MAX_SWAPFILES || swp_offset(swpentry) >= z->tree_size[type])
		return NULL;
	return &z->trees[type][swp_offset(swpentry)];
}

static struct zswap_entry *zswap_lookup(struct machine *m, swp_entry_t swpentry)
{
	struct zswap_entry **slot = zswap_slot(m, swpentry);

	return slot ? *slot : NULL;
}

/* zswap_entry_free: out of the index and the LRU, its memory back to the pool and the slab. */
static void zswap_entry_free(struct machine *m, struct zswap_entry *entry)
{
	struct zswap_state *z = m->zswap;

	*zswap_slot(m, entry->swpentry) = NULL;
	list_del(&entry->lru);
	zs_free(entry->pool->zs_pool, entry->handle);
	kmem_cache_free(m, z->entry_cache, entry->slab_obj);
	zswap_pool_put(m, entry->pool);
	z->stored_pages--;
	free(entry);
}

void zswap_invalidate(struct machine *m, swp_entry_t swpentry)
{
	struct zswap_entry *entry = zswap_lookup(m, swpentry);

	if (entry)
		zswap_entry_free(m, entry);
}

/* zswap_decompress: the entry's page into dst. */
static int zswap_decompress(struct machine *m, struct zswap_entry *entry, void *dst)
{
	struct zswap_state *z = m->zswap;
	unsigned int dlen = PAGE_SIZE;

	zs_obj_read(entry->pool->zs_pool, entry->handle, z->buf, entry->length);
	if (crypto_comp_decompress(entry->pool->tfm, z->buf, entry->length, dst, &dlen) || dlen != PAGE_SIZE) {
		z->stats.decompress_fail++;
		return -EIO;
	}
	return 0;
}

/* zswap_writeback_entry: the entry's real bytes to its slot on the swap device, and the entry
 * freed. -EEXIST when a swap cache page holds the slot already (it is rotated, as the kernel does). */
static int zswap_writeback_entry(struct machine *m, struct zswap_entry *entry)
{
	unsigned char page[PAGE_SIZE];
	struct swap_info_struct *si = swp_swap_info(m, entry->swpentry);
	int err;

	if (!si || swap_cache_get_folio(m, entry->swpentry))
		return -EEXIST;
	if ((err = zswap_decompress(m, entry, page)) ||
	    (err = si->backend->write_page(si, swp_offset(entry->swpentry), page)))
		return err;
	zswap_entry_free(m, entry);
	m->zswap->stats.written_back_pages++;
	count_vm_event(m, ZSWPWB);
	count_vm_event(m, PSWPOUT);
	count_vm_events(m, PGPGOUT, SECTORS_PER_PAGE);
	return 0;
}

/* shrink_worker: write back the oldest entries until the pool is under the accept threshold. The
 * kernel queues it when the limit is hit; here it runs at once. */
static void shrink_worker(struct machine *m)
{
	struct zswap_state *z = m->zswap;
	unsigned long thr = zswap_accept_thr_pages(m);
	int failures = 0;

	while (zswap_total_pages(m) > thr && !list_empty(&z->lru) && failures < MAX_RECLAIM_RETRIES) {
		struct zswap_entry *entry = list_last_entry(&z->lru, struct zswap_entry, lru);

		if (zswap_writeback_entry(m, entry)) {
			z->stats.reject_reclaim_fail++;
			failures++;
			list_move(&entry->lru, &z->lru);
		}
	}
}

/* zswap_tree_get: the index of the entry's area, made for the area's size on first use. */
static struct zswap_entry **zswap_tree_get(struct machine *m, swp_entry_t swpentry)
{
	struct zswap_state *z = m->zswap;
	struct swap_info_struct *si = swp_swap_info(m, swpentry);
	unsigned int type = swp_type(swpentry);

	if (!si)
		return NULL;
	if (!z->trees[type]) {
		z->trees[type] = calloc(si->max, sizeof(*z->trees[type]));
		z->tree_size[type] = z->trees[type] ? si->max : 0;
	}
	return zswap_slot(m, swpentry);
}

/* zswap_compress_store: compress the page into a new entry; NULL with the reason counted. */
static struct zswap_entry *zswap_compress_store(struct machine *m, struct zswap_pool *pool, const void *src)
{
	struct zswap_state *z = m->zswap;
	unsigned int dlen = COMP_DST_SIZE;
	struct zswap_entry *entry;

	if (crypto_comp_compress(pool->tfm, src, PAGE_SIZE, z->buf, &dlen)) {
		z->stats.reject_compress_fail++;
		return NULL;
	}
	if (dlen >= PAGE_SIZE) {
		z->stats.reject_compress_poor++;
		return NULL;
	}
	entry = calloc(1, sizeof(*entry));
	if (!entry || !(entry->slab_obj = kmem_cache_alloc(m, z->entry_cache, ZSWAP_GFP))) {
		z->stats.reject_kmemcache_fail++;
		free(entry);
		return NULL;
	}
	entry->handle = zs_malloc(pool->zs_pool, dlen, ZSWAP_GFP);
	if (IS_ERR_VALUE(entry->handle)) {
		z->stats.reject_alloc_fail++;
		kmem_cache_free(m, z->entry_cache, entry->slab_obj);
		free(entry);
		return NULL;
	}
	zs_obj_write(pool->zs_pool, entry->handle, z->buf, dlen);
	entry->length = dlen;
	entry->pool = pool;
	return entry;
}

bool zswap_store(struct machine *m, struct page *page)
{
	struct zswap_state *z = m->zswap;
	swp_entry_t swpentry = page_swap_entry(page);
	struct zswap_entry **slot = NULL, *entry = NULL;
	struct zswap_pool *pool;

	if (!z)
		return false;
	if (z->enabled && zswap_check_limits(m))
		shrink_worker(m);
	else if (z->enabled && !z->entry_cache)
		z->entry_cache = kmem_cache_create(m, "zswap_entry", sizeof(struct zswap_entry), 0, 0);
	if (z->enabled && !z->pool_reached_full && z->entry_cache && (pool = zswap_pool_current(m)) &&
	    (slot = zswap_tree_get(m, swpentry)))
		entry = zswap_compress_store(m, pool, kmap_local_page(m, page));
	/* check_old: an older copy of this slot must not outlive the page's new contents. */
	zswap_invalidate(m, swpentry);
	if (!entry)
		return false;
	entry->swpentry = swpentry;
	entry->pool->nr_entries++;
	*slot = entry;
	list_add(&entry->lru, &z->lru);
	z->stored_pages++;
	count_vm_event(m, ZSWPOUT);
	return true;
}

int zswap_load(struct machine *m, struct page *page, swp_entry_t swpentry)
{
	struct zswap_entry *entry = zswap_lookup(m, swpentry);
	int err;

	if (!entry)
		return -ENOENT;
	if ((err = zswap_decompress(m, entry, kmap_local_page(m, page))))
		return err;
	count_vm_event(m, ZSWPIN);
	/* 6.18: the swap cache page is now the only copy (exclusive load): free the entry, dirty the page. */
	zswap_entry_free(m, entry);
	set_page_flag(page, PG_dirty);
	return 0;
}

int zswap_peek(struct machine *m, swp_entry_t swpentry, void *buf)
{
	struct zswap_entry *entry = zswap_lookup(m, swpentry);
	unsigned long long fails;
	int err;

	if (!entry)
		return -ENOENT;
	fails = m->zswap->stats.decompress_fail;
	err = zswap_decompress(m, entry, buf);
	m->zswap->stats.decompress_fail = fails;
	return err;
}

void zswap_swapoff(struct machine *m, unsigned int type)
{
	struct zswap_state *z = m->zswap;

	if (!z || type >= MAX_SWAPFILES || !z->trees[type])
		return;
	for (unsigned long off = 0; off < z->tree_size[type]; off++)
		if (z->trees[type][off])
			zswap_entry_free(m, z->trees[type][off]);
	free(z->trees[type]);
	z->trees[type] = NULL;
	z->tree_size[type] = 0;
}

void zswap_exit(struct machine *m)
{
	struct zswap_state *z = m->zswap;

	if (!z)
		return;
	for (unsigned int type = 0; type < MAX_SWAPFILES; type++)
		zswap_swapoff(m, type);
	while (!list_empty(&z->pools))
		zswap_pool_destroy(list_first_entry(&z->pools, struct zswap_pool, list));
	if (z->entry_cache)
		kmem_cache_destroy(m, z->entry_cache);
	free(z);
	m->zswap = NULL;
}

/* ---- Invariants ---- */

int zswap_check(struct machine *m, struct seq_file *report)
{
	struct zswap_state *z = m->zswap;
	unsigned long indexed = 0, on_lru = 0, held = 0;
	struct zswap_entry *entry;
	struct zswap_pool *pool;
	int errors = 0;

	if (!z)
		return 0;
	for (unsigned int type = 0; type < MAX_SWAPFILES; type++)
		for (unsigned long off = 0; off < z->tree_size[type]; off++) {
			if (!(entry = z->trees[type][off]))
				continue;
			indexed++;
			if (entry->swpentry.val != swp_entry(type, off).val || !swap_entry_valid(m, entry->swpentry))
				check_report(report, &errors, "zswap: entry at %u:%lu names %lx, not a slot in use",
					     type, off, entry->swpentry.val);
		}
	list_for_each_entry(entry, &z->lru, lru)
		on_lru++;
	list_for_each_entry(pool, &z->pools, list) {
		held += pool->nr_entries;
		errors += zs_pool_check(pool->zs_pool, report);
	}
	if (indexed != z->stored_pages || on_lru != z->stored_pages || held != z->stored_pages)
		check_report(report, &errors, "zswap: stored_pages %lu but %lu indexed, %lu on the LRU, %lu held by pools",
			     z->stored_pages, indexed, on_lru, held);
	return errors;
}

/* ---- /sys/module/zswap/parameters and /sys/kernel/debug/zswap ---- */

static int param_uint_store(const char *text, size_t len, unsigned int max, unsigned int *res)
{
	char buf[32], *end;
	unsigned long val;

	if (sysfs_text_copy(text, len, buf, sizeof(buf)) || !buf[0] || buf[0] == '-')
		return -EINVAL;
	val = strtoul(buf, &end, 0);
	if (*end || val > max)
		return -EINVAL;
	*res = (unsigned int)val;
	return 0;
}

static int enabled_show(struct machine *m, struct seq_file *s, const char *arg)
{
	(void)arg;
	seq_puts(s, m->zswap->enabled ? "Y\n" : "N\n");
	return 0;
}

static int enabled_store(struct machine *m, const char *arg, const char *text, size_t len)
{
	(void)arg;
	return kstrtobool_text(text, len, &m->zswap->enabled);
}

static int shrinker_enabled_show(struct machine *m, struct seq_file *s, const char *arg)
{
	(void)arg;
	seq_puts(s, m->zswap->shrinker_enabled ? "Y\n" : "N\n");
	return 0;
}

/* shrinker_enabled: kept and shown; the memcg shrinker it switches is not modelled. */
static int shrinker_enabled_store(struct machine *m, const char *arg, const char *text, size_t len)
{
	(void)arg;
	return kstrtobool_text(text, len, &m->zswap->shrinker_enabled);
}

static int compressor_show(struct machine *m, struct seq_file *s, const char *arg)
{
	(void)arg;
	seq_printf(s, "%s\n", m->zswap->compressor);
	return 0;
}

/* __zswap_param_set: an unknown algorithm is -ENOENT ("compressor %s not available"). */
static int compressor_store(struct machine *m, const char *arg, const char *text, size_t len)
{
	char buf[CRYPTO_MAX_ALG_NAME];

	(void)arg;
	if (sysfs_text_copy(text, len, buf, sizeof(buf)))
		return -EINVAL;
	if (!crypto_has_comp(buf))
		return -ENOENT;
	memcpy(m->zswap->compressor, buf, sizeof(buf));
	return 0;
}

static int max_pool_percent_show(struct machine *m, struct seq_file *s, const char *arg)
{
	(void)arg;
	seq_printf(s, "%u\n", m->zswap->max_pool_percent);
	return 0;
}

static int max_pool_percent_store(struct machine *m, const char *arg, const char *text, size_t len)
{
	(void)arg;
	return param_uint_store(text, len, ~0u, &m->zswap->max_pool_percent);
}

static int accept_thr_show(struct machine *m, struct seq_file *s, const char *arg)
{
	(void)arg;
	seq_printf(s, "%u\n", m->zswap->accept_thr_percent);
	return 0;
}

/* zswap_accept_thr_param_set: 0..100. */
static int accept_thr_store(struct machine *m, const char *arg, const char *text, size_t len)
{
	(void)arg;
	return param_uint_store(text, len, 100, &m->zswap->accept_thr_percent);
}

/* The debugfs files: one number each. */
static int debugfs_show(struct machine *m, struct seq_file *s, const char *arg)
{
	const struct zswap_stats *st = &m->zswap->stats;
	static const struct {
		const char *name;
		size_t off;
	} counters[] = {
		{ "written_back_pages", offsetof(struct zswap_stats, written_back_pages) },
		{ "reject_reclaim_fail", offsetof(struct zswap_stats, reject_reclaim_fail) },
		{ "reject_alloc_fail", offsetof(struct zswap_stats, reject_alloc_fail) },
		{ "reject_kmemcache_fail", offsetof(struct zswap_stats, reject_kmemcache_fail) },
		{ "reject_compress_fail", offsetof(struct zswap_stats, reject_compress_fail) },
		{ "reject_compress_poor", offsetof(struct zswap_stats, reject_compress_poor) },
		{ "pool_limit_hit", offsetof(struct zswap_stats, pool_limit_hit) },
		{ "decompress_fail", offsetof(struct zswap_stats, decompress_fail) },
	};

	if (!strcmp(arg, "pool_total_size")) {
		seq_printf(s, "%lu\n", zswap_total_pages(m) * PAGE_SIZE);
		return 0;
	}
	if (!strcmp(arg, "stored_pages")) {
		seq_printf(s, "%lu\n", m->zswap->stored_pages);
		return 0;
	}
	for (size_t i = 0; i < sizeof(counters) / sizeof(counters[0]); i++)
		if (!strcmp(arg, counters[i].name)) {
			seq_printf(s, "%llu\n", *(const unsigned long long *)((const char *)st + counters[i].off));
			return 0;
		}
	return -ENOENT;
}

static bool debugfs_lookup(struct machine *m, const char *arg)
{
	static const char *const names[] = { "pool_total_size", "stored_pages", "written_back_pages",
		"reject_reclaim_fail", "reject_alloc_fail", "reject_kmemcache_fail", "reject_compress_fail",
		"reject_compress_poor", "pool_limit_hit", "decompress_fail" };

	(void)m;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(arg, names[i]))
			return true;
	return false;
}

#define ZSWAP_PARAM(name, show_fn, store_fn) \
	{ .path = "/sys/module/zswap/parameters/" #name, .show = show_fn, .write = store_fn }

const struct proc_entry zswap_proc_entries[] = {
	ZSWAP_PARAM(enabled, enabled_show, enabled_store),
	ZSWAP_PARAM(shrinker_enabled, shrinker_enabled_show, shrinker_enabled_store),
	ZSWAP_PARAM(compressor, compressor_show, compressor_store),
	ZSWAP_PARAM(max_pool_percent, max_pool_percent_show, max_pool_percent_store),
	ZSWAP_PARAM(accept_threshold_percent, accept_thr_show, accept_thr_store),
	{ .path = "/sys/kernel/debug/zswap/*", .lookup = debugfs_lookup, .show = debugfs_show },
	{ .path = NULL },
};
