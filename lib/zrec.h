/*
 * zrec: the ledger's stored records and message bodies, compressed.
 *
 * A record is 1-2 KB of JSON whose field names and common values repeat
 * from one order to the next but hardly within one, so a compressor
 * alone gains little; one primed with a dictionary of those names and
 * values makes it a seventh to a quarter.  A packed record is a blob:
 * the byte ZREC_MAGIC (never in UTF-8, so never the first byte of a JSON
 * text), the dictionary's id, the text's length as a LEB128 varint,
 * then the dictionary's codec's stream:
 *
 *	1  raw deflate, preset dictionary a string in zrec.c (read only:
 *	   rows written before dictionary 2)
 *	2  a zstd frame without its 4-byte magic, content size, checksum
 *	   or dictionary id, over the trained dictionary lib/zrec-dict2.zdict
 *	   (scripts/train-zrec-dict); new rows
 *
 * A dictionary once released is never changed: a better one is added
 * under a new id, and the old ones stay for the rows written with them.
 * Text that does not start with the magic is a row written before: it
 * is read as it is.
 *
 * A struct zrec holds the codecs' contexts, reused from call to call; it
 * is not to be shared by threads.  Dictionary 2 is digested once a
 * process, on first use, and shared read only by every struct zrec.
 * zrec_pack() and zrec_unpack() return buffers of the caller's, to free.
 * The module stands alone (libc, zlib and libzstd, no exits), so that
 * SQLite's shell can load it too (lib/sqlite/fulfilrec.c): its callers
 * say what failed.
 */
#ifndef FULFIL_ZREC_H
#define FULFIL_ZREC_H

#include <stddef.h>

#define ZREC_MAGIC 0xfe
/* The dictionary new rows are written with. */
#define ZREC_DICT 2

struct zrec;

/* NULL when out of memory. */
struct zrec *zrec_new(void);
void zrec_free(struct zrec *);
/*
 * The calling thread's own struct zrec, made on first use and freed
 * when the thread ends (the main thread's with the process): for work
 * shared out to threads.  NULL when out of memory.
 */
struct zrec *zrec_thread(void);
/* text packed: a new buffer of *outlen bytes; NULL out of memory. */
unsigned char *zrec_pack(
    struct zrec *, const char *text, size_t len, size_t *outlen);
/* Whether p (len bytes) is a packed record rather than plain text. */
int zrec_packed(const void *p, size_t len);
/*
 * The text of p: unpacked when packed, else copied; NUL-terminated,
 * *outlen bytes without the NUL.  NULL when p is packed but corrupt, an
 * unknown dictionary or a stream that does not give the length it
 * says, or out of memory, with *why saying which (a static string).
 */
char *zrec_unpack(
    struct zrec *, const void *p, size_t len, size_t *outlen, const char **why);

/*
 * A message body without what its row keeps beside it (schema 18): the
 * first occurrence of each of vals[0..n) (message id, recipient) taken
 * out in turn, before packing.  The cut text is the byte ZREC_CUT (a
 * control character: no JSON text or MIME message starts with it), then
 * for each value its place + 1 as a varint, 0 when it was not there,
 * then the rest.  zrec_cut() gives NULL when no value occurs (keep the
 * text whole) or out of memory; zrec_join() puts the same values back,
 * NULL with *why when the cut text is corrupt or out of memory.  Both
 * return buffers of the caller's, NUL-terminated, *outlen bytes.
 */
#define ZREC_CUT 0x01
#define ZREC_MAXCUT 4
char *zrec_cut(const char *text, size_t len, const char *const *vals, int n,
    size_t *outlen);
int zrec_is_cut(const void *p, size_t len);
char *zrec_join(const char *cut, size_t len, const char *const *vals, int n,
    size_t *outlen, const char **why);

#endif
