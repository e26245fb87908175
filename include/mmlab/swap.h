/*
 * Swap areas, swap entries and the swap cache (include/linux/swap.h, swapops.h, mm/swap.h,
 * arch/x86/include/asm/pgtable_64.h, pgtable-2level.h).
 *
 * A swap area is a swap file or partition (a real host file in a directory the machine owns) or a
 * zram device. Its page 0 is the header mkswap writes; every other page is a slot. Slots are handed
 * out in clusters of SWAPFILE_CLUSTER pages: each CPU fills its current cluster, then takes a
 * partly used one, then a free one (mm/swapfile.c, the 6.18 allocator). A slot's byte in swap_map
 * counts the references to it (swap PTEs) plus SWAP_HAS_CACHE while a page of the swap cache holds
 * its data. Areas are used by priority, higher first; areas of equal priority take turns.
 *
 * How the rest of mm uses it (the calls the kernel makes; reclaim and the swap fault are not in yet):
 *   reclaim of an anonymous page (PG_swapbacked): folio_alloc_swap, then for each PTE that maps it
 *     (try_to_unmap) swap_duplicate and set_pte(swp_entry_to_pte(entry_size, entry)); pageout:
 *     swap_writepage; once the page is freed: swap_cache_del_folio.
 *   a swap fault (do_swap_page): pte_to_swp_entry, swap_cache_get_folio or a new page filled by
 *     swap_read_folio, then swap_free for the PTE's reference.
 *   zap_pte_range: free_swap_and_cache; copy_pte_range (fork): swap_duplicate (-ENOMEM past
 *     SWAP_MAP_MAX, as without count continuations).
 *   swapoff: try_to_unuse lets go of swap-cache-only slots; the walk that turns swap PTEs back into
 *     present ones (unuse_mm) is the hook left for when swap PTEs exist.
 *   /proc/PID/pagemap shows an entry as PM_SWAP | swp_type | swp_offset << MAX_SWAPFILES_SHIFT.
 */
#ifndef MMLAB_SWAP_H
#define MMLAB_SWAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mmlab/list.h>
#include <mmlab/mmzone.h>

struct machine;
struct seq_file;

/*
 * MAX_SWAPFILES: 2^MAX_SWAPFILES_SHIFT swap types, less those the kernel keeps for other kinds of
 * non-present entries (include/linux/swap.h). As configured here: migration entries (3: read,
 * read-exclusive, write, CONFIG_MIGRATION=y), hwpoison (1, CONFIG_MEMORY_FAILURE=y) and the PTE
 * marker (1, always since 6.2); no device-private entries (CONFIG_DEVICE_PRIVATE=n: the machine has
 * no ZONE_DEVICE memory). 32 - 3 - 1 - 1 = 27 areas.
 */
#define MAX_SWAPFILES_SHIFT	5
#define SWP_DEVICE_NUM		0
#define SWP_MIGRATION_NUM	3
#define SWP_HWPOISON_NUM	1
#define SWP_PTE_MARKER_NUM	1
#define MAX_SWAPFILES \
	((1 << MAX_SWAPFILES_SHIFT) - SWP_DEVICE_NUM - SWP_MIGRATION_NUM - SWP_HWPOISON_NUM - SWP_PTE_MARKER_NUM)

/* Slots per cluster (mm/swapfile.c, !CONFIG_THP_SWAP). */
#define SWAPFILE_CLUSTER	256

/* swap_map byte values (include/linux/swap.h). */
#define SWAP_MAP_MAX	0x3e	/* the most references a byte counts (continuations not modelled) */
#define SWAP_MAP_BAD	0x3f	/* the header page, a bad page, or past the end of the area */
#define SWAP_HAS_CACHE	0x40	/* a page of the swap cache holds this slot's data */

/* swapon flags (include/linux/swap.h). */
#define SWAP_FLAG_PREFER	0x8000
#define SWAP_FLAG_PRIO_MASK	0x7fff

/* swap_info_struct.flags (include/linux/swap.h). */
enum {
	SWP_USED = 1 << 0,		/* the type number is taken */
	SWP_WRITEOK = 1 << 1,		/* slots may be allocated */
	SWP_SOLIDSTATE = 1 << 4,	/* non-rotational: the per-CPU cluster allocator */
	SWP_BLKDEV = 1 << 6,		/* a partition or zram, not a file */
};

