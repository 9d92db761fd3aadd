#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "country.h"
#include "digest.h"
#include "err.h"

#ifndef ISO_CODES_DIR
#define ISO_CODES_DIR "/usr/share"
#endif

#define ISO_3166_JSON "iso-codes/json/iso_3166-1.json"

/*
 * The catalogues read, in their order of precedence: the Chinese our
 * shops write first, then the languages of the other markets they sell
 * to.  More languages are more names, but also more room for a poor
 * translation to claim another country's name; these are iso-codes'
 * best kept.
 */
static const char *const langs[] = {"zh_CN", "zh_TW", "zh_HK", "ja", "ko", "de",
    "fr", "es", "it", "nl", "pt", "pt_BR", "ru"};

/*
 * Names in everyday use, on envelopes and in shops' exports, that
 * iso-codes does not carry.  "USA" and "U.S.A." need nothing here: they
 * are the alpha-3 code.  "Korea" is left out: two countries have it.
 */
static const struct {
	const char *name, *alpha2;
} aliases[] = {
    {"UK", "GB"},
    {"Great Britain", "GB"},
    {"Britain", "GB"},
    {"England", "GB"},
    {"Scotland", "GB"},
    {"Wales", "GB"},
    {"Northern Ireland", "GB"},
    {"America", "US"},
    {"UAE", "AE"},
    {"PRC", "CN"},
    {"P.R. China", "CN"},
    {"Mainland China", "CN"},
    {"Hong Kong SAR", "HK"},
    {"Macau", "MO"},
    {"Macao SAR", "MO"},
    {"Republic of Korea", "KR"},
    {"Russia", "RU"},
    {"Turkey", "TR"},
    {"Turkiye", "TR"},
    {"Holland", "NL"},
    {"Ivory Coast", "CI"},
    {"Cote d'Ivoire", "CI"},
    {"Cape Verde", "CV"},
    {"Swaziland", "SZ"},
    {"Burma", "MM"},
    {"Brunei", "BN"},
    {"Vatican", "VA"},
    {"Vatican City", "VA"},
    {"Palestine", "PS"},
    {"Micronesia", "FM"},
    {"East Timor", "TL"},
    {"中国大陆", "CN"},
    {"中國大陸", "CN"},
    {"中国香港", "HK"},
    {"中國香港", "HK"},
    {"中国澳门", "MO"},
    {"中國澳門", "MO"},
    {"中国台湾", "TW"},
    {"中國台灣", "TW"},
    {"中國臺灣", "TW"},
};

/*
 * The countries whose own name is in one of the catalogues above, for
 * country_local(): one language each, so countries of several (CH, BE)
 * are left out rather than favour one.
 */
static const struct {
	const char *alpha2, *lang;
} locals[] = {
    {"AR", "es"},
    {"AT", "de"},
    {"BR", "pt_BR"},
    {"CL", "es"},
    {"CN", "zh_CN"},
    {"CO", "es"},
    {"DE", "de"},
    {"ES", "es"},
    {"FR", "fr"},
    {"HK", "zh_HK"},
    {"IT", "it"},
    {"JP", "ja"},
    {"KR", "ko"},
    {"LI", "de"},
    {"MC", "fr"},
    {"MO", "zh_HK"},
    {"MX", "es"},
    {"NL", "nl"},
    {"PE", "es"},
    {"PT", "pt"},
    {"RU", "ru"},
    {"TW", "zh_TW"},
};

/* Levels of precedence, lower first (see country.h). */
enum { L_CODE, L_ENGLISH, L_ALIAS, L_LANG };

struct country {
	char alpha2[3], alpha3[4];
	char *name;       /* English: iso-codes' common name, else its name */
	const char *lang; /* the catalogue of its own name, or NULL */
	char *local;      /* that name in that language, or NULL */
};

/*
 * A name, folded, and the country it names: idx into countries, or -1
 * when two countries at one level claim it.
 */
