/*
 * pick-list: allocate stock to orders, group them into waves and cart
 * batches, walk each cart by the shortest route, print pick sheets.
 * See pick-list(1).
 */
#include <errno.h>
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
#include "when.h"

static void __attribute__((noreturn)) usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: %s [-hq] [--pending] [--stats] [--catalog file] "
	    "[--config file]\n"
	    "       [--db file] [-o dir] [--rejects file] [--version] "
	    "[--window n]\n"
	    "       [file ...]\n"
	    "       %s --slotting [-q] [--catalog file] [--config file] "
	    "[--db file]\n"
	    "       [--from date] [--moves n] [--to date]\n",
	    progname, progname);
	exit(status ? status : close_stdout(EXIT_OK));
}

/*
 * --from and --to as day numbers in the warehouse's zone: to is today
 * unless given, from 29 days before to (30 days) unless given.
 */
static void
slotting_period(const struct config *cfg, const char *from, const char *to,
    int64_t *d1, int64_t *d2)
{
	struct when now = when_in_zone(when_now().t, cfg->tz);

	*d2 = when_day(&now);
	if (to != NULL && parse_date(to, d2) != 0)
		err_exit(
		    EXIT_TROUBLE, "--to: '%s' is not a date (YYYY-MM-DD)", to);
	*d1 = *d2 - 29;
	if (from != NULL && parse_date(from, d1) != 0)
		err_exit(EXIT_TROUBLE,
		    "--from: '%s' is not a date (YYYY-MM-DD)", from);
	if (*d1 > *d2)
		err_exit(EXIT_TROUBLE, "--from %s is after --to %s", from,
		    to != NULL ? to : "(today)");
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {OPTS_LONG,
	    {"from", required_argument, NULL, 'F'},
	    {"moves", required_argument, NULL, 'M'},
	    {"slotting", no_argument, NULL, 'L'},
	    {"stats", no_argument, NULL, 'S'},
	    {"to", required_argument, NULL, 'T'},
	    {"window", required_argument, NULL, 'W'}, {NULL, 0, NULL, 0}};
	struct opts o = {0};
	struct picklist p;
	struct config *cfg;
	struct catalog *cat;
	struct input **in;
	int nin, ch, status, want_stats = 0, slotting = 0, moves = 0;
	const char *from = NULL, *to = NULL;
	char *end;
	long n, window = -1;

	err_init(argv[0]);
	ndjson_stdout();
	picklist_init(&p);
	while (
	    (ch = getopt_long(argc, argv, OPTS_SHORT, longopts, NULL)) != -1) {
		if (ch == 'S')
			want_stats = 1;
		else if (ch == 'L')
			slotting = 1;
		else if (ch == 'F')
			from = optarg;
		else if (ch == 'T')
			to = optarg;
		else if (ch == 'M') {
			n = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || n < 1 ||
			    n > 10000)
				err_exit(EXIT_TROUBLE,
				    "--moves: '%s' is not a count from 1 to "
				    "10000",
				    optarg);
			moves = (int)n;
		} else if (ch == 'W') {
			errno = 0;
			n = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || errno != 0 ||
			    n < 0 || n > PICK_WINDOW_MAX)
				err_exit(EXIT_TROUBLE,
				    "--window: '%s' is not a count of orders "
				    "(0: the whole input)",
				    optarg);
			window = n;
		} else if (!opts_common(ch, optarg, &o, usage))
			usage(EXIT_TROUBLE);
	}
	p.outdir = o.outdir;
	p.pending = o.pending;
	p.stats = want_stats;
	argc -= optind;
	argv += optind;
	if (!slotting && (from != NULL || to != NULL || moves != 0))
		usage(EXIT_TROUBLE);
	if (slotting && (argc > 0 || p.pending || want_stats || o.outdir ||
			    o.rejects || window != -1))
		usage(EXIT_TROUBLE);

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
	p.window = window != -1 ? window : cfg->pick_window;
	if (slotting) {
		int64_t d1, d2;

		slotting_period(cfg, from, to, &d1, &d2);
		p.ledger = ledger_open(o.db);
		status = picklist_slotting(&p, d1, d2, moves ? moves : 10);
		ledger_close(p.ledger);
		if (status == EXIT_OK && cat->nbad > 0)
			status = EXIT_REJECTS;
		picklist_done(&p);
		catalog_free(cat);
		config_free(cfg);
		return close_stdout(status);
	}
	in = input_open_args(argc, argv, &nin);
	rejects_open(&p.rejects, o.rejects);
	p.ledger = ledger_open(o.db);
	ledger_run(p.ledger, cfg->wh_id);

	picklist_run(&p, in, nin);

	if (want_stats)
		picklist_stats(&p);
	if (!quiet)
		fprintf(stderr,
		    "%s: %ld read, %ld picked (%d wave%s, %d batch%s, "
		    "%.1f m walked), %ld held, %ld passed through, %ld "
		    "rejected",
		    progname, p.read, p.picked, p.total.nwaves,
		    p.total.nwaves == 1 ? "" : "s", p.total.nbatches,
		    p.total.nbatches == 1 ? "" : "es", p.total.route_m, p.held,
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
