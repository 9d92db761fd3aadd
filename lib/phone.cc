/*
 * The C++ shim between fulfil and libphonenumber; see phone.h.  Nothing
 * C++ crosses the C API: exceptions are caught here (running out of
 * memory exits as xmalloc does), strings are copied into the caller's
 * buffers.
 */
#include <cstdio>
#include <cstring>
#include <new>
#include <string>

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

extern "C" {
#include "err.h"
}
#include "phone.h"

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

namespace
{

/*
 * libphonenumber's one instance, made on first use (thread-safe in the
 * library) and never freed: it holds the compiled numbering plans.
 */
const PhoneNumberUtil *
util()
{
	return PhoneNumberUtil::GetInstance();
}

void
say(char *why, size_t len, const char *msg)
{
	if (why != NULL && len > 0)
		snprintf(why, len, "%s", msg);
}

int
put(const std::string &s, char *buf, size_t len)
{
	if (buf == NULL || s.size() + 1 > len)
		return -1;
	memcpy(buf, s.c_str(), s.size() + 1);
	return 0;
}

/* Why a number could not be read at all. */
const char *
parse_why(PhoneNumberUtil::ErrorType e)
{
	switch (e) {
	case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
		return "no calling code, and none known for the ship-to "
		       "country";
	case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
	case PhoneNumberUtil::TOO_SHORT_NSN:
		return "too short to be a phone number";
	case PhoneNumberUtil::TOO_LONG_NSN:
		return "too long to be a phone number";
	default:
		return "not a phone number";
	}
}

/* Why a number that was read is not valid. */
const char *
invalid_why(const PhoneNumberUtil *u, const PhoneNumber &pn)
{
	switch (u->IsPossibleNumberWithReason(pn)) {
	case PhoneNumberUtil::INVALID_COUNTRY_CODE:
		return "no country has its calling code";
	case PhoneNumberUtil::TOO_SHORT:
		return "too short for a number of its country";
	case PhoneNumberUtil::TOO_LONG:
		return "too long for a number of its country";
	case PhoneNumberUtil::INVALID_LENGTH:
		return "not of a length its country's numbers have";
	case PhoneNumberUtil::IS_POSSIBLE_LOCAL_ONLY:
		return "a local number without its area code";
	default:
		return "not in a range its country's numbering plan uses";
	}
}

/*
 * What phone_normalise() said last in this thread.  The customer's and
 * the ship-to phone of an order are most often the same number, read
 * one after the other; libphonenumber takes some 20 microseconds to read
 * and check one, so the second is answered from here.
 */
struct memo {
	std::string raw, region, e164, why;
	int r = -2;
};
thread_local memo last;

int
normalise(
    const char *raw, const char *region, std::string &e164, std::string &why)
{
	const PhoneNumberUtil *u = util();
	PhoneNumberUtil::ErrorType e;
	PhoneNumber pn;

	e = u->Parse(raw, region, &pn);
	if (e != PhoneNumberUtil::NO_PARSING_ERROR) {
		why = parse_why(e);
		return -1;
	}
	/*
	 * Valid for the ship-to region, or for any region of its calling
	 * code: the first is one check where the second must first find
	 * the region among those sharing the code (25 share +1).
	 */
	if (!(pn.country_code() == u->GetCountryCodeForRegion(region) &&
		u->IsValidNumberForRegion(pn, region)) &&
	    !u->IsValidNumber(pn)) {
		why = invalid_why(u, pn);
		return -1;
	}
	u->Format(pn, PhoneNumberUtil::E164, &e164);
	if (pn.has_extension()) {
		why = "extension left out: E.164 has none";
		return 1;
	}
	return 0;
}

} // namespace

extern "C" int
phone_normalise(const char *raw, const char *region, char *e164, size_t len,
    char *why, size_t whylen)
{
	if (raw == NULL || e164 == NULL) {
		say(why, whylen, "not a phone number");
		return -1;
	}
	if (region == NULL)
		region = "ZZ"; /* libphonenumber's "unknown region" */
	try {
		if (last.r == -2 || last.raw != raw || last.region != region) {
			last.raw = raw;
			last.region = region;
			last.e164.clear();
			last.why.clear();
			last.r = normalise(raw, region, last.e164, last.why);
		}
		if (last.r >= 0 && put(last.e164, e164, len) == -1) {
			say(why, whylen, "no room for the number");
			return -1;
		}
		say(why, whylen, last.why.c_str());
		return last.r;
	} catch (const std::bad_alloc &) {
		err_exit(EXIT_TROUBLE, "out of memory reading a phone number");
	} catch (...) {
		last.r = -2;
		say(why, whylen, "not a phone number");
		return -1;
	}
}

extern "C" int
phone_region(const char *e164, char *region, size_t len)
{
	const PhoneNumberUtil *u;
	std::string r;
	PhoneNumber pn;

	if (e164 == NULL)
		return -1;
	try {
		u = util();
		if (u->Parse(e164, "ZZ", &pn) !=
		    PhoneNumberUtil::NO_PARSING_ERROR)
			return -1;
		u->GetRegionCodeForNumber(pn, &r);
		if (r.empty() || r == "ZZ" || r == "001")
			return -1;
		return put(r, region, len);
	} catch (const std::bad_alloc &) {
		err_exit(EXIT_TROUBLE, "out of memory reading a phone number");
	} catch (...) {
		return -1;
	}
}

extern "C" int
phone_calling_code(const char *region)
{
	if (region == NULL)
		return 0;
	try {
		return util()->GetCountryCodeForRegion(region);
	} catch (const std::bad_alloc &) {
		err_exit(EXIT_TROUBLE, "out of memory reading a phone number");
	} catch (...) {
		return 0;
	}
}

extern "C" int
phone_example(const char *region, int mobile, char *e164, size_t elen,
    char *national, size_t nlen)
{
	const PhoneNumberUtil *u;
	std::string e, n;
	PhoneNumber pn;

	if (region == NULL)
		return -1;
	try {
		u = util();
		if (!u->GetExampleNumberForType(region,
			mobile ? PhoneNumberUtil::MOBILE
			       : PhoneNumberUtil::FIXED_LINE,
			&pn))
			return -1;
		u->Format(pn, PhoneNumberUtil::E164, &e);
		u->Format(pn, PhoneNumberUtil::NATIONAL, &n);
		return put(e, e164, elen) == 0 && put(n, national, nlen) == 0
			   ? 0
			   : -1;
	} catch (const std::bad_alloc &) {
		err_exit(EXIT_TROUBLE, "out of memory reading a phone number");
	} catch (...) {
		return -1;
	}
}
