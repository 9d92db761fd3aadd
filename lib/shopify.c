/*
 * shopify: the orders export of Shopify (Orders > Export), 75 or 79
 * columns or any other number: columns are found by name.  One row per
 * line item; the order's own fields are on its first row.
 */
#include <string.h>
#include <strings.h>

#include "err.h"
#include "reader_int.h"
#include "status.h"

/* The extra columns the hooks read, by position. */
enum { SH_CANCELLED, SH_PAYMENT, SH_METHOD, SH_REQUIRES, SH_STREET };

/* Financial Status, as the record says it. */
static const char *const financial[] = {"paid", "paid", "pending", "pending",
    "authorized", "authorized", "partially_paid", "partially_paid", "refunded",
    "refunded", "partially_refunded", "partially_refunded", "voided", "voided",
    /* An authorisation that lapsed: the money is not there. */
    "expired", "pending",
    /* Words we do not know: nothing ships on them. */
    "*", "pending", NULL};

/* Fulfillment Status of the order. */
static const char *const fulfillment[] = {"fulfilled", "fulfilled", "partial",
    "partial", "unfulfilled", "unfulfilled", "restocked", "restocked", "*", "",
    NULL};

/* Lineitem fulfillment status: what a line says of itself. */
static const char *const line_fulfillment[] = {
    "fulfilled", "fulfilled", "partial", "partial", "*", "", NULL};

static const char *
shopify_row(struct reader *r, struct group *g, json_t *line)
{
	(void)g;
	(void)line;
	/* Gift cards and downloads need no parcel. */
	if (strcasecmp(reader_extra(r, SH_REQUIRES), "false") == 0)
		return "needs no shipping";
	return NULL;
}

static int
contains(const char *hay, const char *needle)
{
	return strcasestr(hay, needle) != NULL;
}

static void
shopify_order(struct reader *r, struct group *g)
{
	const char *fin = g->val[F_PAYMENT_STATUS];
	const char *ful = g->val[F_FULFILLMENT_STATUS];
	const char *pay = reader_extra(r, SH_PAYMENT);
	const char *method = reader_extra(r, SH_METHOD), *svc, *id;

	/*
	 * Cancelled, voided, or refunded before anything was sent: a
	 * refund after a fulfilment is a return, not a cancellation.
	 */
	if (!reader_blank(reader_extra(r, SH_CANCELLED)) ||
	    (fin != NULL && strcmp(fin, "voided") == 0) ||
	    (fin != NULL && strcmp(fin, "refunded") == 0 &&
		(ful == NULL || strcmp(ful, "unfulfilled") == 0)))
		reader_setval(g, F_STATUS, status_name(ST_CANCELLED));
	if (contains(pay, "cash on delivery") || contains(pay, "(COD)") ||
	    strcasecmp(pay, "cod") == 0)
		reader_setval(g, F_PAYMENT_METHOD, "cod");
	svc = reader_guess_service(r->cfg, method);
	reader_setval(g, F_SERVICE, svc != NULL ? svc : method);
	if (g->val[F_SHIP_TO_LINE1] == NULL &&
	    !reader_blank(reader_extra(r, SH_STREET)))
		reader_setval(g, F_SHIP_TO_LINE1, reader_extra(r, SH_STREET));
	/* "#1058" is order 1058. */
	id = g->val[F_ORDER_ID];
	if (id != NULL && id[0] == '#' && id[1] != '\0')
		memmove(g->val[F_ORDER_ID], id + 1, strlen(id));
}

const struct dialect dialect_shopify = {
    .name = "shopify",
    .source = "shopify",
    .delim = ',',
    .cols =
	{
	    [F_ORDER_ID] = "Name",
	    [F_PLACED_AT] = "Created at",
	    [F_CURRENCY] = "Currency",
	    [F_CUSTOMER_NAME] = "Billing Name|Shipping Name",
	    [F_CUSTOMER_EMAIL] = "Email",
	    [F_CUSTOMER_PHONE] = "Phone|Billing Phone",
	    [F_SHIP_TO_NAME] = "Shipping Name",
	    [F_SHIP_TO_COMPANY] = "Shipping Company",
	    [F_SHIP_TO_LINE1] = "Shipping Address1",
	    [F_SHIP_TO_LINE2] = "Shipping Address2",
	    [F_SHIP_TO_CITY] = "Shipping City",
	    [F_SHIP_TO_REGION] = "Shipping Province Name|Shipping Province",
	    [F_SHIP_TO_POSTCODE] = "Shipping Zip",
	    [F_SHIP_TO_COUNTRY] = "Shipping Country",
	    [F_SHIP_TO_PHONE] = "Shipping Phone",
	    [F_SUBTOTAL] = "Subtotal",
	    [F_SHIPPING] = "Shipping",
	    [F_TAX] = "Taxes",
	    [F_DISCOUNT] = "Discount Amount",
	    [F_TOTAL] = "Total",
	    [F_PAYMENT_STATUS] = "Financial Status",
	    [F_PAYMENT_OUTSTANDING] = "Outstanding Balance",
	    [F_PAYMENT_REFUNDED] = "Refunded Amount",
	    [F_PREF_NOTE] = "Notes",
	    [F_SHIPPING_METHOD] = "Shipping Method",
	    [F_FULFILLMENT_STATUS] = "Fulfillment Status",
	    [F_CANCELLED_AT] = "Cancelled at",
	    [F_LINES_SKU] = "Lineitem sku",
	    [F_LINES_NAME] = "Lineitem name",
	    [F_LINES_QTY] = "Lineitem quantity",
	    [F_LINES_UNIT_PRICE] = "Lineitem price",
	    [F_LINES_FULFILMENT] = "Lineitem fulfillment status",
	},
    .values =
	{
	    [F_PAYMENT_STATUS] = financial,
	    [F_FULFILLMENT_STATUS] = fulfillment,
	    [F_LINES_FULFILMENT] = line_fulfillment,
	},
    .extra = {"Cancelled at", "Payment Method", "Shipping Method",
	"Lineitem requires shipping", "Shipping Street"},
    .row = shopify_row,
    .order = shopify_order,
};
