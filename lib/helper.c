#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "err.h"
#include "helper.h"
#include "ledger.h"
#include "ledger_parcels.h"
#include "when.h"

extern char **environ;

/* More than any answer needs: a helper writing on and on is cut off. */
#define ANSWER_MAX (1 << 20)

/* The child: the pipes as stdin and stdout, its own process group. */
static void __attribute__((noreturn))
child(const char *path, const char *op, pid_t parent, int in, int out)
{
	char *argv[3];

	setpgid(0, 0);
	/*
	 * A label run killed while its helper runs takes the helper with
	 * it (Linux): the next run asks again, and no orphan answers late.
	 */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(126);
	if (dup2(in, 0) == -1 || dup2(out, 1) == -1)
		_exit(126);
	if (in != 0)
		close(in);
	if (out != 1)
		close(out);
	argv[0] = (char *)path;
	argv[1] = (char *)op;
	argv[2] = NULL;
	execve(path, argv, environ);
	_exit(127);
}

/* Why the child ended as it did; 0 if it exited 0. */
static int
ended(int status, int killed, int timeout_s, char *why, size_t whylen)
{
	if (killed) {
		snprintf(why, whylen, "no answer in %d s: killed", timeout_s);
		return -1;
	}
	if (WIFSIGNALED(status)) {
		snprintf(why, whylen, "died by signal %d", WTERMSIG(status));
		return -1;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		snprintf(why, whylen, "could not be run (exit 127)");
		return -1;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
		snprintf(
		    why, whylen, "exited with status %d", WEXITSTATUS(status));
		return -1;
	}
	return 0;
}

