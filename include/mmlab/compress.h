/*
 * Compression algorithms under the kernel's crypto "comp" names (include/linux/crypto.h: the
 * crypto_comp interface zram and zswap compress pages through; crypto/lz4.c, lz4hc.c, zstd.c,
 * lzo.c, lzo-rle.c). Every algorithm is the real library: liblz4, libzstd, liblzo2.
 *
 * One honest difference: the kernel's "lzo-rle" is its own extension of the LZO1X bit stream (runs
 * of zeros coded as one instruction, lib/lzo/lzo1x_compress.c), which liblzo2 does not have. Here
 * "lzo-rle" compresses with plain LZO1X-1, so its sizes are those of "lzo", not of the kernel's
 * lzo-rle (which only gains on pages with long zero runs).
 *
 * A transform (struct crypto_comp) holds the algorithm's working memory; one per user at a time,
 * as each zram device and each zswap pool keeps its own streams.
 */
#ifndef MMLAB_COMPRESS_H
#define MMLAB_COMPRESS_H

#include <stdbool.h>

#include <mmlab/mmzone.h>

/* The output room callers give a page: twice its size, as zram's streams have (zcomp_strm_init). */
#define COMP_DST_SIZE	(2 * PAGE_SIZE)

/* crypto_comp_alg: the i-th algorithm's name, NULL past the last; in the order zram's comp_algorithm
 * lists them (drivers/block/zram/zcomp.c backends[]). */
const char *crypto_comp_alg(int i);

struct crypto_comp;

/* crypto_has_comp: is name an algorithm we have? */
bool crypto_has_comp(const char *name);
/* crypto_alloc_comp: a transform for name; NULL if the name is unknown or the host is out of memory. */
struct crypto_comp *crypto_alloc_comp(const char *name);
void crypto_free_comp(struct crypto_comp *tfm);
/* crypto_comp_name: the algorithm's name as given to crypto_alloc_comp. */
const char *crypto_comp_name(const struct crypto_comp *tfm);

/* crypto_comp_compress: slen bytes of src into dst; *dlen is dst's room on entry and the compressed
 * length on return. 0, or -ENOSPC when the output does not fit, -EINVAL on a library error. */
int crypto_comp_compress(struct crypto_comp *tfm, const void *src, unsigned int slen, void *dst,
			 unsigned int *dlen);
/* crypto_comp_decompress: the same the other way; -EINVAL when src is not valid compressed data. */
int crypto_comp_decompress(struct crypto_comp *tfm, const void *src, unsigned int slen, void *dst,
			   unsigned int *dlen);

#endif
