#!/usr/bin/python3
"""Read a KPI report page (lib/report.c) in a real browser.

usage: report-check.py REPORT.html KPI.ndjson [OTHER.html]

Debian's headless Chromium draws the page at a phone's width and dumps
the DOM it built.  Then:

  (a) the screenshot is not blank: enough colours, enough pixels off the
      background, and the daily bars' two colours among them when the
      day's figures are not all zero;
  (b) every data-kpi element's text is what the rules of lib/report.h
      make of the NDJSON line (the first line whose "type" is "kpi", or
      else the first line) in the page's language, <html lang> (en or
      zh-CN: its units of time differ), the headline figures are all
      there, and there is an SVG chart for each array with elements;
  (c) the page has no script, and loads nothing: no URL but the SVG
      namespace, no src, href, url() or @import, no img, link, iframe,
      object or embed.  Chromium runs with every host name unresolvable
      besides, so a fetch could not succeed anyway;
  (d) a page not in en has no English of its own: its text, but for
      the figures and the strings of the NDJSON line (names, codes,
      dates), has no Latin letter;
  (e) with OTHER.html, the same report in another language: both show
      the same figures (the same data-kpi paths), and no text of
      OTHER's own (its text but for figures and data) is on this page.

Prints "ok N - what" or "not ok N - what" (TAP, with "#" lines saying
why), then the plan.  Exits 0 when every check passes, 1 when one fails,
2 when the check cannot be made (no Chromium, no PIL, unreadable input).
Needs the packages chromium and python3-pil.  Chromium's noise on stderr
is thrown away.
"""

import html.parser
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time

CHROMIUM = "/usr/bin/chromium"
WIDTH, HEIGHT = 390, 2400
DASH = "\u2013"
# The units of time of each language of the page: hours, minutes.
UNITS = {"en": ("h", "m"), "zh-CN": ("\u5c0f\u65f6", "\u5206")}
SVGNS = 'xmlns="http://www.w3.org/2000/svg"'
# The first two colours of report.c's palette: daily orders and shipped.
BAR_COLOURS = [(0x2B, 0x6C, 0xB0), (0x2F, 0x85, 0x5A)]
HEADLINE = [
    "orders", "order_to_ship.p50_s", "order_to_ship.p95_s",
    "shipped_on_time.pct", "promise_kept.pct", "caught.before_deliver_by",
    "reviews.average", "reviews.called_back_pct", "returns.rate_pct",
]
# The arrays drawn as charts, each when it has an element.
CHARTS = ["daily", "exceptions_by_carrier", "returns.by_reason"]
PCT_KEYS = {"pct", "rate_pct", "called_back_pct"}
DURATION_KEYS = {"p50_s", "p95_s"}
# Amounts of cash on delivery, in minor units of their row's currency.
MONEY_KEYS = {"due", "collected", "remitted", "outstanding"}
EMBEDS = {"script", "img", "link", "iframe", "object", "embed", "image",
          "use", "audio", "video", "source", "frame", "base"}

tests = 0
failed = 0


def ok(cond, what, *why):
    global tests, failed
    tests += 1
    print("%sok %d - %s" % ("" if cond else "not ", tests, what))
    if not cond:
        failed += 1
        for line in why:
            print("#   " + line)
    sys.stdout.flush()
    return cond


def trouble(msg):
    print("report-check: " + msg, file=sys.stderr)
    sys.exit(2)


def at(obj, path):
    """The value at a dotted path, a number indexing an array; None."""
    for key in path.split("."):
        if isinstance(obj, dict):
            obj = obj.get(key)
        elif isinstance(obj, list) and key.isdigit() and int(key) < len(obj):
            obj = obj[int(key)]
        else:
            return None
    return obj


