// Why C: sqlite3_db_config takes variable arguments, which Swift cannot call. This file calls the
// sqlite-nio build of it (its symbols carry the `sqlite_nio_` prefix; the prototype and the option's number
// are those of its sqlite_nio_sqlite3.h), so that MotCua's reader connections keep their prepared
// statements (Persistence/SQLiteReadStatements.swift).
#include "CSQLiteConfig.h"

int sqlite_nio_sqlite3_db_config(void *db, int op, ...);

#define MOTCUA_SQLITE_DBCONFIG_ENABLE_QPSG 1007

int motcua_sqlite_enable_qpsg(void *db) {
    int on = 0;
    if (sqlite_nio_sqlite3_db_config(db, MOTCUA_SQLITE_DBCONFIG_ENABLE_QPSG, 1, &on) != 0) return 0;
    return on == 1;
}
