/* What the swap files of src/mm share (mm/swap.h). */
#ifndef MM_SWAP_INTERNAL_H
#define MM_SWAP_INTERNAL_H

#include <mmlab/swap.h>

/* swap_area_release: free an area's maps and swap tables and close its backend (mm/swapfile.c). */
void swap_area_release(struct swap_info_struct *si);
/* swap_cluster_table: the swap table slot of an entry of si, allocated on first use when alloc;
 * NULL if there is none (mm/swap_table.h). */
struct page **swap_cluster_table(struct swap_info_struct *si, unsigned long offset, bool alloc);

#endif