/*
 * swp_entry_t (include/linux/swapops.h): the architecture-independent form, as the swap cache and
 * page->private hold it: the type in the 5 bits below bit 63 (BITS_PER_XA_VALUE), the offset
 * below. The machine uses the 64-bit form on both architectures.
 */
typedef struct {
	unsigned long val;
} swp_entry_t;

#define SWP_TYPE_SHIFT	(63 - MAX_SWAPFILES_SHIFT)
#define SWP_OFFSET_MASK	((1UL << SWP_TYPE_SHIFT) - 1)

static inline swp_entry_t swp_entry(unsigned int type, unsigned long offset)
{
	return (swp_entry_t){ ((unsigned long)type << SWP_TYPE_SHIFT) | (offset & SWP_OFFSET_MASK) };
}
static inline unsigned int swp_type(swp_entry_t entry)
{
	return (unsigned int)(entry.val >> SWP_TYPE_SHIFT);
}
static inline unsigned long swp_offset(swp_entry_t entry)
{
	return entry.val & SWP_OFFSET_MASK;
}

/*
 * The entry as a non-present x86 PTE stores it (swp_entry_to_pte / pte_to_swp_entry):
 *  8-byte PTEs (x86_64, i386 PAE; pgtable_64.h, pgtable-3level.h since the L1TF fix): the type in
 *    bits 59-63, the offset inverted in bits 9-58 (so that a stale entry never points at RAM);
 *    bits 1-3 stay free for the soft-dirty, uffd-wp and exclusive markers, bit 8 for PROT_NONE.
 *  4-byte PTEs (i386 2-level; pgtable-2level.h): the type in bits 1-5, the offset from bit 9.
 * pte_size is the PTE width in bytes (struct paging_mode entry_size).
 */
#define SWP_TYPE_BITS		5
#define SWP_OFFSET_FIRST_BIT	9	/* _PAGE_BIT_PROTNONE + 1 */
#define SWP_OFFSET_SHIFT	(SWP_OFFSET_FIRST_BIT + SWP_TYPE_BITS)

uint64_t swp_entry_to_pte(unsigned int pte_size, swp_entry_t entry);
swp_entry_t pte_to_swp_entry(unsigned int pte_size, uint64_t pte);

/*
 * The swap header: page 0 of an area, as mkswap writes it (include/linux/swap.h union swap_header).
 * The signature is the last 10 bytes of the page.
 */
#define SWAP_HEADER_MAGIC	"SWAPSPACE2"
#define SWAP_HEADER_MAGIC_LEN	10
struct swap_header_info {
	char bootbits[1024];
	uint32_t version;
	uint32_t last_page;
	uint32_t nr_badpages;
	unsigned char sws_uuid[16];
	unsigned char sws_volume[16];
	uint32_t padding[117];
	uint32_t badpages[1];
};
#define MAX_SWAP_BADPAGES \
	((PAGE_SIZE - SWAP_HEADER_MAGIC_LEN - __builtin_offsetof(struct swap_header_info, badpages)) / sizeof(uint32_t))

/* Which list a cluster is on (mm/swap.h CLUSTER_FLAG_*). */
enum swap_cluster_flags {
	CLUSTER_FLAG_NONE,	/* on no list: the swap table is not allocated (never used) */
	CLUSTER_FLAG_FREE,
	CLUSTER_FLAG_NONFULL,
	CLUSTER_FLAG_FULL,
};

/* One cluster of SWAPFILE_CLUSTER slots (mm/swap.h struct swap_cluster_info). table is the 6.18
 * swap table: for each slot 0, its swap cache page, or the shadow its page left when reclaim evicted
 * it (mm/swap_table.h). */
struct swap_cluster_info {
	unsigned short count;		/* slots in use (or unusable: the header, past the end) */
	unsigned char flags;		/* enum swap_cluster_flags */
	unsigned long *table;
	struct list_head list;
};

struct swap_info_struct;

/* Where an area's slots live: a host file now, zram once the driver exposes its API. */
struct swap_backend {
	const char *name;
	int (*read_page)(struct swap_info_struct *si, unsigned long offset, void *buf);
	int (*write_page)(struct swap_info_struct *si, unsigned long offset, const void *buf);
	void (*free_slot)(struct swap_info_struct *si, unsigned long offset);
	void (*release)(struct swap_info_struct *si);
};

