/*
 * sheetpdf: pick sheets drawn for batches built by hand, read back with
 * pdftotext (poppler-utils) where it is installed.  The files are made
 * in a temporary directory, the working directory while the test runs.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "sheetpdf.h"
#include "tap.h"
#include "tools.h"

#define MAXSTOPS 150
#define CHINESE "\xe9\x9d\x92\xe8\x8a\xb1\xe7\x93\xb7\xe8\x8c\xb6\xe6\x9d\xaf"
/* 青花瓷茶杯, "blue and white porcelain tea cups" */

static const struct layout lay = {
    .aisles = 6, .bays = 10, .aisle_pitch = 3, .bay_pitch = 1, .depot = 1};

/* A batch and everything it points to. */
struct fixture {
	struct item items[MAXSTOPS];
	char sku[MAXSTOPS][32], name[MAXSTOPS][160], loc[MAXSTOPS][16];
	struct pick_stop stops[MAXSTOPS];
	struct pick_put puts[MAXSTOPS][2];
	struct pick_order orders[3];
	int order_ix[3];
	const char *ids[3];
	struct pick_batch batch;
	struct sheet sheet;
};

static void
item(struct fixture *f, int i, const char *sku, const char *name, int aisle,
    int bay, int level, unsigned handling)
{
	struct item *it = &f->items[i];

	snprintf(f->sku[i], sizeof f->sku[i], "%s", sku);
	snprintf(f->name[i], sizeof f->name[i], "%s", name);
	snprintf(
	    f->loc[i], sizeof f->loc[i], "A%02d-%02d-%d", aisle, bay, level);
	memset(it, 0, sizeof *it);
	it->sku = f->sku[i];
	it->name = f->name[i];
	it->location = f->loc[i];
	it->aisle = aisle;
	it->bay = bay;
	it->level = level;
	it->handling = handling;
}

/* Stop i: its item, qty for tote 1 and (if qty2) qty2 for tote 2. */
static void
stop(struct fixture *f, int i, int64_t qty1, int64_t qty2, int gift)
{
	struct pick_stop *st = &f->stops[i];

	st->item = &f->items[i];
	st->puts = f->puts[i];
	st->puts[0] = (struct pick_put){0, 1, qty1, gift};
	st->puts[1] = (struct pick_put){1, 2, qty2, 0};
	st->nputs = qty2 > 0 ? 2 : 1;
	st->qty = qty1 + qty2;
}

static void
batch(struct fixture *f, int64_t id, int nstops)
{
	int i;

	memset(f->orders, 0, sizeof f->orders);
	f->orders[0] = (struct pick_order){.tote = 1, .ntotes = 1};
	f->orders[1] = (struct pick_order){
	    .tote = 2, .ntotes = 2, .handling = HANDLE_FRAGILE};
	for (i = 0; i < 2; i++)
		f->order_ix[i] = i;
	f->ids[0] = "1058";
	f->ids[1] = "SHOP-1059";
	f->batch = (struct pick_batch){.wave = 0,
	    .orders = f->order_ix,
	    .norders = 2,
	    .ntotes = 3,
	    .weight_g = 2500,
	    .route_m = 47.5,
	    .stops = f->stops,
	    .nstops = nstops,
	    .id = id};
	f->sheet = (struct sheet){&f->batch, f->orders, f->ids, "SH1",
	    "2026-11-24 18:00", "2026-11-23T09:14:00+08:00", NULL, NULL};
}

/* A batch of five stops, two at one bay, one off the layout. */
static void
small(struct fixture *f)
{
	item(f, 0, "TEA-LJ-250", "Longjing green tea 250 g", 1, 2, 1,
	    HANDLE_KEEPDRY);
	item(f, 1, "CUP-QH-6", CHINESE " 6 pcs", 3, 7, 2, HANDLE_FRAGILE);
	item(f, 2, "CUP-QH-2", "Cups, a pair, on the shelf above", 3, 7, 4,
	    HANDLE_FRAGILE | HANDLE_UPRIGHT);
	item(f, 3, "BAD-UTF8", "bad \xff\xfe name \xed\xa0\x80 ok", 5, 9, 1, 0);
	item(f, 4, "LOST-1",
	    "an item whose aisle is not in the layout at all, "
	    "with a name too long for one line of its column",
	    9, 3, 1, 0);
	stop(f, 0, 2, 0, 0);
	stop(f, 1, 1, 1, 1);
	stop(f, 2, 1, 0, 0);
	stop(f, 3, 3, 2, 0);
	stop(f, 4, 1, 0, 0);
	batch(f, 4242, 5);
}

