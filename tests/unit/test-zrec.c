/*
 * zrec: records packed and unpacked the same, rows written before read
 * as they are (plain text, dictionary 1's deflate), and a corrupt blob
 * an error, not a crash.  The time a record takes to pack and unpack is
 * printed, never judged (scripts/zrec-bench is the benchmark).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "err.h"
#include "tap.h"
#include "zrec.h"

static const char rec[] =
    "{\"order_id\":\"A-1\",\"source\":\"shop\",\"placed_at\":"
    "\"2026-11-23T08:00:00+08:00\",\"currency\":\"CNY\",\"customer\":"
    "{\"name\":\"Wang Fang\",\"email\":\"wf@example.com\"},\"lines\":"
    "[{\"sku\":\"TEA-LJ-250\",\"qty\":2,\"unit_price\":8800}],"
    "\"total\":17600,\"status\":\"dispatched\",\"revision\":1}";
static const char zh[] =
    "{\"order_id\":\"T-2\",\"source\":\"taobao\",\"ship_to\":{\"name\":"
    "\"\xe7\x8e\x8b\xe8\x8a\xb3\",\"city\":\"\xe4\xb8\x8a\xe6\xb5\xb7\xe5\xb8"
    "\x82\"},\"status\":\"accepted\"}";
/* A cut message body, as the ledger packs it. */
static const char cutbody[] =
    "\001\001\050{\"message_id\":\"\",\"channel\":\"outbox\",\"event\":"
    "\"shipped\",\"to\":\"\",\"text\":\"Hello,\\n\\nYour order T-2 left our "
    "warehouse today.\"}";
static char big[70000];

#include "test-zrec-v1.h"

/* Dictionary 1's rows, from before: each reads as the text it was. */
static void
v1(struct zrec *z)
{
	static const struct {
		const unsigned char *p;
		size_t len;
		const char *text;
		size_t textlen;
		const char *what;
	} rows[] = {
	    {v1_rec, sizeof v1_rec, rec, sizeof rec - 1, "a record"},
	    {v1_zh, sizeof v1_zh, zh, sizeof zh - 1, "UTF-8"},
	    {v1_body, sizeof v1_body, cutbody, sizeof cutbody - 1, "a cut body"},
	    {v1_empty, sizeof v1_empty, "", 0, "the empty text"},
	    {v1_big, sizeof v1_big, big, sizeof big - 1, "70,000 bytes"},
	};
	const char *why = NULL;
	size_t i, m;
	char *t;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		t = zrec_unpack(z, rows[i].p, rows[i].len, &m, &why);
		ok(rows[i].p[1] == 1 && t != NULL && m == rows[i].textlen &&
			memcmp(t, rows[i].text, m) == 0,
		    "dictionary 1, from before: %s", rows[i].what);
		free(t);
	}
}

/*
 * Every byte of a dictionary 2 blob turned, one at a time, and the blob
 * cut at every length: NULL with why, or a text of the length the
 * header says (zstd frames here carry no checksum), never a crash (the
 * sanitizer and valgrind runs watch).
 */
static void
mangle(struct zrec *z, const unsigned char *p, size_t n)
{
	static const unsigned char flips[] = {0x01, 0x80, 0xff, 0x5a};
	unsigned char *b = malloc(n + 8);
	const char *why;
	size_t i, f, m, bad = 0, fine = 0;
	char *t;

	for (i = 2; i < n; i++)
		for (f = 0; f < sizeof flips; f++) {
			memcpy(b, p, n);
			b[i] ^= flips[f];
			why = NULL;
			t = zrec_unpack(z, b, n, &m, &why);
			if (t == NULL)
				bad += why != NULL;
			else
				fine += strlen(t) <= m;
			free(t);
		}
	is_int((long long)(bad + fine), (long long)((n - 2) * sizeof flips),
	    "dictionary 2, a byte turned: an error with why, or a text "
	    "(%zu errors)",
	    bad);
	bad = 0;
	for (i = 0; i < n; i++) {
		why = NULL;
		t = zrec_unpack(z, p, i, &m, &why);
		bad += t == NULL && (why != NULL || i == 0);
		free(t);
	}
	is_int((long long)bad, (long long)n - 1,
	    "dictionary 2, cut at every length: an error with why");
	memcpy(b, p, n);
	memcpy(b + n, "\x28\xb5\x2f\xfd\0\0\0\0", 8);
	why = NULL;
	ok(zrec_unpack(z, b, n + 8, &m, &why) == NULL && why != NULL,
	    "dictionary 2, bytes after the frame: an error");
	free(b);
}

