#!/usr/bin/env python3
"""A seeded property test of phsg's payment rule and corrections (SPEC §4, §5, §10).

Imports a few hundred Medway awards (packages whose only component is the
implicit RAS component), then takes random steps - payment runs moving
forward (sometimes repeated for the same date, sometimes for an earlier date
to check idempotence), voids of any batch not sent, batches marked sent,
award events (end, extend, suspend, resume, reassess; many backdated before
payments already made) and recoveries received - and after every step checks
the ledger, read through the CLI, against an independent model kept here:

  - each award's entitlement, computed from the events this script issued:
    daily accrual, weekly = sum over interventions of hours[level] x the
    hourly rate in force that day, each day weekly/7, over the active days
    [start, end) less suspensions, reassessments from their date; summed
    exactly as Fractions and rounded once, half up, to pence;
  - each run's payments, predicted by the payment rule of §4 from that
    model, the cycles already processed and what has been paid (a void
    lowers what has been paid but leaves its cycles processed, §10);
  - no (award, component, cycle) has more than one `cycle` payment that is
    not reversed; every payment of a voided batch is reversed; payments are
    positive; the journal's payment, reversal and recovery rows add up to the
    net paid in `report balances`, which equals the model's;
  - recoveries are received only for what is owed; more than is owed, or
    anything on an award that owes nothing, is refused (exit 1) and changes
    nothing.

Finally a catch-up run past every award's end, after which each award's net
paid must equal its rounded entitlement, or exceed it by exactly its
recovery due in `report recoveries`.

Shares no code with phsg.  Uses only Python's standard library; money and
hours are Fractions (or whole pence), never floats.

Environment: PHSG (the binary), PHSG_LEDGER and PHSG_CONFIG (set by
tests/cli/lib.bash); PHSG_PROP_SEED (default below), PHSG_PROP_AWARDS,
PHSG_PROP_STEPS; PHSG_PROP_LOG=FILE keeps every command issued (and the
imported caseload as FILE.csv), to replay a failure by hand.  Exits 0 when every check holds, 1 naming the first step
that broke one.
"""
import datetime as dt
import json
import os
import random
import re
import subprocess
import sys
import time
from fractions import Fraction as F

DEFAULT_SEED = 113  # a walk that takes every kind of step (see COVERAGE)
SEED = int(os.environ.get("PHSG_PROP_SEED", DEFAULT_SEED))
N_AWARDS = int(os.environ.get("PHSG_PROP_AWARDS", 300))
N_STEPS = int(os.environ.get("PHSG_PROP_STEPS", 60))
PHSG = os.environ["PHSG"]
CONFIG = os.environ["PHSG_CONFIG"]
LEDGER = os.environ["PHSG_LEDGER"]
WORK = os.environ.get("PHSG_PROP_WORK") or os.path.dirname(LEDGER)
BACKEND = os.environ.get("PHSG_TEST_BACKEND", "sqlite")
LOG = os.environ.get("PHSG_PROP_LOG")

D = dt.date.fromisoformat
FAR = D("2039-12-31")          # after every award's end: balances then show totals
LAST_END = D("2031-12-31")     # no extension beyond this (bank holidays end in 2035)

# ---------------------------------------------------------------------------
# The scheme, written out from config/medway.cfg and checked against it below.

ROUNDING = "half-up"
ANCHOR, CYCLE_DAYS, LEAD_DAYS, ROLL = D("2011-04-04"), 28, 0, "previous"
RATES = [(D("2011-04-01"), F("16.50")), (D("2024-04-01"), F("21.40"))]
HOURS = {  # weekly hours by intervention and level of need
    "intensive": {"high": F("10"), "medium": F("6"), "low": F("3")},
    "basic": {"high": F("4"), "medium": F("2"), "low": F("1")},
    "maintenance": {"high": F("2"), "medium": F("1"), "low": F("0.5")},
}
# package -> (interventions, {level: (period_months, extendable_to_months or None)})
PACKAGES = {
    "acquiring-independence": (["intensive", "basic", "maintenance"], {None: (12, 60)}),
    "long-term-support": (["maintenance"], {None: (24, None)}),
    "supported-living": (["intensive", "basic", "maintenance"],
                         {1: (24, None), 2: (12, 60), 3: (12, 60)}),
    "resettlement": (["intensive", "basic"], {None: (6, 12)}),
    "crisis-intervention": (["intensive"], {None: (3, 3)}),
    "housing-options": (["basic"], {None: (3, 3)}),
    "practical-support": (["maintenance"], {None: (24, None)}),
}


# what the default walk must exercise, lest a change to the generator (or to
# the batches the ledger makes) quietly leave a check with nothing to check
COVERAGE = ["runs", "idempotence runs", "cycle payments", "adjustments", "voids",
            "voids of an older batch", "batches sent", "events", "backdated events",
            "recoveries received", "refusals", "awards ending overpaid",
            "awards ending paid exactly"]


class Fail(Exception):
    pass


