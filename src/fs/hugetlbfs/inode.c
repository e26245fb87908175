/*
 * hugetlbfs files (fs/hugetlbfs/inode.c): the object behind a MAP_SHARED|MAP_ANONYMOUS|MAP_HUGETLB
 * mapping (the kernel's hugetlb_file_setup makes an unlinked file on its internal mount). It holds
 * its huge pages by index, one reference each (the page cache's), so that every VMA mapping it - split
 * pieces, forked children - finds the same page; and its reservations (the inode's resv_map): one per
 * index promised at mmap and not faulted yet. The last VMA to go takes the file, its pages and its
 * unused reservations with it (hugetlbfs_evict_inode).
 */
#include <stdlib.h>
#include <string.h>

#include <mmlab/hugetlb.h>
#include <mmlab/mm.h>
#include <mmlab/sched.h>

struct hugetlb_file {
	int refcount;		/* VMAs mapping it */
	unsigned long ino;
	struct hstate *h;
	unsigned long nr_pages;	/* huge pages: the file's size */
	struct page **pages;	/* by huge page index, NULL until faulted */
	bool *resv;		/* by index: a reservation made at mmap and not consumed yet */
};

struct hugetlb_file *hugetlb_file_setup(struct machine *m, struct hstate *h, unsigned long size, bool reserve)
{
	struct hugetlb_file *f = calloc(1, sizeof(*f));

	if (!f)
		return NULL;
	f->h = h;
	f->nr_pages = size / huge_page_size(h);
	f->pages = calloc(f->nr_pages, sizeof(*f->pages));
	f->resv = calloc(f->nr_pages, sizeof(*f->resv));
	/* hugetlb_reserve_pages: the whole file is reserved at once, or the mmap fails */
	if (!f->pages || !f->resv || (reserve && hugetlb_acct_memory(m, h, (long)f->nr_pages))) {
		free(f->pages);
		free(f->resv);
		free(f);
		return NULL;
	}
	for (unsigned long i = 0; reserve && i < f->nr_pages; i++)
		f->resv[i] = true;
	f->ino = ++m->tasks->last_ino;
	f->refcount = 1;
	return f;
}

struct hstate *hugetlb_file_hstate(const struct hugetlb_file *f)
{
	return f->h;
}

unsigned long hugetlb_file_ino(const struct hugetlb_file *f)
{
	return f->ino;
}

void hugetlb_file_get(struct hugetlb_file *f)
{
	if (f)
		f->refcount++;
}

/* remove_inode_hugepages: the pages of [start, end) leave the file (freed to the pool when no PMD
 * maps them any more) and their unused reservations are given back (hugetlb_unreserve_pages). */
static void remove_inode_hugepages(struct machine *m, struct hugetlb_file *f, unsigned long start, unsigned long end)
{
	for (unsigned long i = start; i < end && i < f->nr_pages; i++) {
		struct page *page = f->pages[i];

		if (f->resv[i])
			hugetlb_acct_memory(m, f->h, -1);
		f->resv[i] = false;
		f->pages[i] = NULL;
		if (page && put_page_testzero(page))
			free_huge_folio(m, page);
	}
}

void hugetlb_file_put(struct machine *m, struct hugetlb_file *f)
{
	if (!f || --f->refcount)
		return;
	remove_inode_hugepages(m, f, 0, f->nr_pages);
	free(f->pages);
	free(f->resv);
	free(f);
}

struct page *hugetlb_file_folio(const struct hugetlb_file *f, unsigned long idx)
{
	return idx < f->nr_pages ? f->pages[idx] : NULL;
}

bool hugetlb_file_reserved(const struct hugetlb_file *f, unsigned long idx)
{
	return idx < f->nr_pages && f->resv[idx];
}

unsigned long hugetlb_file_size(const struct hugetlb_file *f)
{
	return f->nr_pages;
}

void hugetlb_add_to_page_cache(struct hugetlb_file *f, unsigned long idx, struct page *page)
{
	get_page(page);
	f->pages[idx] = page;
	f->resv[idx] = false;
}

/* hugetlbfs_zero_partial_page: the bytes [start, end) of the huge page that holds them are zeroed,
 * the page kept. */
static void hugetlbfs_zero_partial_page(struct machine *m, struct hugetlb_file *f, unsigned long start,
					unsigned long end)
{
	struct page *page = hugetlb_file_folio(f, start / huge_page_size(f->h));

	if (page && start < end)
		memset((unsigned char *)kmap_local_page(m, page) + start % huge_page_size(f->h), 0, end - start);
}

void hugetlbfs_punch_hole(struct machine *m, struct hugetlb_file *f, unsigned long offset, unsigned long len)
{
	unsigned long size = huge_page_size(f->h), end = offset + len;
	unsigned long hole_start = (offset + size - 1) / size * size, hole_end = end / size * size;

	if (hole_start >= hole_end) {
		hugetlbfs_zero_partial_page(m, f, offset, end);
		return;
	}
	hugetlbfs_zero_partial_page(m, f, offset, hole_start);
	unmap_mapping_range(m, f, hole_start >> PAGE_SHIFT, hole_end >> PAGE_SHIFT);
	remove_inode_hugepages(m, f, hole_start / size, hole_end / size);
	hugetlbfs_zero_partial_page(m, f, hole_end, end);
}