/* One swap area (include/linux/swap.h struct swap_info_struct). */
struct swap_info_struct {
	unsigned long flags;
	int prio;			/* higher is used first */
	signed char type;		/* index in swap_info[] */
	unsigned int max;		/* pages in the area, header included */
	unsigned char *swap_map;	/* one byte per slot */
	struct swap_cluster_info *cluster_info;
	struct list_head free_clusters;
	struct list_head nonfull_clusters;
	struct list_head full_clusters;
	unsigned int pages;		/* usable slots */
	unsigned long inuse_pages;	/* slots holding data or reserved for the swap cache */
	struct list_head list;		/* swap_active_head, by priority */
	struct list_head avail_list;	/* swap_avail_head, by priority: active and not full */
	char *swap_file;		/* the name in the machine: "/swapfile", "/dev/vdb" */
	const struct swap_backend *backend;
	int fd;				/* the host file of a file backend */
	void *bdev;			/* the zram device of a zram backend */
};

/* The per-CPU current cluster (mm/swapfile.c struct percpu_swap_cluster): the area and the next
 * offset to try there; si NULL when the CPU has none. */
struct percpu_swap_cluster {
	struct swap_info_struct *si;
	unsigned long offset;
};

/* All swap state of a machine. */
struct swap_state {
	struct swap_info_struct *swap_info[MAX_SWAPFILES];
	unsigned int nr_swapfiles;		/* types ever used: the highest + 1 */
	struct list_head swap_active_head;
	struct list_head swap_avail_head;
	struct percpu_swap_cluster percpu_swap_cluster[NR_CPUS];
	long nr_swap_pages;			/* free slots in areas that take writes */
	long total_swap_pages;			/* usable slots of every active area */
	int least_priority;			/* the last default priority given */
	unsigned long swapfile_maximum_size;	/* pages an area may have: the PTE format's limit */
	char *dir;				/* the host directory of swap files, or NULL until mkswap */
};

/* Boot and shutdown (one line each in mm_init.c). */
int swap_init(struct machine *m);
void swap_exit(struct machine *m);

/* ---- Areas (mm/swapfile.c) ---- */

/* mkswap PATH: write a swap header into page 0 of the area: a host file, made size bytes long
 * (size 0: keep the file's size; -ENOENT if there is none), or a zram device of its disksize. A
 * copy of the header written into info. 0, or -EBUSY (PATH is swapped on), -EINVAL (under 10
 * pages), -EFBIG (over 64 GiB) or another negative errno. */
int mkswap(struct machine *m, const char *path, uint64_t size, struct swap_header_info *info);
/* fallocate PATH: a blank host file (a disk without a swap signature) of size bytes. */
int swap_fallocate(struct machine *m, const char *path, uint64_t size);
/* sys_swapon: swap_flags SWAP_FLAG_PREFER | prio, or 0 for the next default priority. */
int sys_swapon(struct machine *m, const char *path, int swap_flags);
int sys_swapoff(struct machine *m, const char *path);
/* swap_info_find: the active area named path, or NULL. */
struct swap_info_struct *swap_info_find(struct machine *m, const char *path);
struct swap_info_struct *swp_swap_info(struct machine *m, swp_entry_t entry);

/* get_nr_swap_pages: free slots; total_swap_pages: usable slots of every active area. */
long get_nr_swap_pages(const struct machine *m);
long total_swap_pages(const struct machine *m);

/* ---- Slots (mm/swapfile.c) ---- */

/* folio_alloc_swap: a slot for page (count 0 | SWAP_HAS_CACHE) and the page in the swap cache;
 * -ENOMEM when no area has a free slot. */
int folio_alloc_swap(struct machine *m, struct page *page);
/* swap_duplicate: one more reference (a swap PTE copied by fork); -ENOMEM past SWAP_MAP_MAX,
 * -ENOENT for a free slot, -EINVAL for a bad entry. */
int swap_duplicate(struct machine *m, swp_entry_t entry);
/* swap_free: drop one reference; the slot is freed when none is left and no page caches it. */
void swap_free(struct machine *m, swp_entry_t entry);
/* free_swap_and_cache: swap_free, then drop the swap cache page if it was the last user. */
void free_swap_and_cache(struct machine *m, swp_entry_t entry);
/* put_swap_folio: the swap cache let go of the page's slot (clears SWAP_HAS_CACHE). */
void put_swap_folio(struct machine *m, swp_entry_t entry);
/* __swap_count: references to the slot, SWAP_HAS_CACHE excluded; -1 for a bad entry. */
int __swap_count(struct machine *m, swp_entry_t entry);
/* swap_entry_valid: the entry names a slot of an active area that is in use. */
bool swap_entry_valid(struct machine *m, swp_entry_t entry);

