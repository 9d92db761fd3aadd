/*
 * config: the warehouse description, fulfil.json(5).
 *
 * config_load() finds the file (--config, else $FULFIL_CONFIG, else
 * fulfil.json in the current directory), checks every section this
 * version understands and builds the structures below.  Any error names
 * the file, the JSON path and what is wrong, and exits 2: a tool never
 * reads an order with a configuration it does not trust.  Keys starting
 * with '_' are comments and ignored everywhere.
 *
 * Ownership: everything hangs off the struct config and is freed by
 * config_free().  The json_t pointers are borrowed from cfg->root, for
 * sections later tools read themselves.
 */
#ifndef FULFIL_CONFIG_H
#define FULFIL_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "provider.h"
#include "tracking.h"
#include "when.h"

struct service {
	char *name;
	int transit_days;
};

/* A price band: parcels up to up_to_g grams cost price (minor units). */
struct rate {
	int64_t up_to_g;
	int64_t price;
};

struct carrier {
	char *code;
	char *name;
	char **countries; /* alpha-2; none means everywhere */
	size_t ncountries;
	int pickup;               /* seconds after local midnight */
	int cod;                  /* collects cash on delivery */
	int64_t max_weight_g;     /* 0: no limit */
	struct calendar delivery; /* days it delivers */
	struct service *services;
	size_t nservices;
	int has_tracking;
	struct track_format tracking;
	int64_t low_warning; /* serials left that warn */
	struct rate *rates;  /* by up_to_g, ascending */
	size_t nrates;
	char *tracking_url; /* with {tracking}, or NULL */
	char *account;
	int stall_hours; /* no scan for longer: stalled */
	char *helper;    /* resolved path of its helper (lib/helper), or NULL */
	int helper_timeout_s; /* a helper answers in this, or is killed */
	json_t *json;         /* the whole entry */
};

/* followup: when a parcel needs chasing, and how soon staff act. */
struct followup_cfg {
	int chase_due_hours;  /* a carrier_chase task is due in */
	int urgent_due_hours; /* a high-priority task is due in */
	int review_threshold; /* a rating at or below is negative */
	char **negative;      /* words that make a review negative */
	size_t nnegative;
	char **damaged; /* words that make a return a damaged one */
	size_t ndamaged;
	int64_t high_value;     /* an order worth this is a priority */
	int survey_after_days;  /* after delivery */
	char *survey_url;       /* with {order_id}, {source}; NULL: none */
	int return_window_days; /* after delivery */
	int cod_overdue_days;   /* delivered, nothing remitted: overdue */
	char *report_locale;    /* report_locale_known(): the page's */
	/*
	 * followup.webhooks.<provider>.secret, by enum provider: what
	 * followup --listen checks each provider's signature with; NULL:
	 * that provider's webhooks are refused.
	 */
	char *webhook_secret[PROVIDER_SHIPPO + 1];
};

/*
 * A reason a return may give (fulfil.json(5), returns.reasons): its code,
 * its labels, and the words that find it in a request's free text.
 */
struct return_reason {
	char *code;       /* [a-z0-9_]+ */
	char *en, *zh_cn; /* labels */
	char **keywords;
	size_t nkeywords;
};

/* returns: the back office's list of reasons, "other" always last. */
struct returns_cfg {
	struct return_reason *reasons;
	size_t nreasons;
};

/*
 * pick.partial: whether pick-list(1) may split an order it cannot fill
 * whole (ship what is on the shelf, the rest as a backorder).
 */
enum partial_policy { PARTIAL_NEVER, PARTIAL_ALLOW, PARTIAL_ABOVE };

/* pick.window's default and its most (pick-list --window's too). */
#define PICK_WINDOW 20000
#define PICK_WINDOW_MAX 1000000000L

struct partial_cfg {
	char *source; /* pick.partial_by_source's key; NULL: the default */
	enum partial_policy policy;
	double min_share; /* "above": share of the order's value on hand */
};

