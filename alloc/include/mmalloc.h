/* libmmalloc: a malloc replacement built on slab-like size classes, per-thread heaps and 4 MiB
 * segments. Use it with LD_PRELOAD=libmmalloc.so, or link libmmalloc.a before the C library.
 * It provides the whole malloc family (malloc, free, calloc, realloc, reallocarray,
 * posix_memalign, aligned_alloc, memalign, valloc, pvalloc, malloc_usable_size) under the
 * standard names, declared by <stdlib.h> and <malloc.h>; this header adds what is its own.
 * MMALLOC_STATS=1 in the environment prints per-size-class statistics at exit. */
#ifndef MMALLOC_H
#define MMALLOC_H

#ifdef __cplusplus
extern "C" {
#endif

/* Writes the statistics table (what MMALLOC_STATS=1 prints at exit) to the file descriptor. */
void mmalloc_stats_print(int fd);

#ifdef __cplusplus
}
#endif
#endif
