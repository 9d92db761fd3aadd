/*
 * ingest-orders: read shop exports, validate and normalise them into the
 * canonical order record, drop what was seen before, add gifts, stamp
 * the promise.  See ingest-orders(1).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "config.h"
#include "country.h"
#include "err.h"
#include "ingest.h"
#include "ledger.h"
#include "ndjson.h"
#include "reader.h"

static void __attribute__((noreturn)) usage(int status)
{
	fprintf(status ? stderr : stdout,
	    "usage: %s [-hq] [-f format] [--catalog file] [--config file]\n"
	    "       [--db file] [--items file] [--map file] [--rejects file]\n"
	    "       [--source name] [--version] [file ...]\n",
	    progname);
	exit(status ? status : close_stdout(EXIT_OK));
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
	    {"catalog", required_argument, NULL, 'K'},
	    {"config", required_argument, NULL, 'C'},
	    {"db", required_argument, NULL, 'D'},
	    {"format", required_argument, NULL, 'f'},
	    {"help", no_argument, NULL, 'h'},
	    {"items", required_argument, NULL, 'I'},
	    {"map", required_argument, NULL, 'M'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"rejects", required_argument, NULL, 'R'},
	    {"source", required_argument, NULL, 'S'},
	    {"version", no_argument, NULL, 'V'}, {NULL, 0, NULL, 0}};
	const char *cfgpath = NULL, *dbpath = NULL, *mappath = NULL;
	const char *rejpath = NULL, *itemspath = NULL, *catpath = NULL;
	struct catalog *cat = NULL;
	struct input **in;
	int nin;
	struct ingest g;
	struct config *cfg;
	char why[256];
	int ch, status;

	err_init(argv[0]);
	ndjson_stdout();
	ingest_init(&g);
	while ((ch = getopt_long(argc, argv, "f:hq", longopts, NULL)) != -1) {
		switch (ch) {
		case 'C':
			cfgpath = optarg;
			break;
		case 'D':
			dbpath = optarg;
			break;
		case 'f':
			if (format_parse(optarg, &g.format) == -1) {
				err_warn("unknown format '%s'", optarg);
				usage(EXIT_TROUBLE);
			}
			break;
		case 'h':
			usage(EXIT_OK);
		case 'I':
			itemspath = optarg;
			break;
		case 'K':
			catpath = optarg;
			break;
		case 'M':
			mappath = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'R':
			rejpath = optarg;
			break;
		case 'S':
			if (*optarg == '\0')
				usage(EXIT_TROUBLE);
			g.source = optarg;
			break;
		case 'V':
			printf("%s %s\n", progname, FULFIL_VERSION);
			return close_stdout(EXIT_OK);
		default:
			usage(EXIT_TROUBLE);
		}
	}
	argc -= optind;
	argv += optind;

	/* Everything that can fail before an order is read fails here. */
	cfg = config_load(cfgpath);
	g.cfg = cfg;
	country_init();
	if (mappath != NULL &&
	    (g.map = colmap_load(mappath, why, sizeof why)) == NULL)
		err_exit(EXIT_TROUBLE, "map '%s': %s", mappath, why);
	if (g.format == FORMAT_CSV && g.map == NULL)
		err_exit(EXIT_TROUBLE, "-f csv needs a column map (--map)");
	/* The second file of a joined export rides on the map. */
	if (itemspath != NULL)
		g.map = colmap_set_items((struct colmap *)g.map, itemspath);
	/* The catalogue is read only to find SKUs (ingest.sku_from). */
	if (config_sku_lookup(cfg)) {
		cat = catalog_open(cfg, catpath);
		catalog_index(cat);
		g.cat = cat;
	}
	in = input_open_args(argc, argv, &nin);
	rejects_open(&g.rejects, rejpath);
	g.ledger = ledger_open(dbpath);
	ledger_run(g.ledger, cfg->wh_id);

	status = ingest_run(&g, in, (size_t)nin);
	ingest_summary(&g);

	input_close_all(in, nin);
	rejects_close(&g.rejects);
	ledger_close(g.ledger);
	colmap_free((struct colmap *)g.map);
	catalog_free(cat);
	config_free(cfg);
	ingest_done(&g);
	return close_stdout(status);
}
