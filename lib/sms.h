/*
 * sms: how many segments (billed parts) a text message takes, counted the
 * way gateways count them (3GPP TS 23.038 alphabets, TS 23.040
 * concatenation).
 *
 * A text all in the GSM 7-bit default alphabet is sent in septets: a
 * character of the basic table takes one, one of the extension table
 * (^ { } \ [ ~ ] | EURO SIGN and form feed) two, as it is sent as ESC and
 * the character.  Any other character makes the whole text UCS-2, sent
 * as UTF-16 code units: one per character of the BMP, two (a surrogate
 * pair) for any other.  A single message holds 160 septets or 70 units;
 * a concatenated one loses room to its header, and each part holds 153
 * septets or 67 units.  No escape pair or surrogate pair is ever split
 * between parts, so a part may hold one fewer.
 *
 * No national language shift tables are used: gateways rarely do.
 *
 * Ownership: nothing here allocates or keeps state.
 */
#ifndef FULFIL_SMS_H
#define FULFIL_SMS_H

#include <stddef.h>

#define SMS_GSM_SINGLE 160 /* septets in a message of one part */
#define SMS_GSM_PART 153   /* septets in each part of a longer one */
#define SMS_UCS2_SINGLE 70 /* UTF-16 code units in one part */
#define SMS_UCS2_PART 67   /* UTF-16 code units in each of more parts */

struct sms_count {
	int ucs2;     /* 1 if sent as UCS-2, 0 if in the GSM alphabet */
	size_t units; /* septets (GSM) or UTF-16 code units (UCS-2) */
	int segments; /* parts sent; 1 for an empty text */
};

/*
 * Count utf8 into *c and return 0, or return -1, leaving *c alone, when
 * utf8 is NULL or not valid UTF-8 (utf8.h).  An empty text is GSM, 0
 * units, and 1 segment: gateways send and bill it as one message.
 */
int sms_count(const char *utf8, struct sms_count *c);

#endif
