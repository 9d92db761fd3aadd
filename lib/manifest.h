/*
 * manifest: a carrier's manifest for one pickup, as dispatch(1) closes
 * it: the CSV the carrier reads (written by csvout.h), a summary as text
 * and JSON, and the printable hand-over sheet with the manifest id as a
 * barcode for the driver to scan (handover.h, included here).
 *
 * Ownership: everything is borrowed from the caller; the writers only
 * write to the FILE (write errors are left on it for outfile_commit).
 */
#ifndef FULFIL_MANIFEST_H
#define FULFIL_MANIFEST_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "handover.h"

struct manifest_parcel {
	const char *tracking;
	const char *source, *order_id;
	const char *service;
	int n, m; /* parcel n of m */
	int64_t weight_g;
	int64_t cod; /* to collect, minor units; 0: none */
	const char *currency;
	unsigned handling; /* HANDLE_* bits of catalog.h */
	const char *dispatched_at;
};

struct manifest {
	const char *id;      /* "SF-20261123" */
	const char *carrier; /* code */
	const char *carrier_name;
	const char *account;        /* may be NULL */
	const char *ship_date;      /* YYYY-MM-DD */
	const char *closed_at;      /* RFC 3339 */
	const char *origin_name;    /* the warehouse */
	const char *origin_address; /* one line */
	const struct manifest_parcel *p;
	size_t n;
};

/* Totals the summary shows. */
struct manifest_totals {
	size_t pieces;
	int64_t weight_g;
	struct {
		const char *service;
		size_t pieces;
		int64_t weight_g;
	} by_service[16];
	size_t nservices;
	struct {
		const char *currency;
		int64_t amount;
		size_t pieces;
	} cod[8];
	size_t ncod;
};

void manifest_totals(const struct manifest *, struct manifest_totals *);
/* One row per parcel under a header row. */
void manifest_csv(FILE *, const struct manifest *);
void manifest_text(FILE *, const struct manifest *);
void manifest_json(FILE *, const struct manifest *);

#endif
