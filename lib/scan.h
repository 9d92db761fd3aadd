/*
 * scan: followup --scan, the parcels that went quiet or late before the
 * customer asks.  Each parcel dispatched and not home yet that had no
 * scan for longer than its carrier's stall_hours, or can no longer
 * arrive by its deliver_by, gets a carrier_chase task for staff; its
 * customer gets a delay_apology notice with an honest new date, once
 * per lapse, only when lib/promise says the promise is broken.  Each
 * order delivered survey_after_days ago gets its survey notice, once,
 * when nothing about it is unresolved (a complaint, a damage, a return).
 *
 * Ownership: nothing is kept; what is made is queued on u->out.
 */
#ifndef FULFIL_SCAN_H
#define FULFIL_SCAN_H

struct aftercare;

/* Chase the stalled and the at-risk parcels. */
void scan_parcels(struct aftercare *);
/* The surveys due, if a survey_url is configured. */
void scan_surveys(struct aftercare *);

#endif
