/*
 * What `write ... fill=seq` wrote, and `verify`, which reads it all back (no kernel counterpart: the
 * machine's own check that no byte is ever lost). Each mm keeps its seq ranges of private memory
 * sorted and disjoint; a later write of other data, an unmap or a DONTNEED takes the range out
 * again. (Shared anonymous memory is not recorded: another process may write it. What a process
 * writes through a shared file mapping is, up to the file's end: it must be in the page cache or
 * the file, until another shared mapping of those bytes writes them.)
 */
#include <stdlib.h>
#include <string.h>

#include <mmlab/fs.h>
#include <mmlab/hugetlb.h>
#include <mmlab/mm.h>
#include <mmlab/sched.h>
#include <mmlab/seq_file.h>
#include <mmlab/vmscan.h>

static bool seq_reserve(struct mm_struct *mm, size_t n)
{
	struct seq_range *bigger;
	size_t cap = mm->seq_cap ? mm->seq_cap : 8;

	while (cap < n)
		cap *= 2;
	if (cap == mm->seq_cap)
		return true;
	bigger = realloc(mm->seq, cap * sizeof(*bigger));
	if (!bigger)
		return false;
	mm->seq = bigger;
	mm->seq_cap = cap;
	return true;
}

/* Cut [start, end) out of every range: a range around it becomes two. */
static void seq_cut(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	size_t out = 0, n = mm->nr_seq;
	struct seq_range *r = mm->seq;

	for (size_t i = 0; i < n; i++) {
		struct seq_range cur = r[i];

		if (cur.end <= start || cur.start >= end) {
			r[out++] = cur;
			continue;
		}
		if (cur.start < start)
			r[out++] = (struct seq_range){ cur.start, start, cur.origin };
		if (cur.end > end) {
			/* Only the range that holds both ends splits in two: there is room, since it is kept. */
			if (out > i) {
				memmove(&r[out + 1], &r[i + 1], (n - i - 1) * sizeof(*r));
				n++;
				i++;
			}
			r[out++] = (struct seq_range){ end, cur.end, cur.origin + (end - cur.start) };
		}
	}
	mm->nr_seq = out;
}

/* Insert a range into the sorted array (room reserved, nothing there). */
static void seq_insert(struct mm_struct *mm, struct seq_range range)
{
	size_t i;

	for (i = 0; i < mm->nr_seq && mm->seq[i].start < range.start; i++)
		;
	memmove(&mm->seq[i + 1], &mm->seq[i], (mm->nr_seq - i) * sizeof(*mm->seq));
	mm->seq[i] = range;
	mm->nr_seq++;
}

void seq_record(struct mm_struct *mm, unsigned long start, unsigned long end, bool seq)
{
	if (!seq_reserve(mm, mm->nr_seq + 2))
		return;
	seq_cut(mm, start, end);
	if (seq)
		seq_insert(mm, (struct seq_range){ start, end, start });
}

void seq_move(struct mm_struct *mm, unsigned long old, unsigned long new, unsigned long len)
{
	struct seq_range *moved = malloc((mm->nr_seq + 1) * sizeof(*moved));
	size_t n = 0;

	if (!moved || !seq_reserve(mm, 2 * mm->nr_seq + 2)) {
		free(moved);
		return;
	}
	for (size_t i = 0; i < mm->nr_seq; i++) {
		const struct seq_range *r = &mm->seq[i];
		unsigned long s = r->start > old ? r->start : old, e = r->end < old + len ? r->end : old + len;

		if (s < e)
			moved[n++] = (struct seq_range){ s - old + new, e - old + new, r->origin + (s - r->start) };
	}
	seq_cut(mm, old, old + len);
	for (size_t i = 0; i < n; i++)
		seq_insert(mm, moved[i]);
	free(moved);
}

/* The end of what a shared file mapping keeps of a write: the file's end (the tail of the last page
 * never reaches the file). */
static unsigned long vma_file_end(const struct vm_area_struct *vma)
{
	long long size = file_inode(vma->vm_file)->i_size, off = (long long)vma->vm_pgoff << PAGE_SHIFT;

	if (size <= off)
		return vma->vm_start;
	return size - off >= (long long)(vma->vm_end - vma->vm_start) ? vma->vm_end
									 : vma->vm_start + (unsigned long)(size - off);
}

static bool vma_shares_file(const struct vm_area_struct *vma)
{
	return vma->vm_file && (vma->vm_flags & VM_SHARED);
}

/* A write through the shared file mapping writer of [s, e) changes what every other shared mapping
 * of those bytes of the file reads: what they recorded there no longer holds. */
