// Process-wide SQLite settings through sqlite3_config, a variadic function Swift
// cannot call.
#include <sqlite3.h>

/// Turns off SQLite's memory statistics, which take a process-wide mutex around every
/// allocation and free. Returns SQLite's result code: SQLITE_MISUSE once SQLite has
/// been initialized (the first connection opened), when the setting can no longer change.
static inline int tidings_sqlite3_disable_memstatus(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