struct promo {
	char *id;
	char *gift_sku;
	char *gift_name;
	int qty;        /* gifts per qualifying order or unit */
	int per_unit;   /* qty per unit of qualifying SKUs */
	int limit;      /* most gifts of this rule per order */
	char **buy_any; /* qualifying SKUs; none: any */
	size_t nbuy;
	int64_t min_total; /* in minor units of currency; -1: none */
	char currency[4];
	int64_t from, to; /* placed_at range, epoch seconds */
};

struct cutoff {
	char *service; /* NULL: the default */
	int secs;
};

/* Middle cross aisles a zone may have (route_blocks.h: blocks - 1). */
#define LAYOUT_CROSS_MAX 3
/* Zones, one per location letter. */
#define LAYOUT_ZONES_MAX 26

/*
 * The pick area, pick-list(1): a zone of parallel aisles, cut across by
 * cross aisles at the front, the back, and after the bays in cross[].
 * A layout with zones (fulfil.json(5), "layout.zones") is the set of
 * them: zones[k] serves the locations of letter zones[k].zone; its own
 * fields are then a copy of zones[0]'s, so "configured" stays aisles > 0.
 * A layout without zones serves every letter, as before zones were.
 */
struct layout {
	int aisles;         /* 0: no layout configured */
	int bays;           /* per aisle, numbered from the front */
	double aisle_pitch; /* metres between aisle centre lines */
	double bay_pitch;   /* metres per bay along an aisle */
	int depot;          /* the aisle (1-based) the depot is in front of */
	int ncross;         /* middle cross aisles */
	int cross[LAYOUT_CROSS_MAX]; /* the bay each follows, rising */
	double cross_width;          /* metres, of each middle cross aisle */
	char zone;                   /* its letter; 0 with no zones */
	struct layout *zones;        /* by letter; owned, config_free() */
	int nzones;
};

/* A picking cart: totes, each holding one order (or part of one). */
struct carts {
	int totes;
	int64_t tote_weight_g, cart_weight_g;
	double tote_volume_l, cart_volume_l;
};

/* notify: where messages go, and when they may. */
struct notify_cfg {
	char **channels; /* default channels; NULL: those configured */
	size_t nchannels;
	char *templates; /* resolved directory */
	char *outbox;    /* resolved path, or NULL */
	char *locale;    /* default locale */
	char *from_name, *from_addr;
	char *domain; /* of Message-IDs */
	char *smtp_url, *webhook_url, *sms_url, *sms_sender;
	int smtp_insecure;        /* credentials without TLS: loopback only */
	int timeout_s;            /* per request */
	int max_segments;         /* of an SMS */
	int quiet;                /* quiet hours set */
	int quiet_from, quiet_to; /* seconds after local midnight */
	int max_attempts, backoff_s;
	int optout_all;       /* an opt-out stops every message */
	char **non_essential; /* events an opt-out stops */
	size_t nnon_essential;
};

/*
 * Where a line without a SKU finds one (fulfil.json(5), ingest.sku_from):
 * its own sku, its barcode or its name, looked up in the catalogue.
 */
enum sku_from { SKU_FROM_SKU, SKU_FROM_BARCODE, SKU_FROM_NAME, SKU_FROM_N };

/* pickup: a place customers collect from, and the methods that name it. */
struct pickup_place {
	char *location; /* recorded as pickup.location */
	char **match;   /* shipping method patterns */
	size_t nmatch;
};

/* Orders the customer collects, told by their shipping method. */
struct pickup_cfg {
	int on;       /* the section is there */
	char **match; /* pickup.methods */
	size_t nmatch;
	struct pickup_place *places;
	size_t nplaces;
	char *location; /* for a method no place claims */
	int ready;      /* ready_time, seconds after local midnight */
};

/* label.customs: the declarations of parcels that cross a border. */
struct customs_limit {
	char currency[4];
	int64_t amount; /* minor units: below it, a CN22 */
};

struct customs_cfg {
	int enabled;      /* label.customs.enabled, true by default */
	const char *home; /* the warehouse's country (borrowed), or NULL */
	struct customs_limit *cn22; /* label.customs.cn22_limit */
	size_t ncn22;
};