struct entry {
	char *key;
	int idx;
	int level;
};

static struct country *countries; /* sorted by alpha2 */
static size_t ncountries;
/* Index into countries + 1 of each alpha-2 code "AA".."ZZ"; 0: none. */
static unsigned short byalpha2[26 * 26];
static struct entry *tab; /* open addressing; a power of two long */
static size_t tabcap, tabn;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* The longest folded name kept; iso-codes' longest is about 100 bytes. */
#define KEY_MAX 256

static int
upper_ascii(int c)
{
	return c >= 'A' && c <= 'Z';
}

static int
space_ascii(int c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/*
 * Fold the n bytes at s into key (KEY_MAX long) as country.h says:
 * lower-case ASCII, no '.', white space trimmed and squeezed to one ' '.
 * Returns the length, or -1 when empty or too long.
 */
static int
fold(const char *s, size_t n, char *key)
{
	size_t i, k = 0;
	int gap = 0;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '.')
			continue;
		if (space_ascii(c)) {
			gap = k > 0;
			continue;
		}
		if (k + (size_t)gap + 1 >= KEY_MAX)
			return -1;
		if (gap)
			key[k++] = ' ';
		gap = 0;
		key[k++] = (char)(upper_ascii(c) ? c - 'A' + 'a' : c);
	}
	key[k] = '\0';
	return k > 0 ? (int)k : -1;
}

static struct entry *
slot(struct entry *t, size_t cap, const char *key)
{
	size_t i = digest_fnv1a(DIGEST_FNV1A, key) & (cap - 1);

	while (t[i].key != NULL && strcmp(t[i].key, key) != 0)
		i = (i + 1) & (cap - 1);
	return &t[i];
}

static void
grow(void)
{
	struct entry *old = tab, *e;
	size_t oldcap = tabcap, i;

	tabcap = tabcap == 0 ? 4096 : tabcap * 2;
	tab = xcalloc(tabcap, sizeof *tab);
	for (i = 0; i < oldcap; i++)
		if (old[i].key != NULL) {
			e = slot(tab, tabcap, old[i].key);
			*e = old[i];
		}
	free(old);
}

/* Let the folded key name countries[idx] at level, as country.h says. */
static void
add(const char *key, int idx, int level)
{
	struct entry *e;

	if ((tabn + 1) * 3 > tabcap * 2)
		grow();
	e = slot(tab, tabcap, key);
	if (e->key == NULL) {
		e->key = xstrdup(key);
		e->idx = idx;
		e->level = level;
		tabn++;
	} else if (e->idx != idx && e->level == level)
		e->idx = -1;
}

static void
add_name(const char *name, size_t n, int idx, int level)
{
	char key[KEY_MAX];

	if (fold(name, n, key) > 0)
		add(key, idx, level);
}

static const struct entry *
find(const char *key)
{
	const struct entry *e;

	if (tabcap == 0)
		return NULL;
	e = slot(tab, tabcap, key);
	return e->key != NULL ? e : NULL;
}

static int
alpha2_index(const char *s)
{
	if (!upper_ascii((unsigned char)s[0]) ||
	    !upper_ascii((unsigned char)s[1]) || s[2] != '\0')
		return -1;
	return byalpha2[(s[0] - 'A') * 26 + (s[1] - 'A')] - 1;
}

static int
by_alpha2(const void *a, const void *b)
{
	return strcmp(((const struct country *)a)->alpha2,
	    ((const struct country *)b)->alpha2);
}

static void __attribute__((noreturn))
missing(const char *path, const char *what)
{
	err_exit(EXIT_TROUBLE,
	    "cannot read '%s': %s (it comes with Debian's iso-codes package)",
	    path, what);
}

static const char *
str(json_t *c, const char *key)
{
	return json_string_value(json_object_get(c, key));
}

/*
 * iso_3166-1.json: {"3166-1": [{"alpha_2", "alpha_3", "name",
 * "official_name"?, "common_name"?, ...}, ...]}.
 */