int
helper_run(const char *path, const char *op, int timeout_s, const char *request,
    size_t reqlen, char **out, size_t *len, char *why, size_t whylen)
{
	int in[2], res[2], killed = 0, status = 0, rc;
	/* The timeout is real time, not FULFIL_NOW's business time. */
	int64_t deadline = when_mono_us() / 1000 + (int64_t)timeout_s * 1000;
	int64_t left;
	struct sigaction ign = {.sa_handler = SIG_IGN}, old;
	struct pollfd pf[2];
	size_t sent = 0, cap = 4096, n = 0;
	char *buf;
	ssize_t k;
	pid_t pid, parent;

	*out = NULL;
	*len = 0;
	if (access(path, X_OK) == -1) {
		snprintf(why, whylen, "'%s': %s", path, strerror(errno));
		return -1;
	}
	if (pipe2(in, O_CLOEXEC) == -1 || pipe2(res, O_CLOEXEC) == -1)
		err_exit_sys(EXIT_TROUBLE, "cannot make a pipe");
	parent = getpid();
	if ((pid = fork()) == -1)
		err_exit_sys(EXIT_TROUBLE, "cannot fork");
	if (pid == 0)
		child(path, op, parent, in[0], res[1]);
	setpgid(pid, pid);
	close(in[0]);
	close(res[1]);
	fcntl(in[1], F_SETFL, O_NONBLOCK);
	/* A helper that stops reading must not kill us by SIGPIPE. */
	sigaction(SIGPIPE, &ign, &old);
	buf = xmalloc(cap);
	pf[0].fd = in[1];
	pf[1].fd = res[0];
	for (;;) {
		pf[0].events = pf[0].fd >= 0 ? POLLOUT : 0;
		pf[1].events = POLLIN;
		if ((left = deadline - when_mono_us() / 1000) <= 0) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			killed = 1;
			break;
		}
		if ((rc = poll(pf, 2, (int)left)) == -1) {
			if (errno == EINTR)
				continue;
			err_exit_sys(EXIT_TROUBLE, "poll");
		}
		if (pf[0].fd >= 0 && pf[0].revents) {
			k = write(in[1], request + sent, reqlen - sent);
			if (k > 0)
				sent += (size_t)k;
			if ((k == -1 && errno != EAGAIN && errno != EINTR) ||
			    sent == reqlen) {
				close(in[1]);
				pf[0].fd = -1;
			}
		}
		if (pf[1].revents) {
			if (n + 1 >= cap && cap < ANSWER_MAX) {
				cap *= 2;
				buf = xrealloc(buf, cap);
			}
			if (n + 1 >= cap) {
				kill(-pid, SIGKILL);
				kill(pid, SIGKILL);
				snprintf(why, whylen,
				    "answered more than %d bytes", ANSWER_MAX);
				waitpid(pid, &status, 0);
				rc = -1;
				goto out;
			}
			k = read(res[0], buf + n, cap - n - 1);
			if (k == 0)
				break;
			if (k > 0)
				n += (size_t)k;
			else if (errno != EINTR && errno != EAGAIN)
				break;
		}
	}
	/* Its stdout is closed: it has a timeout left to exit in. */
	while (!killed && waitpid(pid, &status, WNOHANG) == 0) {
		if (when_mono_us() / 1000 >= deadline) {
			kill(-pid, SIGKILL);
			kill(pid, SIGKILL);
			killed = 1;
			break;
		}
		usleep(5000);
	}
	if (killed) {
		/* Whatever it left behind in its group goes too. */
		kill(-pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	rc = ended(status, killed, timeout_s, why, whylen);
	/* Exit 2 and not a word: the helper does not know the op. */
	if (rc == -1 && !killed && n == 0 && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 2)
		rc = -2;
out:
	sigaction(SIGPIPE, &old, NULL);
	if (pf[0].fd >= 0)
		close(in[1]);
	close(res[0]);
	if (rc < 0) {
		free(buf);
		return rc;
	}
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

/* A helper's text, safe for one line on stderr: printable, short. */
static void
tame(const char *s, char *buf, size_t len)
{
	size_t i, at = 0;

	for (i = 0; s[i] != '\0' && at + 1 < len && i < 120; i++)
		buf[at++] = isprint((unsigned char)s[i]) ? s[i] : '?';
	buf[at] = '\0';
}

/*
 * A tracking number as a helper may give one: 1 to TRACK_MAX - 1 upper
 * case letters, digits or hyphens, and of the carrier's format when it
 * has one.
 */
static int
plausible(const struct carrier *k, const char *t)
{
	size_t i, n = strlen(t);

	if (n == 0 || n >= TRACK_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)t[i]) &&
		    !isupper((unsigned char)t[i]) && t[i] != '-')
			return 0;
	return !k->has_tracking || track_valid(k->tracking.kind, t);
}

/*
 * The helper's stdout as one JSON object, not an error: the object, or
 * NULL with why.
 */
static json_t *
object(const char *text, size_t len, char *why, size_t whylen)
{
	json_error_t e;
	json_t *j;
	char safe[128];

	if ((j = json_loadb(text, len, 0, &e)) == NULL) {
		if ((j = json_loadb(text, len, JSON_DISABLE_EOF_CHECK, &e)) !=
		    NULL) {
			json_decref(j);
			snprintf(why, whylen, "answered more than once");
		} else
			snprintf(why, whylen, "answered no JSON object (%s)",
			    len == 0 ? "nothing" : "garbage");
		return NULL;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		snprintf(why, whylen, "answered no JSON object");
		return NULL;
	}
	if (json_is_string(json_object_get(j, "error"))) {
		tame(json_string_value(json_object_get(j, "error")), safe,
		    sizeof safe);
		snprintf(why, whylen, "refused: %s", safe);
		json_decref(j);
		return NULL;
	}
	return j;
}

/* The helper's stdout as an answer: 0 and num filled, or -1 with why. */
static int
answer(const struct carrier *k, const char *text, size_t len,
    struct helper_number *num, char *why, size_t whylen)
{
	json_t *j, *t, *sc, *lb;

