/*
 * Boot: from a firmware memory map to a running buddy allocator (mm/mm_init.c, mm/memblock.c,
 * arch/x86/mm/init.c).
 *
 * 1. The e820 map says where RAM is. RAM is split evenly between the nodes, and each node into the
 *    zones its addresses fall in.
 * 2. Before the buddy allocator exists, memblock hands out early memory: the kernel image, each
 *    node's part of mem_map, the pageblock bitmaps and the per-CPU areas. Those pages stay reserved:
 *    they are present but not managed.
 * 3. Every other page of RAM is freed into the buddy lists (memblock_free_all), watermarks are set,
 *    and the kernel's init sections are freed last (free_initmem).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <mmlab/gfp.h>
#include <mmlab/highmem.h>
#include <mmlab/huge_mm.h>
#include <mmlab/hugetlb.h>
#include <mmlab/machine.h>
#include <mmlab/numa_balancing.h>
#include <mmlab/printk.h>
#include <mmlab/sched.h>
#include <mmlab/slab.h>
#include <mmlab/compaction.h>
#include <mmlab/kthread.h>
#include <mmlab/fs.h>
#include <mmlab/khugepaged.h>
#include <mmlab/ksm.h>
#include <mmlab/swap.h>
#include <mmlab/zram.h>
#include <mmlab/zswap.h>
#include <mmlab/vmalloc.h>
#include <mmlab/vmscan.h>
#include <mmlab/vmstat.h>

#include "../arch/x86/x86.h"
#include "internal.h"

/* The simulated kernel image, loaded at 16 MiB (CONFIG_PHYSICAL_START); sizes in KiB. */
#define KERNEL_LOAD_PFN		((16UL << 20) >> PAGE_SHIFT)
#define KERNEL_CODE_KB		6144
#define KERNEL_RWDATA_KB	1024
#define KERNEL_RODATA_KB	2048
#define KERNEL_INIT_KB		1024
#define KERNEL_BSS_KB		1024
#define KB_TO_PAGES(kb)		((unsigned long)(kb) >> (PAGE_SHIFT - 10))
#define PAGES_TO_KB(p)		((unsigned long)(p) << (PAGE_SHIFT - 10))

#define MIN_RAM			(32ULL << 20)
#define MIN_NODE_RAM		(16ULL << 20)
#define FIRMWARE_RESERVE_PFN	((1UL << 20) >> PAGE_SHIFT)	/* x86 keeps the first 1 MiB */

/* Early reservations (mm/memblock.c): ranges of page frames taken before the buddy allocator. */
struct memblock {
	struct {
		unsigned long start, end;
	} reserved[16];
	int nr;
};

static void memblock_reserve(struct memblock *mb, unsigned long start, unsigned long end)
{
	mb->reserved[mb->nr].start = start;
	mb->reserved[mb->nr].end = end;
	mb->nr++;
}

static bool memblock_is_reserved(const struct memblock *mb, unsigned long start, unsigned long end)
{
	for (int i = 0; i < mb->nr; i++)
		if (start < mb->reserved[i].end && mb->reserved[i].start < end)
			return true;
	return false;
}

/* memblock_alloc_range: nr free RAM pages in [lo, hi), taken top-down as memblock does; 0 if none. */
static unsigned long memblock_alloc_range(struct machine *m, struct memblock *mb, unsigned long nr,
					  unsigned long lo, unsigned long hi)
{
	unsigned long best = 0, start, end;
	int i = 0;

	while (e820_ram_pfn_range(m, &i, &start, &end)) {
		if (start < lo)
			start = lo;
		if (end > hi)
			end = hi;
		for (unsigned long top = end; top >= start + nr && top > best + nr; top--) {
			if (!memblock_is_reserved(mb, top - nr, top)) {
				best = top - nr;
				break;
			}
		}
	}
	if (best)
		memblock_reserve(mb, best, best + nr);
	return best;
}

