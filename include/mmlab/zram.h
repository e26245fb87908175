/*
 * zram: compressed RAM block devices /dev/zram0, /dev/zram1, ... (drivers/block/zram/zram_drv.h).
 *
 * A device is configured through sysfs as on Linux: `echo lz4 > /sys/block/zram0/comp_algorithm`,
 * `echo 64M > /sys/block/zram0/disksize` (which initialises it), `echo 1 > .../reset`, mem_limit,
 * compact; and read through mm_stat, io_stat, stat, bd_stat, initstate, size. More devices come from
 * reading /sys/class/zram-control/hot_add. Each 4 KiB block (slot) holds one page: same-filled pages
 * as their one repeated word, others compressed with the real library into a zsmalloc pool, pages
 * that do not compress below zs_huge_class_size raw ("huge"). The slot table is vzalloc'ed from the
 * machine as the kernel's is; the pool's pages come from its buddy allocator.
 *
 * The interface for the swap layer: a page is a slot index in [0, zram_nr_pages). Errors are the
 * kernel's: -EIO for an uninitialised device or an index past its end, -ENOMEM when the pool cannot
 * grow or mem_limit is reached (the swap layer then tries another device, as swap_writepage's bio
 * failing would).
 */
#ifndef MMLAB_ZRAM_H
#define MMLAB_ZRAM_H

#include <stdint.h>

struct machine;
struct seq_file;
struct zram;

#define ZRAM_MAX_DEVICES	32

/* zram_get: the device at path ("/dev/zram0"), NULL if there is none. */
struct zram *zram_get(struct machine *m, const char *path);
/* zram_nr_pages: the slots of the device: disksize in pages, 0 until it is initialised. */
unsigned long zram_nr_pages(const struct zram *zram);

/* zram_write_page: store one page (PAGE_SIZE bytes at src) in slot index, replacing what was there. */
int zram_write_page(struct zram *zram, uint32_t index, const void *src);
/* zram_read_page: the page in slot index into dst; a slot never written reads as zeros. */
int zram_read_page(struct zram *zram, uint32_t index, void *dst);
/* zram_free_page: empty the slot, giving its memory back to the pool. */
void zram_free_page(struct zram *zram, uint32_t index);
/* zram_discard: a discard request for count slots from index, counted in stat (zram_bio_discard). */
void zram_discard(struct zram *zram, uint32_t index, uint32_t count);
/* zram_slot_free_notify: what swap calls when it frees a swap entry on the device: counted in
 * io_stat's notify_free, then the slot is emptied (drivers/block/zram/zram_drv.c). */
void zram_slot_free_notify(struct zram *zram, uint32_t index);
/* zram_claim / zram_release: the device is opened for swap: reset and hot_remove answer -EBUSY
 * while it is. zram_claim is -EBUSY if someone holds it already. */
int zram_claim(struct zram *zram);
void zram_release(struct zram *zram);

/* Boot and teardown: device zram0, as the module's default num_devices=1 (zram_init, zram_exit). */
int zram_init(struct machine *m);
void zram_exit(struct machine *m);
/* zram_check: every device's pool and slot counts (machine_check); the number of violations. */
int zram_check(struct machine *m, struct seq_file *report);

#endif
