#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>
#include <zstd.h>

#include "zrec.h"

/*
 * Dictionary 1: the field names of an order's record as the stages
 * write them, in their order, with the values that recur (statuses,
 * services, carriers' URLs, time stamp shapes), and the envelope of a
 * message.  Deflate reaches back into it as into text already seen;
 * what is nearest its end costs least, so the order record comes last.
 * Never edit it: rows were written with it (raw deflate, level 2,
 * until dictionary 2), and are read with it still.  Made up, with no
 * customer's data in it.
 */
static const char dict1[] =
    "{\"message_id\":\"@example.com\",\"channel\":\"email\",\"event\":\""
    "order_confirmed\",\"order_id\":\"\",\"source\":\"shopify\",\"local"
    "e\":\"en\",\"created_at\":\"2026-01-01T00:00:00+08:00\",\"to\":\"@"
    "gmail.com\",\"subject\":\"Your order  is confirmed\",\"text\":\"He"
    "llo ,\\n\\nThank you for your order . We will tell you when it shi"
    "ps.\\n\\nExpected delivery: \"}\n"
    "{\"message_id\":\"@example.com\",\"channel\":\"sms\",\"event\":\"d"
    "elivered\",\"text\":\"Your order  was delivered.\",\"channel\":\"o"
    "utbox\",\"event\":\"shipped\",\"order_id\":\"\",\"source\":\"gen\""
    ",\"locale\":\"zh-CN\",\"subject\":\"Order  is on its way\",\"text\""
    ":\"Hello ,\\n\\nYour order  left our warehouse today with SF Expre"
    "ss.\\nTracking number: \\nFollow it here: https://\\nExpected deli"
    "very:  Dec 2026.\\n\\n\"}\n"
    "{\"order_id\":\"\",\"source\":\"shopify\",\"placed_at\":\"2026-01-"
    "01T00:00:00+08:00\",\"currency\":\"CNY\",\"customer\":{\"name\":\""
    "\",\"email\":\"@example.com\",\"phone\":\"+86\",\"locale\":\"zh-CN"
    "\"},\"ship_to\":{\"name\":\"\",\"company\":\"\",\"line1\":\"\",\"l"
    "ine2\":\"\",\"city\":\"\",\"region\":\"\",\"postcode\":\"\",\"coun"
    "try\":\"CN\",\"phone\":\"+86\"},\"lines\":[{\"sku\":\"SKU-\",\"nam"
    "e\":\"Item \",\"qty\":1,\"unit_price\":,\"weight_g\":}],\"shipping"
    "\":{\"price\":},\"discount\":0,\"total\":,\"payment\":{\"method\":"
    "\"prepaid\",\"status\":\"paid\",\"cod_amount\":},\"service\":\"sta"
    "ndard\",\"service\":\"express\",\"notes\":\"\",\"gift_message\":\""
    "\",\"warnings\":[],\"hold\":{\"reason\":\"stock\",\"since\":\"\"},"
    "\"status\":\"accepted\",\"revision\":1,\"promise\":{\"ship_by\":\""
    "2026-01-01T18:30:00+08:00\",\"deliver_by\":\"2026-01-01T23:59:59+0"
    "8:00\",\"at_risk\":false},\"pick\":{\"wave\":\"2026-01-01 18:30\","
    "\"batch\":,\"tote\":,\"route_m\":.0,\"seq\":,\"handling\":[\"fragi"
    "le\"],\"weight_g\":},\"status\":\"picked\",\"shipment\":{\"carrier"
    "\":\"ems\",\"service\":\"standard\",\"tracking\":\"EE100000000CN\""
    ",\"parcels\":[{\"n\":1,\"tracking\":\"EE1000000000CN\",\"weight_g\""
    ":,\"label\":{\"pdf\":\"run-000000-0000.pdf\",\"zpl\":\"run-000000-"
    "0000.zpl\"}}],\"weight_g\":,\"tracking_url\":\"https://www.ems.com"
    ".cn/qps/yjcx?mailNum=EE1000000000CN\"},\"status\":\"labelled\",\"s"
    "hipment\":{\"carrier\":\"sf\",\"service\":\"standard\",\"tracking\""
    ":\"SF000000000\",\"parcels\":[{\"n\":1,\"tracking\":\"SF000000000\""
    ",\"weight_g\":,\"label\":{\"zpl\":\"run-000000-0000.zpl\"}}],\"wei"
    "ght_g\":,\"tracking_url\":\"https://www.sf-express.com/chn/en/dyna"
    "mic_function/waybill/#search/bill-number/SF000000000\"},\"dispatch"
    "\":{\"manifest\":\"SF-2026\",\"dispatched_at\":\"2026-01-01T18:00:"
    "00+08:00\",\"order_to_ship_s\":,\"late\":false,\"expected_delivery"
    "\":\"2026-01-01T23:59:59+08:00\"},\"status\":\"dispatched\",\"deli"
    "very\":{\"at\":\"2026-01-01T00:00:00+08:00\"},\"status\":\"deliver"
    "ed\"}\n";

