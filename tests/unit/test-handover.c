/*
 * handover: hand-over sheets drawn for manifests built by hand, read back
 * by programs we did not write: pdftotext and pdfinfo (poppler-utils)
 * read the text and the pages, zbarimg (zbar-tools) reads the barcode
 * off page 1 rasterised by pdftoppm.  A case whose reader is not
 * installed is skipped.  The files are made in a temporary directory,
 * the working directory while the test runs.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "catalog.h"
#include "err.h"
#include "handover.h"
#include "manifest.h"
#include "tap.h"
#include "tools.h"

#define ID "SF-20261123"
#define BIG 120
/* 天猫-订单-0042, "Tmall order 0042" */
#define ORDER_ZH "\xe5\xa4\xa9\xe7\x8c\xab-\xe8\xae\xa2\xe5\x8d\x95-0042"
/* 顺丰标快, SF's standard express */
#define SERVICE_ZH "\xe9\xa1\xba\xe4\xb8\xb0\xe6\xa0\x87\xe5\xbf\xab"
#define FFFD "\xef\xbf\xbd"
#define ALL_MARKS                                                              \
	(HANDLE_FRAGILE | HANDLE_UPRIGHT | HANDLE_NOSTACK | HANDLE_KEEPDRY)

static const char *const small_tracking[] = {
    "SF1400000000011", "SF1400000000028", "SF1400000000035"};

static struct manifest_parcel small_p[3], big_p[BIG];
static char big_tracking[BIG][24], big_order[BIG][16];

static struct manifest
small(void)
{
	small_p[0] = (struct manifest_parcel){.tracking = small_tracking[0],
	    .source = "shopify",
	    .order_id = "1001",
	    .service = "standard",
	    .n = 1,
	    .m = 1,
	    .weight_g = 1250,
	    .handling = HANDLE_FRAGILE,
	    .dispatched_at = "2026-11-23T15:02:00+08:00"};
	small_p[1] = (struct manifest_parcel){.tracking = small_tracking[1],
	    .source = "tmall",
	    .order_id = ORDER_ZH,
	    .service = SERVICE_ZH,
	    .n = 1,
	    .m = 2,
	    .weight_g = 2100,
	    .cod = 78600,
	    .currency = "CNY",
	    .handling = HANDLE_UPRIGHT | HANDLE_NOSTACK,
	    .dispatched_at = "2026-11-23T16:40:00+08:00"};
	small_p[2] = small_p[1];
	small_p[2].tracking = small_tracking[2];
	small_p[2].n = 2;
	small_p[2].weight_g = 4000;
	small_p[2].cod = 0;
	small_p[2].currency = NULL;
	small_p[2].handling = ALL_MARKS;
	return (struct manifest){.id = ID,
	    .carrier = "SF",
	    .carrier_name = "SF Express",
	    .account = "0571-889900",
	    .ship_date = "2026-11-23",
	    .closed_at = "2026-11-23T17:30:00+08:00",
	    .origin_name = "Hangzhou Tea Co. \xff\xfe warehouse",
	    .origin_address = "88 Wenyi Road, Xihu, Hangzhou 310012, CN",
	    .p = small_p,
	    .n = 3};
}

static struct manifest
big(void)
{
	struct manifest m = small();
	static const char *const services[] = {
	    "standard", "express", SERVICE_ZH};
	int i;

	for (i = 0; i < BIG; i++) {
		snprintf(big_tracking[i], sizeof big_tracking[i], "SF15%011d",
		    i + 1);
		snprintf(big_order[i], sizeof big_order[i], "%d", 2000 + i);
		big_p[i] = (struct manifest_parcel){.tracking = big_tracking[i],
		    .source = i % 2 ? "shopify" : "amazon",
		    .order_id = big_order[i],
		    .service = services[i % 3],
		    .n = 1,
		    .m = 1,
		    .weight_g = 500 + 10 * i,
		    .cod = i % 10 == 0 ? 1000 + i : 0,
		    .currency = i % 20 == 0 ? "CNY" : "HKD",
		    .handling = (unsigned)i % 16};
	}
	m.id = "SF-20261123-B";
	m.account = NULL;
	m.p = big_p;
	m.n = BIG;
	return m;
}

/* The sheet of m, in memory; caller frees. */
static char *
pdf_bytes(const struct manifest *m, size_t *len)
{
	char *buf = NULL;
	FILE *fp = memfile(&buf, len);

	manifest_pdf(fp, m);
	shut(fp, "open_memstream");
	return buf;
}

/* What zbarimg reads on page 1 of the PDF at path, at 200 dpi, or NULL. */
static char *
scan(const char *path)
{
	char *got;

	if (!pdftoppm(path, 1, 200))
		return NULL;
	got = zbarimg("page.png");
	unlink("page.png");
	return got;
}

