#include <stdio.h>
#include <string.h>

#include "config.h"
#include "hold.h"

static const char *const names[HOLD_N] = {
    [HOLD_PARTIAL] = "partial_fulfilment",
    [HOLD_REFUNDED] = "refunded",
    [HOLD_PAYMENT] = "awaiting_payment",
};

static const char *const labels[HOLD_N] = {
    [HOLD_PARTIAL] = "partial",
    [HOLD_REFUNDED] = "refunded",
    [HOLD_PAYMENT] = "awaiting payment",
};

const char *
hold_name(enum hold_reason r)
{
	return r > HOLD_NONE && r < HOLD_N ? names[r] : "";
}

const char *
hold_label(enum hold_reason r)
{
	return r > HOLD_NONE && r < HOLD_N ? labels[r] : "";
}

/* Append to buf, as far as it goes. */
static void
add(char *buf, size_t len, const char *s)
{
	size_t n = strlen(buf);

	if (n + 1 < len)
		snprintf(buf + n, len - n, "%s", s);
}

/* The lines partly fulfilled, listed in detail and say; 0 if none. */
static int
partial(const json_t *lines, char *detail, size_t dlen, char *say, size_t slen)
{
	const json_t *l;
	const char *sku;
	char one[192];
	size_t i;
	int n = 0;

	json_array_foreach(lines, i, l)
	{
		const char *f =
		    json_string_value(json_object_get(l, "fulfilment"));

		if (f == NULL || strcmp(f, "partial") != 0)
			continue;
		if (n == 0) {
			snprintf(detail, dlen,
			    "partly fulfilled, how much is left is not known:");
			snprintf(say, slen, "%s", detail);
		}
		sku = json_string_value(json_object_get(l, "sku"));
		snprintf(one, sizeof one, "%s SKU %.128s (lines[%zu])",
		    n > 0 ? "," : "", sku != NULL ? sku : "", i);
		add(detail, dlen, one);
		snprintf(one, sizeof one, "%s lines[%zu]", n > 0 ? "," : "", i);
		add(say, slen, one);
		n++;
	}
	return n;
}

enum hold_reason
hold_check(const json_t *o, const struct config *cfg, char *detail, size_t dlen,
    char *say, size_t slen)
{
	const json_t *pay = json_object_get(o, "payment");
	const char *method = json_string_value(json_object_get(pay, "method"));
	const char *st = json_string_value(json_object_get(pay, "status"));
	json_int_t owed =
	    json_integer_value(json_object_get(pay, "outstanding"));

	detail[0] = say[0] = '\0';
	if (partial(json_object_get(o, "lines"), detail, dlen, say, slen) > 0)
		return HOLD_PARTIAL;
	if (method != NULL && strcmp(method, "cod") == 0)
		return HOLD_NONE;
	if (st != NULL && strcmp(st, "refunded") == 0) {
		snprintf(detail, dlen,
		    "payment.status is refunded, yet lines are left to ship");
		snprintf(say, slen, "%s", detail);
		return HOLD_REFUNDED;
	}
	if (st != NULL &&
	    (strcmp(st, "pending") == 0 || strcmp(st, "partially_paid") == 0 ||
		strcmp(st, "voided") == 0 ||
		(strcmp(st, "authorized") == 0 && !cfg->ship_authorized))) {
		snprintf(detail, dlen, "payment.status is %s%s", st,
		    strcmp(st, "authorized") == 0
			? " and ingest.ship_authorized is false"
			: "");
		snprintf(say, slen, "%s", detail);
		return HOLD_PAYMENT;
	}
	if (owed > 0) {
		/* The amount is for the record, not for logs. */
		snprintf(detail, dlen,
		    "payment.outstanding is %" JSON_INTEGER_FORMAT, owed);
		snprintf(say, slen, "payment.outstanding is more than 0");
		return HOLD_PAYMENT;
	}
	return HOLD_NONE;
}
