/* Unit tests of swap areas: entry and PTE encodings, the swap header, cluster allocation, priorities,
 * swap_map counts, the swap cache, real bytes out and back, swapoff's accounting check. Each test
 * ends with the invariant checker (swap_check included). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <mmlab/gfp.h>
#include <mmlab/machine.h>
#include <mmlab/procfs.h>
#include <mmlab/seq_file.h>
#include <mmlab/swap.h>
#include <mmlab/vmstat.h>

#include "machine_fixture.h"

#define MB (1ULL << 20)

static struct machine *boot64(void)
{
	return test_boot(ARCH_X86_64, 64 * MB, 1, 2);
}

/* An area of size bytes at path, swapped on with swap_flags. */
static void area(struct machine *m, const char *path, uint64_t size, int swap_flags)
{
	struct swap_header_info info;

	assert_int_equal(mkswap(m, path, size, &info), 0);
	assert_int_equal(info.last_page, size / PAGE_SIZE - 1);
	assert_int_equal(sys_swapon(m, path, swap_flags), 0);
}

static int prio(int p)
{
	return SWAP_FLAG_PREFER | p;
}

/* out: page to a new slot, written, with one reference kept (what reclaim does); the entry. */
static swp_entry_t out(struct machine *m, struct page *page)
{
	swp_entry_t entry;

	set_page_flag(page, PG_swapbacked);
	assert_int_equal(folio_alloc_swap(m, page), 0);
	entry = page_swap_entry(page);
	assert_int_equal(swap_writepage(m, page), 0);
	assert_int_equal(swap_duplicate(m, entry), 0);
	swap_cache_del_folio(m, page);
	return entry;
}

/* out_new: a fresh page swapped out and freed; its entry. */
static swp_entry_t out_new(struct machine *m)
{
	struct page *page = alloc_pages(m, GFP_KERNEL, 0);
	swp_entry_t entry;

	assert_non_null(page);
	entry = out(m, page);
	__free_pages(m, page, 0);
	return entry;
}

static const char *read_proc(struct machine *m, const char *path, struct seq_file *s)
{
	seq_reset(s);
	assert_int_equal(procfs_read(m, path, s), 0);
	return s->buf;
}

static void test_entry_encoding(void **state)
{
	(void)state;
	swp_entry_t e = swp_entry(3, 0x12345);
	uint64_t pte = swp_entry_to_pte(8, e);

	assert_int_equal(swp_type(e), 3);
	assert_int_equal(swp_offset(e), 0x12345);
	/* x86_64: type in bits 59-63, the offset inverted in bits 9-58, bits 0-8 clear. */
	assert_int_equal(pte >> 59, 3);
	assert_int_equal((~pte >> 9) & ((1ULL << 50) - 1), 0x12345);
	assert_int_equal(pte & 0x1ff, 0);
	assert_int_equal(pte_to_swp_entry(8, pte).val, e.val);
	/* i386 2-level: type in bits 1-5, the offset from bit 9. */
	assert_int_equal(swp_entry_to_pte(4, e), (3u << 1) | (0x12345u << 9));
	assert_int_equal(pte_to_swp_entry(4, swp_entry_to_pte(4, e)).val, e.val);
	assert_true(MAX_SWAPFILES == 27);

	struct machine *m = boot64();
	assert_int_equal(m->swap->swapfile_maximum_size, 1ULL << 50);
	machine_destroy(m);
	m = test_boot(ARCH_I386, 64 * MB, 1, 1);
	assert_int_equal(m->swap->swapfile_maximum_size, 1ULL << 23);
	machine_destroy(m);
}

