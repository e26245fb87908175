/*
 * The crypto "comp" algorithms over the real libraries (crypto/lz4.c, crypto/lz4hc.c, crypto/zstd.c,
 * crypto/lzo.c, crypto/lzo-rle.c): each backend keeps its working memory in the transform, so
 * compressing a page allocates nothing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <lz4.h>
#include <lz4hc.h>
#include <lzo/lzo1x.h>
#include <zstd.h>
#include <zstd_errors.h>

#include <mmlab/compress.h>

/* The levels the kernel's crypto modules use: LZ4HC_DEFAULT_CLEVEL, ZSTD_DEF_LEVEL. */
#define LZ4HC_LEVEL	LZ4HC_CLEVEL_DEFAULT
#define ZSTD_LEVEL	3

struct comp_backend {
	const char *name;
	void *(*alloc_ctx)(void);
	void (*free_ctx)(void *ctx);
	/* Both return the output length, or a negative errno. */
	int (*compress)(void *ctx, const void *src, unsigned int slen, void *dst, unsigned int room);
	int (*decompress)(void *ctx, const void *src, unsigned int slen, void *dst, unsigned int room);
};

struct crypto_comp {
	const struct comp_backend *backend;
	void *ctx;
};

/* ---- lz4, lz4hc (crypto/lz4.c, crypto/lz4hc.c) ---- */

static void *lz4_alloc_ctx(void)
{
	return malloc((size_t)LZ4_sizeofState());
}

static void *lz4hc_alloc_ctx(void)
{
	return malloc((size_t)LZ4_sizeofStateHC());
}

/* A zero return means "did not fit" for every lz4 entry point. */
static int lz4_result(int n)
{
	return n > 0 ? n : -ENOSPC;
}

static int lz4_compress(void *ctx, const void *src, unsigned int slen, void *dst, unsigned int room)
{
	return lz4_result(LZ4_compress_fast_extState(ctx, src, dst, (int)slen, (int)room, 1));
}

static int lz4hc_compress(void *ctx, const void *src, unsigned int slen, void *dst, unsigned int room)
{
	return lz4_result(LZ4_compress_HC_extStateHC(ctx, src, dst, (int)slen, (int)room, LZ4HC_LEVEL));
}

static int lz4_decompress(void *ctx, const void *src, unsigned int slen, void *dst, unsigned int room)
{
	int n = LZ4_decompress_safe(src, dst, (int)slen, (int)room);

	(void)ctx;
	return n >= 0 ? n : -EINVAL;
}

/* ---- lzo, lzo-rle (crypto/lzo.c; lzo-rle as plain LZO1X-1, see include/mmlab/compress.h) ---- */

static void *lzo_alloc_ctx(void)
{
	/* lzo_init checks the library matches its header; it is cheap and may be called again. */
	return lzo_init() == LZO_E_OK ? malloc(LZO1X_1_MEM_COMPRESS) : NULL;
}

static int lzo_compress(void *ctx, const void *src, unsigned int slen, void *dst, unsigned int room)
{
	lzo_uint out = room;

	/* LZO1X-1 writes up to slen + slen / 16 + 67 bytes without checking the room it has. */
	if (room < slen + slen / 16 + 67)
		return -ENOSPC;
	if (lzo1x_1_compress(src, slen, dst, &out, ctx) != LZO_E_OK)
		return -EINVAL;
	return (int)out;
}

static int lzo_decompress(void *ctx, const void *src, unsigned int slen, void *dst, unsigned int room)
{
	lzo_uint out = room;

	(void)ctx;
	if (lzo1x_decompress_safe(src, slen, dst, &out, NULL) != LZO_E_OK)
		return -EINVAL;
	return (int)out;
}

/* ---- zstd (crypto/zstd.c): one compression and one decompression context per transform ---- */

struct zstd_ctx {
	ZSTD_CCtx *cctx;
	ZSTD_DCtx *dctx;
};

static void zstd_free_ctx(void *p)
{
	struct zstd_ctx *ctx = p;

	ZSTD_freeCCtx(ctx->cctx);
	ZSTD_freeDCtx(ctx->dctx);
	free(ctx);
}

