/* Unit tests of /proc and /sys: the formats against the host kernel's own files where the host can
 * show them, and every figure against the machine's accounting, worked out here independently. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cmocka.h>

#include <mmlab/gfp.h>
#include <mmlab/machine.h>
#include <mmlab/procfs.h>
#include <mmlab/sched.h>
#include <mmlab/seq_file.h>
#include <mmlab/vmstat.h>

#include "mm/internal.h"

/* The gate VMA's maps line on x86_64 in vsyscall=xonly mode, up to its name. */
#define GATE_LINE "ffffffffff600000-ffffffffff601000 --xp "

static struct machine *boot_with(enum mm_arch arch, uint64_t ram, int nodes)
{
	struct machine_config cfg;
	char err[256];

	machine_config_default(&cfg);
	cfg.ram = ram;
	cfg.nodes = nodes;
	cfg.arch = arch;
	struct machine *m = machine_boot(&cfg, NULL, err, sizeof(err));
	assert_non_null(m);
	return m;
}

/* read_proc: the text of a file, which the caller frees. */
static char *read_proc(struct machine *m, const char *path)
{
	struct seq_file s;

	seq_init(&s);
	assert_int_equal(procfs_read(m, path, &s), 0);
	char *text = strdup(s.buf ? s.buf : "");
	seq_release(&s);
	return text;
}

static int write_proc(struct machine *m, const char *path, const char *text)
{
	return procfs_write(m, path, text, strlen(text));
}

/* field: the number after "key" at the start of a line (key includes its ':' if any), or -1. */
static long long field(const char *text, const char *key)
{
	size_t len = strlen(key);

	for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		while (*p == ' ')
			p++;
		if (!strncmp(p, key, len) && (p[len] == ' ' || p[len] == '\t'))
			return strtoll(p + len, NULL, 10);
	}
	return -1;
}

/* zone_block: the lines of one zone in zoneinfo, up to the next "Node " line; the caller frees. */
static char *zone_block(const char *zoneinfo, int nid, const char *zone)
{
	char head[64];

	snprintf(head, sizeof(head), "Node %d, zone %8s\n", nid, zone);
	const char *start = strstr(zoneinfo, head);
	assert_non_null(start);
	const char *end = strstr(start + 1, "\nNode ");
	size_t len = end ? (size_t)(end - start) + 1 : strlen(start);
	char *block = malloc(len + 1);
	memcpy(block, start, len);
	block[len] = '\0';
	return block;
}

/* buddy_free_pages: what a zone's free lists hold, walked here. */
static unsigned long buddy_free_pages(const struct zone *zone)
{
	unsigned long pages = 0;

	for (int order = 0; order < NR_PAGE_ORDERS; order++) {
		for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
			const struct list_head *p;

			list_for_each(p, &zone->free_area[order].free_list[mt])
				pages += 1UL << order;
		}
	}
	return pages;
}

static bool host_is_x86_64_linux(void)
{
	struct utsname u;

	return uname(&u) == 0 && !strcmp(u.sysname, "Linux") && !strcmp(u.machine, "x86_64");
}

/* line_names: the text of each line before the first of seps, joined by '\n'; the caller frees. */
static char *line_names(const char *text, const char *seps)
{
	char *names = malloc(strlen(text) + 1), *out = names;

	for (const char *p = text; *p;) {
		size_t n = strcspn(p, seps);

		memcpy(out, p, n);
		out += n;
		*out++ = '\n';
		p = strchr(p, '\n');
		if (!p)
			break;
		p++;
	}
	*out = '\0';
	return names;
}

/* read_host_file: the whole of a host file, which the caller frees; NULL if it cannot be read. */
static char *read_host_file(const char *path)
{
	FILE *f = fopen(path, "r");
	size_t size = 1 << 16, n = 0, got;
	char *text;

	if (!f)
		return NULL;
	text = malloc(size);
	while ((got = fread(text + n, 1, size - 1 - n, f)) > 0) {
		n += got;
		if (n == size - 1)
			text = realloc(text, size *= 2);
	}
	text[n] = '\0';
	fclose(f);
	return text;
}

/* Whether the host CPU has 1 GiB pages (X86_FEATURE_GBPAGES: "pdpe1gb" in /proc/cpuinfo). The
 * kernel prints DirectMap1G only then (arch_report_meminfo); the model's x86_64 CPU has them. */
static bool host_has_gbpages(void)
{
	char *cpuinfo = read_host_file("/proc/cpuinfo");
	bool has = cpuinfo && strstr(cpuinfo, " pdpe1gb");

	free(cpuinfo);
	return has;
}

/* The field names of our meminfo, in order, are the host kernel's (when the host is x86_64
 * Linux), but for DirectMap1G on a host CPU without 1 GiB pages. */
static void test_meminfo_fields_match_host(void **state)
{
	(void)state;
	char *host = host_is_x86_64_linux() ? read_host_file("/proc/meminfo") : NULL;

	if (!host)
		skip();
	struct machine *m = boot_with(ARCH_X86_64, 256ULL << 20, 1);
	char *ours = read_proc(m, "/proc/meminfo");
	char *a = line_names(ours, ":\n"), *b = line_names(host, ":\n");
	char *gb = strstr(a, "DirectMap1G\n");

	if (gb && !host_has_gbpages())
		memmove(gb, gb + strlen("DirectMap1G\n"), strlen(gb + strlen("DirectMap1G\n")) + 1);

	assert_string_equal(a, b);
	free(a);
	free(b);
	free(ours);
	free(host);
	machine_destroy(m);
}

/* The host's file at path, when the host runs the kernel version modelled (6.18, x86_64), else NULL. */
static char *read_host_618(const char *path)
{
	struct utsname u;

	if (!host_is_x86_64_linux() || uname(&u) != 0 || strncmp(u.release, "6.18.", 5))
		return NULL;
	return read_host_file(path);
}