/*
 * Dictionary 2: zstd's, trained by scripts/train-zrec-dict on records
 * and message bodies of synthetic orders (gen-orders as NDJSON, Shopify
 * and Amazon exports) through the whole pipe; 16 KiB, so that digesting
 * it costs a process little.  The build embeds the file as it is (the
 * assembler's .incbin, from the root of the tree: the Makefile makes
 * zrec.o depend on it).  Never made again: rows are written with it.
 */
__asm__(".pushsection .rodata\n"
	".balign 16\n"
	"zrec_dict2:\n"
	".incbin \"lib/zrec-dict2.zdict\"\n"
	"zrec_dict2_end:\n"
	".popsection\n");
extern const unsigned char zrec_dict2[], zrec_dict2_end[];

/* Which codec reads a dictionary's rows. */
enum { DEFLATE = 1, ZSTD };

static const struct {
	int codec;
} dicts[] = {
    [1] = {DEFLATE},
    [2] = {ZSTD},
};

#define NDICTS (sizeof dicts / sizeof dicts[0])

/*
 * Dictionary 2 digested, once per process: a digested dictionary is
 * read only, so every struct zrec of every thread shares it.  Made on
 * first use, and kept until the process ends.
 */
static pthread_once_t zonce = PTHREAD_ONCE_INIT;
static ZSTD_CDict *cdict;
static ZSTD_DDict *ddict;
/*
 * Level 3 (zstd's default): the pipe's records pack about as small at
 * level 1 and a little smaller at 6 for twice the time; with the
 * dictionary digested a record packs in 2 us (scripts/zrec-bench).
 */
#define ZLEVEL 3
/* zstd's frame magic, little-endian; not stored (the row's header says). */
static const unsigned char zmagic[4] = {0x28, 0xb5, 0x2f, 0xfd};

static void
digest(void)
{
	size_t n = (size_t)(zrec_dict2_end - zrec_dict2);

	/* Copied (by reference is zstd's experimental API): 16 KiB, once. */
	cdict = ZSTD_createCDict(zrec_dict2, n, ZLEVEL);
	ddict = ZSTD_createDDict(zrec_dict2, n);
}

/* No record comes near this: a length beyond it is a corrupt header. */
#define MAXLEN (256u << 20)

struct zrec {
	/* Dictionary 1's rows, read only: no row is written with it now. */
	z_stream i;
	int iinit;
	ZSTD_CCtx *zc;
	ZSTD_DCtx *zd;
	/* A stored frame with its magic put back, to unpack. */
	unsigned char *buf;
	size_t bufcap;
};

struct zrec *
zrec_new(void)
{
	return calloc(1, sizeof(struct zrec));
}

void
zrec_free(struct zrec *z)
{
	if (z == NULL)
		return;
	if (z->iinit)
		inflateEnd(&z->i);
	ZSTD_freeCCtx(z->zc);
	ZSTD_freeDCtx(z->zd);
	free(z->buf);
	free(z);
}

static pthread_key_t zkey;
static pthread_once_t konce = PTHREAD_ONCE_INIT;
static int kmade;

static void
zkey_free(void *z)
{
	zrec_free(z);
}

static void
zkey_make(void)
{
	kmade = pthread_key_create(&zkey, zkey_free) == 0;
}

struct zrec *
zrec_thread(void)
{
	struct zrec *z;

	pthread_once(&konce, zkey_make);
	if (!kmade)
		return NULL;
	if ((z = pthread_getspecific(zkey)) == NULL &&
	    (z = zrec_new()) != NULL && pthread_setspecific(zkey, z) != 0) {
		zrec_free(z);
		z = NULL;
	}
	return z;
}

int
zrec_packed(const void *p, size_t len)
{
	return len > 0 && *(const unsigned char *)p == ZREC_MAGIC;
}

/*
 * A context for dictionary 2, made once a struct zrec: frames without
 * what the row's header already says (no content size, no dictionary
 * id) and without a checksum (SQLite's pages have none either; a
 * corrupt frame mostly fails to decode, and a decoded length that is
 * not the header's is caught).
 */
static int
zstd_cctx(struct zrec *z)
{
	if (z->zc != NULL)
		return 0;
	pthread_once(&zonce, digest);
	if (cdict == NULL || (z->zc = ZSTD_createCCtx()) == NULL)
		return -1;
	if (ZSTD_isError(ZSTD_CCtx_setParameter(
		z->zc, ZSTD_c_contentSizeFlag, 0)) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(z->zc, ZSTD_c_checksumFlag, 0)) ||
	    ZSTD_isError(ZSTD_CCtx_setParameter(z->zc, ZSTD_c_dictIDFlag, 0)) ||
	    ZSTD_isError(ZSTD_CCtx_refCDict(z->zc, cdict))) {
		ZSTD_freeCCtx(z->zc);
		z->zc = NULL;
		return -1;
	}
	return 0;
}

