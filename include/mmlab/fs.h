/*
 * Files and the page cache (include/linux/fs.h, include/linux/pagemap.h, include/linux/writeback.h).
 *
 * An inode stands for one real host file, one per (st_dev, st_ino), so that every mapping and
 * every process of the same file share its page cache: the address_space's i_pages index holds
 * the file's cached pages by page offset (and, where lrugen's workingset code puts them, value
 * entries: the shadows of evicted pages), its i_mmap tree the VMAs that map the file, by the
 * range of page offsets each maps, so that the reverse map and truncation visit only the VMAs
 * over a page. Reads of a file go through readahead (mm/readahead.c): each open file keeps a
 * file_ra_state whose window grows as long as the reads stay sequential, its size bounded by the
 * backing device's read_ahead_kb. A file is either one of the machine's own (made by `truncate` or `fallocate`
 * in the host directory the machine owns, opened read-write) or any other host file, opened
 * read-only: a shared writable mapping of it is -EACCES, as for a file opened O_RDONLY.
 */
#ifndef MMLAB_FS_H
#define MMLAB_FS_H

#include <stdbool.h>
#include <sys/sysmacros.h>
#include <sys/types.h>

#include <mmlab/list.h>
#include <mmlab/rbtree.h>
#include <mmlab/xarray.h>

struct machine;
struct page;
struct task_struct;
struct vm_area_struct;
struct pt_entry;

/* struct backing_dev_info (include/linux/backing-dev-defs.h): the device a file system is on, as far
 * as readahead sees it: /sys/class/bdi/MAJ:MIN/read_ahead_kb. The machine's files' device has one
 * from boot; each host device gets its own when its first inode is read. No request queue backs it,
 * so io_pages stays at bdi_init's VM_READAHEAD_PAGES. */
struct backing_dev_info {
	dev_t dev;
	unsigned long ra_pages;		/* the readahead window's largest size, in pages */
	unsigned long io_pages;		/* the largest read the device takes at once, in pages */
	struct list_head bdi_list;	/* on the machine's list (bdi_list in mm/backing-dev.c) */
};

/* VM_READAHEAD_PAGES (include/linux/mm.h): the default readahead window, 128 KiB. */
#define VM_READAHEAD_PAGES	(131072UL / PAGE_SIZE)
/* MMAP_LOTSAMISS (mm/filemap.c): page-cache misses of a file's mappings after which their faults
 * stop reading around. */
#define MMAP_LOTSAMISS		100

/* struct address_space (include/linux/fs.h): a file's page cache. */
struct address_space {
	struct inode *host;
	struct xarray i_pages;		/* page offset -> struct page *, or a value entry (a shadow) */
	unsigned long nrpages;		/* pages in i_pages (shadows not counted) */
	struct rb_root i_mmap;		/* the VMAs mapping the file, in an interval tree of the page
					 * offsets they map (vma->shared, mm/interval_tree.c) */
	unsigned long nrdirty;		/* its PG_dirty pages (the kernel tags them PAGECACHE_TAG_DIRTY) */
};

/* The device the machine's own files are on, as /proc/PID/maps shows it: an anonymous device
 * (get_anon_bdev), the one after shmem's 00:01. */
#define MACHINE_FS_DEV	makedev(0, 2)

/* struct inode (include/linux/fs.h): a host file. */
struct inode {
	unsigned long i_ino;		/* a host file's st_ino; the machine's own files are numbered */
	dev_t i_dev;			/* its super block's s_dev: the host's st_dev, or MACHINE_FS_DEV */
	dev_t host_dev;			/* what identifies the host file: (st_dev, st_ino) */
	ino_t host_ino;
	long long i_size;
	int i_count;			/* open struct files */
	int fd;				/* the host file, read-write for the machine's own files */
	bool writable;
	char *path;			/* the machine's name for it, as /proc/PID/maps prints it */
	struct address_space i_data;
	struct list_head i_sb_list;	/* on the machine's list of inodes (sb->s_inodes) */
	struct backing_dev_info *i_bdi;	/* its super block's s_bdi */
};