/* The line names (up to one of seps) of our file at path are those of the host's file, in order. */
static void expect_names_match(const char *path, const char *seps)
{
	char *host = read_host_618(path);

	if (!host)
		skip();
	struct machine *m = boot_with(ARCH_X86_64, 256ULL << 20, 1);
	char *ours = read_proc(m, path);
	char *a = line_names(ours, seps), *b = line_names(host, seps);

	assert_string_equal(a, b);
	free(a);
	free(b);
	free(ours);
	free(host);
	machine_destroy(m);
}

static void test_vmstat_names_match_host(void **state)
{
	(void)state;
	expect_names_match("/proc/vmstat", " \n");
}

/* The events the kernel's enum names differently from their /proc/vmstat text
 * (include/linux/vm_event_item.h, mm/vmstat.c vmstat_text): each counts under its own line. */
static void test_vmstat_kernel_event_names(void **state)
{
	static const struct {
		enum vm_event_item item;
		const char *text;
	} events[] = {
		{ PGSCAN_SKIP_NORMAL, "pgskip_normal" },
		{ PGSCAN_ZONE_RECLAIM_SUCCESS, "zone_reclaim_success" },
		{ PGSCAN_ZONE_RECLAIM_FAILED, "zone_reclaim_failed" },
		{ NUMA_PAGE_MIGRATE, "numa_pages_migrated" },
		{ HTLB_BUDDY_PGALLOC, "htlb_buddy_alloc_success" },
		{ HTLB_BUDDY_PGALLOC_FAIL, "htlb_buddy_alloc_fail" },
		{ UNEVICTABLE_PGCULLED, "unevictable_pgs_culled" },
		{ UNEVICTABLE_PGSCANNED, "unevictable_pgs_scanned" },
		{ UNEVICTABLE_PGRESCUED, "unevictable_pgs_rescued" },
		{ UNEVICTABLE_PGMLOCKED, "unevictable_pgs_mlocked" },
		{ UNEVICTABLE_PGMUNLOCKED, "unevictable_pgs_munlocked" },
		{ UNEVICTABLE_PGCLEARED, "unevictable_pgs_cleared" },
		{ UNEVICTABLE_PGSTRANDED, "unevictable_pgs_stranded" },
		{ THP_SCAN_EXCEED_SHARED_PTE, "thp_scan_exceed_share_pte" },
		{ DIRECT_MAP_LEVEL2_SPLIT, "direct_map_level2_splits" },
		{ DIRECT_MAP_LEVEL3_SPLIT, "direct_map_level3_splits" },
		{ DIRECT_MAP_LEVEL2_COLLAPSE, "direct_map_level2_collapses" },
		{ DIRECT_MAP_LEVEL3_COLLAPSE, "direct_map_level3_collapses" },
	};
	struct machine *m = boot_with(ARCH_X86_64, 256ULL << 20, 1);

	(void)state;
	for (size_t i = 0; i < sizeof(events) / sizeof(events[0]); i++) {
		char *before = read_proc(m, "/proc/vmstat"), *after;

		count_vm_events(m, events[i].item, i + 1);
		after = read_proc(m, "/proc/vmstat");
		assert_int_equal(field(after, events[i].text) - field(before, events[i].text), (long long)(i + 1));
		free(before);
		free(after);
	}
	machine_destroy(m);
}

static void test_node_files_match_host(void **state)
{
	(void)state;
	expect_names_match("/sys/devices/system/node/node0/vmstat", " \n");
	expect_names_match("/sys/devices/system/node/node0/numastat", " \n");
	expect_names_match("/sys/devices/system/node/node0/meminfo", ":\n");
}

/* shape: the text with its numbers replaced by '#': one for each number where numbers are unpadded,
 * or, for right-aligned columns (padded), one per character of the column: what is left is the
 * format. The caller frees. */
static char *shape(const char *text, bool padded)
{
	char *out = malloc(strlen(text) + 1), *o = out;

	for (const char *p = text; *p;) {
		const char *q = p;

		while (padded && *q == ' ')
			q++;
		if (*q < '0' || *q > '9') {
			*o++ = *p++;
			continue;
		}
		while (*q >= '0' && *q <= '9')
			q++;
		memset(o, '#', padded ? (size_t)(q - p) : 1);
		o += padded ? q - p : 1;
		p = q;
	}
	*o = '\0';
	return out;
}

/* The format of zoneinfo, buddyinfo and pagetypeinfo is the host's, on a machine with the host's
 * CPUs and zones (DMA, DMA32 and Normal populated). */
static void test_zone_files_match_host(void **state)
{
	(void)state;
	static const char *const paths[] = { "/proc/zoneinfo", "/proc/buddyinfo", "/proc/pagetypeinfo" };
	static const bool padded[] = { false, true, true };
	char *host_zoneinfo = read_host_618("/proc/zoneinfo");
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	if (!host_zoneinfo || !strstr(host_zoneinfo, "zone   Normal\n  pages") || cpus < 1 || cpus > NR_CPUS)
		skip();
	free(host_zoneinfo);

	struct machine_config cfg;
	char err[256];

	machine_config_default(&cfg);
	cfg.ram = 6ULL << 30;
	cfg.cpus = (int)cpus;
	struct machine *m = machine_boot(&cfg, NULL, err, sizeof(err));
	assert_non_null(m);
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		char *host = read_host_file(paths[i]), *ours = read_proc(m, paths[i]);
		char *a = shape(ours, padded[i]), *b = shape(host, padded[i]);

		assert_string_equal(a, b);
		free(a);
		free(b);
		free(ours);
		free(host);
	}
	machine_destroy(m);
}

