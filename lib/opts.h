/*
 * opts: the options every pipeline stage takes, parsed in one place:
 * --config, --db, --catalog, -o/--output, --pending, --rejects, -q,
 * -h and --version.  A stage lists OPTS_LONG in its getopt_long table
 * and hands each option its own switch does not know to opts_common().
 *
 * Ownership: the strings are argv's.
 */
#ifndef FULFIL_OPTS_H
#define FULFIL_OPTS_H

#include <getopt.h>
#include <stddef.h>

struct opts {
	const char *config, *db, *catalog, *rejects, *outdir;
	int pending;
};

#define OPTS_SHORT "ho:q"
#define OPTS_LONG                                                              \
	{"catalog", required_argument, NULL, 'K'},                             \
	    {"config", required_argument, NULL, 'C'},                          \
	    {"db", required_argument, NULL, 'D'},                              \
	    {"help", no_argument, NULL, 'h'},                                  \
	    {"output", required_argument, NULL, 'o'},                          \
	    {"pending", no_argument, NULL, 'P'},                               \
	    {"quiet", no_argument, NULL, 'q'},                                 \
	    {"rejects", required_argument, NULL, 'R'},                         \
	{                                                                      \
		"version", no_argument, NULL, 'V'                              \
	}

/* An option given more than once: its arguments, in order. */
struct optlist {
	char **v;
	size_t n, cap;
};

/* Add arg to the list (argv's string, not copied). */
void opts_add(struct optlist *, char *arg);

/*
 * Take option ch (with its argument): 1 if it is a common one, else 0.
 * -h calls usage(0); --version prints the version and exits.
 */
int opts_common(int ch, const char *arg, struct opts *, void (*usage)(int));

#endif