def check_scheme_file():
    """The tables above must still be what config/medway.cfg says."""
    text = open(CONFIG, encoding="utf-8").read()
    text = re.sub(r"#[^\n]*", "", text)  # comments
    problems = []

    def want(what, expected, actual):
        if expected != actual:
            problems.append(f"{what}: the test has {expected!r}, {CONFIG} has {actual!r}")

    m = re.search(r'\brounding\s*=\s*"([^"]*)"', text)
    want("rounding", ROUNDING, m and m.group(1))
    cal = re.search(r"calendar\s*=\s*\{(.*?)\};", text, re.S)
    cal = cal.group(1) if cal else ""
    m = re.search(r'anchor\s*=\s*"([^"]*)"', cal)
    want("calendar.anchor", ANCHOR.isoformat(), m and m.group(1))
    m = re.search(r"lead_days\s*=\s*(\d+)", cal)
    want("calendar.lead_days", LEAD_DAYS, m and int(m.group(1)))
    m = re.search(r'roll\s*=\s*"([^"]*)"', cal)
    want("calendar.roll", ROLL, m and m.group(1))
    rates = re.search(r"\brates\s*=\s*\((.*?)\);", text, re.S)
    got = [(D(a), F(b)) for a, b in re.findall(
        r'from\s*=\s*"([^"]*)"\s*;\s*hourly\s*=\s*"([^"]*)"', rates.group(1) if rates else "")]
    want("rates", RATES, got)
    got = {}
    for iid, body in re.findall(r'\{\s*id\s*=\s*"([^"]*)"\s*;[^{}]*hours\s*=\s*\{([^}]*)\}', text):
        got[iid] = {k: F(v) for k, v in re.findall(r'(\w+)\s*=\s*"([^"]*)"', body)}
    want("interventions' hours", HOURS, got)
    got = {}
    pk = re.search(r"\bpackages\s*=\s*\((.*)\);\s*\n\s*payment_methods", text, re.S)
    for pid, ivs, rest in re.findall(
            r'\{\s*id\s*=\s*"([^"]*)"\s*;\s*name\s*=\s*"[^"]*"\s*;\s*interventions\s*=\s*\[([^\]]*)\]\s*;'
            r'(.*?)(?=\{\s*id\s*=|\Z)', pk.group(1) if pk else "", re.S):
        terms = {}
        for lvl, per, ext in re.findall(
                r'(?:level\s*=\s*(\d+)\s*;\s*)?period_months\s*=\s*(\d+)\s*;\s*'
                r'extendable_to_months\s*=\s*("unlimited"|\d+)', rest):
            terms[int(lvl) if lvl else None] = (int(per), None if ext == '"unlimited"' else int(ext))
        got[pid] = (re.findall(r'"([^"]*)"', ivs), terms)
    want("packages", PACKAGES, got)
    if re.search(r"\bcomponents\s*=", text):
        problems.append("a Medway package now lists components: the model knows only the RAS one")
    if problems:
        raise Fail("the scheme file no longer matches the test's tables:\n  " + "\n  ".join(problems))


def bank_holidays():
    path = os.path.join(os.path.dirname(CONFIG), "bank-holidays-england-wales.cfg")
    days = {D(s) for s in re.findall(r'"(\d{4}-\d{2}-\d{2})"', open(path, encoding="utf-8").read())}
    if len(days) < 100:
        raise Fail(f"{path}: too few bank holidays read ({len(days)})")
    return days


HOLIDAYS = set()

# ---------------------------------------------------------------------------
# Money, dates and the calendar


def money(s):
    """A decimal string with exactly two places, as an exact Fraction."""
    if not isinstance(s, str) or not re.fullmatch(r"-?\d+\.\d\d", s):
        raise Fail(f"not a two-place money string: {s!r}")
    return F(s)


def fmt(x):
    """A Fraction holding whole pence, as a two-place decimal string."""
    p = x * 100
    if p.denominator != 1:
        raise Fail(f"internal: {x} is not whole pence")
    p = int(p)
    sign = "-" if p < 0 else ""
    return f"{sign}{abs(p) // 100}.{abs(p) % 100:02d}"


def round_pence(x):
    """Round once to pence, halves away from zero (the scheme's `half-up`)."""
    sign = -1 if x < 0 else 1
    n = abs(x) * 100
    q = n.numerator // n.denominator
    if n - q >= F(1, 2):
        q += 1
    return F(sign * q, 100)


def add_months(d, n):
    y, m = divmod(d.month - 1 + n, 12)
    y += d.year
    m += 1
    nxt = dt.date(y + (m == 12), m % 12 + 1, 1)
    last = (nxt - dt.timedelta(days=1)).day
    return dt.date(y, m, min(d.day, last))


def days(n):
    return dt.timedelta(days=n)