/* last_digit_column: where the number of a "Name:   N kB" line ends, which %8lu fixes while the
 * number has at most 8 digits; -1 for a wider number or none. */
static int last_digit_column(const char *line, size_t len)
{
	int last = -1, digits = 0;

	for (size_t i = 0; i < len; i++) {
		if (line[i] >= '0' && line[i] <= '9') {
			last = (int)i;
			digits++;
		} else if (line[i] != ' ' && last >= 0) {
			break;
		}
	}
	return digits > 8 ? -1 : last;
}

/* The numbers of meminfo and a node's meminfo end in the host's columns, line by line. */
static void expect_columns_match(struct machine *m, const char *path)
{
	char *host = read_host_618(path), *ours = read_proc(m, path);
	const char *h = host, *o = ours;

	while (*h && *o) {
		size_t hl = strcspn(h, "\n"), ol = strcspn(o, "\n");
		int hc = last_digit_column(h, hl), oc = last_digit_column(o, ol);

		if (hc >= 0 && oc >= 0 && hc != oc)
			fail_msg("%s: \"%.*s\" ends its number at column %d, the host's \"%.*s\" at %d", path, (int)ol,
				 o, oc, (int)hl, h, hc);
		h += hl + (h[hl] == '\n');
		o += ol + (o[ol] == '\n');
	}
	free(host);
	free(ours);
}

static void test_meminfo_columns_match_host(void **state)
{
	(void)state;
	char *host = read_host_618("/proc/meminfo");

	if (!host)
		skip();
	free(host);
	struct machine *m = boot_with(ARCH_X86_64, 256ULL << 20, 1);
	expect_columns_match(m, "/proc/meminfo");
	expect_columns_match(m, "/sys/devices/system/node/node0/meminfo");
	machine_destroy(m);
}

/* MemTotal, MemFree, MemAvailable and CommitLimit from the accounting, with pages on the per-CPU
 * lists (which the kernel counts as taken from the buddy, not free). */
static void test_meminfo_numbers(void **state)
{
	(void)state;
	struct machine *m = boot_with(ARCH_X86_64, 512ULL << 20, 1);
	struct page *small = alloc_pages(m, GFP_KERNEL, 0), *big = alloc_pages(m, GFP_KERNEL, 3);
	unsigned long buddy = 0;

	for (int z = 0; z < MAX_NR_ZONES; z++)
		buddy += buddy_free_pages(&NODE_DATA(m, 0)->node_zones[z]);
	char *text = read_proc(m, "/proc/meminfo");

	assert_int_equal(field(text, "MemTotal:"), m->totalram_pages * 4);
	assert_int_equal(field(text, "MemFree:"), buddy * 4);
	/* No page cache and no slab yet: what is available is what is free beyond the reserves. */
	assert_int_equal(field(text, "MemAvailable:"), (buddy - m->totalreserve_pages) * 4);
	assert_int_equal(field(text, "CommitLimit:"), m->totalram_pages / 2 * 4);
	assert_int_equal(field(text, "VmallocTotal:"), 34359738367LL);
	assert_int_equal(field(text, "Hugepagesize:"), 2048);
	assert_int_equal(field(text, "HighTotal:"), -1);
	/* The direct map covers the first MiB, holes included, and the RAM above it: 4K pages up to 2M,
	 * the rest in 2M pages. */
	assert_int_equal(field(text, "DirectMap4k:"), 2048);
	assert_int_equal(field(text, "DirectMap2M:"), 512 * 1024 - 2048);
	assert_int_equal(field(text, "DirectMap1G:"), 0);
	free(text);
	__free_pages(m, small, 0);
	__free_pages(m, big, 3);
	machine_destroy(m);
}

/* buddyinfo: one line per populated zone whose counts are the free lists', summing to NR_FREE_PAGES. */
static void test_buddyinfo_sums(void **state)
{
	(void)state;
	struct machine *m = boot_with(ARCH_X86_64, 256ULL << 20, 1);
	struct page *p = alloc_pages(m, GFP_KERNEL, 2);
	char *text = read_proc(m, "/proc/buddyinfo");
	const char *line = text;
	int lines = 0;

	for (int z = 0; z < MAX_NR_ZONES; z++) {
		const struct zone *zone = &NODE_DATA(m, 0)->node_zones[z];
		char head[64];
		unsigned long pages = 0;

		if (!populated_zone(zone))
			continue;
		snprintf(head, sizeof(head), "Node 0, zone %8s ", zone->name);
		assert_memory_equal(line, head, strlen(head));
		const char *p2 = line + strlen(head);
		for (int order = 0; order < NR_PAGE_ORDERS; order++) {
			char *end;
			unsigned long n = strtoul(p2, &end, 10);

			assert_int_equal(n, zone->free_area[order].nr_free);
			pages += n << order;
			p2 = end;
		}
		assert_memory_equal(p2, " \n", 2);
		assert_int_equal(pages, zone_page_state(zone, NR_FREE_PAGES));
		assert_int_equal(pages, buddy_free_pages(zone));
		line = strchr(line, '\n') + 1;
		lines++;
	}
	assert_int_equal(*line, '\0');
	assert_int_equal(lines, 2);
	free(text);
	__free_pages(m, p, 2);
	machine_destroy(m);
}

/* pagetypeinfo: per order, the counts over the migratetypes add up to buddyinfo's; the block counts
 * add up to the pageblocks of the zone. */