/*
 * warehouse.claim: one rule; an order matches when every list given
 * holds its value (a postcode by its start).
 */
struct claim_rule {
	char **country, **region, **postcode, **source;
	size_t ncountry, nregion, npostcode, nsource;
};

struct config {
	char *file;
	char *dir; /* relative paths start here */
	json_t *root;
	char *wh_id;
	char *wh_name;
	struct claim_rule *claims; /* warehouse.claim; NULL: every order */
	size_t nclaims;
	char *shop_name; /* shop.name; NULL: none */
	char *tz;
	char *currency;      /* default for orders without one */
	struct calendar cal; /* working days and holidays */
	struct cutoff *cutoffs;
	size_t ncutoffs;
	int dispatch; /* default ship_by time of day */
	struct carrier *carriers;
	size_t ncarriers;
	struct promo *promos;
	size_t npromos;
	json_t *service_map; /* alias -> service, may be NULL */
	char *catalog;       /* resolved path, or NULL */
	struct layout layout;
	struct carts carts;
	json_t *return_address; /* warehouse.return_address, or NULL */
	int64_t packaging_g;    /* added to each parcel's goods */
	char *printer_font;     /* ZPL font, or NULL */
	char *label_size;       /* "4x6", "100x150", or NULL */
	/* label.print: CUPS queues for label --print, each may be NULL. */
	char *print_queue, *print_zpl_queue, *print_pdf_queue;
	struct customs_cfg customs;
	int mask_phone; /* privacy.mask_phone */
	struct notify_cfg notify;
	struct followup_cfg followup;
	struct returns_cfg returns;
	/* ingest-orders: what it decides from an export. */
	int ship_authorized;                /* ingest.ship_authorized */
	enum sku_from sku_from[SKU_FROM_N]; /* ingest.sku_from, in order */
	size_t nsku_from;                   /* 1 ("sku") by default */
	struct pickup_cfg pickup;
	/* pick.window: orders a window of pick-list(1); 0 the whole input. */
	long pick_window;
	/* pick.partial, then pick.partial_by_source in file order. */
	struct partial_cfg partial;
	struct partial_cfg *partial_by;
	size_t npartial_by;
};

/* Load the configuration; path may be NULL.  Exits 2 on any error. */
struct config *config_load(const char *path);
void config_free(struct config *);
/* Order cut-off for a service, seconds after local midnight. */
int config_cutoff(const struct config *, const char *service);
/*
 * The first carrier, in configuration order, that serves the country
 * with the service (and COD if cod); NULL if none.
 */
const struct carrier *config_carrier_for(
    const struct config *, const char *country, const char *service, int cod);
const struct service *carrier_service(
    const struct carrier *, const char *service);
/* The carrier with this code, or NULL (also for a NULL code). */
const struct carrier *config_carrier(const struct config *, const char *code);
/* 1 if the carrier delivers to the country. */
int carrier_serves(const struct carrier *, const char *country);
/* 1 if some carrier offers the service. */
int config_has_service(const struct config *, const char *);
/*
 * The pickup location an order with this shipping method is collected
 * from (borrowed), or NULL when the method is not a pickup or there is
 * no pickup section.  Patterns are fnmatch(3) globs matched against the
 * whole method, ignoring ASCII case and runs of blanks.
 */
const char *config_pickup(const struct config *, const char *method);
/* The partial-shipment policy for orders from source (borrowed). */
const struct partial_cfg *config_partial(
    const struct config *, const char *source);
/* 1 if ingest.sku_from looks lines up in the catalogue (barcode, name). */
/*
 * Whether this warehouse takes a new order: the order's own "warehouse"
 * field, when it has one, names the warehouse that takes it; else
 * warehouse.claim decides, and a warehouse without it takes every order.
 */
int config_claims(const struct config *, json_t *order);
int config_sku_lookup(const struct config *);
/* rel made relative to the configuration's directory; caller frees. */
char *config_path(const struct config *, const char *rel);

#endif
