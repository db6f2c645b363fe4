#!/usr/bin/env python3
"""An independent check of `phsg scenario --format json`.

Recomputes, with Python's exact Fractions and segment by segment (cut at
financial-year starts and rate changes), the cost, hours, people, costs per
package and per intervention, headroom and break-even rate of every
scenario and year, from the caseload and the Medway tables written out
below (config/medway.cfg; tests/cli/data/medway-higher.cfg adds a rate from
2026-10-01).  Shares no code with phsg.  Exits non-zero on any difference.

usage: scenario_check.py CASELOAD.csv PHSG.json FROM TO BUDGET
"""
import csv
import datetime as dt
import json
import sys
from fractions import Fraction as F

HOURS = {  # weekly hours by intervention and need
    "intensive": {"high": F(10), "medium": F(6), "low": F(3)},
    "basic": {"high": F(4), "medium": F(2), "low": F(1)},
    "maintenance": {"high": F(2), "medium": F(1), "low": F(1, 2)},
}
PACKAGES = {  # interventions, and months by level (None: no levels)
    "acquiring-independence": (["intensive", "basic", "maintenance"], {None: 12}),
    "long-term-support": (["maintenance"], {None: 24}),
    "supported-living": (["intensive", "basic", "maintenance"], {1: 24, 2: 12, 3: 12}),
    "resettlement": (["intensive", "basic"], {None: 6}),
    "crisis-intervention": (["intensive"], {None: 3}),
    "housing-options": (["basic"], {None: 3}),
    "practical-support": (["maintenance"], {None: 24}),
}
RATES = {
    "current": [(dt.date(2011, 4, 1), F("16.50")), (dt.date(2024, 4, 1), F("21.40"))],
    "higher": [(dt.date(2011, 4, 1), F("16.50")), (dt.date(2024, 4, 1), F("21.40")),
               (dt.date(2026, 10, 1), F("23.10"))],
}


def add_months(d, n):
    y, m = divmod(d.year * 12 + d.month - 1 + n, 12)
    m += 1
    last = (dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(y, m, min(d.day, last))


def pence(x):
    """Round half up (away from zero) to whole pence."""
    p = x * 100
    n = abs(p.numerator) * 2 + p.denominator
    q = n // (2 * p.denominator)
    return q if p >= 0 else -q


def money(p):
    s = "-" if p < 0 else ""
    return "%s%d.%02d" % (s, abs(p) // 100, abs(p) % 100)


def exact(s):
    return F(s) if "/" in s else F(s)


def fy_start(d):
    return dt.date(d.year if d.month >= 4 else d.year - 1, 4, 1)


def main():
    caseload, out, frm, to, budget = sys.argv[1:6]
    frm, to = dt.date.fromisoformat(frm), dt.date.fromisoformat(to)
    budget = F(budget)
    got = json.load(open(out))
    years = []
    y = fy_start(frm)
    while y < to:
        years.append((max(y, frm), min(dt.date(y.year + 1, 4, 1), to), "%04d-%02d" % (y.year, (y.year + 1) % 100)))
        y = dt.date(y.year + 1, 4, 1)
    rows = []
    left = 0
    with open(caseload, newline="") as f:
        for r in csv.DictReader(f):
            pkg = r["package"]
            if pkg not in PACKAGES:
                left += 1
                continue
            ivs, terms = PACKAGES[pkg]
            level = int(r["level"]) if r["level"] else None
            needs = {i: r[i] for i in HOURS if r[i]}
            try:
                start = dt.date.fromisoformat(r["start"])
            except ValueError:
                left += 1
                continue
            if level not in terms or any(i not in ivs for i in needs) or not needs:
                left += 1
                continue
            end = dt.date.fromisoformat(r["end"]) if r["end"] else add_months(start, terms[level])
            rows.append((pkg, needs, start, end))
    assert got["rows_used"] == len(rows), ("rows_used", got["rows_used"], len(rows))
    assert got["rows_left_out"] == left, ("rows_left_out", got["rows_left_out"], left)
    checked = 0
    for scen in got["scenarios"]:
        rates = RATES[scen["name"]]
        for (a, b, name), gy in zip(years, scen["years"]):
            assert gy["year"] == name, (gy["year"], name)
            cost, hours, people = F(0), F(0), 0
            by_pkg, by_iv = {}, {}
            for pkg, needs, start, end in rows:
                s, e = max(start, a), min(end, b)
                if s >= e:
                    continue
                people += 1
                # segments: cut at every rate change inside [s, e)
                cuts = sorted({s, e} | {d for d, _ in rates if s < d < e})
                for x, z in zip(cuts, cuts[1:]):
                    rate = [r for d, r in rates if d <= x][-1]
                    days = (z - x).days
                    for iv, need in needs.items():
                        h = HOURS[iv][need] * days / 7
                        c = h * rate
                        hours += h
                        cost += c
                        by_pkg[pkg] = by_pkg.get(pkg, F(0)) + c
                        by_iv[iv] = by_iv.get(iv, F(0)) + c
            want = {
                "cost": money(pence(cost)),
                "people": people,
                "headroom": money(pence(budget) - pence(cost)),
                "break_even_rate": money(pence(budget / hours)) if hours else None,
            }
            for k, v in want.items():
                assert gy[k] == v, (scen["name"], name, k, gy[k], v)
            assert exact(gy["hours"]) == hours, (scen["name"], name, "hours", gy["hours"], hours)
            for p, v in gy["by_package"].items():
                assert v == money(pence(by_pkg.get(p, F(0)))), (scen["name"], name, p, v)
            for i, v in gy["by_intervention"].items():
                assert v == money(pence(by_iv.get(i, F(0)))), (scen["name"], name, i, v)
            if scen is not got["scenarios"][0]:
                first = got["scenarios"][0]["years"][years.index((a, b, name))]
                d = pence(F(gy["cost"]) * 1) - pence(F(first["cost"]))
                assert gy["difference_from_first"]["cost"] == money(d), ("difference", gy, d)
            checked += 1
    print("scenario_check: %d rows, %d left out, %d scenario-years agree" % (len(rows), left, checked))


main()
