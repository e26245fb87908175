/*
 * Swap areas (mm/swapfile.c): swapon and swapoff, the swap header, and the slot allocator.
 *
 * Slots are allocated as the 6.18 allocator does for order-0 pages on non-rotational devices: a CPU
 * keeps a current cluster (percpu_swap_cluster: an area and the next offset to try) and fills it;
 * when it is full, the slow path walks the available areas by priority, moves the chosen one behind
 * its equal-priority peers (plist_requeue: equal priorities take turns cluster by cluster), and takes
 * a partly used cluster of it, else a free one.
 */
#include <mmlab/machine.h>
#include <mmlab/mm.h>
#include <mmlab/pgtable.h>
#include <mmlab/printk.h>
#include <mmlab/procfs.h>
#include <mmlab/seq_file.h>
#include <mmlab/swap.h>
#include <mmlab/vmscan.h>
#include <mmlab/vmstat.h>
#include <mmlab/zswap.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fs/proc/internal.h"
#include "mm/swap_internal.h"

static inline unsigned long K(unsigned long pages)
{
	return pages << (PAGE_SHIFT - 10);
}

/* swp_entry_to_pte: the entry in a non-present PTE's layout (arch/x86 __swp_entry). */
uint64_t swp_entry_to_pte(unsigned int pte_size, swp_entry_t entry)
{
	uint64_t type = swp_type(entry), offset = swp_offset(entry);

	if (pte_size == 4)
		return (uint32_t)((type << 1) | (offset << SWP_OFFSET_FIRST_BIT));
	return (~offset << SWP_OFFSET_SHIFT >> SWP_TYPE_BITS) | (type << (64 - SWP_TYPE_BITS));
}

/* pte_to_swp_entry: the entry a non-present PTE holds (arch/x86 __swp_type, __swp_offset). */
swp_entry_t pte_to_swp_entry(unsigned int pte_size, uint64_t pte)
{
	if (pte_size == 4) {
		uint32_t v = (uint32_t)pte;

		return swp_entry((v >> 1) & ((1u << SWP_TYPE_BITS) - 1), v >> SWP_OFFSET_FIRST_BIT);
	}
	return swp_entry((unsigned int)(pte >> (64 - SWP_TYPE_BITS)), ~pte << SWP_TYPE_BITS >> SWP_OFFSET_SHIFT);
}

/* generic_max_swapfile_size: the largest offset a swap PTE can hold, plus one (mm/swapfile.c). */
static unsigned long generic_max_swapfile_size(unsigned int pte_size)
{
	swp_entry_t max = pte_to_swp_entry(pte_size, swp_entry_to_pte(pte_size, swp_entry(0, ~0UL)));

	return swp_offset(max) + 1;
}

int swap_init(struct machine *m)
{
	struct swap_state *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	INIT_LIST_HEAD(&s->swap_active_head);
	INIT_LIST_HEAD(&s->swap_avail_head);
	s->least_priority = -1;
	s->swapfile_maximum_size = generic_max_swapfile_size(paging_mode_of(m)->entry_size);
	m->swap = s;
	/* swap_setup (mm/swap.c): read 2^3 pages around a fault, 2^2 below 16 MiB of RAM. */
	m->sysctl.page_cluster = m->totalram_pages < (16UL << (20 - PAGE_SHIFT)) ? 2 : 3;
	return 0;
}

void swap_exit(struct machine *m)
{
	if (!m->swap)
		return;
	for (int type = 0; type < MAX_SWAPFILES; type++) {
		struct swap_info_struct *si = m->swap->swap_info[type];

		if (si && si->swap_map)
			swap_area_release(si);
		free(si);
	}
	swap_dir_remove(m);
	free(m->swap);
	m->swap = NULL;
}

long get_nr_swap_pages(const struct machine *m)
{
	return m->swap->nr_swap_pages;
}

long total_swap_pages(const struct machine *m)
{
	return m->swap->total_swap_pages;
}

struct swap_info_struct *swp_swap_info(struct machine *m, swp_entry_t entry)
{
	unsigned int type = swp_type(entry);
	struct swap_info_struct *si = type < MAX_SWAPFILES ? m->swap->swap_info[type] : NULL;

