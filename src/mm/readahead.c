/*
 * File readahead (mm/readahead.c): a read that misses the page cache reads more than it asked for
 * when the file's access pattern says more will follow. Each open file keeps a window (struct
 * file_ra_state): [start, start + size) was read last, and the first page of its last async_size
 * pages carries PG_readahead. A read that reaches that page reads the next window before it is
 * needed (page_cache_async_ra), each window larger than the one before up to ra_pages, the backing
 * device's read_ahead_kb; a read that misses starts a window (page_cache_sync_ra) when it follows
 * the previous read or the cached pages before it, and reads just what it asked for otherwise.
 * The page cache holds order-0 pages only, so page_cache_ra_order always takes its fallback and
 * ra->order stays 0. Pages read ahead join the inactive file list unreferenced: until something
 * touches them, reclaim takes them first.
 */
#include <limits.h>

#include <mmlab/fs.h>
#include <mmlab/gfp.h>
#include <mmlab/mm.h>

/* The tracepoints of include/trace/events/readahead.h. */
static void trace_ra_op(struct machine *m, enum trace_event_id id, const struct inode *inode, unsigned long index,
			const struct file_ra_state *ra, unsigned long req_count)
{
	trace_emit(m, id,
		   "dev=%d:%d ino=%lx index=%lu req_count=%lu order=%u size=%u async_size=%u ra_pages=%u mmap_miss=%u prev_pos=%lld",
		   (int)major(inode->i_dev), (int)minor(inode->i_dev), inode->i_ino, index, req_count, ra->order, ra->size,
		   ra->async_size, ra->ra_pages, (unsigned int)ra->mmap_miss, ra->prev_pos);
}

void file_ra_state_init(struct file_ra_state *ra, struct address_space *mapping)
{
	ra->ra_pages = (unsigned int)inode_to_bdi(mapping->host)->ra_pages;
	ra->prev_pos = -1;
}

/* page_cache_ra_unbounded: nr_to_read pages from the request's index added to the cache and read,
 * those already cached skipped; the page lookahead_size before the end marked PG_readahead. An
 * allocation that fails ends the request. */
static void page_cache_ra_unbounded(struct machine *m, struct readahead_control *ractl, unsigned long nr_to_read,
				    unsigned long lookahead_size)
{
	struct address_space *mapping = ractl->mapping;
	unsigned long index = ractl->_index, mark = lookahead_size <= nr_to_read ? nr_to_read - lookahead_size : ULONG_MAX;

	if (trace_enabled(m, page_cache_ra_unbounded))
		trace_emit(m, TP_page_cache_ra_unbounded, "dev=%d:%d ino=%lx index=%lu nr_to_read=%lu lookahead_size=%lu",
			   (int)major(mapping->host->i_dev), (int)minor(mapping->host->i_dev), mapping->host->i_ino, index,
			   nr_to_read, lookahead_size);
	for (unsigned long i = 0; i < nr_to_read; i++) {
		struct page *page;

		if (filemap_get_folio(mapping, index + i))
			continue;	/* already present: the batch so far goes to read_pages */
		page = filemap_alloc_and_read(m, mapping, index + i);
		if (!page)
			break;
		/* the allocation may have reclaimed: nothing adds file pages meanwhile, but be safe */
		if (filemap_get_folio(mapping, index + i) || filemap_add_folio(m, mapping, page, index + i)) {
			__free_pages(m, page, 0);
			break;
		}
		if (i == mark)
			set_page_flag(page, PG_readahead);
		put_page(m, page);	/* the cache keeps its reference */
		ractl->_nr_pages++;
	}
}

/* do_page_cache_ra: the request cut at the page holding the file's last byte. */
static void do_page_cache_ra(struct machine *m, struct readahead_control *ractl, unsigned long nr_to_read,
			     unsigned long lookahead_size)
{
	long long isize = ractl->mapping->host->i_size;
	unsigned long end_index;

	if (isize == 0)
		return;
	end_index = (unsigned long)((isize - 1) >> PAGE_SHIFT);
	if (ractl->_index > end_index)
		return;
	if (nr_to_read > end_index - ractl->_index)
		nr_to_read = end_index - ractl->_index + 1;
	page_cache_ra_unbounded(m, ractl, nr_to_read, lookahead_size);
}

void force_page_cache_ra(struct machine *m, struct readahead_control *ractl, unsigned long nr_to_read)
{
	const struct backing_dev_info *bdi = inode_to_bdi(ractl->mapping->host);
	unsigned long max_pages = bdi->io_pages > ractl->ra->ra_pages ? bdi->io_pages : ractl->ra->ra_pages;
	const unsigned long chunk = (2UL << 20) / PAGE_SIZE;

	if (nr_to_read > max_pages)
		nr_to_read = max_pages;
	while (nr_to_read) {
		unsigned long this_chunk = nr_to_read < chunk ? nr_to_read : chunk;

		do_page_cache_ra(m, ractl, this_chunk, 0);
		ractl->_index += this_chunk;
		nr_to_read -= this_chunk;
	}
}

void force_page_cache_readahead(struct machine *m, struct address_space *mapping, struct file *file,
				unsigned long index, unsigned long nr_to_read)
{
	DEFINE_READAHEAD(ractl, file, &file->f_ra, mapping, index);

	force_page_cache_ra(m, &ractl, nr_to_read);
}

