/*
 * zram (drivers/block/zram/zram_drv.c, zcomp.c): compressed RAM block devices. See
 * include/mmlab/zram.h for what a device is and how it is driven.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mmlab/cmdline.h>
#include <mmlab/compress.h>
#include <mmlab/machine.h>
#include <mmlab/printk.h>
#include <mmlab/procfs.h>
#include <mmlab/seq_file.h>
#include <mmlab/vmalloc.h>
#include <mmlab/zram.h>
#include <mmlab/zsmalloc.h>

#include "mm/internal.h"

#define SECTOR_SHIFT		9
#define SECTORS_PER_PAGE	(PAGE_SIZE >> SECTOR_SHIFT)
#define ZRAM_DEFAULT_COMP	"lzo-rle"	/* CONFIG_ZRAM_DEF_COMP */
#define CRYPTO_MAX_ALG_NAME	128

/* Slot flags above the object size (zram_drv.h enum zram_pageflags, ZRAM_FLAG_SHIFT). */
#define ZRAM_FLAG_SHIFT		(PAGE_SHIFT + 1)
#define ZRAM_SAME		(1UL << ZRAM_FLAG_SHIFT)	/* every word of the page is handle */
#define ZRAM_HUGE		(1UL << (ZRAM_FLAG_SHIFT + 1))	/* stored uncompressed */
#define ZRAM_SIZE_MASK		((1UL << ZRAM_FLAG_SHIFT) - 1)

/* A slot (struct zram_table_entry): a zsmalloc handle, or the fill word of a same-filled page. */
struct zram_table_entry {
	unsigned long handle;
	unsigned long flags;
};
#define ENTRIES_PER_PAGE (PAGE_SIZE / sizeof(struct zram_table_entry))

/* struct zram_stats (zram_drv.h). */
struct zram_stats {
	unsigned long long compr_data_size;
	unsigned long long failed_reads, failed_writes, notify_free;
	unsigned long long same_pages, huge_pages, huge_pages_since, pages_stored;
	unsigned long max_used_pages;
};

/* The block layer's per-disk counters (include/linux/part_stat.h); times are not modelled. */
enum stat_group { STAT_READ, STAT_WRITE, STAT_DISCARD, STAT_FLUSH, NR_STAT_GROUPS };
struct disk_stats {
	unsigned long ios[NR_STAT_GROUPS];
	unsigned long long sectors[NR_STAT_GROUPS];
};

struct zram {
	struct machine *m;
	int id;
	char name[16];			/* "zram0", the disk's name */
	unsigned long long disksize;	/* bytes; 0: not initialised */
	unsigned long table;		/* vzalloc'ed slot table */
	struct zram_table_entry **table_pages;	/* the host view of each of its pages */
	struct zs_pool *mem_pool;
	struct crypto_comp *comp;	/* the one compression stream */
	unsigned char *buffer;		/* its output buffer, COMP_DST_SIZE bytes */
	char compressor[CRYPTO_MAX_ALG_NAME];
	unsigned long limit_pages;
	bool claimed;
	struct zram_stats stats;
	struct disk_stats dkstats;
};

struct zram_state {
	struct zram *devices[ZRAM_MAX_DEVICES];
};

static bool init_done(const struct zram *zram)
{
	return zram->disksize != 0;
}

unsigned long zram_nr_pages(const struct zram *zram)
{
	return (unsigned long)(zram->disksize >> PAGE_SHIFT);
}

static struct zram_table_entry *zram_slot(const struct zram *zram, uint32_t index)
{
	return &zram->table_pages[index / ENTRIES_PER_PAGE][index % ENTRIES_PER_PAGE];
}

static unsigned long zram_get_obj_size(const struct zram_table_entry *e)
{
	return e->flags & ZRAM_SIZE_MASK;
}

/* zram_io_ok: a page I/O the device can take: initialised and within its size. */
static bool zram_io_ok(const struct zram *zram, uint32_t index)
{
	return init_done(zram) && index < zram_nr_pages(zram);
}

static void zram_account_io(struct zram *zram, enum stat_group op, unsigned long pages)
{
	zram->dkstats.ios[op]++;
	zram->dkstats.sectors[op] += pages * SECTORS_PER_PAGE;
}

/* ---- the slot table and pool (zram_meta_alloc, zram_meta_free) ---- */

static void zram_meta_free(struct zram *zram)
{
	zs_destroy_pool(zram->mem_pool);
	zram->mem_pool = NULL;
	if (zram->table)
		vfree(zram->m, zram->table);
	zram->table = 0;
	free(zram->table_pages);
	zram->table_pages = NULL;
}

