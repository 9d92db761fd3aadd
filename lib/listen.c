#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <netinet/in.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <microhttpd.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "aftercare.h"
#include "err.h"
#include "ledger.h"
#include "ledger_inbox.h"
#include "listen.h"
#include "ndjson.h"
#include "when.h"

/* The largest payload taken: a parcel's whole history is far smaller. */
#define MAX_BODY (1024 * 1024)
/* How far a Shippo signature's time may be from now, in seconds. */
#define SHIPPO_SKEW 300
/* How often the spools and the inbox are looked at with nothing heard. */
#define POLL_MS 1000

static volatile sig_atomic_t stopping;

/* What the server counts, for the summary line. */
static long received, refused, processed, taken;

/* A request's body as it arrives. */
struct conn {
	char *buf;
	size_t len, cap;
	int toolarge;
};

static const char *const sig_headers[] = {NULL, "aftership-hmac-sha256",
    "X-Hmac-Signature", "sign", "Shippo-Auth-Signature"};

const char *
listen_sig_header(enum provider p)
{
	return p > PROVIDER_NONE && p <= PROVIDER_SHIPPO ? sig_headers[p]
							 : NULL;
}

static void
hex(const unsigned char *md, unsigned n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	unsigned i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[md[i] >> 4];
		out[2 * i + 1] = digits[md[i] & 15];
	}
	out[2 * n] = '\0';
}

/* HMAC-SHA256 of prefix pre (NULL: none) then the body. */
static void
hmac2(const char *secret, const char *pre, const char *body, size_t len,
    unsigned char md[SHA256_DIGEST_LENGTH])
{
	size_t pl = pre != NULL ? strlen(pre) : 0;
	char *buf = NULL;
	unsigned n;

	if (pl > 0) {
		buf = xmalloc(pl + len + 1);
		memcpy(buf, pre, pl);
		memcpy(buf + pl, body, len);
	}
	if (HMAC(EVP_sha256(), secret, (int)strlen(secret),
		(const unsigned char *)(buf != NULL ? buf : body), pl + len, md,
		&n) == NULL)
		err_exit(EXIT_TROUBLE, "cannot compute an HMAC");
	free(buf);
}

/* Equal strings, in time that does not tell how much of them is. */
static int
same(const char *want, const char *got)
{
	size_t n = strlen(want);

	return strlen(got) == n && CRYPTO_memcmp(want, got, n) == 0;
}

