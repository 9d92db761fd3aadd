#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "csvout.h"
#include "err.h"
#include "sheet.h"

char *
sheet_handling(unsigned bits, char *buf, size_t len)
{
	size_t at = 0;
	int i, n;

	buf[0] = '\0';
	for (i = 0; i < HANDLE_N; i++)
		if (bits & (1u << i)) {
			n = snprintf(buf + at, len - at, "%s%s", at ? ", " : "",
			    handling_names[i]);
			if (n < 0 || (size_t)n >= len - at)
				break;
			at += (size_t)n;
		}
	return buf;
}

char *
sheet_puts(const struct pick_stop *st)
{
	char *s = xstrdup(""), *t;
	int j;

	for (j = 0; j < st->nputs; j++) {
		xasprintf(&t, "%s%sT%dx%" PRId64, s, j ? " " : "",
		    st->puts[j].tote, st->puts[j].qty);
		free(s);
		s = t;
	}
	return s;
}

void
sheet_text(FILE *fp, const struct sheet *s)
{
	const struct pick_batch *b = s->batch;
	char hand[128], *totes;
	int i, j;

	char *note;

	fprintf(fp, "PICK SHEET  batch %" PRId64, b->id);
	if (s->zone != NULL && s->zone->zone)
		fprintf(fp, "  zone %c", s->zone->zone);
	fprintf(fp, "  wave %s\n", s->wave);
	fprintf(fp, "warehouse %s  printed %s\n", s->warehouse, s->printed);
	fprintf(fp,
	    "route %.1f m, stops %d, orders %d, totes %d, weight %.1f kg\n\n",
	    b->route_m, b->nstops, b->norders, b->ntotes,
	    (double)b->weight_g / 1000);
	fprintf(fp, "TOTES\n");
	for (i = 0; i < b->norders; i++) {
		const struct pick_order *o = &s->orders[b->orders[i]];

		if (o->ntotes > 1)
			fprintf(
			    fp, "  T%d-T%d", o->tote, o->tote + o->ntotes - 1);
		else
			fprintf(fp, "  T%d", o->tote);
		fprintf(fp, "  order %s", s->ids[b->orders[i]]);
		if (o->handling)
			fprintf(fp, "  [%s]",
			    sheet_handling(o->handling, hand, sizeof hand));
		if ((note = zones_note(s->zr, (size_t)b->orders[i])) != NULL)
			fprintf(fp, "  (%s)", note);
		free(note);
		fputc('\n', fp);
	}
	fprintf(fp, "\nSTOP  LOCATION     QTY  TOTES             SKU / ITEM\n");
	for (i = 0; i < b->nstops; i++) {
		const struct pick_stop *st = &b->stops[i];
		int gift = 0;

		for (j = 0; j < st->nputs; j++)
			gift |= st->puts[j].gift;
		totes = sheet_puts(st);
		fprintf(fp, "%4d  %-11s %4" PRId64 "  %-16s  %s  %s%s", i + 1,
		    st->item->location, st->qty, totes, st->item->sku,
		    st->item->name, gift ? "  GIFT" : "");
		free(totes);
		if (st->item->handling)
			fprintf(fp, "  [%s]",
			    sheet_handling(
				st->item->handling, hand, sizeof hand));
		fputc('\n', fp);
	}
	fprintf(fp, "\nback to the depot: %.1f m walked in all\n", b->route_m);
}

void
sheet_csv(FILE *fp, const struct sheet *s)
{
	static const char *const head[] = {"batch", "wave", "stop", "location",
	    "sku", "name", "qty", "tote", "order_id", "gift", "handling", NULL};
	const struct pick_batch *b = s->batch;
	char num[4][32], hand[128];
	int i, j;

	for (i = 0; head[i] != NULL; i++)
		csvout_text(fp, head[i], head[i + 1] == NULL);
	snprintf(num[0], sizeof num[0], "%" PRId64, b->id);
	for (i = 0; i < b->nstops; i++) {
		const struct pick_stop *st = &b->stops[i];

		snprintf(num[1], sizeof num[1], "%d", i + 1);
		for (j = 0; j < st->nputs; j++) {
			const struct pick_put *p = &st->puts[j];

			snprintf(num[2], sizeof num[2], "%" PRId64, p->qty);
			snprintf(num[3], sizeof num[3], "%d", p->tote);
			csvout_number(fp, num[0], 0);
			csvout_text(fp, s->wave, 0);
			csvout_number(fp, num[1], 0);
			csvout_text(fp, st->item->location, 0);
			csvout_text(fp, st->item->sku, 0);
			csvout_text(fp, st->item->name, 0);
			csvout_number(fp, num[2], 0);
			csvout_number(fp, num[3], 0);
			csvout_text(fp, s->ids[p->order], 0);
			csvout_text(fp, p->gift ? "yes" : "", 0);
			csvout_text(fp,
			    sheet_handling(
				st->item->handling, hand, sizeof hand),
			    1);
		}
	}
}
