/*
 * tools.h: what the tests of the drawings share (test-handover,
 * test-render, test-sheetpdf): a temporary working directory, files
 * written and read back, and the programs we did not write that read
 * the drawings back (pdftotext, pdftoppm, zbarimg), run with fork and
 * execvp.  Header-only like tap.h, as each test is one program.
 *
 * Files without a directory (out.txt, page.png) are made in the working
 * directory: call tmpdir() first.  A failure of the machinery (fork, a
 * file that cannot be written) exits 2.  A reader that is not installed
 * is no failure: have() says so, and the caller skips its cases.
 * Strings returned are the caller's to free.
 */
#ifndef FULFIL_TOOLS_H
#define FULFIL_TOOLS_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "err.h"
#include "tap.h"

#define TOOLS_UNUSED __attribute__((unused))

static char tools_dir[64];

/* Make a directory /tmp/name-XXXXXX and work in it. */
static TOOLS_UNUSED void
tmpdir(const char *name)
{
	snprintf(tools_dir, sizeof tools_dir, "/tmp/%s-XXXXXX", name);
	if (mkdtemp(tools_dir) == NULL || chdir(tools_dir) != 0) {
		perror(tools_dir);
		exit(2);
	}
}

/* Leave tmpdir()'s directory and remove it, once emptied. */
static TOOLS_UNUSED void
tmpdir_remove(void)
{
	if (chdir("/") == 0)
		rmdir(tools_dir);
}

static TOOLS_UNUSED void
skip(int n, const char *why)
{
	while (n-- > 0)
		ok(1, "# skip %s", why);
}

/* How many times sub is in s, not overlapping. */
static TOOLS_UNUSED int
count(const char *s, const char *sub)
{
	int n = 0;

	for (; (s = strstr(s, sub)) != NULL; s += strlen(sub))
		n++;
	return n;
}

static TOOLS_UNUSED FILE *
create(const char *path)
{
	FILE *fp = fopen(path, "wb");

	if (fp == NULL) {
		perror(path);
		exit(2);
	}
	return fp;
}

/* A stream into *buf, *len long once shut. */
static TOOLS_UNUSED FILE *
memfile(char **buf, size_t *len)
{
	FILE *fp;

	if ((fp = open_memstream(buf, len)) == NULL) {
		perror("open_memstream");
		exit(2);
	}
	return fp;
}

/* Close fp, which writes to what (a path). */
static TOOLS_UNUSED void
shut(FILE *fp, const char *what)
{
	if (fclose(fp) != 0) {
		perror(what);
		exit(2);
	}
}

static TOOLS_UNUSED void
save(const char *path, const char *buf, size_t len)
{
	FILE *fp = create(path);

	if (fwrite(buf, 1, len, fp) != len) {
		perror(path);
		exit(2);
	}
	shut(fp, path);
}

/*
 * The file at path, with a NUL after it and its length in *len (if len
 * is not NULL); NULL if it cannot be opened.
 */
static TOOLS_UNUSED char *
slurp(const char *path, size_t *len)
{
	char *buf;
	FILE *fp;
	size_t got;
	long n;

	if ((fp = fopen(path, "rb")) == NULL)
		return NULL;
	if (fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET) != 0) {
		perror(path);
		exit(2);
	}
	buf = xmalloc((size_t)n + 1);
	got = fread(buf, 1, (size_t)n, fp);
	buf[got] = '\0';
	if (len != NULL)
		*len = got;
	fclose(fp);
	return buf;
}

/*
 * Run argv with stdout to out (NULL: nowhere) and stderr nowhere
 * (zbarimg complains there about D-Bus); its exit status, 127 if there
 * is no such program.
 */
static TOOLS_UNUSED int
run(char *const argv[], const char *out)
{
	pid_t pid;
	int st, fd;

	fflush(stdout);
	if ((pid = fork()) == -1) {
		perror("fork");
		exit(2);
	}
	if (pid == 0) {
		fd = open(out != NULL ? out : "/dev/null",
		    O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd == -1 || dup2(fd, 1) == -1)
			_exit(126);
		if ((fd = open("/dev/null", O_WRONLY)) == -1 ||
		    dup2(fd, 2) == -1)
			_exit(126);
		execvp(argv[0], argv);
		_exit(errno == ENOENT ? 127 : 126);
	}
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR) {
			perror("waitpid");
			exit(2);
		}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* 1 if the program is installed. */
static TOOLS_UNUSED int
have(const char *prog)
{
	char *argv[] = {(char *)prog, "-v", NULL};

	return run(argv, NULL) != 127;
}

/* What argv printed, the last newline cut; NULL if it failed. */
static TOOLS_UNUSED char *
output(char *const argv[])
{
	char *buf = NULL;
	size_t len;

	if (run(argv, "out.txt") == 0) {
		buf = slurp("out.txt", &len);
		if (buf != NULL && len > 0 && buf[len - 1] == '\n')
			buf[len - 1] = '\0';
	}
	unlink("out.txt");
	return buf;
}

/*
 * The text of the PDF at path, pages ended by form feeds; NULL if there
 * is no pdftotext, "" if it fails.
 */
static TOOLS_UNUSED char *
pdftotext(const char *path)
{
	char *argv[] = {
	    "pdftotext", "-q", "-enc", "UTF-8", (char *)path, "-", NULL};
	char *text;

	if (!have("pdftotext"))
		return NULL;
	if ((text = output(argv)) == NULL) {
		printf("# pdftotext failed on %s\n", path);
		text = xstrdup("");
	}
	return text;
}

/* Page n of the PDF at path as page.png, dpi dots an inch; 1 if made. */
static TOOLS_UNUSED int
pdftoppm(const char *path, int n, int dpi)
{
	char page[16], res[16];
	char *argv[] = {"pdftoppm", "-r", res, "-png", "-f", page, "-l", page,
	    "-singlefile", (char *)path, "page", NULL};

	snprintf(page, sizeof page, "%d", n);
	snprintf(res, sizeof res, "%d", dpi);
	return run(argv, NULL) == 0;
}

/* What zbarimg reads in the image at path, or NULL. */
static TOOLS_UNUSED char *
zbarimg(const char *path)
{
	char *argv[] = {"zbarimg", "--raw", "-q", (char *)path, NULL};

	return output(argv);
}

#endif