static void test_pagetypeinfo_sums(void **state)
{
	(void)state;
	struct machine *m = boot_with(ARCH_X86_64, 256ULL << 20, 1);
	struct page *p = alloc_pages(m, GFP_KERNEL, 0);
	char *text = read_proc(m, "/proc/pagetypeinfo");

	assert_int_equal(strncmp(text, "Page block order: 9\nPages per block:  512\n\n", 43), 0);
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		const struct zone *zone = &NODE_DATA(m, 0)->node_zones[z];
		unsigned long per_order[NR_PAGE_ORDERS] = { 0 }, blocks = 0, expect_blocks = 0;
		char head[64];

		if (!populated_zone(zone))
			continue;
		for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
			static const char *const names[] = { "Unmovable", "Movable", "Reclaimable", "HighAtomic", "Isolate" };
			snprintf(head, sizeof(head), "Node    0, zone %8s, type %12s ", zone->name, names[mt]);
			const char *p2 = strstr(text, head);
			assert_non_null(p2);
			p2 += strlen(head);
			for (int order = 0; order < NR_PAGE_ORDERS; order++)
				per_order[order] += strtoul(p2, (char **)&p2, 10);
		}
		for (int order = 0; order < NR_PAGE_ORDERS; order++)
			assert_int_equal(per_order[order], zone->free_area[order].nr_free);
		snprintf(head, sizeof(head), "Node 0, zone %8s ", zone->name);
		const char *p2 = strstr(strstr(text, "Number of blocks type"), head) + strlen(head);
		for (int mt = 0; mt < MIGRATE_TYPES; mt++)
			blocks += strtoul(p2, (char **)&p2, 10);
		for (unsigned long pfn = zone->zone_start_pfn; pfn < zone_end_pfn(zone); pfn += 512)
			expect_blocks++;
		assert_int_equal(blocks, expect_blocks);
	}
	free(text);
	__free_pages(m, p, 0);
	machine_destroy(m);
}

/* zoneinfo: free, spanned, present, managed and the watermarks are the zone's; the empty zones the
 * kernel has (Normal, Movable, Device here) print only up to their protection line. */
static void test_zoneinfo_fields(void **state)
{
	(void)state;
	struct machine *m = boot_with(ARCH_X86_64, 256ULL << 20, 1);
	char *text = read_proc(m, "/proc/zoneinfo");

	for (int z = 0; z < MAX_NR_ZONES; z++) {
		const struct zone *zone = &NODE_DATA(m, 0)->node_zones[z];

		if (!zone_configured(m, (enum zone_type)z)) {
			char head[64];
			snprintf(head, sizeof(head), "zone %8s", zone->name);
			assert_null(strstr(text, head));
			continue;
		}
		char *block = zone_block(text, 0, zone->name);
		assert_int_equal(field(block, "pages free"), zone_page_state(zone, NR_FREE_PAGES));
		assert_int_equal(field(block, "min"), zone->_watermark[WMARK_MIN]);
		assert_int_equal(field(block, "low"), zone->_watermark[WMARK_LOW]);
		assert_int_equal(field(block, "high"), zone->_watermark[WMARK_HIGH]);
		assert_int_equal(field(block, "spanned"), zone->spanned_pages);
		assert_int_equal(field(block, "present"), zone->present_pages);
		assert_int_equal(field(block, "managed"), zone->managed_pages);
		assert_true(strstr(block, "protection: (0, ") != NULL);
		assert_int_equal(strstr(block, "pagesets") != NULL, populated_zone(zone));
		assert_int_equal(strstr(block, "per-node stats") != NULL, z == ZONE_DMA);
		if (populated_zone(zone))
			assert_int_equal(field(block, "start_pfn:"), zone->zone_start_pfn);
		free(block);
	}
	free(text);
	machine_destroy(m);
}

/* The kernel's __setup_per_zone_wmarks, worked out here from the managed pages. */
static void expect_watermarks(struct machine *m, int min_free_kbytes, int scale_factor)
{
	unsigned long pages_min = (unsigned long)min_free_kbytes / 4, lowmem = 0;
	char *text = read_proc(m, "/proc/zoneinfo");

	for (int z = 0; z < MAX_NR_ZONES; z++) {
		if (z != ZONE_HIGHMEM && z != ZONE_MOVABLE)
			lowmem += NODE_DATA(m, 0)->node_zones[z].managed_pages;
	}
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		const struct zone *zone = &NODE_DATA(m, 0)->node_zones[z];
		unsigned long managed = zone->managed_pages, tmp = pages_min * managed / lowmem, min, gap;

		if (!zone_configured(m, (enum zone_type)z))
			continue;
		min = tmp;
		if (z == ZONE_HIGHMEM || z == ZONE_MOVABLE) {
			min = managed / 1024;
			min = min < 32 ? 32 : min > 128 ? 128 : min;
		}
		gap = tmp >> 2;
		if (managed * (unsigned long)scale_factor / 10000 > gap)
			gap = managed * (unsigned long)scale_factor / 10000;
		char *block = zone_block(text, 0, zone->name);
		assert_int_equal(field(block, "min"), min);
		assert_int_equal(field(block, "low"), min + gap);
		assert_int_equal(field(block, "high"), min + 2 * gap);
		free(block);
	}
	free(text);
}

static void test_min_free_kbytes_write(void **state)
{
	(void)state;
	struct machine *m = boot_with(ARCH_X86_64, 1ULL << 30, 1);
	char *text;

	assert_int_equal(write_proc(m, "/proc/sys/vm/min_free_kbytes", "8192\n"), 0);
	text = read_proc(m, "/proc/sys/vm/min_free_kbytes");
	assert_string_equal(text, "8192\n");
	free(text);
	assert_int_equal(m->sysctl.user_min_free_kbytes, 8192);
	expect_watermarks(m, 8192, m->sysctl.watermark_scale_factor);

	assert_int_equal(write_proc(m, "/proc/sys/vm/watermark_scale_factor", "1000"), 0);
	expect_watermarks(m, 8192, 1000);
	/* The kernel's parser: surrounding blanks, any base strtoul takes. */
	assert_int_equal(write_proc(m, "/proc/sys/vm/min_free_kbytes", "  0x1000 \n"), 0);
	expect_watermarks(m, 4096, 1000);
	machine_destroy(m);
}

