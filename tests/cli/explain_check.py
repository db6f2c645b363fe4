#!/usr/bin/env python3
"""Recompute every figure of `phsg award explain --format json` for the award of
tests/cli/explain.sh, from its dates, hours and rates alone (Fractions, no float).

The assessment as known at each payment: maintenance medium (1 hour a week) from
2026-08-03; from the third payment on (after the reassessment was recorded) high
(2 hours) from 2026-08-17.  Rates: 21.40 an hour, 23.10 from 2026-10-01.  Suspended
2026-11-02 to 2026-11-08 inclusive (known from the fifth payment on)."""
import datetime as dt
import json
import re
import sys
from fractions import Fraction as F

D = dt.date.fromisoformat
RATE_CHANGE = D("2026-10-01")
REASSESSED = D("2026-08-17")


def money(s):
    return F(s.replace(",", ""))


def rate(day):
    return F("23.10") if day >= RATE_CHANGE else F("21.40")


def hours(day, reassessment_known):
    return F(2) if reassessment_known and day >= REASSESSED else F(1)


def round_half_up(x):
    pence = x * 100
    whole = pence.numerator // pence.denominator
    return F(whole + (1 if pence - whole >= F(1, 2) else 0), 100)


def shown(x, text, dots):
    """An exact amount as explain writes it: whole, or cut after 3 decimals with ..."""
    if dots:
        cut = F(int(x * 1000), 1000)
        return cut == money(text) and x != cut
    return x == money(text)


SEG = re.compile(r"^(\S+) to (\S+): (\d+) (days?) at £([\d,.]+) a week \((\S+) (hours?) x £([\d,.]+)\) = £([\d,.]+?)(\.\.\.)?$")
SUSP = re.compile(r"^(\S+) to (\S+): (\d+) days? suspended: nothing accrues\.$")
ENT = re.compile(r"^Entitled from the start to (\S+): £([\d,.]+?)(\.\.\.)? in all, rounded once \(half-up\): £([\d,.]+)\.$")
PAID = re.compile(r"^Already paid for ras before this payment: £([\d,.]+)\.$")
THIS = re.compile(r"^This payment: £([\d,.]+) - £([\d,.]+) = £([\d,.]+)\.$")


def fail(why):
    print("FAILED: explain:", why)
    sys.exit(1)


doc = json.load(open(sys.argv[1]))
paid = F(0)
checked = 0
for n, p in enumerate(doc["payments"]):
    if p["kind"] == "recovery":
        paid += money(p["amount"])      # negative: money back
        continue
    known = n >= 2
    total, next_day, ent = F(0), D("2026-08-03"), None
    for line in p["reasons"]:
        m = SEG.match(line)
        if m:
            a, b = D(m[1]), D(m[2])
            days = (b - a).days + 1
            if a != next_day or int(m[3]) != days or m[4] != ("day" if days == 1 else "days"):
                fail(f"segment days or gap: {line}")
            h, r = hours(a, known), rate(a)
            if hours(b, known) != h or rate(b) != r:
                fail(f"a segment across a change: {line}")
            if F(m[6]) != h or m[7] != ("hour" if h == 1 else "hours") or money(m[8]) != r or money(m[5]) != h * r:
                fail(f"weekly amount: {line}")
            amount = days * h * r / 7
            if not shown(amount, m[9], m[10]):
                fail(f"segment amount {amount}: {line}")
            total += amount
            next_day = b + dt.timedelta(days=1)
            checked += 1
            continue
        m = SUSP.match(line)
        if m:
            a, b = D(m[1]), D(m[2])
            if (a, b) != (D("2026-11-02"), D("2026-11-08")) or int(m[3]) != 7 or a != next_day:
                fail(f"suspension: {line}")
            next_day = b + dt.timedelta(days=1)
            checked += 1
            continue
        m = ENT.match(line)
        if m:
            if D(m[1]) != next_day - dt.timedelta(days=1):
                fail(f"entitled to the wrong day: {line}")
            if not shown(total, m[2], m[3]) or money(m[4]) != round_half_up(total):
                fail(f"entitlement {total}: {line}")
            ent = round_half_up(total)
            checked += 1
            continue
        m = PAID.match(line)
        if m:
            if money(m[1]) != paid:
                fail(f"already paid should be {paid}: {line}")
            checked += 1
            continue
        m = THIS.match(line)
        if m:
            if money(m[1]) != ent or money(m[2]) != paid or money(m[3]) != ent - paid:
                fail(f"the subtraction: {line}")
            if money(m[3]) != money(p["amount"]):
                fail(f"the payment is {p['amount']}: {line}")
            checked += 1
    if ent is None:
        fail(f"payment {n + 1} has no entitlement line")
    paid += money(p["amount"])
print(f"explain_check: {checked} figures recomputed")
if checked < 25:
    fail("too few lines checked")
