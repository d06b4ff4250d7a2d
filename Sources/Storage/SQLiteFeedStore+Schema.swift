import GRDB

// The schema, as an ordered list of migrations. Append new ones; never edit one that shipped.
//
// Portable on purpose (a PostgreSQL store will carry the same tables):
// - dates are INTEGER milliseconds since 1970-01-01 UTC: they sort and compare as numbers in
//   every database, need no time-zone or text-format parsing, and keep sub-second order;
//   PostgreSQL maps them to BIGINT.
// - booleans are BOOLEAN columns, written from bound `Bool`s and tested as `NOT retired`,
//   never compared to 0/1 literals.
// - lists (authors, categories, enclosures, filters) are JSON in TEXT columns.
// - ids are `INTEGER PRIMARY KEY AUTOINCREMENT` here (identity columns in PostgreSQL);
//   no query reads `rowid`.
extension SQLiteFeedStore {
    static let migrations: [(name: String, sql: String)] = [
        (
            "v1 feeds and entries",
            """
            CREATE TABLE feeds (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                url TEXT NOT NULL UNIQUE,
                name TEXT,
                title TEXT,
                category TEXT,
                interval_ms INTEGER,
                user_agent TEXT,
                enabled BOOLEAN NOT NULL,
                filters TEXT NOT NULL,
                fetch_url TEXT NOT NULL,
                etag TEXT,
                last_modified TEXT,
                last_attempt INTEGER,
                last_success INTEGER,
                next_check INTEGER,
                consecutive_failures INTEGER NOT NULL,
                last_error_kind TEXT,
                last_error TEXT,
                last_status INTEGER,
                redirect_candidate TEXT,
                redirect_confirmations INTEGER NOT NULL,
                retired BOOLEAN NOT NULL,
                parsed_title TEXT
            );
            CREATE INDEX feeds_next_check ON feeds (next_check);
            CREATE TABLE entries (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                feed_id INTEGER NOT NULL REFERENCES feeds (id),
                key TEXT NOT NULL,
                title TEXT NOT NULL,
                link TEXT,
                canonical_link TEXT,
                published INTEGER,
                updated INTEGER,
                description TEXT NOT NULL,
                image TEXT,
                body TEXT NOT NULL,
                authors TEXT NOT NULL,
                categories TEXT NOT NULL,
                enclosures TEXT NOT NULL,
                content_hash TEXT NOT NULL,
                first_seen INTEGER NOT NULL,
                last_changed INTEGER NOT NULL,
                entry_date INTEGER NOT NULL,
                path TEXT UNIQUE,
                published_hash TEXT,
                duplicate_of INTEGER REFERENCES entries (id),
                retired BOOLEAN NOT NULL,
                UNIQUE (feed_id, key)
            );
            CREATE INDEX entries_canonical_link ON entries (canonical_link, feed_id);
            CREATE INDEX entries_feed_date ON entries (feed_id, entry_date);
            """
        )
    ]

    /// The migration identifiers in order (for tests and `tidings` diagnostics).
    public static var migrationNames: [String] { migrations.map(\.name) }

    static func makeMigrator() -> DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in migrations {
            migrator.registerMigration(migration.name) { db in
                try db.execute(sql: migration.sql)
            }
        }
        return migrator
    }
}
