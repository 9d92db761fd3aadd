/*
 * followup: the parcels after the truck leaves.  Carriers' tracking
 * events move each shipment's state (by event time, never backwards);
 * each change of state is a notice for notify(1); --scan finds the
 * parcels that stalled or can no longer keep their promise and opens
 * tasks for staff, with an apology to the customer, before they ask.
 * Reviews and return requests come in too, and the returns desk's
 * --receive and --inspect (returns.h); --tasks, --done and
 * --collected (a pickup order handed over, lib/pickup) are the staff's
 * side, --report the shop's KPIs.  --remittance reconciles carriers'
 * cash on delivery statements (cod.h).  --archive is retention: finished
 * orders out to a gzip file, stubs left (archive.h).  See followup(1).
 *
 * Everything made is keyed in the ledger inside the transaction that
 * decides it, and written out after its commit: a replayed file or a
 * repeated scan makes nothing twice.  The parts: journey.h (events),
 * scan.h, feedback.h (reviews and returns), returns.h (the back
 * office), tasks.h, kpi.h and report.h,
 * over aftercare.h, what they share.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "aftercare.h"
#include "archive.h"
#include "ledger_copy.h"
#include "cod.h"
#include "config.h"
#include "err.h"
#include "feedback.h"
#include "journey.h"
#include "kpi.h"
#include "ledger.h"
#include "listen.h"
#include "ndjson.h"
#include "opts.h"
#include "pickup.h"
#include "progress.h"
#include "provider.h"
#include "rejects.h"
#include "report.h"
#include "returns.h"
#include "scan.h"
#include "tasks.h"
#include "when.h"

static void __attribute__((noreturn)) usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: %s [-hq] [--events file | dir] [--listen [addr:]port]\n"
	    "       [--map file] [--provider name] [--scan] [--pending]\n"
	    "       [--reviews file] [--returns file] [--config file] [--db "
	    "file]\n"
	    "       [--rejects file] [--version] [file ...]\n"
	    "       %s --remittance file [--map file] [--scan] [--config "
	    "file]\n"
	    "       [--db file] [--rejects file]\n"
	    "       %s --report [--from date] [--to date] [--locale tag]\n"
	    "       [--warehouse id] -o dir\n"
	    "       %s --archive file [--before date] [--config file] [--db "
	    "file]\n"
	    "       %s --copy-to uri [--config file] [--db file]\n"
	    "       %s --receive code ... [--config file] [--db file]\n"
	    "       %s --inspect rma [sku=outcome[:qty] ...] [--config file] "
	    "[--db file]\n"
	    "       %s --tasks | --done id ... [--config file] [--db file]\n"
	    "       %s --collected id ... [--source name] [--config file] "
	    "[--db file]\n",
	    progname, progname, progname, progname, progname, progname,
	    progname, progname, progname);
	exit(status ? status : close_stdout(EXIT_OK));
}

/*
 * --report: the KPIs of a period (default: the 30 days to today), as an
 * NDJSON line on stdout and in dir, and as one HTML page in the language
 * of locale (NULL: followup.report_locale's).
 */
