/// Pure entry normalization: stable IDs, canonical links, date fallback, sanitizing, filters.
enum ProcessingNamespace {}
