/*
 * The page cache (mm/filemap.c): a file's pages by offset in its address_space's i_pages, each
 * holding the file's real bytes, read in from the host file on a miss. Faults on file mappings
 * (filemap_fault), pread (filemap_read, which marks the pages it reads accessed) and pwrite
 * (generic_perform_write, which dirties them) all go through it. Readahead is not modelled: a
 * miss reads one page.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <mmlab/fs.h>
#include <mmlab/gfp.h>
#include <mmlab/mm.h>
#include <mmlab/seq_file.h>
#include <mmlab/vmscan.h>
#include <mmlab/vmstat.h>

#include "internal.h"

/* A page read from a file is 8 sectors of 512 bytes to the block layer (pgpgin counts sectors). */
#define SECTORS_PER_PAGE (PAGE_SIZE >> 9)

unsigned long mapping_max_index(const struct address_space *mapping)
{
	return (unsigned long)((mapping->host->i_size + (long long)PAGE_SIZE - 1) >> PAGE_SHIFT);
}

struct page *filemap_get_folio(struct address_space *mapping, unsigned long index)
{
	void *entry = xa_load(&mapping->i_pages, index);

	return entry && !xa_is_value(entry) ? entry : NULL;
}

static void mod_file_pages(struct machine *m, struct page *page, long delta)
{
	__mod_node_page_state(NODE_DATA(m, page_to_nid(page)), NR_FILE_PAGES, delta);
}

/* The mm_filemap_op_page_cache event class (include/trace/events/filemap.h). */
static void trace_filemap_op(struct machine *m, enum trace_event_id id, const struct page *page,
			     const struct address_space *mapping)
{
	trace_emit(m, id, "dev %d:%d ino %lx pfn=0x%lx ofs=%lu order=%u", (int)major(mapping->host->i_dev),
		   (int)minor(mapping->host->i_dev), mapping->host->i_ino, page_to_pfn(m, page),
		   page->index << PAGE_SHIFT, 0U);
}

int filemap_add_folio(struct machine *m, struct address_space *mapping, struct page *page, unsigned long index)
{
	void *shadow;

	if (xa_store(&mapping->i_pages, index, page, &shadow))
		return -ENOMEM;
	page->mapping = mapping;
	page->index = index;
	get_page(page);
	mapping->nrpages++;
	mod_file_pages(m, page, 1);
	if (trace_enabled(m, mm_filemap_add_to_page_cache))
		trace_filemap_op(m, TP_mm_filemap_add_to_page_cache, page, mapping);
	/* the value entry an evicted page of this index left behind (__remove_mapping) */
	if (shadow)
		workingset_refault(m, page, shadow);
	folio_add_lru(m, page);
	return 0;
}

void __filemap_remove_folio(struct machine *m, struct page *page, void *shadow)
{
	struct address_space *mapping = page->mapping;
	void *old;

	if (trace_enabled(m, mm_filemap_delete_from_page_cache))
		trace_filemap_op(m, TP_mm_filemap_delete_from_page_cache, page, mapping);
	xa_store(&mapping->i_pages, page->index, shadow, &old);	/* a slot in use: no allocation */
	mapping->nrpages--;
	mod_file_pages(m, page, -1);
	page->mapping = NULL;
}

void __filemap_replace_folio(struct page *old, struct page *new)
{
	struct address_space *mapping = old->mapping;
	void *was;

	xa_store(&mapping->i_pages, old->index, new, &was);	/* a slot in use: no allocation */
}

/* filemap_read_folio: the page's bytes from the host file; the tail past its end reads zeros. */
static int filemap_read_folio(struct machine *m, struct address_space *mapping, struct page *page, unsigned long index)
{
	unsigned char *p = kmap_local_page(m, page);
	ssize_t n = pread(mapping->host->fd, p, PAGE_SIZE, (off_t)index << PAGE_SHIFT);

	if (n < 0)
		return -EIO;
	memset(p + n, 0, PAGE_SIZE - (size_t)n);
	set_page_flag(page, PG_uptodate);
	count_vm_events(m, PGPGIN, SECTORS_PER_PAGE);
	return 0;
}

/* __filemap_get_folio(FGP_CREAT): the cached page at index with a reference for the caller, else a
 * new one: read from the file when read (*major set), zeroed otherwise. NULL with *err. */
