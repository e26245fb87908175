/* What the swap files of src/mm share (mm/swap.h). */
#ifndef MM_SWAP_INTERNAL_H
#define MM_SWAP_INTERNAL_H

#include <mmlab/swap.h>

/* swap_area_release: free an area's maps and swap tables and close its backend (mm/swapfile.c). */
void swap_area_release(struct swap_info_struct *si);
/* swap_cluster_table: the swap table slot of an entry of si, allocated on first use when alloc;
 * NULL if there is none (mm/swap_table.h). */
unsigned long *swap_cluster_table(struct swap_info_struct *si, unsigned long offset, bool alloc);
/* __swap_cache_clear_shadow: a freed slot forgets the shadow it held (mm/swap_state.c). */
void __swap_cache_clear_shadow(struct swap_info_struct *si, unsigned long offset);

/* A swap table entry (mm/swap_table.h): 0, a page (aligned: bit 0 clear), or a shadow (an
 * xa_value: bit 0 set). */
static inline bool swp_tb_is_folio(unsigned long swp_tb)
{
	return swp_tb && !(swp_tb & 1);
}
static inline bool swp_tb_is_shadow(unsigned long swp_tb)
{
	return swp_tb & 1;
}

#endif
