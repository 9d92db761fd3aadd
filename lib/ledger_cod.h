/*
 * ledger_cod: cash on delivery in the ledger.  This family owns one
 * table and is the only one that writes it: remittances, each line of a
 * carrier's remittance statement once per (statement, tracking number),
 * with what followup --remittance made of it (lib/cod).  Its queries
 * also read the manifests (which parcel carries an order's COD amount,
 * dispatch puts it on the first), the parcels' states (shipments) and
 * the staff tasks the discrepancies opened.
 *
 * Writes go into the caller's transaction (ledger_begin()).
 *
 * Ownership: strings passed in are borrowed for the call.  A struct
 * filled by ledger_cod_parcel() holds copies, freed by
 * ledger_cod_parcel_free().  The structs and strings a callback is given
 * are the ledger's, valid during the call only; a callback may write
 * rows of other tables (tasks), never begin or commit.
 */
#ifndef FULFIL_LEDGER_COD_H
#define FULFIL_LEDGER_COD_H

#include <stdint.h>

struct ledger;

/* A parcel dispatched with an amount to collect, and its state. */
struct ledger_cod_parcel {
	char *tracking, *source, *order_id, *carrier, *currency;
	int64_t cod;          /* minor units of currency, > 0 */
	int delivered;        /* the carrier said delivered */
	int64_t delivered_at; /* then: when, seconds since the epoch */
};

/*
 * The COD parcel with this tracking number: 1 with p filled, 0 when no
 * parcel on a manifest has it with an amount to collect.
 */
int ledger_cod_parcel(
    struct ledger *, const char *tracking, struct ledger_cod_parcel *p);
void ledger_cod_parcel_free(struct ledger_cod_parcel *);

/* What was remitted for a tracking number so far, in its currency. */
int64_t ledger_cod_remitted(
    struct ledger *, const char *tracking, const char *currency);

/* A statement's line as it is kept. */
struct ledger_remittance {
	const char *statement, *tracking, *carrier; /* carrier may be NULL */
	int64_t amount;
	const char *currency, *at, *outcome;
	int has_expected; /* 0: not one of our COD parcels */
	int64_t expected;
	const char *source, *order_id; /* NULL when none */
};

/* Keep a line: 1 if new, 0 if its statement had it before. */
int ledger_remittance_add(struct ledger *, const struct ledger_remittance *);

/*
 * The COD parcels delivered at or before `before` (seconds since the
 * epoch) with nothing remitted for them, the earliest first.
 */
void ledger_cod_unremitted(struct ledger *, int64_t before,
    void (*fn)(void *arg, const struct ledger_cod_parcel *), void *arg);

/* A carrier's cash on delivery in one currency. */
struct ledger_cod_carrier {
	const char *carrier, *currency;
	long parcels;       /* dispatched with an amount to collect */
	int64_t due;        /* their amounts */
	int64_t collected;  /* of those delivered */
	int64_t remitted;   /* what statements paid for them */
	long discrepancies; /* open cod_* tasks of the carrier's */
};

/*
 * By carrier and currency: the COD parcels of the ship dates from to to
 * (YYYY-MM-DD, both included), and the discrepancies open now (of any
 * date; a carrier and currency with only those has a row of its own),
 * by carrier code, an unknown carrier (NULL) last.
 */
void ledger_cod_carriers(struct ledger *, const char *from, const char *to,
    void (*fn)(void *arg, const struct ledger_cod_carrier *), void *arg);

#endif