static int zram_meta_alloc(struct zram *zram, unsigned long num_pages)
{
	unsigned long bytes = num_pages * sizeof(struct zram_table_entry);
	unsigned long nr = (bytes + PAGE_SIZE - 1) >> PAGE_SHIFT;

	zram->table = vzalloc(zram->m, bytes);
	zram->table_pages = calloc(nr, sizeof(*zram->table_pages));
	zram->mem_pool = zs_create_pool(zram->m, zram->name);
	if (!zram->table || !zram->table_pages || !zram->mem_pool) {
		zram_meta_free(zram);
		return -ENOMEM;
	}
	for (unsigned long i = 0; i < nr; i++)
		zram->table_pages[i] = kmap_local_page(zram->m, vmalloc_to_page(zram->m, zram->table + i * PAGE_SIZE));
	return 0;
}

/* ---- slots ---- */

void zram_free_page(struct zram *zram, uint32_t index)
{
	struct zram_table_entry *e;

	if (!init_done(zram) || index >= zram_nr_pages(zram))
		return;
	e = zram_slot(zram, index);
	if (e->flags & ZRAM_SAME) {
		zram->stats.same_pages--;
		zram->stats.pages_stored--;
	} else if (e->handle) {
		if (e->flags & ZRAM_HUGE)
			zram->stats.huge_pages--;
		zs_free(zram->mem_pool, e->handle);
		zram->stats.compr_data_size -= zram_get_obj_size(e);
		zram->stats.pages_stored--;
	}
	e->handle = 0;
	e->flags = 0;
}

void zram_discard(struct zram *zram, uint32_t index, uint32_t count)
{
	if (!zram_io_ok(zram, index) || count > zram_nr_pages(zram) - index)
		return;
	zram_account_io(zram, STAT_DISCARD, count);
	for (uint32_t i = 0; i < count; i++)
		zram_free_page(zram, index + i);
}

void zram_slot_free_notify(struct zram *zram, uint32_t index)
{
	zram->stats.notify_free++;
	zram_free_page(zram, index);
}

/* page_same_filled: is every word of the page the same? The last word is tried first. */
static bool page_same_filled(const void *ptr, unsigned long *element)
{
	const unsigned long *page = ptr;
	size_t last = PAGE_SIZE / sizeof(*page) - 1;

	if (page[last] != page[0])
		return false;
	for (size_t pos = 1; pos < last; pos++)
		if (page[pos] != page[0])
			return false;
	*element = page[0];
	return true;
}

static void update_used_max(struct zram *zram, unsigned long pages)
{
	if (pages > zram->stats.max_used_pages)
		zram->stats.max_used_pages = pages;
}

/* zram_write_same_filled_page: the fill word instead of the page. */
static void zram_write_same_filled_page(struct zram *zram, uint32_t index, unsigned long element)
{
	struct zram_table_entry *e;

	zram_free_page(zram, index);
	e = zram_slot(zram, index);
	e->handle = element;
	e->flags = ZRAM_SAME;
	zram->stats.same_pages++;
	zram->stats.pages_stored++;
}

/* zram_store_object: comp_len bytes at data into the pool, then into the slot; -ENOMEM when the
 * pool cannot grow or would pass mem_limit. */
static int zram_store_object(struct zram *zram, uint32_t index, const void *data, unsigned int comp_len)
{
	unsigned long handle = zs_malloc(zram->mem_pool, comp_len, GFP_NOIO | __GFP_NOWARN | __GFP_HIGHMEM |
				       __GFP_MOVABLE);
	unsigned long alloced_pages;
	struct zram_table_entry *e;

	if (IS_ERR_VALUE(handle))
		return (int)(long)handle;
	alloced_pages = zs_get_total_pages(zram->mem_pool);
	update_used_max(zram, alloced_pages);
	if (zram->limit_pages && alloced_pages > zram->limit_pages) {
		zs_free(zram->mem_pool, handle);
		return -ENOMEM;
	}
	zs_obj_write(zram->mem_pool, handle, data, comp_len);
	zram_free_page(zram, index);
	e = zram_slot(zram, index);
	e->handle = handle;
	e->flags = comp_len;
	if (comp_len == PAGE_SIZE) {
		e->flags |= ZRAM_HUGE;
		zram->stats.huge_pages++;
		zram->stats.huge_pages_since++;
	}
	zram->stats.compr_data_size += comp_len;
	zram->stats.pages_stored++;
	return 0;
}