	return si && si->swap_map ? si : NULL;
}

struct swap_info_struct *swap_info_find(struct machine *m, const char *path)
{
	struct swap_info_struct *si;

	list_for_each_entry(si, &m->swap->swap_active_head, list)
		if (!strcmp(si->swap_file, path))
			return si;
	return NULL;
}

/* ---- Priorities: the kernel's plists, as lists kept in descending priority ---- */

/* plist_add: after every entry of the same or a higher priority. */
static void prio_list_add(struct list_head *node, int prio, struct list_head *head, size_t off)
{
	struct list_head *pos = head->next;

	while (pos != head && ((struct swap_info_struct *)((char *)pos - off))->prio >= prio)
		pos = pos->next;
	list_add_tail(node, pos);
}

static void add_to_avail_list(struct machine *m, struct swap_info_struct *si)
{
	prio_list_add(&si->avail_list, si->prio, &m->swap->swap_avail_head,
		      offsetof(struct swap_info_struct, avail_list));
}

/* plist_requeue: behind the last area of the same priority. */
static void plist_requeue(struct machine *m, struct swap_info_struct *si)
{
	list_del(&si->avail_list);
	add_to_avail_list(m, si);
}

/* ---- Clusters ---- */

static struct swap_cluster_info *offset_cluster(struct swap_info_struct *si, unsigned long offset)
{
	return &si->cluster_info[offset / SWAPFILE_CLUSTER];
}

static unsigned long cluster_offset(struct swap_info_struct *si, struct swap_cluster_info *ci)
{
	return (unsigned long)(ci - si->cluster_info) * SWAPFILE_CLUSTER;
}

/* relocate_cluster: onto the list its use calls for (mm/swapfile.c); an empty cluster gives back
 * its swap table. */
static void relocate_cluster(struct swap_info_struct *si, struct swap_cluster_info *ci)
{
	unsigned char flags = ci->count == 0 ? CLUSTER_FLAG_FREE :
			      ci->count == SWAPFILE_CLUSTER ? CLUSTER_FLAG_FULL : CLUSTER_FLAG_NONFULL;
	struct list_head *to = flags == CLUSTER_FLAG_FREE ? &si->free_clusters :
			       flags == CLUSTER_FLAG_FULL ? &si->full_clusters : &si->nonfull_clusters;

	if (flags == CLUSTER_FLAG_FREE) {
		free(ci->table);
		ci->table = NULL;
	}
	if (ci->flags == flags)
		return;
	if (ci->flags == CLUSTER_FLAG_NONE)
		list_add_tail(&ci->list, to);
	else
		list_move_tail(&ci->list, to);
	ci->flags = flags;
}

/* setup_clusters: every cluster free, then the header page and the slots past the end of the area
 * counted as used, so that the last cluster can be full (mm/swapfile.c). */
static int setup_clusters(struct swap_info_struct *si)
{
	unsigned long nr = (si->max + SWAPFILE_CLUSTER - 1) / SWAPFILE_CLUSTER;

	si->cluster_info = calloc(nr, sizeof(*si->cluster_info));
	if (!si->cluster_info)
		return -ENOMEM;
	INIT_LIST_HEAD(&si->free_clusters);
	INIT_LIST_HEAD(&si->nonfull_clusters);
	INIT_LIST_HEAD(&si->full_clusters);
	si->swap_map[0] = SWAP_MAP_BAD;
	si->cluster_info[0].count = 1;
	si->cluster_info[nr - 1].count += (unsigned short)(nr * SWAPFILE_CLUSTER - si->max);
	for (unsigned long i = 0; i < nr; i++)
		relocate_cluster(si, &si->cluster_info[i]);
	return 0;
}

/* swap_range_alloc: one slot taken; a full area leaves the available list (mm/swapfile.c). */
static void swap_range_alloc(struct machine *m, struct swap_info_struct *si, unsigned long offset)
{
	struct swap_cluster_info *ci = offset_cluster(si, offset);

	si->swap_map[offset] = SWAP_HAS_CACHE;
	ci->count++;
	relocate_cluster(si, ci);
	m->swap->nr_swap_pages--;
	if (++si->inuse_pages == si->pages)
		list_del(&si->avail_list);
}

