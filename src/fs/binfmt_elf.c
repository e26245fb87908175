/*
 * Loading an ELF program's layout (fs/binfmt_elf.c): the PT_LOAD program headers of a real file,
 * read with the host's <elf.h>, give the VMAs of text, data and bss, at the load bias for a
 * position-independent program. Each segment's file part is a private mapping of the file (its
 * pages come from the page cache: text shared by every process running the program, data copied
 * on write); the rest of its last file page is zeroed (padzero) and the bss beyond is anonymous
 * memory (vm_brk_flags).
 */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <mmlab/fs.h>
#include <mmlab/mm.h>
#include <mmlab/mman.h>

#define ELF_MAX_PHNUM	64

/* A program header of either class, the fields the loader uses. */
struct elf_seg {
	uint32_t type, flags;
	uint64_t offset, vaddr, filesz, memsz;
};

struct elf_image {
	uint16_t type, machine;
	int nr_segs;
	struct elf_seg seg[ELF_MAX_PHNUM];
};

/* Exactly len bytes at off of the file, or false. */
static bool read_at(int fd, void *buf, size_t len, uint64_t off)
{
	return pread(fd, buf, len, (off_t)off) == (ssize_t)len;
}

/* Read the header and program headers of a 64-bit (or, when !is64, 32-bit) ELF file. */
static int read_elf(int fd, bool is64, struct elf_image *img)
{
	union {
		Elf64_Ehdr e64;
		Elf32_Ehdr e32;
	} eh;
	uint64_t phoff;

	if (!read_at(fd, &eh, is64 ? sizeof(eh.e64) : sizeof(eh.e32), 0))
		return -ENOEXEC;
	img->type = is64 ? eh.e64.e_type : eh.e32.e_type;
	img->machine = is64 ? eh.e64.e_machine : eh.e32.e_machine;
	img->nr_segs = is64 ? eh.e64.e_phnum : eh.e32.e_phnum;
	phoff = is64 ? eh.e64.e_phoff : eh.e32.e_phoff;
	if (img->nr_segs < 1 || img->nr_segs > ELF_MAX_PHNUM)
		return -ENOEXEC;
	for (int i = 0; i < img->nr_segs; i++) {
		Elf64_Phdr p64;
		Elf32_Phdr p32;

		if (is64 ? !read_at(fd, &p64, sizeof(p64), phoff + (uint64_t)i * sizeof(p64))
			 : !read_at(fd, &p32, sizeof(p32), phoff + (uint64_t)i * sizeof(p32)))
			return -ENOEXEC;
		img->seg[i] = is64 ? (struct elf_seg){ p64.p_type, p64.p_flags, p64.p_offset, p64.p_vaddr, p64.p_filesz,
						       p64.p_memsz }
				   : (struct elf_seg){ p32.p_type, p32.p_flags, p32.p_offset, p32.p_vaddr, p32.p_filesz,
						       p32.p_memsz };
	}
	return 0;
}

/* The PROT_* bits of a segment's PF_* flags (make_prot). */
static unsigned long seg_prot(const struct elf_seg *s)
{
	return (s->flags & PF_R ? PROT_READ : 0) | (s->flags & PF_W ? PROT_WRITE : 0) | (s->flags & PF_X ? PROT_EXEC : 0);
}

/* padzero: the bytes from addr to the end of its page become zeros (a store, so a private file page
 * is copied first); nothing for a read-only segment, as the kernel ignores the failure there. */
static void padzero(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = find_vma(mm, addr);
	struct pt_entry pte;

	if (!(addr & ~PAGE_MASK) || !vma || vma->vm_start > addr || !(vma->vm_flags & VM_WRITE) ||
	    handle_mm_fault(vma, addr, FAULT_FLAG_WRITE) || !follow_pte(mm, addr, &pte))
		return;
	memset((unsigned char *)kmap_local_page(mm->machine, pfn_to_page(mm->machine, pte_pfn(mm->pm, ptep_get(pte)))) +
		       (addr & ~PAGE_MASK),
	       0, PAGE_SIZE - (addr & ~PAGE_MASK));
}

/* elf_load: one PT_LOAD segment: its file part mapped privately (elf_map), the rest of that last
 * page zeroed and the bss after it anonymous; the bounds of code and data follow. */
