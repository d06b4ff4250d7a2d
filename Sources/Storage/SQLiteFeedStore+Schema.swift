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
// - an entry's bookkeeping (`entries`: keys, hashes, dates, path) and its content
//   (`entry_contents`: title, description, lists, body) are two tables since v2.
//   SQLite rewrites a whole row, overflow pages included, on every UPDATE, and the
//   bookkeeping is updated when a path is reserved and when a file is published: with
//   the content beside it every body went through the WAL three times, and rows of
//   1.4 KB packed three to a page. Bookkeeping rows pack dozens to a page, so the
//   per-feed updates and the scans for pending work touch few pages.
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
                content_hash TEXT NOT NULL,
                published_hash TEXT,
                path TEXT UNIQUE,
                retired BOOLEAN NOT NULL,
                duplicate_of INTEGER REFERENCES entries (id),
                entry_date INTEGER NOT NULL,
                first_seen INTEGER NOT NULL,
                last_changed INTEGER NOT NULL,
                published INTEGER,
                updated INTEGER,
                canonical_link TEXT,
                link TEXT,
                title TEXT NOT NULL,
                image TEXT,
                description TEXT NOT NULL,
                authors TEXT NOT NULL,
                categories TEXT NOT NULL,
                enclosures TEXT NOT NULL,
                body TEXT NOT NULL,
                UNIQUE (feed_id, key)
            );
            CREATE INDEX entries_canonical_link ON entries (canonical_link, feed_id);
            CREATE INDEX entries_feed_date ON entries (feed_id, entry_date);
            CREATE INDEX entries_pending ON entries (feed_id, entry_date)
                WHERE NOT retired AND duplicate_of IS NULL
                    AND (published_hash IS NULL OR published_hash <> content_hash);
            """
        ),
        (
            "v2 entry contents in their own table",
            """
            CREATE TABLE entry_contents (
                entry_id INTEGER PRIMARY KEY REFERENCES entries (id),
                title TEXT NOT NULL,
                link TEXT,
                updated INTEGER,
                description TEXT NOT NULL,
                image TEXT,
                authors TEXT NOT NULL,
                categories TEXT NOT NULL,
                enclosures TEXT NOT NULL,
                body TEXT NOT NULL
            );
            INSERT INTO entry_contents (entry_id, title, link, updated, description, image, authors, categories,
                enclosures, body)
                SELECT id, title, link, updated, description, image, authors, categories, enclosures, body
                FROM entries;
            ALTER TABLE entries DROP COLUMN title;
            ALTER TABLE entries DROP COLUMN link;
            ALTER TABLE entries DROP COLUMN updated;
            ALTER TABLE entries DROP COLUMN description;
            ALTER TABLE entries DROP COLUMN image;
            ALTER TABLE entries DROP COLUMN authors;
            ALTER TABLE entries DROP COLUMN categories;
            ALTER TABLE entries DROP COLUMN enclosures;
            ALTER TABLE entries DROP COLUMN body;
            """
        ),
        (
            // The first and the last entry id of the feed whose publication is recorded
            // but not yet confirmed on disk (see `FeedStore`); NULL when every file is
            // confirmed.
            "v3 unconfirmed publications",
            """
            ALTER TABLE feeds ADD COLUMN unconfirmed_from INTEGER;
            ALTER TABLE feeds ADD COLUMN unconfirmed_through INTEGER;
            """
        ),
        (
            // `FetchState.documentDigest`: a document the same as the last one processed
            // is handled like a 304 (servers that send no validators).
            "v4 document digest",
            """
            ALTER TABLE feeds ADD COLUMN document_digest TEXT;
            """
        ),
        (
            // A retired entry keeps its bookkeeping row only (see `FeedStore.retire`).
            "v5 retired entries without content",
            """
            DELETE FROM entry_contents WHERE entry_id IN (SELECT id FROM entries WHERE retired);
            """
        ),
        (
            // A retired entry's `published_hash` now says whether its file may still be
            // there (see `FeedStore.retiredFiles`). Those retired before were retired
            // once their files were gone.
            "v6 files of retired entries",
            """
            UPDATE entries SET published_hash = NULL WHERE retired;
            CREATE INDEX entries_retired_files ON entries (id) WHERE retired AND published_hash IS NOT NULL;
            """
        ),
    ]

    /// The migration identifiers in order (for tests and `tidings` diagnostics).
    public static var migrationNames: [String] { migrations.map(\.name) }

    /// Creates a database at `path` migrated only up to the migration named `last`, then
    /// runs `sql` on it: a file as an older Tidings left it, for migration tests.
    static func makeDatabase(path: String, migratedUpTo last: String, then sql: String) throws {
        let queue = try DatabaseQueue(path: path)
        try makeMigrator().migrate(queue, upTo: last)
        try queue.write { try $0.execute(sql: sql) }
    }

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
