#include <fcntl.h>
#include <jansson.h>
#include <stdlib.h>

#include "digest.h"
#include "err.h"
#include "rejects.h"

/*
 * The file holds whole customer records: made 0600, like the ledger.  A
 * file that exists keeps its mode (it may be a pipe or /dev/stderr, or
 * made readable to a group on purpose), truncated as fopen's "w" does.
 */
void
rejects_open(struct rejects *r, const char *path)
{
	int fd;

	r->path = path;
	r->fp = NULL;
	if (path == NULL)
		return;
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd == -1 || (r->fp = fdopen(fd, "w")) == NULL)
		err_exit_sys(EXIT_TROUBLE, "cannot open '%s'", path);
}

void
rejects_put(struct rejects *rj, const char *file, long line, const char *id,
    const char *reason, const char *raw, size_t rawlen, const char *header)
{
	json_t *r, *parsed, *text;
	char *b64;

	if (rj->fp == NULL)
		return;
	r = json_pack("{s:s,s:I,s:s}", "file", file, "line", (json_int_t)line,
	    "reason", reason);
	if (id != NULL)
		json_object_set_new(r, "order_id", json_string(id));
	if (header != NULL)
		json_object_set_new(r, "header", json_string(header));
	if (header == NULL &&
	    (parsed = json_loadb(raw, rawlen, 0, NULL)) != NULL)
		json_object_set_new(r, "record", parsed);
	else if ((text = json_stringn(raw, rawlen)) != NULL)
		json_object_set_new(r, "raw", text);
	else {
		/* Not UTF-8: kept whole all the same, as base64. */
		b64 = digest_base64(raw, rawlen);
		json_object_set_new(r, "raw_base64", json_string(b64));
		free(b64);
	}
	if (json_dumpf(r, rj->fp, JSON_COMPACT) < 0 ||
	    fputc('\n', rj->fp) == EOF)
		err_exit_sys(
		    EXIT_TROUBLE, "cannot write rejects to '%s'", rj->path);
	json_decref(r);
}

void
rejects_close(struct rejects *r)
{
	if (r->fp != NULL && fclose(r->fp) == EOF)
		err_exit_sys(
		    EXIT_TROUBLE, "cannot write rejects to '%s'", r->path);
	r->fp = NULL;
}
