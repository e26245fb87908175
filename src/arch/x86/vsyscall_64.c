/*
 * The vsyscall page (arch/x86/entry/vsyscall/vsyscall_64.c): the fixed page at 0xffffffffff600000
 * that old programs call for gettimeofday, time and getcpu. 6.18 boots in vsyscall=xonly mode: the
 * page has no PTE at all, only the gate VMA that /proc/PID/maps and smaps show last, execute-only.
 * The gate VMA belongs to no mm: it is in no VMA tree, counts in neither VmSize nor map_count, and
 * smaps finds no pages under it. i386 has no vsyscall page. The emulation of calls into it is not
 * modelled (the machine executes no code); a load or store there is SIGSEGV, as in xonly mode, a
 * load with the warning the kernel logs first.
 */
#include <mmlab/mm.h>
#include <mmlab/printk.h>
#include <mmlab/sched.h>

#include "x86.h"

/* VSYSCALL_ADDR (arch/x86/include/uapi/asm/vsyscall.h): -10 MiB, the vsyscall fixmap slot */
#define VSYSCALL_ADDR	(-10UL << 20)
/* __USER_CS (arch/x86/include/asm/segment.h): the 64-bit user code segment */
#define __USER_CS	0x33

/* gate_vma_ops: only its name (gate_vma_name); no fault reaches a VMA outside every tree */
static const struct vm_special_mapping gate_vma_mapping = { .name = "[vsyscall]" };

/* gate_vma as map_vsyscall leaves it in xonly mode: VM_EXEC only, no mm */
static const struct vm_area_struct gate_vma = {
	.vm_start = VSYSCALL_ADDR,
	.vm_end = VSYSCALL_ADDR + PAGE_SIZE,
	.vm_flags = VM_EXEC,
	.vm_special = &gate_vma_mapping,
};

const struct vm_area_struct *get_gate_vma(const struct mm_struct *mm)
{
	return mm->machine->cfg.arch == ARCH_X86_64 ? &gate_vma : NULL;
}

bool is_vsyscall_vaddr(unsigned long vaddr)
{
	return (vaddr & PAGE_MASK) == VSYSCALL_ADDR;
}

void emulate_vsyscall(struct machine *m, const struct task_struct *tsk, bool write)
{
	if (write)	/* write faults never get fixed up, nor reported */
		return;
	/* warn_bad_vsyscall: the registers are not modelled (0), but for the user code segment */
	printk(m, KERN_INFO "%s[%d] vsyscall read attempt denied -- look up the vsyscall kernel parameter if you "
	       "need a workaround ip:%lx cs:%x sp:%lx ax:%lx si:%lx di:%lx\n", tsk->comm, tsk->pid, 0UL, __USER_CS, 0UL,
	       0UL, 0UL, 0UL);
}
