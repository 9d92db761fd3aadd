/*
 * cod: cash on delivery reconciled.  A carrier collects a COD parcel's
 * amount at the door and later remits it, listed in a statement; cod
 * matches each line of those statements (CSV, read through a map, or in
 * the default layout) against the COD parcels on the manifests, and
 * says of each line what it is: paid (what was remitted for the parcel,
 * over every statement so far, is its amount), short, over, or unknown
 * (not a COD parcel of ours); a line its statement had before is a
 * duplicate and makes nothing.  --scan finds the parcels delivered
 * followup.cod.overdue_days ago or more with nothing remitted: missing.
 * Each discrepancy opens one staff task (tasks.h): cod_short, cod_over,
 * cod_unknown, cod_missing.  See followup(1), "Cash on delivery".
 *
 * Everything is kept in the ledger (ledger_cod.h) in followup's
 * transaction, the tasks written after its commit (aftercare.h).
 *
 * Ownership: cod_map_load() returns a new reference, the caller's; the
 * other calls borrow what they are given.
 */
#ifndef FULFIL_COD_H
#define FULFIL_COD_H

#include <stddef.h>

#include <jansson.h>

struct aftercare;

/* What a run made of the statements and the scan, for its summary. */
struct cod_tally {
	long lines, dup, rejected;
	long paid, shortpaid, over, unknown, missing;
};

/*
 * A remittance map (--map with --remittance): the statement's columns by
 * our names, and what the file does not say.  Said wrong, exit 2.
 */
json_t *cod_map_load(const char *path);
/*
 * --remittance: read each statement (map NULL: the default layout) and
 * reconcile its lines.
 */
void cod_remittances(struct aftercare *, const json_t *map, char **paths,
    size_t n, struct cod_tally *);
/* --scan: a cod_missing task for each parcel overdue. */
void cod_scan(struct aftercare *, struct cod_tally *);
/*
 * A remittance run's summary line on stderr, unless -q: the tally, and
 * the tasks the run opened.
 */
void cod_summary(const struct cod_tally *, long tasks);

#endif