unsigned char *
zrec_pack(struct zrec *z, const char *text, size_t len, size_t *outlen)
{
	unsigned char *out;
	size_t h = 2, cap, n;
	uint64_t v = len;

	if (zstd_cctx(z) != 0)
		return NULL;
	cap = 2 + 10 + ZSTD_compressBound(len);
	if ((out = malloc(cap)) == NULL)
		return NULL;
	out[0] = ZREC_MAGIC;
	out[1] = ZREC_DICT;
	do {
		out[h++] = (unsigned char)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		v >>= 7;
	} while (v != 0);
	/*
	 * ZSTD_compress2 keeps the parameters and the dictionary from call
	 * to call; the frame's magic is cut off after (zstd's stable API
	 * has no magicless frames).
	 */
	n = ZSTD_compress2(z->zc, out + h, cap - h, text, len);
	if (ZSTD_isError(n) || n < sizeof zmagic ||
	    memcmp(out + h, zmagic, sizeof zmagic) != 0) {
		free(out);
		return NULL;
	}
	memmove(out + h, out + h + sizeof zmagic, n - sizeof zmagic);
	*outlen = h + n - sizeof zmagic;
	return out;
}

/*
 * Dictionary 1's stream (raw deflate) at b, len bytes, into out (n
 * bytes and room for one more): 0, or -1 when it is not n bytes.
 */
static int
inflate1(struct zrec *z, const unsigned char *b, size_t len, char *out,
    uint64_t n)
{
	int rc;

	if (!z->iinit) {
		if (inflateInit2(&z->i, -15) != Z_OK)
			return -1;
		z->iinit = 1;
	} else if (inflateReset(&z->i) != Z_OK)
		return -1;
	/* Raw deflate: the dictionary is set before the first byte. */
	if (inflateSetDictionary(&z->i, (const Bytef *)dict1,
		(uInt)(sizeof dict1 - 1)) != Z_OK)
		return -1;
	z->i.next_in = (Bytef *)(uintptr_t)b;
	z->i.avail_in = (uInt)len;
	z->i.next_out = (Bytef *)out;
	/* One byte more than said: a longer stream is caught. */
	z->i.avail_out = (uInt)n + 1;
	rc = inflate(&z->i, Z_FINISH);
	if (rc != Z_STREAM_END || z->i.total_out != n || z->i.avail_in != 0)
		return -1;
	return 0;
}

/* Dictionary 2's frame, without its magic: as inflate1(). */
static int
unzstd(struct zrec *z, const unsigned char *b, size_t len, char *out,
    uint64_t n)
{
	size_t r;

	pthread_once(&zonce, digest);
	if (ddict == NULL)
		return -1;
	if (z->zd == NULL && (z->zd = ZSTD_createDCtx()) == NULL)
		return -1;
	if (z->bufcap < len + sizeof zmagic) {
		free(z->buf);
		z->bufcap = len + sizeof zmagic + 256;
		if ((z->buf = malloc(z->bufcap)) == NULL) {
			z->bufcap = 0;
			return -1;
		}
	}
	memcpy(z->buf, zmagic, sizeof zmagic);
	memcpy(z->buf + sizeof zmagic, b, len);
	/*
	 * Into n + 1 bytes: a frame that gives more fails or gives n + 1;
	 * bytes after the frame are read as a frame of their own, and
	 * fail.
	 */
	r = ZSTD_decompress_usingDDict(z->zd, out, (size_t)n + 1, z->buf,
	    len + sizeof zmagic, ddict);
	if (ZSTD_isError(r) || r != n)
		return -1;
	return 0;
}

char *
zrec_unpack(
    struct zrec *z, const void *p, size_t len, size_t *outlen, const char **why)
{
	const unsigned char *b = p;
	uint64_t n = 0;
	size_t h = 2;
	unsigned shift = 0;
	char *out;
	int rc;