static void
small_text(const char *text)
{
	char want[64];
	int i, all = 1;

	ok(strstr(text, "HAND-OVER MANIFEST") != NULL, "the title");
	ok(strstr(text, ID) != NULL, "the manifest id");
	ok(strstr(text, "SF Express (SF)") != NULL, "the carrier");
	ok(strstr(text, "0571-889900") != NULL &&
		strstr(text, "2026-11-23T17:30:00+08:00") != NULL,
	    "account and closing time");
	ok(strstr(text, "Hangzhou Tea Co. " FFFD FFFD " warehouse") != NULL &&
		strstr(text, "88 Wenyi Road") != NULL,
	    "the origin, bytes not UTF-8 as U+FFFD");
	for (i = 0; i < 3; i++)
		if (strstr(text, small_tracking[i]) == NULL) {
			printf("# no %s\n", small_tracking[i]);
			all = 0;
		}
	ok(all, "every tracking number");
	ok(strstr(text, "tmall " ORDER_ZH) != NULL &&
		strstr(text, SERVICE_ZH) != NULL,
	    "a Chinese order id and service");
	ok(strstr(text, "1.250") != NULL && strstr(text, "2/2") != NULL,
	    "weight in kg, parcel n/m");
	ok(strstr(text, "FRAGILE") != NULL && strstr(text, "UPRIGHT") != NULL &&
		strstr(text, "NO-STACK") != NULL &&
		strstr(text, "KEEP-DRY") != NULL,
	    "the handling marks");
	is_int(count(text, "CNY 786.00"), 2, "COD on its parcel and in total");
	ok(strstr(text, "3 pieces, 7.350 kg") != NULL, "pieces and weight");
	ok(strstr(text, "page 1 of 1") != NULL, "page 1 of 1");
	snprintf(want, sizeof want, "of %d", 3);
	ok(strstr(text, "Handed over by") != NULL &&
		strstr(text, "Received by (driver)") != NULL &&
		strstr(text, "Pieces counted") != NULL &&
		strstr(text, want) != NULL && strstr(text, "Time") != NULL,
	    "signatures, time and pieces counted");
}

static void
big_text(const char *text)
{
	char want[64];
	int pages = count(text, "\f");

	ok(pages >= 3, "%d parcels on %d pages", BIG, pages);
	snprintf(want, sizeof want, "page %d of %d", pages, pages);
	ok(strstr(text, "page 1 of") != NULL && strstr(text, want) != NULL,
	    "'page 1 of' and '%s'", want);
	ok(count(text, "Tracking") >= pages - 1,
	    "the column heads repeated on every page of the table");
	ok(strstr(text, big_tracking[0]) != NULL &&
		strstr(text, big_tracking[BIG - 1]) != NULL,
	    "the first and last parcels");
	snprintf(want, sizeof want, "%d pieces", BIG);
	ok(strstr(text, want) != NULL, "%s", want);
	ok(strstr(text, "(continued)") != NULL, "continued pages say so");
}

int
main(void)
{
	struct manifest m = small(), b = big(), l;
	char *buf, *again, *text, *got, id[80];
	size_t len, len2;
	FILE *full;
	int i;

	err_init("test-handover");
	tmpdir("test-handover");

	buf = pdf_bytes(&m, &len);
	ok(len > 5 && memcmp(buf, "%PDF-", 5) == 0, "the sheet is a PDF");
	ok(memmem(buf, len, "%%EOF", 5) != NULL, "and a whole one");
	ok(len < 100000, "fonts subset: %zu bytes", len);
	/* Cairo 1.16 leaves out the "D:" of the date. */
	ok(memmem(buf, len, "20261123173000+08'00)", 21) != NULL,
	    "created when the manifest closed");
	again = pdf_bytes(&m, &len2);
	ok(len == len2 && memcmp(buf, again, len) == 0,
	    "the same manifest twice: the same bytes");
	free(again);
	save("small.pdf", buf, len);
	free(buf);
	if ((text = pdftotext("small.pdf")) == NULL) {
		skip(14, "no pdftotext (poppler-utils)");
	} else {
		small_text(text);
		is_int(count(text, "\f"), 1, "three parcels on one page");
	}
	free(text);
	if (!have("pdftoppm") || !have("zbarimg")) {
		skip(2, "no pdftoppm (poppler-utils) or zbarimg (zbar-tools)");
	} else {
		got = scan("small.pdf");
		if (!ok(got != NULL && strcmp(got, ID) == 0,
			"zbarimg reads the id off page 1 at 200 dpi"))
			printf("#   got '%s'\n", got ? got : "nothing");
		free(got);

		/* Too long for the box: the barcode goes across the page. */
		l = m;
		for (i = 0; i < 40; i++)
			id[i] = "SF-20261123-HANGZHOU-WEST-"[i % 26];
		id[40] = '\0';
		l.id = id;
		buf = pdf_bytes(&l, &len);
		save("long.pdf", buf, len);
		free(buf);
		got = scan("long.pdf");
		if (!ok(got != NULL && strcmp(got, id) == 0,
			"a 40-character id across the page: zbarimg reads it"))
			printf("#   got '%s'\n", got ? got : "nothing");
		free(got);
	}

	buf = pdf_bytes(&b, &len);
	ok(len > 5 && memcmp(buf, "%PDF-", 5) == 0, "%d parcels: a PDF", BIG);
	again = pdf_bytes(&b, &len2);
	ok(len == len2 && memcmp(buf, again, len) == 0,
	    "%d parcels twice: the same bytes", BIG);
	free(again);
	save("big.pdf", buf, len);
	free(buf);
	if ((text = pdftotext("big.pdf")) == NULL)
		skip(6, "no pdftotext (poppler-utils)");
	else
		big_text(text);
	free(text);

	l = m;
	l.n = 0;
	l.account = NULL;
	l.closed_at = NULL;
	buf = pdf_bytes(&l, &len);
	again = pdf_bytes(&l, &len2);
	ok(len > 5 && memcmp(buf, "%PDF-", 5) == 0 && len == len2 &&
		memcmp(buf, again, len) == 0,
	    "no parcels, no closing time: a sheet, the same bytes twice");
	free(buf);
	free(again);

	if ((full = fopen("/dev/full", "w")) == NULL) {
		skip(1, "no /dev/full");
	} else {
		manifest_pdf(full, &m);
		ok(fflush(full) == EOF || ferror(full),
		    "a write error is left for the caller's checked close");
		fclose(full);
	}

	unlink("small.pdf");
	unlink("long.pdf");
	unlink("big.pdf");
	tmpdir_remove();
	return done_testing();
}