/* swap_entries_free: the slot is free again (mm/swapfile.c). */
static void swap_entries_free(struct machine *m, struct swap_info_struct *si, unsigned long offset)
{
	struct swap_cluster_info *ci = offset_cluster(si, offset);

	si->swap_map[offset] = 0;
	__swap_cache_clear_shadow(si, offset);
	ci->count--;
	relocate_cluster(si, ci);
	zswap_invalidate(m, swp_entry((unsigned int)si->type, offset));
	si->backend->free_slot(si, offset);
	if (si->inuse_pages-- == si->pages && (si->flags & SWP_WRITEOK))
		add_to_avail_list(m, si);
	if (si->flags & SWP_WRITEOK)
		m->swap->nr_swap_pages++;
}

/* alloc_swap_scan_cluster: the first free slot of ci from offset on; the CPU's current cluster
 * moves past it, or is dropped when ci is full (mm/swapfile.c). 0: none. */
static unsigned long alloc_swap_scan_cluster(struct machine *m, struct swap_info_struct *si,
					     struct swap_cluster_info *ci, unsigned long offset)
{
	struct percpu_swap_cluster *pcp = &m->swap->percpu_swap_cluster[m->this_cpu];
	unsigned long end = cluster_offset(si, ci) + SWAPFILE_CLUSTER;

	if (end > si->max)
		end = si->max;
	if (ci->count == 0)
		offset = cluster_offset(si, ci);
	while (offset < end && si->swap_map[offset])
		offset++;
	if (offset >= end)
		return 0;
	swap_range_alloc(m, si, offset);
	pcp->si = ci->count < SWAPFILE_CLUSTER && offset + 1 < end ? si : NULL;
	pcp->offset = offset + 1;
	return offset;
}

/* cluster_alloc_swap_entry: a partly used cluster first, then a free one (mm/swapfile.c). */
static unsigned long cluster_alloc_swap_entry(struct machine *m, struct swap_info_struct *si)
{
	struct list_head *lists[] = { &si->nonfull_clusters, &si->free_clusters };

	for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
		if (!list_empty(lists[i])) {
			struct swap_cluster_info *ci = list_first_entry(lists[i], struct swap_cluster_info, list);
			unsigned long offset = alloc_swap_scan_cluster(m, si, ci, cluster_offset(si, ci));

			if (offset)
				return offset;
		}
	}
	return 0;
}

/* swap_alloc_fast: the CPU's current cluster, if it is still usable (mm/swapfile.c). */
static bool swap_alloc_fast(struct machine *m, swp_entry_t *entry)
{
	struct percpu_swap_cluster *pcp = &m->swap->percpu_swap_cluster[m->this_cpu];
	struct swap_info_struct *si = pcp->si;
	unsigned long offset;

	if (!si || !(si->flags & SWP_WRITEOK) || pcp->offset >= si->max)
		return false;
	offset = alloc_swap_scan_cluster(m, si, offset_cluster(si, pcp->offset), pcp->offset);
	if (offset)
		*entry = swp_entry((unsigned int)si->type, offset);
	return offset != 0;
}

/* swap_alloc_slow: the available area of the highest priority, moved behind its peers first
 * (mm/swapfile.c). An area is available only while it has a free slot, so the first one serves;
 * the bound keeps a broken list from looping. */
static bool swap_alloc_slow(struct machine *m, swp_entry_t *entry)
{
	struct list_head *head = &m->swap->swap_avail_head;

	for (unsigned int tries = m->swap->nr_swapfiles; tries-- && !list_empty(head);) {
		struct swap_info_struct *si = list_first_entry(head, struct swap_info_struct, avail_list);
		unsigned long offset;

		plist_requeue(m, si);
		offset = cluster_alloc_swap_entry(m, si);
		if (offset) {
			*entry = swp_entry((unsigned int)si->type, offset);
			return true;
		}
	}
	return false;
}

int folio_alloc_swap(struct machine *m, struct page *page)
{
	swp_entry_t entry;

	if (PageSwapCache(page))
		return -EEXIST;
	if (m->swap->nr_swap_pages <= 0 || (!swap_alloc_fast(m, &entry) && !swap_alloc_slow(m, &entry)))
		return -ENOMEM;
	if (swap_cache_add_folio(m, page, entry, NULL)) {
		put_swap_folio(m, entry);
		return -ENOMEM;
	}
	return 0;
}

