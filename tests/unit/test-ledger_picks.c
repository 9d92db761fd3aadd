/*
 * The stock on the shelf (ledger_picks.h), through the ledger's API:
 * what picks take, and what a cancellation gives back, against a
 * catalogue counted before the pick, between pick and release, and
 * after both; and the stock mark, which tells pick-list's windows
 * whether anything changed the stock since the last.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "ledger.h"
#include "ledger_int.h"
#include "ledger_picks.h"
#include "ledger_returns.h"
#include "tap.h"
#include "tools.h"

/* What ledger_picked_since() says of one SKU. */
struct want {
	const char *sku;
	int64_t qty;
};

static void
taken(void *arg, const char *sku, int64_t qty)
{
	struct want *w = arg;

	if (strcmp(sku, w->sku) == 0)
		w->qty += qty;
}

/* The stock of sku taken from the shelf since time since. */
static int64_t
since(struct ledger *l, const char *sku, int64_t t)
{
	struct want w = {sku, 0};

	ledger_picked_since(l, t, taken, &w);
	return w.qty;
}

/* Counts the SKUs Knnnn whose stock taken is nnnn + 1. */
static void
each_k(void *arg, const char *sku, int64_t qty)
{
	int k;

	if (sscanf(sku, "K%4d", &k) == 1 && qty == k + 1)
		++*(int *)arg;
}

static void
released(void *arg, const char *sku, int64_t qty, int64_t batch)
{
	char *s = arg, line[64];

	snprintf(line, sizeof line, "%s %lld b%lld;", sku, (long long)qty,
	    (long long)batch);
	strcat(s, line);
}

/* ledger_picks_between()'s rows, one "batch sku qty;" each. */
static void
row(void *arg, int64_t batch, const char *sku, int64_t qty)
{
	released(arg, sku, qty, batch);
}

/* Orders ids (one letter each) as pick-list leaves them: picked. */
static void
orders(struct ledger *l, const char *ids)
{
	char id[2] = {0, 0}, rec[64];

	for (; *ids != '\0'; ids++) {
		id[0] = *ids;
		snprintf(rec, sizeof rec,
		    "{\"source\":\"t\",\"order_id\":\"%s\"}", id);
		ledger_order_put(l, "t", id, "picked", rec, strlen(rec), NULL,
		    0, 0);
	}
}