static double
cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Microseconds a record, printed: a figure to read, not a test. */
static void
timing(struct zrec *z)
{
	enum { N = 20000 };
	const char *why;
	unsigned char *p;
	size_t n, m;
	double t0, tp, tu = 0;
	char *t;
	int i;

	t0 = cpu();
	for (i = 0; i < N; i++)
		free(zrec_pack(z, rec, sizeof rec - 1, &n));
	tp = cpu() - t0;
	p = zrec_pack(z, rec, sizeof rec - 1, &n);
	t0 = cpu();
	for (i = 0; i < N; i++) {
		t = zrec_unpack(z, p, n, &m, &why);
		free(t);
	}
	tu = cpu() - t0;
	printf("# a %zu-byte record: %zu bytes packed, %.2f us to pack, "
	       "%.2f us to unpack (CPU)\n",
	    sizeof rec - 1, n, tp * 1e6 / N, tu * 1e6 / N);
	t0 = cpu();
	for (i = 0; i < N; i++)
		free(zrec_unpack(z, v1_rec, sizeof v1_rec, &m, &why));
	printf("# dictionary 1's %zu bytes of it: %.2f us to unpack (CPU)\n",
	    sizeof v1_rec, (cpu() - t0) * 1e6 / N);
	free(p);
}

/* Threads, each its own struct zrec, sharing the digested dictionary. */
static void *
worker(void *arg)
{
	struct zrec *z = zrec_new();
	const char *why;
	unsigned char *p;
	size_t n, m;
	char *t;
	long i, good = 0;

	for (i = 0; i < 500; i++) {
		p = zrec_pack(z, rec, sizeof rec - 1, &n);
		t = p != NULL ? zrec_unpack(z, p, n, &m, &why) : NULL;
		good += t != NULL && strcmp(t, rec) == 0;
		free(t);
		free(p);
	}
	zrec_free(z);
	*(long *)arg = good;
	return NULL;
}