int
listen_signed(enum provider p, const char *secret, const char *sig,
    const char *body, size_t len, int64_t now, char *why, size_t whylen)
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	char want[2 * SHA256_DIGEST_LENGTH + 32], got[128], *v1;
	const char *t;
	long long ts;
	size_t i;

	if (sig == NULL || *sig == '\0') {
		snprintf(why, whylen, "no %s header", listen_sig_header(p));
		return 0;
	}
	if (strlen(sig) >= sizeof got) {
		snprintf(why, whylen, "%s is too long", listen_sig_header(p));
		return 0;
	}
	strcpy(got, sig);
	switch (p) {
	case PROVIDER_AFTERSHIP:
		hmac2(secret, NULL, body, len, md);
		EVP_EncodeBlock((unsigned char *)want, md, sizeof md);
		break;
	case PROVIDER_EASYPOST:
		/* The hex digits in either case. */
		for (i = 0; got[i] != '\0'; i++)
			got[i] = (char)tolower((unsigned char)got[i]);
		hmac2(secret, NULL, body, len, md);
		strcpy(want, "hmac-sha256-hex=");
		hex(md, sizeof md, want + strlen(want));
		break;
	case PROVIDER_17TRACK: {
		EVP_MD_CTX *c = EVP_MD_CTX_new();
		unsigned n;

		if (c == NULL || !EVP_DigestInit_ex(c, EVP_sha256(), NULL) ||
		    !EVP_DigestUpdate(c, body, len) ||
		    !EVP_DigestUpdate(c, "/", 1) ||
		    !EVP_DigestUpdate(c, secret, strlen(secret)) ||
		    !EVP_DigestFinal_ex(c, md, &n))
			err_exit(EXIT_TROUBLE, "cannot compute a SHA-256");
		EVP_MD_CTX_free(c);
		hex(md, sizeof md, want);
		for (i = 0; got[i] != '\0'; i++)
			got[i] = (char)tolower((unsigned char)got[i]);
		break;
	}
	case PROVIDER_SHIPPO:
		/* t=T,v1=HEX: the time is signed too, against replays. */
		if (strncmp(got, "t=", 2) != 0 ||
		    (v1 = strstr(got, ",v1=")) == NULL) {
			snprintf(why, whylen, "%s is not t=...,v1=...",
			    listen_sig_header(p));
			return 0;
		}
		*v1 = '\0';
		v1 += 4;
		t = got + 2;
		if (*t == '\0' || strlen(t) > 20 ||
		    strspn(t, "0123456789") != strlen(t)) {
			snprintf(why, whylen, "%s: t is not a time",
			    listen_sig_header(p));
			return 0;
		}
		ts = strtoll(t, NULL, 10);
		if (ts < now - SHIPPO_SKEW || ts > now + SHIPPO_SKEW) {
			snprintf(why, whylen,
			    "%s is more than %d seconds from now",
			    listen_sig_header(p), SHIPPO_SKEW);
			return 0;
		}
		{
			char pre[24];

			snprintf(pre, sizeof pre, "%.20s.", t);
			hmac2(secret, pre, body, len, md);
		}
		hex(md, sizeof md, want);
		for (i = 0; v1[i] != '\0'; i++)
			v1[i] = (char)tolower((unsigned char)v1[i]);
		memmove(got, v1, strlen(v1) + 1);
		break;
	default:
		snprintf(why, whylen, "no provider");
		return 0;
	}
	if (!same(want, got)) {
		snprintf(why, whylen, "wrong %s", listen_sig_header(p));
		return 0;
	}
	return 1;
}

/* stdout after each payload: a service's reader sees it now. */
static void
flush(void)
{
	if (fflush(stdout) == EOF || ferror(stdout))
		stdout_failed();
}

/*
 * Process the oldest stored payload not yet processed, and mark it, in
 * one transaction; write what it made after the commit.  0 when there
 * was none.
 */
static int
process_one(struct aftercare *u)
{
	struct ledger_inbox e;
	enum provider p = PROVIDER_NONE;
	char origin[48];
	json_error_t je;
	json_t *doc;
	long n;

	ledger_begin(u->ledger);
	if (!ledger_inbox_next(u->ledger, &e)) {
		ledger_commit(u->ledger);
		return 0;
	}
	if (e.provider != NULL)
		(void)provider_parse(e.provider, &p);
	snprintf(origin, sizeof origin, "inbox:%lld", (long long)e.id);
	doc = json_loadb(e.body, e.len, JSON_REJECT_DUPLICATES, &je);
	if (doc == NULL) {
		/* jansson's words may quote the body: not repeated. */
		aftercare_reject(u, origin, je.line, e.body, e.len,
		    "not JSON (column %d)", je.column);
		n = -1;
	} else
		n = journey_payload(u, p, doc, origin, 1, e.body, e.len);
	json_decref(doc);
	ledger_inbox_done(u->ledger, e.id, n);
	aftercare_checkpoint(u, 0);
	flush();
	ledger_inbox_free(&e);
	processed++;
	return 1;
}

