/*
 * utf8: strict decoding of UTF-8, one character at a time.
 *
 * "Strict" is RFC 3629: no overlong forms, no surrogates (U+D800 to
 * U+DFFF), nothing above U+10FFFF.  Noncharacters such as U+FFFE are
 * valid UTF-8 and decode like any other character.  Used by mime (header
 * cleaning, encoded-word splitting) and sms (segment counting).
 *
 * Ownership: nothing here allocates or keeps state.
 */
#ifndef FULFIL_UTF8_H
#define FULFIL_UTF8_H

#include <stddef.h>
#include <stdint.h>

/* The UTF-8 of U+FFFD REPLACEMENT CHARACTER, for what is not UTF-8. */
#define UTF8_REPLACEMENT "\xef\xbf\xbd"

/*
 * The length in bytes (1 to 4) of the character at s, setting *cp to its
 * code point, or 0 if the bytes at s are not UTF-8.  A NUL decodes as
 * U+0000 of length 1; a sequence cut short by a NUL is invalid, so the
 * call never reads past the end of a string.
 */
size_t utf8_decode(const char *s, uint32_t *cp);
/*
 * The length (2 to 4) of the character at s, whose first byte is 0x80 or
 * more, reading no more than n bytes; 0 if it is not UTF-8 (jansson
 * refuses the same: recparse and recdump follow it).
 */
size_t utf8_span(const char *s, size_t n);

#endif