static void test_header_validation(void **state)
{
	(void)state;
	struct machine *m = boot64();
	struct swap_header_info info;
	uint32_t version = 2;
	char dir[4096];
	struct stat st;
	int fd;

	assert_int_equal(sys_swapon(m, "/nothere", 0), -ENOENT);
	assert_int_equal(swap_fallocate(m, "/blank", MB), 0);
	assert_int_equal(sys_swapon(m, "/blank", 0), -EINVAL);
	assert_non_null(strstr(m->log.buf, "Unable to find swap-space signature"));
	assert_int_equal(mkswap(m, "/small", 9 * PAGE_SIZE, &info), -EINVAL);
	assert_int_equal(mkswap(m, "/huge", 65ULL << 30, &info), -EFBIG);
	/* A version the kernel does not know. */
	assert_int_equal(mkswap(m, "/v2", MB, &info), 0);
	fd = swap_host_open(m, "/v2", false, 0);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, &version, 4, offsetof(struct swap_header_info, version)), 4);
	close(fd);
	assert_int_equal(sys_swapon(m, "/v2", 0), -EINVAL);
	assert_non_null(strstr(m->log.buf, "Unable to handle swap header version 2"));
	/* mkswap of an existing file keeps its size; a busy area; bad flags. */
	assert_int_equal(mkswap(m, "/blank", 0, &info), 0);
	assert_int_equal(info.last_page, 255);
	assert_int_equal(sys_swapon(m, "/blank", 0), 0);
	assert_int_equal(sys_swapon(m, "/blank", 0), -EBUSY);
	assert_int_equal(sys_swapon(m, "/v2", 0x10000000), -EINVAL);
	assert_int_equal(sys_swapoff(m, "/v2"), -EINVAL);
	assert_int_equal(sys_swapoff(m, "/none"), -ENOENT);
	assert_int_equal(sys_swapon(m, "/dev/zram0", 0), -EINVAL);	/* no disksize yet */
	assert_int_equal(sys_swapon(m, "/dev/zram7", 0), -ENOENT);
	assert_machine_ok(m);
	snprintf(dir, sizeof(dir), "%s", m->swap->dir);
	machine_destroy(m);
	assert_int_equal(stat(dir, &st), -1);	/* the host directory went with the machine */
}

static void test_cluster_allocation(void **state)
{
	(void)state;
	struct machine *m = boot64();
	struct swap_info_struct *si;
	swp_entry_t e[600];

	area(m, "/swapfile", 4 * MB, 0);	/* 1024 pages: 4 clusters, page 0 the header */
	si = swap_info_find(m, "/swapfile");
	assert_int_equal(si->pages, 1023);
	for (int i = 0; i < 255; i++) {
		e[i] = out_new(m);
		assert_int_equal(swp_offset(e[i]), i + 1);	/* cluster 0 fills in order */
	}
	assert_int_equal(si->cluster_info[0].flags, CLUSTER_FLAG_FULL);
	e[255] = out_new(m);
	assert_int_equal(swp_offset(e[255]), 256);		/* then a free cluster */
	/* A hole in cluster 0 makes it partly used; the CPU keeps filling its current cluster first. */
	swap_free(m, e[10]);
	assert_int_equal(si->cluster_info[0].flags, CLUSTER_FLAG_NONFULL);
	for (int i = 256; i < 511; i++)
		assert_int_equal(swp_offset(e[i] = out_new(m)), i + 1);
	assert_int_equal(swp_offset(out_new(m)), 11);		/* cluster 1 full: the partly used one */
	assert_int_equal(swp_offset(out_new(m)), 512);		/* and then a free one again */
	assert_int_equal(si->inuse_pages, 512);
	assert_int_equal(get_nr_swap_pages(m), 1023 - 512);
	assert_machine_ok(m);
	machine_destroy(m);
}