static void
load_json(const char *dir)
{
	static const char *const names[] = {
	    "name", "official_name", "common_name"};
	json_error_t jerr;
	json_t *root, *list, *c;
	const char *a2, *a3, *s;
	char path[4096], what[256];
	size_t i, j;

	snprintf(path, sizeof path, "%s/%s", dir, ISO_3166_JSON);
	if ((root = json_load_file(path, 0, &jerr)) == NULL) {
		if (jerr.line <= 0)
			missing(path, errno != 0 ? strerror(errno) : jerr.text);
		snprintf(
		    what, sizeof what, "line %d: %s", jerr.line, jerr.text);
		missing(path, what);
	}
	list = json_object_get(root, "3166-1");
	if (!json_is_array(list) || json_array_size(list) == 0)
		missing(path, "no \"3166-1\" list in it");
	countries = xcalloc(json_array_size(list), sizeof *countries);
	json_array_foreach(list, i, c)
	{
		a2 = str(c, "alpha_2");
		a3 = str(c, "alpha_3");
		if (a2 == NULL || a3 == NULL || strlen(a2) != 2 ||
		    strlen(a3) != 3 || !upper_ascii((unsigned char)a2[0]) ||
		    !upper_ascii((unsigned char)a2[1]))
			missing(path, "a country without its codes");
		memcpy(countries[ncountries].alpha2, a2, 3);
		memcpy(countries[ncountries].alpha3, a3, 4);
		s = str(c, "common_name") != NULL ? str(c, "common_name")
						  : str(c, "name");
		countries[ncountries].name = xstrdup(s != NULL ? s : a2);
		for (j = 0; j < sizeof locals / sizeof locals[0]; j++)
			if (strcmp(locals[j].alpha2, a2) == 0)
				countries[ncountries].lang = locals[j].lang;
		ncountries++;
	}
	qsort(countries, ncountries, sizeof *countries, by_alpha2);
	for (i = 0; i < ncountries; i++) {
		a2 = countries[i].alpha2;
		byalpha2[(a2[0] - 'A') * 26 + (a2[1] - 'A')] =
		    (unsigned short)(i + 1);
		add_name(a2, 2, (int)i, L_CODE);
		add_name(countries[i].alpha3, 3, (int)i, L_CODE);
	}
	json_array_foreach(list, i, c)
	{
		int idx = alpha2_index(str(c, "alpha_2"));

		for (j = 0; j < sizeof names / sizeof names[0]; j++)
			if ((s = str(c, names[j])) != NULL)
				add_name(s, strlen(s), idx, L_ENGLISH);
	}
	json_decref(root);
}