	if ((j = object(text, len, why, whylen)) == NULL)
		return -1;
	t = json_object_get(j, "tracking");
	if (!json_is_string(t) || !plausible(k, json_string_value(t))) {
		snprintf(why, whylen, "answered no valid tracking number%s",
		    k->has_tracking ? " of the carrier's format" : "");
		json_decref(j);
		return -1;
	}
	sc = json_object_get(j, "sort_code");
	lb = json_object_get(j, "label");
	if ((sc != NULL && !json_is_string(sc)) ||
	    (lb != NULL && !json_is_object(lb))) {
		snprintf(why, whylen,
		    "answered a sort_code not a string or a label not "
		    "an object");
		json_decref(j);
		return -1;
	}
	snprintf(num->tracking, TRACK_MAX, "%s", json_string_value(t));
	num->sort_code = sc ? xstrdup(json_string_value(sc)) : NULL;
	num->label = lb ? json_incref(lb) : NULL;
	json_decref(j);
	return 0;
}

/* Request r (its reference taken) as one line of JSON; caller frees. */
static char *
line_of(json_t *r, size_t *len)
{
	char *s = json_dumps(r, JSON_COMPACT);

	json_decref(r);
	if (s == NULL)
		err_exit(EXIT_TROUBLE, "out of memory");
	*len = strlen(s);
	s = xrealloc(s, *len + 2);
	s[(*len)++] = '\n';
	s[*len] = '\0';
	return s;
}

/* The request for parcel n (from 1) as one line of JSON; caller frees. */
static char *
request(const struct carrier *k, const struct helper_order *o, int n,
    const char *key, size_t *len)
{
	json_t *r = json_object(), *p = json_object();

	json_object_set_new(r, "op", json_string("allocate"));
	json_object_set_new(r, "idempotency_key", json_string(key));
	json_object_set_new(r, "carrier", json_string(k->code));
	if (k->account != NULL)
		json_object_set_new(r, "account", json_string(k->account));
	json_object_set_new(r, "service", json_string(o->service));
	json_object_set_new(p, "source", json_string(o->source));
	json_object_set_new(p, "order_id", json_string(o->order_id));
	json_object_set_new(p, "n", json_integer(n));
	json_object_set_new(p, "of", json_integer(o->m));
	json_object_set_new(
	    p, "weight_g", json_integer((json_int_t)o->weight_g[n - 1]));
	if (o->ship_to != NULL)
		json_object_set(p, "ship_to", o->ship_to);
	if (o->ship_from != NULL)
		json_object_set(p, "ship_from", o->ship_from);
	if (o->payment != NULL)
		json_object_set(p, "payment", o->payment);
	if (o->currency != NULL)
		json_object_set_new(p, "currency", json_string(o->currency));
	json_object_set_new(r, "parcel", p);
	return line_of(r, len);
}

static char *
make_key(struct ledger *l, const struct carrier *k,
    const struct helper_order *o, int n)
{
	char *key;

	xasprintf(&key, "%s/%s/%s/%d-of-%d/%" PRId64, o->source, o->order_id,
	    k->code, n, o->m, ledger_voided_count(l, o->source, o->order_id));
	return key;
}

/*
 * Keep the requests: 1 if another live run is asking for one of them
 * now (its request has neither answer nor error), else 0 with each
 * request committed as this run's.
 */
static int
keep_requests(struct ledger *l, const struct carrier *k,
    const struct helper_order *o, char **keys, char **before)
{
	struct ledger_helper_req r = {0};
	int i;

	for (i = 0; i < o->m; i++) {
		memset(&r, 0, sizeof r);
		if (!ledger_helper_get(l, keys[i], &r))
			continue;
		before[i] = r.tracking;
		r.tracking = NULL;
		ledger_helper_free(&r);
		if (r.inflight && r.run != ledger_run_id(l) && r.run != 0 &&
		    ledger_run_alive(l, r.run))
			return 1;
	}
	for (i = 0; i < o->m; i++) {
		r.key = keys[i];
		r.carrier = k->code;
		r.source = o->source;
		r.order_id = o->order_id;
		r.n = i + 1;
		r.m = o->m;
		ledger_helper_request(l, &r);
	}
	ledger_commit(l);
	return 0;
}

