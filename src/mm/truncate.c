/*
 * Truncation and invalidation of the page cache (mm/truncate.c): a file cut short loses its pages
 * past the new end, unmapped first from every VMA (private copies too, as truncate_pagecache's
 * even_cows does: past the end there is no file to copy), and the last page's tail is zeroed;
 * invalidate_mapping_pages drops only what nobody needs (clean, unmapped, not isolated pages),
 * which is what drop_caches frees.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <mmlab/fs.h>
#include <mmlab/mm.h>
#include <mmlab/vmscan.h>

/* delete_from_page_cache: the page leaves the cache (no shadow) and the cache's reference goes. */
static void delete_from_page_cache(struct machine *m, struct page *page)
{
	if (test_bit_flag(page, PG_dirty))
		folio_account_cleaned(m, page);	/* folio_cancel_dirty */
	__filemap_remove_folio(m, page, NULL);
	put_page(m, page);
}

/* unmap_mapping_pages: every PTE of the file's pages from index first on, in every VMA mapping
 * any of them (the i_mmap tree gives just those). */
static void unmap_mapping_pages(struct address_space *mapping, unsigned long first)
{
	struct vm_area_struct *vma;

	vma_interval_tree_foreach(vma, &mapping->i_mmap, first, ~0UL) {
		unsigned long start = first > vma->vm_pgoff ? vma->vm_start + ((first - vma->vm_pgoff) << PAGE_SHIFT)
							  : vma->vm_start;

		zap_page_range(vma, start, vma->vm_end);
	}
}

/* truncate_inode_pages_range: the pages from index first on dropped, dirty or not; shadows too. */
static void truncate_from(struct machine *m, struct address_space *mapping, unsigned long first)
{
	unsigned long index;
	void *entry, *old;

	xa_for_each_range(&mapping->i_pages, index, entry, first, ~0UL) {
		if (xa_is_value(entry))
			xa_store(&mapping->i_pages, index, NULL, &old);
		else
			delete_from_page_cache(m, entry);
	}
}

void truncate_inode_pages(struct machine *m, struct address_space *mapping)
{
	truncate_from(m, mapping, 0);
}

/* The cached page holding byte pos, from pos to its end, zeroed: what lies past the end of the
 * file (truncate_inode_partial_folio when cut, pagecache_isize_extended when grown). */
static void zero_eof_tail(struct machine *m, struct address_space *mapping, long long pos)
{
	struct page *page = (pos & ~PAGE_MASK) ? filemap_get_folio(mapping, (unsigned long)(pos >> PAGE_SHIFT)) : NULL;

	if (page)
		memset((unsigned char *)kmap_local_page(m, page) + (pos & ~PAGE_MASK), 0, PAGE_SIZE - (pos & ~PAGE_MASK));
}

int truncate_setsize(struct machine *m, struct inode *inode, long long size)
{
	struct address_space *mapping = &inode->i_data;
	unsigned long first = (unsigned long)((size + (long long)PAGE_SIZE - 1) >> PAGE_SHIFT);
	long long old = inode->i_size;

	if (size < 0)
		return -EINVAL;
	if (ftruncate(inode->fd, (off_t)size))
		return -errno;
	inode->i_size = size;
	if (size >= old) {
		zero_eof_tail(m, mapping, old);
		return 0;
	}
	unmap_mapping_pages(mapping, first);
	truncate_from(m, mapping, first);
	zero_eof_tail(m, mapping, size);
	return 0;
}

/* mapping_evict_folio: only the cache holds the page (not mapped, not isolated), and it is clean. */
static bool mapping_evict_folio(struct machine *m, struct page *page)
{
	if (test_bit_flag(page, PG_dirty) || test_bit_flag(page, PG_writeback) || page_ref_count(page) != 1 ||
	    !PageLRU(page))
		return false;
	__filemap_remove_folio(m, page, NULL);
	put_page(m, page);
	return true;
}

unsigned long invalidate_mapping_pages(struct machine *m, struct address_space *mapping, unsigned long start,
				       unsigned long end)
{
	unsigned long index, count = 0;
	void *entry;

	xa_for_each_range(&mapping->i_pages, index, entry, start, end)
		if (!xa_is_value(entry))
			count += mapping_evict_folio(m, entry);
	return count;
}
