/* The "total" line of libmmalloc's statistics table (mmalloc_stats_print), for the tests that
 * check what the library holds. */
#ifndef ALLOC_MALLOC_TOTALS_H
#define ALLOC_MALLOC_TOTALS_H
#include <stdio.h>
#include "mmalloc.h"

/* Live bytes and bytes of pages held, as the statistics print them. */
static inline void stats_totals(unsigned long long *live, unsigned long long *held)
{
	FILE *f = tmpfile();
	char line[256];
	*live = *held = 0;
	if (!f)
		return;
	mmalloc_stats_print(fileno(f));
	rewind(f);
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, " total %*s %*s %llu %llu", live, held) == 2)
			break;
	fclose(f);
}
#endif