/* ---- swap_map counts ---- */

/* swap_entry_map: the entry's swap_map byte, or NULL (reported as the kernel's _swap_info_get
 * does) if the entry names no slot of an active area. */
static unsigned char *swap_entry_map(struct machine *m, swp_entry_t entry, const char *func)
{
	struct swap_info_struct *si = swp_swap_info(m, entry);

	if (!si) {
		pr_err(m, "%s: Bad swap file entry %08lx\n", func, entry.val);
		return NULL;
	}
	if (swp_offset(entry) == 0 || swp_offset(entry) >= si->max) {
		pr_err(m, "%s: Bad swap offset entry %08lx\n", func, entry.val);
		return NULL;
	}
	return &si->swap_map[swp_offset(entry)];
}

bool swap_entry_valid(struct machine *m, swp_entry_t entry)
{
	struct swap_info_struct *si = swp_swap_info(m, entry);
	unsigned long offset = swp_offset(entry);

	return si && offset && offset < si->max && si->swap_map[offset] &&
	       si->swap_map[offset] != SWAP_MAP_BAD;
}

int __swap_count(struct machine *m, swp_entry_t entry)
{
	return swap_entry_valid(m, entry) ? swp_swap_info(m, entry)->swap_map[swp_offset(entry)] & ~SWAP_HAS_CACHE
					  : -1;
}

/* __swap_duplicate: one more reference to a slot in use (mm/swapfile.c). */
int swap_duplicate(struct machine *m, swp_entry_t entry)
{
	unsigned char *map = swap_entry_map(m, entry, "swap_duplicate");

	if (!map)
		return -EINVAL;
	if (*map == 0 || *map == SWAP_MAP_BAD)
		return -ENOENT;
	if ((*map & ~SWAP_HAS_CACHE) >= SWAP_MAP_MAX)
		return -ENOMEM;
	(*map)++;
	return 0;
}

/* swap_entry_put: the map byte without one reference or without the cache bit; the slot is freed
 * when nothing is left (mm/swapfile.c). */
static void swap_entry_put(struct machine *m, swp_entry_t entry, unsigned char *map, unsigned char usage)
{
	struct swap_info_struct *si = swp_swap_info(m, entry);

	*map = usage == SWAP_HAS_CACHE ? *map & ~SWAP_HAS_CACHE : *map - 1;
	if (*map == 0)
		swap_entries_free(m, si, swp_offset(entry));
}

void swap_free(struct machine *m, swp_entry_t entry)
{
	unsigned char *map = swap_entry_map(m, entry, "swap_free");

	if (!map)
		return;
	if (!(*map & ~SWAP_HAS_CACHE) || *map == SWAP_MAP_BAD) {
		pr_err(m, "swap_free: Unused swap offset entry %08lx\n", entry.val);
		return;
	}
	swap_entry_put(m, entry, map, 1);
}

void put_swap_folio(struct machine *m, swp_entry_t entry)
{
	unsigned char *map = swap_entry_map(m, entry, "put_swap_folio");

	if (map && (*map & SWAP_HAS_CACHE))
		swap_entry_put(m, entry, map, SWAP_HAS_CACHE);
}

void free_swap_and_cache(struct machine *m, swp_entry_t entry)
{
	struct page *page;

	swap_free(m, entry);
	if (__swap_count(m, entry) == 0 && (page = swap_cache_get_folio(m, entry)))
		folio_free_swap(m, page);
}

/* ---- /proc/swaps ---- */