static int validate_config(const struct machine_config *cfg, const struct arch_layout *arch, char *err,
			   size_t errlen)
{
	if (cfg->ram < MIN_RAM || cfg->ram > arch->max_ram) {
		snprintf(err, errlen, "ram=%" PRIu64 "M is out of range: %s takes 32M to %" PRIu64 "G",
			 cfg->ram >> 20, arch->name, arch->max_ram >> 30);
		return -EINVAL;
	}
	if (cfg->ram & (PAGE_SIZE - 1)) {
		snprintf(err, errlen, "ram must be a whole number of 4K pages");
		return -EINVAL;
	}
	if (cfg->nodes < 1 || cfg->nodes > MAX_NUMNODES) {
		snprintf(err, errlen, "nodes=%d is out of range: 1 to %d", cfg->nodes, MAX_NUMNODES);
		return -EINVAL;
	}
	if (cfg->nodes > 1 && cfg->arch == ARCH_I386) {
		snprintf(err, errlen, "arch=i386 takes nodes=1 (NUMA needs x86_64)");
		return -EINVAL;
	}
	if (cfg->ram / (uint64_t)cfg->nodes < MIN_NODE_RAM) {
		snprintf(err, errlen, "ram=%" PRIu64 "M is too small for %d nodes: each needs 16M",
			 cfg->ram >> 20, cfg->nodes);
		return -EINVAL;
	}
	if (cfg->cpus < 1 || cfg->cpus > NR_CPUS) {
		snprintf(err, errlen, "cpus=%d is out of range: 1 to %d", cfg->cpus, NR_CPUS);
		return -EINVAL;
	}
	for (int a = 0; a < cfg->nodes; a++) {
		for (int b = 0; b < cfg->nodes; b++) {
			int d = cfg->distance[a][b];
			if ((a == b && d != 10) || (a != b && (d <= 10 || d > 254))) {
				snprintf(err, errlen, "distance from node %d to node %d is %d: a node is 10 from "
					 "itself and 11..254 from others", a, b, d);
				return -EINVAL;
			}
		}
	}
	return 0;
}

void machine_config_default(struct machine_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->ram = 256ULL << 20;
	cfg->arch = ARCH_X86_64;
	cfg->nodes = 1;
	cfg->cpus = 2;
	cfg->seed = 1;
}

/* Default distances: 10 to itself, 20 to every other node (LOCAL_DISTANCE, REMOTE_DISTANCE). */
static void default_distances(struct machine_config *cfg)
{
	for (int a = 0; a < MAX_NUMNODES; a++)
		for (int b = 0; b < MAX_NUMNODES; b++)
			cfg->distance[a][b] = a == b ? 10 : 20;
}

static unsigned long total_ram_pages(const struct machine *m)
{
	unsigned long total = 0, start, end;
	int i = 0;

	while (e820_ram_pfn_range(m, &i, &start, &end))
		total += end - start;
	return total;
}

/* ram_index_to_pfn: the pfn of the idx-th page of RAM, counting RAM pages only. */
static unsigned long ram_index_to_pfn(const struct machine *m, unsigned long idx)
{
	unsigned long start, end, last = 0;
	int i = 0;

	while (e820_ram_pfn_range(m, &i, &start, &end)) {
		if (idx < end - start)
			return start + idx;
		idx -= end - start;
		last = end;
	}
	return last;
}

/* present_pages_in: RAM pages inside [start, end). */
static unsigned long present_pages_in(const struct machine *m, unsigned long start, unsigned long end)
{
	unsigned long sum = 0, rs, re;
	int i = 0;

	while (e820_ram_pfn_range(m, &i, &rs, &re)) {
		unsigned long lo = rs > start ? rs : start, hi = re < end ? re : end;
		if (hi > lo)
			sum += hi - lo;
	}
	return sum;
}