static void
threads(void)
{
	pthread_t th[4];
	long good[4];
	int i;

	for (i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, worker, &good[i]);
	for (i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	is_int(good[0] + good[1] + good[2] + good[3], 2000,
	    "four threads at once: every round trip whole");
}

/* A thread's own codec: its pointer, and whether it packs as zrec_new's. */
struct own {
	struct zrec *z, *again;
	int same;
	pthread_barrier_t *both; /* both threads alive at once */
};

static void *
own_codec(void *arg)
{
	struct own *o = arg;
	struct zrec *fresh = zrec_new();
	unsigned char *a, *b;
	size_t an, bn;

	o->z = zrec_thread();
	pthread_barrier_wait(o->both);
	o->again = zrec_thread();
	a = zrec_pack(o->z, rec, sizeof rec - 1, &an);
	b = zrec_pack(fresh, rec, sizeof rec - 1, &bn);
	o->same = a != NULL && b != NULL && an == bn && memcmp(a, b, an) == 0;
	free(a);
	free(b);
	zrec_free(fresh);
	return NULL;
}

static void
thread_codecs(void)
{
	pthread_barrier_t both;
	struct own o[2];
	pthread_t th[2];
	int i;

	pthread_barrier_init(&both, NULL, 2);
	for (i = 0; i < 2; i++) {
		o[i].both = &both;
		pthread_create(&th[i], NULL, own_codec, &o[i]);
	}
	for (i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&both);
	ok(o[0].z != NULL && o[0].z == o[0].again && o[1].z == o[1].again,
	    "zrec_thread: one codec a thread, made once");
	ok(o[0].z != o[1].z || o[0].z == NULL,
	    "zrec_thread: each thread its own");
	ok(o[0].same && o[1].same, "zrec_thread: packs as a new codec does");
}

/* A cut and joined body, n values: whether it comes back whole. */
static void
cut_join(const char *text, const char *const *vals, int n, const char *what)
{
	const char *why = "";
	size_t cn, jn;
	char *c = zrec_cut(text, strlen(text), vals, n, &cn), *j;

	if (c == NULL) {
		ok(0, "%s: cut", what);
		return;
	}
	j = zrec_join(c, cn, vals, n, &jn, &why);
	is_str(j, text, "%s: joined whole", what);
	free(j);
	free(c);
}

/* Message bodies without their row's message id and recipient. */
static void
cuts(void)
{
	const char *body = "{\"message_id\":\"ab12@example.com\",\"to\":"
			   "\"c1@example.com\",\"text\":\"Hi c1@example.com\"}";
	const char *both[] = {"ab12@example.com", "c1@example.com"};
	const char *none[] = {"zz@example.com", "yy@example.com"};
	const char *nul[] = {NULL, "c1@example.com"};
	const char *why = "";
	size_t n, m;
	char *c, *j;

	c = zrec_cut(body, strlen(body), both, 2, &n);
	ok(c != NULL && zrec_is_cut(c, n) && n < strlen(body) - 20,
	    "cut: both values taken out");
	ok(c != NULL && memmem(c, n, "ab12@", 5) == NULL,
	    "cut: the message id is not kept");
	j = zrec_join(c, n, none, 2, &m, &why);
	ok(j == NULL || strcmp(j, body) != 0,
	    "joined with other values: not the body");
	free(j);
	free(c);
	cut_join(body, both, 2, "both");
	cut_join(body, nul, 2, "no message id");
	ok(zrec_cut(body, strlen(body), none, 2, &n) == NULL,
	    "no value in it: kept whole");
	cut_join("\001 starts like a cut one", none, 2,
	    "a body that starts as a cut");
	cut_join("ab12@example.comc1@example.com", both, 2, "values only");
	why = NULL;
	ok(zrec_join("\001\200", 2, both, 2, &m, &why) == NULL && why != NULL,
	    "a cut body cut short");
	why = NULL;
	ok(zrec_join("\001\100\000x", 4, both, 2, &m, &why) == NULL &&
		why != NULL,
	    "a place past the end");
}

int
main(void)
{
	struct zrec *z;
	unsigned char *p, *bad;
	const char *why = NULL;
	char *t;
	size_t n, m, i;

	err_init("test-zrec");
	for (i = 0; i < sizeof big - 1; i++)
		big[i] = (char)('a' + (i * 7919 % 26));
	/* Before any struct zrec: the dictionary is digested on first use. */
	threads();
	thread_codecs();
	z = zrec_new();
	p = zrec_pack(z, rec, strlen(rec), &n);
	ok(zrec_packed(p, n), "packed: starts with the magic");
	is_int(p[1], ZREC_DICT, "packed: names its dictionary");
	is_int(ZREC_DICT, 2, "new rows: dictionary 2");
	ok(n < sizeof v1_rec, "packed: smaller than dictionary 1 made it (%zu, "
			      "%zu)",
	    n, sizeof v1_rec);
	ok(n < strlen(rec) * 2 / 3, "packed: smaller (%zu of %zu)", n,
	    strlen(rec));
	t = zrec_unpack(z, p, n, &m, &why);
	is_str(t, rec, "round trip");
	is_int((long long)m, (long long)strlen(rec), "round trip: its length");
	free(t);

	/* The same again: the streams are reused. */
	free(p);
	p = zrec_pack(z, rec, strlen(rec), &n);
	t = zrec_unpack(z, p, n, &m, &why);
	is_str(t, rec, "round trip, streams reused");
	free(t);

	/* An empty record, and one bigger than a varint's byte. */
	free(p);
	p = zrec_pack(z, "", 0, &n);
	t = zrec_unpack(z, p, n, &m, &why);
	ok(t != NULL && m == 0 && *t == '\0', "the empty text");
	free(t);
	free(p);
	p = zrec_pack(z, big, sizeof big - 1, &n);
	t = zrec_unpack(z, p, n, &m, &why);
	ok(t != NULL && m == sizeof big - 1 && strcmp(t, big) == 0,
	    "70,000 bytes: a three-byte length");
	free(t);
	free(p);

	/* Rows written before: plain JSON, read as it is. */
	ok(!zrec_packed(rec, strlen(rec)), "old text: not packed");
	t = zrec_unpack(z, rec, strlen(rec), &m, &why);
	is_str(t, rec, "old text: read as it is");
	free(t);
	ok(!zrec_packed("", 0), "nothing: not packed");

	/* Corrupt blobs: NULL and why, never a crash. */
	p = zrec_pack(z, rec, strlen(rec), &n);
	bad = malloc(n);
	memcpy(bad, p, n);
	bad[1] = 200;
	why = NULL;
	ok(zrec_unpack(z, bad, n, &m, &why) == NULL && why != NULL &&
		strstr(why, "dictionary") != NULL,
	    "an unknown dictionary");
	memcpy(bad, p, n);
	why = NULL;
	ok(zrec_unpack(z, bad, n - 4, &m, &why) == NULL && why != NULL,
	    "cut short");
	memcpy(bad, p, n);
	bad[2] ^= 0x01; /* the length, one off */
	why = NULL;
	ok(zrec_unpack(z, bad, n, &m, &why) == NULL && why != NULL,
	    "a length that is not the stream's");
	memcpy(bad, p, n);
	for (i = 4; i < n; i++)
		bad[i] = (unsigned char)(bad[i] ^ 0x5a);
	why = NULL;
	ok(zrec_unpack(z, bad, n, &m, &why) == NULL && why != NULL,
	    "a garbled stream");
	why = NULL;
	ok(zrec_unpack(z, "\xfe\x01", 2, &m, &why) == NULL && why != NULL,
	    "a header alone");
	ok(zrec_unpack(z, "\xfe\x01\xff\xff\xff\xff\xff\x01", 8, &m, &why) ==
		NULL,
	    "a huge length: refused before any allocation");
	mangle(z, p, n);
	memcpy(bad, p, n);
	bad[1] = 1; /* a zstd frame taken for deflate */
	why = NULL;
	ok(zrec_unpack(z, bad, n, &m, &why) == NULL && why != NULL,
	    "dictionary 2's stream under dictionary 1: an error");
	why = NULL;
	ok(zrec_unpack(z, "\xfe\x02\x05", 3, &m, &why) == NULL && why != NULL,
	    "dictionary 2, a length and no frame");
	why = NULL;
	t = zrec_unpack(z, v1_rec, sizeof v1_rec, &m, &why);
	is_str(t, rec, "dictionary 1 between dictionary 2's errors");
	free(t);
	/* And the codec still works after errors. */
	t = zrec_unpack(z, p, n, &m, &why);
	is_str(t, rec, "after the errors: a good blob unpacks");
	free(t);
	free(bad);
	free(p);
	v1(z);
	timing(z);
	zrec_free(z);
	cuts();
	return done_testing();
}