static void *zstd_alloc_ctx(void)
{
	struct zstd_ctx *ctx = calloc(1, sizeof(*ctx));

	if (!ctx)
		return NULL;
	ctx->cctx = ZSTD_createCCtx();
	ctx->dctx = ZSTD_createDCtx();
	if (!ctx->cctx || !ctx->dctx) {
		zstd_free_ctx(ctx);
		return NULL;
	}
	return ctx;
}

/* A zstd error that means "the output did not fit" is -ENOSPC; any other is -EINVAL. */
static int zstd_result(size_t n)
{
	if (!ZSTD_isError(n))
		return (int)n;
	return ZSTD_getErrorCode(n) == ZSTD_error_dstSize_tooSmall ? -ENOSPC : -EINVAL;
}

static int zstd_compress(void *p, const void *src, unsigned int slen, void *dst, unsigned int room)
{
	struct zstd_ctx *ctx = p;

	return zstd_result(ZSTD_compressCCtx(ctx->cctx, dst, room, src, slen, ZSTD_LEVEL));
}

static int zstd_decompress(void *p, const void *src, unsigned int slen, void *dst, unsigned int room)
{
	struct zstd_ctx *ctx = p;
	int n = zstd_result(ZSTD_decompressDCtx(ctx->dctx, dst, room, src, slen));

	return n == -ENOSPC ? -EINVAL : n;
}

/* In zram's listing order (drivers/block/zram/zcomp.c backends[]). */
static const struct comp_backend backends[] = {
	{ "lzo-rle", lzo_alloc_ctx, free, lzo_compress, lzo_decompress },
	{ "lzo", lzo_alloc_ctx, free, lzo_compress, lzo_decompress },
	{ "lz4", lz4_alloc_ctx, free, lz4_compress, lz4_decompress },
	{ "lz4hc", lz4hc_alloc_ctx, free, lz4hc_compress, lz4_decompress },
	{ "zstd", zstd_alloc_ctx, zstd_free_ctx, zstd_compress, zstd_decompress },
};

#define NR_BACKENDS ((int)(sizeof(backends) / sizeof(backends[0])))

const char *crypto_comp_alg(int i)
{
	return i >= 0 && i < NR_BACKENDS ? backends[i].name : NULL;
}

static const struct comp_backend *find_backend(const char *name)
{
	for (int i = 0; i < NR_BACKENDS; i++)
		if (!strcmp(backends[i].name, name))
			return &backends[i];
	return NULL;
}

bool crypto_has_comp(const char *name)
{
	return find_backend(name) != NULL;
}

struct crypto_comp *crypto_alloc_comp(const char *name)
{
	const struct comp_backend *backend = find_backend(name);
	struct crypto_comp *tfm;

	if (!backend || !(tfm = malloc(sizeof(*tfm))))
		return NULL;
	tfm->backend = backend;
	tfm->ctx = backend->alloc_ctx();
	if (!tfm->ctx) {
		free(tfm);
		return NULL;
	}
	return tfm;
}

void crypto_free_comp(struct crypto_comp *tfm)
{
	if (!tfm)
		return;
	tfm->backend->free_ctx(tfm->ctx);
	free(tfm);
}

const char *crypto_comp_name(const struct crypto_comp *tfm)
{
	return tfm->backend->name;
}

/* comp_result: a backend's length-or-errno into *dlen and the return value. */
static int comp_result(int n, unsigned int *dlen)
{
	if (n < 0)
		return n;
	*dlen = (unsigned int)n;
	return 0;
}

int crypto_comp_compress(struct crypto_comp *tfm, const void *src, unsigned int slen, void *dst,
			 unsigned int *dlen)
{
	return comp_result(tfm->backend->compress(tfm->ctx, src, slen, dst, *dlen), dlen);
}

int crypto_comp_decompress(struct crypto_comp *tfm, const void *src, unsigned int slen, void *dst,
			   unsigned int *dlen)
{
	return comp_result(tfm->backend->decompress(tfm->ctx, src, slen, dst, *dlen), dlen);
}
