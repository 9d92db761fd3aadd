/*
 * jsonloop: the baseline for make bench.  Reads NDJSON on stdin and, for
 * each line, parses it with jansson and dumps it back compact to stdout:
 * the least any NDJSON stage does.  Stages are measured against it.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

int
main(void)
{
	char *line = NULL, *s;
	size_t cap = 0;
	ssize_t n;
	json_t *j;

	while ((n = getline(&line, &cap, stdin)) != -1) {
		if ((j = json_loadb(line, (size_t)n, 0, NULL)) == NULL)
			continue;
		s = json_dumps(j, JSON_COMPACT);
		fputs(s, stdout);
		putchar('\n');
		free(s);
		json_decref(j);
	}
	free(line);
	return fflush(stdout) == 0 ? 0 : 1;
}
