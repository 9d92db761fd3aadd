/*
 * An order's parcels on manifests, found by their tracking numbers
 * (ledger_parcels_undelivered(), ledger_manifest_take_off()): the
 * answers for parcels several, voided, labelled elsewhere, of another
 * order, on no manifest, delivered or not, on a manifest closed; and
 * that SQLite finds them by key, never stepping through a table, with a
 * day of other parcels on the manifests.  ledger_parcels_held() says of
 * many parcels at once what ledger_parcel_state() says of each.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "ledger.h"
#include "ledger_int.h"
#include "ledger_journey.h"
#include "ledger_manifests.h"
#include "ledger_parcels.h"
#include "tap.h"
#include "tools.h"

/* Rows SQLite stepped through in full scans, summed over statements. */
static long scanned;

static int
profile(unsigned type, void *arg, void *p, void *x)
{
	(void)type;
	(void)arg;
	(void)x;
	scanned += sqlite3_stmt_status(p, SQLITE_STMTSTATUS_FULLSCAN_STEP, 1);
	return 0;
}

/* A parcel labelled here for order id. */
static void
label(struct ledger *l, const char *tracking, const char *id, int n, int m)
{
	static int64_t serial;
	struct ledger_parcel p = {.tracking = tracking,
	    .carrier = "sf",
	    .service = "standard",
	    .source = "t",
	    .order_id = id,
	    .n = n,
	    .m = m,
	    .weight_g = 500,
	    .serial = ++serial};

	ledger_parcel_add(l, &p);
}

/* Parcel tracking of order id onto manifest. */
static void
dispatch(struct ledger *l, const char *manifest, const char *tracking,
    const char *id, int n, int m)
{
	struct manifest_parcel p = {.tracking = tracking,
	    .source = "t",
	    .order_id = id,
	    .service = "standard",
	    .n = n,
	    .m = m,
	    .weight_g = 500,
	    .currency = "CNY",
	    .dispatched_at = "2026-11-23T16:00:00+08:00"};

	ledger_manifest_add_parcel(l, manifest, &p);
}

/* The carrier says tracking (of order id) is in status. */
static void
track(
    struct ledger *l, const char *tracking, const char *id, const char *status)
{
	struct ledger_shipment s = {
	    .source = "t", .order_id = (char *)id, .carrier = "sf"};
	struct ledger_shipment old;

	memset(&old, 0, sizeof old);
	if (ledger_shipment_find(l, tracking, &old) == 1)
		ledger_shipment_move(l, tracking, status, 2, 2);
	else
		ledger_shipment_add(l, tracking, &s, status, 1);
	ledger_shipment_free(&old);
}

static long
undelivered(struct ledger *l, const char *id, const char *const *v, size_t n)
{
	return ledger_parcels_undelivered(l, "t", id, v, n);
}

static void
off_row(void *arg, const char *tracking, const char *manifest)
{
	char *s = arg;

	strcat(s, tracking);
	strcat(s, "@");
	strcat(s, manifest);
	strcat(s, " ");
}

/* What take_off took off for order id: "tracking@manifest ...". */
static const char *
take_off(struct ledger *l, const char *id, const char *const *v, size_t n)
{
	static char s[512];

	s[0] = '\0';
	ledger_manifest_take_off(l, "t", id, v, n, off_row, s);
	return s;
}

/*
 * ledger_parcels_held() against ledger_parcel_state(), parcel by parcel:
 * N numbers (more than one statement's worth, and not a multiple of
 * it), each of the ledger's kinds of parcel at places through them, the
 * rest parcels of the day on a manifest.  The numbers held: "A1 ...".
 */
#define N 150
static const char *
held_as_state(struct ledger *l)
{
	static const char *const kinds[] = {
	    "N1", "A1", "V1", "V2", "U1", "X1", "C1", "NONE"};
	static char said[256];
	struct ledger_parcel_state s;
	const char *v[N];
	char z[N][8];
	int held[N], i, bad = 0;

	said[0] = '\0';
	for (i = 0; i < N; i++)
		if (i % 20 == 0 || i == N - 1) {
			v[i] = kinds[i / 20 % 8];
		} else {
			snprintf(z[i], sizeof z[i], "Z%05d", i * 13);
			v[i] = z[i];
		}
	v[N - 1] = "N1";
	v[N - 2] = "U1";
	ledger_parcels_held(l, v, N, held);
	for (i = 0; i < N; i++) {
		ledger_parcel_state(l, v[i], &s);
		bad +=
		    held[i] != (s.voided || s.unprinted || s.manifest != NULL);
		ledger_parcel_state_free(&s);
		if (v[i][0] != 'Z' && held[i] && strlen(said) < 200) {
			strcat(said, v[i]);
			strcat(said, " ");
		}
	}
	is_int(bad, 0, "held: as each parcel's state says");
	return said;
}