static void test_sysctl_bad_values(void **state)
{
	(void)state;
	struct machine *m = boot_with(ARCH_X86_64, 256ULL << 20, 1);
	static const char *const bad_min_free[] = { "", "\n", "abc", "-1", "12x", "2147483648", "1.5",
						    "99999999999999999999999" };
	int before = m->sysctl.min_free_kbytes;

	for (size_t i = 0; i < sizeof(bad_min_free) / sizeof(bad_min_free[0]); i++)
		assert_int_equal(write_proc(m, "/proc/sys/vm/min_free_kbytes", bad_min_free[i]), -EINVAL);
	assert_int_equal(m->sysctl.min_free_kbytes, before);
	assert_int_equal(write_proc(m, "/proc/sys/vm/watermark_scale_factor", "0"), -EINVAL);
	assert_int_equal(write_proc(m, "/proc/sys/vm/watermark_scale_factor", "3001"), -EINVAL);
	assert_int_equal(write_proc(m, "/proc/sys/vm/watermark_scale_factor", "3000\n"), 0);
	assert_int_equal(write_proc(m, "/proc/sys/vm/percpu_pagelist_high_fraction", "5"), -EINVAL);
	assert_int_equal(m->sysctl.percpu_pagelist_high_fraction, 0);
	assert_int_equal(write_proc(m, "/proc/sys/vm/watermark_boost_factor", "-5"), -EINVAL);
	assert_int_equal(write_proc(m, "/proc/sys/vm/watermark_boost_factor", "0"), 0);
	machine_destroy(m);
}

static void test_paths(void **state)
{
	(void)state;
	struct machine *m = boot_with(ARCH_X86_64, 256ULL << 20, 2);
	struct seq_file s;
	char path[64];

	seq_init(&s);
	assert_int_equal(procfs_read(m, "/proc/nope", &s), -ENOENT);
	assert_int_equal(procfs_read(m, "/proc/sys/vm/nope", &s), -ENOENT);
	assert_int_equal(procfs_read(m, "/proc/meminfo/x", &s), -ENOENT);
	assert_int_equal(procfs_read(m, "/sys/devices/system/node/node2/meminfo", &s), -ENOENT);
	assert_int_equal(procfs_read(m, "/sys/devices/system/node/node01/meminfo", &s), -ENOENT);
	assert_int_equal(procfs_read(m, "proc/meminfo", &s), -ENOENT);
	assert_int_equal(procfs_read(m, "/proc/sys/vm", &s), -EISDIR);
	assert_int_equal(procfs_read(m, "/sys/devices/system/node/node1", &s), -EISDIR);
	assert_int_equal(s.count, 0);
	assert_int_equal(write_proc(m, "/proc/meminfo", "1"), -EACCES);
	assert_int_equal(write_proc(m, "/proc/nope", "1"), -ENOENT);
	sysctl_path("vm.min_free_kbytes", strlen("vm.min_free_kbytes"), path, sizeof(path));
	assert_string_equal(path, "/proc/sys/vm/min_free_kbytes");

	assert_int_equal(procfs_read(m, "/sys/devices/system/node/online", &s), 0);
	assert_string_equal(s.buf, "0-1\n");
	seq_reset(&s);
	assert_int_equal(procfs_read(m, "/sys/devices/system/node/node1/distance", &s), 0);
	assert_string_equal(s.buf, "20 10\n");
	seq_release(&s);

	char *node1 = read_proc(m, "/sys/devices/system/node/node1/meminfo");
	unsigned long managed = 0;
	for (int z = 0; z < MAX_NR_ZONES; z++)
		managed += NODE_DATA(m, 1)->node_zones[z].managed_pages;
	assert_int_equal(field(node1, "Node 1 MemTotal:"), managed * 4);
	free(node1);
	machine_destroy(m);
}

/* lowmem_reserve_ratio: one ratio per zone the kernel has; the protection of each zone follows the
 * kernel's formula over the managed pages of the zones above it. */
static void test_lowmem_reserve_ratio(void **state)
{
	(void)state;
	struct machine *m = boot_with(ARCH_X86_64, 6ULL << 30, 1);
	char *text = read_proc(m, "/proc/sys/vm/lowmem_reserve_ratio");
	const pg_data_t *pgdat = NODE_DATA(m, 0);

	assert_string_equal(text, "256\t256\t32\t0\t0\n");
	free(text);
	assert_int_equal(write_proc(m, "/proc/sys/vm/lowmem_reserve_ratio", "128 64 0"), 0);
	text = read_proc(m, "/proc/sys/vm/lowmem_reserve_ratio");
	assert_string_equal(text, "128\t64\t0\t0\t0\n");
	free(text);

	unsigned long dma32 = pgdat->node_zones[ZONE_DMA32].managed_pages;
	unsigned long normal = pgdat->node_zones[ZONE_NORMAL].managed_pages;
	char expect[128];
	text = read_proc(m, "/proc/zoneinfo");
	char *block = zone_block(text, 0, "DMA");
	snprintf(expect, sizeof(expect), "protection: (0, %lu, %lu, %lu, %lu)", dma32 / 128, (dma32 + normal) / 128,
		 (dma32 + normal) / 128, (dma32 + normal) / 128);
	assert_non_null(strstr(block, expect));
	free(block);
	block = zone_block(text, 0, "DMA32");
	snprintf(expect, sizeof(expect), "protection: (0, 0, %lu, %lu, %lu)", normal / 64, normal / 64, normal / 64);
	assert_non_null(strstr(block, expect));
	free(block);
	free(text);
	assert_int_equal(write_proc(m, "/proc/sys/vm/lowmem_reserve_ratio", "1 x"), -EINVAL);
	machine_destroy(m);
}