/*
 * What the helper gave, against what it gave before and what the ledger
 * has: -1 with why if the number is another parcel's, or not the one
 * given for the key before.
 */
static int
check(struct ledger *l, const char *before, struct helper_number *out, int i,
    char *why, size_t whylen)
{
	char *source, *id;
	int voided, j;

	if (before != NULL && strcmp(before, out[i].tracking) != 0) {
		snprintf(why, whylen,
		    "gave parcel %d the number %s, and %s before for the "
		    "same key",
		    i + 1, out[i].tracking, before);
		return -1;
	}
	for (j = 0; j < i; j++)
		if (strcmp(out[j].tracking, out[i].tracking) == 0) {
			snprintf(why, whylen,
			    "gave parcels %d and %d the same number %s", j + 1,
			    i + 1, out[i].tracking);
			return -1;
		}
	if (ledger_parcel_find(l, out[i].tracking, &source, &id, &voided)) {
		snprintf(why, whylen,
		    "gave parcel %d the number %s, already order %s's%s", i + 1,
		    out[i].tracking, id, voided ? " (voided)" : "");
		free(source);
		free(id);
		return -1;
	}
	return 0;
}

int
helper_allocate(struct ledger *l, const struct carrier *k,
    const struct helper_order *o, struct helper_number *out, char *why,
    size_t whylen)
{
	char **keys = xcalloc((size_t)o->m, sizeof *keys);
	char **before = xcalloc((size_t)o->m, sizeof *before);
	char **texts = xcalloc((size_t)o->m, sizeof *texts);
	char sub[256], *req;
	size_t len, *lens = xcalloc((size_t)o->m, sizeof *lens);
	int i, rc = 0, failed = -1, intx = ledger_in_transaction(l);

	memset(out, 0, (size_t)o->m * sizeof *out);
	if (!intx)
		ledger_begin(l);
	for (i = 0; i < o->m; i++)
		keys[i] = make_key(l, k, o, i + 1);
	if (keep_requests(l, k, o, keys, before)) {
		rc = 1;
		goto done;
	}
	/* The ledger is free while the helper runs. */
	for (i = 0; i < o->m && rc == 0; i++) {
		req = request(k, o, i + 1, keys[i], &len);
		if (helper_run(k->helper, "allocate", k->helper_timeout_s, req,
			len, &texts[i], &lens[i], sub, sizeof sub) < 0 ||
		    answer(k, texts[i], lens[i], &out[i], sub, sizeof sub) ==
			-1) {
			snprintf(why, whylen, "carrier %s: helper %s (key %s)",
			    k->code, sub, keys[i]);
			rc = -1;
			failed = i;
		}
		free(req);
	}
	/* Each answer kept as it came, before it is used. */
	ledger_begin(l);
	for (i = 0; i < o->m; i++) {
		if (texts[i] != NULL)
			ledger_helper_answer(l, keys[i], texts[i],
			    out[i].tracking[0] ? out[i].tracking : NULL,
			    out[i].sort_code);
		/* Those not asked failed too: none is left in flight. */
		if (i == failed || (rc == -1 && texts[i] == NULL))
			ledger_helper_failed(l, keys[i], why);
	}
	ledger_commit(l);
	ledger_begin(l);
	for (i = 0; i < o->m && rc == 0; i++)
		if (check(l, before[i], out, i, sub, sizeof sub) == -1) {
			snprintf(why, whylen, "carrier %s: helper %s (key %s)",
			    k->code, sub, keys[i]);
			ledger_helper_failed(l, keys[i], why);
			rc = -1;
		}
done:
	if (!intx)
		ledger_commit(l);
	if (rc != 0)
		helper_numbers_free(out, o->m);
	for (i = 0; i < o->m; i++) {
		free(keys[i]);
		free(before[i]);
		free(texts[i]);
	}
	free(keys);
	free(before);
	free(texts);
	free(lens);
	return rc;
}

void
helper_numbers_free(struct helper_number *v, int m)
{
	int i;

	for (i = 0; i < m; i++) {
		free(v[i].sort_code);
		v[i].sort_code = NULL;
		json_decref(v[i].label);
		v[i].label = NULL;
	}
}

