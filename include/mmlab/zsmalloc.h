/*
 * zsmalloc: an allocator for compressed objects (include/linux/zsmalloc.h, mm/zsmalloc.c).
 *
 * Objects of 32 bytes to a page are served from size classes ZS_SIZE_CLASS_DELTA bytes apart. A class
 * carves its objects from zspages: 1 to ZS_MAX_PAGES_PER_ZSPAGE order-0 pages from the buddy
 * allocator, chosen so that the objects fill them with the least waste; an object may straddle two
 * pages of its zspage. Classes that would have the same zspage shape are merged into one. Each
 * zspage sits on one of its class's fullness lists (how full it is, in tenths), allocations come
 * from the fullest, and zs_compact moves objects out of the emptiest zspages into the fullest and
 * gives the emptied pages back.
 *
 * Every byte stored lives in the machine's pages, whose page type is PG_zsmalloc and which count in
 * NR_ZSPAGES (nr_zspages in /proc/vmstat). A handle names an object for as long as it lives, also
 * across compaction: it is the address of a word, from the pool's slab cache "zs_handle-NAME",
 * that holds where the object is. The zspage descriptors come from the slab cache "zspage-NAME", so
 * the pool's metadata shows in Slab as the kernel's does (whose caches are "zs_handle", "zspage").
 */
#ifndef MMLAB_ZSMALLOC_H
#define MMLAB_ZSMALLOC_H

#include <stdbool.h>
#include <stddef.h>

#include <mmlab/gfp.h>

struct machine;
struct seq_file;
struct zs_pool;

#define ZS_MAX_PAGES_PER_ZSPAGE	8	/* CONFIG_ZSMALLOC_CHAIN_SIZE's default */
#define ZS_HANDLE_SIZE		sizeof(unsigned long)
#define ZS_MIN_ALLOC_SIZE	32
#define ZS_MAX_ALLOC_SIZE	PAGE_SIZE
#define CLASS_BITS		8
#define ZS_SIZE_CLASS_DELTA	(PAGE_SIZE >> CLASS_BITS)
#define ZS_SIZE_CLASSES		((int)((ZS_MAX_ALLOC_SIZE - ZS_MIN_ALLOC_SIZE + ZS_SIZE_CLASS_DELTA - 1) / \
				 ZS_SIZE_CLASS_DELTA + 1))

/* The pool's statistics (struct zs_pool_stats). */
struct zs_pool_stats {
	unsigned long pages_compacted;	/* pages freed by compaction since the pool was created */
};

/* zs_create_pool: an empty pool; NULL if the host is out of memory or a pool of that name exists
 * (its handle cache's name would be taken). name names it in reports. */
struct zs_pool *zs_create_pool(struct machine *m, const char *name);
/* zs_destroy_pool: free every object and give every page back to the buddy allocator. */
void zs_destroy_pool(struct zs_pool *pool);

/* zs_malloc: room for size bytes; a handle, or -EINVAL (size 0 or above a page) or -ENOMEM as an
 * error value: test with IS_ERR_VALUE. */
unsigned long zs_malloc(struct zs_pool *pool, size_t size, gfp_t gfp);
/* zs_free: the object's room back to its zspage; a zspage left empty goes back to the buddy. A 0 or
 * error handle is ignored. */
void zs_free(struct zs_pool *pool, unsigned long handle);
/* zs_obj_write / zs_obj_read: len bytes into or out of the object, wherever its pages are. */
void zs_obj_write(struct zs_pool *pool, unsigned long handle, const void *src, size_t len);
void zs_obj_read(struct zs_pool *pool, unsigned long handle, void *dst, size_t len);

/* zs_get_total_pages: the pages the pool holds. */
unsigned long zs_get_total_pages(const struct zs_pool *pool);
/* zs_huge_class_size: objects of this size or more are stored one per page (zram stores them raw). */
size_t zs_huge_class_size(const struct zs_pool *pool);
/* zs_compact: move objects to free sparse zspages; the pages freed. */
unsigned long zs_compact(struct zs_pool *pool);
void zs_pool_stats(const struct zs_pool *pool, struct zs_pool_stats *stats);
/* zs_stats_size_show: the pool's classes, as /sys/kernel/debug/zsmalloc/<pool>/classes shows them. */
void zs_stats_size_show(const struct zs_pool *pool, struct seq_file *s);
/* zs_pool_check: the invariants of every zspage (machine_check); the number of violations. */
int zs_pool_check(const struct zs_pool *pool, struct seq_file *report);

#define MAX_ERRNO	4095
#define IS_ERR_VALUE(x)	((unsigned long)(x) >= (unsigned long)-MAX_ERRNO)

#endif
