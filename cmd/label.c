/*
 * label: choose each picked order's carrier, give each parcel a tracking
 * number exactly once, print labels as ZPL, PDF or PNG.  See label(1).
 * The work is lib/labels.c's.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "config.h"
#include "err.h"
#include "labels.h"
#include "ledger.h"
#include "ndjson.h"
#include "opts.h"
#include "pack.h"
#include "print.h"

static void __attribute__((noreturn)) usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: %s [-hq] [--pending] [--reprint] [--carrier code] "
	    "[--format zpl,pdf,png]\n"
	    "       [--print queue] [--size 4x6|100x150] [--slip] "
	    "[--slip-size a6|4x6|a4]\n"
	    "       [-o dir] [--config file] [--db file] [--catalog file]\n"
	    "       [--rejects file] [--version] [file ...]\n"
	    "       %s --return [--pending] [--reprint] [--print queue] [-o dir] "
	    "[file ...]\n"
	    "       %s --pack [--scans file] [--station name] [--slip] "
	    "-o dir [options]\n"
	    "       %s --void tracking ...\n",
	    progname, progname, progname, progname);
	exit(status ? status : close_stdout(EXIT_OK));
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {OPTS_LONG,
	    {"carrier", required_argument, NULL, 'c'},
	    {"format", required_argument, NULL, 'f'},
	    {"print", required_argument, NULL, 'p'},
	    {"size", required_argument, NULL, 's'},
	    {"slip", no_argument, NULL, 'S'},
	    {"slip-size", required_argument, NULL, 'Z'},
	    {"void", required_argument, NULL, 'X'},
	    {"return", no_argument, NULL, 'Y'},
	    {"reprint", no_argument, NULL, 'A'},
	    /* Not 'K': that is OPTS_LONG's --catalog. */
	    {"pack", no_argument, NULL, 'k'},
	    {"scans", required_argument, NULL, 'N'},
	    {"station", required_argument, NULL, 'T'}, {NULL, 0, NULL, 0}};
	const char *size = NULL, *queue = NULL, *slip = NULL;
	const char *scans = NULL, *station = NULL;
	int packing = 0;
	struct opts o = {0};
	struct optlist voids = {0};
	struct config *cfg;
	struct catalog *cat;
	struct input **in;
	struct labels u;
	int ch, nin, status;

	err_init(argv[0]);
	ndjson_stdout();
	labels_init(&u);
	while ((ch = getopt_long(
		    argc, argv, "c:f:s:" OPTS_SHORT, longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			u.forced = optarg;
			break;
		case 'f':
			if ((u.formats = labels_formats(optarg)) == 0) {
				err_warn(
				    "--format: give zpl, pdf, png, separated "
				    "by commas");
				usage(EXIT_TROUBLE);
			}
			break;
		case 'p':
			queue = optarg;
			break;
		case 's':
			size = optarg;
			break;
		case 'S':
			if (slip == NULL)
				slip = "";
			break;
		case 'Z':
			slip = optarg;
			break;
		case 'X':
			opts_add(&voids, optarg);
			break;
		case 'Y':
			u.returns = 1;
			break;
		case 'A':
			u.reprint = 1;
			break;
		case 'k':
			packing = 1;
			break;
		case 'N':
			scans = optarg;
			break;
		case 'T':
			station = optarg;
			break;
		default:
			if (!opts_common(ch, optarg, &o, usage))
				usage(EXIT_TROUBLE);
		}
	}
	argc -= optind;
	argv += optind;

	/* Everything that can fail before an order is read fails here. */
	u.cfg = cfg = config_load(o.config);
	if (voids.n > 0) {
		if (argc > 0 || o.pending)
			err_exit(EXIT_TROUBLE, "--void takes no input");
		u.ledger = ledger_open(o.db);
		ledger_run(u.ledger, u.cfg->wh_id);
		status = labels_void(&u, voids.v, (int)voids.n);
		ledger_close(u.ledger);
		config_free(cfg);
		free(voids.v);
		labels_done(&u);
		return close_stdout(status);
	}
	if (packing && (argc > 0 || o.pending || u.returns || u.reprint))
		err_exit(EXIT_TROUBLE, "--pack reads scans, not orders: the "
				       "orders are the ledger's");
	if (packing && o.outdir == NULL)
		err_exit(EXIT_TROUBLE, "--pack needs -o dir for the labels");
	if ((scans != NULL || station != NULL) && !packing)
		err_exit(EXIT_TROUBLE, "--scans and --station go with --pack");
	if (u.reprint && o.outdir == NULL)
		err_exit(EXIT_TROUBLE, "--reprint needs -o dir for the labels");
	if (queue != NULL && o.outdir == NULL)
		err_exit(EXIT_TROUBLE, "--print needs -o dir for the labels");
	u.print = o.outdir != NULL && print_setup(&u.printer, cfg, queue,
					  (u.formats & LABELS_ZPL) != 0);
	if (size == NULL)
		size = cfg->label_size ? cfg->label_size : "4x6";
	if (strcmp(size, "4x6") == 0)
		u.size = LABEL_4X6;
	else if (strcmp(size, "100x150") == 0)
		u.size = LABEL_100X150;
	else {
		err_warn("--size: 4x6 or 100x150");
		usage(EXIT_TROUBLE);
	}
	/* A slip the size of the label, unless told otherwise. */
	if (slip != NULL && *slip == '\0')
		slip = u.size == LABEL_100X150 ? "a6" : "4x6";
	if (slip != NULL && (u.slip = slip_size_parse(slip)) == SLIP_NONE) {
		err_warn("--slip-size: a6, 4x6 or a4");
		usage(EXIT_TROUBLE);
	}
	if (u.slip != SLIP_NONE && (o.outdir == NULL || u.returns))
		err_exit(EXIT_TROUBLE,
		    u.returns ? "--slip: return labels have no "
				"packing slip"
			      : "--slip needs -o dir for the slips");
	if (u.forced != NULL && config_carrier(cfg, u.forced) == NULL)
		err_exit(EXIT_TROUBLE, "--carrier: no carrier '%s' in %s",
		    u.forced, cfg->file);
	u.cat = cat = catalog_open(cfg, o.catalog);
	/* --pack: the scanner's lines in, the orders from the ledger. */
	if (packing)
		in = input_open_args(scans != NULL, (char **)&scans, &nin);
	else
		in = input_open_args(argc, argv, &nin);
	rejects_open(&u.rejects, o.rejects);
	u.ledger = ledger_open(o.db);
	ledger_run(u.ledger, u.cfg->wh_id);
	if (o.outdir != NULL)
		labels_outdir(&u, o.outdir);

	if (packing) {
		struct pack pk;

		pack_init(&pk, &u, cat, station);
		status = pack_run(&pk, in[0]);
		if (!quiet)
			pack_summary(&pk);
		pack_done(&pk);
	} else
		status = labels_run(&u, in, nin, o.pending);
	if (!quiet)
		labels_summary(&u);

	input_close_all(in, nin);
	rejects_close(&u.rejects);
	ledger_close(u.ledger);
	catalog_free(cat);
	config_free(cfg);
	labels_done(&u);
	free(voids.v);
	return close_stdout(status);
}
