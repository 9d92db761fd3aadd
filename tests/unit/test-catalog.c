/*
 * catalog: catalog_load() on CSV files written to /tmp, and
 * catalog_find().  catalog_load() reports bad rows on stderr; the tests
 * catch what it says in a file, to check that each is reported once with
 * its line.  What must exit 2 is run in a child.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "catalog.h"
#include "err.h"
#include "tap.h"

#define HEADER                                                                 \
	"sku,name,location,weight_g,length_mm,width_mm,height_mm,handling,"    \
	"stock\n"

static char tmpnames[16][32];
static int ntmp;

/* A file holding s, removed at the end. */
static const char *
write_tmp(const char *s)
{
	FILE *fp;
	char *name;
	int fd;

	if (ntmp == 16) {
		fprintf(stderr, "too many temporary files\n");
		exit(2);
	}
	name = tmpnames[ntmp++];
	snprintf(name, sizeof tmpnames[0], "/tmp/test-catalog-XXXXXX");
	if ((fd = mkstemp(name)) == -1 || (fp = fdopen(fd, "w")) == NULL ||
	    fputs(s, fp) == EOF || fclose(fp) != 0) {
		perror(name);
		exit(2);
	}
	return name;
}

static void
cleanup(void)
{
	int i;

	for (i = 0; i < ntmp; i++)
		unlink(tmpnames[i]);
}

/* catalog_load(), with what it writes on stderr in *msgs (caller frees). */
static struct catalog *
load_quiet(const char *path, const struct layout *lay, char **msgs)
{
	struct catalog *cat;
	FILE *tmp;
	long len;
	int saved;

	fflush(stderr);
	if ((tmp = tmpfile()) == NULL || (saved = dup(STDERR_FILENO)) == -1 ||
	    dup2(fileno(tmp), STDERR_FILENO) == -1) {
		perror("tmpfile");
		exit(2);
	}
	cat = catalog_load(path, lay);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	len = (long)lseek(fileno(tmp), 0, SEEK_END);
	*msgs = xcalloc((size_t)len + 1, 1);
	if (len > 0 && pread(fileno(tmp), *msgs, (size_t)len, 0) != len) {
		perror("pread");
		exit(2);
	}
	fclose(tmp);
	return cat;
}

