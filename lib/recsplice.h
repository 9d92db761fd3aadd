/*
 * recsplice: a record written out as its own text with a few top-level
 * values replaced or appended, the same bytes as parsing it and
 * dumping it again (ndjson_dump()) but without the dump of everything
 * the stage did not touch.  A stage changes a handful of top-level
 * fields of an order (its status, its shipment, its dispatch); the
 * rest, most of the record, goes on as the text it came in.
 *
 * recsplice_scan() reads the text once: whether it is, byte for byte,
 * what ndjson_dump() writes of it once parsed (compact, strings with
 * only the escapes jansson writes, numbers as they print, no
 * \u escape, at most RECSPLICE_KEYS top-level keys, nesting at most
 * RECSPLICE_DEPTH), and where each top-level value is.  The text must
 * be one ndjson_parse() took (so no key is there twice: it refuses
 * that); the scan does not check that it is JSON at all.
 * It errs on the side of no; then recsplice_dump() dumps, as before.
 *
 * recsplice_dump() writes j, the JSON parsed from that text and since
 * changed, walking its top-level keys in order (jansson keeps insertion
 * order): a key named in changed, or not in the text, is dumped; any
 * other is copied from the text.  The promise the caller makes: j's
 * values under keys not named in changed are as parsed (nothing under
 * them was set, added or removed).  FULFIL_SPLICE_CHECK=1 in the
 * environment (a test hook, fulfil(7)) dumps as well and ends the
 * process if the two differ, so the e2e suite holds every caller to it.
 *
 * Ownership: the struct recsplice is the caller's and points into the
 * text, which must outlive it; recsplice_dump() returns a string the
 * caller frees.
 */
#ifndef FULFIL_RECSPLICE_H
#define FULFIL_RECSPLICE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define RECSPLICE_DEPTH 16
#define RECSPLICE_KEYS 64

struct recsplice_key {
	uint32_t koff, klen; /* the key's name, quotes left out */
	uint32_t voff, vlen; /* its value's text */
};

struct recsplice {
	const char *text;
	size_t len;
	int n; /* top-level keys; -1: not canonical, dump */
	struct recsplice_key k[RECSPLICE_KEYS];
};

/* 1 when text (a record that parsed as an object) is canonical, else 0. */
int recsplice_scan(struct recsplice *rs, const char *text, size_t len);

/*
 * j written as ndjson_dump() would, spliced from rs's text when it was
 * canonical; changed is a NULL-terminated list of top-level keys whose
 * values may differ from the text's.  *lenp is the length.
 */
char *recsplice_dump(const struct recsplice *rs, const json_t *j,
    const char *const *changed, size_t *lenp);

/*
 * Without the JSON at all: rs's text with keys[i] set to vals[i] (n of
 * them, no key twice), as json_object_set() on its parse and a dump
 * would write it: a key the text has keeps its place, the others are
 * appended in order.  NULL when rs is not canonical, or a key wants
 * escaping: then parse, set and dump.  For a stage that never parsed
 * the record again (pick-list: status and pick).
 */
char *recsplice_with(const struct recsplice *rs, const char *const *keys,
    const json_t *const *vals, size_t n, size_t *lenp);

/* recsplice_scan() and recsplice_dump() at once, for text as parsed. */
char *recsplice_text(const char *text, size_t len, const json_t *j,
    const char *const *changed, size_t *lenp);

/*
 * 1 when FULFIL_SPLICE_CHECK=1 is in the environment: make check's hook
 * under which recsplice, recparse and recdump each check what they make
 * against jansson and exit 2 on a difference (fulfil(7)).
 */
int recsplice_checking(void);

#endif
