/*
 * recparse: a record's line read into JSON without jansson's reader.
 * Most of what a stage spends on a record it passes on was jansson
 * reading it (json_loadb() goes a byte at a time through a stream,
 * about 240k instructions for a 1.3 KB order); the records the stages
 * hand each other are compact, as ndjson_dump() writes them, and those
 * are read here straight from the text into the same JSON.
 *
 * recparse() takes the strict, compact subset of JSON: no whitespace,
 * no \u escape, integers of at most 18 digits, nesting at most
 * RECPARSE_DEPTH, strings valid UTF-8 without control bytes, no key
 * twice in an object, the top level an object.  On anything else it
 * returns NULL and the caller reads the line with ndjson_parse(), which
 * also says what is wrong with it: recparse() never judges a line bad,
 * it only declines it.  What it returns is what ndjson_parse() returns
 * for the same text: the same values, the same types, the keys in the
 * same order (test-recparse checks that on many mutated records).
 *
 * recparse_line() is the one the stages call: recparse(), else
 * ndjson_parse().  With FULFIL_SPLICE_CHECK=1 in the environment (a
 * test hook, fulfil(7)) it parses with ndjson_parse() as well and ends
 * the process (exit 2) if the two differ, so every e2e run checks it.
 *
 * Ownership: both return a new reference the caller owns.
 */
#ifndef FULFIL_RECPARSE_H
#define FULFIL_RECPARSE_H

#include <stddef.h>

#include <jansson.h>

#define RECPARSE_DEPTH 64

json_t *recparse(const char *text, size_t len);

struct recsplice;

/*
 * recparse(), and rs filled as recsplice_scan() fills it, from the same
 * walk over the text (rs->n -1 when the text is not canonical, or was
 * declined).  rs points into text.
 */
json_t *recparse_scan(const char *text, size_t len, struct recsplice *rs);

/* recparse(), else ndjson_parse() (why, whylen as it takes them). */
json_t *recparse_line(
    const char *text, size_t len, char *why, size_t whylen);
/* The same with recparse_scan() (rs NULL: recparse()). */
json_t *recparse_line_scan(const char *text, size_t len, char *why,
    size_t whylen, struct recsplice *rs);

#endif
