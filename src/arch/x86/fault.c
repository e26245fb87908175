/*
 * A simulated program's loads and stores (arch/x86/mm/fault.c, and the MMU it answers to): the TLB
 * first; on a miss the hardware walks the tables, setting Accessed and, for a store, Dirty; a
 * missing or forbidden translation raises a page fault, which the kernel resolves or turns into a
 * signal that kills the task.
 */
#include <mmlab/mm.h>
#include <mmlab/printk.h>
#include <mmlab/vmscan.h>

#include "x86.h"

/* The page-fault error code's bits (arch/x86/include/asm/trap_pf.h). */
#define X86_PF_PROT	0x1	/* the page was present: a protection violation */
#define X86_PF_WRITE	0x2
#define X86_PF_USER	0x4

/* access_error: does the VMA forbid this access? */
static bool access_error(unsigned long error_code, const struct vm_area_struct *vma)
{
	if (error_code & X86_PF_WRITE)
		return !(vma->vm_flags & VM_WRITE);
	if (error_code & X86_PF_PROT)
		return true;
	return !(vma->vm_flags & VM_ACCESS_FLAGS);
}

/* topology_physical_package_id / topology_core_id (arch/x86/include/asm/topology.h): one package per
 * node, one core per CPU without SMT siblings, cores numbered within their package. */
static int topology_physical_package_id(const struct machine *m, int cpu)
{
	return m->cpu_to_node[cpu];
}

static int topology_core_id(const struct machine *m, int cpu)
{
	int core = 0;

	for (int c = 0; c < cpu; c++)
		core += m->cpu_to_node[c] == m->cpu_to_node[cpu];
	return core;
}

/* show_signal_msg (arch/x86/mm/fault.c): the line an unhandled SIGSEGV leaves in the log, at
 * KERN_EMERG for init (is_global_init). ip and sp are not modelled and print as 0, at %px's width
 * (a pointer's hex digits: 16 on x86_64, 8 on i386); no VMA holds ip 0, so print_vma_addr adds
 * nothing. */
static void show_signal_msg(struct machine *m, struct task_struct *tsk, unsigned long addr, unsigned long error_code)
{
	const char *loglvl = tsk->pid > 1 ? KERN_INFO : KERN_EMERG;
	int width = m->cfg.arch == ARCH_I386 ? 8 : 16, cpu = m->this_cpu;

	printk(m, "%s%s[%d]: segfault at %lx ip %0*lx sp %0*lx error %lx", loglvl, tsk->comm, tsk->pid, addr,
	       width, 0UL, width, 0UL, error_code);
	printk(m, KERN_CONT " likely on CPU %d (core %d, socket %d)", cpu, topology_core_id(m, cpu),
	       topology_physical_package_id(m, cpu));
	printk(m, KERN_CONT "\n");
}

/* The task dies of sig: the machine goes on. */
static int kill_task(struct machine *m, struct task_struct *tsk, int sig)
{
	do_exit(m, tsk);
	return sig;
}

/* do_user_addr_fault: 0 when the fault was resolved, else the signal the task died of. */
static int do_user_addr_fault(struct machine *m, struct task_struct *tsk, unsigned long addr,
			      unsigned long error_code)
{
	struct vm_area_struct *vma = find_vma(tsk->mm, addr);
	unsigned int fault;

	/* the vsyscall page, above TASK_SIZE yet the user's (fault_in_kernel_space), has no VMA */
	if (get_gate_vma(tsk->mm) && is_vsyscall_vaddr(addr))
		emulate_vsyscall(m, tsk, error_code & X86_PF_WRITE);
	if (!vma || (vma->vm_start > addr && expand_stack(vma, addr, tsk)) || access_error(error_code, vma)) {
		show_signal_msg(m, tsk, addr, error_code);
		return kill_task(m, tsk, SIGSEGV);
	}
	fault = handle_mm_fault(vma, addr, FAULT_FLAG_USER | (error_code & X86_PF_WRITE ? FAULT_FLAG_WRITE : 0));
	if (fault & VM_FAULT_OOM) {
		/* The OOM killer for the fault's page (the kernel's allocator calls it, from
		 * __alloc_pages_may_oom; the machine's leaves it to the fault): it picks a victim and the
		 * fault is retried (pagefault_out_of_memory) unless the victim was this task. With nothing
		 * to kill the machine panicked: the access goes no further, the task left as it was. */
		const struct oom_control oc = { .gfp_mask = GFP_HIGHUSER_MOVABLE, .call_path = OOM_PATH_PAGEFAULT };
		int pid = tsk->pid, victim = out_of_memory(m, &oc);

		return !victim || victim == pid ? SIGKILL : 0;
	}
	if (fault & (VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV))
		return kill_task(m, tsk, fault & VM_FAULT_SIGBUS ? SIGBUS : SIGSEGV);
	if (fault & VM_FAULT_MAJOR)
		tsk->maj_flt++;
	else
		tsk->min_flt++;
	return 0;
}

