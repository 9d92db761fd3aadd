/*
 * render: shipping labels built by hand, read back by programs we did
 * not write: zbarimg (zbar-tools) reads the barcodes off the PNG images,
 * off the PDF pages rasterised by pdftoppm (poppler-utils), and off the
 * ZPL drawn by tests/zpl-render.js (zpl-renderer-js, a build of the
 * zebrash renderer); pdfinfo and pdftotext read the PDF.  A case whose
 * reader is not installed is skipped.  The files are made in a temporary
 * directory, the working directory while the test runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cairo.h>

#include "catalog.h"
#include "err.h"
#include "render.h"
#include "tap.h"
#include "tools.h"

#define NAME_ZH "\xe5\xbc\xa0\xe4\xbc\x9f" /* 张伟 */
/* 海淀区中关村大街27号 */
#define LINE1_ZH                                                               \
	"\xe6\xb5\xb7\xe6\xb7\x80\xe5\x8c\xba\xe4\xb8\xad\xe5\x85\xb3\xe6"     \
	"\x9d\x91\xe5\xa4\xa7\xe8\xa1\x97"                                     \
	"27\xe5\x8f\xb7"
#define CITY_ZH "\xe5\x8c\x97\xe4\xba\xac\xe5\xb8\x82" /* 北京市 */
#define ELLIPSIS "\xe2\x80\xa6"
#define FFFD "\xef\xbf\xbd"
#define END_MARK "ENDOFTHELONGLINE"

enum { S10, SSCC, CHINESE, LONG, NLABELS };

static const char *const want[NLABELS] = {"EE123456785CN",
    "00106141411234567897", "773012345678", "1Z999AA10123456784"};

static char root[4096];
static char longline[400];

static const struct label_addr from = {"Hangzhou Tea Co.", "88 Wenyi Road",
    NULL, "Hangzhou", "Zhejiang", "310012", "CN", NULL, NULL, NULL};

static void
labels(struct label *l)
{
	int i;

	for (i = 0; i < NLABELS; i++) {
		l[i] = (struct label){.carrier = "Post",
		    .service = "standard",
		    .from = from,
		    .order_ref = "shopify 1001",
		    .parcel = 1,
		    .parcels = 1,
		    .weight_g = 1250,
		    .date = "2026-11-24"};
		l[i].to = (struct label_addr){"Jane Doe", "12 High Street",
		    NULL, "London", NULL, "SW1A 1AA", "GB", "+44 20 ****4567", NULL, NULL};
	}
	l[S10].tracking = "EE123456785CN";

	l[SSCC].tracking = "106141411234567897";
	l[SSCC].gs1 = 1;
	l[SSCC].carrier = "DHL Freight";
	l[SSCC].parcel = 2;
	l[SSCC].parcels = 3;

	l[CHINESE].tracking = "773012345678";
	l[CHINESE].carrier = "SF Express";
	l[CHINESE].service = "express";
	l[CHINESE].to = (struct label_addr){NAME_ZH, LINE1_ZH,
	    "\xe5\xa4\xa7\xe5\x8e\xa6 B 1203", CITY_ZH, NULL, "100080", "CN",
	    "138****5678", NULL, NULL};
	l[CHINESE].cod = "CNY 786.00";
	l[CHINESE].handling =
	    HANDLE_FRAGILE | HANDLE_UPRIGHT | HANDLE_NOSTACK | HANDLE_KEEPDRY;
	l[CHINESE].window = "2026-11-24 09:00-12:00";

	/* 300 characters, a caret among them, and bytes that are not UTF-8. */
	for (i = 0; i < 300; i++)
		longline[i] = "Flat 3^2, Long Building Name Road "[i % 34];
	memcpy(longline + 300 - strlen(END_MARK), END_MARK, strlen(END_MARK));
	longline[300] = '\0';
	l[LONG].tracking = "1Z999AA10123456784";
	l[LONG].to.line1 = longline;
	l[LONG].to.name = "Bad \xff\xfe name \xed\xa0\x80";
	l[LONG].carrier = "a carrier whose name is far too long for the top";
}