/* __zram_write_page: same-filled, compressed, or raw when compression saves too little. */
static int __zram_write_page(struct zram *zram, uint32_t index, const void *src)
{
	unsigned int comp_len = COMP_DST_SIZE;
	unsigned long element;
	int ret;

	if (page_same_filled(src, &element)) {
		zram_write_same_filled_page(zram, index, element);
		return 0;
	}
	ret = crypto_comp_compress(zram->comp, src, PAGE_SIZE, zram->buffer, &comp_len);
	if (ret)
		return ret;
	if (comp_len >= zs_huge_class_size(zram->mem_pool))
		return zram_store_object(zram, index, src, PAGE_SIZE);
	return zram_store_object(zram, index, zram->buffer, comp_len);
}

int zram_write_page(struct zram *zram, uint32_t index, const void *src)
{
	int ret;

	if (!zram_io_ok(zram, index))
		return -EIO;
	zram_account_io(zram, STAT_WRITE, 1);
	ret = __zram_write_page(zram, index, src);
	if (ret)
		zram->stats.failed_writes++;
	return ret;
}

/* zram_read_from_zspool: a slot's page: its fill word, its raw bytes or its decompressed bytes. */
static int zram_read_from_zspool(struct zram *zram, uint32_t index, void *dst)
{
	const struct zram_table_entry *e = zram_slot(zram, index);
	unsigned int size = (unsigned int)zram_get_obj_size(e), dlen = PAGE_SIZE;

	if (!e->handle || (e->flags & ZRAM_SAME)) {
		unsigned long *words = dst;

		for (size_t i = 0; i < PAGE_SIZE / sizeof(*words); i++)
			words[i] = e->handle;
		return 0;
	}
	if (size == PAGE_SIZE) {
		zs_obj_read(zram->mem_pool, e->handle, dst, PAGE_SIZE);
		return 0;
	}
	zs_obj_read(zram->mem_pool, e->handle, zram->buffer, size);
	if (crypto_comp_decompress(zram->comp, zram->buffer, size, dst, &dlen) || dlen != PAGE_SIZE)
		return -EIO;
	return 0;
}

int zram_read_page(struct zram *zram, uint32_t index, void *dst)
{
	int ret;

	if (!zram_io_ok(zram, index))
		return -EIO;
	zram_account_io(zram, STAT_READ, 1);
	ret = zram_read_from_zspool(zram, index, dst);
	if (ret) {
		zram->stats.failed_reads++;
		pr_err(zram->m, "zram: Decompression failed! err=%d, page=%u\n", ret, index);
	}
	return ret;
}

int zram_claim(struct zram *zram)
{
	if (zram->claimed)
		return -EBUSY;
	zram->claimed = true;
	return 0;
}

void zram_release(struct zram *zram)
{
	zram->claimed = false;
}

/* ---- devices ---- */

/* zram_reset_device: every slot freed, the pool and the stream gone, the size and the statistics
 * zeroed, the default compressor back (drivers/block/zram/zram_drv.c). */
static void zram_reset_device(struct zram *zram)
{
	crypto_free_comp(zram->comp);
	zram->comp = NULL;
	free(zram->buffer);
	zram->buffer = NULL;
	zram_meta_free(zram);
	zram->disksize = 0;
	zram->limit_pages = 0;
	memset(&zram->stats, 0, sizeof(zram->stats));
	memset(&zram->dkstats, 0, sizeof(zram->dkstats));
	snprintf(zram->compressor, sizeof(zram->compressor), "%s", ZRAM_DEFAULT_COMP);
}

/* zram_add: a new device with the first free id; the id, or -ENOSPC. */
static int zram_add(struct machine *m)
{
	struct zram_state *zs = m->zram;

	for (int id = 0; id < ZRAM_MAX_DEVICES; id++) {
		if (zs->devices[id])
			continue;
		struct zram *zram = calloc(1, sizeof(*zram));

		if (!zram)
			return -ENOMEM;
		zram->m = m;
		zram->id = id;
		snprintf(zram->name, sizeof(zram->name), "zram%d", id);
		snprintf(zram->compressor, sizeof(zram->compressor), "%s", ZRAM_DEFAULT_COMP);
		zs->devices[id] = zram;
		pr_info(m, "zram: Added device: %s\n", zram->name);
		return id;
	}
	return -ENOSPC;
}

