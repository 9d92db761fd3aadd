/*
 * dispatch: hand labelled parcels to their carriers' manifests, stamp
 * each order with when it left and whether the promise still holds;
 * --close ends the day's manifests.  See dispatch(1).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "config.h"
#include "dispatch.h"
#include "err.h"
#include "ledger.h"
#include "ndjson.h"
#include "opts.h"
#include "rejects.h"

static void __attribute__((noreturn)) usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: %s [-hq] [--pending] [--carrier code] [--config file] "
	    "[--db file]\n"
	    "       [--rejects file] [--version] [file ...]\n"
	    "       %s --close [--carrier code] -o dir [--config file] "
	    "[--db file]\n",
	    progname, progname);
	exit(status ? status : close_stdout(EXIT_OK));
}

/* The run in one line: what was dispatched and where it went. */
static void
summary(struct dispatch *u)
{
	char p50[32], p95[32], unprinted[64];
	size_t i;

	snprintf(unprinted, sizeof unprinted, ", %ld waiting for a label",
	    u->unprinted);
	dispatch_order_to_ship(u, p50, p95, sizeof p50);
	fprintf(stderr,
	    "%s: %ld read, %ld dispatched (%ld parcel%s, %ld again), %ld late, "
	    "%ld passed through, %ld rejected%s; order to ship p50 %s, "
	    "p95 %s; manifests:",
	    progname, u->stage.read, u->dispatched, u->parcels,
	    u->parcels == 1 ? "" : "s", u->again, u->late, u->passed,
	    u->stage.rejected, u->unprinted ? unprinted : "", p50, p95);
	for (i = 0; i < u->ntouched; i++)
		fprintf(stderr, " %s", u->touched[i]);
	fprintf(stderr, "%s\n", u->ntouched ? "" : " none");
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {OPTS_LONG,
	    {"carrier", required_argument, NULL, 'c'},
	    {"close", no_argument, NULL, 'X'}, {NULL, 0, NULL, 0}};
	struct opts o = {0};
	int ch, close = 0, status;
	struct input **in;
	int nin;
	struct dispatch u;

	err_init(argv[0]);
	ndjson_stdout();
	dispatch_init(&u);
	while ((ch = getopt_long(
		    argc, argv, "c:" OPTS_SHORT, longopts, NULL)) != -1) {
		if (ch == 'c')
			u.forced = optarg;
		else if (ch == 'X')
			close = 1;
		else if (ch == 'K' || !opts_common(ch, optarg, &o, usage))
			usage(EXIT_TROUBLE);
	}
	argc -= optind;
	argv += optind;
	u.cfg = config_load(o.config);
	if (u.forced != NULL && config_carrier(u.cfg, u.forced) == NULL)
		err_exit(EXIT_TROUBLE, "--carrier: no carrier '%s' in %s",
		    u.forced, u.cfg->file);
	if (!close && o.outdir != NULL)
		err_exit(EXIT_TROUBLE,
		    "-o is where --close writes the manifests; "
		    "dispatch writes orders on stdout");
	if (close) {
		if (argc > 0 || o.pending)
			err_exit(EXIT_TROUBLE, "--close takes no input");
		if (o.outdir == NULL)
			err_exit(EXIT_TROUBLE, "--close needs -o dir for the "
					       "manifests");
		u.ledger = ledger_open(o.db);
		ledger_run(u.ledger, u.cfg->wh_id);
		status = dispatch_close(&u, o.outdir);
		ledger_close(u.ledger);
		config_free(u.cfg);
		return close_stdout(status);
	}
	in = input_open_args(argc, argv, &nin);
	rejects_open(&u.rejects, o.rejects);
	u.ledger = ledger_open(o.db);
	ledger_run(u.ledger, u.cfg->wh_id);

	status = dispatch_run(&u, in, nin, o.pending);
	if (!quiet)
		summary(&u);

	input_close_all(in, nin);
	dispatch_done(&u);
	rejects_close(&u.rejects);
	ledger_close(u.ledger);
	config_free(u.cfg);
	return close_stdout(status);
}