/* The void request for v, one line of JSON; caller frees. */
static char *
void_request(
    const struct carrier *k, const struct ledger_helper_void *v, size_t *len)
{
	json_t *r = json_pack("{s:s,s:s,s:s,s:s,s:{s:s,s:s,s:i,s:i}}", "op",
	    "void", "idempotency_key", v->key, "carrier", k->code, "tracking",
	    v->tracking, "parcel", "source", v->source, "order_id", v->order_id,
	    "n", v->n, "of", v->m);

	if (r == NULL)
		err_exit(EXIT_TROUBLE, "out of memory");
	if (k->account != NULL)
		json_object_set_new(r, "account", json_string(k->account));
	return line_of(r, len);
}

/*
 * Tell v's helper: 0 told (*text its answer), 1 the helper does not
 * void numbers (exit 2, no answer) or the carrier has no helper now, -1
 * not told with why (ask again).
 */
static int
tell_void(const struct config *cfg, const struct ledger_helper_void *v,
    char **text, char *why, size_t whylen)
{
	const struct carrier *k = config_carrier(cfg, v->carrier);
	size_t len, n;
	char *req;
	json_t *j;
	int rc;

	*text = NULL;
	if (k == NULL || k->helper == NULL) {
		snprintf(why, whylen, "has no helper now");
		return 1;
	}
	req = void_request(k, v, &len);
	rc = helper_run(k->helper, "void", k->helper_timeout_s, req, len, text,
	    &n, why, whylen);
	free(req);
	if (rc == -2) {
		snprintf(why, whylen,
		    "helper does not void numbers (exit 2 to 'void')");
		return 1;
	}
	if (rc == -1 || (j = object(*text, n, why, whylen)) == NULL)
		return -1;
	rc = json_is_true(json_object_get(j, "voided")) ? 0 : -1;
	json_decref(j);
	if (rc == -1)
		snprintf(why, whylen, "helper answered no \"voided\": true");
	return rc;
}

void
helper_tell_voids(
    struct ledger *l, const struct config *cfg, struct helper_voids *count)
{
	struct ledger_helper_void *v;
	struct ledger_helper_req r = {0};
	char why[256], line[400], *text;
	size_t i, n;
	int rc, *mine;

	ledger_begin(l);
	n = ledger_helper_voids_due(l, &v);
	mine = xcalloc(n + 1, sizeof *mine);
	for (i = 0; i < n; i++) {
		/* Another live run telling it now: its business. */
		if (v[i].inflight && v[i].run != ledger_run_id(l) &&
		    v[i].run != 0 && ledger_run_alive(l, v[i].run))
			continue;
		r.key = v[i].key;
		r.carrier = v[i].carrier;
		r.source = v[i].source;
		r.order_id = v[i].order_id;
		r.n = v[i].n;
		r.m = v[i].m;
		ledger_helper_request(l, &r);
		mine[i] = 1;
	}
	ledger_commit(l);
	for (i = 0; i < n; i++) {
		if (!mine[i])
			continue;
		why[0] = '\0';
		rc = tell_void(cfg, &v[i], &text, why, sizeof why);
		snprintf(line, sizeof line, "%s: carrier %s: %s (key %s)",
		    v[i].tracking, v[i].carrier, why, v[i].key);
		ledger_begin(l);
		if (rc >= 0)
			ledger_helper_answer(
			    l, v[i].key, text ? text : "", NULL, NULL);
		if (rc != 0)
			ledger_helper_failed(l, v[i].key, line);
		ledger_commit(l);
		free(text);
		if (rc == 0) {
			count->told++;
			continue;
		}
		if (rc == 1) {
			count->untellable++;
			err_warn("%s: tell the carrier yourself", line);
		} else {
			count->failed++;
			err_warn("%s; the next label run tells it again", line);
		}
	}
	free(mine);
	ledger_helper_voids_free(v, n);
}