static void zram_remove(struct machine *m, struct zram *zram)
{
	zram_reset_device(zram);
	m->zram->devices[zram->id] = NULL;
	pr_info(m, "zram: Removed device: %s\n", zram->name);
	free(zram);
}

int zram_init(struct machine *m)
{
	m->zram = calloc(1, sizeof(*m->zram));
	return m->zram && zram_add(m) == 0 ? 0 : -ENOMEM;
}

void zram_exit(struct machine *m)
{
	if (!m->zram)
		return;
	for (int id = 0; id < ZRAM_MAX_DEVICES; id++)
		if (m->zram->devices[id])
			zram_remove(m, m->zram->devices[id]);
	free(m->zram);
	m->zram = NULL;
}

/* zram_dev: the device whose id is the text id ("0" of /sys/block/zram0), NULL if none. */
static struct zram *zram_dev(struct machine *m, const char *id)
{
	unsigned long n;

	if (kstrtoul_text(id, strlen(id), &n) || strchr(id, '\n') || n >= ZRAM_MAX_DEVICES)
		return NULL;
	return m->zram->devices[n];
}

struct zram *zram_get(struct machine *m, const char *path)
{
	return strncmp(path, "/dev/zram", 9) ? NULL : zram_dev(m, path + 9);
}

int zram_check(struct machine *m, struct seq_file *report)
{
	int errors = 0;

	for (int id = 0; m->zram && id < ZRAM_MAX_DEVICES; id++) {
		struct zram *zram = m->zram->devices[id];
		unsigned long long stored = 0, same = 0;

		if (!zram || !init_done(zram))
			continue;
		errors += zs_pool_check(zram->mem_pool, report);
		for (uint32_t i = 0; i < zram_nr_pages(zram); i++) {
			const struct zram_table_entry *e = zram_slot(zram, i);

			same += (e->flags & ZRAM_SAME) != 0;
			stored += (e->flags & ZRAM_SAME) || e->handle;
		}
		if (stored != zram->stats.pages_stored || same != zram->stats.same_pages)
			check_report(report, &errors, "%s: %llu pages stored (%llu same) but the slots hold %llu (%llu)",
				     zram->name, zram->stats.pages_stored, zram->stats.same_pages, stored, same);
	}
	return errors;
}

/* ---- sysfs: /sys/block/zramN/ and /sys/class/zram-control/ (zram_drv.c DEVICE_ATTRs) ---- */

static bool zram_lookup(struct machine *m, const char *arg)
{
	return zram_dev(m, arg) != NULL;
}

static int disksize_show(struct machine *m, struct seq_file *s, const char *arg)
{
	seq_printf(s, "%llu\n", zram_dev(m, arg)->disksize);
	return 0;
}

/* zram_init_device: the pool, the table and the stream for a disksize of num_pages pages. */
static int zram_init_device(struct zram *zram, unsigned long num_pages)
{
	int ret = zram_meta_alloc(zram, num_pages);

	if (ret)
		return ret;
	zram->comp = crypto_alloc_comp(zram->compressor);
	zram->buffer = malloc(COMP_DST_SIZE);
	if (!zram->comp || !zram->buffer) {
		pr_err(zram->m, "zram: Cannot initialise %s compressing backend\n", zram->compressor);
		crypto_free_comp(zram->comp);
		zram->comp = NULL;
		free(zram->buffer);
		zram->buffer = NULL;
		zram_meta_free(zram);
		return -ENOMEM;
	}
	zram->disksize = (unsigned long long)num_pages << PAGE_SHIFT;
	return 0;
}

/* sysfs_memparse: the whole text as a size ("64M"); -EINVAL if it is not one. */
static int sysfs_memparse(const char *text, size_t len, unsigned long long *val)
{
	char buf[32], *end;

	if (sysfs_text_copy(text, len, buf, sizeof(buf)))
		return -EINVAL;
	*val = memparse(buf, &end);
	return end == buf || *end ? -EINVAL : 0;
}

static int disksize_store(struct machine *m, const char *arg, const char *text, size_t len)
{
	struct zram *zram = zram_dev(m, arg);
	unsigned long long disksize;

	if (sysfs_memparse(text, len, &disksize) || !disksize)
		return -EINVAL;
	if (init_done(zram)) {
		pr_info(m, "zram: Cannot change disksize for initialized device\n");
		return -EBUSY;
	}
	return zram_init_device(zram, (unsigned long)((disksize + PAGE_SIZE - 1) >> PAGE_SHIFT));
}

