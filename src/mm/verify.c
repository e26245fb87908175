/*
 * What `write ... fill=seq` wrote, and `verify`, which reads it all back (no kernel counterpart: the
 * machine's own check that no byte is ever lost). Each mm keeps its seq ranges of private memory
 * sorted and disjoint; a later write of other data, an unmap or a DONTNEED takes the range out
 * again. (Shared memory is not recorded: another process may write it.)
 */
#include <stdlib.h>
#include <string.h>

#include <mmlab/mm.h>
#include <mmlab/seq_file.h>

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
			r[out++] = (struct seq_range){ cur.start, start };
		if (cur.end > end) {
			/* Only the range that holds both ends splits in two: there is room, since it is kept. */
			if (out > i) {
				memmove(&r[out + 1], &r[i + 1], (n - i - 1) * sizeof(*r));
				n++;
				i++;
			}
			r[out++] = (struct seq_range){ end, cur.end };
		}
	}
	mm->nr_seq = out;
}

void seq_record(struct mm_struct *mm, unsigned long start, unsigned long end, bool seq)
{
	size_t i;

	if (!seq_reserve(mm, mm->nr_seq + 2))
		return;
	seq_cut(mm, start, end);
	if (!seq)
		return;
	for (i = 0; i < mm->nr_seq && mm->seq[i].start < start; i++)
		;
	memmove(&mm->seq[i + 1], &mm->seq[i], (mm->nr_seq - i) * sizeof(*mm->seq));
	mm->seq[i] = (struct seq_range){ start, end };
	mm->nr_seq++;
}

void seq_record_write(struct mm_struct *mm, unsigned long start, unsigned long end, bool seq)
{
	for (struct vm_area_struct *vma = find_vma(mm, start); vma && vma->vm_start < end; vma = vma->vm_next)
		seq_record(mm, vma->vm_start > start ? vma->vm_start : start, vma->vm_end < end ? vma->vm_end : end,
			   seq && !vma->shm);
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

/* The first wrong byte of one page of a range, reported; true if the page is right. */
static bool verify_page(struct task_struct *tsk, unsigned long addr, unsigned long end, struct seq_file *report)
{
	struct mm_struct *mm = tsk->mm;
	struct pt_entry pte;
	const unsigned char *bytes;

	if (!follow_pte(mm, addr, &pte)) {
		seq_printf(report, "verify: %s[%d]: %#lx: page not present\n", tsk->comm, tsk->pid, addr);
		return false;
	}
	bytes = (unsigned char *)kmap_local_page(mm->machine, pfn_to_page(mm->machine, pte_pfn(mm->pm, ptep_get(pte))));
	for (unsigned long a = addr; a < end; a++)
		if (bytes[a & ~PAGE_MASK] != seq_byte(a)) {
			seq_printf(report, "verify: %s[%d]: %#lx: byte %#x, expected %#x\n", tsk->comm, tsk->pid, a,
				   bytes[a & ~PAGE_MASK], seq_byte(a));
			return false;
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
			bad += !verify_page(tsk, a, next, report);
		}
	return bad;
}
