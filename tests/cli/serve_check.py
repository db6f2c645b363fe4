#!/usr/bin/env python3
"""serve_check.py - the checks of tests/cli/serve.sh that need more than curl.

  serve_check.py form DOM_FILE CHOICES...       -> the query the form's GET submits
  serve_check.py quote-dom DOM_FILE CLI_JSON    -> the page shows the CLI's figures
  serve_check.py arithmetic HOURS RATE DAYS TOTAL  -> TOTAL == round(HOURS x RATE x DAYS / 7)
  serve_check.py slow PORT                      -> slow and idle clients are cut off
  serve_check.py flood PORT PATH N              -> N connections at once, each answered
  serve_check.py raw PORT REQUEST_BYTES_REPR    -> the status line the server answers

Each prints what it found and exits 1 when the check fails.
"""
import html
import html.parser
import json
import selectors
import socket
import sys
import time
import urllib.parse
from fractions import Fraction


class Form(html.parser.HTMLParser):
    """The first form: its action, method and fields in document order."""

    def __init__(self):
        super().__init__()
        self.action = self.method = None
        self.fields = []  # [name, kind, options(list of values), value]
        self.in_form = False
        self.select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and self.action is None:
            self.action, self.method, self.in_form = a.get("action"), a.get("method"), True
        elif not self.in_form:
            return
        elif tag == "select":
            self.select = [a.get("name"), "select", [], None]
            self.fields.append(self.select)
        elif tag == "option" and self.select is not None:
            self.select[2].append(a.get("value", ""))
            if "selected" in a or self.select[3] is None:
                self.select[3] = a.get("value", "")
        elif tag == "input" and a.get("name"):
            self.fields.append([a.get("name"), "input", [], a.get("value", "")])

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "form":
            self.in_form = False


def form(dom_file, choices):
    """Fill the served form as a person would (NAME=VALUE picks an option or
    types a value; a select named more than once takes them in turn) and
    print the query its GET submission sends (every field, in order)."""
    f = Form()
    f.feed(open(dom_file, encoding="utf-8").read())
    if f.method != "get" or f.action != "/quote":
        sys.exit(f"the form is not GET /quote: {f.method} {f.action}")
    wanted = {}
    for c in choices:
        name, value = c.split("=", 1)
        wanted.setdefault(name, []).append(value)
    pairs = []
    for name, kind, options, value in f.fields:
        if kind == "select":
            pick = None
            for v in wanted.get(name, []):
                if v in options:
                    pick = v
                    wanted[name].remove(v)
                    break
            value = pick if pick is not None else value
        elif wanted.get(name):
            value = wanted[name].pop(0)
        pairs.append((name, value))
    left = [f"{k}={v}" for k, vs in wanted.items() for v in vs]
    if left:
        sys.exit(f"the form has no field or option for: {left}")
    print(urllib.parse.urlencode(pairs))


class Texts(html.parser.HTMLParser):
    """The text of the element with id=award-total and of each <li> in id=explanation."""

    def __init__(self):
        super().__init__()
        self.stack, self.total, self.steps = [], "", []
        self.in_total = self.in_steps = False
        self.li = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id") == "award-total":
            self.in_total = True
        if a.get("id") == "explanation":
            self.in_steps = True
        if tag == "li" and self.in_steps:
            self.li = ""

    def handle_endtag(self, tag):
        if tag == "strong" and self.in_total:
            self.in_total = False
        if tag == "li" and self.li is not None:
            self.steps.append(self.li)
            self.li = None
        if tag == "ol" and self.in_steps:
            self.in_steps = False

    def handle_data(self, data):
        if self.in_total:
            self.total += data
        if self.li is not None:
            self.li += data


def pounds(plain):
    whole, pence = plain.split(".")
    return "£" + f"{int(whole):,}" + "." + pence


def quote_dom(dom_file, cli_json):
    t = Texts()
    t.feed(open(dom_file, encoding="utf-8").read())
    want = json.load(open(cli_json, encoding="utf-8"))
    problems = []
    if t.total != pounds(want["award_total"]):
        problems.append(f"award total {t.total!r}, the CLI says {pounds(want['award_total'])!r}")
    if t.steps != want["explanation"]:
        problems.append(f"explanation {t.steps!r}\n  the CLI's {want['explanation']!r}")
    if problems:
        sys.exit("\n".join(problems))
    print(f"the page shows {t.total} and the {len(t.steps)} steps of the CLI's explanation")


