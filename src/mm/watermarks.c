/*
 * Watermarks, the lowmem reserve and per-CPU list sizes (the tuning half of mm/page_alloc.c).
 *
 * min_free_kbytes sets the pages every zone keeps free (its min watermark, shared out by zone size);
 * low and high sit a step above, the step set by watermark_scale_factor. kswapd wakes below low and
 * sleeps above high; allocations that may not sleep may dip below min.
 */
#include <limits.h>
#include <stdlib.h>

#include <mmlab/gfp.h>
#include <mmlab/machine.h>
#include <mmlab/vmstat.h>

#include "internal.h"

#define SWAP_CLUSTER_MAX 32UL
#define MIN_PERCPU_PAGELIST_HIGH_FRACTION 8

static unsigned long int_sqrt(unsigned long x)
{
	unsigned long r = 0;

	for (unsigned long bit = 1UL << (sizeof(long) * 8 - 2); bit; bit >>= 2) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
	}
	return r;
}

#define for_each_zone(m, nid, zone)                                                          \
	for (int nid = 0; nid < (m)->nr_node_ids; nid++)                                     \
		for (struct zone *zone = NODE_DATA(m, nid)->node_zones;                      \
		     zone < NODE_DATA(m, nid)->node_zones + MAX_NR_ZONES; zone++)

/* nr_free_zone_pages: managed pages above the high watermark in zones up to offset. */
static unsigned long nr_free_zone_pages(struct machine *m, enum zone_type offset)
{
	unsigned long sum = 0;

	for_each_zone(m, nid, zone) {
		if (zone_idx(zone) > (int)offset)
			continue;
		unsigned long high = high_wmark_pages(zone);
		if (zone->managed_pages > high)
			sum += zone->managed_pages - high;
	}
	return sum;
}

unsigned long nr_free_buffer_pages(struct machine *m)
{
	return nr_free_zone_pages(m, gfp_zone(m, GFP_USER));
}

/* calculate_min_free_kbytes: sqrt(lowmem_kbytes * 16), between 128 KiB and 256 MiB (mm/page_alloc.c). */
void calculate_min_free_kbytes(struct machine *m)
{
	unsigned long lowmem_kbytes = nr_free_buffer_pages(m) * (PAGE_SIZE >> 10);
	unsigned long new_min = int_sqrt(lowmem_kbytes * 16);

	/* A value the user wrote stays, unless memory grew past what it was chosen for. */
	if ((long)new_min > (long)m->sysctl.user_min_free_kbytes) {
		if (new_min < 128)
			new_min = 128;
		if (new_min > 262144)
			new_min = 262144;
		m->sysctl.min_free_kbytes = (int)new_min;
	}
}

/* calculate_totalreserve_pages: what userspace can never have: the biggest lowmem reserve of each
 * zone plus its high watermark (mm/page_alloc.c). */
static void calculate_totalreserve_pages(struct machine *m)
{
	m->totalreserve_pages = 0;
	for (int nid = 0; nid < m->nr_node_ids; nid++) {
		pg_data_t *pgdat = NODE_DATA(m, nid);
		pgdat->totalreserve_pages = 0;
		for (int i = 0; i < MAX_NR_ZONES; i++) {
			struct zone *zone = &pgdat->node_zones[i];
			long max = 0;
			for (int j = i; j < MAX_NR_ZONES; j++)
				if (zone->lowmem_reserve[j] > max)
					max = zone->lowmem_reserve[j];
			unsigned long reserve = (unsigned long)max + high_wmark_pages(zone);
			if (reserve > zone->managed_pages)
				reserve = zone->managed_pages;
			pgdat->totalreserve_pages += reserve;
			m->totalreserve_pages += reserve;
		}
	}
}

/* setup_per_zone_lowmem_reserve: a lower zone keeps back managed(higher zones) / ratio pages from
 * requests that could have been served higher up (mm/page_alloc.c). */
void setup_per_zone_lowmem_reserve(struct machine *m)
{
	for (int nid = 0; nid < m->nr_node_ids; nid++) {
		pg_data_t *pgdat = NODE_DATA(m, nid);
		for (int i = 0; i < MAX_NR_ZONES - 1; i++) {
			struct zone *zone = &pgdat->node_zones[i];
			int ratio = m->sysctl.lowmem_reserve_ratio[i];
			bool clear = !ratio || !zone->managed_pages;
			unsigned long managed = 0;
			for (int j = i + 1; j < MAX_NR_ZONES; j++) {
				managed += pgdat->node_zones[j].managed_pages;
				zone->lowmem_reserve[j] = clear ? 0 : (long)(managed / (unsigned long)ratio);
			}
		}
	}
	calculate_totalreserve_pages(m);
}

/* __setup_per_zone_wmarks: share pages_min out over the lowmem zones by size; HighMem gets a small
 * fixed min since kernel allocations cannot use it anyway (mm/page_alloc.c). */
