#!/usr/bin/env python3
"""bench-feedparser — the Python feedparser row of Tidings' parse benchmark.

Parses each file with feedparser (6.0.11, default settings: sanitizing and
relative-URI resolution on, as a feedparser user gets them) from its bytes,
with no network, and counts entries. feedparser is the robustness reference
Tidings is measured against; scripts/bench times this whole process.

    bench-feedparser.py FILE...      # or one path per line on stdin

Prints one line: files=N entries=M bytes=B bozo=K (K = files feedparser flagged).
"""
import io
import sys

import feedparser


def main():
    paths = sys.argv[1:] or [line.strip() for line in sys.stdin if line.strip()]
    files = entries = nbytes = bozo = 0
    for path in paths:
        with open(path, "rb") as f:
            data = f.read()
        d = feedparser.parse(io.BytesIO(data))
        files += 1
        nbytes += len(data)
        entries += len(d.entries)
        if d.bozo:
            bozo += 1
            print("bozo: %s: %s" % (path, d.bozo_exception), file=sys.stderr)
    print("files=%d entries=%d bytes=%d bozo=%d" % (files, entries, nbytes, bozo))


if __name__ == "__main__":
    main()
