#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "csvout.h"
#include "err.h"

static void
field(FILE *fp, const char *s, size_t len, int last)
{
	csv_fwrite(fp, s, len);
	fputc(last ? '\n' : ',', fp);
}

void
csvout_number(FILE *fp, const char *s, int last)
{
	field(fp, s, strlen(s), last);
}

void
csvout_text(FILE *fp, const char *s, int last)
{
	size_t len;
	char *q;

	if (s == NULL)
		s = "";
	len = strlen(s);
	if (*s == '\0' || strchr("=+-@\t\r", *s) == NULL) {
		field(fp, s, len, last);
		return;
	}
	q = xmalloc(len + 1);
	q[0] = '\'';
	memcpy(q + 1, s, len);
	field(fp, q, len + 1, last);
	free(q);
}