def want_text(kpi, path, lang="en"):
    """The text lib/report.h promises for the figure at path in lang."""
    hours, minutes = UNITS[lang]
    v = at(kpi, path)
    key = path.rsplit(".", 1)[-1]
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return DASH
    if key in PCT_KEYS:
        return "%.1f%%" % v
    if key in DURATION_KEYS:
        if not 0 <= v < 1e15:
            return DASH
        m = int(math.floor(v / 60.0 + 0.5))
        return "%d%s%02d%s" % (m // 60, hours, m % 60, minutes)
    if key in MONEY_KEYS and path.startswith("cod.by_carrier."):
        e = at(kpi, path.rsplit(".", 1)[0] + ".exponent")
        if not isinstance(v, int) or isinstance(e, bool) or \
                not isinstance(e, int) or not 0 <= e <= 18:
            return DASH
        if e == 0:
            return "%d" % v
        whole, frac = divmod(abs(v), 10 ** e)
        return "%s%d.%0*d" % ("-" if v < 0 else "", whole, e, frac)
    if key == "average":
        return "%.1f" % v
    if key == "median_hours_to_call":
        return "%.1f%s" % (v, hours)
    if isinstance(v, int):
        return "%d" % v
    return "%.0f" % v


class Figures(html.parser.HTMLParser):
    """The text of every data-kpi element, every tag's name, and the
    page's own text: every other piece of text (an aria-label's too),
    but the style sheet's."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input",
            "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.open = []       # [path, depth, text pieces]
        self.figures = []    # (path, text)
        self.tags = set()
        self.attrs = []      # (tag, name, value)
        self.svgs = 0
        self.texts = []      # text outside figures, piece by piece
        self.lang = None     # <html lang>
        self.style = 0

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        if tag == "html":
            self.lang = dict(attrs).get("lang")
        self.style += tag in ("style", "script")
        self.texts.extend(v for k, v in attrs if k == "aria-label" and v)
        self.svgs += tag == "svg"
        self.attrs.extend((tag, k, v or "") for k, v in attrs)
        if tag in self.VOID:
            return
        self.depth += 1
        path = dict(attrs).get("data-kpi")
        if path is not None:
            self.open.append([path, self.depth, []])

    def handle_startendtag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs.extend((tag, k, v or "") for k, v in attrs)

    def handle_endtag(self, tag):
        self.style -= tag in ("style", "script") and self.style > 0
        if tag in self.VOID:
            return
        while self.open and self.open[-1][1] >= self.depth:
            path, _, text = self.open.pop()
            self.figures.append((path, "".join(text)))
        self.depth -= 1

    def handle_data(self, data):
        for f in self.open:
            f[2].append(data)
        if not self.open and not self.style:
            self.texts.append(data)


def chromium(args, tmp, out=None):
    """Run headless Chromium on the page; seconds taken and stdout."""
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
           "--hide-scrollbars", "--no-first-run",
           "--disable-background-networking", "--disable-extensions",
           "--host-resolver-rules=MAP * ~NOTFOUND",
           "--user-data-dir=" + os.path.join(tmp, "profile"),
           "--window-size=%d,%d" % (WIDTH, HEIGHT)] + args
    t0 = time.monotonic()
    try:
        r = subprocess.run(cmd, stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, timeout=180)
    except subprocess.TimeoutExpired:
        return time.monotonic() - t0, None
    return time.monotonic() - t0, r.stdout if r.returncode == 0 else None


def positive(kpi, array, key):
    """True if some element of the array at path has a positive key."""
    a = at(kpi, array)
    return isinstance(a, list) and any(
        isinstance(e, dict) and not isinstance(e.get(key), bool) and
        isinstance(e.get(key), (int, float)) and e.get(key) > 0 for e in a)


def check_screenshot(png, kpi):
    try:
        from PIL import Image
    except ImportError:
        trouble("cannot import PIL: install python3-pil")
    with Image.open(png) as im:
        size = im.size
        rgb = im.convert("RGB")
    ok(size == (WIDTH, HEIGHT), "screenshot is %dx%d" % (WIDTH, HEIGHT),
       "got %dx%d" % size)
    colours = rgb.getcolors(maxcolors=WIDTH * HEIGHT)
    colours.sort(reverse=True)
    total = size[0] * size[1]
    background = colours[0][1]
    off = total - colours[0][0]
    ok(len(colours) >= 50, "screenshot has %d colours" % len(colours),
       "a blank or flat page has a handful")
    ok(off >= total * 0.03,
       "%.1f%% of the screenshot is off the background #%02x%02x%02x" %
       ((100.0 * off / total,) + background), "want 3% or more")
    counts = dict((c, n) for n, c in colours)
    for c, key in zip(BAR_COLOURS, ("orders", "shipped")):
        if positive(kpi, "daily", key):
            n = counts.get(c, 0)
            ok(n >= 100, "daily %s bars drawn in #%02x%02x%02x (%d pixels)"
               % ((key,) + c + (n,)))


def check_closed(text, where, tags, attrs):
    low = text.lower()
    ok("<script" not in low and "script" not in tags,
       "%s: no script" % where)
    urls = [m.start() for m in re.finditer(r"https?://", low)
            if low[max(0, m.start() - 7):m.start() - 7 + len(SVGNS)] !=
            SVGNS]
    ok(not urls, "%s: no URL but the SVG namespace" % where,
       *["at byte %d: %r" % (u, text[u:u + 60]) for u in urls[:5]])
    bad = sorted(tags & EMBEDS)
    ok(not bad, "%s: nothing embedded" % where, "tags: " + " ".join(bad))
    refs = ["<%s %s=%r>" % a for a in attrs
            if a[1] in ("src", "href", "xlink:href", "srcset", "action",
                        "formaction", "poster", "background") or
            a[1].startswith("on") or "url(" in a[2].lower()]
    if "url(" in low or "@import" in low:
        refs.append("url() or @import in the text")
    ok(not refs, "%s: no src, href, url(), @import or event handler" %
       where, *refs[:5])


def check_figures(figures, kpi, lang):
    wrong = []
    for path, text in figures:
        want = want_text(kpi, path, lang)
        if text != want:
            wrong.append("%s is %r, want %r" % (path, text, want))
    ok(figures and not wrong,
       "%d data-kpi figures follow the rules" % len(figures), *wrong[:20])
    seen = set(p for p, _ in figures)
    missing = [p for p in HEADLINE if p not in seen]
    ok(not missing, "every headline figure shown",
       "missing: " + " ".join(missing))


def strings(o):
    """Every string in a JSON value, longest first."""
    out = []
    if isinstance(o, str):
        out.append(o)
    elif isinstance(o, dict):
        for v in o.values():
            out.extend(strings(v))
    elif isinstance(o, list):
        for v in o:
            out.extend(strings(v))
    return sorted(set(out), key=len, reverse=True)


def own_texts(texts, kpi):
    """The pieces of text that are the page's own: the data's strings
    (whole words of them, or one cut short by an ellipsis) taken out,
    and pieces with no letter left dropped."""
    data = [d for d in strings(kpi) if d.strip()]
    out = []
    for t in texts:
        for d in data:
            t = re.sub(r"(?<![A-Za-z])%s(?![A-Za-z])" % re.escape(d), " ", t)
        t = re.sub(r"\S*\u2026", " ", t)
        t = " ".join(t.split())
        if re.search(r"[^\W\d_]", t):
            out.append(t)
    return out


def check_language(d, kpi, lang, other):
    own = own_texts(d.texts, kpi)
    if lang != "en":
        latin = [t for t in own if re.search(r"[A-Za-z]", t)]
        ok(not latin, "%s: no English text of the page's own" % lang,
           *["%r" % t for t in latin[:10]])
    if other is None:
        return
    seen = sorted(set(p for p, _ in d.figures))
    theirs = sorted(set(p for p, _ in other.figures))
    ok(seen == theirs and seen, "%s and %s show the same %d figures" %
       (lang, other.lang, len(seen)),
       "only here: " + " ".join(sorted(set(seen) - set(theirs))[:10]),
       "only there: " + " ".join(sorted(set(theirs) - set(seen))[:10]))
    here = " | ".join(own)
    left = sorted(t for t in set(own_texts(other.texts, kpi))
                  if re.search(r"(?<![A-Za-z])%s(?![A-Za-z])" %
                               re.escape(t), here))
    ok(not left, "none of the %s page's texts is on the %s page" %
       (other.lang, lang), *["%r" % t for t in left[:10]])


def read_kpi(path):
    try:
        with open(path, encoding="utf-8") as f:
            lines = [l for l in f if l.strip()]
    except OSError as e:
        trouble("cannot read '%s': %s" % (path, e.strerror))
    objs = []
    for n, line in enumerate(lines, 1):
        try:
            objs.append(json.loads(line))
        except ValueError as e:
            trouble("%s:%d: %s" % (path, n, e))
    for o in objs:
        if isinstance(o, dict) and o.get("type") == "kpi":
            return o
    if not objs or not isinstance(objs[0], dict):
        trouble("%s: no KPI object" % path)
    return objs[0]


def main(argv):
    if len(argv) not in (3, 4):
        print("usage: report-check.py REPORT.html KPI.ndjson [OTHER.html]",
              file=sys.stderr)
        return 2
    page, ndjson = argv[1], argv[2]
    kpi = read_kpi(ndjson)
    other = None
    if len(argv) == 4:
        try:
            with open(argv[3], encoding="utf-8") as f:
                other = Figures()
                other.feed(f.read())
                other.close()
        except (OSError, UnicodeDecodeError) as e:
            trouble("cannot read '%s': %s" % (argv[3], e))
    try:
        with open(page, "rb") as f:
            raw = f.read()
    except OSError as e:
        trouble("cannot read '%s': %s" % (page, e.strerror))
    if not os.access(CHROMIUM, os.X_OK):
        trouble("%s not found: install chromium" % CHROMIUM)
    ok(raw.startswith(b"<!DOCTYPE html>"), "page is HTML5")
    try:
        text = raw.decode("utf-8")
        ok(True, "page is UTF-8")
    except UnicodeDecodeError as e:
        ok(False, "page is UTF-8", str(e))
        text = raw.decode("utf-8", "replace")
    p = Figures()
    p.feed(text)
    p.close()
    check_closed(text, "file", p.tags, p.attrs)
    lang = p.lang
    if not ok(lang in UNITS, "page is in a language it may be: %s" % lang,
              "want one of " + " ".join(sorted(UNITS))):
        lang = "en"

    url = "file://" + os.path.abspath(page)
    with tempfile.TemporaryDirectory(prefix="report-check-") as tmp:
        png = os.path.join(tmp, "page.png")
        secs, out = chromium(["--screenshot=" + png, url], tmp)
        print("# chromium --screenshot took %.2f s" % secs)
        if ok(out is not None and os.path.exists(png),
              "chromium takes a screenshot"):
            check_screenshot(png, kpi)
        secs, out = chromium(["--dump-dom", url], tmp)
        print("# chromium --dump-dom took %.2f s" % secs)
    if ok(out is not None and b"</html>" in out, "chromium dumps the DOM"):
        dom = out.decode("utf-8", "replace")
        d = Figures()
        d.feed(dom)
        d.close()
        charts = sum(1 for a in CHARTS
                     if isinstance(at(kpi, a), list) and at(kpi, a))
        ok(d.svgs == charts, "the browser built %d SVG charts" % charts,
           "found %d" % d.svgs)
        check_figures(d.figures, kpi, lang)
        check_closed(dom, "DOM", d.tags, d.attrs)
        check_language(d, kpi, lang, other)
    print("1..%d" % tests)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