/* A batch of n stops all over the layout. */
static void
big(struct fixture *f, int n)
{
	char sku[32], name[64];
	int i;

	for (i = 0; i < n; i++) {
		snprintf(sku, sizeof sku, "SKU-%04d", i + 1);
		snprintf(name, sizeof name, "%s item %d", CHINESE, i + 1);
		item(f, i, sku, name, 1 + i % lay.aisles, 1 + i * 7 % lay.bays,
		    1 + i % 3, (unsigned)i % 16);
		stop(f, i, 1 + i % 4, i % 3, i % 5 == 0);
	}
	batch(f, 77, n);
}

/* The PDF of a sheet, in memory; caller frees. */
static char *
pdf_bytes(const struct sheet *s, const struct layout *l, size_t *len)
{
	char *buf = NULL;
	FILE *fp = memfile(&buf, len);

	sheet_pdf(fp, s, l);
	shut(fp, "open_memstream");
	return buf;
}

/* The text pdftotext finds in the PDF in buf (see pdftotext()). */
static char *
as_text(const char *buf, size_t len)
{
	char *text;

	save("sheet.pdf", buf, len);
	text = pdftotext("sheet.pdf");
	unlink("sheet.pdf");
	return text;
}

int
main(void)
{
	static struct fixture f;
	struct layout none = {0};
	char *buf, *again, *text, want[64];
	size_t len, len2;
	FILE *full;
	int pages;

	err_init("test-sheetpdf");
	tmpdir("test-sheetpdf");
	small(&f);
	buf = pdf_bytes(&f.sheet, &lay, &len);
	ok(len > 5 && memcmp(buf, "%PDF-", 5) == 0, "the sheet is a PDF");
	ok(len > 1000 && memmem(buf, len, "%%EOF", 5) != NULL,
	    "and a whole one");
	ok(len < 100000, "fonts subset: one page in %zu bytes", len);
	again = pdf_bytes(&f.sheet, &lay, &len2);
	ok(len == len2 && memcmp(buf, again, len) == 0,
	    "the same sheet twice: the same bytes");
	free(again);

	if ((text = as_text(buf, len)) == NULL) {
		skip(10, "no pdftotext (poppler-utils)");
	} else {
		ok(strstr(text, "batch 4242") != NULL, "batch id on the sheet");
		ok(strstr(text, "5 stops") != NULL, "stop count");
		ok(strstr(text, "CUP-QH-6") != NULL, "a SKU");
		ok(strstr(text, CHINESE) != NULL, "a Chinese item name");
		ok(strstr(text, "Longjing green tea") != NULL,
		    "a Latin item name");
		ok(strstr(text, "T2x1") != NULL && strstr(text, "T1x3") != NULL,
		    "what goes into which tote");
		ok(strstr(text, "SHOP-1059") != NULL &&
			strstr(text, "T2-T3") != NULL,
		    "the totes table");
		ok(strstr(text, "\xef\xbf\xbd name") != NULL,
		    "bytes that are not UTF-8 drawn as U+FFFD");
		ok(strstr(text, "DEPOT") != NULL, "the map");
		is_int(count(text, "\f"), 1, "five stops fit on one page");
	}
	free(text);
	free(buf);

	big(&f, MAXSTOPS);
	buf = pdf_bytes(&f.sheet, &lay, &len);
	ok(len > 5 && memcmp(buf, "%PDF-", 5) == 0, "%d stops: a PDF",
	    MAXSTOPS);
	if ((text = as_text(buf, len)) == NULL) {
		skip(4, "no pdftotext (poppler-utils)");
	} else {
		pages = count(text, "\f");
		snprintf(want, sizeof want, "%d stops", MAXSTOPS);
		ok(strstr(text, want) != NULL, "%s in the header", want);
		ok(pages > 1, "run on to %d pages", pages);
		snprintf(want, sizeof want, "page %d of %d", pages, pages);
		ok(strstr(text, want) != NULL, "the last page says '%s'", want);
		ok(strstr(text, "SKU-0150") != NULL &&
			strstr(text, "(continued)") != NULL,
		    "the last stop, on a continued page");
	}
	free(text);
	free(buf);

	small(&f);
	buf = pdf_bytes(&f.sheet, &none, &len);
	ok(len > 5 && memcmp(buf, "%PDF-", 5) == 0,
	    "no layout: a sheet all the same");
	free(buf);
	f.batch.nstops = 0;
	f.batch.norders = 0;
	buf = pdf_bytes(&f.sheet, &lay, &len);
	ok(len > 5 && memcmp(buf, "%PDF-", 5) == 0, "an empty batch");
	free(buf);

	small(&f);
	if ((full = fopen("/dev/full", "w")) == NULL) {
		skip(1, "no /dev/full");
	} else {
		sheet_pdf(full, &f.sheet, &lay);
		ok(fflush(full) == EOF || ferror(full),
		    "a write error is left for the caller's checked close");
		fclose(full);
	}
	tmpdir_remove();
	return done_testing();
}
