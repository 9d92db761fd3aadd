/*
 * provider: each provider's payload read into our tracking records, its
 * table applied row by row (sub-status before catch-all, informational
 * kept as such), payloads recognised by shape, and the wrong ones
 * refused with a reason that names a part, never a value.
 */
#include <string.h>

#include "ndjson.h"
#include "provider.h"
#include "tap.h"
#include "tjson.h"

/* The statuses of doc's records as p reads them, "-" informational. */
static const char *
statuses(enum provider p, const char *doc)
{
	static char buf[512];
	json_t *d = tjson(doc), *evs = json_array(), *ev;
	char why[128];
	size_t i;
	int n = provider_events(p, d, evs, why, sizeof why);

	if (n == -1)
		snprintf(buf, sizeof buf, "error: %s", why);
	else {
		*buf = '\0';
		json_array_foreach(evs, i, ev)
		{
			const char *s = ndjson_str(ev, "status");

			strncat(buf, s ? s : "-", sizeof buf - strlen(buf) - 2);
			strcat(buf, " ");
		}
	}
	json_decref(evs);
	json_decref(d);
	return buf;
}

int
main(void)
{
	enum provider p;
	json_t *d, *evs, *want;
	char why[128];

	ok(provider_parse("17track", &p) == 0 && p == PROVIDER_17TRACK,
	    "17track parses");
	ok(provider_parse("EasyPost", &p) == 0 && p == PROVIDER_EASYPOST,
	    "names, case aside");
	ok(provider_parse("ups", &p) == -1, "ups is no provider");
	is_str(provider_name(PROVIDER_SHIPPO), "shippo", "names back");

	d = tjson(
	    "{'event': 'tracking_update', 'msg': {'tracking_number': 'X'}}");
	ok(provider_sniff(d) == PROVIDER_AFTERSHIP, "AfterShip by its msg");
	json_decref(d);
	d = tjson("{'object': 'Event', 'description': 'tracker.updated', "
		  "'result': {'object': 'Tracker'}}");
	ok(provider_sniff(d) == PROVIDER_EASYPOST, "EasyPost by its Event");
	json_decref(d);
	d = tjson("{'event': 'TRACKING_UPDATED', 'data': {}}");
	ok(provider_sniff(d) == PROVIDER_17TRACK, "17TRACK by its event");
	json_decref(d);
	d = tjson("{'event': 'track_updated', 'data': {}}");
	ok(provider_sniff(d) == PROVIDER_SHIPPO, "Shippo by its event");
	json_decref(d);
	d = tjson("{'type': 'tracking', 'tracking': 'X'}");
	ok(provider_sniff(d) == PROVIDER_NONE, "our own record is nobody's");
	json_decref(d);

	is_str(statuses(PROVIDER_AFTERSHIP,
		   "{'event': 'tracking_update', 'msg': {'tracking_number': "
		   "'X', 'checkpoints': [{'tag': 'Exception', 'subtag': "
		   "'Exception_011'}, {'tag': 'Exception', 'subtag': "
		   "'Exception_004'}, {'tag': 'AttemptFail'}, {'tag': "
		   "'Pending'}, {'tag': 'Teleported'}]}}"),
	    "returned exception attempt_fail - - ",
	    "AfterShip: returned to sender, an exception, unknown words "
	    "informational");
	is_str(statuses(PROVIDER_AFTERSHIP,
		   "{'event': 'edd_revise', 'msg': {'tracking_number': 'X'}}"),
	    "", "AfterShip: an estimate revised carries no event");
	is_str(statuses(PROVIDER_EASYPOST,
		   "{'object': 'Event', 'description': 'tracker.updated', "
		   "'result': {'object': 'Tracker', 'tracking_code': 'X', "
		   "'tracking_details': [{'status': 'failure', "
		   "'status_detail': 'attempted_delivery'}, {'status': "
		   "'failure', 'status_detail': 'damaged'}, {'status': "
		   "'return_to_sender'}, {'status': 'unknown'}]}}"),
	    "attempt_fail exception returned - ",
	    "EasyPost: failure told apart by its detail");
	is_str(statuses(PROVIDER_17TRACK,
		   "{'event': 'TRACKING_UPDATED', 'data': {'number': 'X', "
		   "'track_info': {'tracking': {'providers': [{'events': "
		   "[{'stage': 'DeliveryFailure'}, {'sub_status': "
		   "'Exception_Returned'}, {'stage': '', 'sub_status': "
		   "'InTransit_PickedUp'}, {'stage': 'NotFound'}]}]}}}}"),
	    "attempt_fail returned in_transit - ",
	    "17TRACK: a stage, or the sub-status's first word");
	is_str(statuses(PROVIDER_SHIPPO,
		   "{'event': 'track_updated', 'data': {'tracking_number': "
		   "'X', 'tracking_status': {'status': 'TRANSIT', "
		   "'substatus': {'code': 'pickup_available'}}}}"),
	    "available_for_pickup ",
	    "Shippo: the latest status when there is no history");
	is_str(statuses(PROVIDER_SHIPPO,
		   "{'event': 'track_updated', 'data': {'tracking_number': "
		   "'X', 'tracking_history': [{'status': 'FAILURE', "
		   "'substatus': {'code': 'delivery_attempted'}}, {'status': "
		   "'RETURNED'}, {'status': 'UNKNOWN'}]}}"),
	    "attempt_fail returned - ", "Shippo: its history");
	is_str(statuses(PROVIDER_SHIPPO,
		   "{'event': 'track_updated', 'data': {'carrier': 'usps'}}"),
	    "error: not a payload of shippo: no data.tracking_number",
	    "a reason naming the part missing");
	is_str(statuses(PROVIDER_EASYPOST,
		   "{'object': 'Event', 'description': 'tracker.updated', "
		   "'result': {'object': 'Shipment'}}"),
	    "error: not a payload of easypost: its result is no Tracker",
	    "EasyPost: a shipment's event is not tracking");

	d = tjson("{'event': 'tracking_update', 'msg': {'tracking_number': "
		  "'X', 'slug': 'fedex', 'checkpoints': [{'tag': "
		  "'Delivered', 'subtag': 'Delivered_001', 'message': "
		  "'Left at door', 'checkpoint_time': '2026-11-23T19:40:00', "
		  "'city': 'Miami', 'state': 'FL', 'country_iso3': 'USA'}]}}");
	evs = json_array();
	provider_events(PROVIDER_AFTERSHIP, d, evs, why, sizeof why);
	want = tjson("{'a': {'type': 'tracking', "
		     "'tracking': 'X', 'status': "
		     "'delivered', 'occurred_at': "
		     "'2026-11-23T19:40:00', 'message': "
		     "'Left at door', 'location': {'city': "
		     "'Miami', 'state': 'FL', 'country': "
		     "'USA'}, 'provider': {'name': "
		     "'aftership', 'carrier': 'fedex', "
		     "'status': 'Delivered', 'substatus': "
		     "'Delivered_001', 'message': 'Left at "
		     "door'}}}");
	is_str(tjson_dump(json_array_get(evs, 0)),
	    tjson_dump(tjson_at(want, "a")),
	    "a record as journey reads it, the provider's words kept");
	json_decref(want);
	json_decref(evs);
	json_decref(d);
	return done_testing();
}
