#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <zint.h>

#include "catalog.h"
#include "config.h"
#include "draw.h"
#include "err.h"
#include "fonts.h"
#include "marks.h"
#include "ndjson.h"
#include "slip.h"
#include "when.h"

struct slip_pdf {
	FILE *fp;
	cairo_surface_t *sf;
	const struct config *cfg;
	double w, h;
	double sc; /* text and gaps: 1 on the small sizes, more on A4 */
	int orders;
};

/* One slip as it flows down its pages. */
struct flow {
	struct draw d;
	struct slip_pdf *s;
	const char *ref; /* "web P-1", clean: for the pages it runs on to */
	double m;        /* margin */
	double bw;       /* body width */
	double bottom;   /* where the body stops */
	double pt;       /* body text size */
};

/* The handling words, bilingual as the pictograms' (HANDLE_* order). */
static const char *const mark_words[HANDLE_N] = {"易碎 FRAGILE",
    "向上 THIS WAY UP", "不能承压 DO NOT STACK", "怕湿 KEEP DRY"};

enum slip_size
slip_size_parse(const char *s)
{
	if (strcmp(s, "a6") == 0 || strcmp(s, "A6") == 0)
		return SLIP_A6;
	if (strcmp(s, "4x6") == 0)
		return SLIP_4X6;
	if (strcmp(s, "a4") == 0 || strcmp(s, "A4") == 0)
		return SLIP_A4;
	return SLIP_NONE;
}

/*
 * Bytes a scanner keyboard types back as they are: printable ASCII but
 * the space (scanners and people trim it), '%' (the escape) and ':'
 * (the separator).  The rest is %XX, so that the code says one key.
 */
static int
plain(unsigned char c)
{
	return c > ' ' && c < 0x7f && c != '%' && c != ':';
}

/* s onto buf at *at; -1 if it does not fit in len with its NUL. */
static int
encode(const char *s, char *buf, size_t len, size_t *at)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (plain(*p) && *at + 1 < len)
			buf[(*at)++] = (char)*p;
		else if (!plain(*p) && *at + 3 < len) {
			buf[(*at)++] = '%';
			buf[(*at)++] = hex[*p >> 4];
			buf[(*at)++] = hex[*p & 15];
		} else {
			buf[*at] = '\0';
			return -1;
		}
	}
	buf[*at] = '\0';
	return 0;
}

int
slip_code_make(const char *source, const char *id, char *buf, size_t len)
{
	size_t at = 0;

	/* Cut short, it would name another order: the caller says so. */
	if (len < 2 || encode(source, buf, len - 1, &at) == -1)
		return -1;
	buf[at++] = ':';
	return encode(id, buf, len, &at);
}

void
slip_code(json_t *j, char *buf, size_t len)
{
	const char *src = ndjson_str(j, "source"),
		   *id = ndjson_str(j, "order_id");

	if (slip_code_make(src ? src : "", id ? id : "", buf, len) == -1)
		err_exit(EXIT_TROUBLE,
		    "order %s: its key is too long for the order barcode",
		    id ? id : "(none)");
}

static int
unhex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* One half of a code, from s for n bytes, decoded; NULL if malformed. */
static char *
decode(const char *s, size_t n)
{
	char *out = xmalloc(n + 1), *o = out;
	size_t i;
	int hi, lo;

	for (i = 0; i < n; i++) {
		if (s[i] != '%') {
			if (!plain((unsigned char)s[i]))
				break;
			*o++ = s[i];
		} else if (i + 2 < n && (hi = unhex(s[i + 1])) >= 0 &&
			   (lo = unhex(s[i + 2])) >= 0 && (hi || lo)) {
			*o++ = (char)(hi << 4 | lo);
			i += 2;
		} else
			break;
	}
	*o = '\0';
	if (i < n || o == out) {
		free(out);
		return NULL;
	}
	return out;
}

