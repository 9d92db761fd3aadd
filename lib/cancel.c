#include "cancel.h"

/*
 * Nothing yet: the ledger's status is all a cancellation does so far.
 * The effects listed in cancel.h are to be filled in here, so that
 * ingest-orders keeps its one call and knows none of them.
 */
void
cancel_apply(struct ledger *l, const struct config *c, json_t *order,
    const char *prev_status)
{
	(void)l;
	(void)c;
	(void)order;
	(void)prev_status;
}
