/*
 * Where a new process's regions go (arch/x86/mm/mmap.c, fs/binfmt_elf.c, mm/util.c): the stack
 * top, mmap_base below the stack's gap, the ELF load bias and the start of the heap, each moved by
 * a random offset from the machine's seeded generator unless ASLR is off (norandmaps).
 */
#include <mmlab/mm.h>

/* The least gap kept for the stack below its top. */
#define MIN_GAP			(128UL << 20)

static bool is_64bit(const struct mm_struct *mm)
{
	return mm->pm->entry_size == 8 && mm->pm->task_size > 0xffffffffUL;
}

/* mmap_rnd_bits: 28 on x86_64, 8 on i386 (arch/x86/Kconfig ARCH_MMAP_RND_BITS). */
static unsigned long arch_mmap_rnd(struct mm_struct *mm)
{
	unsigned int bits = is_64bit(mm) ? 28 : 8;

	if (mm->machine->cfg.norandmaps)
		return 0;
	return (machine_random(mm->machine) & ((1UL << bits) - 1)) << PAGE_SHIFT;
}

/* STACK_RND_MASK: 16 GiB of stack randomisation on x86_64, 8 MiB on i386. */
static unsigned long stack_rnd_mask(const struct mm_struct *mm)
{
	return is_64bit(mm) ? 0x3fffffUL : 0x7ffUL;
}

/* randomize_stack_top (mm/util.c). */
unsigned long randomize_stack_top(struct mm_struct *mm, unsigned long stack_top)
{
	unsigned long rnd = 0;

	if (!mm->machine->cfg.norandmaps)
		rnd = (machine_random(mm->machine) & stack_rnd_mask(mm)) << PAGE_SHIFT;
	return PAGE_ALIGN(stack_top) - rnd;
}

/* mmap_base: below the stack, a gap of RLIMIT_STACK plus the stack's randomisation and guard gap,
 * at least 128 MiB and at most 5/6 of the address space, then randomised (arch/x86/mm/mmap.c). */
static unsigned long mmap_base(struct mm_struct *mm, unsigned long task_size, const struct rlimit *rlim_stack)
{
	unsigned long pad = STACK_GUARD_GAP, gap = rlim_stack->rlim_cur, gap_max = task_size / 6 * 5;

	if (!mm->machine->cfg.norandmaps)
		pad += (stack_rnd_mask(mm) << PAGE_SHIFT);
	if (gap + pad > gap)
		gap += pad;
	if (gap < MIN_GAP)
		gap = MIN_GAP;
	if (gap > gap_max)
		gap = gap_max;
	return PAGE_ALIGN(task_size - gap - arch_mmap_rnd(mm));
}

void arch_pick_mmap_layout(struct mm_struct *mm, const struct rlimit *rlim_stack)
{
	mm->mmap_base = mmap_base(mm, mm->pm->mmap_window, rlim_stack);
}

/* ELF_ET_DYN_BASE plus arch_mmap_rnd: where a position-independent program is loaded. */
unsigned long elf_load_bias(struct mm_struct *mm)
{
	unsigned long base = is_64bit(mm) ? mm->pm->mmap_window / 3 * 2 : 0x400000UL;

	return (base + arch_mmap_rnd(mm)) & PAGE_MASK;
}

/* arch_randomize_brk: the heap starts up to 32 MiB above the end of the program (randomize_page). */
unsigned long arch_randomize_brk(struct mm_struct *mm)
{
	unsigned long range = 0x02000000UL >> PAGE_SHIFT;

	if (mm->machine->cfg.norandmaps)
		return mm->brk;
	return mm->brk + (machine_random(mm->machine) % range) * PAGE_SIZE;
}
