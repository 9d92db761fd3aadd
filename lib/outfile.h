/*
 * outfile: side artefacts (pick sheets, labels, manifests) under -o DIR,
 * written to a temporary name in DIR and renamed into place when whole,
 * so that a crash never leaves half a file under the real name.  The
 * file is synced before the rename and its directory after it, so that
 * once outfile_commit() returns the file survives a crash; files are
 * created 0600, as they may hold customer data.
 *
 * outfile_open() creates DIR if need be, and removes the temporary files
 * that runs killed before their rename left there (named by their PID).
 * Any failure exits 2 naming the file.  Names must already be safe
 * (outfile_safe() checks).
 */
#ifndef FULFIL_OUTFILE_H
#define FULFIL_OUTFILE_H

#include <stdio.h>

struct outfile {
	FILE *fp;
	char *path; /* final name */
	char *tmp;
};

FILE *outfile_open(struct outfile *, const char *dir, const char *name);
/* Flush, sync, rename into place, sync the directory; frees strings. */
void outfile_commit(struct outfile *);
/* 1 if name is a plain file name: letters, digits, '.', '-', '_'. */
int outfile_safe(const char *name);

#endif
