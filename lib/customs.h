/*
 * customs: the customs declaration of a parcel that crosses a border,
 * for label(1).
 *
 * A parcel is international when the country it leaves (ship_from's for
 * a return, else the warehouse's: fulfil.json(5), warehouse.address,
 * else warehouse.return_address) is not the country of ship_to.  Its
 * declaration is a CN22 when the goods are worth less than the UPU
 * limit in the order's currency (label.customs.cn22_limit), else a CN23
 * (so too when no limit is set for the currency: a CN23 serves at any
 * value).  Each line gives the catalogue's customs_description (else
 * the line's name), quantity, value (unit_price times qty, in the
 * order's currency), net weight (the catalogue's weight times qty), HS
 * code and country of origin.  Nothing is invented: a line without an
 * HS code or origin says so ("missing") on the form and in the record,
 * and customs_declare() warns once per SKU and field.  The category is
 * "returned_goods" for a return, "gift" when every line is a gift, else
 * "sale_of_goods"; a gift line within a sale is marked a gift.
 *
 * The declaration goes into the record as shipment.customs
 * (fulfil-order(5)); customs_form() lays it out for render.h with the
 * label's addresses, one form per order (with its first parcel).
 *
 * Ownership: customs_declare() and customs_build() return a new
 * reference (or NULL), the caller's; customs_form() returns a form whose
 * rows and strings are the caller's to free with customs_form_free().
 * Nothing here keeps a pointer past the call.
 */
#ifndef FULFIL_CUSTOMS_H
#define FULFIL_CUSTOMS_H

#include <jansson.h>

#include "render.h"

struct config;
struct catalog;

/*
 * shipment.customs of the order (or return request) j, or NULL when it
 * stays in one country, the warehouse's country is unknown, or
 * label.customs.enabled is false.  Lines whose SKU the catalogue lacks
 * are declared with what the line itself says.  Warnings go to stderr
 * as "file:line: order X: warning: SKU Y: no hs_code for the customs
 * declaration".
 */
json_t *customs_declare(const struct config *, const struct catalog *,
    const json_t *j, const char *file, long line);
/*
 * The same in two steps: the declaration, said nothing of (label makes
 * it before the ledger's lock), and then its warnings, when it goes
 * into the record.  d may be NULL: nothing to say.
 */
json_t *customs_build(
    const struct config *, const struct catalog *, const json_t *j);
void customs_warn(
    const json_t *d, const json_t *j, const char *file, long line);

/* The form of declaration d, printed with label l (its addresses). */
struct form *customs_form(const json_t *d, const struct label *l);
void customs_form_free(struct form *);

#endif