int
listen_is_spool(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* A file's whole text, NUL-terminated; NULL (errno set) if unreadable. */
static char *
slurp(const char *path, size_t *lenp)
{
	FILE *f = fopen(path, "rb");
	size_t len = 0, cap = 0, n;
	char *buf = NULL;

	if (f == NULL)
		return NULL;
	do {
		xgrow(&buf, &cap, len + 4096 + 1, 1);
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
	} while (n > 0 && len <= MAX_BODY);
	if (ferror(f)) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	buf[len] = '\0';
	*lenp = len;
	return buf;
}

/*
 * A file's key in the inbox: its name and a digest of its text, so that
 * a file stored but not yet moved when a run died is not stored again,
 * and another file that happens to take the same name later is.
 */
static void
spool_key(
    const char *name, const char *body, size_t len, char *key, size_t keylen)
{
	unsigned char md[SHA256_DIGEST_LENGTH];
	char h[2 * SHA256_DIGEST_LENGTH + 1];

	SHA256((const unsigned char *)body, len, md);
	hex(md, sizeof md, h);
	snprintf(key, keylen, "spool:%s:%s", name, h);
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * --events DIR: each file (oldest name first; dot files are another
 * writer's files in the making) stored and committed, then moved to
 * DIR/done/.  The order is what makes it safe: killed between the two,
 * the next run finds the file stored and only moves it.
 */
static void
spool_take(struct aftercare *u, const char *dir)
{
	char **names = NULL, *path, *dest, *done, *body, key[600];
	size_t n = 0, cap = 0, i, len;
	struct dirent *d;
	struct stat st;
	DIR *dp;

	if ((dp = opendir(dir)) == NULL)
		err_exit_sys(EXIT_TROUBLE, "'%s'", dir);
	while ((d = readdir(dp)) != NULL) {
		if (d->d_name[0] == '.')
			continue;
		xgrow(&names, &cap, n + 1, sizeof *names);
		names[n++] = xstrdup(d->d_name);
	}
	closedir(dp);
	if (n > 1)
		qsort(names, n, sizeof *names, by_name);
	xasprintf(&done, "%s/done", dir);
	for (i = 0; i < n; i++) {
		xasprintf(&path, "%s/%s", dir, names[i]);
		if (stat(path, &st) == -1 || !S_ISREG(st.st_mode)) {
			free(path);
			continue;
		}
		if (mkdir(done, 0755) == -1 && errno != EEXIST)
			err_exit_sys(EXIT_TROUBLE, "'%s'", done);
		if ((body = slurp(path, &len)) == NULL) {
			err_warn_sys("'%s'", path);
			free(path);
			continue;
		}
		if (len > MAX_BODY) {
			err_warn("'%s': larger than %d bytes, left where it is",
			    path, MAX_BODY);
			free(body);
			free(path);
			continue;
		}
		spool_key(names[i], body, len, key, sizeof key);
		ledger_begin(u->ledger);
		if (ledger_inbox_add(
			u->ledger, NULL, names[i], key, body, len) > 0)
			taken++;
		ledger_commit(u->ledger);
		xasprintf(&dest, "%s/%s", done, names[i]);
		if (rename(path, dest) == -1)
			err_exit_sys(EXIT_TROUBLE, "'%s'", path);
		free(dest);
		free(body);
		free(path);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(done);
}

/* The server's state, for the request handler. */
struct server {
	struct aftercare *u;
};

static enum MHD_Result
reply(struct MHD_Connection *c, unsigned code, const char *text)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(
	    strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", "text/plain");
	ret = MHD_queue_response(c, code, r);
	MHD_destroy_response(r);
	return ret;
}

/* Where a request came from, for a line about it: its address only. */
static void
peer(struct MHD_Connection *c, char *buf, size_t len)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);

	if (ci == NULL || ci->client_addr == NULL ||
	    getnameinfo(ci->client_addr,
		ci->client_addr->sa_family == AF_INET6
		    ? sizeof(struct sockaddr_in6)
		    : sizeof(struct sockaddr_in),
		buf, (socklen_t)len, NULL, 0, NI_NUMERICHOST) != 0)
		snprintf(buf, len, "?");
}

/* A whole request: checked, stored and committed, then answered. */
static enum MHD_Result
answer(struct server *s, struct MHD_Connection *c, const char *url,
    const char *method, struct conn *k)
{
	struct aftercare *u = s->u;
	const char *secret, *name;
	enum provider p = PROVIDER_NONE;
	char why[160], from[64];
	json_t *doc;

	if (strcmp(method, "POST") != 0)
		return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, "POST only\n");
	if (strncmp(url, "/webhooks", 9) != 0 ||
	    (url[9] != '\0' && url[9] != '/'))
		return reply(c, MHD_HTTP_NOT_FOUND, "no such path\n");
	name = url[9] == '/' ? url + 10 : "";
	if (*name != '\0' && provider_parse(name, &p) == -1)
		return reply(c, MHD_HTTP_NOT_FOUND, "no such provider\n");
	if (k->toolarge)
		return reply(c, MHD_HTTP_CONTENT_TOO_LARGE, "too large\n");
	if (p == PROVIDER_NONE) {
		doc = json_loadb(k->buf ? k->buf : "", k->len, 0, NULL);
		p = doc != NULL ? provider_sniff(doc) : PROVIDER_NONE;
		json_decref(doc);
		if (p == PROVIDER_NONE)
			return reply(c, MHD_HTTP_BAD_REQUEST,
			    "not a payload of a known provider; POST to "
			    "/webhooks/<provider>\n");
	}
	peer(c, from, sizeof from);
	secret = u->cfg->followup.webhook_secret[p];
	if (secret == NULL) {
		refused++;
		err_warn("webhook from %s: no secret for %s in "
			 "followup.webhooks: refused",
		    from, provider_name(p));
		return reply(c, MHD_HTTP_UNAUTHORIZED, "not configured\n");
	}
	if (!listen_signed(p, secret,
		MHD_lookup_connection_value(
		    c, MHD_HEADER_KIND, listen_sig_header(p)),
		k->buf ? k->buf : "", k->len, when_now().t, why, sizeof why)) {
		refused++;
		err_warn("webhook from %s: %s: %s: refused", from,
		    provider_name(p), why);
		return reply(c, MHD_HTTP_UNAUTHORIZED, "bad signature\n");
	}
	/* Kept for good before the sender hears it was received. */
	ledger_begin(u->ledger);
	ledger_inbox_add(u->ledger, provider_name(p), "http", NULL,
	    k->buf ? k->buf : "", k->len);
	ledger_commit(u->ledger);
	received++;
	return reply(c, MHD_HTTP_OK, "ok\n");
}

static enum MHD_Result
handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
    const char *version, const char *upload, size_t *upsize, void **ptr)
{
	struct conn *k = *ptr;

	if (k == NULL) {
		*ptr = xcalloc(1, sizeof *k);
		return MHD_YES;
	}
	if (*upsize > 0) {
		if (k->len + *upsize > MAX_BODY)
			k->toolarge = 1;
		else {
			xgrow(&k->buf, &k->cap, k->len + *upsize + 1, 1);
			memcpy(k->buf + k->len, upload, *upsize);
			k->len += *upsize;
			k->buf[k->len] = '\0';
		}
		*upsize = 0;
		return MHD_YES;
	}
	return answer(cls, c, url, method, k);
}