/* The pfn range each zone type may cover on this architecture. */
static void zone_type_range(const struct machine *m, enum zone_type z, unsigned long *lo, unsigned long *hi)
{
	const struct arch_layout *a = m->arch;
	unsigned long normal_lo = a->max_dma32_pfn ? a->max_dma32_pfn : a->max_dma_pfn;

	*lo = *hi = 0;
	switch (z) {
	case ZONE_DMA:
		*hi = a->max_dma_pfn;
		break;
	case ZONE_DMA32:
		*lo = a->max_dma_pfn;
		*hi = a->max_dma32_pfn;
		break;
	case ZONE_NORMAL:
		*lo = normal_lo;
		*hi = a->max_low_pfn;
		break;
	case ZONE_HIGHMEM:
		*lo = a->max_low_pfn;
		*hi = ~0UL;
		break;
	default:
		break;	/* ZONE_MOVABLE and ZONE_DEVICE stay empty */
	}
}

static const char *const zone_names[MAX_NR_ZONES] = { "DMA", "DMA32", "Normal", "HighMem", "Movable", "Device" };

/* free_area_init_core: size one node's zones and give each its free lists and pageblock types. */
static int init_node_zones(struct machine *m, pg_data_t *pgdat, unsigned long start, unsigned long end)
{
	pgdat->node_start_pfn = start;
	pgdat->node_spanned_pages = end - start;
	pgdat->node_present_pages = present_pages_in(m, start, end);
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &pgdat->node_zones[z];
		unsigned long lo, hi;

		zone->zone_pgdat = pgdat;
		zone->name = zone_names[z];
		for (int o = 0; o < NR_PAGE_ORDERS; o++)
			for (int t = 0; t < MIGRATE_TYPES; t++)
				INIT_LIST_HEAD(&zone->free_area[o].free_list[t]);
		zone_type_range(m, (enum zone_type)z, &lo, &hi);
		if (!zone_configured(m, (enum zone_type)z))
			continue;
		if (lo < start)
			lo = start;
		if (hi > end)
			hi = end;
		if (hi <= lo)
			continue;
		zone->zone_start_pfn = lo;
		zone->spanned_pages = hi - lo;
		zone->present_pages = present_pages_in(m, lo, hi);
		zone->pageblock_flags = malloc(zone_nr_pageblocks(m, zone));
		if (!zone->pageblock_flags)
			return -ENOMEM;
		/* memmap_init: every pageblock starts out movable. */
		memset(zone->pageblock_flags, MIGRATE_MOVABLE, zone_nr_pageblocks(m, zone));
		for (unsigned long pfn = lo; pfn < hi; pfn++)
			set_page_links(pfn_to_page(m, pfn), (enum zone_type)z, pgdat->node_id);
		pgdat->nr_zones = z + 1;
	}
	return 0;
}

/* build_zonelists: for each node, nodes by distance (nearest first), each node's zones highest first. */
static void build_zonelists(struct machine *m, pg_data_t *pgdat)
{
	int order[MAX_NUMNODES], n = 0;
	bool used[MAX_NUMNODES] = { false };

	for (int k = 0; k < m->nr_node_ids; k++) {
		int best = -1;
		for (int nid = 0; nid < m->nr_node_ids; nid++)
			if (!used[nid] && (best < 0 || node_distance(m, pgdat->node_id, nid) <
							   node_distance(m, pgdat->node_id, best)))
				best = nid;
		used[best] = true;
		order[n++] = best;
	}
	struct zoneref *fallback = pgdat->node_zonelists[ZONELIST_FALLBACK]._zonerefs;
	struct zoneref *local = pgdat->node_zonelists[ZONELIST_NOFALLBACK]._zonerefs;
	for (int k = 0; k < n; k++) {
		pg_data_t *node = NODE_DATA(m, order[k]);
		for (int z = MAX_NR_ZONES - 1; z >= 0; z--) {
			if (!populated_zone(&node->node_zones[z]))
				continue;
			*fallback++ = (struct zoneref){ &node->node_zones[z], z };
			if (node == pgdat)
				*local++ = (struct zoneref){ &node->node_zones[z], z };
		}
	}
	*fallback = (struct zoneref){ NULL, 0 };
	*local = (struct zoneref){ NULL, 0 };
}