/* zbarimg reads exactly want in the image at p. */
static void
reads(const char *p, const char *expect, const char *what)
{
	char *got = zbarimg(p);

	if (!ok(got != NULL && strcmp(got, expect) == 0, "%s: zbarimg reads %s",
		what, expect))
		printf("#   got '%s'\n", got != NULL ? got : "nothing");
	free(got);
}

/* 1 if zbarimg says the barcode in p starts with FNC1: GS1. */
static int
zbar_gs1(const char *p)
{
	char *argv[] = {"zbarimg", "--xml", "-q", (char *)p, NULL};
	char *xml = output(argv);
	int gs1 = xml != NULL && strstr(xml, "modifiers='GS1'") != NULL;

	free(xml);
	return gs1;
}

/*
 * 1 if nothing is drawn within m pixels of the image's edges: the
 * label's frame is further in, and nothing may cross it.
 */
static int
edges_white(const char *p, int m)
{
	cairo_surface_t *s = cairo_image_surface_create_from_png(p);
	unsigned char *d;
	int w, h, x, y, st, white = 1;
	uint32_t px;

	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(s);
		return 0;
	}
	cairo_surface_flush(s);
	d = cairo_image_surface_get_data(s);
	w = cairo_image_surface_get_width(s);
	h = cairo_image_surface_get_height(s);
	st = cairo_image_surface_get_stride(s);
	for (y = 0; y < h; y++)
		for (x = 0; x < w; x++) {
			if (x >= m && x < w - m && y >= m && y < h - m)
				continue;
			memcpy(&px, d + y * st + x * 4, 4);
			if ((px & 0xff) < 128 || (px >> 8 & 0xff) < 128 ||
			    (px >> 16 & 0xff) < 128)
				white = 0;
		}
	cairo_surface_destroy(s);
	return white;
}

/* The ZPL of l in *z, *len bytes; caller frees. */
static void
zpl(const struct label *l, enum label_size size, const char *font, char **z,
    size_t *len)
{
	FILE *fp = memfile(z, len);

	render_zpl(fp, l, size, font);
	shut(fp, "open_memstream");
}

static void
zpl_text(const struct label *l)
{
	char *z, *body;
	size_t len;

	zpl(&l[LONG], LABEL_4X6, "0", &z, &len);
	ok(strncmp(z, "^XA", 3) == 0, "ZPL starts with ^XA");
	ok(len > 4 && strcmp(z + len - 4, "^XZ\n") == 0,
	    "and ends with ^XZ (and a newline)");
	ok(count(z, "^XA") == 1 && count(z, "^XZ") == 1,
	    "one label, one format");
	ok(strstr(z, "^CI28") != NULL, "UTF-8: ^CI28");
	ok(strstr(z, "^PW812") != NULL && strstr(z, "^LL1218") != NULL,
	    "4x6 in: 812 x 1218 dots");
	ok(strstr(z, "Flat 3\\5E2") != NULL && strstr(z, "Flat 3^2") == NULL,
	    "a caret in the address is escaped (^FH \\5E)");
	ok(count(z, "^FD") ==
		count(z, "^FS") - count(z, "^GB") - count(z, "^GF"),
	    "every field ends where it should");
	ok(strstr(z, ELLIPSIS) != NULL && strstr(z, END_MARK) == NULL,
	    "the 300-character line is cut, with an ellipsis");
	ok(strstr(z, FFFD " name") != NULL, "bytes not UTF-8 as U+FFFD");
	ok(strstr(z, "^A0N,") != NULL && strstr(z, "^A@") == NULL,
	    "printer font 0: ^A0");
	body = strstr(z, "^BC");
	ok(body != NULL && strstr(body, "^FH\\^FD>:1Z999AA10123456784^FS"),
	    "Code 128, subset B");
	ok(strstr(z, "^GF") == NULL, "no handling: no graphic");
	free(z);

	zpl(&l[CHINESE], LABEL_4X6, "0", &z, &len);
	ok((body = strstr(z, "^GFA,")) != NULL && count(z, "^GF") == 1,
	    "the handling marks: one ^GFA graphic");
	ok(strstr(z, "FRAGILE") == NULL && strstr(z, "THIS SIDE UP") == NULL,
	    "and no text boxes for them");
	ok(count(z, "^FD") ==
		count(z, "^FS") - count(z, "^GB") - count(z, "^GF"),
	    "every field ends where it should");
	free(z);

	zpl(&l[SSCC], LABEL_100X150, "E:SIMSUN.TTF", &z, &len);
	ok(strstr(z, "^PW799") != NULL && strstr(z, "^LL1199") != NULL,
	    "100 x 150 mm: 799 x 1199 dots");
	ok(strstr(z, "^A@N,") != NULL && strstr(z, ",E:SIMSUN.TTF^") != NULL,
	    "a font file on the printer: ^A@");
	ok(strstr(z, "^FD>;>800106141411234567897^FS") != NULL,
	    "SSCC: subset C, FNC1, AI 00");
	ok(strstr(z, "(00)106141411234567897") != NULL,
	    "and the number under it, with its AI");
	free(z);
}

