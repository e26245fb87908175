/*
 * The TLB of each simulated CPU (arch/x86/mm/tlb.c): set-associative caches of translations, 4K
 * and 2M entries apart, filled by page walks and flushed where the kernel flushes: on munmap,
 * mprotect and COW (flush_tlb_mm_range) and on a context switch (no PCID is modelled).
 */
#include <string.h>

#include <mmlab/pgtable.h>
#include <mmlab/sched.h>

/* Above this many pages a range flush drops everything (tlb_single_page_flush_ceiling). */
#define TLB_SINGLE_PAGE_FLUSH_CEILING	33

struct tlb_entry *tlb_lookup_huge(struct tlb *tlb, unsigned long addr)
{
	unsigned long vpn = (addr >> 21) + 1;
	struct tlb_entry *set = tlb->e2m[vpn % TLB_2M_SETS];

	for (int w = 0; w < TLB_2M_WAYS; w++)
		if (set[w].vpn == vpn) {
			tlb->hits++;
			return &set[w];
		}
	tlb->misses++;
	return NULL;
}

void tlb_fill(struct tlb *tlb, unsigned long addr, unsigned long pfn, pteval_t flags, bool huge)
{
	unsigned long vpn = (addr >> (huge ? 21 : PAGE_SHIFT)) + 1;
	unsigned int set = (unsigned int)(vpn % (huge ? TLB_2M_SETS : TLB_4K_SETS));
	unsigned char *victim = huge ? &tlb->victim2m[set] : &tlb->victim4k[set];
	struct tlb_entry *e = huge ? &tlb->e2m[set][*victim] : &tlb->e4k[set][*victim];

	*victim = (unsigned char)((*victim + 1) % (huge ? TLB_2M_WAYS : TLB_4K_WAYS));
	e->vpn = vpn;
	e->pfn = pfn;
	e->flags = flags;
}

/* Drop everything a CPU caches (a CR3 write without PCID). */
static void tlb_flush_all(struct tlb *tlb)
{
	memset(tlb->e4k, 0, sizeof(tlb->e4k));
	memset(tlb->e2m, 0, sizeof(tlb->e2m));
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
