#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "progress.h"
#include "when.h"

#define DELAY_MS 1000 /* quiet for the first second */
#define EVERY_MS 200

static struct {
	int on;
	const char *what;
	int64_t begun, start, next;
	long base; /* the count when the clock started */
} p;
/* The line is on the terminal: err.h's threads may ask. */
static atomic_int shown;

void
progress_begin(const char *what)
{
	p.on = !quiet && isatty(STDERR_FILENO);
	p.what = what;
	p.begun = p.start = when_mono_us() / 1000;
	p.next = p.start + DELAY_MS;
	p.base = 0;
}

void
progress_phase(const char *what)
{
	p.what = what;
	p.base = -1;                 /* the next count starts the clock */
	p.next = p.begun + DELAY_MS; /* and shows the new phase */
}

void
progress_count(long n)
{
	int64_t now;
	double rate;

	if (!p.on)
		return;
	if (p.base < 0) {
		p.base = n;
		p.start = when_mono_us() / 1000;
	}
	if ((now = when_mono_us() / 1000) < p.next)
		return;
	p.next = now + EVERY_MS;
	rate = now > p.start
		   ? (double)(n - p.base) * 1000 / (double)(now - p.start)
		   : 0;
	fprintf(
	    stderr, "\r%s: %ld %s, %.0f/s\033[K", progname, n, p.what, rate);
	atomic_store(&shown, 1);
}

void
progress_clear(void)
{
	if (atomic_exchange(&shown, 0))
		fputs("\r\033[K", stderr);
}

void
progress_end(void)
{
	progress_clear();
	p.on = 0;
}
