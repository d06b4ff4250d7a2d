#ifndef TIDINGS_CGUMBO_SHIM_H
#define TIDINGS_CGUMBO_SHIM_H

#include <gumbo.h>
#include <stdlib.h>
#include <string.h>

// A bump allocator for one parse. gumbo 0.10 allocates every node, vector and
// string separately and frees them one by one; with an arena the parse does no
// malloc/free per node, and the whole tree is released at once — without
// gumbo_destroy_output, which recurses once per tree level and so would overflow
// the stack on deeply nested input.
//
// Every block it hands out is zeroed: gumbo 0.10 sets the document's quirks mode
// only when it parses a whole document, and a fragment parse reads the field as
// the allocator left it. Zero is "no quirks", the mode of a fragment placed in a
// standards-mode page; anything else made the output depend on what the heap held
// before (a <table> closing an open <p> or not).

typedef struct TidingsArenaChunk {
    struct TidingsArenaChunk *next;
} TidingsArenaChunk;

typedef struct TidingsArena {
    char *cursor;
    size_t remaining;
    size_t chunkSize;
    TidingsArenaChunk *chunks;
    int failed;
} TidingsArena;

static inline void tidings_arena_init(TidingsArena *arena, size_t firstChunkSize) {
    arena->cursor = NULL;
    arena->remaining = 0;
    arena->chunkSize = firstChunkSize < 4096 ? 4096 : firstChunkSize;
    arena->chunks = NULL;
    arena->failed = 0;
}

static inline void *tidings_arena_alloc(void *userdata, size_t size) {
    TidingsArena *arena = (TidingsArena *)userdata;
    size = (size + 15) & ~(size_t)15;
    if (size > arena->remaining) {
        size_t header = (sizeof(TidingsArenaChunk) + 15) & ~(size_t)15;
        size_t want = arena->chunkSize;
        if (size > want / 4) {
            // A large block (a long text or a big vector) gets a chunk of its own,
            // so the current chunk keeps serving small allocations.
            TidingsArenaChunk *big = (TidingsArenaChunk *)malloc(header + size);
            if (big == NULL) {
                arena->failed = 1;
                abort();
            }
            big->next = arena->chunks;
            arena->chunks = big;
            memset((char *)big + header, 0, size);
            return (char *)big + header;
        }
        TidingsArenaChunk *chunk = (TidingsArenaChunk *)malloc(header + want);
        if (chunk == NULL) {
            arena->failed = 1;
            abort();
        }
        chunk->next = arena->chunks;
        arena->chunks = chunk;
        arena->cursor = (char *)chunk + header;
        arena->remaining = want;
        if (arena->chunkSize < ((size_t)1 << 24)) arena->chunkSize *= 2;
    }
    void *result = arena->cursor;
    arena->cursor += size;
    arena->remaining -= size;
    memset(result, 0, size);
    return result;
}

static inline void tidings_arena_free(void *userdata, void *pointer) {
    (void)userdata;
    (void)pointer;
}

static inline void tidings_arena_release(TidingsArena *arena) {
    TidingsArenaChunk *chunk = arena->chunks;
    while (chunk != NULL) {
        TidingsArenaChunk *next = chunk->next;
        free(chunk);
        chunk = next;
    }
    arena->chunks = NULL;
    arena->cursor = NULL;
    arena->remaining = 0;
}

/// Parses `length` bytes of UTF-8 as the children of a `<div>` (the HTML
/// fragment parsing algorithm), allocating from `arena`. Release the arena to
/// free the result; never call gumbo_destroy_output on it.
static inline GumboOutput *tidings_gumbo_parse_fragment(const char *buffer, size_t length, TidingsArena *arena) {
    GumboOptions options = kGumboDefaultOptions;
    options.allocator = tidings_arena_alloc;
    options.deallocator = tidings_arena_free;
    options.userdata = arena;
    options.max_errors = 0;
    options.fragment_context = GUMBO_TAG_DIV;
    options.fragment_namespace = GUMBO_NAMESPACE_HTML;
    return gumbo_parse_with_options(&options, buffer, length);
}

#endif