int
slip_code_parse(const char *code, char **source, char **id)
{
	const char *colon = strchr(code, ':');

	*source = *id = NULL;
	if (colon == NULL || strchr(colon + 1, ':') != NULL)
		return -1;
	if ((*source = decode(code, (size_t)(colon - code))) == NULL ||
	    (*id = decode(colon + 1, strlen(colon + 1))) == NULL) {
		free(*source);
		*source = NULL;
		return -1;
	}
	return 0;
}

struct slip_pdf *
slip_pdf_open(FILE *fp, enum slip_size size, const struct config *cfg)
{
	struct slip_pdf *s = xcalloc(1, sizeof *s);
	struct when now = when_in_zone(when_now().t, cfg->tz);
	char date[WHEN_BUFSZ], created[32];

	switch (size) {
	case SLIP_A4:
		s->w = DRAW_PAGE_W;
		s->h = DRAW_PAGE_H;
		s->sc = 1.25;
		break;
	case SLIP_4X6:
		s->w = 288;
		s->h = 432;
		s->sc = 1;
		break;
	default:
		s->w = 297.638;
		s->h = 419.528;
		s->sc = 1;
		break;
	}
	/* The same slips on the same day make the same bytes. */
	when_format(&now, date);
	snprintf(created, sizeof created, "%.10sT00:00:00", date);
	fonts_begin();
	s->fp = fp;
	s->cfg = cfg;
	s->sf = draw_pdf_surface(fp, s->w, s->h, "packing slips", created);
	return s;
}

void
slip_pdf_close(struct slip_pdf *s)
{
	draw_pdf_finish(s->sf, s->fp, "packing slips");
	free(s);
}

/* Room for h more down the page, else the next page of the slip. */
static void
room(struct flow *f, double h)
{
	cairo_t *cr = f->d.cr;
	char *s;

	if (f->d.y + h <= f->bottom)
		return;
	draw_font(&f->d, 0, f->pt * 0.85);
	draw_grey(&f->d, 0.35);
	s = fonts_fmt("%s continues on the next page", f->ref);
	draw_show(&f->d, f->s->w - f->m, f->s->h - f->m / 2, s, DRAW_RIGHT);
	free(s);
	cairo_show_page(cr);
	f->d.page++;
	f->d.y = f->m;
	draw_font(&f->d, 1, f->pt);
	draw_grey(&f->d, 0);
	s = fonts_fmt("PACKING SLIP %s (continued)", f->ref);
	draw_show(&f->d, f->m, f->d.y + f->pt, s, DRAW_LEFT);
	free(s);
	f->d.y += f->pt * 2;
}

/* Wrapped text in the body from x, w wide; moves down past it. */
static void
para(struct flow *f, const char *raw, double x, double w, int bold, double pt)
{
	char *s = fonts_clean(raw);
	size_t end, next;
	const char *p = s;
	char *line;

	draw_font(&f->d, bold, pt);
	while (*p == ' ')
		p++;
	do {
		end = fonts_break(p, w, fonts_cairo_width, f->d.cr, &next);
		room(f, pt * 1.3);
		draw_font(&f->d, bold, pt);
		line = xstrndup(p, end);
		draw_show(&f->d, x, f->d.y + pt, line, DRAW_LEFT);
		free(line);
		f->d.y += pt * 1.3;
		p += next;
	} while (*p != '\0');
	free(s);
}

/* A heading with a rule under it. */
static void
heading(struct flow *f, const char *s)
{
	room(f, f->pt * 4);
	f->d.y += f->pt * 0.6;
	draw_grey(&f->d, 0);
	para(f, s, f->m, f->bw, 1, f->pt * 1.1);
	cairo_set_line_width(f->d.cr, 0.5);
	cairo_move_to(f->d.cr, f->m, f->d.y);
	cairo_line_to(f->d.cr, f->m + f->bw, f->d.y);
	cairo_stroke(f->d.cr);
	f->d.y += f->pt * 0.4;
}

/*
 * The order barcode, centred, as wide as the body allows up to a module
 * a point wide (a third of a millimetre, which any scanner reads).
 */