/* ram_clip: shrink [*start, *end) to the first and last RAM page inside it. */
static void ram_clip(const struct machine *m, unsigned long *start, unsigned long *end)
{
	unsigned long lo = ~0UL, hi = 0, rs, re;
	int i = 0;

	while (e820_ram_pfn_range(m, &i, &rs, &re)) {
		unsigned long a = rs > *start ? rs : *start, b = re < *end ? re : *end;
		if (b <= a)
			continue;
		lo = a < lo ? a : lo;
		hi = b > hi ? b : hi;
	}
	*start = lo;
	*end = hi;
}

/* Split RAM evenly between the nodes; the boundaries fall on 4 MiB (MAX_PAGE_ORDER) page frames, so
 * that no buddy block spans two nodes. */
static int init_nodes(struct machine *m)
{
	unsigned long total = total_ram_pages(m), block = 1UL << MAX_PAGE_ORDER;
	unsigned long boundary[MAX_NUMNODES + 1];

	boundary[0] = 0;
	boundary[m->nr_node_ids] = m->max_pfn;
	for (int nid = 1; nid < m->nr_node_ids; nid++) {
		unsigned long pfn = ram_index_to_pfn(m, total / (unsigned long)m->nr_node_ids * (unsigned long)nid);
		boundary[nid] = (pfn + block / 2) & ~(block - 1);
	}
	for (int nid = 0; nid < m->nr_node_ids; nid++) {
		pg_data_t *pgdat = calloc(1, sizeof(*pgdat));
		if (!pgdat)
			return -ENOMEM;
		m->node_data[nid] = pgdat;
		pgdat->node_id = nid;
		pgdat->machine = m;
		lruvec_init(&pgdat->__lruvec);
		lru_gen_init_lruvec(m, &pgdat->__lruvec);
		unsigned long start = boundary[nid], end = boundary[nid + 1];
		ram_clip(m, &start, &end);
		int err = init_node_zones(m, pgdat, start, end);
		if (err)
			return err;
	}
	for (int nid = 0; nid < m->nr_node_ids; nid++)
		build_zonelists(m, NODE_DATA(m, nid));
	/* CPUs are shared out over the nodes in order. */
	for (int cpu = 0; cpu < m->nr_cpu_ids; cpu++)
		m->cpu_to_node[cpu] = cpu * m->nr_node_ids / m->nr_cpu_ids;
	return 0;
}

static unsigned long node_end_pfn(const pg_data_t *pgdat)
{
	return pgdat->node_start_pfn + pgdat->node_spanned_pages;
}

/* The end of node 0's lowmem: where early allocations that need a kernel address go. */
static unsigned long lowmem_end(const struct machine *m)
{
	unsigned long end = node_end_pfn(NODE_DATA(m, 0));

	return end < m->arch->max_low_pfn ? end : m->arch->max_low_pfn;
}

/*
 * The early reservations: firmware's first MiB, the kernel image, and on each node its part of
 * mem_map and its pageblock bitmaps (top-down, in lowmem on i386), then the per-CPU areas.
 */