static void
completed(void *cls, struct MHD_Connection *c, void **ptr,
    enum MHD_RequestTerminationCode why)
{
	struct conn *k = *ptr;

	if (k != NULL) {
		free(k->buf);
		free(k);
		*ptr = NULL;
	}
}

static void
on_signal(int sig)
{
	stopping = 1;
}

/* libmicrohttpd's own complaints, in our words' shape: one line each. */
static void
mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[256];
	size_t n;

	vsnprintf(msg, sizeof msg, fmt, ap);
	n = strlen(msg);
	while (n > 0 && msg[n - 1] == '\n')
		msg[--n] = '\0';
	err_warn("http: %s", msg);
}

/*
 * The listening socket, bound here rather than by libmicrohttpd so that
 * a port in use is said as the system says it.
 */
static int
bind_socket(const struct addrinfo *ai, const char *arg)
{
	int fd, on = 1;

	if ((fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC,
		 ai->ai_protocol)) == -1 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) == -1 ||
	    bind(fd, ai->ai_addr, ai->ai_addrlen) == -1 || listen(fd, 64) == -1)
		err_exit_sys(EXIT_TROUBLE, "--listen '%s'", arg);
	return fd;
}

/* The port fd is bound to. */
static unsigned
bound_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;

	if (getsockname(fd, (struct sockaddr *)&ss, &len) == -1)
		return 0;
	return ss.ss_family == AF_INET6
		   ? ntohs(((struct sockaddr_in6 *)&ss)->sin6_port)
		   : ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

