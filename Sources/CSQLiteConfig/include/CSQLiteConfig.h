#ifndef CSQLITECONFIG_H
#define CSQLITECONFIG_H

/// Turns on SQLite's query planner stability guarantee (SQLITE_DBCONFIG_ENABLE_QPSG) on a connection of the
/// SQLite that sqlite-nio embeds; `db` is its `sqlite3 *`. Returns 1 when the option is on afterwards.
int motcua_sqlite_enable_qpsg(void *db);

#endif
