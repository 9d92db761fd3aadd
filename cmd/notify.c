/*
 * notify: tell each customer what became of their order, once per event
 * and channel, in their language.  Reads orders and followup's notices,
 * writes them on unchanged but for a "notified" note, and sends the
 * messages: e-mail over SMTP, webhooks and SMS over HTTP, or an outbox
 * file.  See notify(1).
 *
 * The decisions, and how each message is sent exactly once, are the
 * stage's: lib/notify.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "err.h"
#include "ledger.h"
#include "ndjson.h"
#include "notify.h"
#include "opts.h"
#include "rejects.h"

static void __attribute__((noreturn)) usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: %s [-hq] [--pending] [--retry] [--dry-run] "
	    "[--channel list]\n"
	    "       [--templates dir] [-o outbox] [--opt-out address] "
	    "[--opt-in address]\n"
	    "       [--config file] [--db file] [--rejects file] "
	    "[--version] [file ...]\n",
	    progname);
	exit(status ? status : close_stdout(EXIT_OK));
}

/* --opt-out and --opt-in: the addresses, and a word of what was done. */
static void
opt(struct notify *u, const struct optlist *l, int out)
{
	notify_optout(u, l->v, l->n, out);
	if (!quiet && l->n > 0)
		fprintf(stderr, "%s: %zu address%s opted %s\n", progname, l->n,
		    l->n == 1 ? "" : "es", out ? "out" : "in");
}

static void
summary(const struct notify *u)
{
	fprintf(stderr,
	    "%s: %ld read, %ld sent, %ld deferred, %ld to retry, %ld failed, "
	    "%ld already sent, %ld opted out, %ld rejected",
	    progname, u->stage.read, u->sent, u->deferred, u->retrying,
	    u->failed + u->errors, u->already, u->opted_out, u->stage.rejected);
	if (u->elsewhere > 0)
		fprintf(
		    stderr, "; %ld being sent by another run", u->elsewhere);
	if (u->foreign > 0)
		notify_foreign_summary(u, stderr);
	fputc('\n', stderr);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {OPTS_LONG,
	    {"channel", required_argument, NULL, 'c'},
	    {"templates", required_argument, NULL, 'T'},
	    {"dry-run", no_argument, NULL, 'n'},
	    {"retry", no_argument, NULL, 'r'},
	    {"opt-out", required_argument, NULL, 'U'},
	    {"opt-in", required_argument, NULL, 'I'}, {NULL, 0, NULL, 0}};
	struct opts o = {0};
	const char *list = NULL, *templates = NULL;
	struct optlist outs = {0}, ins = {0};
	struct input **in = NULL;
	int ch, nin = 0, status;
	struct notify u;

	err_init(argv[0]);
	ndjson_stdout();
	memset(&u, 0, sizeof u);
	while ((ch = getopt_long(
		    argc, argv, "c:n" OPTS_SHORT, longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			list = optarg;
			break;
		case 'T':
			templates = optarg;
			break;
		case 'n':
			u.dry_run = 1;
			break;
		case 'r':
			u.retry = 1;
			break;
		case 'U':
			opts_add(&outs, optarg);
			break;
		case 'I':
			opts_add(&ins, optarg);
			break;
		default:
			if (ch == 'K' || !opts_common(ch, optarg, &o, usage))
				usage(EXIT_TROUBLE);
		}
	}
	argc -= optind;
	argv += optind;
	u.pending = o.pending;
	u.cfg = config_load(o.config);
	u.outbox_path = o.outdir != NULL ? o.outdir : u.cfg->notify.outbox;
	notify_channels(&u, list);
	if (templates != NULL) {
		free(u.cfg->notify.templates);
		u.cfg->notify.templates = xstrdup(templates);
	}
	u.now = when_now();
	u.ledger = ledger_open(o.db);
	/*
	 * A message's outcome is committed after every message.  A power
	 * cut may lose the last of them: those messages go again with the
	 * same Message-IDs, as after a crash.
	 */
	ledger_crash_safe_only(u.ledger);
	ledger_run(u.ledger, u.cfg->wh_id);
	opt(&u, &outs, 1);
	opt(&u, &ins, 0);
	if ((outs.n > 0 || ins.n > 0) && argc == 0 && !o.pending && !u.retry) {
		/* Only the opt-outs: no orders are read. */
		free(outs.v);
		free(ins.v);
		ledger_close(u.ledger);
		config_free(u.cfg);
		return close_stdout(EXIT_OK);
	}
	notify_outputs(&u);
	in = input_open_args(argc, argv, &nin);
	rejects_open(&u.rejects, o.rejects);
	notify_open(&u);

	notify_run(&u, in, nin);
	if (!quiet)
		summary(&u);
	status = u.stage.rejected > 0 || u.errors > 0 || u.failed > 0 ||
			 u.retrying > 0
		     ? EXIT_REJECTS
		     : EXIT_OK;

	notify_close(&u);
	free(outs.v);
	free(ins.v);
	input_close_all(in, nin);
	rejects_close(&u.rejects);
	ledger_close(u.ledger);
	config_free(u.cfg);
	return close_stdout(status);
}