/*
 * [ADDR:]PORT into a socket address: ADDR a numeric IPv4 or IPv6
 * address (in brackets) or a host name; none is every IPv4 address.
 */
static struct addrinfo *
address(const char *arg, char *host, size_t hostlen)
{
	struct addrinfo hints, *ai;
	const char *colon = strrchr(arg, ':'), *port = arg;
	size_t hl = 0;
	char *end;
	long pn;
	int e;

	snprintf(host, hostlen, "0.0.0.0");
	if (colon != NULL) {
		port = colon + 1;
		hl = (size_t)(colon - arg);
		if (hl >= 2 && arg[0] == '[' && arg[hl - 1] == ']') {
			arg++;
			hl -= 2;
		}
		if (hl == 0 || hl >= hostlen)
			err_exit(EXIT_TROUBLE,
			    "--listen: '%s' is not [ADDR:]PORT", arg);
		memcpy(host, arg, hl);
		host[hl] = '\0';
	}
	pn = strtol(port, &end, 10);
	if (*port == '\0' || *end != '\0' || pn < 0 || pn > 65535)
		err_exit(EXIT_TROUBLE, "--listen: '%s' is not a port", port);
	memset(&hints, 0, sizeof hints);
	hints.ai_family = colon != NULL ? AF_UNSPEC : AF_INET;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((e = getaddrinfo(host, port, &hints, &ai)) != 0)
		err_exit(
		    EXIT_TROUBLE, "--listen: '%s': %s", host, gai_strerror(e));
	return ai;
}

/* Serve webhooks until a signal; the spools and inbox between requests. */
static void
serve(struct aftercare *u, const char *arg, char *const *spools, size_t n)
{
	struct server s = {u};
	struct sigaction sa;
	struct addrinfo *ai;
	struct MHD_Daemon *d;
	char host[256];
	size_t i;
	int fd;

	ai = address(arg, host, sizeof host);
	fd = bind_socket(ai, arg);
	freeaddrinfo(ai);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	/* No SA_RESTART: select() returns, and the loop ends. */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	d = MHD_start_daemon(MHD_USE_ERROR_LOG, 0, NULL, NULL, handle, &s,
	    MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, MHD_OPTION_LISTEN_SOCKET,
	    fd, MHD_OPTION_NOTIFY_COMPLETED, completed, NULL,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_END);
	if (d == NULL)
		err_exit(EXIT_TROUBLE, "--listen: cannot serve on '%s'", arg);
	if (!quiet)
		fprintf(stderr, "%s: listening on %s port %u\n", progname, host,
		    bound_port(fd));
	while (!stopping) {
		fd_set r, w, e;
		MHD_socket max = 0;
		struct timeval tv = {0, POLL_MS * 1000};

		FD_ZERO(&r);
		FD_ZERO(&w);
		FD_ZERO(&e);
		if (MHD_get_fdset(d, &r, &w, &e, &max) != MHD_YES)
			err_exit(
			    EXIT_TROUBLE, "--listen: cannot watch sockets");
		if (select(max + 1, &r, &w, &e, &tv) == -1) {
			if (errno != EINTR)
				err_exit_sys(EXIT_TROUBLE, "select");
			continue;
		}
		MHD_run_from_select(d, &r, &w, &e);
		for (i = 0; i < n; i++)
			spool_take(u, spools[i]);
		while (!stopping && process_one(u))
			;
	}
	MHD_stop_daemon(d);
}

void
listen_run(struct aftercare *u, const char *addr, char *const *spools, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		spool_take(u, spools[i]);
	while (process_one(u))
		;
	if (addr != NULL)
		serve(u, addr, spools, n);
	if (!quiet)
		fprintf(stderr,
		    "%s: %ld payloads received, %ld refused, %ld spool files "
		    "taken, %ld processed\n",
		    progname, received, refused, taken, processed);
}
