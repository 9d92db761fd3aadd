#include <stdio.h>
#include <stdlib.h>

#include "err.h"
#include "opts.h"

int
opts_common(int ch, const char *arg, struct opts *o, void (*usage)(int))
{
	switch (ch) {
	case 'C':
		o->config = arg;
		break;
	case 'D':
		o->db = arg;
		break;
	case 'K':
		o->catalog = arg;
		break;
	case 'o':
		o->outdir = arg;
		break;
	case 'P':
		o->pending = 1;
		break;
	case 'q':
		quiet = 1;
		break;
	case 'R':
		o->rejects = arg;
		break;
	case 'h':
		usage(EXIT_OK);
		break;
	case 'V':
		printf("%s %s\n", progname, FULFIL_VERSION);
		exit(close_stdout(EXIT_OK));
	default:
		return 0;
	}
	return 1;
}

void
opts_add(struct optlist *l, char *arg)
{
	xgrow(&l->v, &l->cap, l->n + 1, sizeof *l->v);
	l->v[l->n++] = arg;
}