static void __setup_per_zone_wmarks(struct machine *m)
{
	unsigned long pages_min = (unsigned long)m->sysctl.min_free_kbytes >> (PAGE_SHIFT - 10);
	unsigned long lowmem_pages = 0;

	for_each_zone(m, nid, zone)
		if (zone_idx(zone) != ZONE_HIGHMEM && zone_idx(zone) != ZONE_MOVABLE)
			lowmem_pages += zone->managed_pages;

	for_each_zone(m, nid, zone) {
		unsigned long managed = zone->managed_pages;
		unsigned long tmp = lowmem_pages ? pages_min * managed / lowmem_pages : 0;

		if (zone_idx(zone) == ZONE_HIGHMEM || zone_idx(zone) == ZONE_MOVABLE) {
			unsigned long min_pages = managed / 1024;
			if (min_pages < SWAP_CLUSTER_MAX)
				min_pages = SWAP_CLUSTER_MAX;
			if (min_pages > 128)
				min_pages = 128;
			zone->_watermark[WMARK_MIN] = min_pages;
		} else {
			zone->_watermark[WMARK_MIN] = tmp;
		}
		/* The gap between watermarks: a quarter of min, or scale_factor/10000 of the zone. */
		unsigned long gap = tmp >> 2;
		unsigned long scaled = managed * (unsigned long)m->sysctl.watermark_scale_factor / 10000;
		if (scaled > gap)
			gap = scaled;
		zone->watermark_boost = 0;
		zone->_watermark[WMARK_LOW] = min_wmark_pages(zone) + gap;
		zone->_watermark[WMARK_HIGH] = low_wmark_pages(zone) + gap;
		zone->_watermark[WMARK_PROMO] = high_wmark_pages(zone) + gap;
	}
	calculate_totalreserve_pages(m);
}

void setup_per_zone_wmarks(struct machine *m)
{
	__setup_per_zone_wmarks(m);
	/* pcp high follows the low watermark, so it changes with it. */
	for_each_zone(m, nid, zone)
		zone_pcp_update(m, zone);
}

/* zone_batchsize: about a quarter of a MiB of pages, or 1/4096 of the zone if smaller, then rounded
 * to 2^n - 1 so batches do not keep hitting the same cache colours (mm/page_alloc.c). */
static int zone_batchsize(const struct zone *zone)
{
	unsigned long batch = zone->managed_pages >> 10;

	if (batch > (1UL << 20) / PAGE_SIZE)
		batch = (1UL << 20) / PAGE_SIZE;
	batch /= 4;
	if (batch < 1)
		batch = 1;
	batch += batch / 2;
	unsigned long pow2 = 1;
	while (pow2 * 2 <= batch)
		pow2 *= 2;
	return (int)(pow2 - 1);
}

/* zone_highsize: the pages the node's CPUs may cache: the low watermark (or managed / fraction)
 * shared between them, at least four batches (mm/page_alloc.c). */
static int zone_highsize(const struct machine *m, const struct zone *zone, int batch, int high_fraction)
{
	unsigned long total = high_fraction ? zone->managed_pages / (unsigned long)high_fraction
					    : low_wmark_pages(zone);
	int nid = zone->zone_pgdat->node_id, nr_split_cpus = 0;

	for (int cpu = 0; cpu < m->nr_cpu_ids; cpu++)
		nr_split_cpus += m->cpu_to_node[cpu] == nid;
	if (!nr_split_cpus)
		nr_split_cpus = m->nr_cpu_ids;
	long high = (long)(total / (unsigned long)nr_split_cpus);
	if (high < (long)batch << 2)
		high = (long)batch << 2;
	return high > INT_MAX ? INT_MAX : (int)high;
}

/* zone_pcp_update / zone_set_pageset_high_and_batch (mm/page_alloc.c). */
void zone_pcp_update(struct machine *m, struct zone *zone)
{
	if (!zone->per_cpu_pageset)
		return;
	int batch = zone_batchsize(zone), high_min, high_max;

	if (batch < 1)
		batch = 1;	/* a tiny zone still moves one page at a time */
	int fraction = m->sysctl.percpu_pagelist_high_fraction;

	if (fraction) {
		high_min = zone_highsize(m, zone, batch, fraction);
		high_max = high_min;
	} else {
		high_min = zone_highsize(m, zone, batch, 0);
		high_max = zone_highsize(m, zone, batch, MIN_PERCPU_PAGELIST_HIGH_FRACTION);
	}
	for (int cpu = 0; cpu < m->nr_cpu_ids; cpu++) {
		struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];
		pcp->batch = batch;
		pcp->high_min = high_min;
		pcp->high_max = high_max;
		pcp->high = high_min;
	}
}

/* setup_zone_pageset: one pcp per CPU for a populated zone (mm/page_alloc.c). */
void setup_zone_pageset(struct machine *m, struct zone *zone)
{
	zone->per_cpu_pageset = calloc((size_t)m->nr_cpu_ids, sizeof(*zone->per_cpu_pageset));
	if (!zone->per_cpu_pageset)
		abort();
	for (int cpu = 0; cpu < m->nr_cpu_ids; cpu++)
		for (int i = 0; i < NR_PCP_LISTS; i++)
			INIT_LIST_HEAD(&zone->per_cpu_pageset[cpu].lists[i]);
	zone_pcp_update(m, zone);
}

void free_zone_pagesets(struct zone *zone)
{
	free(zone->per_cpu_pageset);
	zone->per_cpu_pageset = NULL;
}
