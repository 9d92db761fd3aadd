/*
 * The stock on the shelf (ledger_picks.h), through the ledger's API:
 * what picks take, and what a cancellation gives back, against a
 * catalogue counted before the pick, between pick and release, and
 * after both.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "ledger.h"
#include "ledger_picks.h"
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
	ledger_commit(l);
	ledger_close(l);
	unlink("l.db");
	unlink("l.db-wal");
	unlink("l.db-shm");
	tmpdir_remove();
	return done_testing();
}
