/*
 * woocommerce: the "Default - One Row per Item" order export of
 * WooCommerce Customer / Order CSV Export, the export WooCommerce.com
 * sells: one row per line item, the order's fields on each, column names
 * as the plugin writes them (order_id, billing_first_name, item_sku...).
 * Its dates are the shop's local time without an offset: they are read
 * in the warehouse's zone (a map with a timezone reads them otherwise).
 */
#include "reader_int.h"

/* WooCommerce's order statuses, for the money. */
static const char *const payment[] = {"pending", "pending",
    /* on-hold: waiting for a bank transfer or cheque to arrive */
    "on-hold", "pending", "failed", "pending", "processing", "paid",
    "completed", "paid", "refunded", "refunded", "cancelled", "voided",
    /* A status some plugin made up: nothing ships on it unseen. */
    "*", "pending", NULL};
static const char *const cancelled[] = {
    "cancelled", "cancelled", "refunded", "cancelled", "*", "", NULL};
static const char *const shipped[] = {"completed", "fulfilled", "*", "", NULL};
/* The cash-on-delivery gateway's id; every other gateway is prepaid. */
static const char *const method[] = {"cod", "cod", "*", "prepaid", NULL};

const struct dialect dialect_woocommerce = {
    .name = "woocommerce",
    .source = "woocommerce",
    .delim = ',',
    .cols =
	{
	    [F_ORDER_ID] = "order_number|order_id",
	    [F_PLACED_AT] = "date|order_date",
	    [F_CURRENCY] = "order_currency",
	    [F_CUSTOMER_NAME] = "billing_first_name" JOIN "billing_last_name",
	    [F_CUSTOMER_EMAIL] = "billing_email",
	    [F_CUSTOMER_PHONE] = "billing_phone",
	    [F_SHIP_TO_NAME] = "shipping_first_name" JOIN "shipping_last_name",
	    [F_SHIP_TO_COMPANY] = "shipping_company",
	    [F_SHIP_TO_LINE1] = "shipping_address_1",
	    [F_SHIP_TO_LINE2] = "shipping_address_2",
	    [F_SHIP_TO_CITY] = "shipping_city",
	    [F_SHIP_TO_REGION] = "shipping_state",
	    [F_SHIP_TO_POSTCODE] = "shipping_postcode",
	    [F_SHIP_TO_COUNTRY] = "shipping_country",
	    [F_SHIP_TO_PHONE] = "shipping_phone|billing_phone",
	    [F_SHIPPING] = "shipping_total",
	    [F_TAX] = "tax_total",
	    [F_DISCOUNT] = "discount_total",
	    [F_TOTAL] = "order_total",
	    [F_PAYMENT_METHOD] = "payment_method",
	    [F_PAYMENT_STATUS] = "status",
	    [F_PAYMENT_REFUNDED] = "refunded_total",
	    [F_PREF_NOTE] = "customer_note",
	    [F_SHIPPING_METHOD] = "shipping_method",
	    [F_FULFILLMENT_STATUS] = "status",
	    [F_STATUS] = "status",
	    [F_LINES_SKU] = "item_sku",
	    [F_LINES_NAME] = "item_name",
	    [F_LINES_QTY] = "item_quantity",
	    /* Before discounts: the discount is the order's. */
	    [F_LINES_PRICE_TOTAL] = "item_subtotal",
	    [F_LINES_REFUNDED_QTY] = "item_refunded_qty",
	},
    .values =
	{
	    [F_PAYMENT_METHOD] = method,
	    [F_PAYMENT_STATUS] = payment,
	    [F_FULFILLMENT_STATUS] = shipped,
	    [F_STATUS] = cancelled,
	},
};