static void test_priorities(void **state)
{
	(void)state;
	struct machine *m = boot64();
	struct seq_file s;

	area(m, "/low", MB, prio(5));
	area(m, "/high", MB, prio(10));
	for (int i = 0; i < 255; i++)
		assert_int_equal(swp_type(out_new(m)), 1);	/* the higher priority fills first */
	assert_int_equal(swp_type(out_new(m)), 0);		/* then the lower one */
	machine_destroy(m);

	/* Equal priorities take turns, a cluster at a time (the first cluster of each area has 255
	 * slots after the header, the others 256). */
	m = boot64();
	area(m, "/a", 4 * MB, prio(7));
	area(m, "/b", 4 * MB, prio(7));
	for (int round = 0; round < 6; round++) {
		unsigned int type = swp_type(out_new(m));

		for (int i = 1; i < (round < 2 ? 255 : 256); i++)
			assert_int_equal(swp_type(out_new(m)), type);
		assert_int_equal(type, (unsigned int)round % 2);
	}
	assert_machine_ok(m);
	machine_destroy(m);

	/* Default priorities: -2, -3, ...; removing one moves those below it up. */
	m = boot64();
	seq_init(&s);
	area(m, "/one", MB, 0);
	area(m, "/dev/vdb", MB, 0);
	area(m, "/three", MB, 0);
	assert_int_equal(swap_info_find(m, "/three")->prio, -4);
	assert_int_equal(sys_swapoff(m, "/one"), 0);
	assert_int_equal(swap_info_find(m, "/dev/vdb")->prio, -2);
	assert_int_equal(swap_info_find(m, "/three")->prio, -3);
	area(m, "/four", MB, 0);
	assert_int_equal(swap_info_find(m, "/four")->prio, -4);
	assert_string_equal(read_proc(m, "/proc/swaps", &s),
			    "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
			    "/four                                   file\t\t1020\t\t0\t\t-4\n"
			    "/dev/vdb                                partition\t1020\t\t0\t\t-2\n"
			    "/three                                  file\t\t1020\t\t0\t\t-3\n");
	seq_release(&s);
	assert_machine_ok(m);
	machine_destroy(m);
}

static void test_swap_map_counts(void **state)
{
	(void)state;
	struct machine *m = boot64();
	struct page *page = alloc_pages(m, GFP_KERNEL, 0);
	struct swap_info_struct *si;
	swp_entry_t entry;

	area(m, "/swapfile", MB, 0);
	si = swap_info_find(m, "/swapfile");
	set_page_flag(page, PG_swapbacked);
	assert_int_equal(folio_alloc_swap(m, page), 0);
	entry = page_swap_entry(page);
	assert_int_equal(si->swap_map[swp_offset(entry)], SWAP_HAS_CACHE);
	assert_ptr_equal(swap_cache_get_folio(m, entry), page);
	assert_int_equal(page_ref_count(page), 2);
	assert_int_equal(global_node_page_state(m, NR_SWAPCACHE), 1);
	assert_int_equal(swap_duplicate(m, entry), 0);
	assert_int_equal(swap_duplicate(m, entry), 0);
	assert_int_equal(si->swap_map[swp_offset(entry)], SWAP_HAS_CACHE | 2);
	assert_false(folio_free_swap(m, page));			/* still referenced */
	swap_cache_del_folio(m, page);
	assert_int_equal(__swap_count(m, entry), 2);
	assert_null(swap_cache_get_folio(m, entry));
	assert_int_equal(global_node_page_state(m, NR_SWAPCACHE), 0);
	assert_int_equal(page_ref_count(page), 1);
	for (int i = 2; i < SWAP_MAP_MAX; i++)
		assert_int_equal(swap_duplicate(m, entry), 0);
	assert_int_equal(swap_duplicate(m, entry), -ENOMEM);	/* no count continuations */
	for (int i = 0; i < SWAP_MAP_MAX; i++)
		swap_free(m, entry);
	assert_int_equal(si->inuse_pages, 0);
	assert_int_equal(swap_duplicate(m, entry), -ENOENT);
	assert_int_equal(swap_duplicate(m, swp_entry(9, 1)), -EINVAL);
	__free_pages(m, page, 0);
	assert_machine_ok(m);
	machine_destroy(m);
}

