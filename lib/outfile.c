#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "outfile.h"

int
outfile_safe(const char *s)
{
	if (*s == '\0' || *s == '.')
		return 0;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '.' && *s != '-' &&
		    *s != '_')
			return 0;
	return 1;
}

/*
 * The rename itself durable: the directory that holds path synced, so
 * that what the ledger says next about the file holds after a crash.
 */
static void
sync_dir(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash != NULL ? xstrndup(path, (size_t)(slash - path))
				  : xstrdup(".");
	int fd;

	if ((fd = open(*dir != '\0' ? dir : "/",
		 O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    (fsync(fd) == -1 && errno != EINVAL))
		err_exit_sys(EXIT_TROUBLE, "cannot sync directory '%s'", dir);
	close(fd);
	free(dir);
}

FILE *
outfile_open(struct outfile *f, const char *dir, const char *name)
{
	int fd;

	if (!outfile_safe(name))
		err_exit(EXIT_TROUBLE, "internal error: unsafe file name '%s'",
		    name);
	if (mkdir(dir, 0777) == -1 && errno != EEXIST)
		err_exit_sys(EXIT_TROUBLE, "cannot create directory '%s'", dir);
	xasprintf(&f->path, "%s/%s", dir, name);
	xasprintf(&f->tmp, "%s/.%s.XXXXXX", dir, name);
	if ((fd = mkstemp(f->tmp)) == -1)
		err_exit_sys(EXIT_TROUBLE, "cannot create '%s'", f->tmp);
	/* mkstemp makes it 0600, as every file with customer data is. */
	if ((f->fp = fdopen(fd, "w")) == NULL)
		err_exit_sys(EXIT_TROUBLE, "cannot write '%s'", f->tmp);
	return f->fp;
}

void
outfile_commit(struct outfile *f)
{
	if (fflush(f->fp) == EOF || ferror(f->fp) ||
	    fsync(fileno(f->fp)) == -1) {
		int e = errno;

		(void)unlink(f->tmp);
		errno = e;
		err_exit_sys(EXIT_TROUBLE, "cannot write '%s'", f->path);
	}
	if (fclose(f->fp) == EOF || rename(f->tmp, f->path) == -1) {
		(void)unlink(f->tmp);
		err_exit_sys(EXIT_TROUBLE, "cannot write '%s'", f->path);
	}
	sync_dir(f->path);
	free(f->path);
	free(f->tmp);
	f->fp = NULL;
	f->path = f->tmp = NULL;
}
