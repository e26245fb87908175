/*
 * The TLB of each simulated CPU (arch/x86/mm/tlb.c): set-associative caches of translations, 4K
 * and 2M entries apart, and four fully associative 1G entries, filled by page walks and flushed where the kernel flushes: on munmap,
 * mprotect and COW (flush_tlb_mm_range) and on a context switch (no PCID is modelled).
 */
#include <string.h>

#include <mmlab/pgtable.h>
#include <mmlab/sched.h>

/* Above this many pages a range flush drops everything (tlb_single_page_flush_ceiling). */
#define TLB_SINGLE_PAGE_FLUSH_CEILING	33

/* The entry of ways that caches vpn, or NULL. */
static struct tlb_entry *tlb_find(struct tlb_entry *ways, int n, unsigned long vpn)
{
	for (int w = 0; w < n; w++)
		if (ways[w].vpn == vpn)
			return &ways[w];
	return NULL;
}

struct tlb_entry *tlb_lookup_huge(struct tlb *tlb, unsigned long addr)
{
	unsigned long vpn = (addr >> 21) + 1;
	struct tlb_entry *e = tlb_find(tlb->e2m[vpn % TLB_2M_SETS], TLB_2M_WAYS, vpn);

	if (!e)
		e = tlb_find(tlb->e1g, TLB_1G_ENTRIES, (addr >> 30) + 1);
	if (e)
		tlb->hits++;
	else
		tlb->misses++;
	return e;
}

void tlb_fill(struct tlb *tlb, unsigned long addr, unsigned long pfn, pteval_t flags, unsigned long size)
{
	unsigned int shift = (unsigned int)__builtin_ctzl(size);
	unsigned long vpn = (addr >> shift) + 1;
	struct tlb_entry *e;

	if (size == TLB_1G_SIZE) {
		e = &tlb->e1g[tlb->victim1g];
		tlb->victim1g = (unsigned char)((tlb->victim1g + 1) % TLB_1G_ENTRIES);
	} else {
		bool huge = size == TLB_2M_SIZE;
		unsigned int set = (unsigned int)(vpn % (huge ? TLB_2M_SETS : TLB_4K_SETS));
		unsigned char *victim = huge ? &tlb->victim2m[set] : &tlb->victim4k[set];

		e = huge ? &tlb->e2m[set][*victim] : &tlb->e4k[set][*victim];
		*victim = (unsigned char)((*victim + 1) % (huge ? TLB_2M_WAYS : TLB_4K_WAYS));
	}
	e->vpn = vpn;
	e->pfn = pfn;
	e->mask = size - 1;
	e->flags = flags;
}

/* Drop everything a CPU caches (a CR3 write without PCID). */
static void tlb_flush_all(struct tlb *tlb)
{
	memset(tlb->e4k, 0, sizeof(tlb->e4k));
	memset(tlb->e2m, 0, sizeof(tlb->e2m));
	memset(tlb->e1g, 0, sizeof(tlb->e1g));
	tlb->flushes++;
}

void flush_tlb_one_user(struct tlb *tlb, unsigned long addr)
{
	unsigned long vpn = (addr >> PAGE_SHIFT) + 1, hvpn = (addr >> 21) + 1;

	for (int w = 0; w < TLB_4K_WAYS; w++)
		if (tlb->e4k[vpn % TLB_4K_SETS][w].vpn == vpn)
			tlb->e4k[vpn % TLB_4K_SETS][w].vpn = 0;
	for (int w = 0; w < TLB_2M_WAYS; w++)
		if (tlb->e2m[hvpn % TLB_2M_SETS][w].vpn == hvpn)
			tlb->e2m[hvpn % TLB_2M_SETS][w].vpn = 0;
	for (int w = 0; w < TLB_1G_ENTRIES; w++)
		if (tlb->e1g[w].vpn == (addr >> 30) + 1)
			tlb->e1g[w].vpn = 0;
}

void switch_mm(struct tlb *tlb, const struct mm_struct *next)
{
	if (tlb->loaded_mm == next)
		return;
	tlb_flush_all(tlb);
	tlb->loaded_mm = next;
}

void flush_tlb_mm_range(struct machine *m, const struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct task_state *ts = m->tasks;

	for (int cpu = 0; ts && cpu < m->nr_cpu_ids; cpu++) {
		struct tlb *tlb = &ts->tlb[cpu];

		if (tlb->loaded_mm != mm)
			continue;
		if ((end - start) >> PAGE_SHIFT > TLB_SINGLE_PAGE_FLUSH_CEILING) {
			tlb_flush_all(tlb);
			continue;
		}
		for (unsigned long addr = start; addr < end; addr += PAGE_SIZE)
			flush_tlb_one_user(tlb, addr);
		tlb->flushes++;
	}
}

void leave_mm(struct machine *m, const struct mm_struct *mm)
{
	for (int cpu = 0; m->tasks && cpu < m->nr_cpu_ids; cpu++)
		if (m->tasks->tlb[cpu].loaded_mm == mm)
			switch_mm(&m->tasks->tlb[cpu], NULL);
}

void flush_tlb_all(struct tlb *tlbs, int nr_cpus)
{
	for (int cpu = 0; cpu < nr_cpus; cpu++)
		tlb_flush_all(&tlbs[cpu]);
}