static struct page *filemap_get_or_create(struct machine *m, struct address_space *mapping, unsigned long index,
					  bool read, bool *major, int *err)
{
	struct page *page = filemap_get_folio(mapping, index);

	*major = false;
	if (page) {
		get_page(page);
		return page;
	}
	page = alloc_pages(m, GFP_HIGHUSER_MOVABLE | (read ? 0 : __GFP_ZERO), 0);
	if (!page) {
		*err = -ENOMEM;
		return NULL;
	}
	if (read && (*err = filemap_read_folio(m, mapping, page, index))) {
		__free_pages(m, page, 0);
		return NULL;
	}
	if (!read)
		set_page_flag(page, PG_uptodate);
	/* the allocation may have reclaimed: another path may have cached this index meanwhile */
	if (filemap_get_folio(mapping, index) || (*err = filemap_add_folio(m, mapping, page, index))) {
		__free_pages(m, page, 0);
		return *err ? NULL : filemap_get_or_create(m, mapping, index, read, major, err);
	}
	*major = read;
	return page;
}

void force_page_cache_ra(struct machine *m, struct address_space *mapping, unsigned long index, unsigned long nr)
{
	unsigned long end = index + nr < mapping_max_index(mapping) ? index + nr : mapping_max_index(mapping);

	for (; index < end; index++) {
		bool major;
		int err = 0;
		struct page *page = filemap_get_or_create(m, mapping, index, true, &major, &err);

		if (!page)
			return;
		put_page(m, page);
	}
}

int filemap_peek(struct machine *m, struct address_space *mapping, unsigned long index, void *buf)
{
	struct page *page = filemap_get_folio(mapping, index);
	ssize_t n;

	if (page) {
		memcpy(buf, kmap_local_page(m, page), PAGE_SIZE);
		return 0;
	}
	n = pread(mapping->host->fd, buf, PAGE_SIZE, (off_t)index << PAGE_SHIFT);
	if (n < 0)
		return -EIO;
	memset((unsigned char *)buf + n, 0, PAGE_SIZE - (size_t)n);
	return 0;
}

struct page *filemap_fault(struct vm_area_struct *vma, unsigned long addr, bool *major, unsigned int *fault)
{
	struct machine *m = vma->vm_mm->machine;
	struct address_space *mapping = vma->vm_file->f_mapping;
	unsigned long index = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
	struct page *page;
	int err = 0;

	if (index >= mapping_max_index(mapping)) {
		*fault = VM_FAULT_SIGBUS;
		return NULL;
	}
	page = filemap_get_or_create(m, mapping, index, true, major, &err);
	if (!page) {
		*fault = err == -ENOMEM ? VM_FAULT_OOM : VM_FAULT_SIGBUS;
		return NULL;
	}
	if (*major)
		count_vm_event(m, PGMAJFAULT);
	return page;
}

long filemap_read(struct machine *m, struct task_struct *tsk, struct file *file, unsigned long buf,
		  unsigned long len, long long pos, int *sig)
{
	struct address_space *mapping = file->f_mapping;
	long long size = mapping->host->i_size;
	unsigned long done = 0;
	bool major;
	int err = 0;

	*sig = 0;
	if (pos < 0)
		return -EINVAL;
	if (pos >= size)
		return 0;
	if ((long long)len > size - pos)
		len = (unsigned long)(size - pos);
	while (done < len) {
		unsigned long off = (unsigned long)(pos + (long long)done) & ~PAGE_MASK, chunk = PAGE_SIZE - off, left;
		struct page *page = filemap_get_or_create(m, mapping, (unsigned long)((pos + (long long)done) >> PAGE_SHIFT),
							  true, &major, &err);

		if (!page)
			return done ? (long)done : err;
		if (chunk > len - done)
			chunk = len - done;
		folio_mark_accessed(m, page);
		left = copy_to_user(m, tsk, buf + done, (unsigned char *)kmap_local_page(m, page) + off, chunk, sig);
		put_page(m, page);
		done += chunk - left;
		if (left || *sig)
			return done ? (long)done : -EFAULT;
	}
	return (long)done;
}