static void
barcode(struct flow *f, json_t *j)
{
	char code[256], *clean;
	struct zint_symbol *zs;
	double module, h = 34 * f->s->sc, x;

	slip_code(j, code, sizeof code);
	zs = draw_code128(code, 0, "the order barcode");
	module = fmin(1.0 * f->s->sc, (f->bw - 20) / zs->width);
	x = f->m + (f->bw - module * zs->width) / 2;
	room(f, h + f->pt * 2);
	draw_bars(f->d.cr, zs, x, f->d.y, module, h);
	f->d.y += h;
	clean = fonts_clean(code);
	draw_font(&f->d, 0, f->pt * 0.9);
	draw_show(
	    &f->d, f->m + f->bw / 2, f->d.y + f->pt * 1.1, clean, DRAW_CENTRE);
	free(clean);
	f->d.y += f->pt * 1.6;
	ZBarcode_Delete(zs);
}

/* One address, a line each part. */
static void
address(struct flow *f, json_t *a, double x, double w)
{
	const char *k[] = {"name", "company", "line1", "line2"};
	const char *city = ndjson_str(a, "city"),
		   *region = ndjson_str(a, "region"),
		   *post = ndjson_str(a, "postcode"),
		   *country = ndjson_str(a, "country");
	char *s;
	size_t i;

	for (i = 0; i < sizeof k / sizeof k[0]; i++)
		if (ndjson_str(a, k[i]) != NULL && *ndjson_str(a, k[i]))
			para(f, ndjson_str(a, k[i]), x, w, i == 0, f->pt);
	s = fonts_fmt("%s%s%s%s%s", post ? post : "", post ? " " : "",
	    city ? city : "",
	    region && (!city || strcmp(region, city)) ? " " : "",
	    region && (!city || strcmp(region, city)) ? region : "");
	if (*s)
		para(f, s, x, w, 0, f->pt);
	free(s);
	if (country != NULL)
		para(f, country, x, w, 0, f->pt);
}

/*
 * The handling marks of the order (pick.handling): the ISO 780
 * pictograms (lib/marks), then their words, bilingual.
 */
static void
marks(struct flow *f, unsigned handling)
{
	char buf[256] = "";
	int i;

	if (handling == 0)
		return;
	heading(f, "Handle with care 小心轻放");
	room(f, 40 * f->s->sc);
	draw_marks(f->d.cr, handling, f->m, f->d.y, 36 * f->s->sc);
	f->d.y += 40 * f->s->sc;
	for (i = 0; i < HANDLE_N; i++)
		if (handling & (1u << i)) {
			strcat(buf, *buf ? "  ·  " : "");
			strcat(buf, mark_words[i]);
		}
	para(f, buf, f->m, f->bw, 1, f->pt);
}

/* Each line of the order: a tick box, the quantity, the item, its SKU. */
static void
items(struct flow *f, json_t *lines)
{
	double box = f->pt * 1.1, qx = f->m + box + 6 * f->s->sc,
	       nx = qx + f->pt * 3.2;
	json_int_t units = 0;
	const char *name, *sku;
	json_t *l;
	size_t i;
	char *s;

	json_array_foreach(lines, i, l) units +=
	    json_integer_value(json_object_get(l, "qty"));
	s = fonts_fmt(
	    "Contents: %lld item%s", (long long)units, units == 1 ? "" : "s");
	heading(f, s);
	free(s);
	json_array_foreach(lines, i, l)
	{
		sku = ndjson_str(l, "sku");
		name = ndjson_str(l, "name");
		room(f, f->pt * 2.8);
		draw_grey(&f->d, 0);
		cairo_set_line_width(f->d.cr, 0.8);
		cairo_rectangle(f->d.cr, f->m, f->d.y + 1, box, box);
		cairo_stroke(f->d.cr);
		draw_font(&f->d, 1, f->pt);
		s = fonts_fmt("%lld ×",
		    (long long)json_integer_value(json_object_get(l, "qty")));
		draw_show(
		    &f->d, nx - f->pt * 0.6, f->d.y + f->pt, s, DRAW_RIGHT);
		free(s);
		para(f,
		    name  ? name
		    : sku ? sku
			  : "?",
		    nx, f->m + f->bw - nx, 0, f->pt);
		draw_grey(&f->d, 0.3);
		s = fonts_fmt("SKU %s", sku ? sku : "?");
		para(f, s, nx, f->m + f->bw - nx, 0, f->pt * 0.8);
		free(s);
		draw_grey(&f->d, 0);
		if (json_is_true(json_object_get(l, "gift")))
			para(f, "GIFT 礼品 - a present: no prices inside", nx,
			    f->m + f->bw - nx, 1, f->pt);
		f->d.y += f->pt * 0.4;
	}
}