/* percpu_pagelist_high_fraction: a fraction sizes high_min and high_max alike; 0 restores the
 * default range; zoneinfo shows the pagesets as they are. */
static void test_percpu_pagelist_high_fraction(void **state)
{
	(void)state;
	struct machine *m = boot_with(ARCH_X86_64, 1ULL << 30, 1);
	const struct per_cpu_pages *pcp = &NODE_DATA(m, 0)->node_zones[ZONE_DMA32].per_cpu_pageset[1];
	int high_max = pcp->high_max;
	char expect[160];

	assert_true(pcp->high_min < pcp->high_max);
	assert_int_equal(write_proc(m, "/proc/sys/vm/percpu_pagelist_high_fraction", "8\n"), 0);
	assert_int_equal(pcp->high_min, pcp->high_max);
	char *text = read_proc(m, "/proc/zoneinfo");
	char *block = zone_block(text, 0, "DMA32");
	snprintf(expect, sizeof(expect), "\n    cpu: 1\n              count:    %d\n              high:     %d\n"
		 "              batch:    %d\n              high_min: %d\n              high_max: %d\n",
		 pcp->count, pcp->high, pcp->batch, pcp->high_min, pcp->high_max);
	assert_non_null(strstr(block, expect));
	free(block);
	free(text);
	/* Back to the default range, sized from the managed pages of now (boot sized it before the
	 * init sections were freed). */
	assert_int_equal(write_proc(m, "/proc/sys/vm/percpu_pagelist_high_fraction", "0"), 0);
	assert_true(pcp->high_min < pcp->high_max);
	assert_true(pcp->high_max >= high_max);
	machine_destroy(m);
}

/* Above 4G: the RAM remapped over the PCI hole, and 1G pages where whole ones fit. */
static void test_direct_map_gbpages(void **state)
{
	(void)state;
	struct machine *m = boot_with(ARCH_X86_64, 6ULL << 30, 1);
	char *text = read_proc(m, "/proc/meminfo");

	/* [0, 3G): 4K to 2M, 2M pages to 1G, two 1G pages; [4G, 7G): three 1G pages. */
	assert_int_equal(field(text, "DirectMap4k:"), 2048);
	assert_int_equal(field(text, "DirectMap2M:"), 511 * 2048);
	assert_int_equal(field(text, "DirectMap1G:"), 5 * 1048576);
	free(text);
	machine_destroy(m);
}

/* i386: HighMem in meminfo, zoneinfo and vmstat; no DMA32 or Device. */
static void test_i386_highmem(void **state)
{
	(void)state;
	struct machine *m = boot_with(ARCH_I386, 1ULL << 30, 1);
	char *meminfo = read_proc(m, "/proc/meminfo");
	char *vmstat = read_proc(m, "/proc/vmstat");
	char *zoneinfo = read_proc(m, "/proc/zoneinfo");
	const struct zone *high = &NODE_DATA(m, 0)->node_zones[ZONE_HIGHMEM];

	assert_non_null(strstr(meminfo, "Mlocked:               0 kB\nHighTotal:"));
	assert_non_null(strstr(meminfo, "\nLowFree:  "));
	assert_int_equal(field(meminfo, "HighTotal:"), m->totalhigh_pages * 4);
	assert_int_equal(field(meminfo, "HighFree:"), zone_page_state(high, NR_FREE_PAGES) * 4);
	assert_int_equal(field(meminfo, "LowTotal:"), (m->totalram_pages - m->totalhigh_pages) * 4);
	assert_int_equal(field(meminfo, "Hugepagesize:"), 4096);
	assert_int_equal(field(meminfo, "AnonHugePages:"), -1);
	assert_true(field(meminfo, "DirectMap4M:") > 0);
	assert_int_equal(field(meminfo, "DirectMap1G:"), -1);
	assert_true(field(vmstat, "pgalloc_high") >= 0);
	assert_int_equal(field(vmstat, "pgalloc_dma32"), -1);
	assert_int_equal(field(vmstat, "pgalloc_device"), -1);
	assert_int_equal(field(vmstat, "thp_fault_alloc"), -1);
	char *block = zone_block(zoneinfo, 0, "HighMem");
	assert_int_equal(field(block, "managed"), high->managed_pages);
	assert_non_null(strstr(block, "protection: (0, 0, 0, 0)"));
	free(block);
	assert_null(strstr(zoneinfo, "DMA32"));

	struct seq_file s;

	seq_init(&s);
	show_mem(m, &s);
	/* No NUMA in an i386 kernel: no node prefix on the zone lines, no NUMA counters, no node sysfs. */
	assert_non_null(strstr(s.buf, "\nHighMem free:"));
	assert_non_null(strstr(s.buf, "\nHighMem: 0*4kB "));
	assert_null(strstr(s.buf, "Node 0 DMA"));
	assert_null(strstr(zoneinfo, "numa_hit"));
	assert_null(strstr(zoneinfo, "pgpromote_success"));
	assert_non_null(strstr(zoneinfo, "pgdemote_kswapd"));
	assert_int_equal(field(vmstat, "numa_hit"), -1);
	assert_int_equal(field(vmstat, "zone_reclaim_failed"), -1);
	assert_int_equal(field(vmstat, "numa_pte_updates"), -1);
	assert_true(field(vmstat, "pgmigrate_success") >= 0);
	assert_non_null(strstr(s.buf, "\nlowmem_reserve[]: 0 0 0 0\n"));
	assert_non_null(strstr(s.buf, " shmem:0kB kernel_stack:"));
	assert_non_null(strstr(s.buf, " hugepages_size=4096kB\n"));
	seq_reset(&s);
	assert_int_equal(procfs_read(m, "/sys/devices/system/node/node0/meminfo", &s), -ENOENT);
	assert_int_equal(procfs_read(m, "/sys/devices/system/node/online", &s), -ENOENT);
	seq_release(&s);
	free(meminfo);
	free(vmstat);
	free(zoneinfo);
	machine_destroy(m);
}

