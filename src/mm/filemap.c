/*
 * The page cache (mm/filemap.c): a file's pages by offset in its address_space's i_pages, each
 * holding the file's real bytes, read in from the host file on a miss. Faults on file mappings
 * (filemap_fault), pread (filemap_read, which marks the pages it reads accessed) and pwrite
 * (generic_perform_write, which dirties them) all go through it. A fault or a read that misses
 * the cache reads ahead (mm/readahead.c): a mapping's fault reads around the missing page
 * (do_sync_mmap_readahead), or a growing window under MADV_SEQUENTIAL, or the page alone under
 * MADV_RANDOM; reaching a page marked PG_readahead reads the next window (do_async_mmap_readahead).
 * A read fault first maps the cached pages around it (filemap_map_pages, fault-around).
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <mmlab/fs.h>
#include <mmlab/gfp.h>
#include <mmlab/mm.h>
#include <mmlab/sched.h>
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

struct page *filemap_alloc_and_read(struct machine *m, struct address_space *mapping, unsigned long index)
{
	struct page *page = alloc_pages(m, GFP_HIGHUSER_MOVABLE | __GFP_NORETRY | __GFP_NOWARN, 0);

	if (page && filemap_read_folio(m, mapping, page, index)) {
		__free_pages(m, page, 0);
		return NULL;
	}
	return page;
}

unsigned long page_cache_next_miss(struct address_space *mapping, unsigned long index, unsigned long max_scan)
{
	while (max_scan--) {
		if (!filemap_get_folio(mapping, index))
			break;
		if (++index == 0)
			break;
	}
	return index;
}

unsigned long page_cache_prev_miss(struct address_space *mapping, unsigned long index, unsigned long max_scan)
{
	while (max_scan--) {
		if (!filemap_get_folio(mapping, index))
			break;
		if (index-- == 0)
			break;
	}
	return index;
}

/* __filemap_get_folio(FGP_CREAT): the cached page at index with a reference for the caller, else a
 * new one: read from the file when read (*created set), zeroed otherwise. NULL with *err. */
static struct page *filemap_get_or_create(struct machine *m, struct address_space *mapping, unsigned long index,
					  bool read, bool *created, int *err)
{
	struct page *page = filemap_get_folio(mapping, index);

	*created = false;
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
		return *err ? NULL : filemap_get_or_create(m, mapping, index, read, created, err);
	}
	*created = read;
	return page;
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

/* do_sync_mmap_readahead: a fault missed the cache at index: MADV_RANDOM reads nothing ahead,
 * MADV_SEQUENTIAL a window as a read would, anything else ra_pages around the page, a quarter
 * of them ahead, until the file's mappings have missed MMAP_LOTSAMISS times more than they hit.
 * (The kernel's VM_EXEC branch asks for the architecture's exec folio order, which x86 has not.) */
static void do_sync_mmap_readahead(struct vm_area_struct *vma, unsigned long index)
{
	struct machine *m = vma->vm_mm->machine;
	struct file *file = vma->vm_file;
	struct file_ra_state *ra = &file->f_ra;
	DEFINE_READAHEAD(ractl, file, ra, file->f_mapping, index);

	if ((vma->vm_flags & VM_RAND_READ) || !ra->ra_pages)
		return;
	if (vma->vm_flags & VM_SEQ_READ) {
		page_cache_sync_ra(m, &ractl, ra->ra_pages);
		return;
	}
	if (ra->mmap_miss < MMAP_LOTSAMISS * 10)
		ra->mmap_miss++;
	if (ra->mmap_miss > MMAP_LOTSAMISS)
		return;
	ra->start = index > ra->ra_pages / 2 ? index - ra->ra_pages / 2 : 0;	/* mmap read-around */
	ra->size = ra->ra_pages;
	ra->async_size = ra->ra_pages / 4;
	ra->order = 0;
	ractl._index = ra->start;
	page_cache_ra_order(m, &ractl, ra);
}

/* do_async_mmap_readahead: a fault found the page cached: a hit for the file's mappings, and the
 * next window read when the page carries PG_readahead. */
static void do_async_mmap_readahead(struct vm_area_struct *vma, struct page *page, unsigned long index)
{
	struct file *file = vma->vm_file;
	struct file_ra_state *ra = &file->f_ra;
	DEFINE_READAHEAD(ractl, file, ra, file->f_mapping, index);

	if ((vma->vm_flags & VM_RAND_READ) || !ra->ra_pages)
		return;
	if (ra->mmap_miss)
		ra->mmap_miss--;
	if (test_bit_flag(page, PG_readahead))
		page_cache_async_ra(vma->vm_mm->machine, &ractl, page, ra->ra_pages);
}

