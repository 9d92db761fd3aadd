/*
 * provider_stub: TEMPORARY, until lib/provider.c (issue 16, part P) is
 * merged; delete this file then.  Weak stand-ins for provider.h so that
 * followup --listen and --events build and run: the names, a shape
 * check, and journey_payload() for our own tracking record (one JSON
 * object of fulfil-tracking, followup(1)), read as followup reads a
 * file of them.  The providers' payloads are stored and acknowledged,
 * but set aside when processed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aftercare.h"
#include "err.h"
#include "journey.h"
#include "ndjson.h"
#include "provider.h"

#define WEAK __attribute__((weak))

static const char *const names[] = {
    NULL, "aftership", "easypost", "17track", "shippo"};

WEAK int
provider_parse(const char *name, enum provider *p)
{
	int i;

	for (i = 1; i <= PROVIDER_SHIPPO; i++)
		if (name != NULL && strcmp(name, names[i]) == 0) {
			*p = (enum provider)i;
			return 0;
		}
	return -1;
}

WEAK const char *
provider_name(enum provider p)
{
	return p > PROVIDER_NONE && p <= PROVIDER_SHIPPO ? names[p] : "none";
}

WEAK enum provider
provider_sniff(const json_t *doc)
{
	const char *ev = ndjson_str(doc, "event");

	if (json_is_object(json_object_get(doc, "msg")) && ev != NULL)
		return PROVIDER_AFTERSHIP;
	if (ndjson_str(doc, "description") != NULL &&
	    json_is_object(json_object_get(doc, "result")))
		return PROVIDER_EASYPOST;
	if (ev != NULL && strcmp(ev, "TRACKING_UPDATED") == 0)
		return PROVIDER_17TRACK;
	if (ev != NULL && strcmp(ev, "track_updated") == 0)
		return PROVIDER_SHIPPO;
	return PROVIDER_NONE;
}

WEAK int
provider_events(enum provider p, const json_t *doc, json_t *events, char *why,
    size_t whylen)
{
	snprintf(why, whylen, "no reader for %s payloads in this build",
	    provider_name(p));
	return -1;
}

WEAK int
journey_payload(struct aftercare *u, enum provider p, const json_t *doc,
    const char *origin, long line, const char *raw, size_t len)
{
	char path[] = "/tmp/fulfil-payload.XXXXXX";
	struct input *in;
	long before = u->events;
	size_t n;
	char *text;
	int fd;

	/* Whoever it came from: a test may sign our record as anyone. */
	if (!json_is_object((json_t *)doc) ||
	    ndjson_str(doc, "tracking") == NULL) {
		aftercare_reject(u, origin, line, raw, len,
		    "no reader for this payload in this build");
		return -1;
	}
	/* Our own record: read as a file of one line is. */
	if ((fd = mkstemp(path)) == -1)
		err_exit_sys(EXIT_TROUBLE, "'%s'", path);
	text = ndjson_dump(doc, &n);
	if (write(fd, text, n) != (ssize_t)n || write(fd, "\n", 1) != 1)
		err_exit_sys(EXIT_TROUBLE, "'%s'", path);
	free(text);
	close(fd);
	if ((in = input_open(path)) == NULL)
		err_exit_sys(EXIT_TROUBLE, "'%s'", path);
	journey_read(u, in);
	input_close(in);
	unlink(path);
	return (int)(u->events - before);
}