static int initstate_show(struct machine *m, struct seq_file *s, const char *arg)
{
	seq_printf(s, "%u\n", init_done(zram_dev(m, arg)));
	return 0;
}

/* size: the disk's capacity in 512-byte sectors (block/genhd.c). */
static int size_show(struct machine *m, struct seq_file *s, const char *arg)
{
	seq_printf(s, "%llu\n", zram_dev(m, arg)->disksize >> SECTOR_SHIFT);
	return 0;
}

static int reset_store(struct machine *m, const char *arg, const char *text, size_t len)
{
	struct zram *zram = zram_dev(m, arg);
	unsigned long do_reset;

	if (kstrtoul_text(text, len, &do_reset) || !do_reset)
		return -EINVAL;
	if (zram->claimed)
		return -EBUSY;
	zram_reset_device(zram);
	return 0;
}

/* comp_algorithm: every algorithm, the device's in brackets (zcomp_available_show). */
static int comp_algorithm_show(struct machine *m, struct seq_file *s, const char *arg)
{
	const struct zram *zram = zram_dev(m, arg);
	const char *alg;

	for (int i = 0; (alg = crypto_comp_alg(i)); i++)
		seq_printf(s, strcmp(alg, zram->compressor) ? "%s " : "[%s] ", alg);
	seq_putc(s, '\n');
	return 0;
}

static int comp_algorithm_store(struct machine *m, const char *arg, const char *text, size_t len)
{
	struct zram *zram = zram_dev(m, arg);
	char buf[CRYPTO_MAX_ALG_NAME];

	if (sysfs_text_copy(text, len, buf, sizeof(buf)))
		return -E2BIG;
	if (!crypto_has_comp(buf))
		return -EINVAL;
	if (init_done(zram)) {
		pr_info(m, "zram: Can't change algorithm for initialized device\n");
		return -EBUSY;
	}
	snprintf(zram->compressor, sizeof(zram->compressor), "%s", buf);
	return 0;
}

static int mem_limit_store(struct machine *m, const char *arg, const char *text, size_t len)
{
	struct zram *zram = zram_dev(m, arg);
	unsigned long long limit;

	if (sysfs_memparse(text, len, &limit))
		return -EINVAL;
	zram->limit_pages = (unsigned long)((limit + PAGE_SIZE - 1) >> PAGE_SHIFT);
	return 0;
}

/* mem_used_max: only 0 may be written, which restarts the maximum from the pool's size now. */
static int mem_used_max_store(struct machine *m, const char *arg, const char *text, size_t len)
{
	struct zram *zram = zram_dev(m, arg);
	unsigned long val;

	if (kstrtoul_text(text, len, &val) || val != 0)
		return -EINVAL;
	if (init_done(zram))
		zram->stats.max_used_pages = zs_get_total_pages(zram->mem_pool);
	return 0;
}

/* max_comp_streams: deprecated; one stream per CPU, and writes are accepted and ignored. */
static int max_comp_streams_show(struct machine *m, struct seq_file *s, const char *arg)
{
	(void)arg;
	seq_printf(s, "%d\n", m->nr_cpu_ids);
	return 0;
}

static int max_comp_streams_store(struct machine *m, const char *arg, const char *text, size_t len)
{
	(void)m;
	(void)arg;
	(void)text;
	(void)len;
	return 0;
}

static int compact_store(struct machine *m, const char *arg, const char *text, size_t len)
{
	struct zram *zram = zram_dev(m, arg);

	(void)text;
	(void)len;
	if (!init_done(zram))
		return -EINVAL;
	zs_compact(zram->mem_pool);
	return 0;
}

static int mm_stat_show(struct machine *m, struct seq_file *s, const char *arg)
{
	const struct zram *zram = zram_dev(m, arg);
	struct zs_pool_stats pool_stats = { 0 };
	unsigned long long mem_used = 0;

	if (init_done(zram)) {
		mem_used = zs_get_total_pages(zram->mem_pool);
		zs_pool_stats(zram->mem_pool, &pool_stats);
	}
	seq_printf(s, "%8llu %8llu %8llu %8lu %8ld %8llu %8lu %8llu %8llu\n",
		   zram->stats.pages_stored << PAGE_SHIFT, zram->stats.compr_data_size, mem_used << PAGE_SHIFT,
		   zram->limit_pages << PAGE_SHIFT, (long)zram->stats.max_used_pages << PAGE_SHIFT,
		   zram->stats.same_pages, pool_stats.pages_compacted, zram->stats.huge_pages,
		   zram->stats.huge_pages_since);
	return 0;
}