static inline struct backing_dev_info *inode_to_bdi(const struct inode *inode)
{
	return inode->i_bdi;
}

/* f_mode bits (include/linux/fs.h). */
#define FMODE_READ	0x1U
#define FMODE_WRITE	0x2U

/* struct file_ra_state (include/linux/fs.h): an open file's readahead: the last window read,
 * [start, start + size), whose last async_size pages are read ahead of need (its first carries
 * PG_readahead); the window's largest size; the misses of its mappings; the last byte read. */
struct file_ra_state {
	unsigned long start;
	unsigned int size;
	unsigned int async_size;
	unsigned int ra_pages;
	unsigned int order;		/* the folio order readahead asks for: 0 here (no large folios in
					 * the page cache) */
	unsigned short mmap_miss;
	long long prev_pos;
};

/* struct file: an open file, as a VMA holds it (vm_file). */
struct file {
	struct inode *f_inode;
	struct address_space *f_mapping;
	unsigned int f_mode;
	int f_count;
	struct file_ra_state f_ra;
};

/* struct readahead_control (include/linux/pagemap.h): one readahead request: the file (NULL for
 * none), its cache, its state, and the pages [_index, _index + _nr_pages) added so far. */
struct readahead_control {
	struct file *file;
	struct address_space *mapping;
	struct file_ra_state *ra;
	unsigned long _index;
	unsigned int _nr_pages;
};

/* DEFINE_READAHEAD (include/linux/pagemap.h). */
#define DEFINE_READAHEAD(ractl, f, r, m, i) \
	struct readahead_control ractl = { .file = (f), .mapping = (m), .ra = (r), ._index = (i) }

/* The machine's inodes (the super blocks' s_inodes lists, in one). */
struct fs_state {
	struct list_head inodes;
	struct list_head bdi_list;	/* the backing devices (struct backing_dev_info) */
	unsigned long nr_inodes;
	unsigned long last_ino;		/* the machine's own files' inode numbers, in order of first use */
	int drop_caches_stfu;		/* a write of 4 silenced drop_caches' log line */
};

static inline struct inode *file_inode(const struct file *file)
{
	return file->f_inode;
}

/* ---- fs/open.c, fs/file_table.c, fs/inode.c ---- */

/* fs_init, fs_exit: the inode list at boot; every inode and cached page freed at shutdown. */
int fs_init(struct machine *m);
void fs_exit(struct machine *m);
/* filp_open: open PATH: the machine's own file of that name (read-write), else the host's file
 * (read-only); a regular file's inode is found (or made) by its (st_dev, st_ino). NULL with *err
 * (-ENOENT, -ENODEV for what is not a regular file, -ENOMEM). */
struct file *filp_open(struct machine *m, const char *path, int *err);
/* get_file, fput: one more holder of the file, one less (the last drops the inode: iput). */
struct file *get_file(struct file *file);
void fput(struct machine *m, struct file *file);
/* IS_SWAPFILE: the file is an active swap area: swap writes it directly, so no write may go
 * through the page cache (-ETXTBSY) (include/linux/fs.h S_SWAPFILE). */
bool IS_SWAPFILE(struct machine *m, const struct inode *inode);
/* do_truncate: truncate(2) of the machine's file PATH, made first when there is none (the
 * machine's directory too). 0 or a negative errno. */
int do_truncate(struct machine *m, const char *path, long long size);
/* prune_icache: free the unused inodes that cache no page (drop_caches 2); how many went. */
unsigned long prune_icache(struct machine *m);
/* fs_host_size: the size of PATH's host file in bytes, or a negative errno (machine paths first). */
long long fs_host_size(struct machine *m, const char *path);
/* fs_host_read: up to len bytes at off of PATH's host file, read directly (not through the page
 * cache): what is on the "disk". Bytes read, or a negative errno. */