/* ---- The swap cache (mm/swap_state.c) ---- */

#define PG_swapcache	PG_owner_priv_1
static inline bool PageSwapCache(const struct page *page)
{
	return test_bit_flag(page, PG_swapbacked) && test_bit_flag(page, PG_swapcache);
}
/* page_swap_entry: the slot of a swap cache page (folio->swap, in page->private). */
static inline swp_entry_t page_swap_entry(const struct page *page)
{
	return (swp_entry_t){ page->private };
}

struct page *swap_cache_get_folio(struct machine *m, swp_entry_t entry);
/* swap_cache_add_folio: page caches entry's slot; takes a page reference; counts NR_SWAPCACHE.
 * The shadow the slot held goes to *shadow when shadow is not NULL. 0, or -ENOMEM (no memory for the
 * cluster's swap table). */
int swap_cache_add_folio(struct machine *m, struct page *page, swp_entry_t entry, void **shadow);
/* swap_cache_del_folio: page leaves the swap cache: its reference dropped, its slot released. */
void swap_cache_del_folio(struct machine *m, struct page *page);
/* __swap_cache_del_folio: the same, leaving shadow (a workingset shadow entry, or NULL) in the slot. */
void __swap_cache_del_folio(struct machine *m, struct page *page, void *shadow);
/* swap_cache_get_shadow: the shadow entry a reclaimed page left in entry's slot, or NULL. */
void *swap_cache_get_shadow(struct machine *m, swp_entry_t entry);
/* __swap_cache_replace_folio: new caches old's slot in its place (migration). */
void __swap_cache_replace_folio(struct machine *m, struct page *old, struct page *new);
/* folio_free_swap: drop page from the swap cache if no PTE refers to its slot any more. */
bool folio_free_swap(struct machine *m, struct page *page);

/* ---- I/O (mm/page_io.c) ---- */

/* swap_writepage: the swap cache page's 4 KiB to its slot. 0 or a negative errno. */
int swap_writepage(struct machine *m, struct page *page);
/* swap_read_folio: entry's slot into page. 0 or a negative errno. */
int swap_read_folio(struct machine *m, struct page *page, swp_entry_t entry);
/* swap_backend_open: the backend of path: a host file in the machine's directory, or zram. */
int swap_backend_open(struct machine *m, struct swap_info_struct *si, uint64_t *bytes);
/* machine_file_open: the host file behind the machine's path, read-write, made (with the machine's
 * directory) when create; an fd or a negative errno (-ENOENT: no such machine file). Swap files
 * and the page cache's files (include/mmlab/fs.h) share the directory. */
int machine_file_open(struct machine *m, const char *path, bool create);
/* swap_host_open: the host file behind the machine's path, read-write; create: made (or cut) size
 * bytes long. A file descriptor, or -ENOENT, -EINVAL (a path that is no absolute file name),
 * -ENAMETOOLONG or the host's errno. */
int swap_host_open(struct machine *m, const char *path, bool create, uint64_t size);
/* swap_device_header: page 0 of the file or zram device at path written (write true), and the
 * size of what holds it in *bytes either way. 0, -ENOENT, -EBUSY (a zram device in use), -EINVAL
 * (an uninitialised zram device) or the host's errno. */
int swap_device_header(struct machine *m, const char *path, const void *page, bool write, uint64_t *bytes);
/* swap_dir_remove: remove the host directory and every file in it. */
void swap_dir_remove(struct machine *m);

/* ---- Commit accounting (mm/util.c) ---- */

/* __vm_enough_memory: may pages more be committed? 0, or -ENOMEM (the commitment undone). */
int __vm_enough_memory(struct machine *m, long pages);
void vm_acct_memory(struct machine *m, long pages);
void vm_unacct_memory(struct machine *m, long pages);
/* vm_commit_limit: what overcommit_memory=2 allows: overcommit_ratio % of RAM plus swap. */
unsigned long vm_commit_limit(struct machine *m);

/* ---- Checks and procfs ---- */

/* swap_check: the invariants of every area and of the swap cache; violations into report. */
int swap_check(struct machine *m, struct seq_file *report);

#endif