def arithmetic(hours, rate, days, total):
    exact = Fraction(hours) * Fraction(rate) * int(days) / 7
    pence = exact * 100
    rounded = int(pence) + (1 if pence - int(pence) >= Fraction(1, 2) else 0)  # half-up, positive
    got = Fraction(total) * 100
    if rounded != got:
        sys.exit(f"{hours} h x {rate} x {days}/7 = {float(exact):.4f} -> {rounded / 100}, not {total}")
    print(f"{hours} h x £{rate} x {days} days / 7 = {float(exact):.4f} -> {total}")


def slow(port):
    """A client that trickles its headers a byte a second and one that sends
    nothing: both must be cut off within a few seconds of the 10 s limit."""
    trickle = socket.create_connection(("127.0.0.1", port))
    idle = socket.create_connection(("127.0.0.1", port))
    trickle.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
    start = time.monotonic()
    closed = {}
    for s in (trickle, idle):
        s.setblocking(False)
    while len(closed) < 2 and time.monotonic() - start < 25:
        for name, s in (("trickle", trickle), ("idle", idle)):
            if name in closed:
                continue
            try:
                if name == "trickle":
                    s.send(b"X")  # a header name that never ends
                data = s.recv(4096)
                if data == b"":
                    closed[name] = time.monotonic() - start
            except BlockingIOError:
                pass
            except OSError:
                closed[name] = time.monotonic() - start
        time.sleep(1)
    for s in (trickle, idle):
        s.close()
    print("cut off after: " + ", ".join(f"{k} {v:.1f} s" for k, v in sorted(closed.items())))
    if len(closed) < 2 or max(closed.values()) > 16:
        sys.exit("a slow or idle client was not cut off in time")


def flood(port, path, n):
    """n connections opened at once, each sending a request: every one answered 200."""
    n = int(n)
    sel = selectors.DefaultSelector()
    socks = []
    for _ in range(n):
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex(("127.0.0.1", port))
        socks.append(s)
        sel.register(s, selectors.EVENT_WRITE, [b"", False])
    req = (f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").encode()
    done, ok, deadline = 0, 0, time.monotonic() + 60
    while done < n and time.monotonic() < deadline:
        for key, ev in sel.select(timeout=1):
            s, st = key.fileobj, key.data
            if not st[1]:
                try:
                    s.sendall(req)
                except OSError:
                    sel.unregister(s)
                    done += 1
                    continue
                st[1] = True
                sel.modify(s, selectors.EVENT_READ, st)
                continue
            try:
                chunk = s.recv(65536)
            except (BlockingIOError, InterruptedError):
                continue
            except OSError:
                chunk = b""
            if chunk:
                st[0] += chunk
                continue
            sel.unregister(s)
            done += 1
            if st[0].startswith(b"HTTP/1.1 200"):
                ok += 1
    for s in socks:
        s.close()
    print(f"{n} connections at once: {ok} answered 200, {done} finished")
    if ok != n:
        sys.exit("not every connection was answered")


def raw(port, request):
    """Send bytes as they are; print the status line (or 'closed')."""
    s = socket.create_connection(("127.0.0.1", port), timeout=15)
    try:
        s.sendall(eval(request))  # a bytes literal written by the test itself
        data = b""
        while b"\r\n" not in data:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
    except OSError:
        data = b""
    s.close()
    print(data.split(b"\r\n")[0].decode("latin-1") if data else "closed")


if __name__ == "__main__":
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "form":
        form(args[0], args[1:])
    elif cmd == "quote-dom":
        quote_dom(*args)
    elif cmd == "arithmetic":
        arithmetic(*args)
    elif cmd == "slow":
        slow(int(args[0]))
    elif cmd == "flood":
        flood(int(args[0]), args[1], args[2])
    elif cmd == "raw":
        raw(int(args[0]), args[1])
    else:
        sys.exit(f"unknown check {cmd}")