def cycle_floor(d):
    """The start of the calendar cycle containing d."""
    return ANCHOR + days(((d - ANCHOR).days // CYCLE_DAYS) * CYCLE_DAYS)


def due_date(b):
    d = b - days(LEAD_DAYS)
    while d.weekday() >= 5 or d in HOLIDAYS:
        d -= days(1)
    return d


def rate_on(d):
    r = None
    for frm, hourly in RATES:
        if frm <= d:
            r = hourly
    if r is None:
        raise Fail(f"internal: no rate on {d}")
    return r


# ---------------------------------------------------------------------------
# The model of one award


class Award:
    def __init__(self, ref, client, package, level, needs, start):
        self.ref, self.client, self.package, self.level = ref, client, package, level
        self.start = start
        self.months = self.term()[0]
        self.end = add_months(start, self.months)
        self.closed = False
        self.assess = [(start, 0, dict(needs))]  # (from, order recorded, needs)
        self.susp = []                           # [from, to or None]
        self.event_dates = [start]
        self.processed = set()                   # cycle starts processed by runs
        self.paid = F(0)                         # net paid (payments - reversals - recoveries)
        self.n_events = 1
        self.dirty = False                       # changed since the latest run
        self._cache = {}

    def term(self):
        return PACKAGES[self.package][1][self.level]

    def changed(self):
        self._cache = {}
        self.n_events += 1
        self.dirty = True

    def needs_on(self, d):
        best = None
        for frm, seq, needs in self.assess:
            if frm <= d and (best is None or (frm, seq) > best[:2]):
                best = (frm, seq, needs)
        return best[2]

    def weekly_on(self, d):
        needs = self.needs_on(d)
        return sum((HOURS[i][lvl] for i, lvl in needs.items()), F(0)) * rate_on(d)

    def suspended_on(self, d):
        return any(f <= d and (t is None or d < t) for f, t in self.susp)

    def entitled(self, upto):
        """The exact entitlement accrued from the start up to (not including) upto."""
        upto = min(upto, self.end)
        if upto in self._cache:
            return self._cache[upto]
        cuts = {self.start, upto}
        cuts.update(frm for frm, _ in RATES)
        cuts.update(frm for frm, _, _ in self.assess)
        for f, t in self.susp:
            cuts.add(f)
            if t is not None:
                cuts.add(t)
        cuts = sorted(c for c in cuts if self.start <= c <= upto)
        total = F(0)
        for a, b in zip(cuts, cuts[1:]):
            if not self.suspended_on(a):
                total += self.weekly_on(a) * (b - a).days / 7
        self._cache[upto] = total
        return total

    def total(self):
        return round_pence(self.entitled(self.end))

    def cycles(self):
        b = cycle_floor(self.start)
        while b < self.end:
            yield b
            b += days(CYCLE_DAYS)

    def owed(self):
        """What may be received back now (§10): paid beyond the rounded
        entitlement to the end of the last processed cycle (or the award's end)."""
        if not self.processed:
            return max(F(0), self.paid)
        last = max(self.processed)
        return max(F(0), self.paid - round_pence(self.entitled(last + days(CYCLE_DAYS))))

    def latest_event_date(self):
        return max(self.event_dates)


# ---------------------------------------------------------------------------
# Talking to phsg


class Runner:
    def __init__(self):
        self.history = []
        self.log = open(LOG, "w", encoding="utf-8") if LOG else None
        self.calls = 0

    def __call__(self, *args, expect=0, what=None):
        argv = [PHSG, "--operator", "tester", *args]
        cmd = "phsg " + " ".join(a if re.fullmatch(r"[\w./=:,-]+", a) else repr(a) for a in args)
        self.history.append(cmd)
        if self.log:
            print(cmd, file=self.log, flush=True)
        self.calls += 1
        r = subprocess.run(argv, capture_output=True, text=True)
        if expect is not None and r.returncode != expect:
            raise Fail(f"{what or cmd}: exit {r.returncode}, expected {expect}\n"
                       f"  command: {cmd}\n  stderr: {r.stderr.strip()[:600]}")
        return r

    def json(self, *args):
        r = self(*args)
        try:
            return json.loads(r.stdout)
        except json.JSONDecodeError as e:
            raise Fail(f"{self.history[-1]}: not JSON ({e}): {r.stdout[:300]!r}")


phsg = Runner()


def ledger_dump():
    """The ledger's whole content (as lib.bash's snapshot), for "nothing changed"."""
    if BACKEND == "postgresql":
        # every row of every table in a defined order (award_index is a cache)
        tables = subprocess.run(["psql", "-X", "-tA", "-d", LEDGER, "-c",
                                 "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                                 " AND tablename <> 'award_index' ORDER BY 1"],
                                capture_output=True, text=True, check=True).stdout.split()
        return "\n".join(subprocess.run(["psql", "-X", "-tA", "-d", LEDGER, "-c",
                                         f"SELECT x::text FROM {t} x ORDER BY 1"],
                                        capture_output=True, text=True, check=True).stdout
                         for t in tables)
    r = subprocess.run(["sqlite3", LEDGER, ".dump"], capture_output=True, text=True)
    return "\n".join(l for l in r.stdout.splitlines() if not l.startswith("INSERT INTO award_index"))


def snapshot(award=None):
    """What the CLI shows of the ledger, and the database itself."""
    parts = {"export": phsg("export", "--format", "json").stdout}
    if award is not None:
        doc = phsg.json("award", "show", award, "--format", "json")
        doc.pop("as_of", None)
        parts["award show"] = json.dumps(doc, sort_keys=True)
    parts["sqlite dump"] = ledger_dump()
    return parts


def refused(args, what, award=None):
    """A request the SPEC says is refused by a rule: exit 1, nothing changed."""
    before = snapshot(award)
    phsg(*args, expect=1, what=what)
    after = snapshot(award)
    for name in before:
        if before[name] != after[name]:
            raise Fail(f"{what}: refused (exit 1) but the ledger changed ({name} differs)")


# ---------------------------------------------------------------------------
# The test


class Test:
    def __init__(self):
        self.rng = random.Random(SEED)
        self.awards = {}
        self.batches = {}      # id -> {"status", "payments": [(award, amount)]}
        self.last_run = None   # the latest run date so far
        self.last_step_was_run = False
        self.ran = False
        self.stats = {}
        self.step_no = 0
        self.step_desc = "setup"

    def count(self, what, n=1):
        self.stats[what] = self.stats.get(what, 0) + n

    def backdated(self, d):
        if self.last_run and d <= self.last_run:
            self.count("backdated events")

    # -- setup --------------------------------------------------------------
    def create_awards(self):
        rng = self.rng
        rows = ["client,package,level,tier,chosen_tier,hours,intensive,basic,maintenance,start,end,method,payee"]
        specs = []
        lo, hi = D("2023-10-02"), D("2025-09-30")
        for k in range(N_AWARDS):
            pkg = rng.choice(sorted(PACKAGES))
            ivs, terms = PACKAGES[pkg]
            level = rng.choice([l for l in terms]) if None not in terms else None
            needs = self.random_needs(pkg)
            start = lo + days(rng.randrange((hi - lo).days))
            method, payee = rng.choice([("direct", "P1"), ("provider", "P2"), ("card", "C1")])
            client = f"PROP-{k + 1:04d}"
            cells = [client, pkg, "" if level is None else str(level), "", "", ""]
            cells += [needs.get(i, "") for i in ("intensive", "basic", "maintenance")]
            cells += [start.isoformat(), "", method, payee]
            rows.append(",".join(cells))
            specs.append((client, pkg, level, needs, start))
        path = LOG + ".csv" if LOG else os.path.join(WORK, "awards.csv")
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(rows) + "\n")
        refs = phsg("award", "import", path).stdout.split()
        if len(refs) != N_AWARDS:
            raise Fail(f"award import printed {len(refs)} references for {N_AWARDS} rows")
        for ref, (client, pkg, level, needs, start) in zip(refs, specs):
            self.awards[ref] = Award(ref, client, pkg, level, needs, start)

    def random_needs(self, pkg):
        ivs = PACKAGES[pkg][0]
        chosen = [i for i in ivs if self.rng.random() < 0.6] or [self.rng.choice(ivs)]
        return {i: self.rng.choice(["high", "medium", "low"]) for i in chosen}

    # -- the payment rule -----------------------------------------------------
    def predict_run(self, d):
        """The payments a run on d must post (§4), the recoveries outstanding
        after it, the awards it must look at (changed since the latest run, or
        with a cycle newly due), and the model after it."""
        expected, recoveries, considered = [], {}, set()
        for ref in sorted(self.awards):
            aw = self.awards[ref]
            due = [b for b in aw.cycles() if due_date(b) <= d]
            newly = [b for b in due if b not in aw.processed]
            if newly or aw.dirty:
                considered.add(ref)
            aw.dirty = False
            for b in newly:
                amount = round_pence(aw.entitled(b + days(CYCLE_DAYS))) - aw.paid
                if amount > 0:
                    expected.append((ref, "cycle", b, due_date(b), amount))
                    aw.paid += amount
                aw.processed.add(b)
            if due and not newly:
                last = max(due)
                amount = round_pence(aw.entitled(last + days(CYCLE_DAYS))) - aw.paid
                if amount > 0:
                    expected.append((ref, "adjustment", last, d, amount))
                    aw.paid += amount
            if due:
                over = aw.paid - round_pence(aw.entitled(max(due) + days(CYCLE_DAYS)))
                if over > 0:
                    recoveries[ref] = over
        return expected, recoveries, considered

    def run(self, d, kind):
        self.step_desc = f"run --date {d} ({kind})"
        expected, recov, considered = self.predict_run(d)
        doc = phsg.json("run", "--date", d.isoformat(), "--allow-future", "--format", "json")
        got = []
        problems = []
        for p in doc.get("payments", []):
            try:
                cs, ce = D(p["cycle_start"]), D(p["cycle_end"])
                if ce - cs != days(CYCLE_DAYS) or cycle_floor(cs) != cs:
                    problems.append(f"payment {p}: not a calendar cycle's bounds")
                if p.get("component") != "ras":
                    problems.append(f"payment {p}: component is not 'ras'")
                got.append((p["award"], p["kind"], cs, D(p["due"]), money(p["amount"])))
            except (KeyError, ValueError) as e:
                problems.append(f"payment {p}: {e}")
        show = lambda t: f"{t[0]} {t[1]} cycle {t[2]} due {t[3]} {fmt(t[4])}"
        missing = sorted(set(expected) - set(got))
        extra = sorted(set(got) - set(expected))
        if len(got) != len(set(got)):
            problems.append("the run lists the same payment twice")
        for t in missing[:8]:
            problems.append(f"expected, not posted: {show(t)}")
        for t in extra[:8]:
            problems.append(f"posted, not expected:  {show(t)}")
        for t in got:
            if t[4] <= 0:
                problems.append(f"a payment that is not positive: {show(t)}")
        total = sum((t[4] for t in got), F(0))
        if money(doc.get("total", "x")) != total:
            problems.append(f"run total {doc.get('total')} is not the sum of its payments {fmt(total)}")
        if doc.get("held"):
            problems.append(f"awards held: {doc['held']}")
        batch = doc.get("batch")
        if got and not isinstance(batch, int):
            problems.append(f"payments posted but batch is {batch!r}")
        if not got and batch is not None:
            problems.append(f"a run that posts no payment made batch {batch} (§10: no empty batches; JSON batch null)")
        got_rec = {}
        for r in doc.get("recoveries", []):
            if r.get("component") == "ras":
                got_rec[r["award"]] = got_rec.get(r["award"], F(0)) + money(r["amount"])
        # the run lists what is outstanding for the awards it looked at; an
        # award it had no reason to look at may be left out
        for ref in sorted((set(recov) & considered) | set(got_rec)):
            if recov.get(ref) != got_rec.get(ref):
                problems.append(f"recoveries: {ref} expected "
                                f"{fmt(recov[ref]) if ref in recov else 'none'}, the run lists "
                                f"{fmt(got_rec[ref]) if ref in got_rec else 'none'}")
                if len(problems) > 20:
                    break
        if problems:
            raise Fail("the run does not follow the payment rule (§4, §10):\n  " + "\n  ".join(problems))
        self.count("runs")
        self.count("cycle payments", sum(1 for t in got if t[1] == "cycle"))
        self.count("adjustments", sum(1 for t in got if t[1] == "adjustment"))
        touched = set()
        if isinstance(batch, int) and got:
            if batch in self.batches:
                raise Fail(f"the run reused batch number {batch}")
            self.batches[batch] = {"status": "posted", "payments": [(t[0], t[4]) for t in got]}
            touched.add(batch)
        if self.last_run is None or d > self.last_run:
            self.last_run = d
        self.ran = True
        return touched, {t[0] for t in got}

    def run_again_earlier(self):
        """Idempotence (§5): right after a run, a run for the same or an earlier
        date posts nothing."""
        back = self.rng.choice([0, 0, 1, 7, 27, 28, 60])
        d = self.last_run - days(back)
        self.step_desc = f"run --date {d} (again, {back} days before the latest run)"
        before = self.paid_now()
        doc = phsg.json("run", "--date", d.isoformat(), "--allow-future", "--format", "json")
        if doc.get("payments"):
            raise Fail(f"a run for {d}, right after one for {self.last_run}, posted "
                       f"{len(doc['payments'])} payments (§5: idempotent), e.g. {doc['payments'][0]}")
        if doc.get("batch") is not None:
            raise Fail(f"a run that posted nothing made batch {doc['batch']} (§10: no empty batches)")
        if self.paid_now() != before:
            raise Fail("a run that posted nothing changed what was paid")
        self.count("idempotence runs")
        return set(), set()

    def paid_now(self):
        return phsg("report", "balances", "--as-of", FAR.isoformat(), "--format", "json").stdout

    # -- batches --------------------------------------------------------------
    def void(self):
        open_ = [b for b, v in self.batches.items() if v["status"] == "posted"]
        if not open_:
            return None
        b = self.rng.choice(sorted(open_))
        latest = max(self.batches)
        self.step_desc = f"batch void {b} ({'the latest' if b == latest else f'not the latest, {latest} is'})"
        phsg("batch", "void", str(b), what=f"void of batch {b}, not sent (§5, §10: any batch not sent)")
        self.batches[b]["status"] = "voided"
        self.count("voids")
        if b != latest:
            self.count("voids of an older batch")
        for ref, amount in self.batches[b]["payments"]:
            self.awards[ref].paid -= amount
            self.awards[ref].dirty = True
        return {b}, {ref for ref, _ in self.batches[b]["payments"]}

    def sent(self):
        open_ = [b for b, v in self.batches.items() if v["status"] == "posted"]
        sent = [b for b, v in self.batches.items() if v["status"] == "sent"]
        if sent and self.rng.random() < 0.3:
            b = self.rng.choice(sorted(sent))
            self.step_desc = f"batch void {b} (sent: refused)"
            refused(["batch", "void", str(b)], f"void of batch {b}, sent to the bank (§5)")
            self.count("refusals")
            return {b}, set()
        if not open_:
            return None
        b = self.rng.choice(sorted(open_))
        self.step_desc = f"batch sent {b}"
        phsg("batch", "sent", str(b))
        self.batches[b]["status"] = "sent"
        self.count("batches sent")
        return {b}, set()

    # -- award events -------------------------------------------------------
    def event_date(self, aw, lo=None):
        """A day inside [lo or start, end), often backdated before the latest run."""
        lo = lo or aw.start
        hi = aw.end  # exclusive
        if lo >= hi:
            return None
        edge = self.rng.random()
        if edge < 0.08:
            return lo  # the first possible day (the start, the day after a suspension began, ...)
        if edge < 0.2:
            # a cycle boundary, or the day before one
            b = cycle_floor(lo + days(self.rng.randrange((hi - lo).days))) - days(self.rng.choice([0, 1]))
            if lo <= b < hi:
                return b
        if self.last_run and self.rng.random() < 0.6:
            blo, bhi = max(lo, self.last_run - days(150)), min(hi, self.last_run)
            if blo < bhi:
                return blo + days(self.rng.randrange((bhi - blo).days))
        return lo + days(self.rng.randrange((hi - lo).days))

    def events(self):
        n = self.rng.randint(1, 5)
        refs = self.rng.sample(sorted(self.awards), n)
        done = []
        for ref in refs:
            aw = self.awards[ref]
            kinds = ["reassess"] * 4 + ["suspend"] * 3 + ["end"] * 3 + ["extend"] * 3
            if any(t is None for _, t in aw.susp):
                kinds += ["resume"] * 6
            kind = self.rng.choice(kinds)
            self.step_desc = "events: " + "; ".join(done + [f"{ref} {kind}"])
            desc = getattr(self, "ev_" + kind)(aw)
            if desc:
                done.append(desc)
                self.count("refusals" if "refused" in desc else "events")
        if not done:
            return None
        self.step_desc = "events: " + "; ".join(done)
        return set(), set(refs)

    def ev_reassess(self, aw):
        f = self.event_date(aw)
        if f is None:
            return None
        if self.rng.random() < 0.15:
            # the date of an earlier assessment: the later recorded replaces it
            f = self.rng.choice([frm for frm, _, _ in aw.assess])
        needs = self.random_needs(aw.package)
        args = ["award", "reassess", aw.ref, "--from", f.isoformat()]
        for i, lvl in sorted(needs.items()):
            args += ["--need", f"{i}={lvl}"]
        phsg(*args)
        self.backdated(f)
        aw.assess.append((f, aw.n_events, needs))
        aw.event_dates.append(f)
        aw.changed()
        return f"{aw.ref} reassess from {f} " + ",".join(f"{i}={l}" for i, l in sorted(needs.items()))

    def ev_suspend(self, aw):
        f = self.event_date(aw)
        if f is None:
            return None
        t = None
        if self.rng.random() < 0.7:
            t = f + days(self.rng.randint(1, 60))
            if t > aw.end:
                t = aw.end
        overlap = any(sf < (t or dt.date.max) and f < (st or dt.date.max) for sf, st in aw.susp)
        args = ["award", "suspend", aw.ref, "--from", f.isoformat()] + (["--to", t.isoformat()] if t else [])
        what = f"{aw.ref} suspend from {f}" + (f" to {t}" if t else "")
        if overlap:
            refused(args, f"overlapping suspension ({what}) (§4: refused)", aw.ref)
            return what + " (overlaps: refused)"
        phsg(*args)
        self.backdated(f)
        aw.susp.append([f, t])
        aw.event_dates += [f] + ([t] if t else [])
        aw.changed()
        return what

    def ev_resume(self, aw):
        open_ = [s for s in aw.susp if s[1] is None][0]
        r = self.event_date(aw, open_[0] + days(1))
        if r is None:
            return None
        phsg("award", "resume", aw.ref, "--on", r.isoformat())
        self.backdated(r)
        open_[1] = r
        aw.event_dates.append(r)
        aw.changed()
        return f"{aw.ref} resume on {r}"

    def ev_end(self, aw):
        # after every event already recorded, so no event is left outside the award
        x = self.event_date(aw, aw.latest_event_date() + days(1))
        if x is None:
            return None
        phsg("award", "end", aw.ref, "--on", x.isoformat())
        self.backdated(x)
        aw.end = x
        aw.closed = True
        aw.event_dates.append(x)
        aw.changed()
        return f"{aw.ref} end on {x}"

    def ev_extend(self, aw):
        period, ceiling = aw.term()
        if aw.closed:
            if self.rng.random() < 0.3:
                refused(["award", "extend", aw.ref], f"extension of {aw.ref}, ended with `end` (§4)", aw.ref)
                return f"{aw.ref} extend (ended: refused)"
            return None
        room = None if ceiling is None else ceiling - aw.months
        if room == 0:
            if self.rng.random() < 0.3:
                refused(["award", "extend", aw.ref], f"extension of {aw.ref} with no room (§4)", aw.ref)
                return f"{aw.ref} extend (no room: refused)"
            return None
        if room is not None and self.rng.random() < 0.15:
            refused(["award", "extend", aw.ref, "--months", str(room + 1)],
                    f"extension of {aw.ref} past the ceiling (§4)", aw.ref)
            return f"{aw.ref} extend --months {room + 1} (past the ceiling: refused)"
        default = period if room is None else min(period, room)
        months = None if self.rng.random() < 0.5 else self.rng.randint(1, default)
        new_end = add_months(aw.start, aw.months + (months or default))
        if new_end > LAST_END:
            return None
        phsg("award", "extend", aw.ref, *(["--months", str(months)] if months else []))
        aw.months += months or default
        aw.end = new_end
        aw.changed()
        return f"{aw.ref} extend" + (f" --months {months}" if months else f" (default {default} months)") + f" to {new_end}"

    # -- recoveries -----------------------------------------------------------
    def recovery(self):
        if self.last_run is None:
            return None
        on = self.last_run
        owing = [ref for ref in sorted(self.awards) if self.awards[ref].owed() > 0]
        nothing = [ref for ref in sorted(self.awards) if self.awards[ref].owed() == 0 and self.awards[ref].paid > 0]
        self.check_recoveries_report(on)
        touched = set()
        descs = []
        for ref in self.rng.sample(owing, min(len(owing), self.rng.randint(1, 3))):
            aw = self.awards[ref]
            owed = aw.owed()
            pence = int(owed * 100)
            amount = owed if pence == 1 or self.rng.random() < 0.5 else F(self.rng.randint(1, pence - 1), 100)
            phsg("recovery", "receive", ref, "--amount", fmt(amount), "--on", on.isoformat(),
                 what=f"recovery of {fmt(amount)} on {ref}, which owes {fmt(owed)} (§4, §10)")
            aw.paid -= amount
            self.count("recoveries received")
            touched.add(ref)
            descs.append(f"{ref} receives {fmt(amount)} of {fmt(owed)} owed on {on}")
            self.step_desc = "recoveries: " + "; ".join(descs)
            if self.rng.random() < 0.6:
                more = aw.owed() + F(1, 100)
                self.step_desc = "recoveries: " + "; ".join(descs + [f"{ref} receives {fmt(more)}, more than owed"])
                refused(["recovery", "receive", ref, "--amount", fmt(more), "--on", on.isoformat()],
                        f"recovery of {fmt(more)} on {ref}, which owes {fmt(aw.owed())} (§10: more than owed)", ref)
                descs.append(f"{ref} receives {fmt(more)} (more than owed: refused)")
                self.count("refusals")
        if nothing and (not owing or self.rng.random() < 0.7):
            ref = self.rng.choice(nothing)
            self.step_desc = "recoveries: " + "; ".join(descs + [f"{ref} receives money it does not owe"])
            amount = self.rng.choice([F(1, 100), F(1), F(self.rng.randint(1, 20000), 100)])
            aw = self.awards[ref]
            refused(["recovery", "receive", ref, "--amount", fmt(amount), "--on", on.isoformat()],
                    f"recovery of {fmt(amount)} on {ref} ({'ended' if aw.end <= on else 'running'}, "
                    f"paid {fmt(aw.paid)}), which owes nothing on {on} (§10)", ref)
            descs.append(f"{ref} receives {fmt(amount)} (owes nothing: refused)")
            self.count("refusals")
        if not descs:
            return None
        self.step_desc = "recoveries: " + "; ".join(descs)
        return set(), touched

    def check_recoveries_report(self, on):
        """`report recoveries` lists each ended award that was paid more than its
        entitlement, by exactly that much (awards with every cycle processed)."""
        doc = phsg.json("report", "recoveries", "--as-of", on.isoformat(), "--format", "json")
        listed = {}
        for r in doc.get("recoveries", []):
            listed[r["award"]] = listed.get(r["award"], F(0)) + money(r["amount"])
        problems = []
        for ref, aw in sorted(self.awards.items()):
            if aw.end > on or any(b not in aw.processed for b in aw.cycles()):
                continue
            want = max(F(0), aw.paid - aw.total())
            if listed.get(ref, F(0)) != want:
                problems.append(f"{ref} (ended {aw.end}, paid {fmt(aw.paid)}, entitled {fmt(aw.total())}): "
                                f"recovery due {fmt(want)}, report says {fmt(listed.get(ref, F(0)))}")
        total = sum(listed.values(), F(0))
        if money(doc.get("total", "x")) != total:
            problems.append(f"report total {doc.get('total')} is not the sum of its rows {fmt(total)}")
        if problems:
            raise Fail(f"report recoveries --as-of {on}:\n  " + "\n  ".join(problems[:15]))

    # -- invariants after every step ------------------------------------------
    def check_ledger(self, batches, award_refs, verify=False):
        problems = []
        # phsg's own check of its ledger (§12), after the steps that post or void
        r = phsg("verify", expect=None) if verify or batches else None
        if r and (r.returncode != 0 or r.stdout.strip() != "ok"):
            problems.append(f"phsg verify (§12) exits {r.returncode}: {(r.stdout + r.stderr).strip()[:800]}")
        entries = phsg.json("export", "--format", "json")["entries"]
        bal = phsg.json("report", "balances", "--as-of", FAR.isoformat(), "--format", "json")
        net = {}
        rows = {}        # (award, component, cycle_start, batch, amount) -> payment rows
        reversals = {}   # same key, amount negated -> reversal rows
        cycle_rows = {}  # (award, component, cycle_start) -> number of cycle rows
        by_batch = {}
        for e in entries:
            kind = e.get("kind")
            if kind not in ("cycle", "adjustment", "opening", "reversal", "recovery"):
                continue
            amt = money(e["amount"])
            if not e.get("payee"):
                problems.append(f"a {kind} row without its payee (§10: every row has its payee): {e}")
            net[e["award"]] = net.get(e["award"], F(0)) + amt
            if kind in ("cycle", "adjustment", "opening"):
                if amt <= 0:
                    problems.append(f"a {kind} payment that is not positive: {e}")
                key = (e["award"], e["component"], e["cycle_start"], e["batch"], amt)
                rows[key] = rows.get(key, 0) + 1
                by_batch.setdefault(e["batch"], []).append((e["award"], kind, e["cycle_start"], amt))
                if kind == "cycle":
                    k = (e["award"], e["component"], e["cycle_start"])
                    cycle_rows[k] = cycle_rows.get(k, 0) + 1
            elif kind == "reversal":
                if amt >= 0:
                    problems.append(f"a reversal that is not negative: {e}")
                key = (e["award"], e["component"], e["cycle_start"], e["batch"], -amt)
                reversals[key] = reversals.get(key, 0) + 1
            elif kind == "recovery" and amt >= 0:
                problems.append(f"a recovery row that does not lower the net paid (§10 signed amounts): {e}")
        # reversals: exactly the payments of voided batches, each once
        for key, n in reversals.items():
            if rows.get(key, 0) < n:
                problems.append(f"a reversal with no payment to reverse: {key}")
        for key, n in rows.items():
            award, comp, cs, batch, amt = key
            status = self.batches.get(batch, {}).get("status")
            r = reversals.get(key, 0)
            if status == "voided" and r != n:
                problems.append(f"batch {batch} is voided but its payment {award} {cs} {fmt(amt)} "
                                f"is not reversed (§5: voided payments do not count)")
            if status != "voided" and r:
                problems.append(f"a payment of batch {batch} ({status}) is reversed: {key}")
            if batch not in self.batches:
                problems.append(f"a payment in batch {batch}, which no run reported: {key}")
        # no cycle paid twice (the brief's invariant), and posted once at all (§10)
        for (award, comp, cs), k in cycle_rows.items():
            if k > 1:
                problems.append(f"{award} {comp} cycle {cs} has {k} `cycle` payments: §10 keeps a voided "
                                f"batch's cycles processed, so a cycle is posted once")
        # count cycle payments not reversed per (award, component, cycle)
        cycle_live = {}
        for e in entries:
            if e.get("kind") == "cycle":
                k = (e["award"], e["component"], e["cycle_start"])
                cycle_live.setdefault(k, []).append((e["batch"], money(e["amount"])))
        for k, pays in cycle_live.items():
            left = 0
            used = {}
            for batch, amt in pays:
                key = (k[0], k[1], k[2], batch, amt)
                if used.get(key, 0) < reversals.get(key, 0):
                    used[key] = used.get(key, 0) + 1
                else:
                    left += 1
            if left > 1:
                problems.append(f"{k[0]} {k[1]} cycle {k[2]}: {left} cycle payments not reversed (paid twice)")
        # net paid: journal == balances == model
        bal_awards = {a["award"]: a for a in bal.get("awards", [])}
        for ref, aw in sorted(self.awards.items()):
            b = bal_awards.get(ref)
            if b is None:
                problems.append(f"{ref} is missing from report balances")
                continue
            paid = money(b["paid"])
            if paid != net.get(ref, F(0)):
                problems.append(f"{ref}: the journal's payments, reversals and recoveries add up to "
                                f"{fmt(net.get(ref, F(0)))}, report balances says paid {fmt(paid)}")
            if paid != aw.paid:
                problems.append(f"{ref}: paid {fmt(paid)} on the ledger, {fmt(aw.paid)} by the payment rule")
            if money(b["entitled"]) != aw.total():
                problems.append(f"{ref}: entitled {b['entitled']} in report balances, "
                                f"{fmt(aw.total())} by the model ({aw.package}, {aw.start} to {aw.end})")
            if len(problems) > 25:
                break
        if problems:
            raise Fail("the ledger breaks an invariant:\n  " + "\n  ".join(problems[:25]))
        # the batches touched: status, payments and total as the ledger shows them
        for b in sorted(batches):
            doc = phsg.json("batch", "show", str(b), "--format", "json")
            want = self.batches[b]
            if doc.get("status") != want["status"]:
                problems.append(f"batch {b}: status {doc.get('status')!r}, expected {want['status']!r}")
            pays = sorted((p["award"], money(p["amount"])) for p in doc.get("payments", [])
                          if p.get("kind") in ("cycle", "adjustment"))
            if pays != sorted(want["payments"]):
                problems.append(f"batch {b}: shows {len(pays)} payments, the run posted {len(want['payments'])}")
            counted = F(0) if want["status"] == "voided" else sum((a for _, a in want["payments"]), F(0))
            if money(doc.get("total", "x")) != counted:
                problems.append(f"batch {b} ({want['status']}): total {doc.get('total')}, expected {fmt(counted)}")
            journal = sorted((a, amt) for a, k, cs, amt in by_batch.get(b, []))
            if journal != sorted(want["payments"]):
                problems.append(f"batch {b}: the journal's payments differ from the run's")
        for ref in sorted(award_refs)[:4]:
            aw = self.awards[ref]
            doc = phsg.json("award", "show", ref, "--as-of", FAR.isoformat(), "--format", "json")
            if doc.get("end") != aw.end.isoformat():
                problems.append(f"{ref}: award show says end {doc.get('end')}, the model {aw.end}")
            if money(doc.get("paid", "x")) != aw.paid:
                problems.append(f"{ref}: award show says paid {doc.get('paid')}, the model {fmt(aw.paid)}")
            if money(doc.get("entitled_to_date", "x")) != aw.total():
                problems.append(f"{ref}: award show says entitled {doc.get('entitled_to_date')} "
                                f"to {FAR}, the model {fmt(aw.total())}")
        if problems:
            raise Fail("the ledger breaks an invariant:\n  " + "\n  ".join(problems[:25]))

    # -- the walk -----------------------------------------------------------
    def step(self):
        rng = self.rng
        if self.last_run is None:
            return self.run(D("2024-01-08") + days(rng.randrange(60)), "first")
        if self.last_step_was_run and rng.random() < 0.35:
            return self.run_again_earlier()
        choice = rng.choices(["run", "same", "void", "sent", "events", "recovery"],
                             weights=[26, 5, 12, 10, 33, 16])[0]
        if choice == "run":
            return self.run(self.last_run + days(rng.choice([1, 14, 27, 28, 29, 35, 56, 63, 84, 91])), "forward")
        if choice == "same":
            return self.run(self.last_run, "the same date again")
        return getattr(self, choice)()

    def main(self):
        t0 = time.monotonic()
        check_scheme_file()
        HOLIDAYS.update(bank_holidays())
        self.create_awards()
        self.check_ledger(set(), set())
        done = 0
        while done < N_STEPS:
            self.step_no = done + 1
            self.step_desc = "?"
            self.ran = False
            result = self.step()
            if result is None:
                continue  # nothing to do for that choice: choose again
            batches, refs = result
            self.last_step_was_run = self.ran
            self.check_ledger(batches, refs)
            done += 1
        # the catch-up run, past every award's end
        self.step_no += 1
        end = max(max(aw.end for aw in self.awards.values()), self.last_run) + days(7)
        batches, refs = self.run(end, "catch-up, past every award's end")
        self.check_ledger(batches, refs)
        self.step_no += 1
        self.run_again_earlier()
        self.check_ledger(set(), set(), verify=True)
        self.step_desc = f"final check at {end}"
        self.final(end)
        thin = [what for what in COVERAGE if not self.stats.get(what)]
        if thin and SEED == DEFAULT_SEED and (N_AWARDS, N_STEPS) == (300, 60):
            raise Fail("the default walk no longer takes these kinds of step: " + ", ".join(thin) +
                       "; choose a DEFAULT_SEED whose walk takes them all")
        print(f"corrections property: seed {SEED}, {N_AWARDS} awards, {N_STEPS} steps, "
              f"{len(self.batches)} batches, {phsg.calls} commands, {time.monotonic() - t0:.1f} s: ok")
        print("  " + ", ".join(f"{k} {v}" for k, v in sorted(self.stats.items())))

    def final(self, end):
        """No money lost, none twice: each award's net paid is its rounded
        entitlement, or above it by exactly its recovery due."""
        bal = {a["award"]: a for a in phsg.json(
            "report", "balances", "--as-of", FAR.isoformat(), "--format", "json")["awards"]}
        rec = {}
        doc = phsg.json("report", "recoveries", "--as-of", end.isoformat(), "--format", "json")
        for r in doc["recoveries"]:
            rec[r["award"]] = rec.get(r["award"], F(0)) + money(r["amount"])
        problems = []
        total_excess = F(0)
        for ref, aw in sorted(self.awards.items()):
            paid, want = money(bal[ref]["paid"]), aw.total()
            if paid < want:
                problems.append(f"{ref}: paid {fmt(paid)} < entitled {fmt(want)}: {fmt(want - paid)} never paid")
            elif paid > want and rec.get(ref) != paid - want:
                problems.append(f"{ref}: paid {fmt(paid)}, entitled {fmt(want)}, but the recovery due is "
                                f"{fmt(rec[ref]) if ref in rec else 'not listed'}, not {fmt(paid - want)}")
            elif paid == want and rec.get(ref, F(0)) != 0:
                problems.append(f"{ref}: paid exactly its entitlement {fmt(want)}, yet a recovery of "
                                f"{fmt(rec[ref])} is listed")
            total_excess += paid - want if paid > want else 0
            self.count("awards ending overpaid" if paid > want else "awards ending paid exactly")
        if money(doc["total"]) != total_excess:
            problems.append(f"recoveries total {doc['total']}, the excesses add up to {fmt(total_excess)}")
        if problems:
            raise Fail(f"after the catch-up run on {end}:\n  " + "\n  ".join(problems[:25]))


def main():
    t = Test()
    try:
        t.main()
    except Fail as e:
        print(f"FAILED (seed {SEED}); reproduce with\n"
              f"  PHSG=build/phsg PHSG_PROP_SEED={SEED} PHSG_PROP_AWARDS={N_AWARDS} "
              f"PHSG_PROP_STEPS={N_STEPS} PHSG_PROP_LOG=/tmp/prop.log bash tests/cli/corrections-property.sh\n"
              f"  (the log lists every command issued; the imported CSV is /tmp/prop.log.csv)")
        print(f"step {t.step_no}: {t.step_desc}")
        print(str(e))
        print("the last commands:")
        for c in phsg.history[-12:]:
            print("  " + c)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
