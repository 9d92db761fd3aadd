/*
 * ledger_pack: label --pack's table in the ledger.  pack_scans keeps
 * every scan at a pack station, in the order it came, with the order it
 * was made for (if one was open), what the code matched (a SKU, or
 * nothing) and the verdict: "order" (an order or tote opened), "item"
 * (into the box), "wrong", "extra", "unknown", "complete", "cancel"
 * (the box emptied).  What an order's box holds is its "item" scans
 * since its last "cancel".  These functions are the only ones that
 * touch the table.
 *
 * Each runs in a transaction of its own unless the caller holds one.
 * Any failure of the database exits 2.  Strings passed in are borrowed
 * for the call; those handed back are the caller's to free.
 */
#ifndef FULFIL_LEDGER_PACK_H
#define FULFIL_LEDGER_PACK_H

#include <stdint.h>

struct ledger;

/* One scan: source and id NULL when no order was open; sku may be NULL. */
struct ledger_pack_scan {
	const char *station;
	const char *source, *order_id;
	const char *code;
	const char *sku;
	const char *verdict;
};

void ledger_pack_scan_add(struct ledger *, const struct ledger_pack_scan *);
/*
 * fn(arg, sku, qty) for each SKU in the box of (source, id): its "item"
 * scans since the last "cancel".  fn must not use the ledger.
 */
void ledger_pack_boxed(struct ledger *, const char *source, const char *id,
    void (*fn)(void *arg, const char *sku, int64_t qty), void *arg);
/*
 * The order in status (picked) waiting in tote n (pick.totes) of the
 * newest batch that holds one: 1 with *source and *id set (to free), 0
 * when none does.  *batches gets how many such orders there are.
 */
int ledger_pack_tote(struct ledger *, const char *status, int64_t n,
    char **source, char **id, int64_t *batches);
/* --pending's condition for the one order (source, id); to free. */
char *ledger_pack_where(const char *source, const char *id);

#endif
