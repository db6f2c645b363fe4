#!/usr/bin/env python3
"""An independent check of `phsg report outcomes` (SPEC section 13) over a generated
caseload of at least 50 awards with plans and reviews.  Shares no code with phsg:
it issues the commands, keeps its own record of what it asked for, and works the
report out itself with Python's Fractions (never float), then compares the whole
JSON document.

Entitlement (to check the cost per achieved outcome): Medway 21.40 an hour;
long-term-support maintenance high = 2 hours a week, housing-options basic
high = 4 hours; each day weekly/7; net paid after a catch-up run past every end
is the entitlement rounded once, half-up.
"""
import datetime as dt
import json
import os
import random
import subprocess
import sys
from fractions import Fraction as F

PHSG = os.environ["PHSG"]
rng = random.Random(int(os.environ.get("PHSG_OUTCOMES_SEED", "2026")))
D = dt.date.fromisoformat
RATE = F("21.40")
AREAS = ["maximise-income", "reduce-debt", "paid-work", "training-education", "leisure-learning",
         "contact", "physical-health", "mental-health", "substance-misuse", "feeling-safe",
         "maintain-accommodation"]
THEMES = {"maximise-income": "Achieving economic wellbeing", "reduce-debt": "Achieving economic wellbeing",
          "paid-work": "Achieving economic wellbeing", "training-education": "Enjoying and achieving",
          "leisure-learning": "Enjoying and achieving", "contact": "Enjoying and achieving",
          "physical-health": "Promoting health and well-being", "mental-health": "Promoting health and well-being",
          "substance-misuse": "Promoting health and well-being",
          "feeling-safe": "Promoting personal and community safety",
          "maintain-accommodation": "Promoting personal and community safety"}
STATUSES = ["achieved", "partial", "not-achieved", "not-relevant", "regressed"]
FROM, TO = D("2026-07-01"), D("2027-07-01")
SUSTAIN_MONTHS = 6


def phsg(*args, ok=True):
    r = subprocess.run([PHSG, "--operator", "outcomes", *args], capture_output=True, text=True)
    if ok and r.returncode != 0:
        print(f"FAILED: phsg {' '.join(args)}: {r.stderr}")
        sys.exit(1)
    return r.stdout


def minus_months(d, m):
    y, mo = divmod(d.year * 12 + d.month - 1 - m, 12)
    mo += 1
    last = [31, 29 if (y % 4 == 0 and (y % 100 or y % 400 == 0)) else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]
    return dt.date(y, mo, min(d.day, last))


def round_half_up(x):
    p = x * 100
    w = p.numerator // p.denominator
    return F(w + (1 if p - w >= F(1, 2) else 0), 100)


phsg("payee", "add", "P1", "--name", "Jo Bloggs", "--sort-code", "401234", "--account", "12345678")
awards = []
for i in range(56):
    client = f"C{i % 44:02d}"                     # 12 clients have two awards
    pkg, need, hours = rng.choice([("long-term-support", "maintenance=high", 2),
                                   ("housing-options", "basic=high", 4)])
    start = D("2025-10-06") + dt.timedelta(days=rng.randrange(0, 420))
    length = rng.choice([14, 20, 60, 120, 200, 300, 365]) if pkg == "long-term-support" else rng.choice([14, 40, 80])
    end = start + dt.timedelta(days=length)
    ref = phsg("award", "create", "--client", client, "--package", pkg, "--need", need,
               "--start", start.isoformat(), "--method", "direct", "--payee", "P1",
               "--allow-overlap").strip()
    phsg("award", "end", ref, "--on", end.isoformat())
    outcomes = []
    for k in range(rng.randrange(1, 4)):
        area = rng.choice(AREAS)
        phsg("plan", "add", ref, "--area", area, "--goal", f"goal {k + 1}", "--ongoing")
        outcomes.append({"area": area, "marks": []})
    # reviews: dated inside [start, end], the end date itself allowed
    days = sorted(rng.sample(range(0, length + 1), min(rng.randrange(0, 4), length + 1)))
    for day in days:
        on = start + dt.timedelta(days=day)
        marks = []
        for n, o in enumerate(outcomes, 1):
            if rng.random() < 0.8:
                st = rng.choice(STATUSES + ["achieved", "achieved"])
                marks += ["--outcome", f"{n}={st}"]
                o["marks"].append((on, st))
        phsg("review", ref, "--on", on.isoformat(), *marks)
    awards.append({"ref": ref, "client": client, "package": pkg, "hours": hours, "start": start,
                   "end": end, "outcomes": outcomes})


def status_at(o, cutoff):
    """The latest status from reviews before `cutoff`, and when it became achieved."""
    st, achieved_on = "not-reviewed", None
    for on, s in o["marks"]:
        if on >= cutoff:
            break
        if s == "achieved" and st != "achieved":
            achieved_on = on
        st = s
    return st, achieved_on