/* How many times needle occurs in hay. */
static int
count(const char *hay, const char *needle)
{
	int n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

/*
 * Run catalog_load(path) in a child: its exit status (-1 if it did not
 * exit), and what it wrote on stderr in msg.
 */
static int
load_in_child(
    const char *path, const struct layout *lay, char *msg, size_t msglen)
{
	int p[2], status;
	pid_t pid;
	ssize_t n;
	size_t got = 0;

	fflush(stdout);
	fflush(stderr);
	if (pipe(p) == -1 || (pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		close(p[0]);
		dup2(p[1], STDERR_FILENO);
		catalog_free(catalog_load(path, lay));
		_exit(0);
	}
	close(p[1]);
	while (got + 1 < msglen &&
	       (n = read(p[0], msg + got, msglen - got - 1)) > 0)
		got += (size_t)n;
	msg[got] = '\0';
	close(p[0]);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* The item for sku, which the test expects to be there. */
static const struct item *
must_find(const struct catalog *cat, const char *sku)
{
	const struct item *it = catalog_find(cat, sku);

	if (it == NULL) {
		printf("# SKU %s not found; stopping\n", sku);
		exit(1);
	}
	return it;
}

/* A bad row: kept, bad says why (mentioning want), reported once. */
static void
is_bad(const struct catalog *cat, const char *msgs, const char *sku, long line,
    const char *want)
{
	const struct item *it = catalog_find(cat, sku);
	char rep[128];

	snprintf(rep, sizeof rep, ":%ld: SKU %s: ", line, sku);
	if (!ok(it != NULL && it->bad != NULL && strstr(it->bad, want) &&
		    it->line == line && count(msgs, rep) == 1,
		"%s (line %ld) is kept, bad says \"%s\", reported once", sku,
		line, want))
		printf("#   bad: %s; line %ld; reported %d times\n",
		    it == NULL        ? "(no item)"
		    : it->bad == NULL ? "(null)"
				      : it->bad,
		    it ? it->line : -1, count(msgs, rep));
}

static void
test_good(const struct layout *lay)
{
	const char *path = write_tmp(
	    HEADER "MUG-1,Mug,A03-12-2,350,100,80,120,fragile;upright,40\n"
		   "BOX-9,Box,B10-20-1,1200,300,200,150,,0\n"
		   "LAMP-2,\"Lamp, tall\",C1-1-4,2500,250,250,700,"
		   "\"Fragile, keep-dry no-stack\",7\n"
		   "TEA-3,Tea,A05-01-03,1,1,1,1,KEEP-DRY,1000000\n"
		   "AAA-0,First,Z07-7-0, 90 ,10,20,30,upright,3\n");
	const struct item *it;
	struct catalog *cat;
	char *msgs;
	size_t i;

	cat = load_quiet(path, lay, &msgs);
	is_int(cat->n, 5, "good rows: 5 items");
	is_int(cat->nbad, 0, "good rows: none bad");
	is_str(msgs, "", "good rows: nothing on stderr");
	is_str(cat->file, path, "the catalogue remembers its file");
	for (i = 1; i < cat->n; i++)
		if (strcmp(cat->items[i - 1].sku, cat->items[i].sku) >= 0)
			break;
	ok(i == cat->n, "items sorted by SKU");
	for (i = 0; i < cat->n; i++)
		if (cat->items[i].bad != NULL)
			break;
	ok(i == cat->n, "no item has bad set");

	it = must_find(cat, "MUG-1");
	is_str(it->name, "Mug", "MUG-1: name");
	is_str(it->location, "A03-12-2", "MUG-1: location as written");
	ok(it->aisle == 3 && it->bay == 12 && it->level == 2,
	    "MUG-1: A03-12-2 is aisle 3, bay 12, level 2 (got %d, %d, %d)",
	    it->aisle, it->bay, it->level);
	is_int(it->weight_g, 350, "MUG-1: weight_g");
	ok(fabs(it->volume_l - 0.96) < 1e-12,
	    "MUG-1: 100 x 80 x 120 mm is 0.96 l (got %.9g)", it->volume_l);
	is_int(it->handling, HANDLE_FRAGILE | HANDLE_UPRIGHT,
	    "MUG-1: fragile;upright");
	is_int(it->stock, 40, "MUG-1: stock");
	is_int(it->line, 2, "MUG-1: line 2 of the file");

	it = must_find(cat, "BOX-9");
	ok(it->aisle == 10 && it->bay == 20 && it->level == 1,
	    "BOX-9: B10-20-1, the last aisle and bay, is inside");
	ok(fabs(it->volume_l - 9.0) < 1e-12, "BOX-9: 9 l");
	is_int(it->handling, 0, "BOX-9: no handling");
	is_int(it->stock, 0, "BOX-9: stock 0 is a stock");

	it = must_find(cat, "LAMP-2");
	is_str(it->name, "Lamp, tall", "LAMP-2: quoted name with a comma");
	ok(it->aisle == 1 && it->bay == 1 && it->level == 4,
	    "LAMP-2: C1-1-4 without leading zeros");
	is_int(it->handling, HANDLE_FRAGILE | HANDLE_KEEPDRY | HANDLE_NOSTACK,
	    "LAMP-2: handling words by comma and blank, any case");
	ok(fabs(it->volume_l - 43.75) < 1e-12, "LAMP-2: 43.75 l");

	it = must_find(cat, "TEA-3");
	ok(it->aisle == 5 && it->bay == 1 && it->level == 3,
	    "TEA-3: A05-01-03 with leading zeros");
	ok(fabs(it->volume_l - 1e-6) < 1e-18, "TEA-3: 1 mm cube is 1e-6 l");
	is_int(it->handling, HANDLE_KEEPDRY, "TEA-3: KEEP-DRY");
	is_int(it->stock, 1000000, "TEA-3: large stock");

	it = must_find(cat, "AAA-0");
	is_int(it->weight_g, 90, "AAA-0: blanks around weight_g");
	is_int(it->level, 0, "AAA-0: level 0");
	is_int(it->line, 6, "AAA-0: line 6");
	ok(it == &cat->items[0], "AAA-0 sorts first");
	catalog_free(cat);
	free(msgs);
}

static void
test_bad(const struct layout *lay)
{
	const char *path = write_tmp(HEADER
	    "OK-1,Fine,A01-01-1,100,10,10,10,,5\n"                /* 2 */
	    "FAR-1,Aisle 11,A11-1-1,100,10,10,10,,5\n"            /* 3 */
	    "FAR-2,Bay 21,A01-21-1,100,10,10,10,,5\n"             /* 4 */
	    "FAR-3,Aisle 0,A00-1-1,100,10,10,10,,5\n"             /* 5 */
	    "FAR-4,Bay 0,A01-0-1,100,10,10,10,,5\n"               /* 6 */
	    "MAL-1,Short,A3-12,100,10,10,10,,5\n"                 /* 7 */
	    "MAL-2,No zone,12-3-1,100,10,10,10,,5\n"              /* 8 */
	    "MAL-3,Tail,A03-12-2x,100,10,10,10,,5\n"              /* 9 */
	    "MAL-4,Empty,,100,10,10,10,,5\n"                      /* 10 */
	    "MAL-5,Dots,A03.12.2,100,10,10,10,,5\n"               /* 11 */
	    "NOW-1,No weight,A01-01-1,,10,10,10,,5\n"             /* 12 */
	    "NOW-2,Zero,A01-01-1,0,10,10,10,,5\n"                 /* 13 */
	    "NOW-3,Fraction,A01-01-1,1.5,10,10,10,,5\n"           /* 14 */
	    "NOW-4,Negative,A01-01-1,-4,10,10,10,,5\n"            /* 15 */
	    "DIM-1,Flat,A01-01-1,100,10,0,10,,5\n"                /* 16 */
	    "DIM-2,No height,A01-01-1,100,10,10,,,5\n"            /* 17 */
	    "HAN-1,Heavy,A01-01-1,100,10,10,10,fragile;heavy,5\n" /* 18 */
	    "STK-1,Owed,A01-01-1,100,10,10,10,,-3\n"              /* 19 */
	    "STK-2,Unknown,A01-01-1,100,10,10,10,,\n"             /* 20 */
	    "DUP-1,First,A02-02-2,100,10,10,10,,5\n"              /* 21 */
	    "OK-2,Fine,A02-02-2,100,10,10,10,,5\n"                /* 22 */
	    "DUP-1,Again,A02-03-2,200,10,10,10,,6\n"              /* 23 */
	    ",No SKU,A01-01-1,100,10,10,10,,5\n"                  /* 24 */
	    "SHORT-1,Too few fields,A01-01-1\n"                   /* 25 */
	    "OK-3,Fine,A01-01-1,100,10,10,10,,5\n");              /* 26 */
	struct catalog *cat;
	const struct item *d1, *d2;
	char *msgs;
	size_t i, nbad = 0;

	cat = load_quiet(path, lay, &msgs);
	/* 25 rows: no SKU and too few fields are not kept. */
	is_int(cat->n, 23, "bad rows: kept but for no SKU and a short row");
	for (i = 0; i < cat->n; i++)
		nbad += cat->items[i].bad != NULL;
	is_int(nbad, 20, "bad rows: 20 items have bad set");
	is_int(cat->nbad, 22, "nbad counts them and the two rows not kept");
	ok(must_find(cat, "OK-1")->bad == NULL &&
		must_find(cat, "OK-2")->bad == NULL &&
		must_find(cat, "OK-3")->bad == NULL,
	    "good rows among bad ones are good");
	is_bad(cat, msgs, "FAR-1", 3, "outside the layout");
	is_bad(cat, msgs, "FAR-2", 4, "outside the layout");
	is_bad(cat, msgs, "FAR-3", 5, "outside the layout");
	is_bad(cat, msgs, "FAR-4", 6, "outside the layout");
	ok(strstr(must_find(cat, "FAR-1")->bad, "A11-1-1") != NULL &&
		strstr(must_find(cat, "FAR-1")->bad, "1-10") != NULL,
	    "outside the layout names the location and the aisles");
	is_bad(cat, msgs, "MAL-1", 7, "'A3-12' is not like A03-12-2");
	is_bad(cat, msgs, "MAL-2", 8, "'12-3-1' is not like");
	is_bad(cat, msgs, "MAL-3", 9, "'A03-12-2x' is not like");
	is_bad(cat, msgs, "MAL-4", 10, "'' is not like");
	is_bad(cat, msgs, "MAL-5", 11, "'A03.12.2' is not like");
	is_bad(cat, msgs, "NOW-1", 12, "missing weight_g");
	is_bad(cat, msgs, "NOW-2", 13, "weight_g must be");
	is_bad(cat, msgs, "NOW-3", 14, "weight_g must be");
	is_bad(cat, msgs, "NOW-4", 15, "weight_g must be");
	is_bad(cat, msgs, "DIM-1", 16, "width_mm must be");
	is_bad(cat, msgs, "DIM-2", 17, "height_mm must be");
	is_bad(cat, msgs, "HAN-1", 18, "handling 'fragile;heavy'");
	is_bad(cat, msgs, "STK-1", 19, "stock must be");
	is_bad(cat, msgs, "STK-2", 20, "stock must be");

	/* Both rows of a SKU listed twice are kept, and both are bad. */
	d1 = must_find(cat, "DUP-1");
	if (!ok(d1 + 1 < cat->items + cat->n && strcmp(d1[1].sku, "DUP-1") == 0,
		"DUP-1 listed twice: both rows kept, side by side"))
		exit(1);
	d2 = d1 + 1;
	ok(d1->line == 21 && d2->line == 23,
	    "catalog_find gives the first of them (lines %ld, %ld)", d1->line,
	    d2->line);
	ok(d1->bad != NULL && d2->bad != NULL &&
		strstr(d1->bad, "listed 2 times (first on line 21)") &&
		strstr(d2->bad, "listed 2 times (first on line 21)"),
	    "DUP-1: each says how often it is listed, and where first");
	ok(count(msgs, ":21: SKU DUP-1: listed 2 times") == 1 &&
		count(msgs, ":23: SKU DUP-1: listed 2 times") == 1,
	    "DUP-1: each row reported once");
	is_int(d1->weight_g, 100, "DUP-1: each row keeps its own fields");
	is_int(d2->weight_g, 200, "DUP-1: the second row's weight");
	ok(count(msgs, ":24: missing sku") == 1, "no SKU: reported at line 24");
	ok(count(msgs, ":25: ") == 1, "short row: reported at line 25");
	ok(count(msgs, path) == 22, "every report names the file: %d of 22",
	    count(msgs, path));
	{
		static const long lines[] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
		    13, 14, 15, 16, 17, 18, 19, 20, 21, 23};
		const char *at, *prev = msgs;
		char rep[32];
		size_t k;

		for (k = 0; k < sizeof lines / sizeof lines[0]; k++) {
			snprintf(rep, sizeof rep, ":%ld: SKU ", lines[k]);
			if ((at = strstr(msgs, rep)) == NULL || at < prev)
				break;
			prev = at;
		}
		ok(k == sizeof lines / sizeof lines[0],
		    "bad SKUs reported in the file's order");
	}
	catalog_free(cat);
	free(msgs);
}

/* Three rows of one SKU: all bad. */
static void
test_thrice(const struct layout *lay)
{
	const char *path = write_tmp(HEADER "T-1,a,A01-01-1,1,1,1,1,,1\n"
					    "T-1,b,A01-01-1,1,1,1,1,,1\n"
					    "T-1,c,A01-01-1,1,1,1,1,,1\n");
	struct catalog *cat;
	char *msgs;
	size_t i, nbad = 0;

	cat = load_quiet(path, lay, &msgs);
	for (i = 0; i < cat->n; i++)
		nbad += cat->items[i].bad != NULL &&
			strstr(cat->items[i].bad,
			    "listed 3 times (first on line 2)") != NULL;
	ok(cat->n == 3 && nbad == 3 && cat->nbad == 3,
	    "a SKU listed three times: all three kept, bad, counted");
	is_int(catalog_find(cat, "T-1")->line, 2,
	    "catalog_find gives the first of three");
	catalog_free(cat);
	free(msgs);
}

/* Columns found by name, in any order and case; optional ones absent. */
static void
test_columns(const struct layout *lay)
{
	const char *path =
	    write_tmp(" Stock ,HEIGHT_MM,width_mm,length_mm,Weight_g,"
		      "location,SKU\n"
		      "9,30,20,10,500,A02-04-1,P-1\n");
	struct catalog *cat;
	const struct item *it;
	char *msgs;

	cat = load_quiet(path, lay, &msgs);
	it = catalog_find(cat, "P-1");
	ok(cat->n == 1 && cat->nbad == 0 && it != NULL && it->bad == NULL,
	    "columns in another order and case, no name or handling");
	ok(it != NULL && it->stock == 9 && it->weight_g == 500 &&
		fabs(it->volume_l - 0.006) < 1e-12 && it->aisle == 2 &&
		it->bay == 4 && it->level == 1 && it->handling == 0 &&
		strcmp(it->name, "") == 0,
	    "fields read by column name");
	catalog_free(cat);
	free(msgs);
}

/* With no layout configured, any aisle and bay will do. */
static void
test_no_layout(void)
{
	const struct layout none = {0};
	const char *path =
	    write_tmp(HEADER "FAR-1,Far,A99-999-1,100,10,10,10,,5\n");
	struct catalog *cat;
	const struct item *it;
	char *msgs;

	cat = load_quiet(path, &none, &msgs);
	it = catalog_find(cat, "FAR-1");
	ok(it != NULL && it->bad == NULL && it->aisle == 99 && it->bay == 999,
	    "no layout: A99-999-1 is not outside");
	catalog_free(cat);
	free(msgs);
}

static void
test_find(const struct layout *lay)
{
	const char *path = write_tmp(HEADER "b,,A01-01-1,1,1,1,1,,1\n"
					    "a,,A01-01-1,1,1,1,1,,1\n"
					    "ab,,A01-01-1,1,1,1,1,,1\n"
					    "B,,A01-01-1,1,1,1,1,,1\n"
					    "a-1,,A01-01-1,1,1,1,1,,1\n"
					    "zz,,A01-01-1,1,1,1,1,,1\n"
					    "c,,A01-01-1,1,1,1,1,,1\n");
	const char *unknown[] = {
	    "", "0", "A", "aa", "ab ", "a-", "bb", "zzz", "~", NULL};
	struct catalog *cat;
	char *msgs;
	size_t i;
	int found = 0, notfound = 0, k;

	cat = load_quiet(path, lay, &msgs);
	for (i = 0; i < cat->n; i++)
		found += catalog_find(cat, cat->items[i].sku) == &cat->items[i];
	is_int(found, 7, "catalog_find finds every SKU, itself");
	for (k = 0; unknown[k] != NULL; k++)
		notfound += catalog_find(cat, unknown[k]) == NULL;
	is_int(notfound, k, "catalog_find: NULL for unknown SKUs");
	ok(catalog_find(cat, "B") != NULL && catalog_find(cat, "b") != NULL &&
		catalog_find(cat, "B") != catalog_find(cat, "b"),
	    "SKUs are case-sensitive");
	catalog_free(cat);
	free(msgs);

	/* A larger one: every SKU of 500 found, in both directions. */
	{
		size_t len = strlen(HEADER) + 500 * 40 + 1;
		char *text = xcalloc(len, 1), sku[16];
		size_t at;
		int n;

		at = (size_t)snprintf(text, len, "%s", HEADER);
		for (n = 499; n >= 0; n--)
			at += (size_t)snprintf(text + at, len - at,
			    "K%d,,A01-01-1,1,1,1,1,,%d\n", n * 7, n);
		cat = load_quiet(write_tmp(text), lay, &msgs);
		free(text);
		found = notfound = 0;
		for (n = 0; n < 500; n++) {
			const struct item *it;

			snprintf(sku, sizeof sku, "K%d", n * 7);
			it = catalog_find(cat, sku);
			found += it != NULL && it->stock == n;
			snprintf(sku, sizeof sku, "K%d", n * 7 + 1);
			notfound += catalog_find(cat, sku) == NULL;
		}
		ok(cat->n == 500 && found == 500 && notfound == 500,
		    "500 SKUs: each found (%d), 500 near misses not (%d)",
		    found, notfound);
		catalog_free(cat);
		free(msgs);
	}
}

static void
test_exit(const struct layout *lay)
{
	char msg[1024];
	const char *nocol = write_tmp("sku,name,location,length_mm,width_mm,"
				      "height_mm,handling,stock\n"
				      "A,,A01-01-1,1,1,1,,1\n");
	const char *nosku = write_tmp("name,location,weight_g,length_mm,"
				      "width_mm,height_mm,stock\n");
	const char *empty = write_tmp("");
	int st;

	st = load_in_child(nocol, lay, msg, sizeof msg);
	is_int(st, 2, "no weight_g column: exit 2");
	ok(strstr(msg, "no column 'weight_g'") != NULL &&
		strstr(msg, nocol) != NULL,
	    "no weight_g column: says which column, which file");
	st = load_in_child(nosku, lay, msg, sizeof msg);
	is_int(st, 2, "no sku column: exit 2");
	ok(strstr(msg, "no column 'sku'") != NULL, "no sku column: says so");
	st = load_in_child(empty, lay, msg, sizeof msg);
	is_int(st, 2, "an empty file (no header): exit 2");
	st = load_in_child("/nonexistent/catalog.csv", lay, msg, sizeof msg);
	is_int(st, 2, "a file that cannot be opened: exit 2");
	ok(strstr(msg, "cannot open catalog '/nonexistent/catalog.csv'") !=
		NULL,
	    "a file that cannot be opened: says so");
}

/*
 * Load a catalogue with no rows in a child: 0 if it has no items, counts
 * nbad bad rows and finds nothing.
 */
static int
empty_in_child(const char *path, const struct layout *lay, size_t nbad)
{
	struct catalog *cat;
	int status, good;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) == -1)
		return -1;
	if (pid == 0) {
		if (freopen("/dev/null", "w", stdout) == NULL)
			_exit(3);
		cat = catalog_load(path, lay);
		good = cat->n == 0 && cat->nbad == nbad &&
		       catalog_find(cat, "a") == NULL;
		catalog_free(cat);
		_exit(good ? 0 : 1);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static void
test_edges(const struct layout *lay)
{
	const char *path =
	    write_tmp(HEADER "NEG-1,Negative level,A03-12--2,100,10,10,10,,5\n"
			     "SGN-1,Signed bay,A03-+12-2,100,10,10,10,,5\n"
			     "SPC-1,Blank in it,A03- 12-2,100,10,10,10,,5\n"
			     "TRIM-1 ,Blanks, A02-02-1 ,100,10,10,10,,5\n");
	const struct item *it;
	struct catalog *cat;
	char *msgs;

	/*
	 * No rows: once qsort(NULL, 0, ...), which glibc declares nonnull
	 * and UBSan stops (make check SANITIZE=1); the load runs in a child.
	 */
	ok(empty_in_child(write_tmp(HEADER), lay, 0) == 0,
	    "a header alone: no items, catalog_find gives NULL");
	ok(empty_in_child(write_tmp(HEADER "a,b\n"), lay, 1) == 0,
	    "only a short row: no items, one bad");

	cat = load_quiet(path, lay, &msgs);
	ok(must_find(cat, "NEG-1")->bad != NULL,
	    "A03-12--2 is a malformed location");
	ok(must_find(cat, "SGN-1")->bad != NULL,
	    "A03-+12-2 is a malformed location");
	ok(must_find(cat, "SPC-1")->bad != NULL,
	    "A03- 12-2 is a malformed location");
	/*
	 * csvin leaves fields as they are, for readers to trim (csvin.h);
	 * order.c trims an order's SKU, so the catalogue's must be trimmed
	 * too or it is never found.
	 */
	it = catalog_find(cat, "TRIM-1");
	ok(it != NULL, "blanks around a SKU are not part of it");
	ok(it != NULL && it->bad == NULL && it->aisle == 2,
	    "blanks around a location are ignored");
	catalog_free(cat);
	free(msgs);
}

/*
 * catalog_index() and the lookups for lines without a SKU: by name
 * (case and blanks folded, the ideographic space too), by barcode
 * (blanks, hyphens, an apostrophe and leading zeros folded), one match
 * per SKU, and two SKUs under one name told apart.
 */
static void
test_lookup(const struct layout *lay)
{
	const char *path = write_tmp(
	    "sku,name,location,weight_g,length_mm,width_mm,height_mm,"
	    "handling,stock,barcode\n"
	    "TEA-1,Longjing green tea 250 g,A01-01-1,1,1,1,1,,1,6901234567892\n"
	    "TEA-3,Longjing  GREEN tea 250 g,A01-01-2,1,1,1,1,,1,\n"
	    "POT-1,Yixing teapot - Red,A01-01-1,1,1,1,1,,1,012345678905\n"
	    "CUP-1,龙井　茶杯,A01-01-1,1,1,1,1,,1, 4006381-333931 \n"
	    "CUP-1,龙井　茶杯,A01-01-1,1,1,1,1,,1,\n"
	    "NO-NAME,,A01-01-1,1,1,1,1,,1,\n");
	const struct item *m[2];
	struct catalog *cat;
	char *msgs, *f;

	cat = load_quiet(path, lay, &msgs);
	catalog_index(cat);
	ok(catalog_find(cat, "TEA-1") != NULL &&
		strcmp(catalog_find(cat, "TEA-1")->barcode, "6901234567892") ==
		    0 &&
		catalog_find(cat, "TEA-3")->barcode == NULL,
	    "the barcode column is read; a blank one is none");
	ok(catalog_by_name(cat, "  yixing TEAPOT -   red ", m, 2) == 1 &&
		strcmp(m[0]->sku, "POT-1") == 0,
	    "by name: case and runs of blanks do not matter");
	ok(catalog_by_name(cat, "龙井 茶杯", m, 2) == 1 &&
		strcmp(m[0]->sku, "CUP-1") == 0,
	    "by name: the ideographic space is a blank; one SKU listed "
	    "twice is one match");
	ok(catalog_by_name(cat, "longjing green tea 250 g", m, 2) == 2 &&
		strcmp(m[0]->sku, "TEA-1") == 0 &&
		strcmp(m[1]->sku, "TEA-3") == 0,
	    "by name: two SKUs under one name are both told");
	ok(catalog_by_name(cat, "Longjing green tea", m, 2) == 0 &&
		catalog_by_name(cat, "", m, 2) == 0 &&
		catalog_by_name(cat, "  ", m, 2) == 0,
	    "by name: exact only; a blank name finds nothing");
	ok(catalog_by_barcode(cat, "'6901234567892", m, 2) == 1 &&
		strcmp(m[0]->sku, "TEA-1") == 0,
	    "by barcode: a spreadsheet's apostrophe goes");
	ok(catalog_by_barcode(cat, "0012345678905", m, 2) == 1 &&
		strcmp(m[0]->sku, "POT-1") == 0 &&
		catalog_by_barcode(cat, "12345678905", m, 2) == 1,
	    "by barcode: UPC-A is EAN-13 with a leading zero, and lost "
	    "zeros do not matter");
	ok(catalog_by_barcode(cat, "4006381333931", m, 2) == 1 &&
		strcmp(m[0]->sku, "CUP-1") == 0,
	    "by barcode: blanks and hyphens in the catalogue go");
	ok(catalog_by_barcode(cat, "6901234567891", m, 2) == 0 &&
		catalog_by_barcode(cat, "", m, 2) == 0 &&
		catalog_by_barcode(cat, "0", m, 2) == 0,
	    "by barcode: another number, or none, finds nothing");
	f = catalog_fold_barcode(" 'abc-0001 ");
	is_str(f, "ABC0001", "a barcode with letters keeps its zeros");
	free(f);
	f = catalog_fold_name("\tA  b\u3000C ");
	is_str(f, "a b c", "a name folded");
	free(f);
	catalog_free(cat);
	free(msgs);
}

/*
 * The customs columns: optional, an HS code's dots dropped, a wrong
 * value a warning that leaves it out and keeps the row usable.
 */
static void
test_customs(const struct layout *lay)
{
	const char *path = write_tmp(
	    "sku,name,location,weight_g,length_mm,width_mm,height_mm,"
	    "handling,stock,hs_code,origin_country,customs_description\n"
	    "TEA-1,Longjing,A01-01-1,1,1,1,1,,1,0902.10,CN,Green tea\n"
	    "TEA-2,Oolong,A01-01-1,1,1,1,1,,1,,,\n"
	    "TEA-3,Bad,A01-01-1,1,1,1,1,,1,12AB,XX,\n"
	    "TEA-4,Long,A01-01-1,1,1,1,1,,1,12345678901,cn,\n");
	const struct item *it;
	struct catalog *cat;
	char *msgs;

	cat = load_quiet(path, lay, &msgs);
	it = catalog_find(cat, "TEA-1");
	ok(it->hs_code != NULL && strcmp(it->hs_code, "090210") == 0 &&
		strcmp(it->origin_country, "CN") == 0 &&
		strcmp(it->customs_description, "Green tea") == 0,
	    "the customs columns read, the HS code's dot dropped");
	it = catalog_find(cat, "TEA-2");
	ok(it->hs_code == NULL && it->origin_country == NULL &&
		it->customs_description == NULL && it->warn == NULL,
	    "blank customs columns are none, and no warning");
	it = catalog_find(cat, "TEA-3");
	ok(it->bad == NULL && it->hs_code == NULL && it->origin_country == NULL,
	    "a wrong HS code and origin are left out, the row usable");
	it = catalog_find(cat, "TEA-4");
	ok(it->hs_code == NULL && it->origin_country == NULL,
	    "11 digits is no HS code; a code in lower case is no country");
	ok(cat->nbad == 0, "warnings are not bad rows");
	ok(strstr(msgs, ":4: SKU TEA-3: warning: hs_code '12AB' is not 6 "
			"to 10 digits") != NULL &&
		strstr(msgs, "origin_country 'XX' is not an ISO 3166-1") !=
		    NULL,
	    "each wrong value warned with its line and SKU");
	catalog_free(cat);
	free(msgs);
}

int
main(void)
{
	const struct layout lay = {.aisles = 10,
	    .bays = 20,
	    .aisle_pitch = 3.0,
	    .bay_pitch = 1.0,
	    .depot = 1};

	err_init("test-catalog");
	test_good(&lay);
	test_bad(&lay);
	test_thrice(&lay);
	test_columns(&lay);
	test_no_layout();
	test_find(&lay);
	test_lookup(&lay);
	test_customs(&lay);
	test_exit(&lay);
	test_edges(&lay);
	cleanup();
	return done_testing();
}
