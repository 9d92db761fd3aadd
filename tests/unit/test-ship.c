/* Parcels and the choice of carrier, on the test warehouse's carriers. */
#include <string.h>

#include "config.h"
#include "err.h"
#include "ship.h"
#include "tap.h"
#include "when.h"

static const char *
choose(struct config *c, const char *forced, const char *country,
    const char *service, int cod, const struct ship_goods *g, size_t n,
    struct ship_choice *sc, char *why, size_t whylen)
{
	if (ship_choose(c, forced, country, service, cod, NULL, g, n, sc, why,
		whylen) == -1)
		return NULL;
	return sc->carrier->code;
}

int
main(void)
{
	struct config *c;
	struct ship_choice sc = {NULL, 0, NULL, 0, 0};
	struct ship_goods light[] = {{300, 1}};
	struct ship_goods heavy[] = {{6000, 2}};
	struct ship_goods mixed[] = {{150, 3}, {6000, 1}, {2500, 2}};
	struct ship_goods brick[] = {{12000, 1}};
	const char *k;
	char why[512];

	err_init("test-ship");
	c = config_load("tests/data/fulfil.json");

	/* Splitting: heaviest first, each parcel with its packaging. */
	ok(ship_split(heavy, 1, 100, 10000, &sc, why, sizeof why) == 0 &&
		sc.nparcels == 2 && sc.weight_g[0] == 6100 &&
		sc.weight_g[1] == 6100,
	    "two 6 kg kettles, 10 kg limit: two parcels of 6.1 kg");
	ok(ship_split(mixed, 3, 100, 10000, &sc, why, sizeof why) == 0 &&
		sc.nparcels == 2 && sc.weight_g[0] == 6100 + 2500 + 3 * 150 &&
		sc.weight_g[1] == 2600,
	    "mixed goods: %d parcels, %lld g and %lld g", sc.nparcels,
	    (long long)sc.weight_g[0],
	    (long long)(sc.nparcels > 1 ? sc.weight_g[1] : 0));
	ok(ship_split(heavy, 1, 100, 0, &sc, why, sizeof why) == 0 &&
		sc.nparcels == 1 && sc.weight_g[0] == 12100,
	    "no limit: one parcel");
	ok(ship_split(brick, 1, 100, 10000, &sc, why, sizeof why) == -1 &&
		strstr(why, "12000 g") != NULL,
	    "a unit over the limit: %s", why);

	/* Rates by band. */
	is_int(ship_rate(&c->carriers[0], 1000), 1200,
	    "sf: 1000 g is the first band");
	is_int(ship_rate(&c->carriers[0], 1001), 1800, "sf: 1001 g the second");
	is_int(ship_rate(&c->carriers[0], 10001), -1, "sf: over its last band");

	/* The choice. */
	k = choose(
	    c, NULL, "CN", "standard", 0, light, 1, &sc, why, sizeof why);
	is_str(
	    k, "sf", "light parcel in China: sf is cheaper (12.00 vs 15.00)");
	is_int(sc.price, 1200, "its price");
	k = choose(
	    c, NULL, "CN", "standard", 0, heavy, 1, &sc, why, sizeof why);
	is_str(k, "post", "12 kg in China: post's one parcel beats sf's two");
	is_int(sc.nparcels, 1, "one parcel with post");
	k = choose(
	    c, NULL, "CN", "standard", 1, heavy, 1, &sc, why, sizeof why);
	is_str(k, "sf", "the same, cash on delivery: only sf collects");
	is_int(sc.nparcels, 2, "in two parcels");
	k = choose(
	    c, NULL, "US", "standard", 0, light, 1, &sc, why, sizeof why);
	is_str(k, "post", "to the US: post (sf serves China only)");
	k = choose(
	    c, "gs1", "CN", "standard", 0, light, 1, &sc, why, sizeof why);
	is_str(k, "gs1", "--carrier gs1 is honoured though it has no rates");
	is_int(sc.price, -1, "no rate table: no price");
	k = choose(
	    c, "sf", "US", "standard", 0, light, 1, &sc, why, sizeof why);
	ok(k == NULL && strcmp(why, "sf: does not deliver to US") == 0,
	    "--carrier sf to the US: %s", why);
	k = choose(
	    c, NULL, "US", "standard", 1, light, 1, &sc, why, sizeof why);
	ok(k == NULL &&
		strcmp(why,
		    "sf: does not deliver to US; post: does not collect "
		    "cash on delivery; gs1: does not collect cash on "
		    "delivery") == 0,
	    "nothing fits: every carrier's reason: %s", why);
	k = choose(
	    c, NULL, "CN", "scheduled", 0, brick, 1, &sc, why, sizeof why);
	ok(k == NULL && strstr(why, "sf: one unit") != NULL &&
		strstr(why, "post: no scheduled service") != NULL,
	    "a 12 kg unit on the scheduled service: %s", why);
	/*
	 * Keeping the promise comes first: 12 kg shipped Monday 23rd for
	 * Wednesday 25th: post (6 days) is cheaper but late, sf is on time.
	 */
	{
		struct ship_promise pr = {days_from_civil(2026, 11, 23),
		    when_local(
			"Asia/Shanghai", days_from_civil(2026, 11, 26), 0) -
			1};

		ok(ship_choose(c, NULL, "CN", "standard", 0, &pr, heavy, 1, &sc,
		       why, sizeof why) == 0 &&
			strcmp(sc.carrier->code, "sf") == 0 && sc.on_time,
		    "the promise first: sf, on time, though post is cheaper");
		pr.deliver_by += 30 * 86400;
		ok(ship_choose(c, NULL, "CN", "standard", 0, &pr, heavy, 1, &sc,
		       why, sizeof why) == 0 &&
			strcmp(sc.carrier->code, "post") == 0,
		    "with time to spare, the cheaper post");
	}
	ship_free(&sc);
	config_free(c);
	return done_testing();
}
