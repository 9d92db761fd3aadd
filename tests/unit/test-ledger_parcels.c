/*
 * The ledger's tracking numbers (ledger_parcels.h), through its API
 * only, as another backend would have to answer: serials, parcels and
 * their labels' claims, voiding, and label --pending's condition.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "ledger.h"
#include "ledger_parcels.h"
#include "tap.h"
#include "tools.h"

/* What ledger_parcels_of() said, one line a parcel. */
static void
row(void *arg, const struct ledger_parcel *p)
{
	char *s = arg, line[256];

	snprintf(line, sizeof line, "%s %s %d/%d %lld due=%d printed=%d %s;",
	    p->tracking, p->carrier, p->n, p->m, (long long)p->weight_g, p->due,
	    p->printed, p->path ? p->path : "-");
	strcat(s, line);
}

/* The parcels of order (t, id), as ledger_parcels_of() says them. */
static const char *
parcels(struct ledger *l, const char *id)
{
	static char seen[1024];

	seen[0] = '\0';
	ledger_parcels_of(l, "t", id, row, seen);
	return seen;
}

/* Parcel n of m of order (t, id), by sf, as the tests add them. */
static struct ledger_parcel
parcel(const char *tracking, const char *id, int n, int m)
{
	struct ledger_parcel p = {.tracking = tracking,
	    .carrier = "sf",
	    .service = "standard",
	    .source = "t",
	    .order_id = id,
	    .n = n,
	    .m = m,
	    .weight_g = 500 * n};

	return p;
}

static void
add(struct ledger *l, const char *tracking, const char *id, int n, int m,
    int64_t serial)
{
	struct ledger_parcel p = parcel(tracking, id, n, m);

	p.serial = serial;
	ledger_parcel_add(l, &p);
}

/*
 * A parcel numbered with its label claimed at path; made: path's id
 * from an earlier parcel of the lot in this transaction, or 0.  Its
 * label file's id.
 */
static int64_t
claimed(struct ledger *l, const char *tracking, const char *id, int n, int m,
    const char *path, int64_t made)
{
	struct ledger_parcel p = parcel(tracking, id, n, m);

	p.serial = 10 + n;
	p.due = 1;
	p.path = path;
	p.path_made = made != 0;
	p.path_id = made;
	return ledger_parcel_add(l, &p);
}

static int
counted(void *arg, const char *record, size_t len)
{
	(void)record;
	(void)len;
	(*(int *)arg)++;
	return 0;
}

/* How many orders --pending would take up, as label does. */
static int
pending(struct ledger *l, int unprinted)
{
	static const char *const waiting[] = {"picked", "labelled", NULL};
	char *where = ledger_parcels_pending_where(0, "picked", unprinted);
	int n = 0;

	ledger_pending(l, waiting, where, counted, &n);
	free(where);
	return n;
}

/* The order of a tracking number, "source id", and whether voided. */
static const char *
order_of(struct ledger *l, const char *tracking, int *voided)
{
	static char buf[64];
	char *source, *id;

	if (!ledger_parcel_find(l, tracking, &source, &id, voided))
		return "none";
	snprintf(buf, sizeof buf, "%s %s", source, id);
	free(source);
	free(id);
	return buf;
}

int
main(void)
{
	struct ledger *l;
	int64_t run, file;
	int voided;

	err_init("test-ledger_parcels");
	setenv("FULFIL_NOW", "2026-11-23T10:00:00+08:00", 1);
	tmpdir("test-ledger_parcels");

	l = ledger_open("l.db");
	run = ledger_run(l, NULL);
	ledger_begin(l);
	is_int(ledger_serial_next(l, "sf"), 0, "no serial handed out yet");
	ledger_serial_set(l, "sf", 3);
	ledger_serial_set(l, "sf", 4);
	is_int(ledger_serial_next(l, "sf"), 4, "the next serial, as set last");
	is_int(ledger_serial_next(l, "ems"), 0, "each carrier its own");

	add(l, "SF2", "A", 2, 2, 2);
	add(l, "SF1", "A", 1, 2, 1);
	add(l, "SF3", "B", 1, 1, 3);
	is_str(parcels(l, "A"),
	    "SF1 sf 1/2 500 due=0 printed=0 -;SF2 sf 2/2 1000 due=0 "
	    "printed=0 -;",
	    "an order's parcels, by n, no label claimed");

	ledger_parcel_claim_print(l, "SF1", "/labels/run-1.zpl");
	ledger_parcel_claim_print(l, "SF2", "/labels/run-1.zpl");
	ledger_parcel_printed(l, "SF1");
	ledger_print_add(l, "SF1", 0, "zpl ");
	is_str(parcels(l, "A"),
	    "SF1 sf 1/2 500 due=1 printed=1 /labels/run-1.zpl;SF2 sf 2/2 "
	    "1000 due=1 printed=0 /labels/run-1.zpl;",
	    "claimed labels, one printed");
	is_int(ledger_unprinted_count(l), 0,
	    "a live run's label not printed is not counted");
	ledger_order_put(l, "t", "A", "labelled", "{}", 2, NULL, 0, 0);
	ledger_order_put(l, "t", "B", "picked", "{}", 2, NULL, 0, 0);
	ledger_order_put(l, "t", "C", "labelled", "{}", 2, NULL, 0, 0);
	ledger_commit(l);
	ledger_close(l);

	/* The run has ended: its claim is a dead run's now. */
	l = ledger_open("l.db");
	ok(ledger_run(l, NULL) > run, "a second run");
	is_int(ledger_unprinted_count(l), 1, "a dead run's label not printed");
	is_int(pending(l, 0), 1, "--pending: the picked order");
	is_int(pending(l, 1), 2, "--pending -o: and the unprinted one");

	ledger_begin(l);
	is_str(order_of(l, "SF2", &voided), "t A", "a number's order");
	is_int(voided, 0, "not voided");
	is_str(order_of(l, "SF9", &voided), "none", "an unknown number");
	ledger_parcels_void(l, "t", "A");
	is_str(order_of(l, "SF1", &voided), "t A", "voided: still found");
	is_int(voided, 1, "voided, every parcel of the order");
	is_str(parcels(l, "A"), "", "a voided order has no parcels");
	is_int(ledger_unprinted_count(l), 0, "nor labels to print");

	/* Claimed as numbered: a lot's file made once, named by its id. */
	file = claimed(l, "SF4", "D", 1, 2, "/labels/run-2.zpl", 0);
	ok(file > 0, "claimed at numbering: its label file's id");
	is_int(claimed(l, "SF5", "D", 2, 2, "/labels/run-2.zpl", file), file,
	    "the lot's next parcel: the same file, by the id given");
	is_str(parcels(l, "D"),
	    "SF4 sf 1/2 500 due=1 printed=0 /labels/run-2.zpl;SF5 sf 2/2 "
	    "1000 due=1 printed=0 /labels/run-2.zpl;",
	    "both claimed, at the lot's file");
	ok(claimed(l, "SF6", "E", 1, 1, "/labels/run-1.zpl", 0) != file,
	    "a file made before: its own row, found");
	is_str(parcels(l, "E"),
	    "SF6 sf 1/1 500 due=1 printed=0 /labels/run-1.zpl;",
	    "claimed at the file made before");
	ledger_commit(l);
	ledger_close(l);
	unlink("l.db");
	unlink("l.db-wal");
	unlink("l.db-shm");
	tmpdir_remove();
	return done_testing();
}