static int reserve_boot_memory(struct machine *m, struct memblock *mb, unsigned long *init_pfn)
{
	struct boot_reserved *r = &m->reserved;
	unsigned long image = KB_TO_PAGES(KERNEL_CODE_KB + KERNEL_RWDATA_KB + KERNEL_RODATA_KB + KERNEL_INIT_KB +
					  KERNEL_BSS_KB);

	memblock_reserve(mb, 0, FIRMWARE_RESERVE_PFN);
	r->firmware = present_pages_in(m, 0, FIRMWARE_RESERVE_PFN);
	memblock_reserve(mb, KERNEL_LOAD_PFN, KERNEL_LOAD_PFN + image);
	r->kernel_pfn = KERNEL_LOAD_PFN;
	r->kernel_code = KB_TO_PAGES(KERNEL_CODE_KB);
	r->kernel_rwdata = KB_TO_PAGES(KERNEL_RWDATA_KB);
	r->kernel_rodata = KB_TO_PAGES(KERNEL_RODATA_KB);
	r->kernel_init = KB_TO_PAGES(KERNEL_INIT_KB);
	r->kernel_bss = KB_TO_PAGES(KERNEL_BSS_KB);
	*init_pfn = KERNEL_LOAD_PFN + KB_TO_PAGES(KERNEL_CODE_KB + KERNEL_RWDATA_KB + KERNEL_RODATA_KB);

	for (int nid = 0; nid < m->nr_node_ids; nid++) {
		pg_data_t *pgdat = NODE_DATA(m, nid);
		unsigned long hi = node_end_pfn(pgdat) < m->arch->max_low_pfn ? node_end_pfn(pgdat)
									       : m->arch->max_low_pfn;
		unsigned long memmap = (pgdat->node_spanned_pages * sizeof(struct page) + PAGE_SIZE - 1) / PAGE_SIZE;
		unsigned long usemap_bytes = 0;
		for (int z = 0; z < MAX_NR_ZONES; z++)
			if (populated_zone(&pgdat->node_zones[z]))
				usemap_bytes += zone_nr_pageblocks(m, &pgdat->node_zones[z]);
		unsigned long usemap = (usemap_bytes + PAGE_SIZE - 1) / PAGE_SIZE;
		unsigned long pfn = memblock_alloc_range(m, mb, memmap, pgdat->node_start_pfn, hi);
		if (!pfn || !memblock_alloc_range(m, mb, usemap, pgdat->node_start_pfn, hi))
			return -ENOMEM;
		if (nid == 0)
			m->memmap_pfn = pfn;
		r->memmap += memmap;
		r->pageblock_flags += usemap;
	}
	unsigned long pcp_bytes = 0;
	for (int nid = 0; nid < m->nr_node_ids; nid++)
		for (int z = 0; z < MAX_NR_ZONES; z++)
			if (populated_zone(&NODE_DATA(m, nid)->node_zones[z]))
				pcp_bytes += sizeof(struct per_cpu_pages) * (unsigned long)m->nr_cpu_ids;
	r->percpu = (pcp_bytes + PAGE_SIZE - 1) / PAGE_SIZE;
	if (!memblock_alloc_range(m, mb, r->percpu, NODE_DATA(m, 0)->node_start_pfn, lowmem_end(m)))
		return -ENOMEM;
	return 0;
}

/* init_mem_mapping's tables: the kernel half of the page tables, the direct map's tables from
 * memblock (alloc_low_pages). */
static int reserve_kernel_pgtables(struct machine *m, struct memblock *mb)
{
	unsigned long nr = init_mem_mapping_pages(m);
	unsigned long pfn = memblock_alloc_range(m, mb, nr, NODE_DATA(m, 0)->node_start_pfn, lowmem_end(m));

	return pfn ? init_mem_mapping(m, pfn) : -ENOMEM;
}

/* __free_pages_memory: free [start, end) in the largest aligned blocks that fit. */
static void free_pages_memory(struct machine *m, unsigned long start, unsigned long end)
{
	while (start < end) {
		unsigned int order = MAX_PAGE_ORDER;
		if (start)
			order = (unsigned)__builtin_ctzl(start) < order ? (unsigned)__builtin_ctzl(start) : order;
		while (start + (1UL << order) > end)
			order--;
		__free_pages_core(m, pfn_to_page(m, start), order);
		start += 1UL << order;
	}
}