static int elf_map(struct mm_struct *mm, struct file *file, unsigned long bias, const struct elf_seg *s)
{
	unsigned long start = (bias + s->vaddr) & PAGE_MASK, end = PAGE_ALIGN(bias + s->vaddr + s->memsz);
	unsigned long file_end = PAGE_ALIGN(bias + s->vaddr + s->filesz), pageoff = (bias + s->vaddr) & ~PAGE_MASK;
	unsigned long prot = seg_prot(s);
	unsigned long flags = (prot & VM_ACCESS_FLAGS) | VM_MAYACCESS | (prot & PROT_WRITE ? VM_ACCOUNT : 0);

	if (end <= start || end > mm->task_size || s->offset < pageoff || ((s->offset - pageoff) & ~PAGE_MASK) ||
	    do_munmap(mm, start, end - start))
		return -ENOMEM;
	if (s->filesz && !mmap_region(mm, file, start, file_end, flags, (s->offset - pageoff) >> PAGE_SHIFT))
		return -ENOMEM;
	if (s->memsz > s->filesz) {
		padzero(mm, bias + s->vaddr + s->filesz);
		if (end > file_end && !map_anon_range(mm, s->filesz ? file_end : start, end,
						      VM_DATA_DEFAULT_FLAGS | VM_ACCOUNT | (prot & PROT_EXEC ? VM_EXEC : 0)))
			return -ENOMEM;
	}
	if ((prot & PROT_EXEC) && !mm->start_code) {
		mm->start_code = bias + s->vaddr;
		mm->end_code = bias + s->vaddr + s->filesz;
	}
	if (prot & PROT_WRITE) {
		mm->start_data = bias + s->vaddr;
		mm->end_data = bias + s->vaddr + s->filesz;
	}
	if (end > mm->brk)
		mm->brk = end;
	return 0;
}

/* What the machine runs: ELFCLASS64 x86-64 programs on x86_64, ELFCLASS32 i386 ones on i386. */
static const char *check_image(const struct mm_struct *mm, const struct elf_image *img, bool is64)
{
	bool machine64 = mm->pm->task_size > 0xffffffffUL;

	if (is64 != machine64 || img->machine != (machine64 ? EM_X86_64 : EM_386))
		return machine64 ? "not an x86-64 program" : "not an i386 program";
	if (img->type != ET_EXEC && img->type != ET_DYN)
		return "not an executable (ET_EXEC or ET_DYN)";
	return NULL;
}

/* The ELF identification: 1 for ELFCLASS64, 0 for ELFCLASS32, -1 if the file is no ELF file. */
static int elf_class(int fd)
{
	unsigned char ident[EI_NIDENT];

	if (!read_at(fd, ident, sizeof(ident), 0) || memcmp(ident, ELFMAG, SELFMAG))
		return -1;
	if (ident[EI_CLASS] == ELFCLASS64 || ident[EI_CLASS] == ELFCLASS32)
		return ident[EI_CLASS] == ELFCLASS64;
	return -1;
}

static int load_image(struct mm_struct *mm, struct file *file, const char *path, char *msg, size_t msglen)
{
	struct elf_image img;
	int fd = file_inode(file)->fd, cls = elf_class(fd), err;
	const char *bad;
	unsigned long bias;

	if (cls < 0 || read_elf(fd, cls == 1, &img)) {
		snprintf(msg, msglen, "%s: not an ELF file", path);
		return -ENOEXEC;
	}
	if ((bad = check_image(mm, &img, cls == 1))) {
		snprintf(msg, msglen, "%s: %s", path, bad);
		return -ENOEXEC;
	}
	bias = img.type == ET_DYN ? elf_load_bias(mm) : 0;
	for (int i = 0; i < img.nr_segs; i++)
		if (img.seg[i].type == PT_LOAD && (err = elf_map(mm, file, bias, &img.seg[i]))) {
			snprintf(msg, msglen, "%s: a PT_LOAD segment does not fit", path);
			return err;
		}
	if (!mm->brk) {
		snprintf(msg, msglen, "%s: no PT_LOAD segment", path);
		return -ENOEXEC;
	}
	return 0;
}

int load_elf_binary(struct mm_struct *mm, const char *path, char *msg, size_t msglen)
{
	int err;
	struct file *file = filp_open(mm->machine, path, &err);

	if (!file) {
		snprintf(msg, msglen, "%s: %s", path, err == -ENODEV ? "not a regular file" : strerror(-err));
		return err;
	}
	err = load_image(mm, file, path, msg, msglen);
	fput(mm->machine, file);
	return err;
}