/* How to send goods back, to the warehouse's return address. */
static void
returns(struct flow *f)
{
	json_t *addr = f->s->cfg->return_address;
	int days = f->s->cfg->followup.return_window_days;
	char *s;

	heading(f, "Returns 退货");
	if (days > 0)
		s = fonts_fmt("To return an item within %d days of delivery, "
			      "pack it with this slip, write order %s on the "
			      "parcel and send it to:",
		    days, f->ref);
	else
		s = fonts_fmt("To return an item, pack it with this slip, "
			      "write order %s on the parcel and send it to:",
		    f->ref);
	if (addr == NULL) {
		free(s);
		s = fonts_fmt("To return an item, contact us quoting order %s "
			      "and keep this slip.",
		    f->ref);
	}
	para(f, s, f->m, f->bw, 0, f->pt * 0.9);
	free(s);
	if (addr != NULL) {
		f->d.y += f->pt * 0.3;
		address(f, addr, f->m + f->pt, f->bw - f->pt);
	}
}

void
slip_pdf_add(struct slip_pdf *s, json_t *j)
{
	json_t *prefs = json_object_get(j, "preferences"), *ship;
	const char *src = ndjson_str(j, "source"),
		   *id = ndjson_str(j, "order_id"),
		   *placed = ndjson_str(j, "placed_at"),
		   *note = ndjson_str(prefs, "note");
	struct flow f;
	char *ref, *t;

	memset(&f, 0, sizeof f);
	f.s = s;
	f.d.cr = cairo_create(s->sf);
	f.d.draw = 1;
	f.d.page = 1;
	f.m = s->sc > 1 ? DRAW_MARGIN : 16;
	f.bw = s->w - 2 * f.m;
	f.bottom = s->h - f.m;
	f.pt = 8 * s->sc;
	f.d.y = f.m;
	ref = fonts_fmt("%s %s", src ? src : "", id ? id : "");
	t = fonts_clean(ref);
	free(ref);
	f.ref = ref = t;

	/* The head: what this is and whose, then the barcode. */
	draw_grey(&f.d, 0);
	draw_font(&f.d, 1, f.pt * 1.6);
	draw_show(
	    &f.d, f.m, f.d.y + f.pt * 1.6, "PACKING SLIP 装箱单", DRAW_LEFT);
	f.d.y += f.pt * 2.2;
	t = fonts_fmt("Order %s%s%.10s", ref, placed ? ", placed " : "",
	    placed ? placed : "");
	para(&f, t, f.m, f.bw, 1, f.pt);
	free(t);
	f.d.y += f.pt * 0.5;
	barcode(&f, j);

	ship = json_object_get(j, "ship_to");
	if (json_is_object(ship)) {
		heading(&f, "Ship to 收件人");
		address(&f, ship, f.m, f.bw);
	}
	items(&f, json_object_get(j, "lines"));
	marks(&f, handling_bits(
		      json_object_get(json_object_get(j, "pick"), "handling")));
	if (note != NULL && *note != '\0') {
		heading(&f, "Customer's note 客户留言");
		para(&f, note, f.m, f.bw, 0, f.pt);
	}
	returns(&f);

	cairo_show_page(f.d.cr);
	fonts_check(cairo_status(f.d.cr), s->fp, "a packing slip");
	cairo_destroy(f.d.cr);
	free(ref);
	s->orders++;
}
