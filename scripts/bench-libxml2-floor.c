/*
 * bench-libxml2-floor — the floor of Tidings' parse benchmark.
 *
 * Pushes each file through libxml2's SAX2 push parser (64 KiB chunks,
 * XML_PARSE_RECOVER | XML_PARSE_NONET) with empty handlers and does nothing
 * else. Tidings' parser is built on the same libxml2, so this is the least CPU
 * any libxml2-based feed parser can spend: Tidings' parse-into-model time is
 * reported as a multiple of it.
 *
 *   bench-libxml2-floor FILE...        # files named on the command line
 *   bench-libxml2-floor < LIST         # or one path per line on stdin
 *
 * Prints one line to stdout: files=N bytes=B malformed=K (K = files libxml2
 * had to recover from; the corpus should give 0).
 *
 * Built by scripts/bench:  cc -O2 bench-libxml2-floor.c $(pkg-config --cflags --libs libxml-2.0)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#define CHUNK (64 * 1024)

static void on_start(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri,
                     int nb_namespaces, const xmlChar **namespaces, int nb_attributes, int nb_defaulted,
                     const xmlChar **attributes) {
    (void)ctx; (void)localname; (void)prefix; (void)uri; (void)nb_namespaces; (void)namespaces;
    (void)nb_attributes; (void)nb_defaulted; (void)attributes;
}
static void on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri) {
    (void)ctx; (void)localname; (void)prefix; (void)uri;
}
static void on_chars(void *ctx, const xmlChar *ch, int len) { (void)ctx; (void)ch; (void)len; }
static void on_cdata(void *ctx, const xmlChar *value, int len) { (void)ctx; (void)value; (void)len; }
/* Silence libxml2's error printing: recovering is expected, printing is not the floor's job. */
static void on_error(void *ctx, const char *msg, ...) { (void)ctx; (void)msg; }
static void on_serror(void *ctx, xmlErrorPtr err) { (void)ctx; (void)err; }

static xmlSAXHandler sax;
static char buf[CHUNK];
static long long total_bytes;
static long files, malformed;

static void parse_file(const char *path) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        fprintf(stderr, "bench-libxml2-floor: %s: %s\n", path, strerror(errno));
        exit(2);
    }
    ssize_t n = read(fd, buf, CHUNK);
    if (n < 0) n = 0;
    total_bytes += n;
    xmlParserCtxtPtr ctxt = xmlCreatePushParserCtxt(&sax, NULL, buf, (int)n, path);
    if (!ctxt) {
        fprintf(stderr, "bench-libxml2-floor: %s: cannot create parser\n", path);
        exit(2);
    }
    xmlCtxtUseOptions(ctxt, XML_PARSE_RECOVER | XML_PARSE_NONET);
    while ((n = read(fd, buf, CHUNK)) > 0) {
        total_bytes += n;
        xmlParseChunk(ctxt, buf, (int)n, 0);
    }
    xmlParseChunk(ctxt, NULL, 0, 1);
    if (!ctxt->wellFormed) malformed++;
    xmlFreeParserCtxt(ctxt);
    close(fd);
    files++;
}

int main(int argc, char **argv) {
    memset(&sax, 0, sizeof sax);
    sax.initialized = XML_SAX2_MAGIC;
    sax.startElementNs = on_start;
    sax.endElementNs = on_end;
    sax.characters = on_chars;
    sax.ignorableWhitespace = on_chars; /* as libxml2's own SAX2 defaults do */
    sax.cdataBlock = on_cdata;
    sax.error = on_error;
    sax.warning = on_error;
    sax.serror = on_serror;

    xmlInitParser();
    if (argc > 1) {
        for (int i = 1; i < argc; i++) parse_file(argv[i]);
    } else {
        char line[4096];
        while (fgets(line, sizeof line, stdin)) {
            size_t len = strlen(line);
            while (len && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = 0;
            if (len) parse_file(line);
        }
    }
    xmlCleanupParser();
    printf("files=%ld bytes=%lld malformed=%ld\n", files, total_bytes, malformed);
    return 0;
}