/* Which fields were cut, named; a long carrier name set smaller, not cut. */
static void
cut_fields(const struct label *l)
{
	struct label ems = l[S10];
	char buf[256], *z;
	size_t len;
	FILE *fp;
	unsigned cut;

	fp = memfile(&z, &len);
	cut = render_zpl(fp, &l[LONG], LABEL_4X6, "0");
	shut(fp, "open_memstream");
	free(z);
	ok(cut == (RENDER_CARRIER | RENDER_SHIP_TO),
	    "ZPL: the carrier's name and the ship-to cut (%#x)", cut);
	ok(strcmp(render_cut_names(cut, buf, sizeof buf),
	       "the carrier's name, the ship-to address") == 0,
	    "named: %s", buf);
	ems.carrier = "China Post EMS International";
	ems.handling = HANDLE_FRAGILE;
	fp = memfile(&z, &len);
	cut = render_zpl(fp, &ems, LABEL_4X6, "0");
	shut(fp, "open_memstream");
	free(z);
	ok(cut == 0, "ZPL: \"China Post EMS International\" is not cut");
	fp = memfile(&z, &len);
	cut = render_png(fp, &ems, LABEL_4X6);
	shut(fp, "open_memstream");
	free(z);
	ok(cut == 0, "PNG: nor there");
}

/* The labels as PNGs, ZPL and one PDF, under dir. */
static void
write_all(const struct label *l)
{
	char name[32], *p;
	struct render_pdf *r;
	FILE *fp;
	int i;

	p = "all.pdf";
	fp = create(p);
	r = render_pdf_open(fp, LABEL_4X6);
	for (i = 0; i < NLABELS; i++)
		render_pdf_add(r, &l[i]);
	render_pdf_close(r);
	shut(fp, p);
	p = "mm.pdf";
	fp = create(p);
	r = render_pdf_open(fp, LABEL_100X150);
	render_pdf_add(r, &l[SSCC]);
	render_pdf_close(r);
	shut(fp, p);
	for (i = 0; i < NLABELS; i++) {
		snprintf(name, sizeof name, "l%d.png", i);
		p = name;
		fp = create(p);
		render_png(fp, &l[i], i == SSCC ? LABEL_100X150 : LABEL_4X6);
		shut(fp, p);
		snprintf(name, sizeof name, "l%d.zpl", i);
		p = name;
		fp = create(p);
		render_zpl(fp, &l[i], i == SSCC ? LABEL_100X150 : LABEL_4X6,
		    i == CHINESE ? "E:SIMSUN.TTF" : "0");
		shut(fp, p);
	}
}

