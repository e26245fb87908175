/* The end of processes (kernel/exit.c): the address space goes with every page and table. */
#include <stdlib.h>

#include <mmlab/gfp.h>
#include <mmlab/huge_mm.h>
#include <mmlab/mm.h>

void do_exit(struct machine *m, struct task_struct *tsk)
{
	(void)m;
	list_del(&tsk->tasks);
	tsk->mm->owner = NULL;	/* exit_mm: whoever still holds the mm (ksmd) allocates by default */
	mmput(tsk->mm);
	free(tsk);
}

void exit_all_tasks(struct machine *m)
{
	struct task_state *ts = m->tasks;
	struct task_struct *tsk, *n;

	if (!ts)
		return;
	list_for_each_entry_safe(tsk, n, &ts->tasks, tasks)
		do_exit(m, tsk);
	__free_pages(m, ts->zero_page, 0);
	if (ts->huge_zero_folio)
		__free_pages(m, ts->huge_zero_folio, HPAGE_PMD_ORDER);
	free(ts->tlb);
	free(ts);
	m->tasks = NULL;
}
