#!/usr/bin/env python3
"""Check the scenario page as a browser built it (`chromium --headless --dump-dom`).

usage: scenario_html_check.py DOM.html PHSG.json SCHEME.cfg...

Shares no code with phsg.  It reads the page's DOM (after Chromium parsed
it) and the JSON phsg gave for the same run, and checks what a commissioner
relies on:
- no script, nothing fetched, and no "NaN", "undefined" or "Infinity"
  anywhere in the text or the drawing;
- packages are named by their scheme names (read from the scheme files with
  a regular expression), never by their ids, in the per-package charts and
  in the legend of the chart by package;
- every axis ticks in round steps (1, 2 or 5 x 10^k pounds) from £0;
- every per-package chart has the same axis (one scale), and its top is at
  least the largest package cost in the JSON;
- each year with a budget has a budget line, a year without one says so,
  and a part year (and its prorated budget) is marked.
"""
import html.parser
import json
import re
import sys
from fractions import Fraction as F


class Dom(html.parser.HTMLParser):
    """A small tree: each element as (tag, attrs, children, text)."""

    def __init__(self):
        super().__init__()
        self.root = {"tag": "#root", "attrs": {}, "kids": [], "text": ""}
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        el = {"tag": tag, "attrs": dict(attrs), "kids": [], "text": ""}
        self.stack[-1]["kids"].append(el)
        if tag not in ("meta", "br", "rect", "line", "img", "input", "link"):
            self.stack.append(el)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1]["kids"].append({"tag": tag, "attrs": dict(attrs), "kids": [], "text": ""})

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i]["tag"] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        self.stack[-1]["text"] += data


def walk(el):
    yield el
    for k in el["kids"]:
        yield from walk(k)


def text(el):
    return el["text"] + "".join(text(k) for k in el["kids"])


def classes(el):
    return el["attrs"].get("class", "").split()


def pounds(label):
    """'£0', '£500', '£12.50', '£250k', '£1.5m', '£2bn' -> pence, exactly."""
    m = re.fullmatch(r"(-?)£([0-9]+(?:\.[0-9]+)?)(k|m|bn)?", label)
    assert m, ("not a money label", label)
    v = F(m.group(2)) * {None: 1, "k": 1000, "m": 10**6, "bn": 10**9}[m.group(3)] * 100
    assert v.denominator == 1, label
    return -v if m.group(1) else v


def round_step(step):
    """1, 2 or 5 x 10^k pence, at least £1."""
    s = int(step)
    k = 0
    while s % 10 == 0:
        s //= 10
        k += 1
    return s in (1, 2, 5) and step >= 100


def axis_of(svg):
    ticks = [pounds(text(t)) for t in walk(svg)
             if t["tag"] == "text" and "tick" in classes(t) and t["attrs"].get("text-anchor") == "end"]
    assert ticks and ticks[0] == 0, ("an axis starts at £0", ticks)
    step = ticks[1] - ticks[0]
    assert round_step(step), ("a round step", step)
    assert ticks == [i * step for i in range(len(ticks))], ("even ticks", ticks)
    return ticks


def main():
    dom_path, json_path, schemes = sys.argv[1], sys.argv[2], sys.argv[3:]
    raw = open(dom_path, encoding="utf-8").read()
    got = json.load(open(json_path))
    d = Dom()
    d.feed(raw)
    els = list(walk(d.root))
    body = text(d.root)
    for bad in ("NaN", "undefined", "Infinity"):
        assert bad not in raw, ("the page has " + bad)
    assert not any(e["tag"] in ("script", "iframe", "img", "link", "object") for e in els), "fetches"
    assert not re.search(r"\b(src|href)=", raw), "nothing fetched"

    # package names from the scheme files, and their ids
    names = {}
    for path in schemes:
        for pid, name in re.findall(r'\{\s*id = "([^"]+)"; name = "([^"]+)";\s*\n\s*interventions',
                                    open(path).read()):
            names.setdefault(pid, name)
    assert names, "no packages read from the schemes"

    multiples = [e for e in els if e["tag"] == "figure" and "small-multiple" in classes(e)]
    captions = [text(k).strip() for m in multiples for k in m["kids"] if k["tag"] == "figcaption"]
    assert captions == list(names.values()), ("one chart per package, by name", captions)
    for pid in names:
        assert pid not in captions, ("a package named by its id", pid)
    legends = [e for e in els if e["tag"] == "figcaption" and "legend" in classes(e)]
    assert legends, "the chart by package has a legend"
    keys = [text(k).strip() for k in walk(legends[0]) if "key" in classes(k)]
    assert keys == list(names.values()), ("the legend names the packages", keys)

    # every axis round; the package charts on one scale
    svgs = [e for e in els if e["tag"] == "svg" and "sw" not in classes(e)]
    axes = [axis_of(s) for s in svgs]
    small = [axis_of(s) for m in multiples for s in walk(m) if s["tag"] == "svg"]
    assert len(small) == len(names) and all(a == small[0] for a in small), ("one scale", small)
    top = max((F(v) * 100 for s in got["scenarios"] for y in s["years"]
               for v in y["by_package"].values()), default=0)
    assert small[0][-1] >= top, ("the common axis holds the largest package", small[0][-1], top)
    assert small[0][-2] < top or top == 0, ("the smallest round axis", small[0], top)

    # budgets: a line for each year with one; the others said; part years marked
    cost_chart = svgs[0]
    lines = [e for e in walk(cost_chart) if e["tag"] == "line" and "budget" in classes(e)]
    labels = [text(e) for e in walk(cost_chart) if e["tag"] == "text"]
    years = got["scenarios"][0]["years"]
    with_budget = [y for y in range(len(years))
                   if any(s["years"][y]["budget"] is not None for s in got["scenarios"])]
    assert len(lines) >= len(with_budget), ("a budget line per year with a budget", len(lines))
    for y, yr in enumerate(years):
        assert yr["year"] in labels, yr["year"]
        if y not in with_budget:
            assert "no budget" in labels, "a year without a budget says so"
        if yr["days"] != yr["days_in_year"]:
            assert "part year: %d of %d days" % (yr["days"], yr["days_in_year"]) in labels
    prorated = [s["years"][y] for s in got["scenarios"] for y in range(len(years))
                if s["years"][y]["budget_prorated"]]
    for yr in prorated:
        whole, pence_part = yr["budget"].split(".")
        b = "£" + "{:,}".format(int(whole)) + "." + pence_part
        assert b in body, ("the prorated budget is shown", b)
        assert "%d / %d" % (yr["days"], yr["days_in_year"]) in body, "the proration is written out"
    print("scenario_html_check: %d charts, %d packages by name on one scale (ticks every %s "
          "pence to %s), %d budget lines, %d prorated budgets"
          % (len(axes), len(names), small[0][1], small[0][-1], len(lines), len(prorated)))


main()