/* memblock_free_all: every unreserved RAM page of every zone goes to the buddy allocator. */
static void memblock_free_all(struct machine *m, const struct memblock *mb)
{
	for (int nid = 0; nid < m->nr_node_ids; nid++) {
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &NODE_DATA(m, nid)->node_zones[z];
			unsigned long rs, re;
			int i = 0;
			if (!populated_zone(zone))
				continue;
			while (e820_ram_pfn_range(m, &i, &rs, &re)) {
				unsigned long lo = rs > zone->zone_start_pfn ? rs : zone->zone_start_pfn;
				unsigned long hi = re < zone_end_pfn(zone) ? re : zone_end_pfn(zone);
				for (unsigned long pfn = lo; pfn < hi;) {
					unsigned long run = pfn;
					while (run < hi && !memblock_is_reserved(mb, run, run + 1))
						run++;
					free_pages_memory(m, pfn, run);
					pfn = run + 1;
				}
			}
		}
	}
}

static void print_zone_ranges(struct machine *m)
{
	pr_info(m, "Zone ranges:\n");
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		unsigned long lo = ~0UL, hi = 0;
		if (!zone_configured(m, (enum zone_type)z) || z == ZONE_MOVABLE)
			continue;
		for (int nid = 0; nid < m->nr_node_ids; nid++) {
			struct zone *zone = &NODE_DATA(m, nid)->node_zones[z];
			if (!populated_zone(zone))
				continue;
			lo = zone->zone_start_pfn < lo ? zone->zone_start_pfn : lo;
			hi = zone_end_pfn(zone) > hi ? zone_end_pfn(zone) : hi;
		}
		if (hi)
			pr_info(m, "  %-8s [mem 0x%016lx-0x%016lx]\n", zone_names[z], lo << PAGE_SHIFT,
				(hi << PAGE_SHIFT) - 1);
		else
			pr_info(m, "  %-8s empty\n", zone_names[z]);
	}
	pr_info(m, "Movable zone start for each node\n");
	pr_info(m, "Early memory node ranges\n");
	for (int nid = 0; nid < m->nr_node_ids; nid++) {
		pg_data_t *pgdat = NODE_DATA(m, nid);
		unsigned long rs, re;
		int i = 0;
		while (e820_ram_pfn_range(m, &i, &rs, &re)) {
			unsigned long lo = rs > pgdat->node_start_pfn ? rs : pgdat->node_start_pfn;
			unsigned long hi = re < node_end_pfn(pgdat) ? re : node_end_pfn(pgdat);
			if (hi > lo)
				pr_info(m, "  node %3d: [mem 0x%016lx-0x%016lx]\n", nid, lo << PAGE_SHIFT,
					(hi << PAGE_SHIFT) - 1);
		}
	}
	for (int nid = 0; nid < m->nr_node_ids; nid++) {
		pg_data_t *pgdat = NODE_DATA(m, nid);
		pr_info(m, "Initmem setup node %d [mem 0x%016lx-0x%016lx]\n", nid, pgdat->node_start_pfn << PAGE_SHIFT,
			(node_end_pfn(pgdat) << PAGE_SHIFT) - 1);
	}
}

/* mem_init_print_info: "Memory: 224K/261744K available (... kernel code, ...)" (mm/mm_init.c). */
static void mem_init_print_info(struct machine *m)
{
	const struct boot_reserved *r = &m->reserved;
	unsigned long physpages = 0;

	for (int nid = 0; nid < m->nr_node_ids; nid++)
		physpages += NODE_DATA(m, nid)->node_present_pages;
	pr_info(m, "Memory: %luK/%luK available (%luK kernel code, %luK rwdata, %luK rodata, %luK init, "
		"%luK bss, %luK reserved, 0K cma-reserved)\n",
		PAGES_TO_KB(m->totalram_pages), PAGES_TO_KB(physpages), PAGES_TO_KB(r->kernel_code),
		PAGES_TO_KB(r->kernel_rwdata), PAGES_TO_KB(r->kernel_rodata), PAGES_TO_KB(r->kernel_init),
		PAGES_TO_KB(r->kernel_bss), PAGES_TO_KB(physpages - m->totalram_pages));
	if (m->totalhigh_pages)
		pr_info(m, "  highmem : %luK\n", PAGES_TO_KB(m->totalhigh_pages));
}