/* /proc/vmstat: every name in vmstat_text order for the zones the kernel has, then nr_unstable. */
static void test_vmstat_lines(void **state)
{
	(void)state;
	struct machine *m = boot_with(ARCH_X86_64, 256ULL << 20, 1);
	struct page *p = alloc_pages(m, GFP_KERNEL, 0);
	char *text = read_proc(m, "/proc/vmstat");
	int nr_items = NR_VM_ZONE_STAT_ITEMS + NR_VM_NUMA_EVENT_ITEMS + NR_VM_NODE_STAT_ITEMS + NR_VM_STAT_ITEMS +
		       NR_VM_EVENT_ITEMS;

	for (int i = 0; i < nr_items; i++)
		assert_non_null(vmstat_text[i]);
	assert_string_equal(vmstat_text[nr_items - 1], "direct_map_level3_collapses");
	assert_int_equal(field(text, "nr_free_pages"), global_zone_page_state(m, NR_FREE_PAGES));
	assert_int_equal(field(text, "pgalloc_dma32"), m->vm_events[PGALLOC_DMA32]);
	assert_int_equal(field(text, "nr_memmap_boot_pages"), m->reserved.memmap);
	assert_int_equal(field(text, "pgalloc_high"), -1);
	assert_true(field(text, "nr_dirty_threshold") > field(text, "nr_dirty_background_threshold"));
	size_t len = strlen(text);
	assert_string_equal(text + len - strlen("\nnr_unstable 0\n"), "\nnr_unstable 0\n");
	free(text);
	__free_pages(m, p, 0);
	machine_destroy(m);
}

/* The Mem-Info report: a zone line and a buddy line per populated zone, with the kernel's letters. */
static void test_show_free_areas(void **state)
{
	(void)state;
	struct machine *m = boot_with(ARCH_X86_64, 256ULL << 20, 1);
	const struct zone *dma = &NODE_DATA(m, 0)->node_zones[ZONE_DMA];
	const struct zone *dma32 = &NODE_DATA(m, 0)->node_zones[ZONE_DMA32];
	struct seq_file s;
	char expect[512];

	seq_init(&s);
	show_mem(m, &s);
	assert_int_equal(strncmp(s.buf, "Mem-Info:\nactive_anon:0 inactive_anon:0 isolated_anon:0\n", 56), 0);
	snprintf(expect, sizeof(expect), "Node 0 DMA free:%lukB boost:0kB min:%lukB low:%lukB high:%lukB ",
		 zone_page_state(dma, NR_FREE_PAGES) * 4, dma->_watermark[WMARK_MIN] * 4,
		 dma->_watermark[WMARK_LOW] * 4, dma->_watermark[WMARK_HIGH] * 4);
	assert_non_null(strstr(s.buf, expect));
	/* The buddy line, built from the free lists: every free block of DMA is movable after boot. */
	int n = snprintf(expect, sizeof(expect), "\nNode 0 DMA: ");
	for (int order = 0; order < NR_PAGE_ORDERS; order++) {
		unsigned long nr = dma->free_area[order].nr_free;

		n += snprintf(expect + n, sizeof(expect) - (size_t)n, "%lu*%lukB %s", nr, 4UL << order, nr ? "(M) " : "");
	}
	snprintf(expect + n, sizeof(expect) - (size_t)n, "= %lukB\n", zone_page_state(dma, NR_FREE_PAGES) * 4);
	assert_non_null(strstr(s.buf, expect));
	assert_non_null(strstr(s.buf, "hugepages_size=1048576kB\nNode 0 hugepages_total=0"));
	assert_non_null(strstr(s.buf, "\nTotal swap = 0kB\n"));
	seq_reset(&s);
	/* A GFP_DMA failure shows the DMA zone only; the RAM totals still count every zone. */
	__show_mem(m, &s, ZONE_DMA);
	assert_non_null(strstr(s.buf, "\nNode 0 DMA free:"));
	assert_null(strstr(s.buf, "DMA32"));
	snprintf(expect, sizeof(expect), "\n%lu pages RAM\n0 pages HighMem/MovableOnly\n%lu pages reserved\n",
		 dma->present_pages + dma32->present_pages,
		 dma->present_pages + dma32->present_pages - dma->managed_pages - dma32->managed_pages);
	assert_non_null(strstr(s.buf, expect));
	seq_release(&s);
	machine_destroy(m);
}

/* pagetypeinfo stops counting a free list at 100000 and says so; buddyinfo counts them all. */
static void test_pagetypeinfo_cap(void **state)
{
	(void)state;
	struct machine *m = boot_with(ARCH_X86_64, 2ULL << 30, 1);
	size_t cap = m->totalram_pages, n = 0;
	struct page **pages = malloc(cap * sizeof(*pages));
	struct page *page;

	while (n < cap && (page = alloc_pages(m, GFP_KERNEL | __GFP_NOWARN, 0)))
		pages[n++] = page;
	/* Free the pages of even frames: their buddies stay allocated, so nothing merges. */
	for (size_t i = 0; i < n; i++) {
		if (!(page_to_pfn(m, pages[i]) & 1))
			__free_pages(m, pages[i], 0);
	}
	drain_all_pages(m);
	const struct zone *dma32 = &NODE_DATA(m, 0)->node_zones[ZONE_DMA32];
	assert_true(dma32->free_area[0].nr_free > 100000);

	char *text = read_proc(m, "/proc/pagetypeinfo"), *buddy = read_proc(m, "/proc/buddyinfo");
	char expect[64];

	assert_non_null(strstr(text, "Node    0, zone    DMA32, type    Unmovable >100000 "));
	snprintf(expect, sizeof(expect), "Node 0, zone    DMA32 %6lu ", dma32->free_area[0].nr_free);
	assert_non_null(strstr(buddy, expect));
	free(text);
	free(buddy);
	for (size_t i = 0; i < n; i++) {
		if (page_to_pfn(m, pages[i]) & 1)
			__free_pages(m, pages[i], 0);
	}
	free(pages);
	machine_destroy(m);
}

