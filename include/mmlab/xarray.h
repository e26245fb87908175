/*
 * Value entries (include/linux/xarray.h): an integer stored where a pointer would be, told apart by
 * bit 0, which no page or object pointer has set. Shadow entries of evicted pages are value entries.
 */
#ifndef MMLAB_XARRAY_H
#define MMLAB_XARRAY_H

#include <stdbool.h>

/* BITS_PER_XA_VALUE: the bits a value entry keeps (one goes to the tag). */
#define BITS_PER_XA_VALUE	(64 - 1)

static inline void *xa_mk_value(unsigned long v)
{
	return (void *)((v << 1) | 1);
}

static inline unsigned long xa_to_value(const void *entry)
{
	return (unsigned long)entry >> 1;
}

static inline bool xa_is_value(const void *entry)
{
	return (unsigned long)entry & 1;
}

#endif