static void
png(const struct label *l)
{
	char name[32], *got;
	size_t len;
	int i;

	for (i = 0; i < NLABELS; i++) {
		snprintf(name, sizeof name, "l%d.png", i);
		got = slurp(name, &len);
		ok(got != NULL && len > 8 && memcmp(got, "\x89PNG", 4) == 0,
		    "PNG %s: an image", want[i]);
		free(got);
		ok(edges_white(name, 8), "PNG %s: nothing over the edge",
		    want[i]);
	}
	if (!have("zbarimg")) {
		skip(NLABELS + 2, "no zbarimg (zbar-tools)");
		return;
	}
	for (i = 0; i < NLABELS; i++) {
		snprintf(name, sizeof name, "l%d.png", i);
		reads(name, want[i], "PNG");
	}
	ok(zbar_gs1("l1.png"), "PNG: the SSCC is GS1-128 (FNC1)");
	ok(!zbar_gs1("l0.png"), "PNG: the S10 is not");
}

static void
pdf(const struct label *l)
{
	char *info[] = {"pdfinfo", "all.pdf", NULL};
	char *mm[] = {"pdfinfo", "mm.pdf", NULL};
	char *got, *t;
	int i;

	if ((got = output(info)) == NULL) {
		skip(3, "no pdfinfo (poppler-utils)");
	} else {
		ok(strstr(got, "Pages:           4\n") != NULL,
		    "PDF: a page per label");
		ok(strstr(got, "Page size:       288 x 432 pts") != NULL,
		    "PDF: 4 x 6 in pages");
		free(got);
		got = output(mm);
		ok(got != NULL &&
			strstr(got, "Page size:       283.465 x 425.197 pts"),
		    "PDF: 100 x 150 mm pages");
		free(got);
	}

	if ((t = pdftotext("all.pdf")) == NULL) {
		skip(9, "no pdftotext (poppler-utils)");
	} else {
		ok(strstr(t, NAME_ZH) != NULL && strstr(t, LINE1_ZH) != NULL,
		    "PDF: the Chinese name and address");
		ok(strstr(t, "COD") != NULL && strstr(t, "CNY 786.00") != NULL,
		    "PDF: COD and the amount");
		ok(strstr(t, "FRAGILE") != NULL &&
			strstr(t, "THIS WAY UP") != NULL &&
			strstr(t, "DO NOT STACK") != NULL &&
			strstr(t, "KEEP DRY") != NULL,
		    "PDF: the four handling marks");
		ok(strstr(t, "\xe6\x98\x93\xe7\xa2\x8e") != NULL &&
			strstr(t, "\xe4\xb8\x8d\xe8\x83\xbd\xe6\x89\xbf"
				  "\xe5\x8e\x8b") != NULL,
		    "PDF: and their Chinese words (易碎, 不能承压)");
		ok(strstr(t, "Deliver 2026-11-24 09:00-12:00") != NULL,
		    "PDF: the delivery window");
		ok(strstr(t, ELLIPSIS) != NULL && strstr(t, END_MARK) == NULL,
		    "PDF: the 300-character line cut with an ellipsis");
		ok(strstr(t, "Flat 3^2, Long") != NULL,
		    "PDF: after wrapping onto lines of its own");
		ok(strstr(t, "Bad " FFFD FFFD " name") != NULL,
		    "PDF: bytes not UTF-8 as U+FFFD");
		ok(strstr(t, "(00)106141411234567897") != NULL &&
			strstr(t, "2/3") != NULL && strstr(t, "1.25 kg"),
		    "PDF: the SSCC's number, parcel n/m, weight");
		free(t);
	}

	if (!have("zbarimg")) {
		skip(NLABELS + 1, "no zbarimg (zbar-tools)");
		return;
	}
	for (i = 0; i < NLABELS; i++) {
		if (!pdftoppm("all.pdf", i + 1, 300)) {
			skip(i == SSCC ? 2 : 1, "no pdftoppm (poppler-utils)");
			continue;
		}
		reads("page.png", want[i], "PDF at 300 dpi");
		if (i == SSCC)
			ok(zbar_gs1("page.png"),
			    "PDF: the SSCC is GS1-128 (FNC1)");
		unlink("page.png");
	}
}

