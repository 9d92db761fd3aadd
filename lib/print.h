/*
 * print: label(1)'s lot files sent to printers through CUPS (libcups),
 * each lot file once per queue, as one job with a name a person at the
 * printer recognises.  ZPL goes raw to a thermal printer's queue, PDF
 * to an ordinary queue that renders it.
 *
 * Exactly once: print_lot() runs in the transaction that records the
 * lot's labels as printed, after the file is durable, and only writes
 * the wish down (ledger_print.h); print_send(), after that commit, sends
 * what is this run's and what runs that died left unsent, and records
 * each job's id as CUPS gives it.  A run that dies between CUPS taking a
 * job and the ledger saying so leaves a job the next run finds in the
 * queue by its name, and does not send again.
 *
 * Which server: libcups's own choice ($CUPS_SERVER, ~/.cups/client.conf,
 * the local cupsd).  Ownership: struct printer borrows its queue names
 * (the config's or argv's); print_* allocate nothing the caller frees.
 */
#ifndef FULFIL_PRINT_H
#define FULFIL_PRINT_H

struct config;
struct ledger;

struct printer {
	/* Set by the caller: where each format goes, NULL for nowhere. */
	const char *zpl_queue, *pdf_queue;
	/* Counted by print_send(). */
	long sent, found, failed;
};

/*
 * The queues from label.print in cfg and --print's queue (NULL if not
 * given), which overrides label.print.queue: ZPL to zpl_queue, else the
 * queue; PDF to pdf_queue, else the queue when no ZPL is printed (a
 * thermal printer takes one of the two).  1 when something is printed.
 */
int print_setup(
    struct printer *, const struct config *, const char *queue, int zpl);
/* The queue lots in format ("zpl" or "pdf") go to, or NULL. */
const char *print_queue(const struct printer *, const char *format);
/*
 * Inside the caller's transaction: the lot file at path (absolute), in
 * format, holding labels labels, is to be printed as title.  Nothing is
 * sent until print_send().
 */
void print_lot(struct printer *, struct ledger *, const char *path,
    const char *format, const char *title, long labels);
/*
 * Outside a transaction: send this run's lots not sent yet, and those
 * runs that died left.  A job CUPS refuses is said in one line and left
 * for the next run that prints.  Returns how many failed.
 */
long print_send(struct printer *, struct ledger *);

#endif