/* Every file reads on both architectures and after a failed allocation, and a read fails cleanly
 * only where the kernel would: no file of the tree crashes or prints nothing. */
static void test_every_file_reads(void **state)
{
	(void)state;
	static const char *const paths[] = {
		"/proc/meminfo", "/proc/vmstat", "/proc/buddyinfo", "/proc/pagetypeinfo", "/proc/zoneinfo",
		"/proc/sys/vm/min_free_kbytes", "/proc/sys/vm/watermark_scale_factor",
		"/proc/sys/vm/watermark_boost_factor", "/proc/sys/vm/lowmem_reserve_ratio",
		"/proc/sys/vm/percpu_pagelist_high_fraction", "/sys/devices/system/node/node0/meminfo",
		"/sys/devices/system/node/node0/vmstat", "/sys/devices/system/node/node0/numastat",
		"/sys/devices/system/node/node0/distance", "/sys/devices/system/node/node0/cpulist",
		"/sys/devices/system/node/possible", "/sys/devices/system/node/has_high_memory",
	};
	static const enum mm_arch arches[] = { ARCH_X86_64, ARCH_I386 };

	for (size_t a = 0; a < 2; a++) {
		struct machine *m = boot_with(arches[a], 64ULL << 20, 1);
		struct page *hog = alloc_pages(m, GFP_KERNEL | __GFP_NOWARN, MAX_PAGE_ORDER);

		for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
			struct seq_file s;
			bool node_file = !strncmp(paths[i], "/sys/devices/system/node/", 25);
			bool highmem_file = strstr(paths[i], "has_high_memory") != NULL;
			bool exists = node_file ? arches[a] == ARCH_X86_64 && !highmem_file : true;

			seq_init(&s);
			assert_int_equal(procfs_read(m, paths[i], &s), exists ? 0 : -ENOENT);
			assert_int_equal(s.count > 0, exists);
			seq_release(&s);
		}
		if (hog)
			__free_pages(m, hog, MAX_PAGE_ORDER);
		machine_destroy(m);
	}
}

/* from_line: text from its line that starts with prefix to its end ("" when there is none). */
static const char *from_line(const char *text, const char *prefix)
{
	for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, prefix, strlen(prefix)))
			return p;
	return "";
}

/* The maps and smaps of a process of arch, from the gate VMA's line on; the caller frees them. */
static void gate_lines(enum mm_arch arch, char **maps, char **smaps)
{
	struct machine *m = boot_with(arch, 64ULL << 20, 1);
	char msg[320] = "", *text;
	int err = 0;

	assert_non_null(spawn_task(m, "a", NULL, &err, msg, sizeof(msg)));
	text = read_proc(m, "/proc/a/maps");
	*maps = strdup(from_line(text, GATE_LINE));
	free(text);
	text = read_proc(m, "/proc/a/smaps");
	*smaps = strdup(from_line(text, GATE_LINE));
	free(text);
	machine_destroy(m);
}

/* The gate VMA ends maps and smaps, byte for byte the host's in vsyscall=xonly mode (6.18's
 * default): execute-only, nothing resident, VmFlags ex; i386 has none (get_gate_vma). */
static void test_gate_vma_matches_host(void **state)
{
	char *host_maps = read_host_618("/proc/self/maps"), *host_smaps = read_host_618("/proc/self/smaps");
	char *maps, *smaps;

	(void)state;
	if (!host_maps || !host_smaps || !*from_line(host_maps, GATE_LINE)) {
		free(host_maps);
		free(host_smaps);
		skip();
	}
	gate_lines(ARCH_X86_64, &maps, &smaps);
	assert_string_equal(maps, from_line(host_maps, GATE_LINE));
	assert_string_equal(smaps, from_line(host_smaps, GATE_LINE));
	free(maps);
	free(smaps);
	gate_lines(ARCH_I386, &maps, &smaps);
	assert_string_equal(maps, "");
	assert_string_equal(smaps, "");
	free(maps);
	free(smaps);
	free(host_maps);
	free(host_smaps);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_meminfo_fields_match_host),
		cmocka_unit_test(test_vmstat_names_match_host),
		cmocka_unit_test(test_vmstat_kernel_event_names),
		cmocka_unit_test(test_node_files_match_host),
		cmocka_unit_test(test_zone_files_match_host),
		cmocka_unit_test(test_meminfo_columns_match_host),
		cmocka_unit_test(test_meminfo_numbers),
		cmocka_unit_test(test_buddyinfo_sums),
		cmocka_unit_test(test_pagetypeinfo_sums),
		cmocka_unit_test(test_zoneinfo_fields),
		cmocka_unit_test(test_min_free_kbytes_write),
		cmocka_unit_test(test_sysctl_bad_values),
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_lowmem_reserve_ratio),
		cmocka_unit_test(test_percpu_pagelist_high_fraction),
		cmocka_unit_test(test_direct_map_gbpages),
		cmocka_unit_test(test_i386_highmem),
		cmocka_unit_test(test_vmstat_lines),
		cmocka_unit_test(test_show_free_areas),
		cmocka_unit_test(test_pagetypeinfo_cap),
		cmocka_unit_test(test_every_file_reads),
		cmocka_unit_test(test_gate_vma_matches_host),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