static unsigned long roundup_pow_of_two(unsigned long n)
{
	unsigned long p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

/* get_init_ra_size: the first window: the request rounded up to a power of two, quadrupled when
 * small, doubled when medium, else the largest. */
static unsigned long get_init_ra_size(unsigned long size, unsigned long max)
{
	unsigned long newsize = roundup_pow_of_two(size);

	if (newsize <= max / 32)
		return newsize * 4;
	if (newsize <= max / 4)
		return newsize * 2;
	return max;
}

/* get_next_ra_size: the window after ra's: four times a small one, twice a medium one, else max. */
static unsigned long get_next_ra_size(const struct file_ra_state *ra, unsigned long max)
{
	unsigned long cur = ra->size;

	if (cur < max / 16)
		return 4 * cur;
	if (cur <= max / 2)
		return 2 * cur;
	return max;
}

void page_cache_ra_order(struct machine *m, struct readahead_control *ractl, struct file_ra_state *ra)
{
	if (trace_enabled(m, page_cache_ra_order))
		trace_emit(m, TP_page_cache_ra_order, "dev=%d:%d ino=%lx index=%lu order=%u size=%u async_size=%u ra_pages=%u",
			   (int)major(ractl->mapping->host->i_dev), (int)minor(ractl->mapping->host->i_dev),
			   ractl->mapping->host->i_ino, ractl->_index, ra->order, ra->size, ra->async_size, ra->ra_pages);
	/* !mapping_large_folio_support: the fallback, order 0 */
	ra->order = 0;
	do_page_cache_ra(m, ractl, ra->size, ra->async_size);
}

/* ractl_max_pages: the window's limit; a larger request may go up to the device's io_pages. */
static unsigned long ractl_max_pages(const struct readahead_control *ractl, unsigned long req_size)
{
	const struct backing_dev_info *bdi = inode_to_bdi(ractl->mapping->host);
	unsigned long max_pages = ractl->ra->ra_pages;

	if (req_size > max_pages && bdi->io_pages > max_pages)
		max_pages = req_size < bdi->io_pages ? req_size : bdi->io_pages;
	return max_pages;
}

void page_cache_sync_ra(struct machine *m, struct readahead_control *ractl, unsigned long req_count)
{
	unsigned long index = ractl->_index, max_pages, contig_count, prev_index, miss;
	struct file_ra_state *ra = ractl->ra;

	if (trace_enabled(m, page_cache_sync_ra))
		trace_ra_op(m, TP_page_cache_sync_ra, ractl->mapping->host, index, ra, req_count);
	/* readahead off: the page asked for is still read, alone (FMODE_RANDOM is not modelled) */
	if (!ra->ra_pages) {
		if (ractl->file)
			force_page_cache_ra(m, ractl, 1);
		return;
	}
	max_pages = ractl_max_pages(ractl, req_count);
	prev_index = (unsigned long)((unsigned long long)ra->prev_pos >> PAGE_SHIFT);
	/* the start of the file, an oversized read, or the page after (or of) the previous read */
	if (!index || req_count > max_pages || index - prev_index <= 1UL) {
		ra->start = index;
		ra->size = (unsigned int)get_init_ra_size(req_count, max_pages);
		ra->async_size = ra->size > req_count ? ra->size - (unsigned int)req_count : ra->size >> 1;
		goto readit;
	}
	/* the cached pages just before: what a sequential stream would have left behind */
	miss = page_cache_prev_miss(ractl->mapping, index - 1, max_pages);
	contig_count = index - miss - 1;
	if (contig_count <= req_count) {	/* a small random read: read it, leave the state */
		do_page_cache_ra(m, ractl, req_count, 0);
		return;
	}
	if (miss == ULONG_MAX)			/* cached from the start of the file: a long stream */
		contig_count *= 2;
	ra->start = index;
	ra->size = (unsigned int)(contig_count + req_count < max_pages ? contig_count + req_count : max_pages);
	ra->async_size = 1;
readit:
	ra->order = 0;
	ractl->_index = ra->start;
	page_cache_ra_order(m, ractl, ra);
}

void page_cache_async_ra(struct machine *m, struct readahead_control *ractl, struct page *page,
			 unsigned long req_count)
{
	struct file_ra_state *ra = ractl->ra;
	unsigned long index = ractl->_index, max_pages, start, end, aligned_end, align;

	if (!ra->ra_pages || test_bit_flag(page, PG_writeback))	/* PG_readahead is PG_reclaim then */
		return;
	if (trace_enabled(m, page_cache_async_ra))
		trace_ra_op(m, TP_page_cache_async_ra, ractl->mapping->host, index, ra, req_count);
	clear_page_flag(page, PG_readahead);
	max_pages = ractl_max_pages(ractl, req_count);
	/* the page the last window marked: the stream goes on, the next window is larger */
	if (index == ra->start + ra->size - ra->async_size) {
		unsigned long next = get_next_ra_size(ra, max_pages);

		ra->start += ra->size;
		ra->size = (unsigned int)(next > ra->size ? next : ra->size);
		goto readit;
	}
	/* a marked page this state did not read (interleaved streams): the cached run after it is
	 * what the last window read ahead */
	start = page_cache_next_miss(ractl->mapping, index + 1, max_pages);
	if (!start || start - index > max_pages)
		return;
	ra->start = start;
	ra->size = (unsigned int)(start - index + req_count);
	ra->size = (unsigned int)get_next_ra_size(ra, max_pages);
readit:
	ra->order += 2;
	align = 1UL << (ra->order < (unsigned int)__builtin_ctzl(max_pages) ? ra->order : (unsigned int)__builtin_ctzl(max_pages));
	end = ra->start + ra->size;
	aligned_end = end & ~(align - 1);
	if (aligned_end > ra->start)
		ra->size -= (unsigned int)(end - aligned_end);
	ra->async_size = ra->size;
	ractl->_index = ra->start;
	page_cache_ra_order(m, ractl, ra);
}