/* The ZPL drawn by zebrash (tests/zpl-render.js), read by zbarimg. */
static void
zpl_read(void)
{
	char js[4200], mod[4200], name[32], png_name[32];
	struct stat sb;
	int i;

	snprintf(js, sizeof js, "%s/tests/zpl-render.js", root);
	snprintf(
	    mod, sizeof mod, "%s/tests/node_modules/zpl-renderer-js", root);
	if (stat(js, &sb) != 0 || stat(mod, &sb) != 0) {
		skip(2 * NLABELS + 1,
		    "no zpl-renderer-js (npm install --prefix tests)");
		return;
	}
	if (!have("zbarimg")) {
		skip(2 * NLABELS + 1, "no zbarimg (zbar-tools)");
		return;
	}
	for (i = 0; i < NLABELS; i++) {
		snprintf(name, sizeof name, "l%d.zpl", i);
		snprintf(png_name, sizeof png_name, "z%d.png", i);
		{
			char *node[] = {"node", js, name, png_name, NULL};

			if (run(node, NULL) != 0) {
				skip(i == SSCC ? 3 : 2,
				    "node or zpl-render.js failed");
				continue;
			}
		}
		reads(png_name, want[i], "ZPL via zebrash");
		ok(edges_white(png_name, 8),
		    "ZPL via zebrash %s: nothing over the edge", want[i]);
		if (i == SSCC)
			ok(zbar_gs1(png_name),
			    "ZPL: the SSCC is GS1-128 (FNC1)");
	}
}

/* Same labels, same bytes; write errors left for the caller. */
static void
files(const struct label *l)
{
	char *a = NULL, *b = NULL;
	size_t na, nb;
	FILE *fp;
	struct render_pdf *r;
	int i;

	for (i = 0; i < 2; i++) {
		fp = memfile(i ? &b : &a, i ? &nb : &na);
		r = render_pdf_open(fp, LABEL_4X6);
		render_pdf_add(r, &l[CHINESE]);
		render_pdf_close(r);
		shut(fp, "open_memstream");
	}
	ok(na > 5 && memcmp(a, "%PDF-", 5) == 0, "a PDF in memory");
	ok(na == nb && memcmp(a, b, na) == 0,
	    "the same label twice: the same bytes");
	ok(na < 100000, "fonts subset: a label in %zu bytes", na);
	free(a);
	free(b);

	if ((fp = fopen("/dev/full", "w")) == NULL) {
		skip(2, "no /dev/full");
		return;
	}
	render_png(fp, &l[S10], LABEL_4X6);
	ok(fflush(fp) == EOF || ferror(fp),
	    "PNG: a write error is left for the caller's checked close");
	fclose(fp);
	fp = fopen("/dev/full", "w");
	r = render_pdf_open(fp, LABEL_4X6);
	render_pdf_add(r, &l[S10]);
	render_pdf_close(r);
	ok(fflush(fp) == EOF || ferror(fp),
	    "PDF: a write error is left for the caller's checked close");
	fclose(fp);
}

static void
cleanup(void)
{
	const char *names[] = {"all.pdf", "mm.pdf", "out.txt", "page.png"};
	char name[32];
	size_t k;
	int i;

	for (k = 0; k < sizeof names / sizeof names[0]; k++)
		unlink(names[k]);
	for (i = 0; i < NLABELS; i++) {
		snprintf(name, sizeof name, "l%d.png", i);
		unlink(name);
		snprintf(name, sizeof name, "l%d.zpl", i);
		unlink(name);
		snprintf(name, sizeof name, "z%d.png", i);
		unlink(name);
	}
	tmpdir_remove();
}

int
main(void)
{
	struct label l[NLABELS];

	err_init("test-render");
	/* The repository, for tests/zpl-render.js: make check runs here. */
	if (getenv("FULFIL_ROOT") != NULL)
		snprintf(root, sizeof root, "%s", getenv("FULFIL_ROOT"));
	else if (getcwd(root, sizeof root) == NULL)
		snprintf(root, sizeof root, ".");
	tmpdir("test-render");
	labels(l);
	zpl_text(l);
	cut_fields(l);
	write_all(l);
	png(l);
	pdf(l);
	zpl_read();
	files(l);
	cleanup();
	return done_testing();
}