/* do_kern_addr_fault: a user access to the kernel half finds its entries without the User bit
 * (a protection fault if the address is mapped, not-present otherwise): SIGSEGV, with the
 * hardware's error code in the log (__bad_area_nosemaphore). */
static int do_kern_addr_fault(struct machine *m, struct task_struct *tsk, unsigned long addr, bool write)
{
	struct pt_walk w;
	unsigned long error_code;

	pt_walk(tsk->mm, addr, &w);
	error_code = X86_PF_USER | (write ? X86_PF_WRITE : 0) | (w.mapped ? X86_PF_PROT : 0);
	show_signal_msg(m, tsk, addr, error_code);
	return kill_task(m, tsk, SIGSEGV);
}

static unsigned char *page_bytes(struct machine *m, unsigned long pfn, unsigned long addr)
{
	return (unsigned char *)kmap_local_page(m, pfn_to_page(m, pfn)) + (addr & ~PAGE_MASK);
}

/* A fault that resolved but left the entry as it was, twice with no OOM kill between, is a kernel
 * bug; so is an access that MMU_MAX_FAULTS faults do not let through. */
#define MMU_MAX_FAULTS	64

/* The hardware's walk after a TLB miss (or a store through a clean entry): a usable PTE is marked
 * young (and dirty) and cached; anything else is a page fault. A resolved fault is retried, as
 * often as the handler changes the entry: under memory pressure reclaim may undo a fault before
 * the retry (it swaps out the page a copy-on-write was allocating for; the swap fault that follows
 * maps it read-only again while it is shared), or a fault that found no memory return after the OOM
 * killer made room, its entry unchanged. A handler that changes nothing
 * otherwise is a kernel bug, and the task gets SIGBUS rather than the machine a hang. */
static unsigned char *mmu_walk(struct machine *m, struct task_struct *tsk, struct tlb *tlb, unsigned long addr,
			       bool write, int *sig)
{
	const pteval_t need = _PAGE_PRESENT | _PAGE_USER | (write ? _PAGE_RW : 0);
	pteval_t last = 0;
	unsigned long ooms = 0;
	int unchanged = 0;

	flush_tlb_one_user(tlb, addr);
	/* fault_in_kernel_space: above TASK_SIZE_MAX, but for the vsyscall page, which is the user's */
	if (addr >= tsk->mm->pm->task_size && !(get_gate_vma(tsk->mm) && is_vsyscall_vaddr(addr))) {
		*sig = do_kern_addr_fault(m, tsk, addr, write);
		return NULL;
	}
	for (int faults = 0; faults < MMU_MAX_FAULTS; faults++) {
		const struct paging_mode *pm = tsk->mm->pm;
		struct pt_entry pte;
		unsigned long size = pt_level_size(pm, walk_to_leaf(tsk->mm, addr, &pte));
		pteval_t v = ptep_get(pte);

		if ((v & need) == need) {
			/* a 1G leaf gets a 1G TLB entry; a 4M one (i386) is cached in 2M parts */
			unsigned long tsize = size > TLB_2M_SIZE && size != TLB_1G_SIZE ? TLB_2M_SIZE : size;
			unsigned long pfn = pte_pfn(pm, v) + ((addr & (size - 1) & ~(tsize - 1)) >> PAGE_SHIFT);

			v |= _PAGE_ACCESSED | (write ? _PAGE_DIRTY : 0);
			set_pte(pte, v);
			tlb_fill(tlb, addr, pfn, (v & (_PAGE_RW | _PAGE_USER | _PAGE_NX | _PAGE_DIRTY)) |
					       (size > PAGE_SIZE ? _PAGE_PSE : 0), tsize);
			return page_bytes(m, pfn + ((addr & (tsize - 1)) >> PAGE_SHIFT), addr);
		}
		/* an OOM kill on the way (for this fault's page or another allocation) made room: the
		 * retry may succeed where the last fault could not change the entry */
		unchanged = faults && v == last && m->vm_events[OOM_KILL] == ooms ? unchanged + 1 : 0;
		if (unchanged == 2)
			break;
		last = v;
		ooms = m->vm_events[OOM_KILL];
		*sig = do_user_addr_fault(m, tsk, addr, X86_PF_USER | (write ? X86_PF_WRITE : 0) |
						       (v & _PAGE_PRESENT ? X86_PF_PROT : 0));
		if (*sig)
			return NULL;
	}
	*sig = kill_task(m, tsk, SIGBUS);
	return NULL;
}

unsigned char *user_access_slow(struct machine *m, struct task_struct *tsk, unsigned long addr, bool write, int *sig)
{
	struct tlb *tlb = &m->tasks->tlb[m->this_cpu];

	*sig = 0;
	if (tlb->loaded_mm != tsk->mm) {
		switch_mm(tlb, tsk->mm);
		tlb->misses++;
	}
	return mmu_walk(m, tsk, tlb, addr, write, sig);
}