static void test_bytes_round_trip(void **state)
{
	(void)state;
	struct machine *m = test_boot(ARCH_I386, 1024 * MB, 1, 1);
	struct page *page = alloc_pages(m, GFP_HIGHUSER, 0), *back = alloc_pages(m, GFP_HIGHUSER, 0);
	unsigned char *src = kmap_local_page(m, page);
	swp_entry_t entry;

	assert_true(PageHighMem(page));
	for (size_t i = 0; i < PAGE_SIZE; i++)
		src[i] = (unsigned char)(i * 7 + 3);
	area(m, "/dev/vdb", MB, 0);
	entry = out(m, page);
	memset(src, 0, PAGE_SIZE);
	assert_int_equal(swap_read_folio(m, back, entry), 0);
	for (size_t i = 0; i < PAGE_SIZE; i++)
		assert_int_equal(((unsigned char *)kmap_local_page(m, back))[i], (unsigned char)(i * 7 + 3));
	assert_int_equal(m->vm_events[PSWPOUT], 1);
	assert_int_equal(m->vm_events[PSWPIN], 1);
	assert_int_equal(m->vm_events[PGPGOUT], 8);
	assert_int_equal(m->vm_events[PGPGIN], 8);
	swap_free(m, entry);
	assert_int_equal(swap_read_folio(m, back, entry), -EINVAL);	/* a free slot */
	__free_pages(m, page, 0);
	__free_pages(m, back, 0);
	assert_machine_ok(m);
	machine_destroy(m);
}

/* Swap on zram: the device configured through sysfs, mkswap writing its block 0, pages stored
 * compressed and read back; the device busy while swapped on. */
static void test_zram(void **state)
{
	(void)state;
	struct machine *m = boot64();
	struct page *page = alloc_pages(m, GFP_KERNEL, 0), *back = alloc_pages(m, GFP_KERNEL, 0);
	struct swap_header_info info;
	swp_entry_t entry;

	assert_int_equal(procfs_write(m, "/sys/block/zram0/disksize", "1M", 2), 0);
	assert_int_equal(mkswap(m, "/dev/zram0", 0, &info), 0);
	assert_int_equal(info.last_page, 255);
	assert_int_equal(sys_swapon(m, "/dev/zram0", prio(100)), 0);
	assert_int_equal(mkswap(m, "/dev/zram0", 0, &info), -EBUSY);
	assert_int_equal(procfs_write(m, "/sys/block/zram0/reset", "1", 1), -EBUSY);
	memset(kmap_local_page(m, page), 0x3c, PAGE_SIZE);
	memcpy(kmap_local_page(m, page), "swapped on zram", 15);
	entry = out(m, page);
	memset(kmap_local_page(m, page), 0, PAGE_SIZE);
	assert_int_equal(swap_read_folio(m, back, entry), 0);
	assert_memory_equal(kmap_local_page(m, back), "swapped on zram", 15);
	assert_int_equal(((unsigned char *)kmap_local_page(m, back))[PAGE_SIZE - 1], 0x3c);
	swap_free(m, entry);
	assert_int_equal(sys_swapoff(m, "/dev/zram0"), 0);
	assert_int_equal(procfs_write(m, "/sys/block/zram0/reset", "1", 1), 0);
	__free_pages(m, page, 0);
	__free_pages(m, back, 0);
	assert_machine_ok(m);
	machine_destroy(m);
}

static void test_swapoff(void **state)
{
	(void)state;
	struct machine *m = boot64();
	struct page *page = alloc_pages(m, GFP_KERNEL, 0);
	swp_entry_t entry;

	/* overcommit_memory=2, overcommit_ratio=0: the limit is the swap itself, so the last area
	 * cannot go (its pages would have nowhere to be committed); with a second area it can. */
	area(m, "/a", MB, 0);
	m->sysctl.overcommit_memory = 2;
	m->sysctl.overcommit_ratio = 0;
	assert_int_equal(sys_swapoff(m, "/a"), -ENOMEM);
	assert_non_null(swap_info_find(m, "/a"));
	assert_int_equal(m->vm_committed_as, 0);
	area(m, "/b", 2 * MB, 0);
	assert_int_equal(sys_swapoff(m, "/a"), 0);
	/* With half of RAM counted but nearly all of it committed, /b cannot go either. */
	m->sysctl.overcommit_ratio = 50;
	m->vm_committed_as = (long)m->totalram_pages / 2;
	assert_int_equal(sys_swapoff(m, "/b"), -ENOMEM);
	m->sysctl.overcommit_memory = 0;
	m->vm_committed_as = 0;

	/* A slot only the swap cache holds is let go; the page keeps its data, dirty. */
	set_page_flag(page, PG_swapbacked);
	assert_int_equal(folio_alloc_swap(m, page), 0);
	assert_int_equal(sys_swapoff(m, "/b"), 0);
	assert_false(PageSwapCache(page));
	assert_true(test_bit_flag(page, PG_dirty));
	assert_int_equal(page_ref_count(page), 1);
	assert_int_equal(total_swap_pages(m), 0);

	/* A slot a swap PTE refers to needs the page-table walk: swapoff fails, the area stays. */
	area(m, "/c", MB, 0);
	entry = out(m, page);
	assert_int_equal(sys_swapoff(m, "/c"), -EINTR);
	assert_int_equal(get_nr_swap_pages(m), 254);
	assert_machine_ok(m);
	swap_free(m, entry);
	assert_int_equal(sys_swapoff(m, "/c"), 0);
	__free_pages(m, page, 0);
	assert_machine_ok(m);
	machine_destroy(m);
}

