/*
 * The vDSO (arch/x86/entry/vdso/vma.c, lib/vdso/datastore.c): every program gets three special
 * mappings, placed together by get_unmapped_area as 6.18 places them: [vvar] (4 pages: the time
 * data, the time-namespace page, the getrandom data, the arch data), [vvar_vclock] (2 pages: the
 * paravirt and Hyper-V clock pages) and [vdso] (the 2-page image of the vDSO's ELF shared object).
 * All of them are kernel-image pages. [vvar] and [vvar_vclock] are VM_PFNMAP: a fault inserts the
 * raw frame (a special PTE, no struct page use, no RSS); [vdso] maps the image's pages as ordinary
 * file-like pages (RssFile and smaps Rss count them once touched, as in the kernel). The machine has
 * neither a paravirt nor a Hyper-V clock, and no time namespaces: those pages are SIGBUS, as on bare
 * metal. Only the 64-bit vDSO is modelled (i386 programs get none).
 */
#include <elf.h>
#include <errno.h>
#include <string.h>

#include <mmlab/mm.h>

#include "x86.h"

/* include/vdso/datapage.h, arch/x86/include/asm/vdso/vsyscall.h */
#define VDSO_TIME_PAGE_OFFSET		0
#define VDSO_TIMENS_PAGE_OFFSET		1
#define VDSO_RNG_PAGE_OFFSET		2
#define VDSO_ARCH_PAGES_START		3
#define VDSO_NR_PAGES			VDSO_DATA_PAGES
#define VDSO_NR_VCLOCK_PAGES		2
/* vdso_image_64.size: the image the kernel build links (vdso64.so, two pages) */
#define VDSO_IMAGE_PAGES		2

/* The data store's pages open the image's .data; the vDSO image opens its .rodata. */
static unsigned long vdso_data_pfn(const struct machine *m)
{
	return kernel_data_pfn(m);
}

static unsigned long vdso_image_pfn(const struct machine *m)
{
	return vdso_data_pfn(m) + m->reserved.kernel_rwdata;
}

void init_vdso_image(struct machine *m)
{
	Elf64_Ehdr eh = { .e_type = ET_DYN, .e_machine = EM_X86_64, .e_version = EV_CURRENT,
			  .e_ehsize = sizeof(Elf64_Ehdr), .e_phentsize = sizeof(Elf64_Phdr) };

	if (m->cfg.arch == ARCH_I386)	/* no vDSO modelled */
		return;
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_ident[EI_VERSION] = EV_CURRENT;
	memcpy(kmap_local_page(m, pfn_to_page(m, vdso_image_pfn(m))), &eh, sizeof(eh));
}

/* vmf_insert_pfn: a read-only special entry for a raw frame. */
static unsigned int insert_pfn(struct vm_area_struct *vma, struct pt_entry pte, unsigned long pfn)
{
	set_pte(pte, pfn_pte(pfn, vma->vm_page_prot | _PAGE_SPECIAL));
	return 0;
}

/* vvar_fault (lib/vdso/datastore.c): the time, getrandom and arch data pages; the time-namespace
 * page exists only inside a time namespace. */
static unsigned int vvar_fault(const struct vm_special_mapping *sm, struct vm_area_struct *vma, unsigned long pgoff,
			       struct pt_entry pte)
{
	(void)sm;
	if (pgoff == VDSO_TIMENS_PAGE_OFFSET || pgoff >= VDSO_NR_PAGES)
		return VM_FAULT_SIGBUS;
	return insert_pfn(vma, pte, vdso_data_pfn(vma->vm_mm->machine) + pgoff);
}

/* vvar_vclock_fault: the pvclock and Hyper-V pages, present only on those hypervisors. */
static unsigned int vvar_vclock_fault(const struct vm_special_mapping *sm, struct vm_area_struct *vma,
				      unsigned long pgoff, struct pt_entry pte)
{
	(void)sm;
	(void)vma;
	(void)pgoff;
	(void)pte;
	return VM_FAULT_SIGBUS;
}

/* vdso_fault: the image's page, mapped like a file page (finish_fault). */
static unsigned int vdso_fault(const struct vm_special_mapping *sm, struct vm_area_struct *vma, unsigned long pgoff,
			       struct pt_entry pte)
{
	struct machine *m = vma->vm_mm->machine;
	struct page *page;

	(void)sm;
	if (pgoff >= VDSO_IMAGE_PAGES)
		return VM_FAULT_SIGBUS;
	page = pfn_to_page(m, vdso_image_pfn(m) + pgoff);
	get_page(page);
	page_add_file_rmap(m, page);
	add_mm_counter(vma->vm_mm, MM_FILEPAGES, 1);
	set_pte(pte, pfn_pte(page_to_pfn(m, page), vma->vm_page_prot));
	return 0;
}

static const struct vm_special_mapping vvar_mapping = { "[vvar]", vvar_fault };
static const struct vm_special_mapping vvar_vclock_mapping = { "[vvar_vclock]", vvar_vclock_fault };
static const struct vm_special_mapping vdso_mapping = { "[vdso]", vdso_fault };

/* map_vdso: the data pages first, the image above them, in one free range. */
int arch_setup_additional_pages(struct mm_struct *mm)
{
	const unsigned long data = (VDSO_NR_PAGES + VDSO_NR_VCLOCK_PAGES) * PAGE_SIZE;
	const unsigned long pfnmap = VM_READ | VM_MAYREAD | VM_IO | VM_DONTDUMP | VM_PFNMAP;
	long addr;

	if (mm->machine->cfg.arch == ARCH_I386)
		return 0;
	addr = get_unmapped_area(mm, 0, data + VDSO_IMAGE_PAGES * PAGE_SIZE, 0);
	if (addr < 0)
		return (int)addr;
	/* MAYWRITE lets a debugger write breakpoints into a private copy */
	if (!install_special_mapping(mm, (unsigned long)addr + data, VDSO_IMAGE_PAGES * PAGE_SIZE,
				     VM_READ | VM_EXEC | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC, &vdso_mapping) ||
	    !install_special_mapping(mm, (unsigned long)addr, VDSO_NR_PAGES * PAGE_SIZE, pfnmap, &vvar_mapping) ||
	    !install_special_mapping(mm, (unsigned long)addr + VDSO_NR_PAGES * PAGE_SIZE,
				     VDSO_NR_VCLOCK_PAGES * PAGE_SIZE, pfnmap, &vvar_vclock_mapping))
		return -ENOMEM;
	return 0;
}