long fs_host_read(struct machine *m, const char *path, long long off, void *buf, unsigned long len);

/* ---- mm/filemap.c ---- */

/* filemap_get_folio: the cached page at index (no reference taken), or NULL (a shadow is NULL). */
struct page *filemap_get_folio(struct address_space *mapping, unsigned long index);
/* filemap_add_folio: a new page enters the cache at index and the inactive file LRU (the cache
 * holds one reference). 0 or -ENOMEM. */
int filemap_add_folio(struct machine *m, struct address_space *mapping, struct page *page, unsigned long index);
/* __filemap_remove_folio: the page leaves the cache; shadow (a value entry, or NULL) takes its slot. */
void __filemap_remove_folio(struct machine *m, struct page *page, void *shadow);
/* __filemap_replace_folio: new takes old's slot in the page cache (migration: replace_page_cache_folio). */
void __filemap_replace_folio(struct page *old, struct page *new);
/* filemap_alloc_and_read: a new page for the cache at index holding the file's bytes, allocated
 * as readahead does (readahead_gfp_mask: no retrying, no warning), not yet in the cache; NULL when
 * there is no page or the read fails (filemap_alloc_folio, then the read_folio of read_pages). */
struct page *filemap_alloc_and_read(struct machine *m, struct address_space *mapping, unsigned long index);
/* page_cache_next_miss, page_cache_prev_miss: the first index from index on (going up, or down)
 * that the cache does not hold, looking at most max_scan entries; index + max_scan (index -
 * max_scan) when all are cached, or 0 (ULONG_MAX) when the search wraps (mm/filemap.c). */
unsigned long page_cache_next_miss(struct address_space *mapping, unsigned long index, unsigned long max_scan);
unsigned long page_cache_prev_miss(struct address_space *mapping, unsigned long index, unsigned long max_scan);
/* filemap_map_pages: the cached, up-to-date pages [start_pgoff, end_pgoff] of the file mapped into
 * the empty PTEs of vma (fault-around; not those marked PG_readahead, nor past the file's end);
 * whether the page at addr was mapped (VM_FAULT_NOPAGE). */
unsigned int filemap_map_pages(struct vm_area_struct *vma, unsigned long addr, unsigned long start_pgoff,
			       unsigned long end_pgoff);

/* ---- mm/readahead.c ---- */

/* file_ra_state_init: an open file's readahead state, its window bounded by the device's ra_pages. */
void file_ra_state_init(struct file_ra_state *ra, struct address_space *mapping);
/* force_page_cache_ra: the request's nr pages read now, at most max(io_pages, ra_pages), in 2 MiB
 * chunks (MADV_WILLNEED, and every read of a file without readahead). */
void force_page_cache_ra(struct machine *m, struct readahead_control *ractl, unsigned long nr_to_read);
/* force_page_cache_readahead (include/linux/pagemap.h): the same for the file's pages from index. */
void force_page_cache_readahead(struct machine *m, struct address_space *mapping, struct file *file,
				unsigned long index, unsigned long nr_to_read);
/* page_cache_sync_ra: a read of req_count pages missed the cache at the request's index: read it
 * and what the file's access pattern says will follow (the on-demand window). */
void page_cache_sync_ra(struct machine *m, struct readahead_control *ractl, unsigned long req_count);
/* page_cache_async_ra: a read reached page, marked PG_readahead: the next window, read ahead now. */
void page_cache_async_ra(struct machine *m, struct readahead_control *ractl, struct page *page,
			 unsigned long req_count);
/* page_cache_ra_order: the window ra describes read from the request's index (order-0 pages only). */
void page_cache_ra_order(struct machine *m, struct readahead_control *ractl, struct file_ra_state *ra);

/* ---- mm/backing-dev.c ---- */

