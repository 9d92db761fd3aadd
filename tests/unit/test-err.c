#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "tap.h"

int
main(void)
{
	int *v = NULL;
	size_t cap = 0;
	char *s;

	xgrow(&v, &cap, 3, sizeof *v);
	ok(v != NULL && cap >= 3, "xgrow allocates");
	xgrow(&v, &cap, 1000, sizeof *v);
	ok(cap >= 1000, "xgrow doubles to fit");
	v[999] = 7;
	free(v);
	s = xstrndup("abcdef", 3);
	is_str(s, "abc", "xstrndup cuts");
	free(s);
	xasprintf(&s, "%s:%d", "f", 12);
	is_str(s, "f:12", "xasprintf");
	free(s);
	return done_testing();
}
