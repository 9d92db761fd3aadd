/*
 * pick-list: allocate stock to orders, group them into waves and cart
 * batches, walk each cart by the shortest route, print pick sheets.
 * See pick-list(1).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "config.h"
#include "err.h"
#include "ledger.h"
#include "ndjson.h"
#include "opts.h"
#include "picklist.h"

static void __attribute__((noreturn)) usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: %s [-hq] [--pending] [--stats] [--catalog file] "
	    "[--config file]\n"
	    "       [--db file] [-o dir] [--rejects file] [--version] "
	    "[file ...]\n",
	    progname);
	exit(status ? status : close_stdout(EXIT_OK));
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
	    OPTS_LONG, {"stats", no_argument, NULL, 'S'}, {NULL, 0, NULL, 0}};
	struct opts o = {0};
	struct picklist p;
	struct config *cfg;
	struct catalog *cat;
	struct input **in;
	int nin, ch, status, want_stats = 0;

	err_init(argv[0]);
	picklist_init(&p);
	while (
	    (ch = getopt_long(argc, argv, OPTS_SHORT, longopts, NULL)) != -1) {
		if (ch == 'S')
			want_stats = 1;
		else if (!opts_common(ch, optarg, &o, usage))
			usage(EXIT_TROUBLE);
	}
	p.outdir = o.outdir;
	p.pending = o.pending;
	argc -= optind;
	argv += optind;

	/* Everything that can fail before an order is read fails here. */
	cfg = config_load(o.config);
	if (cfg->layout.aisles == 0)
		err_exit(EXIT_TROUBLE,
		    "%s: no layout section: pick-list needs the "
		    "aisles and bays (fulfil.json(5))",
		    cfg->file);
	cat = catalog_open(cfg, o.catalog);
	p.cfg = cfg;
	p.cat = cat;
	in = input_open_args(argc, argv, &nin);
	rejects_open(&p.rejects, o.rejects);
	p.ledger = ledger_open(o.db);
	ledger_run(p.ledger);

	picklist_run(&p, in, nin);

	if (want_stats)
		picklist_stats(&p);
	if (!quiet)
		fprintf(stderr,
		    "%s: %ld read, %ld picked (%d wave%s, %d batch%s, "
		    "%.1f m walked), %ld held, %ld passed through, %ld "
		    "rejected",
		    progname, p.read, p.picked, p.plan.nwaves,
		    p.plan.nwaves == 1 ? "" : "s", p.plan.nbatches,
		    p.plan.nbatches == 1 ? "" : "es", p.plan.route_m, p.held,
		    p.passed, p.rejected);
	if (!quiet && p.split > 0)
		fprintf(stderr, "; %ld split (backorder%s made)", p.split,
		    p.split == 1 ? "" : "s");
	if (!quiet && p.waiting > 0)
		fprintf(stderr, "; %ld waiting for %s day", p.waiting,
		    p.waiting == 1 ? "its" : "their");
	if (!quiet)
		fputc('\n', stderr);

	input_close_all(in, nin);
	rejects_close(&p.rejects);
	ledger_close(p.ledger);
	status = p.rejected > 0 || cat->nbad > 0 ? EXIT_REJECTS : EXIT_OK;
	picklist_done(&p);
	catalog_free(cat);
	config_free(cfg);
	return close_stdout(status);
}