/* bdi_init: the machine's devices: the one its own files are on. 0 or -ENOMEM. */
int bdi_init(struct machine *m);
/* bdi_get: the backing device of dev, made when it is the first inode's on it; NULL for -ENOMEM. */
struct backing_dev_info *bdi_get(struct machine *m, dev_t dev);
/* bdi_exit: every backing device freed. */
void bdi_exit(struct machine *m);
/* filemap_peek: the file's page at index as the page cache or else the host file has it, counting
 * nothing and caching nothing (for verify). 0 or -EIO. */
int filemap_peek(struct machine *m, struct address_space *mapping, unsigned long index, void *buf);
/* filemap_fault: the cached page of a file VMA at addr, read in when missing (*major set), with a
 * reference for the caller; NULL with *fault VM_FAULT_SIGBUS past the end of the file, or OOM. */
struct page *filemap_fault(struct vm_area_struct *vma, unsigned long addr, bool *major, unsigned int *fault);
/* filemap_read, generic_perform_write: pread(2)/pwrite(2) at pos through the page cache, to or
 * from the task's memory at buf. Bytes done, or a negative errno (-EFAULT for a bad buffer, -EBADF
 * for a write to a file opened read-only); *sig when the task died on the way. */
long filemap_read(struct machine *m, struct task_struct *tsk, struct file *file, unsigned long buf,
		  unsigned long len, long long pos, int *sig);
long generic_perform_write(struct machine *m, struct task_struct *tsk, struct file *file, unsigned long buf,
			   unsigned long len, long long pos, int *sig);
/* mapping_max_index: pages a mapping of the file may fault: DIV_ROUND_UP(i_size, PAGE_SIZE). */
unsigned long mapping_max_index(const struct address_space *mapping);

/* filemap_check: every inode's cache against its counts, and NR_FILE_PAGES/NR_FILE_DIRTY against
 * them (machine_check); violations into report. */
struct seq_file;
int filemap_check(struct machine *m, struct seq_file *report);

/* ---- mm/page-writeback.c ---- */

/* folio_mark_dirty: the page's data differs from the file's (NR_FILE_DIRTY, nr_dirtied). */
void folio_mark_dirty(struct machine *m, struct page *page);
/* folio_account_cleaned: a dirty page-cache page becomes clean without being written (truncate). */
void folio_account_cleaned(struct machine *m, struct page *page);
/* folio_write_one: a dirty page cleaned (its PTEs write-protected and cleaned: folio_mkclean)
 * and written to the host file up to i_size (pageout, fsync, munmap). 0 or a negative errno (the
 * page stays dirty). */
int folio_write_one(struct machine *m, struct page *page);
/* filemap_write_and_wait_range: every dirty page of [start, end] (byte offsets) written. */
int filemap_write_and_wait_range(struct machine *m, struct address_space *mapping, long long start, long long end);

/* ---- mm/truncate.c ---- */

/* truncate_setsize: the file becomes size bytes (the host file too): pages past it unmapped (even
 * private copies, as truncate_pagecache does) and dropped, the last partial page's tail zeroed. */
int truncate_setsize(struct machine *m, struct inode *inode, long long size);
/* invalidate_mapping_pages: drop the clean, unmapped, unlocked pages of [start, end] (indices);
 * how many went (drop_caches, MS_INVALIDATE-free). */
unsigned long invalidate_mapping_pages(struct machine *m, struct address_space *mapping, unsigned long start,
				       unsigned long end);
/* truncate_inode_pages: every page of the mapping dropped, dirty or not (the inode's end). */
void truncate_inode_pages(struct machine *m, struct address_space *mapping);

/* ---- fs/drop_caches.c ---- */

/* drop_caches_write: echo N > /proc/sys/vm/drop_caches (1..4, checked by the sysctl): 1 the clean
 * page cache, 2 the reclaimable slab objects (here: unused inodes), 3 both; 4 silences the log. */
void drop_caches_write(struct machine *m, int value);

#endif