	*why = "out of memory";
	if (!zrec_packed(p, len)) {
		if ((out = malloc(len + 1)) == NULL)
			return NULL;
		if (len > 0)
			memcpy(out, p, len);
		out[len] = '\0';
		*outlen = len;
		return out;
	}
	if (len < 3 || b[1] >= NDICTS || dicts[b[1]].codec == 0) {
		*why = "a packed record of an unknown dictionary";
		return NULL;
	}
	for (;;) {
		if (h >= len || shift > 28) {
			*why = "a packed record with a bad length";
			return NULL;
		}
		n |= (uint64_t)(b[h] & 0x7f) << shift;
		shift += 7;
		if (!(b[h++] & 0x80))
			break;
	}
	if (n > MAXLEN) {
		*why = "a packed record with a bad length";
		return NULL;
	}
	if ((out = malloc((size_t)n + 1)) == NULL)
		return NULL;
	rc = dicts[b[1]].codec == ZSTD ? unzstd(z, b + h, len - h, out, n)
				      : inflate1(z, b + h, len - h, out, n);
	if (rc != 0) {
		free(out);
		*why = "a packed record that does not unpack";
		return NULL;
	}
	out[n] = '\0';
	*outlen = (size_t)n;
	return out;
}

/*
 * Where the first occurrence of v (vlen bytes, not empty) is in s, or
 * -1.  memmem is GNU's; a body is a few hundred bytes.
 */
static long
find(const char *s, size_t len, const char *v, size_t vlen)
{
	size_t i;

	if (vlen == 0 || vlen > len)
		return -1;
	for (i = 0; i + vlen <= len; i++)
		if (s[i] == v[0] && memcmp(s + i, v, vlen) == 0)
			return (long)i;
	return -1;
}

static size_t
put_varint(unsigned char *p, uint64_t v)
{
	size_t h = 0;

	do {
		p[h++] = (unsigned char)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		v >>= 7;
	} while (v != 0);
	return h;
}

char *
zrec_cut(const char *text, size_t len, const char *const *vals, int n,
    size_t *outlen)
{
	unsigned char *out, *p;
	char *rest;
	size_t restlen = len, vlen;
	long at;
	int i, cut = 0;

	if (n <= 0 || n > ZREC_MAXCUT || (rest = malloc(len + 1)) == NULL)
		return NULL;
	memcpy(rest, text, len);
	if ((out = malloc(1 + 10 * (size_t)n + len)) == NULL) {
		free(rest);
		return NULL;
	}
	p = out;
	*p++ = ZREC_CUT;
	for (i = 0; i < n; i++) {
		vlen = vals[i] != NULL ? strlen(vals[i]) : 0;
		at = vals[i] != NULL ? find(rest, restlen, vals[i], vlen) : -1;
		p += put_varint(p, at < 0 ? 0 : (uint64_t)at + 1);
		if (at < 0)
			continue;
		memmove(
		    rest + at, rest + at + vlen, restlen - (size_t)at - vlen);
		restlen -= vlen;
		cut = 1;
	}
	/* A text that starts as a cut one would be misread: cut it anyway. */
	if (!cut && !(len > 0 && (unsigned char)text[0] == ZREC_CUT)) {
		free(rest);
		free(out);
		return NULL;
	}
	memcpy(p, rest, restlen);
	p += restlen;
	free(rest);
	*outlen = (size_t)(p - out);
	return (char *)out;
}

int
zrec_is_cut(const void *p, size_t len)
{
	return len > 0 && *(const unsigned char *)p == ZREC_CUT;
}

char *
zrec_join(const char *cut, size_t len, const char *const *vals, int n,
    size_t *outlen, const char **why)
{
	const unsigned char *b = (const unsigned char *)cut;
	uint64_t pos[ZREC_MAXCUT];
	size_t h = 1, total, vlen[ZREC_MAXCUT], restlen;
	unsigned shift;
	char *out;
	int i;

	*why = "a message body cut short";
	if (n <= 0 || n > ZREC_MAXCUT || !zrec_is_cut(cut, len))
		return NULL;
	for (i = 0; i < n; i++) {
		pos[i] = 0;
		for (shift = 0;; shift += 7) {
			if (h >= len || shift > 28)
				return NULL;
			pos[i] |= (uint64_t)(b[h] & 0x7f) << shift;
			if (!(b[h++] & 0x80))
				break;
		}
		vlen[i] = pos[i] != 0 && vals[i] != NULL ? strlen(vals[i]) : 0;
		if (pos[i] != 0 && vals[i] == NULL)
			return NULL;
	}
	restlen = len - h;
	total = restlen;
	for (i = 0; i < n; i++)
		total += vlen[i];
	*why = "out of memory";
	if ((out = malloc(total + 1)) == NULL)
		return NULL;
	memcpy(out, cut + h, restlen);
	/* Put back in the reverse order they were taken out. */
	for (i = n - 1; i >= 0; i--) {
		if (pos[i] == 0)
			continue;
		if (pos[i] - 1 > restlen) {
			free(out);
			*why = "a message body cut short";
			return NULL;
		}
		memmove(out + pos[i] - 1 + vlen[i], out + pos[i] - 1,
		    restlen - (pos[i] - 1));
		memcpy(out + pos[i] - 1, vals[i], vlen[i]);
		restlen += vlen[i];
	}
	out[restlen] = '\0';
	*outlen = restlen;
	return out;
}
