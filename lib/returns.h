/*
 * returns: the returns back office, after feedback.h made the RMA and
 * label --return its label.  followup(1) --receive takes a return in at
 * the returns desk (an RMA, its return parcel's tracking number, or the
 * order's barcode SOURCE:ORDER_ID), as a carrier's "delivered" would
 * (feedback_return_parcel()): once.  --inspect records what came back,
 * per SKU: resellable, damaged or missing; resellable goods go back on
 * the shelf in the ledger (pick-list counts them); a return, not an
 * exchange, is refunded what came back at the order's line prices, by
 * the order's payment method, or by bank transfer for cash on delivery
 * (a collect_bank_details task), and the customer is told
 * (refund_issued).  The reasons a request may give are the
 * configuration's (returns.reasons); returns_reason() finds one.
 *
 * Everything runs in followup's transaction and chunk (aftercare.h):
 * records made are queued on u->out, bad input set aside as rejects.
 * Ownership: arguments are borrowed; returns_reason() returns a pointer
 * into the configuration.
 */
#ifndef FULFIL_RETURNS_H
#define FULFIL_RETURNS_H

#include <stddef.h>

struct aftercare;
struct config;
struct input;

/* What a run of --receive or --inspect did, for its summary line. */
struct returns_tally {
	long received;  /* RMAs taken in */
	long inspected; /* RMAs inspected */
	long restocked; /* units back on the shelf */
	long refunds;   /* refunds made */
	long again;     /* received or inspected before: nothing done */
};

/*
 * The reason of a request: the one with code when code is not NULL
 * (NULL if no reason has it), else the first whose words are in text
 * (ASCII letters in any case), else "other", the list's last.
 */
const struct return_reason *returns_reason(
    const struct config *, const char *code, const char *text);

/*
 * --receive: each of codes[0..n-1] taken in at the returns desk; "-"
 * reads codes from stdin, one a line.
 */
void returns_receive(
    struct aftercare *, struct returns_tally *, char **codes, size_t n);
/*
 * --inspect rma [SKU=OUTCOME[:QTY] ...]: words[0..n-1]; with rma "-",
 * inspection records (NDJSON) from stdin and no words.
 */
void returns_inspect(struct aftercare *, struct returns_tally *,
    const char *rma, char **words, size_t n);

#endif
