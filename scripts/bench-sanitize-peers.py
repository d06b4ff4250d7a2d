#!/usr/bin/env python3
"""bench-sanitize-peers — the Python peers of `scripts/bench sanitize`.

    bench-sanitize-peers.py nh3|bleach [--every K] BODIES...

Splits each BODIES file on NUL (see bench-sanitize-bodies.py), decodes each body
as UTF-8 (invalid bytes replaced, as Tidings does) and sanitizes it with the
peer set up as close to Tidings' default policy as it allows:

  nh3 (Rust ammonia over html5ever): Tidings' element and attribute allow-lists,
      http/https/mailto, script/style/object/form/svg/… removed with their
      content, comments stripped, rel/target kept as written (link_rel=None),
      relative URLs rewritten against https://example.test/a/b.
  bleach (html5lib, pure Python): the same allow-lists and schemes, disallowed
      tags stripped (strip=True), comments stripped; bleach cannot resolve
      relative URLs nor drop script/style content.

Neither strips tracking parameters or pixels nor filters iframes by host
(iframes go), so each does a little less than Tidings. --every K takes one body
in K (bleach is slow). Prints `bodies=N bytes=B out_bytes=O` (B = UTF-8 bytes
of the bodies taken).
"""

import argparse
import sys

BASE = "https://example.test/a/b"
TAGS = {
    "p", "a", "strong", "em", "u", "b", "i", "s", "strike", "small", "big", "mark", "q", "cite", "abbr", "dfn",
    "time", "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead",
    "tbody", "tfoot", "tr", "th", "td", "caption", "colgroup", "col", "figure", "figcaption", "img", "source",
    "video", "audio", "track", "pre", "code", "kbd", "samp", "var", "br", "hr", "sub", "sup", "span", "div",
    "section", "article", "aside", "header", "footer", "details", "summary", "ins", "del", "bdi", "bdo", "wbr",
    "address", "picture",
}
GLOBAL_ATTRS = {"title", "lang", "dir", "width", "height"}
ATTRS = {
    "a": {"href", "target", "rel"},
    "img": {"src", "srcset", "sizes", "alt"},
    "source": {"src", "srcset", "sizes", "media", "type"},
    "video": {"src", "poster", "controls", "loop", "muted"},
    "audio": {"src", "controls", "loop", "muted"},
    "track": {"src", "kind", "srclang", "label"},
    "blockquote": {"cite"}, "q": {"cite"}, "ins": {"cite", "datetime"}, "del": {"cite", "datetime"},
    "td": {"colspan", "rowspan", "headers", "scope", "abbr"}, "th": {"colspan", "rowspan", "headers", "scope", "abbr"},
    "time": {"datetime"}, "ol": {"start", "reversed", "type"}, "details": {"open"},
}
DROP_WITH_CONTENT = {
    "script", "style", "object", "embed", "applet", "form", "svg", "math", "template", "noscript", "iframe",
    "textarea", "select", "button", "title", "noembed", "noframes", "xmp",
}
SCHEMES = {"http", "https", "mailto"}


def bodies(paths, every):
    for path in paths:
        with open(path, "rb") as f:
            data = f.read()
        for i, b in enumerate(x for x in data.split(b"\0") if x):
            if i % every == 0:
                yield b


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("engine", choices=["nh3", "bleach"])
    ap.add_argument("--every", type=int, default=1)
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    if args.engine == "nh3":
        import nh3

        attributes = {"*": GLOBAL_ATTRS, **ATTRS}
        cleaner = nh3.Cleaner(
            tags=TAGS, clean_content_tags=DROP_WITH_CONTENT, attributes=attributes, link_rel=None,
            url_schemes=SCHEMES, url_relative=("rewrite_with_base", BASE), strip_comments=True)
        clean = cleaner.clean
    else:
        import bleach

        attributes = {t: sorted(GLOBAL_ATTRS | ATTRS.get(t, set())) for t in TAGS}
        cleaner = bleach.sanitizer.Cleaner(
            tags=TAGS, attributes=attributes, protocols=SCHEMES, strip=True, strip_comments=True)
        clean = cleaner.clean
    n = nbytes = nout = 0
    for b in bodies(args.files, args.every):
        out = clean(b.decode("utf-8", "replace"))
        n += 1
        nbytes += len(b)
        nout += len(out.encode("utf-8"))
    print("bodies=%d bytes=%d out_bytes=%d" % (n, nbytes, nout))


if __name__ == "__main__":
    sys.exit(main())
