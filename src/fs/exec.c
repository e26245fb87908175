/*
 * Starting a program (fs/exec.c, fs/binfmt_elf.c): a new task, or one that execs, gets a fresh
 * address space laid out as the kernel lays out a position-independent program: its segments at
 * the ELF load bias, the heap's break after them, mmap_base below the stack (its gap set by
 * RLIMIT_STACK) and the stack at the top, each randomised.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <mmlab/mm.h>
#include <mmlab/numa_balancing.h>
#include <mmlab/mman.h>

/* The default program: the segments a small PIE links into, offsets from the load bias. */
static const struct {
	unsigned long offset, size;
	unsigned long prot;
} default_segments[] = {
	{ 0x0000, 0x1000, PROT_READ },			/* ELF header, .interp, .dynsym */
	{ 0x1000, 0x1000, PROT_READ | PROT_EXEC },	/* .text */
	{ 0x2000, 0x1000, PROT_READ },			/* .rodata, .eh_frame */
	{ 0x3000, 0x1000, PROT_READ | PROT_WRITE },	/* .data */
	{ 0x4000, 0x1000, PROT_READ | PROT_WRITE },	/* .bss */
};

/* The VMA flags of a private segment of the program. */
static unsigned long segment_flags(unsigned long prot)
{
	return (prot & VM_ACCESS_FLAGS) | VM_MAYACCESS | (prot & PROT_WRITE ? VM_ACCOUNT : 0);
}

/* load_default_binary: the default program's segments, code and data bounds, and the break. */
static int load_default_binary(struct mm_struct *mm)
{
	unsigned long bias = elf_load_bias(mm);

	for (size_t i = 0; i < sizeof(default_segments) / sizeof(default_segments[0]); i++) {
		unsigned long start = bias + default_segments[i].offset;

		if (!map_anon_range(mm, start, start + default_segments[i].size, segment_flags(default_segments[i].prot)))
			return -ENOMEM;
	}
	mm->start_code = bias + 0x1000;
	mm->end_code = bias + 0x2000;
	mm->start_data = bias + 0x3000;
	mm->end_data = bias + 0x4000;
	mm->brk = bias + 0x5000;
	return 0;
}

/* The initial stack: 128 KiB plus the page of arguments (stack_expand in setup_arg_pages). */
#define STACK_INITIAL	(128UL * 1024 + PAGE_SIZE)

/* setup_arg_pages: the stack VMA below the randomised stack top. */
static int setup_arg_pages(struct mm_struct *mm)
{
	unsigned long top = randomize_stack_top(mm, mm->pm->mmap_window);

	if (!map_anon_range(mm, top - STACK_INITIAL, top, VM_STACK_FLAGS))
		return -ENOMEM;
	mm->start_stack = top - PAGE_SIZE;
	return 0;
}

/* The new address space of a program: the mmap layout for the stack limit, the program's segments
 * (load_elf_binary), the stack (setup_arg_pages), the vDSO and the heap's start; 0 or a negative
 * errno. */
static int exec_layout(struct mm_struct *mm, const struct rlimit *rlim_stack, const char *exe, char *msg,
		       size_t msglen)
{
	int err;

	arch_pick_mmap_layout(mm, rlim_stack);
	err = exe ? load_elf_binary(mm, exe, msg, msglen) : load_default_binary(mm);
	if (err || (err = setup_arg_pages(mm)) || (err = arch_setup_additional_pages(mm)))
		return err;
	mm->start_brk = mm->brk = arch_randomize_brk(mm);
	return 0;
}

/* bprm_mm_init and the loader: a fresh mm for exe laid out under the task's stack limit. */
static struct mm_struct *exec_new_mm(struct machine *m, const struct task_struct *tsk, const char *exe, int *err,
				     char *msg, size_t msglen)
{
	struct mm_struct *mm = mm_alloc(m);

	msg[0] = '\0';
	*err = -ENOMEM;
	if (mm && (*err = exec_layout(mm, &tsk->rlim[RLIMIT_STACK], exe, msg, msglen))) {
		mmput(mm);
		return NULL;
	}
	return mm;
}

struct task_struct *spawn_task(struct machine *m, const char *comm, const char *exe, int *err, char *msg,
			       size_t msglen)
{
	struct task_struct *tsk;

	msg[0] = '\0';
	tsk = alloc_task(m, comm, err);
	if (!tsk)
		return NULL;
	tsk->mm = exec_new_mm(m, tsk, exe, err, msg, msglen);
	if (!tsk->mm) {
		free(tsk);
		return NULL;
	}
	tsk->mm->owner = tsk;
	init_numa_balancing(m, tsk);
	snprintf(tsk->exe, sizeof(tsk->exe), "%s", exe ? exe : "");
	list_add_tail(&tsk->tasks, &m->tasks->tasks);
	return tsk;
}

/* exec_mmap: the task switches to the new mm; the old one is torn down (mmput: every VMA, page
 * and table), its TLB entries with it. */
static void exec_mmap(struct task_struct *tsk, struct mm_struct *mm)
{
	struct mm_struct *old_mm = tsk->mm;

	tsk->mm = mm;
	mm->owner = tsk;
	mmput(old_mm);
}

int do_execve(struct machine *m, struct task_struct *tsk, const char *exe, char *msg, size_t msglen)
{
	struct mm_struct *mm;
	int err;

	mm = exec_new_mm(m, tsk, exe, &err, msg, msglen);
	if (!mm)
		return err;
	exec_mmap(tsk, mm);
	snprintf(tsk->exe, sizeof(tsk->exe), "%s", exe ? exe : "");
	return 0;
}
