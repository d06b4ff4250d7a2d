#!/usr/bin/env python3
"""bench-sync-python — the Python row of `scripts/bench sync`: what a user
would otherwise write to turn a list of feeds into Hugo content files.

Plain and sequential, the way such a script is usually written: one
requests.Session, feeds fetched one after the other with a conditional GET
(the ETag / Last-Modified of the previous run, kept in a JSON state file),
each 200 body parsed by feedparser (6.0.11, default settings: sanitizing and
relative-URI resolution on) with the feed URL as its base — JSON Feed, which
feedparser 6 does not read, with the json module — and one Markdown file per
entry:

    ---
    title: "…"
    date: YYYY-MM-DD
    description: "…"          (the summary, tags stripped)
    link: "…"
    source: "…"               (the feed URL)
    draft: false
    ---
    <content HTML, or the summary>

at OUT/{year}/{month}/{slug}.md. Strings are written as JSON strings, which
YAML reads as double-quoted scalars. A second run with the same state file
sends the validators and gets 304s.

    bench-sync-python.py --urls FILE --state STATE.json --out DIR [--timeout 30]

Prints one line: feeds=N fetched=F not_modified=M errors=E entries=K files=W.
"""
import argparse
import datetime
import html
import json
import os
import re
import sys
import time

import feedparser
import requests

TAG = re.compile(r"<[^>]*>")
SPACE = re.compile(r"\s+")
NONWORD = re.compile(r"[^\w]+")


def plain(s):
    return SPACE.sub(" ", html.unescape(TAG.sub(" ", s or ""))).strip()


def slugify(s):
    return NONWORD.sub("-", s.lower()).strip("-")[:80] or "entry"


def q(s):
    return json.dumps(s or "", ensure_ascii=False)


def json_time(s):
    try:
        return datetime.datetime.fromisoformat(s).astimezone(datetime.timezone.utc).timetuple()
    except (TypeError, ValueError):
        return None


def json_feed_entries(body):
    """JSON Feed items as feedparser-like dicts (the keys the loop below reads)."""
    out = []
    for it in json.loads(body).get("items", []):
        e = feedparser.FeedParserDict({"title": it.get("title", ""), "link": it.get("url", ""),
             "summary": it.get("summary") or it.get("content_text", ""),
             "published_parsed": json_time(it.get("date_published")),
             "updated_parsed": json_time(it.get("date_modified"))})
        if it.get("content_html"):
            e["content"] = [feedparser.FeedParserDict(value=it["content_html"])]
        out.append(e)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--urls", required=True)
    ap.add_argument("--state", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--timeout", type=float, default=30)
    a = ap.parse_args()

    with open(a.urls) as f:
        urls = [line.strip() for line in f if line.strip() and not line.startswith("#")]
    state = {}
    if os.path.exists(a.state):
        with open(a.state) as f:
            state = json.load(f)

    session = requests.Session()
    session.headers["User-Agent"] = "feed-to-hugo/1.0 (+python-requests)"
    fetched = not_modified = errors = entries = files = 0
    made_dirs = set()
    for url in urls:
        headers = {}
        st = state.get(url, {})
        if st.get("etag"):
            headers["If-None-Match"] = st["etag"]
        if st.get("modified"):
            headers["If-Modified-Since"] = st["modified"]
        try:
            r = session.get(url, headers=headers, timeout=a.timeout)
        except requests.RequestException as e:
            print("error: %s: %s" % (url, e), file=sys.stderr)
            errors += 1
            continue
        if r.status_code == 304:
            not_modified += 1
            continue
        if r.status_code != 200:
            print("error: %s: HTTP %d" % (url, r.status_code), file=sys.stderr)
            errors += 1
            continue
        fetched += 1
        if "json" in r.headers.get("content-type", ""):
            items = json_feed_entries(r.content)  # feedparser 6 has no JSON Feed reader
        else:
            d = feedparser.parse(r.content, response_headers={
                "content-location": r.url, "content-type": r.headers.get("content-type", "")})
            items = d.entries
        for e in items:
            entries += 1
            title = plain(e.get("title", ""))
            when = e.get("published_parsed") or e.get("updated_parsed") or time.gmtime()
            body = e.content[0].value if e.get("content") else e.get("summary", "")
            folder = os.path.join(a.out, "%04d" % when.tm_year, "%02d" % when.tm_mon)
            if folder not in made_dirs:
                os.makedirs(folder, exist_ok=True)
                made_dirs.add(folder)
            text = "\n".join([
                "---",
                "title: " + q(title),
                "date: %04d-%02d-%02d" % (when.tm_year, when.tm_mon, when.tm_mday),
                "description: " + q(plain(e.get("summary", ""))),
                "link: " + q(e.get("link", "")),
                "source: " + q(url),
                "draft: false",
                "---",
                body,
                "",
            ])
            with open(os.path.join(folder, slugify(title) + ".md"), "w", encoding="utf-8") as f:
                f.write(text)
            files += 1
        state[url] = {"etag": r.headers.get("ETag"), "modified": r.headers.get("Last-Modified")}

    tmp = a.state + ".tmp"
    with open(tmp, "w") as f:
        json.dump(state, f)
    os.replace(tmp, a.state)
    print("feeds=%d fetched=%d not_modified=%d errors=%d entries=%d files=%d"
          % (len(urls), fetched, not_modified, errors, entries, files))


if __name__ == "__main__":
    main()