static void seq_cut_file_sharers(struct vm_area_struct *writer, unsigned long s, unsigned long e)
{
	struct machine *m = writer->vm_mm->machine;
	const struct inode *inode = file_inode(writer->vm_file);
	unsigned long long base = (unsigned long long)writer->vm_pgoff << PAGE_SHIFT;
	unsigned long long first = base + (s - writer->vm_start), last = base + (e - writer->vm_start);
	struct task_struct *tsk;

	list_for_each_entry(tsk, &m->tasks->tasks, tasks)
		for (struct vm_area_struct *vma = tsk->mm->mmap; vma; vma = vma->vm_next) {
			unsigned long long vstart = (unsigned long long)vma->vm_pgoff << PAGE_SHIFT;
			unsigned long long vend = vstart + (vma->vm_end - vma->vm_start);
			unsigned long long from = first > vstart ? first : vstart, to = last < vend ? last : vend;

			if (vma != writer && vma_shares_file(vma) && file_inode(vma->vm_file) == inode && from < to)
				seq_record(tsk->mm, vma->vm_start + (unsigned long)(from - vstart),
					   vma->vm_start + (unsigned long)(to - vstart), false);
		}
}

void seq_record_write(struct mm_struct *mm, unsigned long start, unsigned long end, bool seq)
{
	for (struct vm_area_struct *vma = find_vma(mm, start); vma && vma->vm_start < end; vma = vma->vm_next) {
		unsigned long s = vma->vm_start > start ? vma->vm_start : start, e = vma->vm_end < end ? vma->vm_end : end;
		unsigned long keep = vma_shares_file(vma) ? vma_file_end(vma) : e;

		if (vma_shares_file(vma))
			seq_cut_file_sharers(vma, s, e);
		seq_record(mm, s, e, false);
		if (seq && !vma->shm && s < (keep < e ? keep : e))
			seq_record(mm, s, keep < e ? keep : e, true);
	}
}

/* The bytes of a shared file mapping's page that is not mapped: the page cache's or the file's. */
static bool shared_file_peek(struct mm_struct *mm, unsigned long addr, unsigned char *buf)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	return vma && vma->vm_start <= addr && vma_shares_file(vma) &&
	       !filemap_peek(mm->machine, vma->vm_file->f_mapping, vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT),
			     buf);
}

int seq_copy(struct mm_struct *dst, const struct mm_struct *src)
{
	if (!src->nr_seq)
		return 0;
	if (!seq_reserve(dst, src->nr_seq))
		return -1;
	memcpy(dst->seq, src->seq, src->nr_seq * sizeof(*src->seq));
	dst->nr_seq = src->nr_seq;
	return 0;
}

/* The first wrong byte of [addr, end), one page of range r, reported; true if the page is right. */
static bool verify_page(struct task_struct *tsk, const struct seq_range *r, unsigned long addr, unsigned long end,
			struct seq_file *report)
{
	struct mm_struct *mm = tsk->mm;
	struct pt_entry pte;
	const unsigned char *bytes;

	unsigned char swapped[PAGE_SIZE];
	unsigned long huge_pfn = follow_huge_pfn(mm, addr);

	if (huge_pfn) {
		bytes = kmap_local_page(mm->machine, pfn_to_page(mm->machine, huge_pfn));
	} else if (follow_pte(mm, addr, &pte)) {
		bytes = kmap_local_page(mm->machine, pfn_to_page(mm->machine, pte_pfn(mm->pm, ptep_get(pte))));
	} else if (!walk_to_pte(mm, addr, false, &pte) && ptep_get(pte) &&
		   !swap_peek(mm->machine, pte_to_swp_entry(mm->pm->entry_size, ptep_get(pte)), swapped)) {
		bytes = swapped;	/* swapped out: read where it is, without swapping it in */
	} else if (shared_file_peek(mm, addr, swapped)) {
		bytes = swapped;	/* a shared file page not mapped here: in the cache or the file */
	} else {
		seq_printf(report, "verify: %s[%d]: %#lx: page not present\n", tsk->comm, tsk->pid, addr);
		return false;
	}
	for (unsigned long a = addr; a < end; a++) {
		unsigned char want = seq_byte(r->origin + (a - r->start));

		if (bytes[a & ~PAGE_MASK] != want) {
			seq_printf(report, "verify: %s[%d]: %#lx: byte %#x, expected %#x\n", tsk->comm, tsk->pid, a,
				   bytes[a & ~PAGE_MASK], want);
			return false;
		}
	}
	return true;
}

int verify_mm(struct task_struct *tsk, struct seq_file *report)
{
	struct mm_struct *mm = tsk->mm;
	int bad = 0;

	for (size_t i = 0; i < mm->nr_seq; i++)
		for (unsigned long a = mm->seq[i].start, next; a < mm->seq[i].end; a = next) {
			next = (a & PAGE_MASK) + PAGE_SIZE;
			if (next > mm->seq[i].end)
				next = mm->seq[i].end;
			bad += !verify_page(tsk, &mm->seq[i], a, next, report);
		}
	return bad;
}
