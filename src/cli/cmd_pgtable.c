/*
 * How the MMU sees a process, as commands: pagewalk shows each level of a translation, pagemap a
 * range's /proc/PID/pagemap entries, rmap what maps a page frame, tlb each CPU's TLB
 * (mm/pagewalk.c, fs/proc/task_mmu.c, mm/rmap.c).
 */
#include <inttypes.h>

#include <mmlab/mm.h>

#include "cli/cli.h"

static int pagewalk_run(struct interp *in, const struct stmt *st, struct value *result)
{
	struct task_struct *tsk = lookup_task(in, st->command.args[0].loc, st->command.args[0].str.s);
	const struct paging_mode *pm;
	struct pt_walk w;
	struct value addr;
	int ret;

	if (!tsk)
		return CLI_ERROR;
	if ((ret = eval_arg(in, &st->command.args[1], &addr)))
		return ret;
	pm = tsk->mm->pm;
	pt_walk(tsk->mm, (unsigned long)addr.v, &w);
	fprintf(in->out, "%s[%d] %#" PRIx64 " (%s paging):\n", tsk->comm, tsk->pid, (uint64_t)addr.v, pm->name);
	for (int level = 0; level < w.levels; level++) {
		char flags[64];

		pte_flags_decode(pm, w.entry[level], flags, sizeof(flags));
		fprintf(in->out, "  %-3s %4u  %0*" PRIx64 "  %s\n", pm->level[level].name, w.index[level],
			pm->entry_size * 2, w.entry[level], flags);
	}
	if (w.mapped)
		fprintf(in->out, "  -> phys %#" PRIx64 " (pfn %#" PRIx64 ")\n", w.phys, w.phys >> PAGE_SHIFT);
	else
		fprintf(in->out, "  -> not mapped\n");
	*result = value_addr(w.mapped ? w.phys : 0);
	return 0;
}

/* pagemap NAME ADDR [LEN]: each page's pagemap entry, decoded; a line per page, so LEN is bounded. */
#define PAGEMAP_MAX_PAGES	65536UL

static int pagemap_check(struct parser *p, const struct stmt *st)
{
	if (st->command.nargs > 3)
		return parser_error(p, st->command.args[3].loc, "pagemap: too many arguments (usage: %s)",
				    st->command.cmd->usage);
	return 0;
}

static int pagemap_run(struct interp *in, const struct stmt *st, struct value *result)
{
	struct task_struct *tsk = lookup_task(in, st->command.args[0].loc, st->command.args[0].str.s);
	struct value addr, len = value_int(PAGE_SIZE);
	int ret;

	if (!tsk)
		return CLI_ERROR;
	if ((ret = eval_arg(in, &st->command.args[1], &addr)) ||
	    (st->command.nargs > 2 && (ret = eval_arg(in, &st->command.args[2], &len))))
		return ret;
	if (len.v < 0 || (uint64_t)len.v > PAGEMAP_MAX_PAGES * PAGE_SIZE)
		return interp_error(in, st->command.args[2].loc, "pagemap: LEN is 0 to %luM", PAGEMAP_MAX_PAGES >> 8);
	for (unsigned long a = (unsigned long)addr.v & PAGE_MASK; a < (unsigned long)(addr.v + len.v); a += PAGE_SIZE) {
		uint64_t e = pagemap_entry(tsk->mm, a);

		*result = value_int((int64_t)e);
		fprintf(in->out, "%#lx %016" PRIx64, a, e);
		if (e & PM_PRESENT)
			fprintf(in->out, " present pfn=%#" PRIx64, e & PM_PFRAME_MASK);
		fprintf(in->out, "%s%s%s%s\n", e & PM_SWAP ? " swapped" : "", e & PM_MMAP_EXCLUSIVE ? " exclusive" : "",
			e & PM_FILE ? " file/shared-anon" : "", e & PM_SOFT_DIRTY ? " soft-dirty" : "");
	}
	return 0;
}

