/*
 * ledger_picks: pick-list's tables in the ledger.  batches numbers the
 * carts each run sends out (the number is on the pick sheet and in the
 * record's pick.batch); picks keeps the stock each picked order took, a
 * row per order and SKU, so that a later run knows what is left on the
 * shelf; a cancellation gives it back (released_at), keeping the row.
 * These functions are the only ones that write either table.
 *
 * They run inside the caller's transaction (ledger_begin()), so that
 * the stock read and the stock taken are one decision.  Any failure of
 * the database exits 2.  Strings are borrowed for the call only.
 */
#ifndef FULFIL_LEDGER_PICKS_H
#define FULFIL_LEDGER_PICKS_H

#include <stdint.h>

struct ledger;

/*
 * A new batch of this run, in wave (its name), of so many orders and a
 * walk of route_m metres, stamped with the ledger's time: its id.
 */
int64_t ledger_batch_add(
    struct ledger *, const char *wave, int orders, double route_m);
/*
 * The order (source, id) takes qty of sku, in batch, at time at
 * (seconds since the epoch).  Picked again, its row for the SKU is
 * replaced, not added to.
 */
void ledger_pick_add(struct ledger *, const char *source, const char *id,
    const char *sku, int64_t qty, int64_t batch, int64_t at);
/* One SKU of an order's pick, for ledger_picks_add(). */
struct ledger_pick_row {
	const char *sku;
	int64_t qty, batch;
};
/*
 * The same for n rows of one order, each SKU once among them (a
 * statement may not touch a row twice on PostgreSQL): up to eight rows
 * a statement, not one, which is most of what a pick row costs.
 */
void ledger_picks_add(struct ledger *, const char *source, const char *id,
    const struct ledger_pick_row *rows, int n, int64_t at);
/*
 * fn(arg, sku, qty) once for each SKU whose stock on the shelf changed
 * at time since (seconds since the epoch) or later: qty is what picks
 * took from then, over every order, less what was released from then
 * (so that a pick counted in the catalogue and released after it is
 * given back, and one taken and released since is nothing), less
 * what stock adjustments put back from then (ledger_returns).  fn is
 * called while the rows are read: it must not use the ledger.
 */
void ledger_picked_since(struct ledger *, int64_t since,
    void (*fn)(void *arg, const char *sku, int64_t qty), void *arg);
/*
 * What ledger_picked_since() would add up, told apart cheaply: the last
 * batch, and the count and quantity of releases and of stock
 * adjustments from time since.  Only pick-list makes batches, and every
 * pick it makes is in one, so two marks taken under the write lock that
 * are the same say that nobody else changed the stock in between, and
 * pick-list(1)'s windows need not read it all again (the next window's
 * stock is the last's less what the last took).
 */
struct ledger_stock_mark {
	int64_t batch, released, released_qty, adjusted, adjusted_qty;
};
struct ledger_stock_mark ledger_stock_mark(struct ledger *, int64_t since);
/*
 * fn(arg, batch, sku, qty) for each pick made at time from to time to
 * (seconds since the epoch, both included), by batch, SKU and order:
 * what the carts of a period fetched, for pick-list --slotting.  Picks
 * released since are there too: the cart went out with them.  fn must
 * not use the ledger.  Returns the count.
 */
long ledger_picks_between(struct ledger *, int64_t from, int64_t to,
    void (*fn)(void *arg, int64_t batch, const char *sku, int64_t qty),
    void *arg);
/*
 * The order (source, id) is cancelled: the stock its picks took goes
 * back to the shelf at time at.  fn(arg, sku, qty, batch) with each row
 * released now (none released before), in no particular order; fn must
 * not use the ledger.  Returns the count.
 */
long ledger_picks_release(struct ledger *, const char *source, const char *id,
    int64_t at,
    void (*fn)(void *arg, const char *sku, int64_t qty, int64_t batch),
    void *arg);

#endif
