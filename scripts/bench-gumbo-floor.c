/*
 * bench-gumbo-floor — the floor of Tidings' sanitize benchmark.
 *
 * Splits each file on NUL bytes (one article body per piece, as
 * scripts/bench-sanitize-bodies.py writes them) and parses every body with
 * gumbo exactly as HTMLSanitizer's gumbo path does — the HTML5 fragment
 * algorithm in a <div>, max_errors 0, allocating from the same bump arena
 * (Sources/CGumbo/shim.h, included as is) — then frees the tree and does
 * nothing else: no walk, no filtering, no serializing. What any gumbo-based
 * sanitizer must spend at least; Tidings' sanitize time is reported as a
 * multiple of it. (Tidings' fast reader skips gumbo for simple, well-nested
 * markup, so Tidings' default path can come in under this "floor".)
 *
 *   bench-gumbo-floor FILE...
 *
 * Prints one line: files=F bodies=N bytes=B nodes=K (K = top-level nodes of
 * the fragments, read so that the result is used).
 *
 * Built by scripts/bench:  cc -O2 -I Sources/CGumbo bench-gumbo-floor.c $(pkg-config --cflags --libs gumbo)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shim.h"

int main(int argc, char **argv) {
    long long bodies = 0, bytes = 0, nodes = 0;
    for (int a = 1; a < argc; a++) {
        FILE *f = fopen(argv[a], "rb");
        if (!f) {
            fprintf(stderr, "bench-gumbo-floor: %s: %s\n", argv[a], strerror(errno));
            return 2;
        }
        fseek(f, 0, SEEK_END);
        long size = ftell(f);
        fseek(f, 0, SEEK_SET);
        char *data = malloc((size_t)size + 1);
        if (!data || fread(data, 1, (size_t)size, f) != (size_t)size) {
            fprintf(stderr, "bench-gumbo-floor: %s: read error\n", argv[a]);
            return 2;
        }
        fclose(f);
        data[size] = 0;
        char *p = data, *end = data + size;
        while (p < end) {
            char *nul = memchr(p, 0, (size_t)(end - p));
            size_t len = nul ? (size_t)(nul - p) : (size_t)(end - p);
            if (len) {
                TidingsArena arena;
                /* as GumboTreeWalker sizes it */
                tidings_arena_init(&arena, len * 3 > 65536 ? len * 3 : 65536);
                GumboOutput *out = tidings_gumbo_parse_fragment(p, len, &arena);
                if (out && out->root) nodes += out->root->v.element.children.length;
                tidings_arena_release(&arena);
                bodies++;
                bytes += (long long)len;
            }
            p += len + 1;
        }
        free(data);
    }
    printf("files=%d bodies=%lld bytes=%lld nodes=%lld\n", argc - 1, bodies, bytes, nodes);
    return 0;
}
