#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aftercare.h"
#include "err.h"
#include "journey.h"
#include "ledger_journey.h"
#include "ndjson.h"
#include "promise.h"
#include "scan.h"
#include "tasks.h"

/*
 * Say sorry for a parcel, with an honest new date: once for all that
 * went wrong since its last scan, at risk and then stalled alike.
 */
static void
apology(struct aftercare *u, const char *source, const char *id,
    const char *tracking, int64_t last, const char *reason, int64_t estimate)
{
	char key[300];
	json_t *n;

	snprintf(key, sizeof key, "delay_apology:%s:%lld", tracking,
	    (long long)last);
	n = aftercare_notice_new("delay_apology", key, source, id, tracking);
	json_object_set_new(n, "reason", json_string(reason));
	ndjson_set_time(n, "new_estimate", estimate, u->cfg->tz);
	aftercare_notice(u, n);
}

/*
 * A parcel out there that is not home yet.  Staff are told early (a
 * stall, or the risk of missing deliver_by); the customer only when
 * lib/promise says the promise is really broken.  Each apology is keyed
 * by the parcel's last scan, not by the task: a risk chased before the
 * date is apologised for once the date has passed.
 */
static void
parcel(void *arg, const struct ledger_afloat *p)
{
	struct aftercare *u = arg;
	const char *tracking = p->tracking, *source = p->source;
	const char *id = p->order_id, *carrier = p->carrier;
	const char *status = p->status;
	const struct carrier *k = config_carrier(u->cfg, carrier);
	const struct service *svc;
	int64_t last;
	int stalled;
	char key[300], reason[300];
	struct promise_parcel pp;
	struct when w;
	json_t *order;

	if (k == NULL || (order = aftercare_order(u, source, id)) == NULL)
		return;
	/* Cancelled on its way: the carrier_intercept task chases it. */
	if (status_parse(ndjson_str(order, "status")) == ST_CANCELLED) {
		json_decref(order);
		return;
	}
	if (p->has_event)
		last = p->last_event_at;
	else if (when_parse(p->dispatched_at, &w) == 0)
		last = w.t;
	else
		last = u->now.t;
	svc = carrier_service(k, p->service);
	promise_parcel(u->cfg, k, svc != NULL ? svc->transit_days : 1, order,
	    journey_order_status(status) == ST_OUT_FOR_DELIVERY, u->now.t, &pp);
	stalled = u->now.t - last > (int64_t)k->stall_hours * 3600;
	if (stalled) {
		snprintf(reason, sizeof reason,
		    "no scan for %lld hours (stall after %d)",
		    (long long)((u->now.t - last) / 3600), k->stall_hours);
		snprintf(key, sizeof key, "stall:%s:%lld", tracking,
		    (long long)last);
		tasks_open(u, "carrier_chase", key, source, id, tracking,
		    pp.earliest > pp.deliver_by,
		    aftercare_detail(u, order, carrier, status, reason));
	} else if (pp.at_risk) {
		snprintf(reason, sizeof reason,
		    "cannot arrive by deliver_by any more");
		snprintf(key, sizeof key, "at_risk:%s", tracking);
		tasks_open(u, "carrier_chase", key, source, id, tracking, 1,
		    aftercare_detail(u, order, carrier, status, reason));
	}
	if (pp.late)
		apology(u, source, id, tracking, last,
		    stalled ? "stalled" : "at_risk",
		    stalled ? pp.estimate : pp.earliest);
	json_decref(order);
}

void
scan_parcels(struct aftercare *u)
{
	ledger_parcels_afloat(u->ledger, parcel, u);
}

/* url with {order_id} and {source} put in, percent-encoded. */
static char *
survey_url(const char *url, const char *source, const char *id)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(url) * 3 + strlen(source) * 3 + strlen(id) * 3 + 1;
	char *out = xmalloc(n), *o = out;
	const char *p, *v;

	for (p = url; *p;) {
		v = strncmp(p, "{order_id}", 10) == 0 ? id
		    : strncmp(p, "{source}", 8) == 0  ? source
						      : NULL;
		if (v == NULL) {
			*o++ = *p++;
			continue;
		}
		p += v == id ? 10 : 8;
		for (; *v; v++)
			if ((*v >= 'A' && *v <= 'Z') ||
			    (*v >= 'a' && *v <= 'z') ||
			    (*v >= '0' && *v <= '9') || strchr("-._~", *v)) {
				*o++ = *v;
			} else {
				*o++ = '%';
				*o++ = hex[(unsigned char)*v >> 4];
				*o++ = hex[(unsigned char)*v & 15];
			}
	}
	*o = '\0';
	return out;
}

static void
survey(void *arg, const char *source, const char *id, const char *at)
{
	struct aftercare *u = arg;
	const struct followup_cfg *f = &u->cfg->followup;
	char key[300], *url;
	struct when w;
	json_t *n;

	if (at == NULL || when_parse(at, &w) == -1 ||
	    w.t + (int64_t)f->survey_after_days * 86400 > u->now.t)
		return;
	/* Not now: it is asked for when the matter is closed. */
	if (aftercare_unresolved(u, source, id))
		return;
	snprintf(key, sizeof key, "survey:%s:%s", source, id);
	n = json_pack("{s:s,s:s,s:s,s:s,s:s}", "type", "notice", "event",
	    "survey", "key", key, "source", source, "order_id", id);
	url = survey_url(f->survey_url, source, id);
	json_object_set_new(n, "survey_url", json_string(url));
	free(url);
	aftercare_notice(u, n);
}

/*
 * Surveys: once per order, survey_after_days after it was delivered and
 * not while anything about it is unresolved (aftercare_unresolved).
 */
void
scan_surveys(struct aftercare *u)
{
	if (u->cfg->followup.survey_url != NULL)
		ledger_orders_without_notice(
		    u->ledger, status_name(ST_DELIVERED), "survey:", survey, u);
}