int
main(void)
{
	static const char *const rec_a[] = {"A1", "A2"};
	static const char *const rec_f[] = {"F1", "X1", "F1"};
	static const char *const rec_b[] = {"A1"};
	struct ledger *l;
	char t[32];
	int i;

	err_init("test-ledger_manifests");
	setenv("FULFIL_NOW", "2026-11-23T10:00:00+08:00", 1);
	tmpdir("test-ledger_manifests");

	l = ledger_open("l.db");
	ledger_run(l, NULL);
	ledger_begin(l);
	ledger_manifest_open(l, "SF-1", "sf", "2026-11-23");
	ledger_manifest_open(l, "SF-2", "sf", "2026-11-24");
	/* A day of other orders' parcels, labelled and on the manifest. */
	for (i = 0; i < 2000; i++) {
		snprintf(t, sizeof t, "Z%05d", i);
		label(l, t, t, 1, 1);
		dispatch(l, "SF-1", t, t, 1, 1);
	}
	/* A: two parcels.  V: one voided and labelled again. */
	label(l, "A1", "A", 1, 2);
	label(l, "A2", "A", 2, 2);
	dispatch(l, "SF-1", "A1", "A", 1, 2);
	dispatch(l, "SF-1", "A2", "A", 2, 2);
	label(l, "V1", "V", 1, 1);
	ledger_parcels_void(l, "t", "V");
	label(l, "V2", "V", 1, 1);
	dispatch(l, "SF-1", "V2", "V", 1, 1);
	/* F: one parcel labelled here, one elsewhere (no label here). */
	label(l, "F1", "F", 1, 2);
	dispatch(l, "SF-1", "F1", "F", 1, 2);
	dispatch(l, "SF-1", "X1", "F", 2, 2);
	/* N: labelled, on no manifest.  C: on SF-2, closed. */
	label(l, "N1", "N", 1, 1);
	/* U: its label claimed for printing, never printed. */
	label(l, "U1", "U", 1, 1);
	ledger_parcel_claim_print(l, "U1", "labels/u.zpl");
	label(l, "C1", "C", 1, 1);
	dispatch(l, "SF-2", "C1", "C", 1, 1);
	ledger_manifest_close(l, "SF-2", "2026-11-24T18:00:00+08:00");
	ledger_commit(l);

	sqlite3_trace_v2(ledger_db(l), SQLITE_TRACE_PROFILE, profile, NULL);
	ledger_begin(l);
	scanned = 0;
	is_str(held_as_state(l), "A1 V1 V2 U1 X1 C1 U1 ",
	    "held: on a manifest, voided, never printed; not N1, nor NONE");
	is_int(scanned, 0, "held: no table scanned");
	scanned = 0;
	is_int(undelivered(l, "A", rec_a, 2), 2, "two parcels, none delivered");
	track(l, "A1", "A", "in_transit");
	track(l, "A1", "A", "delivered");
	is_int(undelivered(l, "A", rec_a, 2), 1, "one of two delivered");
	is_int(undelivered(l, "A", NULL, 0), 1, "the same from its labels");
	track(l, "A2", "A", "delivered");
	is_int(undelivered(l, "A", rec_a, 2), 0, "both delivered");
	track(l, "V2", "V", "delivered");
	is_int(undelivered(l, "V", NULL, 0), 0,
	    "a voided label on no manifest is no parcel");
	is_int(undelivered(l, "N", NULL, 0), 0, "on no manifest: none");
	track(l, "F1", "F", "delivered");
	is_int(undelivered(l, "F", rec_f, 3), 1,
	    "labelled elsewhere: counted, from the record, once");
	/* B's record says A1, A's parcel: not B's. */
	is_int(undelivered(l, "B", rec_b, 1), 0, "another order's number");
	is_int(scanned, 0, "undelivered: no table scanned");

	scanned = 0;
	is_str(take_off(l, "C", NULL, 0), "", "closed manifest: stays");
	is_str(take_off(l, "N", NULL, 0), "", "on no manifest: nothing");
	is_str(take_off(l, "B", rec_b, 1), "", "another order's: stays");
	is_str(take_off(l, "F", rec_f, 3), "F1@SF-1 X1@SF-1 ",
	    "labelled here and elsewhere: both off");
	is_str(take_off(l, "A", rec_a, 2), "A1@SF-1 A2@SF-1 ",
	    "two parcels: both off, once");
	is_str(take_off(l, "A", rec_a, 2), "", "again: nothing left");
	is_int(scanned, 0, "take_off: no table scanned");
	ledger_commit(l);
	ledger_close(l);
	unlink("l.db");
	unlink("l.db-wal");
	unlink("l.db-shm");
	tmpdir_remove();
	return done_testing();
}