/* io_stat: failed_reads failed_writes invalid_io (always 0 since 6.4) notify_free. */
static int io_stat_show(struct machine *m, struct seq_file *s, const char *arg)
{
	const struct zram *zram = zram_dev(m, arg);

	seq_printf(s, "%8llu %8llu 0 %8llu\n", zram->stats.failed_reads, zram->stats.failed_writes,
		   zram->stats.notify_free);
	return 0;
}

/* bd_stat: the backing device's use; writeback to one is not modelled. */
static int bd_stat_show(struct machine *m, struct seq_file *s, const char *arg)
{
	(void)m;
	(void)arg;
	seq_printf(s, "%8llu %8llu %8llu\n", 0ULL, 0ULL, 0ULL);
	return 0;
}

/* stat: the block layer's line (block/genhd.c part_stat_show); times, merges and in-flight are 0. */
static int stat_show(struct machine *m, struct seq_file *s, const char *arg)
{
	const struct disk_stats *st = &zram_dev(m, arg)->dkstats;

	seq_printf(s, "%8lu %8lu %8llu %8u %8lu %8lu %8llu %8u %8u %8u %8u %8lu %8lu %8llu %8u %8lu %8u\n",
		   st->ios[STAT_READ], 0UL, st->sectors[STAT_READ], 0u, st->ios[STAT_WRITE], 0UL,
		   st->sectors[STAT_WRITE], 0u, 0u, 0u, 0u, st->ios[STAT_DISCARD], 0UL, st->sectors[STAT_DISCARD],
		   0u, st->ios[STAT_FLUSH], 0u);
	return 0;
}

/* /sys/kernel/debug/zsmalloc/zramN/classes: the device's pool, when it has one. */
static int classes_show(struct machine *m, struct seq_file *s, const char *arg)
{
	const struct zram *zram = zram_dev(m, arg);

	if (!init_done(zram))
		return -ENOENT;
	zs_stats_size_show(zram->mem_pool, s);
	return 0;
}

/* hot_add: reading it adds a device and prints its id (zram_drv.c hot_add_show). */
static int hot_add_show(struct machine *m, struct seq_file *s, const char *arg)
{
	int id = zram_add(m);

	(void)arg;
	if (id < 0)
		return id;
	seq_printf(s, "%d\n", id);
	return 0;
}

static int hot_remove_store(struct machine *m, const char *arg, const char *text, size_t len)
{
	unsigned long id;
	struct zram *zram;

	(void)arg;
	if (kstrtoul_text(text, len, &id))
		return -EINVAL;
	zram = id < ZRAM_MAX_DEVICES ? m->zram->devices[id] : NULL;
	if (!zram)
		return -ENODEV;
	if (zram->claimed)
		return -EBUSY;
	zram_remove(m, zram);
	return 0;
}

#define ZRAM_ATTR(name, shower, storer) \
	{ .path = "/sys/block/zram*/" #name, .lookup = zram_lookup, .show = shower, .write = storer }

const struct proc_entry zram_proc_entries[] = {
	ZRAM_ATTR(disksize, disksize_show, disksize_store),
	ZRAM_ATTR(initstate, initstate_show, NULL),
	ZRAM_ATTR(size, size_show, NULL),
	ZRAM_ATTR(reset, NULL, reset_store),
	ZRAM_ATTR(comp_algorithm, comp_algorithm_show, comp_algorithm_store),
	ZRAM_ATTR(mem_limit, NULL, mem_limit_store),
	ZRAM_ATTR(mem_used_max, NULL, mem_used_max_store),
	ZRAM_ATTR(max_comp_streams, max_comp_streams_show, max_comp_streams_store),
	ZRAM_ATTR(compact, NULL, compact_store),
	ZRAM_ATTR(mm_stat, mm_stat_show, NULL),
	ZRAM_ATTR(io_stat, io_stat_show, NULL),
	ZRAM_ATTR(bd_stat, bd_stat_show, NULL),
	ZRAM_ATTR(stat, stat_show, NULL),
	{ .path = "/sys/kernel/debug/zsmalloc/zram*/classes", .lookup = zram_lookup, .show = classes_show },
	{ .path = "/sys/class/zram-control/hot_add", .show = hot_add_show },
	{ .path = "/sys/class/zram-control/hot_remove", .write = hot_remove_store },
	{ .path = NULL },
};