long generic_perform_write(struct machine *m, struct task_struct *tsk, struct file *file, unsigned long buf,
			   unsigned long len, long long pos, int *sig)
{
	struct address_space *mapping = file->f_mapping;
	unsigned long done = 0;
	bool major;
	int err = 0;

	*sig = 0;
	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;
	if (IS_SWAPFILE(m, file_inode(file)))
		return -ETXTBSY;	/* generic_write_check_limits */
	if (pos < 0)
		return -EINVAL;
	while (done < len) {
		long long at = pos + (long long)done;
		unsigned long off = (unsigned long)at & ~PAGE_MASK, chunk = PAGE_SIZE - off, index = (unsigned long)(at >> PAGE_SHIFT);
		struct page *page;
		unsigned long left;

		if (chunk > len - done)
			chunk = len - done;
		/* write_begin: a page only partly overwritten is read first if the file has bytes there */
		page = filemap_get_or_create(m, mapping, index, chunk < PAGE_SIZE && index < mapping_max_index(mapping),
					     &major, &err);
		if (!page)
			return done ? (long)done : err;
		left = copy_from_user(m, tsk, (unsigned char *)kmap_local_page(m, page) + off, buf + done, chunk, sig);
		done += chunk - left;
		if (chunk > left) {
			folio_mark_dirty(m, page);
			if (pos + (long long)done > mapping->host->i_size)
				mapping->host->i_size = pos + (long long)done;	/* i_size_write */
		}
		put_page(m, page);
		if (left || *sig)
			return done ? (long)done : -EFAULT;
	}
	return (long)done;
}

/* One inode's cache: every page where its index says, counted once, referenced by the cache and
 * each PTE, on an LRU list, clean or counted dirty. */
static void check_mapping(struct machine *m, struct address_space *mapping, struct seq_file *report, int *errors,
			  unsigned long *pages, unsigned long *dirty)
{
	unsigned long index, nr = 0, nrdirty = 0;
	struct vm_area_struct *vma;
	void *entry;

	xa_for_each(&mapping->i_pages, index, entry) {
		struct page *page = entry;
		unsigned long pfn;

		if (xa_is_value(entry))
			continue;
		pfn = page_to_pfn(m, page);
		nr++;
		nrdirty += test_bit_flag(page, PG_dirty);
		if (page->mapping != mapping || page->index != index || PageAnon(page) ||
		    test_bit_flag(page, PG_swapbacked))
			check_report(report, errors, "%s: page cache index %lu holds pfn %#lx of mapping %p index %lu",
				     mapping->host->path, index, pfn, page->mapping, page->index);
		if (page_ref_count(page) < 1 + (page->_mapcount + 1) || !PageLRU(page) || test_bit_flag(page, PG_writeback))
			check_report(report, errors, "%s: index %lu, pfn %#lx: refcount %d, mapcount %d, flags %#lx",
				     mapping->host->path, index, pfn, page_ref_count(page), page->_mapcount + 1,
				     page->flags & ((1UL << __NR_PAGEFLAGS) - 1));
	}
	if (nr != mapping->nrpages || nrdirty != mapping->nrdirty)
		check_report(report, errors, "%s: nrpages %lu and %lu dirty, but the cache holds %lu and %lu",
			     mapping->host->path, mapping->nrpages, mapping->nrdirty, nr, nrdirty);
	list_for_each_entry(vma, &mapping->i_mmap, shared)
		if (!vma->vm_file || vma->vm_file->f_mapping != mapping)
			check_report(report, errors, "%s: a VMA of another file on i_mmap", mapping->host->path);
	*pages += nr;
	*dirty += nrdirty;
}

int filemap_check(struct machine *m, struct seq_file *report)
{
	unsigned long pages = 0, dirty = 0, shmem = global_node_page_state(m, NR_SHMEM);
	unsigned long swapcache = global_node_page_state(m, NR_SWAPCACHE);
	struct inode *inode;
	int errors = 0;

	list_for_each_entry(inode, &m->fs->inodes, i_sb_list)
		check_mapping(m, &inode->i_data, report, &errors, &pages, &dirty);
	if (global_node_page_state(m, NR_FILE_PAGES) != pages + shmem + swapcache)
		check_report(report, &errors, "NR_FILE_PAGES is %lu: %lu page cache + %lu shmem + %lu swap cache expected",
			     global_node_page_state(m, NR_FILE_PAGES), pages, shmem, swapcache);
	if (global_node_page_state(m, NR_FILE_DIRTY) != dirty || global_node_page_state(m, NR_WRITEBACK))
		check_report(report, &errors, "NR_FILE_DIRTY %lu, NR_WRITEBACK %lu, but %lu cached pages are dirty",
			     global_node_page_state(m, NR_FILE_DIRTY), global_node_page_state(m, NR_WRITEBACK), dirty);
	return errors;
}