/* The task whose address space is loaded, or NULL. */
static const struct task_struct *mm_owner(struct machine *m, const struct mm_struct *mm)
{
	const struct task_struct *tsk;

	list_for_each_entry(tsk, &m->tasks->tasks, tasks)
		if (tsk->mm == mm)
			return tsk;
	return NULL;
}

/* tlb: each CPU's TLB: whose translations it holds, its hits, misses and flushes. */
static int tlb_run(struct interp *in, const struct stmt *st, struct value *result)
{
	static const struct tlb idle;

	(void)st;
	(void)result;
	for (int cpu = 0; cpu < in->m->nr_cpu_ids; cpu++) {
		const struct tlb *tlb = in->m->tasks ? &in->m->tasks->tlb[cpu] : &idle;
		const struct task_struct *owner = tlb->loaded_mm ? mm_owner(in->m, tlb->loaded_mm) : NULL;

		fprintf(in->out, "cpu%d: %-15s hits %lu misses %lu flushes %lu\n", cpu, owner ? owner->comm : "-",
			tlb->hits, tlb->misses, tlb->flushes);
	}
	return 0;
}

/* rmap PFN: what maps a page frame, found from the page as reclaim finds it (mm/rmap.c). */
static int print_mapping(struct vm_area_struct *vma, unsigned long addr, void *arg)
{
	struct interp *in = arg;
	const struct task_struct *owner = mm_owner(in->m, vma->vm_mm);

	fprintf(in->out, "  %s[%d] %#lx %c%c%c%c\n", owner->comm, owner->pid, addr, vma->vm_flags & VM_READ ? 'r' : '-',
		vma->vm_flags & VM_WRITE ? 'w' : '-', vma->vm_flags & VM_EXEC ? 'x' : '-',
		vma->vm_flags & VM_MAYSHARE ? 's' : 'p');
	return 0;
}

static int rmap_run(struct interp *in, const struct stmt *st, struct value *result)
{
	struct value pfn;
	struct page *page;
	int ret;

	if ((ret = eval_arg(in, &st->command.args[0], &pfn)))
		return ret;
	if (pfn.v < 0 || !pfn_valid(in->m, (unsigned long)pfn.v))
		return interp_error(in, st->command.args[0].loc, "rmap: no page frame %#lx", (unsigned long)pfn.v);
	page = pfn_to_page(in->m, (unsigned long)pfn.v);
	*result = value_int(page_has_type(page) || page->_mapcount < 0 ? 0 : page->_mapcount + 1);
	fprintf(in->out, "pfn %#lx: %s, mapcount %" PRId64 ", refcount %d\n", (unsigned long)pfn.v,
		result->v == 0 ? "not mapped" : PageAnon(page) ? "anonymous" : mm_counter(page) == MM_SHMEMPAGES ? "shmem" : "file", result->v, page_ref_count(page));
	if (result->v)
		rmap_walk(in->m, page, print_mapping, in);
	return 0;
}

static const struct command pgtable_cmds[] = {
	{ "pagewalk", "we", NULL, CMD_MACHINE | CMD_RESULT, NULL, pagewalk_run, "[P =] pagewalk NAME ADDR",
	  "each level's index, entry and flags, then the physical address" },
	{ "pagemap", "wee*", NULL, CMD_MACHINE | CMD_RESULT, pagemap_check, pagemap_run, "[E =] pagemap NAME ADDR [LEN]",
	  "each page's /proc/PID/pagemap entry: frame, present, swapped, exclusive, file/shared-anon" },
	{ "rmap", "e", NULL, CMD_MACHINE | CMD_RESULT, NULL, rmap_run, "[N =] rmap PFN",
	  "every process and address mapping a page frame, found by the reverse map; N: the mapcount" },
	{ "tlb", "", NULL, CMD_MACHINE, NULL, tlb_run, "tlb",
	  "each CPU's TLB: the process loaded, hits, misses and flushes" },
};

const struct command_table cmd_pgtable_table = {
	"page tables, TLB and reverse map (mm/pagewalk.c, fs/proc/task_mmu.c, mm/rmap.c)", pgtable_cmds,
	sizeof(pgtable_cmds) / sizeof(pgtable_cmds[0]),
};
