/*
 * copy_to_user and copy_from_user (arch/x86/lib/usercopy_64.c and the exception-table fixup that
 * turns a bad user address into a short copy): a system call copying to or from a process's memory
 * faults pages in as the process would, but an address the process may not access ends the copy
 * without a signal, and the call returns -EFAULT.
 */
#include <string.h>

#include <mmlab/mm.h>

/* The bytes of [addr, addr + n) not copied; *sig when the task died on the way (out of memory). */
static unsigned long user_copy(struct machine *m, struct task_struct *tsk, unsigned long addr, unsigned char *kbuf,
			       unsigned long n, bool to_user, int *sig)
{
	*sig = 0;
	while (n) {
		struct vm_area_struct *vma = find_vma(tsk->mm, addr);
		unsigned long chunk = PAGE_SIZE - (addr & ~PAGE_MASK);
		unsigned char *p;

		if (!vma || vma->vm_start > addr || !(vma->vm_flags & (to_user ? VM_WRITE : VM_READ)))
			break;
		if (!(p = user_access_page(m, tsk, addr, to_user, sig)))
			break;
		if (chunk > n)
			chunk = n;
		if (to_user)
			memcpy(p, kbuf, chunk);
		else
			memcpy(kbuf, p, chunk);
		kbuf += chunk;
		addr += chunk;
		n -= chunk;
	}
	return n;
}

unsigned long copy_to_user(struct machine *m, struct task_struct *tsk, unsigned long to, const void *from,
			   unsigned long n, int *sig)
{
	return user_copy(m, tsk, to, (unsigned char *)(uintptr_t)from, n, true, sig);
}

unsigned long copy_from_user(struct machine *m, struct task_struct *tsk, void *to, unsigned long from,
			     unsigned long n, int *sig)
{
	return user_copy(m, tsk, from, to, n, false, sig);
}
