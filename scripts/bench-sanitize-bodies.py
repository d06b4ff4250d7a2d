#!/usr/bin/env python3
"""bench-sanitize-bodies — the article bodies of feeds, for `scripts/bench sanitize`.

Reads RSS 2.0 / RSS 1.0 (RDF) / Atom / JSON Feed files and writes the HTML body
of every entry that has one — RSS and RDF `content:encoded`, Atom `content`
(type html, or xhtml re-serialized from its wrapper div; text content is not
HTML and is skipped), JSON Feed `content_html` — as UTF-8, each body followed by
one NUL byte. NUL cannot occur in XML text; the rare one a JSON string could
hold is dropped, so the file splits back into exactly the bodies.

    bench-sanitize-bodies.py -o BODIES FEED...     # or FEED paths on stdin
    bench-sanitize-bodies.py --sample N -o DIR FEED...
        # N bodies spread over the set, one file each (the fuzz seed corpus)

Prints `feeds=F bodies=N bytes=B failed=K` (K = feeds it could not read).
"""

import argparse
import json
import sys
import xml.etree.ElementTree as ET

CONTENT_NS = "{http://purl.org/rss/1.0/modules/content/}encoded"
ATOM = "{http://www.w3.org/2005/Atom}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def xhtml_inner(el):
    """The children of Atom's xhtml wrapper div, as HTML text."""
    div = next((c for c in el if c.tag == XHTML + "div"), None)
    if div is None:
        return None
    ET.register_namespace("", XHTML[1:-1])
    parts = [div.text or ""]
    for child in div:
        s = ET.tostring(child, encoding="unicode", method="html")
        parts.append(s.replace(' xmlns="http://www.w3.org/1999/xhtml"', ""))
    return "".join(parts)


def bodies_of(path):
    with open(path, "rb") as f:
        head = f.read(64).lstrip()
    if head.startswith(b"{"):
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        for item in doc.get("items", []):
            html = item.get("content_html")
            if isinstance(html, str) and html:
                yield html
        return
    # iterparse: bodies of each entry as its end tag comes, memory kept flat
    for event, el in ET.iterparse(path, events=("end",)):
        tag = el.tag
        if tag == CONTENT_NS:
            if el.text:
                yield el.text
        elif tag == ATOM + "content":
            kind = el.get("type", "text")
            if kind == "html" and el.text:
                yield el.text
            elif kind == "xhtml":
                html = xhtml_inner(el)
                if html:
                    yield html
        elif tag in ("item", ATOM + "entry", "{http://purl.org/rss/1.0/}item"):
            el.clear()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-o", "--out", required=True)
    ap.add_argument("--sample", type=int, default=0)
    ap.add_argument("feeds", nargs="*")
    args = ap.parse_args()
    feeds = args.feeds or [line.strip() for line in sys.stdin if line.strip()]
    nfeeds = nbodies = nbytes = failed = 0
    sample = []
    out = None if args.sample else open(args.out, "wb")
    for path in feeds:
        try:
            bodies = [b.replace("\0", "").encode("utf-8", "surrogatepass") for b in bodies_of(path)]
        except (ET.ParseError, ValueError, UnicodeDecodeError) as e:
            print("bench-sanitize-bodies: %s: %s" % (path, e), file=sys.stderr)
            failed += 1
            continue
        nfeeds += 1
        for b in bodies:
            nbodies += 1
            nbytes += len(b)
            if out:
                out.write(b)
                out.write(b"\0")
            else:
                sample.append(b)
    if out:
        out.close()
    else:
        import os

        os.makedirs(args.out, exist_ok=True)
        step = max(1, len(sample) // max(1, args.sample))
        for i, b in enumerate(sample[::step][: args.sample]):
            with open(os.path.join(args.out, "article-%02d.html" % (i + 1)), "wb") as f:
                f.write(b)
    print("feeds=%d bodies=%d bytes=%d failed=%d" % (nfeeds, nbodies, nbytes, failed))
    return 1 if failed and not nfeeds else 0


if __name__ == "__main__":
    sys.exit(main())
