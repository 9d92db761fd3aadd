#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "zrec.h"

/*
 * Dictionary 1: the field names of an order's record as the stages
 * write them, in their order, with the values that recur (statuses,
 * services, carriers' URLs, time stamp shapes), and the envelope of a
 * message.  Deflate reaches back into it as into text already seen;
 * what is nearest its end costs least, so the order record comes last.
 * Never edit it: rows are written with it.  Made up, with no customer's
 * data in it.
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

static const struct {
	const unsigned char *p;
	size_t len;
} dicts[] = {
    [ZREC_DICT] = {(const unsigned char *)dict1, sizeof dict1 - 1},
};

#define NDICTS (sizeof dicts / sizeof dicts[0])
/*
 * Level 2: the pipe's dispatched records (1,342 bytes on average) pack
 * to 356 bytes, to 374 at level 1 for as many instructions (callgrind),
 * to about 320 at level 6, which costs more than ingest-orders can
 * spare (a record packed is some 15 us of its 25 us an order).
 */
#define LEVEL 2
/*
 * memLevel 4: deflateReset() clears the hash table, 64 KiB at zlib's
 * default of 8, which was a quarter of the time of packing a record; at
 * 4 it is 4 KiB and records pack as small (callgrind: 23% fewer
 * instructions).
 */
#define MEMLEVEL 4
/* No record comes near this: a length beyond it is a corrupt header. */
#define MAXLEN (256u << 20)

struct zrec {
	z_stream d, i;
	int dinit, iinit;
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
	if (z->dinit)
		deflateEnd(&z->d);
	if (z->iinit)
		inflateEnd(&z->i);
	free(z);
}

int
zrec_packed(const void *p, size_t len)
{
	return len > 0 && *(const unsigned char *)p == ZREC_MAGIC;
}

unsigned char *
zrec_pack(struct zrec *z, const char *text, size_t len, size_t *outlen)
{
	unsigned char *out;
	size_t h = 2, cap;
	uint64_t v = len;

	if (!z->dinit) {
		if (deflateInit2(&z->d, LEVEL, Z_DEFLATED, -15, MEMLEVEL,
			Z_DEFAULT_STRATEGY) != Z_OK)
			return NULL;
		z->dinit = 1;
	} else if (deflateReset(&z->d) != Z_OK)
		return NULL;
	if (deflateSetDictionary(
		&z->d, dicts[ZREC_DICT].p, (uInt)dicts[ZREC_DICT].len) != Z_OK)
		return NULL;
	cap = 2 + 10 + deflateBound(&z->d, (uLong)len);
	if ((out = malloc(cap)) == NULL)
		return NULL;
	out[0] = ZREC_MAGIC;
	out[1] = ZREC_DICT;
	do {
		out[h++] = (unsigned char)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		v >>= 7;
	} while (v != 0);
	z->d.next_in = (Bytef *)(uintptr_t)text;
	z->d.avail_in = (uInt)len;
	z->d.next_out = out + h;
	z->d.avail_out = (uInt)(cap - h);
	if (deflate(&z->d, Z_FINISH) != Z_STREAM_END) {
		free(out);
		return NULL;
	}
	*outlen = cap - z->d.avail_out;
	return out;
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
	if (len < 3 || b[1] >= NDICTS || dicts[b[1]].p == NULL) {
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
	*why = "zlib's inflate failed";
	if (!z->iinit) {
		if (inflateInit2(&z->i, -15) != Z_OK)
			return NULL;
		z->iinit = 1;
	} else if (inflateReset(&z->i) != Z_OK)
		return NULL;
	/* Raw deflate: the dictionary is set before the first byte. */
	if (inflateSetDictionary(&z->i, dicts[b[1]].p, (uInt)dicts[b[1]].len) !=
	    Z_OK)
		return NULL;
	*why = "out of memory";
	if ((out = malloc((size_t)n + 1)) == NULL)
		return NULL;
	z->i.next_in = (Bytef *)(uintptr_t)(b + h);
	z->i.avail_in = (uInt)(len - h);
	z->i.next_out = (Bytef *)out;
	/* One byte more than said: a longer stream is caught. */
	z->i.avail_out = (uInt)n + 1;
	rc = inflate(&z->i, Z_FINISH);
	if (rc != Z_STREAM_END || z->i.total_out != n || z->i.avail_in != 0) {
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