static void count_totalram(struct machine *m)
{
	m->totalram_pages = m->totalhigh_pages = 0;
	for (int nid = 0; nid < m->nr_node_ids; nid++) {
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &NODE_DATA(m, nid)->node_zones[z];
			m->totalram_pages += zone->managed_pages;
			if (z == ZONE_HIGHMEM)
				m->totalhigh_pages += zone->managed_pages;
		}
	}
}

/* free_initmem: the kernel's __init code and data are not needed after boot (arch/x86/mm/init.c). */
static void free_initmem(struct machine *m, unsigned long init_pfn)
{
	free_pages_memory(m, init_pfn, init_pfn + m->reserved.kernel_init);
	m->reserved.kernel_init = 0;
	count_totalram(m);
	pr_info(m, "Freeing unused kernel image (initmem) memory: %dK\n", KERNEL_INIT_KB);
}

static void init_sysctl(struct machine *m)
{
	static const int lowmem_reserve_ratio[MAX_NR_ZONES] = {
		[ZONE_DMA] = 256, [ZONE_DMA32] = 256, [ZONE_NORMAL] = 32,
	};
	m->sysctl.user_min_free_kbytes = -1;
	m->sysctl.watermark_scale_factor = 10;
	m->sysctl.watermark_boost_factor = 15000;
	m->sysctl.swappiness = 60;
	m->sysctl.overcommit_ratio = 50;
	m->sysctl.extfrag_threshold = 500;
	memcpy(m->sysctl.lowmem_reserve_ratio, lowmem_reserve_ratio, sizeof(lowmem_reserve_ratio));
}

