/*
 * hold_check(): which normalised orders ingest-orders holds, and why:
 * a partly fulfilled line first (naming its SKU in the detail, only its
 * line in what is said on stderr), then money refunded with lines left,
 * then payment awaited (pending, partially_paid, voided, authorized
 * when ingest.ship_authorized is false, an outstanding amount); cash on
 * delivery is never held for its money; hold_name() and hold_label().
 */
#include <string.h>

#include "config.h"
#include "err.h"
#include "hold.h"
#include "tap.h"
#include "tjson.h"

static struct config cfg = {.ship_authorized = 1};
static char detail[512], say[256];

/* hold_check() on an order with these lines and payment (' for "). */
static enum hold_reason
check(const char *lines, const char *payment)
{
	char text[1024];
	json_t *o;
	enum hold_reason r;

	snprintf(text, sizeof text, "{'order_id':'1','lines':%s,'payment':%s}",
	    lines, payment);
	o = tjson(text);
	r = hold_check(o, &cfg, detail, sizeof detail, say, sizeof say);
	json_decref(o);
	return r;
}

static const char one[] = "[{'sku':'TEA-1','qty':1}]";

static void
test_payment(void)
{
	is_int(check(one, "{'method':'prepaid','status':'paid'}"), HOLD_NONE,
	    "paid: goes on");
	is_int(check(one, "{'method':'prepaid'}"), HOLD_NONE,
	    "no payment status: taken as paid");
	is_int(check(one, "{'method':'prepaid','status':'partially_refunded'}"),
	    HOLD_NONE, "partly refunded: what is left goes on");
	is_int(check(one, "{'method':'prepaid','status':'pending'}"),
	    HOLD_PAYMENT, "pending: awaiting payment");
	is_str(detail, "payment.status is pending", "pending: the detail");
	is_str(say, detail, "pending: stderr says the same");
	is_int(check(one, "{'method':'prepaid','status':'partially_paid'}"),
	    HOLD_PAYMENT, "partially paid: awaiting payment");
	is_int(check(one, "{'method':'prepaid','status':'voided'}"),
	    HOLD_PAYMENT, "voided: awaiting payment");
	is_int(check(one, "{'method':'prepaid','status':'authorized'}"),
	    HOLD_NONE, "authorized: goes on by default");
	cfg.ship_authorized = 0;
	is_int(check(one, "{'method':'prepaid','status':'authorized'}"),
	    HOLD_PAYMENT, "authorized with ship_authorized false: held");
	is_str(detail,
	    "payment.status is authorized and ingest.ship_authorized is false",
	    "authorized: the detail says why");
	cfg.ship_authorized = 1;
	is_int(check(one, "{'method':'prepaid','status':'paid','outstanding':"
			  "1250}"),
	    HOLD_PAYMENT, "paid, yet an amount outstanding: held");
	is_str(detail, "payment.outstanding is 1250", "outstanding: detail");
	is_str(say, "payment.outstanding is more than 0",
	    "outstanding: what is said names no amount");
	is_int(check(one, "{'method':'prepaid','outstanding':0}"), HOLD_NONE,
	    "nothing outstanding: goes on");
	is_int(check(one, "{'method':'prepaid','status':'refunded'}"),
	    HOLD_REFUNDED, "refunded with lines left: a person decides");
	is_int(check(one, "{'method':'cod','cod_amount':100,'status':"
			  "'pending','outstanding':100}"),
	    HOLD_NONE, "cash on delivery: paid at the door, never held");
}

static void
test_partial(void)
{
	is_int(check("[{'sku':'TEA-1','qty':1},{'sku':'POT-1','qty':3,"
		     "'fulfilment':'partial'},{'sku':'CUP','qty':1,"
		     "'fulfilment':'partial'}]",
		   "{'method':'prepaid','status':'pending'}"),
	    HOLD_PARTIAL, "a partly fulfilled line holds first");
	is_str(detail,
	    "partly fulfilled, how much is left is not known: SKU POT-1 "
	    "(lines[1]), SKU CUP (lines[2])",
	    "the detail names the SKUs");
	is_str(say,
	    "partly fulfilled, how much is left is not known: lines[1], "
	    "lines[2]",
	    "stderr names the lines only");
	is_int(check("[{'sku':'TEA-1','qty':1,'fulfilment':'unfulfilled'}]",
		   "{'method':'cod','cod_amount':1}"),
	    HOLD_NONE, "any other fulfilment: nothing");
	is_int(check("[{'sku':'TEA-1','qty':1,'fulfilment':'partial'}]",
		   "{'method':'cod','cod_amount':1}"),
	    HOLD_PARTIAL, "cash on delivery is held for a partial line too");
}

static void
test_names(void)
{
	is_str(hold_name(HOLD_PARTIAL), "partial_fulfilment", "names");
	is_str(hold_name(HOLD_PAYMENT), "awaiting_payment", "names");
	is_str(hold_name(HOLD_REFUNDED), "refunded", "names");
	is_str(hold_name(HOLD_NONE), "", "no name for none");
	is_str(hold_label(HOLD_PAYMENT), "awaiting payment", "labels");
	is_str(hold_label(HOLD_PARTIAL), "partial", "labels");
}

int
main(void)
{
	err_init("test-hold");
	test_payment();
	test_partial();
	test_names();
	return done_testing();
}
