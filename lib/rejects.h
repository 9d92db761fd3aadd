/*
 * rejects: the --rejects file every tool keeps, one JSON line per record
 * set aside: {"file", "line", "reason", "order_id"?, and the record whole:
 * "record" (parsed JSON), or "raw" and "header" (CSV), or "raw_base64"
 * when the bytes are not UTF-8}.
 *
 * Ownership: the struct rejects is the caller's; rejects_close() frees
 * what rejects_open() made.  Write errors exit 2.
 */
#ifndef FULFIL_REJECTS_H
#define FULFIL_REJECTS_H

#include <stddef.h>
#include <stdio.h>

struct rejects {
	FILE *fp; /* NULL: no --rejects file */
	const char *path;
};

/* Open path for writing (exits 2 if it cannot); NULL path: no file. */
void rejects_open(struct rejects *, const char *path);
/*
 * Write one record set aside.  id and header may be NULL; raw is the
 * record's text, rawlen bytes.
 */
void rejects_put(struct rejects *, const char *file, long line, const char *id,
    const char *reason, const char *raw, size_t rawlen, const char *header);
void rejects_close(struct rejects *);

#endif