static int
report(struct aftercare *u, const char *from, const char *to,
    const char *locale, const char *wh, const char *dir)
{
	int64_t today = when_day(&u->now), f, t;
	char page[96];
	json_t *k;

	t = today;
	if (to != NULL && parse_date(to, &t) == -1)
		err_exit(
		    EXIT_TROUBLE, "--to: '%s' is not a date, YYYY-MM-DD", to);
	f = t - 29;
	if (from != NULL && parse_date(from, &f) == -1)
		err_exit(EXIT_TROUBLE, "--from: '%s' is not a date, YYYY-MM-DD",
		    from);
	if (f > t)
		err_exit(EXIT_TROUBLE, "--from is after --to");
	if (t - f > 3660)
		err_exit(EXIT_TROUBLE, "a report covers ten years at most");
	k = kpi_report(u->ledger, u->cfg, f, t, wh);
	report_write(k,
	    locale != NULL ? locale : u->cfg->followup.report_locale, dir, page,
	    sizeof page);
	ndjson_write(k);
	if (!quiet)
		fprintf(stderr, "%s: report for %s to %s: %s\n", progname,
		    ndjson_str(k, "from"), ndjson_str(k, "to"), page);
	json_decref(k);
	return EXIT_OK;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {OPTS_LONG,
	    {"archive", required_argument, NULL, 'A'},
	    {"copy-to", required_argument, NULL, 'T'},
	    {"before", required_argument, NULL, 'B'},
	    {"events", required_argument, NULL, 'e'},
	    {"listen", required_argument, NULL, 'L'},
	    {"map", required_argument, NULL, 'm'},
	    {"provider", required_argument, NULL, 'v'},
	    {"scan", no_argument, NULL, 's'}, {"tasks", no_argument, NULL, 't'},
	    {"done", required_argument, NULL, 'd'},
	    {"reviews", required_argument, NULL, 'w'},
	    {"report", no_argument, NULL, 'k'},
	    {"from", required_argument, NULL, 'F'},
	    {"to", required_argument, NULL, 'U'},
	    {"locale", required_argument, NULL, 'l'},
	    {"warehouse", required_argument, NULL, 'W'},
	    {"returns", required_argument, NULL, 'r'},
	    {"remittance", required_argument, NULL, 'Y'},
	    {"receive", required_argument, NULL, 'b'},
	    {"inspect", required_argument, NULL, 'i'},
	    {"collected", required_argument, NULL, 'c'},
	    {"source", required_argument, NULL, 'S'}, {NULL, 0, NULL, 0}};
	struct opts o = {0};
	struct optlist files = {0}, done = {0}, revs = {0}, rets = {0};
	struct optlist collected = {0}, spools = {0}, remits = {0};
	struct optlist receive = {0};
	struct cod_tally cod = {0};
	struct returns_tally rt = {0};
	const char *inspect = NULL;
	size_t i;
	int ch, do_scan = 0, do_tasks = 0, status, nin = 0;
	struct input **in = NULL;
	const char *map = NULL, *from = NULL, *to = NULL, *source = NULL;
	const char *listen = NULL, *locale = NULL, *wh = NULL;
	const char *archive = NULL, *before = NULL, *copy_to = NULL;
	int do_report = 0;
	enum provider prov = PROVIDER_NONE;
	struct aftercare u;
	char skip[64] = "";
	long n;

	err_init(argv[0]);
	memset(&u, 0, sizeof u);
	while (
	    (ch = getopt_long(argc, argv, OPTS_SHORT, longopts, NULL)) != -1) {
		switch (ch) {
		case 'A':
			archive = optarg;
			break;
		case 'B':
			before = optarg;
			break;
		case 'T':
			copy_to = optarg;
			break;
		case 'e':
			/* A directory is a spool (lib/listen). */
			opts_add(
			    listen_is_spool(optarg) ? &spools : &files, optarg);
			break;
		case 'L':
			listen = optarg;
			break;
		case 'm':
			map = optarg;
			break;
		case 'v':
			if (provider_parse(optarg, &prov) == -1)
				err_exit(EXIT_TROUBLE,
				    "--provider: '%s' is none of aftership, "
				    "easypost, 17track, shippo",
				    optarg);
			break;
		case 's':
			do_scan = 1;
			break;
		case 't':
			do_tasks = 1;
			break;
		case 'd':
			opts_add(&done, optarg);
			break;
		case 'k':
			do_report = 1;
			break;
		case 'F':
			from = optarg;
			break;
		case 'U':
			to = optarg;
			break;
		case 'W':
			wh = optarg;
			break;
		case 'l':
			if (!report_locale_known(optarg))
				err_exit(EXIT_TROUBLE,
				    "--locale: '%s' is neither en nor zh-CN",
				    optarg);
			locale = optarg;
			break;
		case 'w':
			opts_add(&revs, optarg);
			break;
		case 'r':
			opts_add(&rets, optarg);
			break;
		case 'Y':
			opts_add(&remits, optarg);
			break;
		case 'c':
			opts_add(&collected, optarg);
			break;
		case 'b':
			opts_add(&receive, optarg);
			break;
		case 'i':
			inspect = optarg;
			break;
		case 'S':
			source = optarg;
			break;
		default:
			if (ch == 'K' || !opts_common(ch, optarg, &o, usage))
				usage(EXIT_TROUBLE);
		}
	}
	argc -= optind;
	argv += optind;
	/* Retention and the copy go alone: they read nothing but ledgers. */
	if ((archive != NULL || copy_to != NULL) &&
	    (argc > 0 || do_scan || revs.n > 0 || rets.n > 0 || spools.n > 0 ||
		listen != NULL || do_tasks || done.n > 0 || do_report ||
		collected.n > 0 || o.pending || remits.n > 0 || receive.n > 0 ||
		inspect != NULL || map != NULL || prov != PROVIDER_NONE ||
		source != NULL))
		err_exit(EXIT_TROUBLE, "--archive goes with --before only, "
				       "--copy-to alone");
	if (copy_to != NULL && (archive != NULL || before != NULL))
		err_exit(EXIT_TROUBLE, "--copy-to goes alone");
	if (before != NULL && archive == NULL)
		err_exit(EXIT_TROUBLE, "--before goes with --archive");
	/* The desk's words go alone; --inspect's operands are outcomes. */
	if ((receive.n > 0 || inspect != NULL) &&
	    (do_scan || revs.n > 0 || rets.n > 0 || spools.n > 0 ||
		listen != NULL || do_tasks || done.n > 0 || do_report ||
		collected.n > 0 || o.pending || remits.n > 0 ||
		(receive.n > 0 && argc > 0) ||
		(receive.n > 0 && inspect != NULL)))
		err_exit(EXIT_TROUBLE, "--receive and --inspect go alone");
	for (i = 0; i < (size_t)argc && inspect == NULL; i++)
		opts_add(&files, argv[i]);
	if ((do_tasks || done.n > 0 || do_report || collected.n > 0) &&
	    (files.n > 0 || do_scan || revs.n > 0 || rets.n > 0 ||
		spools.n > 0 || listen != NULL))
		err_exit(EXIT_TROUBLE,
		    "--tasks, --done, --collected and --report read no events");
	/* One --map a run: a remittance run reads no tracking events. */
	if (remits.n > 0 &&
	    (files.n > 0 || revs.n > 0 || rets.n > 0 || spools.n > 0 ||
		listen != NULL || prov != PROVIDER_NONE || do_tasks ||
		done.n > 0 || do_report || collected.n > 0))
		err_exit(EXIT_TROUBLE,
		    "--remittance goes with --map and --scan only");
	if (collected.n > 0 && (do_tasks || done.n > 0 || do_report))
		err_exit(EXIT_TROUBLE, "--collected goes alone");
	if (source != NULL && collected.n == 0)
		err_exit(EXIT_TROUBLE, "--source goes with --collected");
	if (do_report && o.outdir == NULL)
		err_exit(EXIT_TROUBLE, "--report needs -o dir for the report");
	if (!do_report && (o.outdir != NULL || from != NULL || to != NULL ||
			      locale != NULL || wh != NULL))
		err_exit(EXIT_TROUBLE,
		    "-o, --from, --to, --locale and --warehouse go with "
		    "--report");
	if (prov != PROVIDER_NONE && map != NULL)
		err_exit(
		    EXIT_TROUBLE, "--provider and --map read other inputs");
	u.provider = (int)prov;
	u.cfg = config_load(o.config);
	if (map != NULL)
		u.map =
		    remits.n > 0 ? cod_map_load(map) : journey_map_load(map);
	u.now = when_now();
	u.ledger = ledger_open(o.db);
	if (copy_to != NULL) {
		struct ledger *dest = ledger_open(copy_to);

		n = ledger_copy(u.ledger, dest, stdout);
		if (!quiet)
			fprintf(stderr, "%s: %ld tables copied into '%s'\n",
			    progname, n, ledger_path(dest));
		ledger_close(dest);
		status = EXIT_OK;
		goto out;
	}
	ledger_run(u.ledger, u.cfg->wh_id);
	if (archive != NULL) {
		status = archive_run(u.ledger, u.cfg, &u.now, archive, before);
		goto out;
	}
	if (do_report) {
		status = report(&u, from, to, locale, wh, o.outdir);
		goto out;
	}
	if (collected.n > 0) {
		status = pickup_collected(
		    u.ledger, u.cfg, collected.v, collected.n, source);
		goto out;
	}
	if (do_tasks || done.n > 0) {
		status =
		    done.n > 0 ? tasks_done(u.ledger, done.v, done.n) : EXIT_OK;
		if (do_tasks) {
			n = tasks_list(u.ledger);
			if (!quiet)
				fprintf(stderr, "%s: %ld open task%s\n",
				    progname, n, n == 1 ? "" : "s");
		}
		goto out;
	}
	if (files.n > 0 ||
	    (!do_scan && !o.pending && revs.n == 0 && rets.n == 0 &&
		spools.n == 0 && listen == NULL && remits.n == 0 &&
		receive.n == 0 && inspect == NULL))
		in = input_open_args((int)files.n, files.v, &nin);
	rejects_open(&u.rejects, o.rejects);
	u.out = json_array();
	ledger_begin(u.ledger);
	progress_begin("tracking documents read");
	for (i = 0; i < (size_t)nin; i++)
		journey_read(&u, in[i]);
	progress_end();
	feedback_reviews(&u, revs.v, revs.n);
	feedback_returns(&u, rets.v, rets.n);
	if (remits.n > 0)
		cod_remittances(&u, u.map, remits.v, remits.n, &cod);
	returns_receive(&u, &rt, receive.v, receive.n);
	if (inspect != NULL)
		returns_inspect(&u, &rt, inspect, argv, (size_t)argc);
	if (do_scan) {
		scan_parcels(&u);
		scan_surveys(&u);
		cod_scan(&u, &cod);
	}
	if (o.pending)
		aftercare_pending(&u);
	aftercare_checkpoint(&u, 0);
	if (spools.n > 0 || listen != NULL)
		listen_run(&u, listen, spools.v, spools.n);
	if (u.skipped > 0)
		snprintf(skip, sizeof skip, " (%ld informational, skipped)",
		    u.skipped);
	if (remits.n > 0)
		cod_summary(&cod, u.tasks);
	else if (!quiet && (receive.n > 0 || inspect != NULL))
		fprintf(stderr,
		    "%s: %ld returns received, %ld inspected, %ld restocked, "
		    "%ld refunds, %ld done before, %ld rejected; %ld notices, "
		    "%ld tasks\n",
		    progname, rt.received, rt.inspected, rt.restocked,
		    rt.refunds, rt.again, u.rejected, u.notices, u.tasks);
	else if (!quiet)
		fprintf(stderr,
		    "%s: %ld events%s, %ld reviews (%ld negative), %ld return "
		    "requests (%ld exchanges) read, %ld duplicate, %ld "
		    "rejected; %ld changes, %ld notices, %ld tasks\n",
		    progname, u.events, skip, u.reviews, u.negative, u.returns,
		    u.exchanges, u.dup, u.rejected, u.changed, u.notices,
		    u.tasks);
	status = u.rejected > 0 ? EXIT_REJECTS : EXIT_OK;
	json_decref(u.out);
	input_close_all(in, nin);
	rejects_close(&u.rejects);
out:
	json_decref(u.map);
	free(files.v);
	free(done.v);
	free(revs.v);
	free(rets.v);
	free(collected.v);
	free(receive.v);
	free(spools.v);
	free(remits.v);
	ledger_close(u.ledger);
	config_free(u.cfg);
	return close_stdout(status);
}