struct page *filemap_fault(struct vm_area_struct *vma, unsigned long addr, bool *major, unsigned int *fault)
{
	struct machine *m = vma->vm_mm->machine;
	struct address_space *mapping = vma->vm_file->f_mapping;
	unsigned long index = vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
	struct page *page;
	bool created;
	int err = 0;

	if (index >= mapping_max_index(mapping)) {
		*fault = VM_FAULT_SIGBUS;
		return NULL;
	}
	if (trace_enabled(m, mm_filemap_fault))
		trace_emit(m, TP_mm_filemap_fault, "dev=%d:%d ino=%lx ofs=%lld", (int)major(mapping->host->i_dev),
			   (int)minor(mapping->host->i_dev), mapping->host->i_ino, (long long)index << PAGE_SHIFT);
	page = filemap_get_folio(mapping, index);
	*major = !page;
	if (page) {
		get_page(page);		/* before the readahead's allocations, which may reclaim */
		do_async_mmap_readahead(vma, page, index);
		return page;
	}
	count_vm_event(m, PGMAJFAULT);
	do_sync_mmap_readahead(vma, index);
	page = filemap_get_or_create(m, mapping, index, true, &created, &err);
	if (!page)
		*fault = err == -ENOMEM ? VM_FAULT_OOM : VM_FAULT_SIGBUS;
	return page;
}

unsigned int filemap_map_pages(struct vm_area_struct *vma, unsigned long addr, unsigned long start_pgoff,
			       unsigned long end_pgoff)
{
	struct machine *m = vma->vm_mm->machine;
	struct file *file = vma->vm_file;
	struct address_space *mapping = file->f_mapping;
	unsigned long max_idx = mapping_max_index(mapping), index;
	unsigned short mmap_miss = 0;
	unsigned int ret = 0;
	bool found = false;
	void *entry;

	if (!max_idx)
		return 0;
	if (end_pgoff > max_idx - 1)
		end_pgoff = max_idx - 1;	/* no PTE past the end: SIGBUS stays */
	xa_for_each_range(&mapping->i_pages, index, entry, start_pgoff, end_pgoff) {
		unsigned long at = vma->vm_start + ((index - vma->vm_pgoff) << PAGE_SHIFT);
		struct page *page = entry;
		struct pt_entry pte;

		/* next_uptodate_folio: a marked page is left to the fault, which reads the next window */
		if (xa_is_value(entry) || !test_bit_flag(page, PG_uptodate) || test_bit_flag(page, PG_readahead))
			continue;
		found = true;
		/* pages recently evicted are not counted as hits: they would be evicted again */
		if (!test_bit_flag(page, PG_workingset))
			mmap_miss++;
		if (walk_to_pte(vma->vm_mm, at, false, &pte) || ptep_get(pte))
			continue;
		if (at == (addr & PAGE_MASK))
			ret = VM_FAULT_NOPAGE;
		get_page(page);
		set_pte_range(vma, page, pte, false);
	}
	if (found && trace_enabled(m, mm_filemap_map_pages))
		trace_emit(m, TP_mm_filemap_map_pages, "dev=%d:%d ino=%lx ofs=%lld-%lld", (int)major(mapping->host->i_dev),
			   (int)minor(mapping->host->i_dev), mapping->host->i_ino, (long long)start_pgoff << PAGE_SHIFT,
			   ((long long)(end_pgoff + 1) << PAGE_SHIFT) - 1);
	file->f_ra.mmap_miss = mmap_miss >= file->f_ra.mmap_miss ? 0 : file->f_ra.mmap_miss - mmap_miss;
	return ret;
}

/* filemap_get_pages: the page at index for a read of the pages up to last_index: a miss reads
 * ahead first (page_cache_sync_ra), a page marked PG_readahead reads the next window
 * (filemap_readahead), a page readahead did not bring is read alone (filemap_create_folio). */
static struct page *filemap_get_pages(struct machine *m, struct file *file, unsigned long index,
				      unsigned long last_index, int *err)
{
	struct address_space *mapping = file->f_mapping;
	struct page *page = filemap_get_folio(mapping, index);
	DEFINE_READAHEAD(ractl, file, &file->f_ra, mapping, index);
	bool created;

	if (!page) {
		page_cache_sync_ra(m, &ractl, last_index - index);
		return filemap_get_or_create(m, mapping, index, true, &created, err);
	}
	get_page(page);
	if (test_bit_flag(page, PG_readahead))
		page_cache_async_ra(m, &ractl, page, last_index - index);
	return page;
}