static void test_max_swapfiles(void **state)
{
	(void)state;
	struct machine *m = boot64();
	char path[32];

	for (int i = 0; i < MAX_SWAPFILES; i++) {
		snprintf(path, sizeof(path), "/swap%d", i);
		area(m, path, 40 * 1024, 0);
	}
	assert_int_equal(mkswap(m, "/one-too-many", 40 * 1024, &(struct swap_header_info){ 0 }), 0);
	assert_int_equal(sys_swapon(m, "/one-too-many", 0), -EPERM);
	assert_int_equal(sys_swapoff(m, "/swap3"), 0);
	assert_int_equal(sys_swapon(m, "/one-too-many", 0), 0);
	assert_int_equal(swap_info_find(m, "/one-too-many")->type, 3);	/* the freed type number */
	assert_machine_ok(m);
	machine_destroy(m);
}

static void test_procfs(void **state)
{
	(void)state;
	struct machine *m = boot64();
	struct seq_file s;
	struct page *page = alloc_pages(m, GFP_KERNEL, 0);

	seq_init(&s);
	area(m, "/swapfile", 8 * MB, prio(3));
	set_page_flag(page, PG_swapbacked);
	assert_int_equal(folio_alloc_swap(m, page), 0);
	assert_non_null(strstr(read_proc(m, "/proc/meminfo", &s), "SwapCached:            4 kB\n"));
	assert_non_null(strstr(s.buf, "SwapTotal:          8188 kB\nSwapFree:           8184 kB\n"));
	assert_string_equal(read_proc(m, "/proc/swaps", &s),
			    "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
			    "/swapfile                               file\t\t8188\t\t4\t\t3\n");
	assert_string_equal(read_proc(m, "/proc/sys/vm/swappiness", &s), "60\n");
	assert_string_equal(read_proc(m, "/proc/sys/vm/page-cluster", &s), "3\n");
	assert_int_equal(procfs_write(m, "/proc/sys/vm/swappiness", "201", 3), -EINVAL);
	assert_int_equal(procfs_write(m, "/proc/sys/vm/swappiness", "200", 3), 0);
	assert_int_equal(m->sysctl.swappiness, 200);
	assert_int_equal(procfs_write(m, "/proc/sys/vm/page-cluster", "-1", 2), -EINVAL);
	assert_int_equal(procfs_write(m, "/proc/sys/vm/overcommit_memory", "3", 1), -EINVAL);
	swap_cache_del_folio(m, page);
	__free_pages(m, page, 0);
	seq_release(&s);
	assert_machine_ok(m);
	machine_destroy(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entry_encoding),
		cmocka_unit_test(test_header_validation),
		cmocka_unit_test(test_cluster_allocation),
		cmocka_unit_test(test_priorities),
		cmocka_unit_test(test_swap_map_counts),
		cmocka_unit_test(test_bytes_round_trip),
		cmocka_unit_test(test_zram),
		cmocka_unit_test(test_swapoff),
		cmocka_unit_test(test_max_swapfiles),
		cmocka_unit_test(test_procfs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
