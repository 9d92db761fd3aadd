#include <stdio.h>
#include <stdlib.h>

#include "csvout.h"
#include "tap.h"

/* quoted: 1 if the field must get a ' before it. */
static const struct {
	const char *in, *want;
	int quoted;
	const char *name;
} texts[] = {
    {"1058", "\"1058\"\n", 0, "plain text is quoted"},
    {"say \"hi\", bye", "\"say \"\"hi\"\", bye\"\n", 0,
	"quotes doubled, commas kept inside"},
    {NULL, "\"\"\n", 0, "NULL is empty"},
    {"", "\"\"\n", 0, "empty stays empty"},
    {"=HYPERLINK(\"http://x.example\",\"a\")",
	"\"'=HYPERLINK(\"\"http://x.example\"\",\"\"a\"\")\"\n", 1, "="},
    {"+1+cmd|' /C calc'!A0", "\"'+1+cmd|' /C calc'!A0\"\n", 1, "+"},
    {"-2+3", "\"'-2+3\"\n", 1, "-"},
    {"@SUM(1+1)", "\"'@SUM(1+1)\"\n", 1, "@"},
    {"\t=1", "\"'\t=1\"\n", 1, "a tab"},
    {"\r=1", "\"'\r=1\"\n", 1, "a CR"},
    {"a=1", "\"a=1\"\n", 0, "= inside"},
    {" =1", "\" =1\"\n", 0, "a space, then ="},
};

int
main(void)
{
	char *buf;
	size_t i, len;
	FILE *fp;

	for (i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		buf = NULL;
		fp = open_memstream(&buf, &len);
		csvout_text(fp, texts[i].in, 1);
		fclose(fp);
		is_str(buf, texts[i].want, "%s: %s", texts[i].name,
		    texts[i].quoted ? "a quote before it" : "as it is");
		free(buf);
	}

	buf = NULL;
	fp = open_memstream(&buf, &len);
	csvout_number(fp, "-1.250", 0);
	csvout_text(fp, "-1.250", 0);
	csvout_number(fp, "3", 1);
	fclose(fp);
	is_str(buf, "\"-1.250\",\"'-1.250\",\"3\"\n",
	    "a number stays a number; the same text does not");
	free(buf);
	return done_testing();
}