def reckon(everyone):
    short = 0
    facts = {}          # (client, area) -> list of (status, sustained, package)
    paid = {}
    for a in awards:
        if everyone:
            if not (a["start"] < TO and a["end"] > FROM):
                continue
            end, cutoff_reviews = min(a["end"], TO), TO
        else:
            if not (FROM <= a["end"] < TO):
                continue
            if (a["end"] - a["start"]).days < 28:
                short += 1
                continue
            end, cutoff_reviews = a["end"], dt.date(9999, 12, 31)
        entitled = F((a["end"] - a["start"]).days) * a["hours"] * RATE / 7
        paid[a["package"]] = paid.get(a["package"], F(0)) + round_half_up(entitled)
        cutoff = minus_months(end, SUSTAIN_MONTHS)
        for o in a["outcomes"]:
            st, achieved_on = status_at(o, cutoff_reviews)
            if st == "not-relevant":
                continue
            if st in ("not-reviewed", "regressed"):
                st = "not-achieved"
            sustained = st == "achieved" and achieved_on <= cutoff
            facts.setdefault((a["client"], o["area"]), []).append((st, sustained, a["package"]))
    areas = {ar: {"people": 0, "achieved": 0, "partial": 0, "not_achieved": 0, "sustained": 0} for ar in AREAS}
    achieved_by_pkg = {}
    for (client, area), fs in facts.items():
        r = areas[area]
        r["people"] += 1
        if all(s == "achieved" for s, _, _ in fs):
            r["achieved"] += 1
            r["sustained"] += all(x for _, x, _ in fs)
            for pkg in {p for _, _, p in fs}:
                achieved_by_pkg[pkg] = achieved_by_pkg.get(pkg, 0) + 1
        elif any(s in ("achieved", "partial") for s, _, _ in fs):
            r["partial"] += 1
        else:
            r["not_achieved"] += 1
    return short, areas, paid, achieved_by_pkg


def exact(x):
    """A Fraction as phsg writes exact figures: shortest decimal, or n/d."""
    d = x.denominator
    twos = fives = 0
    while d % 2 == 0:
        d //= 2; twos += 1
    while d % 5 == 0:
        d //= 5; fives += 1
    if d != 1:
        return f"{x.numerator}/{x.denominator}"
    places = max(twos, fives)
    s = str(x.numerator * 10 ** places // x.denominator)
    if places == 0:
        return s
    s = s.rjust(places + 1, "0")
    return s[:-places] + "." + s[-places:]


def report(everyone):
    short, areas, paid, achieved_by_pkg = reckon(everyone)
    want = {"from": FROM.isoformat(), "to": TO.isoformat(),
            "population": "all" if everyone else "leavers", "short_stays": short,
            "areas": [], "packages": []}
    for ar in AREAS:
        r = areas[ar]
        counted = r["achieved"] + r["partial"] + r["not_achieved"]
        want["areas"].append({"theme": THEMES[ar], "area": ar, "people": r["people"],
                              "achieved": r["achieved"], "partial": r["partial"],
                              "not_achieved": r["not_achieved"],
                              "percent_achieved": exact(F(r["achieved"] * 100, counted)) if counted else None,
                              "sustained": r["sustained"]})
    for pkg in sorted(paid):
        n = achieved_by_pkg.get(pkg, 0)
        want["packages"].append({"package": pkg, "paid": "%d.%02d" % divmod(int(paid[pkg] * 100), 100),
                                 "achieved": n,
                                 "cost_per_achieved": ("%d.%02d" % divmod(int(round_half_up(paid[pkg] / n) * 100), 100)) if n else None})
    args = ["report", "outcomes", "--from", FROM.isoformat(), "--to", TO.isoformat(), "--format", "json"]
    got = json.loads(phsg(*args, *(["--all"] if everyone else [])))
    if got != want:
        print(f"FAILED: report outcomes{' --all' if everyone else ''} differs from the independent reckoning")
        for k in got:
            if got[k] != want.get(k):
                print(f" {k}: phsg {json.dumps(got[k], sort_keys=True)[:1500]}")
                print(f" {k}: check {json.dumps(want.get(k), sort_keys=True)[:1500]}")
        sys.exit(1)
    return short, areas, achieved_by_pkg


# a catch-up run past every award's end: each is then paid its entitlement, rounded once
phsg("run", "--allow-future", "--date", (max(a["end"] for a in awards) + dt.timedelta(days=28)).isoformat())
for everyone in (False, True):
    short, areas, achieved_by_pkg = report(everyone)
    people = sum(r["people"] for r in areas.values())
    print(f"outcomes_check{' --all' if everyone else ''}: {len(awards)} awards, {short} short stays, "
          f"{people} person-areas, {sum(achieved_by_pkg.values())} achieved across packages: agree")
    if people < 20 or (short < 1 and not everyone) or not any(r["sustained"] for r in areas.values()):
        print("FAILED: the generated caseload does not exercise the report")
        sys.exit(1)
