/*
 * ingest-orders: read shop exports, validate and normalise them into the
 * canonical order record, drop what was seen before, stamp the promise.
 * See ingest-orders(1).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "err.h"

static void __attribute__((noreturn))
usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: %s [-hq] [-f ndjson|csv|shopify|amazon] [--catalog file] "
	    "[--config file]\n"
	    "       [--db file] [--map file] [--rejects file] [--version] "
	    "[file ...]\n", progname);
	exit(status ? status : close_stdout(EXIT_OK));
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help",	no_argument,	NULL, 'h' },
		{ "version",	no_argument,	NULL, 'V' },
		{ NULL,		0,		NULL, 0 }
	};
	int ch;

	err_init(argv[0]);
	while ((ch = getopt_long(argc, argv, "hq", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			usage(EXIT_OK);
		case 'q':
			quiet = 1;
			break;
		case 'V':
			printf("%s %s\n", progname, FULFIL_VERSION);
			return close_stdout(EXIT_OK);
		default:
			usage(EXIT_TROUBLE);
		}
	}
	return close_stdout(EXIT_OK);
}