long filemap_read(struct machine *m, struct task_struct *tsk, struct file *file, unsigned long buf,
		  unsigned long len, long long pos, int *sig)
{
	struct address_space *mapping = file->f_mapping;
	long long size = mapping->host->i_size;
	unsigned long done = 0, last_index;
	int err = 0;

	*sig = 0;
	if (pos < 0)
		return -EINVAL;
	if (pos >= size)
		return 0;
	if ((long long)len > size - pos)
		len = (unsigned long)(size - pos);
	last_index = (unsigned long)((pos + (long long)len + (long long)PAGE_SIZE - 1) >> PAGE_SHIFT);
	while (done < len) {
		unsigned long off = (unsigned long)(pos + (long long)done) & ~PAGE_MASK, chunk = PAGE_SIZE - off, left;
		struct page *page = filemap_get_pages(m, file, (unsigned long)((pos + (long long)done) >> PAGE_SHIFT),
						      last_index, &err);

		if (!page)
			break;
		if (chunk > len - done)
			chunk = len - done;
		folio_mark_accessed(m, page);
		left = copy_to_user(m, tsk, buf + done, (unsigned char *)kmap_local_page(m, page) + off, chunk, sig);
		put_page(m, page);
		done += chunk - left;
		if (left || *sig) {
			err = -EFAULT;
			break;
		}
	}
	if (done)
		file->f_ra.prev_pos = pos + (long long)done;
	return done ? (long)done : err;
}

long generic_perform_write(struct machine *m, struct task_struct *tsk, struct file *file, unsigned long buf,
			   unsigned long len, long long pos, int *sig)
{
	struct address_space *mapping = file->f_mapping;
	unsigned long done = 0;
	bool created;
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
					     &created, &err);
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
 * each PTE, on an LRU list, clean or counted dirty; its i_mmap tree in order, each VMA of this
 * file at the offsets it maps (counted into *nr_vmas). */
static void check_mapping(struct machine *m, struct address_space *mapping, struct seq_file *report, int *errors,
			  unsigned long *pages, unsigned long *dirty, unsigned long *nr_vmas)
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
	if (!interval_tree_check(&mapping->i_mmap, nr_vmas))
		check_report(report, errors, "%s: the i_mmap tree is out of order or its subtree lasts are wrong",
			     mapping->host->path);
	vma_interval_tree_foreach(vma, &mapping->i_mmap, 0, ~0UL)
		if (!vma->vm_file || vma->vm_file->f_mapping != mapping || vma->shared.start != vma->vm_pgoff ||
		    vma->shared.last != vma->vm_pgoff + vma_pages(vma) - 1)
			check_report(report, errors, "%s: i_mmap holds [%lu, %lu] for a VMA of %s mapping [%lu, %lu]",
				     mapping->host->path, vma->shared.start, vma->shared.last,
				     vma->vm_file ? vma->vm_file->f_inode->path : "no file", vma->vm_pgoff,
				     vma->vm_pgoff + vma_pages(vma) - 1);
	*pages += nr;
	*dirty += nrdirty;
}

int filemap_check(struct machine *m, struct seq_file *report)
{
	unsigned long pages = 0, dirty = 0, shmem = global_node_page_state(m, NR_SHMEM);
	unsigned long swapcache = global_node_page_state(m, NR_SWAPCACHE);
	unsigned long nr_vmas = 0, file_vmas = 0;
	struct task_struct *tsk;
	struct inode *inode;
	int errors = 0;

	list_for_each_entry(inode, &m->fs->inodes, i_sb_list)
		check_mapping(m, &inode->i_data, report, &errors, &pages, &dirty, &nr_vmas);
	/* every file VMA of every task is in its file's tree (and each tree VMA is one of them) */
	if (m->tasks)
		list_for_each_entry(tsk, &m->tasks->tasks, tasks)
			for (const struct vm_area_struct *vma = tsk->mm ? tsk->mm->mmap : NULL; vma; vma = vma->vm_next)
				file_vmas += vma->vm_file != NULL;
	if (file_vmas != nr_vmas)
		check_report(report, &errors, "the i_mmap trees hold %lu VMAs, the tasks have %lu file VMAs", nr_vmas,
			     file_vmas);
	if (global_node_page_state(m, NR_FILE_PAGES) != pages + shmem + swapcache)
		check_report(report, &errors, "NR_FILE_PAGES is %lu: %lu page cache + %lu shmem + %lu swap cache expected",
			     global_node_page_state(m, NR_FILE_PAGES), pages, shmem, swapcache);
	if (global_node_page_state(m, NR_FILE_DIRTY) != dirty || global_node_page_state(m, NR_WRITEBACK))
		check_report(report, &errors, "NR_FILE_DIRTY %lu, NR_WRITEBACK %lu, but %lu cached pages are dirty",
			     global_node_page_state(m, NR_FILE_DIRTY), global_node_page_state(m, NR_WRITEBACK), dirty);
	return errors;
}