/* swap_show: one line per area, in type order (mm/swapfile.c swap_start, swap_show). */
static int swaps_proc_show(struct machine *m, struct seq_file *s, const char *arg)
{
	(void)arg;
	seq_puts(s, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
	for (unsigned int type = 0; type < m->swap->nr_swapfiles; type++) {
		struct swap_info_struct *si = m->swap->swap_info[type];
		unsigned long bytes, inuse;
		int len;

		if (!si || !(si->flags & SWP_USED) || !si->swap_map)
			continue;
		bytes = K(si->pages);
		inuse = K(si->inuse_pages);
		len = (int)strlen(si->swap_file);
		seq_printf(s, "%s%*s%s\t%lu\t%s%lu\t%s%d\n", si->swap_file, len < 40 ? 40 - len : 1, " ",
			   (si->flags & SWP_BLKDEV) ? "partition" : "file\t", bytes, bytes < 10000000 ? "\t" : "",
			   inuse, inuse < 10000000 ? "\t" : "", si->prio);
	}
	return 0;
}

const struct proc_entry swap_proc_entries[] = {
	{ .path = "/proc/swaps", .show = swaps_proc_show },
	{ 0 },
};

/* ---- The swap header ---- */

/* The largest area mkswap makes here: a bound on the host memory swap_map and the clusters take
 * (the kernel's bound is the PTE format's, swapfile_maximum_size, which swapon applies as well). */
#define MKSWAP_MAX_BYTES	(64ULL << 30)
/* mkswap's smallest area: 10 pages (util-linux MIN_GOODPAGES). */
#define MKSWAP_MIN_PAGES	10

/* uuid_generate_random: version 4, variant 1 (RFC 4122), from the machine's generator. */
static void swap_header_uuid(struct machine *m, unsigned char uuid[16])
{
	for (int i = 0; i < 16; i += 8) {
		uint64_t r = machine_random(m);

		memcpy(uuid + i, &r, 8);
	}
	uuid[6] = (unsigned char)((uuid[6] & 0x0f) | 0x40);
	uuid[8] = (unsigned char)((uuid[8] & 0x3f) | 0x80);
}

int swap_fallocate(struct machine *m, const char *path, uint64_t size)
{
	int fd;

	if (size > MKSWAP_MAX_BYTES)
		return -EFBIG;
	fd = swap_host_open(m, path, true, size);
	if (fd < 0)
		return fd;
	close(fd);
	return 0;
}

/* mkswap (util-linux): the header page, version 1, last_page the area's last page, no bad pages. */
int mkswap(struct machine *m, const char *path, uint64_t size, struct swap_header_info *out)
{
	unsigned char page[PAGE_SIZE] = { 0 };
	struct swap_header_info *info = (struct swap_header_info *)page;
	int err = swap_info_find(m, path) ? -EBUSY : 0;

	if (!err && size && strncmp(path, "/dev/zram", 9))
		err = swap_fallocate(m, path, size);
	if (!err)
		err = swap_device_header(m, path, page, false, &size);
	if (err)
		return err;
	if (size / PAGE_SIZE < MKSWAP_MIN_PAGES)
		return -EINVAL;
	if (size > MKSWAP_MAX_BYTES)
		return -EFBIG;
	info->version = 1;
	info->last_page = (uint32_t)(size / PAGE_SIZE - 1);
	swap_header_uuid(m, info->sws_uuid);
	memcpy(page + PAGE_SIZE - SWAP_HEADER_MAGIC_LEN, SWAP_HEADER_MAGIC, SWAP_HEADER_MAGIC_LEN);
	*out = *info;
	return swap_device_header(m, path, page, true, &size);
}

/* read_swap_header: check the signature and version; the pages the area may use, 0 if it is
 * unusable (mm/swapfile.c). bytes: the size of what holds the area. */
static unsigned long read_swap_header(struct machine *m, struct swap_info_struct *si,
				      const struct swap_header_info *info, const unsigned char *page,
				      uint64_t bytes)
{
	unsigned long maxpages = m->swap->swapfile_maximum_size, last_page = info->last_page;

	if (memcmp(page + PAGE_SIZE - SWAP_HEADER_MAGIC_LEN, SWAP_HEADER_MAGIC, SWAP_HEADER_MAGIC_LEN)) {
		pr_err(m, "Unable to find swap-space signature\n");
		return 0;
	}
	if (info->version != 1) {
		pr_warn(m, "Unable to handle swap header version %u\n", info->version);
		return 0;
	}
	if (!last_page) {
		pr_warn(m, "Empty swap-file\n");
		return 0;
	}
	if (last_page >= bytes / PAGE_SIZE) {
		pr_warn(m, "Swap area shorter than signature indicates\n");
		return 0;
	}
	if (last_page > maxpages)
		pr_warn(m, "Truncating oversized swap area, only using %luk out of %luk\n", K(maxpages), K(last_page));
	if (maxpages > last_page)
		maxpages = last_page + 1;
	if (info->nr_badpages && !(si->flags & SWP_BLKDEV))
		return 0;
	return info->nr_badpages > MAX_SWAP_BADPAGES ? 0 : maxpages;
}

/* ---- swapon ---- */

/* alloc_swap_info: a free type number, or -EPERM when all MAX_SWAPFILES are taken (mm/swapfile.c). */
static struct swap_info_struct *alloc_swap_info(struct machine *m, int *err)
{
	struct swap_state *s = m->swap;
	unsigned int type = 0;
	struct swap_info_struct *si;

	while (type < s->nr_swapfiles && s->swap_info[type] && s->swap_info[type]->flags)
		type++;
	*err = type >= MAX_SWAPFILES ? -EPERM : -ENOMEM;
	if (type >= MAX_SWAPFILES)
		return NULL;
	si = s->swap_info[type];
	if (!si && !(si = calloc(1, sizeof(*si))))
		return NULL;
	s->swap_info[type] = si;
	if (type >= s->nr_swapfiles)
		s->nr_swapfiles = type + 1;
	memset(si, 0, sizeof(*si));
	si->type = (signed char)type;
	si->flags = SWP_USED;
	si->fd = -1;
	return si;
}

/* swap_area_release: the area's maps, tables and backend go (swapoff's end, or machine_destroy). */
void swap_area_release(struct swap_info_struct *si)
{
	unsigned long nr = (si->max + SWAPFILE_CLUSTER - 1) / SWAPFILE_CLUSTER;

	for (unsigned long i = 0; si->cluster_info && i < nr; i++)
		free(si->cluster_info[i].table);
	free(si->cluster_info);
	free(si->swap_map);
	if (si->backend)
		si->backend->release(si);
	free(si->swap_file);
	memset(si, 0, sizeof(*si));
	si->fd = -1;
}

/* setup_swap_area: open the backend, check the header, build swap_map and the clusters. */
static int setup_swap_area(struct machine *m, struct swap_info_struct *si)
{
	unsigned char page[PAGE_SIZE];
	uint64_t bytes;
	int err = swap_backend_open(m, si, &bytes);

	if (err)
		return err;
	if (bytes < PAGE_SIZE || si->backend->read_page(si, 0, page))
		return -EINVAL;
	si->max = (unsigned int)read_swap_header(m, si, (const struct swap_header_info *)page, page, bytes);
	if (!si->max)
		return -EINVAL;
	si->pages = si->max - 1;
	si->swap_map = calloc(si->max, 1);
	if (!si->swap_map)
		return -ENOMEM;
	return setup_clusters(si);
}

/* enable_swap_info: the area joins the active and available lists by priority (mm/swapfile.c). */
static void enable_swap_info(struct machine *m, struct swap_info_struct *si, int prio)
{
	si->prio = prio;
	si->flags |= SWP_WRITEOK;
	prio_list_add(&si->list, prio, &m->swap->swap_active_head, offsetof(struct swap_info_struct, list));
	add_to_avail_list(m, si);
	m->swap->nr_swap_pages += si->pages;
	m->swap->total_swap_pages += si->pages;
}

/* sys_swapon: SYSCALL_DEFINE2(swapon) (mm/swapfile.c). */
int sys_swapon(struct machine *m, const char *path, int swap_flags)
{
	struct swap_info_struct *si;
	int err, prio;

	if (swap_flags & ~(SWAP_FLAG_PREFER | SWAP_FLAG_PRIO_MASK))
		return -EINVAL;
	if (swap_info_find(m, path))
		return -EBUSY;
	if (!(si = alloc_swap_info(m, &err)))
		return err;
	si->flags |= SWP_SOLIDSTATE | (strncmp(path, "/dev/", 5) ? 0 : SWP_BLKDEV);
	si->swap_file = strdup(path);
	err = si->swap_file ? setup_swap_area(m, si) : -ENOMEM;
	if (err) {
		swap_area_release(si);
		return err;
	}
	prio = (swap_flags & SWAP_FLAG_PREFER) ? (swap_flags & SWAP_FLAG_PRIO_MASK) : --m->swap->least_priority;
	enable_swap_info(m, si, prio);
	pr_info(m, "Adding %luk swap on %s.  Priority:%d extents:1 across:%luk SS\n", K(si->pages), path, prio,
		K(si->pages));
	return 0;
}

/* ---- swapoff ---- */

/* unuse_tasks: every process's swap PTEs of the area faulted back in (unuse_mm). 0 or -ENOMEM. */
static int unuse_tasks(struct machine *m, struct swap_info_struct *si)
{
	struct task_struct *tsk;
	int err = 0;

	if (m->tasks)
		list_for_each_entry(tsk, &m->tasks->tasks, tasks)
			if (!err)
				err = unuse_mm(m, tsk->mm, (unsigned int)si->type);
	return err;
}

/* try_to_unuse: bring every slot of the area back into memory (mm/swapfile.c): the processes' swap
 * PTEs are faulted in, then the slots only the swap cache holds are let go (folio_free_swap).
 * Reclaim may meanwhile unmap pages that still cache a slot of the area, so the kernel goes round
 * again until the area is empty; here a bounded number of rounds, then -EINTR as when the kernel's
 * is interrupted. -ENOMEM when memory ran out. */
#define TRY_TO_UNUSE_ROUNDS 8
static int try_to_unuse(struct machine *m, struct swap_info_struct *si)
{
	for (int round = 0; round < TRY_TO_UNUSE_ROUNDS && si->inuse_pages; round++) {
		if (unuse_tasks(m, si))
			return -ENOMEM;
		for (unsigned long offset = 1; offset < si->max && si->inuse_pages; offset++) {
			swp_entry_t entry = swp_entry((unsigned int)si->type, offset);
			struct page *page = (si->swap_map[offset] & SWAP_HAS_CACHE) ? swap_cache_get_folio(m, entry)
										  : NULL;

			if (page)
				folio_free_swap(m, page);
		}
	}
	return si->inuse_pages ? -EINTR : 0;
}

/* The default priorities below a removed one move up, as the kernel renumbers them. */
static void swapoff_renumber(struct machine *m, struct swap_info_struct *gone)
{
	struct swap_info_struct *si;

	if (gone->prio >= 0)
		return;
	list_for_each_entry(si, &m->swap->swap_active_head, list)
		if (si->prio < gone->prio)
			si->prio++;
	m->swap->least_priority++;
}

/* reinsert_swap_info: a failed swapoff puts the area back as it was (mm/swapfile.c). */
static void reinsert_swap_info(struct machine *m, struct swap_info_struct *si)
{
	list_del(&si->list);
	enable_swap_info(m, si, si->prio);
	m->swap->nr_swap_pages -= (long)si->inuse_pages;
	if (si->inuse_pages == si->pages)
		list_del(&si->avail_list);
}

/* sys_swapoff: SYSCALL_DEFINE1(swapoff) (mm/swapfile.c). */
int sys_swapoff(struct machine *m, const char *path)
{
	struct swap_info_struct *si = swap_info_find(m, path);
	int err;

	if (!si) {
		uint64_t bytes;

		return swap_device_header(m, path, NULL, false, &bytes) == -ENOENT ? -ENOENT : -EINVAL;
	}
	/* The commitment the area's pages would add back to memory must fit. */
	if (__vm_enough_memory(m, si->pages))
		return -ENOMEM;
	vm_unacct_memory(m, si->pages);
	if (si->inuse_pages != si->pages)
		list_del(&si->avail_list);
	m->swap->nr_swap_pages -= (long)(si->pages - si->inuse_pages);
	m->swap->total_swap_pages -= si->pages;
	si->flags &= ~SWP_WRITEOK;
	for (int cpu = 0; cpu < NR_CPUS; cpu++)
		if (m->swap->percpu_swap_cluster[cpu].si == si)
			m->swap->percpu_swap_cluster[cpu].si = NULL;
	if ((err = try_to_unuse(m, si))) {
		reinsert_swap_info(m, si);
		return err;
	}
	list_del(&si->list);
	swapoff_renumber(m, si);
	zswap_swapoff(m, (unsigned int)si->type);
	swap_area_release(si);
	return 0;
}

/* ---- Invariants (machine_check) ---- */

struct swap_checker {
	struct seq_file *report;
	int errors;
	long cached;		/* swap cache pages found in the swap tables */
};

static void swap_violation(struct swap_checker *c, const char *fmt, unsigned long a, unsigned long b)
{
	seq_puts(c->report, "swap: ");
	seq_printf(c->report, fmt, a, b);
	seq_putc(c->report, '\n');
	c->errors++;
}

/* One slot: its swap cache page agrees with SWAP_HAS_CACHE and points back at the slot; a shadow
 * sits only in a slot in use that no page caches. */
static void check_slot(struct machine *m, struct swap_checker *c, struct swap_info_struct *si, unsigned long offset)
{
	swp_entry_t entry = swp_entry((unsigned int)si->type, offset);
	struct page *page = swap_cache_get_folio(m, entry);
	bool has_cache = si->swap_map[offset] != SWAP_MAP_BAD && (si->swap_map[offset] & SWAP_HAS_CACHE);

	if (swap_cache_get_shadow(m, entry) && (has_cache || !si->swap_map[offset]))
		swap_violation(c, "entry %08lx holds a shadow but its swap_map is %02lx", entry.val, si->swap_map[offset]);
	if (!page && has_cache)
		swap_violation(c, "entry %08lx has SWAP_HAS_CACHE but no swap cache page%.0lu", entry.val, 0);
	if (!page)
		return;
	c->cached++;
	if (!has_cache)
		swap_violation(c, "entry %08lx has a swap cache page but no SWAP_HAS_CACHE%.0lu", entry.val, 0);
	if (!PageSwapCache(page) || page->private != entry.val)
		swap_violation(c, "swap cache page for %08lx says it caches %08lx", entry.val, page->private);
}

/* One cluster: its count is its slots in use plus those past the end; its list matches. */
static unsigned long check_cluster(struct machine *m, struct swap_checker *c, struct swap_info_struct *si,
				   struct swap_cluster_info *ci)
{
	unsigned long start = cluster_offset(si, ci), used = 0, inuse = 0;
	unsigned char want;

	for (unsigned long off = start; off < start + SWAPFILE_CLUSTER; off++) {
		if (off >= si->max || si->swap_map[off]) {
			used++;
			inuse += off && off < si->max;
		}
		if (off < si->max)
			check_slot(m, c, si, off);
	}
	if (used != ci->count)
		swap_violation(c, "cluster at %lu counts %lu slots in use", start, ci->count);
	want = ci->count == 0 ? CLUSTER_FLAG_FREE : ci->count == SWAPFILE_CLUSTER ? CLUSTER_FLAG_FULL : CLUSTER_FLAG_NONFULL;
	if (ci->flags != want)
		swap_violation(c, "cluster at %lu is on list %lu", start, ci->flags);
	return inuse;
}

int swap_check(struct machine *m, struct seq_file *report)
{
	struct swap_checker c = { .report = report };
	long free_slots = 0, total = 0;
	struct swap_info_struct *si;

	list_for_each_entry(si, &m->swap->swap_active_head, list) {
		unsigned long inuse = 0, nr = (si->max + SWAPFILE_CLUSTER - 1) / SWAPFILE_CLUSTER;

		for (unsigned long i = 0; i < nr; i++)
			inuse += check_cluster(m, &c, si, &si->cluster_info[i]);
		if (inuse != si->inuse_pages)
			swap_violation(&c, "inuse_pages is %lu, swap_map has %lu slots in use", si->inuse_pages, inuse);
		total += si->pages;
		free_slots += (long)(si->pages - si->inuse_pages);
	}
	if (free_slots != m->swap->nr_swap_pages || total != m->swap->total_swap_pages)
		swap_violation(&c, "nr_swap_pages %lu, total_swap_pages %lu disagree with the areas",
			       (unsigned long)m->swap->nr_swap_pages, (unsigned long)m->swap->total_swap_pages);
	if (c.cached != (long)global_node_page_state(m, NR_SWAPCACHE))
		swap_violation(&c, "NR_SWAPCACHE is %lu, the swap tables hold %lu pages",
			       global_node_page_state(m, NR_SWAPCACHE), (unsigned long)c.cached);
	return c.errors;
}
