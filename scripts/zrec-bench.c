/*
 * zrec-bench: what lib/zrec makes of a set of records, one a file: bytes
 * in, bytes packed, microseconds a record to pack and to unpack (the
 * best of ROUNDS passes over all of them, CPU time of this process).
 * Built and run by scripts/zrec-bench, which says how.
 *
 * With -d DICT (a zstd dictionary, trained or raw text) it packs with
 * zstd over DICT at -l LEVEL instead, framed as zrec's dictionary 2 is
 * (no magic, no content size, no checksum, no dictionary id, and zrec's
 * 3-4 byte header counted): to judge a dictionary before it is one.
 */
#define ZSTD_STATIC_LINKING_ONLY
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <zstd.h>

#include "zrec.h"

struct rec {
	char *p;
	size_t len;
	int msg;
};

static double
cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *
slurp(const char *path, size_t *lenp)
{
	FILE *f = fopen(path, "rb");
	char *p;
	long n;

	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0)
		goto fail;
	rewind(f);
	p = malloc((size_t)n + 1);
	if (fread(p, 1, (size_t)n, f) != (size_t)n)
		goto fail;
	fclose(f);
	*lenp = (size_t)n;
	return p;
fail:
	fprintf(stderr, "zrec-bench: cannot read %s\n", path);
	exit(2);
}

static size_t
hdrlen(size_t len)
{
	size_t h = 2;

	do
		h++;
	while ((len >>= 7) != 0);
	return h;
}

int
main(int argc, char **argv)
{
	const char *dictpath = NULL, *why = "";
	int level = 3, rounds = 5, c, i, r, n;
	struct rec *recs;
	unsigned char **packed;
	size_t *plen, in[2] = {0, 0}, out[2] = {0, 0}, cnt[2] = {0, 0};
	double best_p = 1e9, best_u = 1e9, t;
	struct zrec *z = zrec_new();
	ZSTD_CCtx *cc = ZSTD_createCCtx();
	ZSTD_DCtx *dc = ZSTD_createDCtx();
	ZSTD_CDict *cd = NULL;
	ZSTD_DDict *dd = NULL;

	while ((c = getopt(argc, argv, "d:l:r:")) != -1)
		switch (c) {
		case 'd': dictpath = optarg; break;
		case 'l': level = atoi(optarg); break;
		case 'r': rounds = atoi(optarg); break;
		default:
			fprintf(stderr, "usage: zrec-bench [-d dict] [-l level] "
					"[-r rounds] file...\n");
			return 2;
		}
	n = argc - optind;
	recs = calloc((size_t)n, sizeof *recs);
	packed = calloc((size_t)n, sizeof *packed);
	plen = calloc((size_t)n, sizeof *plen);
	for (i = 0; i < n; i++) {
		recs[i].p = slurp(argv[optind + i], &recs[i].len);
		recs[i].msg = strstr(argv[optind + i], "-m") != NULL;
	}
	if (dictpath != NULL) {
		size_t dl;
		char *d = slurp(dictpath, &dl);

		cd = ZSTD_createCDict(d, dl, level);
		dd = ZSTD_createDDict(d, dl);
		ZSTD_CCtx_setParameter(cc, ZSTD_c_contentSizeFlag, 0);
		ZSTD_CCtx_setParameter(cc, ZSTD_c_checksumFlag, 0);
		ZSTD_CCtx_setParameter(cc, ZSTD_c_dictIDFlag, 0);
		ZSTD_CCtx_setParameter(cc, ZSTD_c_format, ZSTD_f_zstd1_magicless);
		ZSTD_DCtx_setParameter(dc, ZSTD_d_format, ZSTD_f_zstd1_magicless);
		ZSTD_CCtx_refCDict(cc, cd);
		ZSTD_DCtx_refDDict(dc, dd);
	}
	for (r = 0; r < rounds; r++) {
		t = cpu();
		for (i = 0; i < n; i++) {
			free(packed[i]);
			if (cd != NULL) {
				size_t cap = ZSTD_compressBound(recs[i].len);

				packed[i] = malloc(cap);
				plen[i] = ZSTD_compress2(cc, packed[i], cap,
				    recs[i].p, recs[i].len);
				if (ZSTD_isError(plen[i]))
					return 2;
			} else
				packed[i] = zrec_pack(
				    z, recs[i].p, recs[i].len, &plen[i]);
		}
		if ((t = cpu() - t) < best_p)
			best_p = t;
		t = cpu();
		for (i = 0; i < n; i++) {
			char *u;
			size_t m;

			if (cd != NULL) {
				u = malloc(recs[i].len + 1);
				m = ZSTD_decompressDCtx(dc, u, recs[i].len + 1,
				    packed[i], plen[i]);
			} else
				u = zrec_unpack(z, packed[i], plen[i], &m, &why);
			if (u == NULL || m != recs[i].len ||
			    memcmp(u, recs[i].p, m) != 0) {
				fprintf(stderr, "zrec-bench: %s: no round trip "
						"(%s)\n",
				    argv[optind + i], why);
				return 1;
			}
			free(u);
		}
		if ((t = cpu() - t) < best_u)
			best_u = t;
	}
	for (i = 0; i < n; i++) {
		int k = recs[i].msg;

		cnt[k]++;
		in[k] += recs[i].len;
		out[k] += plen[i] + (cd != NULL ? hdrlen(recs[i].len) : 0);
	}
	for (i = 0; i < 2; i++)
		if (cnt[i] > 0)
			printf("%-8s %6zu  %7.1f bytes -> %6.1f (%4.1f%%)\n",
			    i ? "bodies" : "records", cnt[i],
			    (double)in[i] / (double)cnt[i],
			    (double)out[i] / (double)cnt[i],
			    100.0 * (double)out[i] / (double)in[i]);
	printf("all      %6d  %7.1f bytes -> %6.1f; pack %.2f us, unpack %.2f "
	       "us a record\n",
	    n, (double)(in[0] + in[1]) / n, (double)(out[0] + out[1]) / n,
	    best_p * 1e6 / n, best_u * 1e6 / n);
	return 0;
}