static uint32_t
get32(const unsigned char *p, int swap)
{
	return swap ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
			  (uint32_t)p[2] << 8 | p[3]
		    : (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
			  (uint32_t)p[1] << 8 | p[0];
}

/*
 * The string of table entry i of a .mo file (n bytes long, table at
 * off): its start and length, or NULL when it lies outside the file.
 */
static const char *
mo_string(const unsigned char *mo, size_t n, uint32_t off, uint32_t i, int swap,
    size_t *len)
{
	uint64_t at = (uint64_t)off + (uint64_t)i * 8, l, o;

	if (at + 8 > n)
		return NULL;
	l = get32(mo + at, swap);
	o = get32(mo + at + 4, swap);
	if (o + l >= n)
		return NULL;
	*len = (size_t)l;
	return (const char *)mo + o;
}

/*
 * One gettext catalogue: every msgid that is an English name of
 * iso-codes gives its msgstr as a name of the same country.  GNU .mo
 * format: magic, revision, count, offset of the msgid table, offset of
 * the msgstr table; each table entry a length and an offset.
 */
static void
load_mo(const unsigned char *mo, size_t n, int level)
{
	const char *lang = langs[level - L_LANG];
	struct country *cn;
	char key[KEY_MAX];
	const struct entry *e;
	const char *id, *tr;
	size_t idlen, trlen;
	uint32_t magic, count, ids, trs, i;
	int swap;

	if (n < 20)
		return;
	magic = get32(mo, 0);
	if (magic == 0x950412deu)
		swap = 0;
	else if (magic == 0xde120495u)
		swap = 1;
	else
		return;
	count = get32(mo + 8, swap);
	ids = get32(mo + 12, swap);
	trs = get32(mo + 16, swap);
	for (i = 0; i < count; i++) {
		if ((id = mo_string(mo, n, ids, i, swap, &idlen)) == NULL ||
		    (tr = mo_string(mo, n, trs, i, swap, &trlen)) == NULL)
			return;
		if (idlen == 0 || trlen == 0 || fold(id, idlen, key) < 0)
			continue;
		e = find(key);
		if (e == NULL || e->level != L_ENGLISH || e->idx < 0)
			continue;
		/* add_name() may move the table e points into. */
		cn = &countries[e->idx];
		add_name(tr, trlen, e->idx, level);
		/* The translation of the very name country_name() gives. */
		if (cn->lang != NULL && strcmp(cn->lang, lang) == 0 &&
		    cn->local == NULL && strlen(cn->name) == idlen &&
		    memcmp(cn->name, id, idlen) == 0)
			cn->local = xstrndup(tr, trlen);
	}
}

/* A missing or unreadable catalogue costs its names, nothing more. */
static void
load_lang(const char *dir, const char *lang, int level)
{
	char path[4096];
	unsigned char *buf = NULL;
	size_t n = 0, cap = 0, r;
	FILE *fp;

	snprintf(path, sizeof path, "%s/locale/%s/LC_MESSAGES/iso_3166-1.mo",
	    dir, lang);
	if ((fp = fopen(path, "rb")) == NULL)
		return;
	do {
		xgrow(&buf, &cap, n + 65536, 1);
		r = fread(buf + n, 1, cap - n, fp);
		n += r;
	} while (r > 0);
	if (!ferror(fp))
		load_mo(buf, n, level);
	fclose(fp);
	free(buf);
}

static void
load(void)
{
	const char *dir = getenv("FULFIL_ISO_CODES");
	size_t i;
	int idx;

	if (dir == NULL || *dir == '\0')
		dir = ISO_CODES_DIR;
	errno = 0;
	load_json(dir);
	for (i = 0; i < sizeof aliases / sizeof aliases[0]; i++)
		if ((idx = alpha2_index(aliases[i].alpha2)) >= 0)
			add_name(aliases[i].name, strlen(aliases[i].name), idx,
			    L_ALIAS);
	for (i = 0; i < sizeof langs / sizeof langs[0]; i++)
		load_lang(dir, langs[i], L_LANG + (int)i);
}

void
country_init(void)
{
	pthread_once(&once, load);
}

int
country_valid(const char *alpha2)
{
	country_init();
	return alpha2 != NULL && alpha2_index(alpha2) >= 0;
}

const char *
country_code(const char *text)
{
	const struct entry *e;
	char key[KEY_MAX];
	int i;

	country_init();
	if (text == NULL)
		return NULL;
	if ((i = alpha2_index(text)) >= 0)
		return countries[i].alpha2;
	if (fold(text, strlen(text), key) < 0 || (e = find(key)) == NULL ||
	    e->idx < 0)
		return NULL;
	return countries[e->idx].alpha2;
}

/* The country of an alpha-2 code, or NULL. */
static const struct country *
by_code(const char *alpha2)
{
	int i;

	country_init();
	if (alpha2 == NULL || (i = alpha2_index(alpha2)) < 0)
		return NULL;
	return &countries[i];
}

const char *
country_name(const char *alpha2)
{
	const struct country *c = by_code(alpha2);

	return c != NULL ? c->name : NULL;
}

const char *
country_local(const char *alpha2)
{
	const struct country *c = by_code(alpha2);

	return c != NULL ? c->local : NULL;
}
