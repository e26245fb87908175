/*
 * zswap: a compressed cache in front of the swap devices (mm/zswap.c, include/linux/zswap.h).
 *
 * When /sys/module/zswap/parameters/enabled is Y, swap_writepage first offers the page to
 * zswap_store: it is compressed with the configured compressor (the real library) into a zsmalloc
 * pool and kept in a per-area index keyed by swap offset, so the device is not written. A page that
 * does not compress below PAGE_SIZE is rejected (reject_compress_poor) and goes to the device. When
 * the pool reaches max_pool_percent of RAM (pool_limit_hit), stores are refused until it is back
 * under accept_threshold_percent of that limit, and the oldest entries (an LRU) are written back
 * to the device with their real bytes (zswpwb, written_back_pages). swap_read_folio first asks
 * zswap_load, which decompresses and frees the entry (6.18: the swap cache page becomes the only
 * copy, marked dirty). Freeing a swap slot invalidates its entry (zswap_invalidate).
 *
 * Following 6.18: no same-filled page special case (removed in 6.12; the kernel's swap layer keeps
 * zero-filled pages in a zeromap instead, which this machine does not model, so they are compressed
 * like any page). The shrink worker the kernel queues on a pool-limit hit runs at once here.
 */
#ifndef MMLAB_ZSWAP_H
#define MMLAB_ZSWAP_H

#include <stdbool.h>

#include <mmlab/swap.h>

struct machine;
struct page;
struct seq_file;

/* Boot and teardown: the parameters at their defaults; no pool until the first store. */
int zswap_init(struct machine *m);
void zswap_exit(struct machine *m);

/* zswap_store: the swap cache page into the pool; false when zswap is off or rejects it (the
 * caller then writes the device). An older entry for the same slot is dropped either way. */
bool zswap_store(struct machine *m, struct page *page);
/* zswap_load: entry's page decompressed into page and the entry freed; -ENOENT if zswap has no
 * entry for the slot, -EIO when decompression fails. */
int zswap_load(struct machine *m, struct page *page, swp_entry_t entry);
/* zswap_peek: the slot's bytes into buf if zswap holds them, counting and freeing nothing. */
int zswap_peek(struct machine *m, swp_entry_t entry, void *buf);
/* zswap_invalidate: the slot is freed: drop its entry if there is one. */
void zswap_invalidate(struct machine *m, swp_entry_t entry);
/* zswap_swapoff: the area of type is gone: its index freed (it holds no entry any more). */
void zswap_swapoff(struct machine *m, unsigned int type);

/* zswap_total_pages / zswap_stored_pages: the pool's pages and the entries (meminfo Zswap, Zswapped). */
unsigned long zswap_total_pages(const struct machine *m);
unsigned long zswap_stored_pages(const struct machine *m);

/* zswap_check: entries, index, LRU and pools agree (machine_check); the number of violations. */
int zswap_check(struct machine *m, struct seq_file *report);

#endif
