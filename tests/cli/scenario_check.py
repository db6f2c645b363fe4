#!/usr/bin/env python3
"""An independent check of `phsg scenario --format json`.

Recomputes, with Python's exact Fractions and segment by segment (cut at
financial-year starts and rate changes), the cost, hours, people, costs per
package and per intervention, budget, headroom and break-even rate of
every scenario and year, from the caseload and the Medway tables written
out below (config/medway.cfg; tests/cli/data/medway-higher.cfg adds a rate
from 2026-10-01).  Shares no code with phsg.  Exits non-zero on any
difference.

usage: scenario_check.py CASELOAD.csv PHSG.json FROM TO BUDGETS

BUDGETS says what each year's budget is (a whole year's; SPEC section 13):
  AMOUNT                       the same for every year, every scenario
  2026-27=A,2027-28=B[,AMOUNT] those years (and AMOUNT for the others)
  scheme                       each scenario's own: the `budgets` group of
                               its scheme file, read here with a regular
                               expression, not by phsg's loader
  none                         no budget at all
A year only partly inside [FROM, TO) has its budget prorated by days:
budget x days modelled / days in the year, rounded once (half up).
"""
import csv
import datetime as dt
import json
import re
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


def scheme_budgets(path):
    """{year: Fraction} from `budgets = { y2026 = "4000.00"; ... };` in a scheme file."""
    text = re.sub(r"#[^\n]*", "", open(path).read())
    m = re.search(r"^budgets\s*=\s*\{(.*?)\}\s*;", text, re.S | re.M)
    if not m:
        return {}
    return {int(y): F(v) for y, v in re.findall(r'y(\d{4})\s*=\s*"([0-9.]+)"\s*;', m.group(1))}


def budgets_for(spec, scen):
    """(per-year dict, every-year amount or None) for one scenario."""
    if spec == "none":
        return {}, None
    if spec == "scheme":
        return scheme_budgets(scen["config"]), None
    years, every = {}, None
    for part in spec.split(","):
        if "=" in part:
            fy, amount = part.split("=")
            years[int(fy[:4])] = F(amount)
        else:
            every = F(part)
    return years, every


def main():
    caseload, out, frm, to, budget_spec = sys.argv[1:6]
    frm, to = dt.date.fromisoformat(frm), dt.date.fromisoformat(to)
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
    prorated = 0
    for scen in got["scenarios"]:
        rates = RATES[scen["name"]]
        per_year, every = budgets_for(budget_spec, scen)
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
            # the year's budget: a whole year's, prorated by days for a part year
            fy = int(name[:4])
            full = per_year.get(fy, every)
            days = (b - a).days
            in_year = (dt.date(fy + 1, 4, 1) - dt.date(fy, 4, 1)).days
            if full is None:
                budget = None
            else:
                budget = pence(full * days / in_year)
                prorated += days != in_year
            want = {
                "cost": money(pence(cost)),
                "people": people,
                "days": days,
                "days_in_year": in_year,
                "budget": money(budget) if budget is not None else None,
                "budget_full_year": money(pence(full)) if full is not None else None,
                "budget_prorated": budget is not None and days != in_year,
                "headroom": money(budget - pence(cost)) if budget is not None else None,
                # every Medway cost depends on the rate: (budget - 0) / hours
                "break_even_rate": money(pence(F(budget, 100) / hours))
                if budget is not None and hours else None,
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
    print("scenario_check: %d rows, %d left out, %d scenario-years agree (%d budgets prorated)"
          % (len(rows), left, checked, prorated))


main()