int
main(void)
{
	char seen[256] = "";
	struct ledger *l;

	err_init("test-ledger_picks");
	setenv("FULFIL_NOW", "2026-11-23T10:00:00+08:00", 1);
	tmpdir("test-ledger_picks");

	l = ledger_open("l.db");
	ledger_run(l, NULL);
	ledger_begin(l);
	orders(l, "ABCDE");
	/* Two orders take TEA at 1000; the first is cancelled at 2000. */
	ledger_pick_add(l, "t", "A", "TEA", 2, 7, 1000);
	ledger_pick_add(l, "t", "A", "POT", 1, 7, 1000);
	ledger_pick_add(l, "t", "B", "TEA", 3, 7, 1000);
	is_int(since(l, "TEA", 500), 5, "taken since a count before both");
	is_int(ledger_picks_release(l, "t", "A", 2000, released, seen), 2,
	    "the cancelled order's two rows released");
	ok(strlen(seen) == strlen("POT 1 b7;TEA 2 b7;") &&
		strstr(seen, "POT 1 b7;") != NULL &&
		strstr(seen, "TEA 2 b7;") != NULL,
	    "each with its qty and batch (%s)", seen);
	is_int(since(l, "TEA", 500), 3,
	    "counted before the pick: what is still out is the other order's");
	is_int(since(l, "POT", 500), 0, "and nothing of the released SKU");
	is_int(since(l, "TEA", 1500), -2,
	    "counted while on the cart: the release gives it back");
	is_int(since(l, "TEA", 2500), 0, "counted after the release: nothing");
	seen[0] = '\0';
	is_int(ledger_picks_release(l, "t", "A", 3000, released, seen), 0,
	    "released once only");
	is_str(seen, "", "nothing said the second time");
	is_int(since(l, "TEA", 1500), -2, "and nothing given back twice");

	/* A period's carts, for slotting: released picks went out too. */
	ledger_pick_add(l, "t", "C", "CUP", 1, 9, 4000);
	ledger_pick_add(l, "t", "D", "BAG", 2, 8, 4000);
	seen[0] = '\0';
	is_int(ledger_picks_between(l, 1000, 4000, row, seen), 5,
	    "picks from 1000 to 4000, both ends in");
	is_str(seen, "POT 1 b7;TEA 2 b7;TEA 3 b7;BAG 2 b8;CUP 1 b9;",
	    "by batch, then SKU, released ones too");
	seen[0] = '\0';
	is_int(
	    ledger_picks_between(l, 1001, 3999, row, seen), 0, "none between");

	/*
	 * ledger_picks_add(): eleven SKUs of one order go in three
	 * statements (8, 2 and 1 rows), each row with its own qty and
	 * batch; picked again, each row is replaced, a released one taken
	 * out again.
	 */
	{
		struct ledger_pick_row rows[11];
		char sku[11][8];
		int k;

		for (k = 0; k < 11; k++) {
			snprintf(sku[k], sizeof sku[k], "S%02d", k);
			rows[k] = (struct ledger_pick_row){sku[k], k + 1, 20 + k};
		}
		ledger_picks_add(l, "t", "E", rows, 11, 5000);
		seen[0] = '\0';
		is_int(ledger_picks_between(l, 5000, 5000, row, seen), 11,
		    "eleven rows of one order, in 8 + 2 + 1");
		ok(strstr(seen, "S00 1 b20;") != NULL &&
			strstr(seen, "S07 8 b27;") != NULL &&
			strstr(seen, "S08 9 b28;") != NULL &&
			strstr(seen, "S10 11 b30;") != NULL,
		    "each row its own sku, qty and batch (%s)", seen);
		is_int(since(l, "S10", 5000), 11, "the last row's stock taken");
		seen[0] = '\0';
		(void)ledger_picks_release(l, "t", "E", 5500, released, seen);
		is_int(since(l, "S01", 5000), 0, "released");
		rows[0].qty = 5;
		rows[1].qty = 6;
		ledger_picks_add(l, "t", "E", rows, 2, 6000);
		is_int(since(l, "S00", 6000), 5, "picked again: replaced");
		is_int(since(l, "S01", 5800), 6,
		    "and taken out again, the release undone");
		is_int(since(l, "S02", 5800), 0, "the rest stay released");
	}

	/*
	 * The stock mark: the same while nothing changes the stock; a new
	 * batch, a release and a stock adjustment each change it.
	 */
	{
		struct ledger_stock_mark m0, m1;

		m0 = ledger_stock_mark(l, 1000);
		m1 = ledger_stock_mark(l, 1000);
		ok(memcmp(&m0, &m1, sizeof m0) == 0,
		    "the mark: the same again");
		is_int(m0.released, 11, "releases since 1000 counted");
		(void)ledger_batch_add(l, "2026-11-23 18:30", 1, 10);
		m1 = ledger_stock_mark(l, 1000);
		ok(m1.batch > m0.batch, "a new batch moves the mark");
		m0 = m1;
		seen[0] = '\0';
		(void)ledger_picks_release(l, "t", "D", 7000, released, seen);
		m1 = ledger_stock_mark(l, 1000);
		ok(m1.released == m0.released + 1 &&
			m1.released_qty == m0.released_qty + 2 &&
			m1.batch == m0.batch,
		    "a release moves it, not the batch");
		m0 = m1;
		(void)ledger_stock_adjust(l, "CUP", 3, "return", "RMA-1", 7000);
		m1 = ledger_stock_mark(l, 1000);
		ok(m1.adjusted == m0.adjusted + 1 &&
			m1.adjusted_qty == m0.adjusted_qty + 3,
		    "a stock adjustment moves it");
		m0 = ledger_stock_mark(l, 8000);
		ok(m0.released == 0 && m0.adjusted == 0,
		    "none of them after their time");
	}

	/*
	 * A pick keeps its SKU's id (schema 26), made in the order SKUs
	 * come: a release still says them in the order of their text.
	 */
	orders(l, "FG");
	ledger_pick_add(l, "t", "F", "AAA", 1, 1, 9000);
	ledger_pick_add(l, "t", "F", "ZZZ", 2, 1, 9000);
	seen[0] = '\0';
	(void)ledger_picks_release(l, "t", "F", 9500, released, seen);
	is_str(seen, "AAA 1 b1;ZZZ 2 b1;", "released: by the SKU's text");

	/* Thousands of SKUs, each its own id (the names' table grown). */
	{
		struct ledger_pick_row rows[3000];
		char sku[3000][8];
		int k, n = 0;

		for (k = 0; k < 3000; k++) {
			snprintf(sku[k], sizeof sku[k], "K%04d", k);
			rows[k] = (struct ledger_pick_row){sku[k], k + 1, 40};
		}
		ledger_picks_add(l, "t", "G", rows, 3000, 10000);
		ledger_picked_since(l, 10000, each_k, &n);
		is_int(n, 3000, "3,000 SKUs: each its own stock taken");
		ledger_picks_add(l, "t", "G", rows + 2999, 1, 10000);
		is_int(
		    since(l, "K2999", 10000), 3000, "the last again: one row");
	}
	ledger_commit(l);

	/*
	 * A SKU first written in a transaction rolled back: its id is gone
	 * with it, and made again when it is picked next.
	 */
	ledger_begin(l);
	ledger_pick_add(l, "t", "F", "GONE", 4, 1, 11000);
	sqlite3_exec(ledger_db(l), "ROLLBACK", NULL, NULL, NULL);
	is_int(since(l, "GONE", 11000), 0, "rolled back: not taken");
	ledger_begin(l);
	ledger_pick_add(l, "t", "F", "NEXT", 5, 1, 11000);
	ledger_pick_add(l, "t", "F", "GONE", 4, 1, 11000);
	ledger_commit(l);
	is_int(since(l, "GONE", 11000), 4,
	    "picked again after the rollback: taken, by its name");
	is_int(since(l, "NEXT", 11000), 5, "and the SKU after it its own");
	ledger_close(l);
	unlink("l.db");
	unlink("l.db-wal");
	unlink("l.db-shm");
	tmpdir_remove();
	return done_testing();
}