/* The memory of mem_map and physical RAM: host mappings that cost nothing until touched. */
static int map_physical_memory(struct machine *m)
{
	size_t memmap_bytes = m->max_pfn * sizeof(struct page);
	void *phys = mmap(NULL, m->max_pfn << PAGE_SHIFT, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	void *memmap = mmap(NULL, memmap_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
			    -1, 0);

	if (phys == MAP_FAILED || memmap == MAP_FAILED) {
		if (phys != MAP_FAILED)
			munmap(phys, m->max_pfn << PAGE_SHIFT);
		if (memmap != MAP_FAILED)
			munmap(memmap, memmap_bytes);
		return -ENOMEM;
	}
	m->phys = phys;
	m->mem_map = memmap;
	/* Every frame starts reserved and unmapped; RAM is handed to the buddy allocator later. */
	for (unsigned long pfn = 0; pfn < m->max_pfn; pfn++) {
		m->mem_map[pfn].flags = 1UL << PG_reserved;
		m->mem_map[pfn]._mapcount = -1;
		m->mem_map[pfn]._refcount = 1;
	}
	return 0;
}

static unsigned long e820_end_pfn(const struct machine *m)
{
	unsigned long start, end, max = 0;
	int i = 0;

	while (e820_ram_pfn_range(m, &i, &start, &end))
		max = end > max ? end : max;
	return max;
}

static void boot_banner(struct machine *m)
{
	pr_info(m, "Linux version " UTS_RELEASE " (mmlab) #1 SMP %s\n", m->arch->name);
	e820__print_table(m);
	pr_info(m, "e820: update [mem 0x00000000-0x00000fff] usable ==> reserved\n");
}

static int boot(struct machine *m)
{
	struct memblock mb = { .nr = 0 };
	unsigned long init_pfn;
	int err;

	e820__memory_setup(m);
	gfp_zone_table_init(m);
	m->max_pfn = e820_end_pfn(m);
	boot_banner(m);
	if ((err = map_physical_memory(m)) || (err = init_nodes(m)))
		return err;
	print_zone_ranges(m);
	if ((err = reserve_boot_memory(m, &mb, &init_pfn)) || (err = reserve_kernel_pgtables(m, &mb)))
		return err;
	for (int nid = 0; nid < m->nr_node_ids; nid++)
		for (int z = 0; z < MAX_NR_ZONES; z++)
			if (populated_zone(&NODE_DATA(m, nid)->node_zones[z]))
				setup_zone_pageset(m, &NODE_DATA(m, nid)->node_zones[z]);
	memblock_free_all(m, &mb);
	count_totalram(m);
	pr_info(m, "Built %d zonelists, mobility grouping on.  Total pages: %lu\n", m->nr_node_ids,
		m->totalram_pages);
	mem_init_print_info(m);
	init_sysctl(m);
	hugepage_init(m);
	calculate_min_free_kbytes(m);
	setup_per_zone_wmarks(m);
	setup_per_zone_lowmem_reserve(m);
	fork_init(m);
	free_initmem(m, init_pfn);
	workingset_init(m);
	init_vdso_image(m);
	fault_around_init(m);
	numa_balancing_init(m);
	return kmem_cache_init(m) || vmalloc_init(m) || zram_init(m) || swap_init(m) || zswap_init(m) || fs_init(m) ||
	       kcompactd_init(m) || hugetlb_init(m) || ksm_init(m) || kswapd_init(m) || khugepaged_init(m) ? -ENOMEM : 0;
}

struct machine *machine_boot(const struct machine_config *cfg, FILE *console, char *err, size_t errlen)
{
	struct machine_config c = *cfg;
	const struct arch_layout *arch = arch_layout(c.arch, c.la57);

	if (!c.distance_given)
		default_distances(&c);
	if (validate_config(&c, arch, err, errlen))
		return NULL;
	struct machine *m = calloc(1, sizeof(*m));
	if (!m) {
		snprintf(err, errlen, "host out of memory");
		return NULL;
	}
	m->cfg = c;
	m->arch = arch;
	m->nr_node_ids = c.nodes;
	m->nr_cpu_ids = c.cpus;
	m->rng_state = c.seed;
	m->log.console = console;
	m->trace.out = console;
	m->trace.comm = "mmlab";	/* the script runs as init */
	m->trace.pid = INIT_PID;
	m->last_pid = KTHREADD_PID;	/* rest_init: init and kthreadd have theirs */
	if (boot(m)) {
		snprintf(err, errlen, "cannot boot: host out of memory");
		machine_destroy(m);
		return NULL;
	}
	return m;
}

void machine_destroy(struct machine *m)
{
	if (!m)
		return;
	kthread_stop_all(m);
	exit_all_tasks(m);
	fs_exit(m);
	hugetlb_exit(m);
	ksm_exit_machine(m);
	khugepaged_exit_machine(m);
	zswap_exit(m);
	swap_exit(m);
	zram_exit(m);
	vmalloc_exit(m);
	kmap_exit(m);
	kmem_cache_exit(m);
	for (int nid = 0; nid < m->nr_node_ids; nid++) {
		pg_data_t *pgdat = m->node_data[nid];
		if (!pgdat)
			continue;
		for (int z = 0; z < MAX_NR_ZONES; z++) {
			free_zone_pagesets(&pgdat->node_zones[z]);
			free(pgdat->node_zones[z].pageblock_flags);
		}
		free(pgdat);
	}
	if (m->phys)
		munmap(m->phys, m->max_pfn << PAGE_SHIFT);
	if (m->mem_map)
		munmap(m->mem_map, m->max_pfn * sizeof(struct page));
	free(m->log.buf);
	free(m);
}
