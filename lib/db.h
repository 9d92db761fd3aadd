/*
 * db: one statement interface over the two databases a ledger can live
 * in: SQLite (a file path, the default) and PostgreSQL (a connection URI,
 * postgresql://... or postgres://..., through libpq).  It mirrors
 * SQLite's own calls (prepare, bind, step, column, reset, finalize), so
 * that the ledger's files keep their shape and one SQL text serves both.
 *
 * The SQL is SQLite's, in the subset PostgreSQL shares, and db_pg_sql()
 * makes the rest PostgreSQL's: ?N parameters become $N, a bare ? $N
 * one past the largest number before it (SQLite's rule); BEGIN IMMEDIATE becomes a transaction that first takes the
 * ledger's advisory lock (writers one at a time, as SQLite has them);
 * in table definitions INTEGER PRIMARY KEY becomes an identity column,
 * INTEGER BIGINT, BLOB BYTEA, REAL DOUBLE PRECISION, and WITHOUT ROWID
 * goes.  INSERT OR IGNORE becomes ON CONFLICT DO NOTHING (which passes
 * over a broken unique key only: SQLite's also passes over a NULL in a
 * NOT NULL column).  What has no PostgreSQL form (INSERT OR REPLACE,
 * PRAGMA, several statements at once) is refused when prepared.
 *
 * Errors: a call that fails returns DB_ERROR (or NULL), and db_errmsg()
 * says why, in the database's words.  Nothing here exits.
 */
#ifndef FULFIL_DB_H
#define FULFIL_DB_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct db_stmt;

enum db_kind { DB_SQLITE, DB_PG };

/* db_step()'s answers, and an error. */
enum { DB_OK = 0, DB_ERROR = 1, DB_BUSY = 5, DB_ROW = 100, DB_DONE = 101 };

/* A column's type, as SQLite numbers them. */
enum { DB_INTEGER = 1, DB_FLOAT = 2, DB_TEXT = 3, DB_BLOB = 4, DB_NULL = 5 };

/* Whether where names a PostgreSQL database (a URI) rather than a file. */
int db_is_uri(const char *where);

/*
 * The database where names, opened (a SQLite file is created if need
 * be, mode 0600).  NULL on failure, the reason in err.
 */
struct db *db_open(const char *where, char *err, size_t errlen);
void db_close(struct db *);
/*
 * An open SQLite handle as a db, which db_close() leaves open; and a
 * db's SQLite handle (NULL for PostgreSQL), for what only SQLite has
 * (pragmas, SQL functions, hooks).
 */
struct sqlite3;
struct db *db_from_sqlite(struct sqlite3 *);
struct sqlite3 *db_sqlite(struct db *);
enum db_kind db_kind(const struct db *);
const char *db_errmsg(const struct db *);

/* SQL that takes no parameters and returns no rows; may be several. */
int db_exec(struct db *, const char *sql);
/* The same in the database's own dialect, as it is (not translated). */
int db_exec_native(struct db *, const char *sql);

/* A statement, ready to bind; NULL on failure (db_errmsg). */
struct db_stmt *db_prepare(struct db *, const char *sql);
/* The same, for a statement kept for the connection's life. */
struct db_stmt *db_prepare_kept(struct db *, const char *sql);
/* Whether st has begun and not been reset (rows still to read). */
int db_stmt_busy(struct db_stmt *);
int db_bind_parameter_count(struct db_stmt *);
void db_finalize(struct db_stmt *);
/* Ready to run again, with its bindings kept. */
void db_reset(struct db_stmt *);
void db_clear_bindings(struct db_stmt *);

/* Parameter i (from 1); text and blobs are copied. */
int db_bind_int64(struct db_stmt *, int i, int64_t v);
int db_bind_double(struct db_stmt *, int i, double v);
int db_bind_text(struct db_stmt *, int i, const char *s, int len);
int db_bind_blob(struct db_stmt *, int i, const void *p, int len);
int db_bind_null(struct db_stmt *, int i);

/* DB_ROW with a row to read, DB_DONE at the end, DB_BUSY or DB_ERROR. */
int db_step(struct db_stmt *);

/* Column i (from 0) of the row db_step() gave. */
int db_column_count(struct db_stmt *);
int db_column_type(struct db_stmt *, int i);
int64_t db_column_int64(struct db_stmt *, int i);
int db_column_int(struct db_stmt *, int i);
double db_column_double(struct db_stmt *, int i);
const char *db_column_text(struct db_stmt *, int i);
const void *db_column_blob(struct db_stmt *, int i);
int db_column_bytes(struct db_stmt *, int i);

/* Rows the last INSERT, UPDATE or DELETE changed. */
int64_t db_changes(struct db *);
/* The id the last INSERT into a table with an INTEGER PRIMARY KEY gave. */
int64_t db_last_insert_id(struct db *);

/*
 * The PostgreSQL form of SQLite-dialect sql, to free; NULL (and why in
 * err) for what has none.  For the tests.
 */
char *db_pg_sql(const char *sql, int *nparams, char *err, size_t errlen);

#endif
