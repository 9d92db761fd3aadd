#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
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

/*
 * The temporary files of runs that died in dir, removed: each is named
 * .NAME.PID.XXXXXX, and a PID that no process has is a run killed
 * before it renamed its file (they hold customer data, and would pile
 * up).  A live PID's file is left alone.  Once per directory per run
 * (the directory a run writes in; a run's threads may all write).
 */
static void
sweep(const char *dir)
{
	static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
	static char *swept;
	const char *end, *dot;
	struct dirent *e;
	long pid;
	DIR *d;

	pthread_mutex_lock(&mu);
	if (swept != NULL && strcmp(swept, dir) == 0) {
		pthread_mutex_unlock(&mu);
		return;
	}
	free(swept);
	swept = xstrdup(dir);
	if ((d = opendir(dir)) == NULL) {
		pthread_mutex_unlock(&mu);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] != '.' || strlen(e->d_name) < 9)
			continue;
		end = e->d_name + strlen(e->d_name) - 7; /* .XXXXXX */
		if (*end != '.')
			continue;
		for (dot = end - 1;
		     dot > e->d_name && isdigit((unsigned char)*dot); dot--)
			;
		if (*dot != '.' || dot == end - 1 || dot == e->d_name)
			continue;
		pid = strtol(dot + 1, NULL, 10);
		if (pid <= 0 || pid == (long)getpid() ||
		    kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		(void)unlinkat(dirfd(d), e->d_name, 0);
	}
	closedir(d);
	pthread_mutex_unlock(&mu);
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
	sweep(dir);
	xasprintf(&f->tmp, "%s/.%s.%ld.XXXXXX", dir, name, (long)getpid());
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
