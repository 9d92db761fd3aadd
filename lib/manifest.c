#include <inttypes.h>
#include <jansson.h>
#include <string.h>

#include "catalog.h"
#include "csvout.h"
#include "manifest.h"
#include "money.h"
#include "sheet.h"

/* Index of key in a bucket list of cap, the last one taking the rest. */
#define BUCKET(arr, n, cap, field, key)                                        \
	do {                                                                   \
		size_t b_;                                                     \
		for (b_ = 0; b_ < (n); b_++)                                   \
			if (strcmp((arr)[b_].field, (key)) == 0)               \
				break;                                         \
		if (b_ == (n) && (n) < (cap))                                  \
			(arr)[(n)++].field = (key);                            \
		else if (b_ == (n))                                            \
			(arr)[(b_ = (cap)-1)].field = "other";                 \
		k = b_;                                                        \
	} while (0)

void
manifest_totals(const struct manifest *m, struct manifest_totals *t)
{
	const size_t ns = sizeof t->by_service / sizeof t->by_service[0];
	const size_t nc = sizeof t->cod / sizeof t->cod[0];
	size_t i, k;

	memset(t, 0, sizeof *t);
	for (i = 0; i < m->n; i++) {
		const struct manifest_parcel *p = &m->p[i];

		t->pieces++;
		t->weight_g += p->weight_g;
		BUCKET(t->by_service, t->nservices, ns, service,
		    p->service ? p->service : "");
		t->by_service[k].pieces++;
		t->by_service[k].weight_g += p->weight_g;
		if (p->cod <= 0)
			continue;
		/* Never dropped: an amount without a currency shows as "?". */
		BUCKET(t->cod, t->ncod, nc, currency,
		    p->currency ? p->currency : "?");
		t->cod[k].amount += p->cod;
		t->cod[k].pieces++;
	}
}

/* "786.00" for minor units of a currency. */
static const char *
amount(int64_t minor, const char *currency, char *buf, size_t len)
{
	int e = currency != NULL ? money_exponent(currency) : 2;

	money_format(minor, e < 0 ? 2 : e, buf, len);
	return buf;
}

void
manifest_csv(FILE *fp, const struct manifest *m)
{
	static const char *const head[] = {"manifest", "carrier", "account",
	    "ship_date", "origin", "tracking", "order_id", "service", "parcel",
	    "weight_kg", "cod_amount", "cod_currency", "handling", NULL};
	char num[3][48], hand[128];
	size_t i;
	int k;

	for (k = 0; head[k] != NULL; k++)
		csvout_text(fp, head[k], head[k + 1] == NULL);
	for (i = 0; i < m->n; i++) {
		const struct manifest_parcel *p = &m->p[i];

		snprintf(num[0], sizeof num[0], "%d/%d", p->n, p->m);
		snprintf(
		    num[1], sizeof num[1], "%.3f", (double)p->weight_g / 1000);
		csvout_text(fp, m->id, 0);
		csvout_text(fp, m->carrier, 0);
		csvout_text(fp, m->account, 0);
		csvout_text(fp, m->ship_date, 0);
		csvout_text(fp, m->origin_address, 0);
		csvout_text(fp, p->tracking, 0);
		csvout_text(fp, p->order_id, 0);
		csvout_text(fp, p->service, 0);
		csvout_number(fp, num[0], 0);
		csvout_number(fp, num[1], 0);
		csvout_number(fp,
		    p->cod > 0
			? amount(p->cod, p->currency, num[2], sizeof num[2])
			: "",
		    0);
		csvout_text(fp, p->cod > 0 ? p->currency : "", 0);
		csvout_text(
		    fp, sheet_handling(p->handling, hand, sizeof hand), 1);
	}
}

void
manifest_text(FILE *fp, const struct manifest *m)
{
	struct manifest_totals t;
	char buf[48];
	size_t k;

	manifest_totals(m, &t);
	fprintf(fp, "MANIFEST %s\n", m->id);
	fprintf(fp, "carrier  %s (%s)%s%s\n",
	    m->carrier_name ? m->carrier_name : m->carrier, m->carrier,
	    m->account ? "  account " : "", m->account ? m->account : "");
	fprintf(fp, "ship date %s  closed %s\n", m->ship_date, m->closed_at);
	fprintf(fp, "from     %s, %s\n\n", m->origin_name, m->origin_address);
	fprintf(fp, "pieces   %zu\nweight   %.3f kg\n", t.pieces,
	    (double)t.weight_g / 1000);
	for (k = 0; k < t.nservices; k++)
		fprintf(fp, "  %-12s %5zu pieces %10.3f kg\n",
		    t.by_service[k].service, t.by_service[k].pieces,
		    (double)t.by_service[k].weight_g / 1000);
	if (t.ncod == 0)
		fprintf(fp, "cash on delivery: none\n");
	for (k = 0; k < t.ncod; k++)
		fprintf(fp, "cash on delivery: %s %s on %zu pieces\n",
		    t.cod[k].currency,
		    amount(t.cod[k].amount, t.cod[k].currency, buf, sizeof buf),
		    t.cod[k].pieces);
}

void
manifest_json(FILE *fp, const struct manifest *m)
{
	struct manifest_totals t;
	json_t *j, *a;
	size_t k;

	manifest_totals(m, &t);
	j = json_pack("{s:s,s:s,s:s,s:s,s:I,s:I}", "manifest", m->id, "carrier",
	    m->carrier, "ship_date", m->ship_date, "closed_at", m->closed_at,
	    "pieces", (json_int_t)t.pieces, "weight_g", (json_int_t)t.weight_g);
	if (m->account != NULL)
		json_object_set_new(j, "account", json_string(m->account));
	a = json_object();
	for (k = 0; k < t.nservices; k++)
		json_object_set_new(a, t.by_service[k].service,
		    json_pack("{s:I,s:I}", "pieces",
			(json_int_t)t.by_service[k].pieces, "weight_g",
			(json_int_t)t.by_service[k].weight_g));
	json_object_set_new(j, "by_service", a);
	a = json_object();
	for (k = 0; k < t.ncod; k++)
		json_object_set_new(a, t.cod[k].currency,
		    json_pack("{s:I,s:I}", "amount",
			(json_int_t)t.cod[k].amount, "pieces",
			(json_int_t)t.cod[k].pieces));
	json_object_set_new(j, "cod", a);
	json_dumpf(j, fp, JSON_COMPACT);
	fputc('\n', fp);
	json_decref(j);
}
