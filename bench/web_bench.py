#!/usr/bin/env python3
"""Helpers of bench/web-run.sh (standard library only).

  web_bench.py signin BASE USER PASSWORD COOKIEFILE   create the admin (/setup) or sign in; prints the Cookie header
  web_bench.py seed DB N                              insert N finished deployments straight into SQLite
  web_bench.py check BASE COOKIEFILE PATH             GET PATH signed in; prints status, bytes and history rows
  web_bench.py deploy BASE COOKIEFILE REPO ENV        POST /repos/REPO/deploy; prints the deployment id
  web_bench.py sse BASE COOKIEFILE ID CLIENTS HOLDFILE EXPECTED OUT.json
                                                      CLIENTS SSE watchers of deployment ID; removes HOLDFILE once
                                                      every watcher is subscribed to the live stream; writes stats
"""
import asyncio
import datetime as dt
import http.cookiejar
import json
import random
import re
import resource
import sqlite3
import sys
import time
import urllib.parse
import urllib.request
from array import array


# ---------------------------------------------------------------- sign-in

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k):
        return None


def opener(cookiefile, follow=True):
    jar = http.cookiejar.MozillaCookieJar(cookiefile)
    try:
        jar.load(ignore_discard=True, ignore_expires=True)
    except FileNotFoundError:
        pass
    handlers = [urllib.request.HTTPCookieProcessor(jar)]
    if not follow:
        handlers.append(NoRedirect())
    return urllib.request.build_opener(*handlers), jar


def token_of(html):
    m = re.search(r'name="__RequestVerificationToken"[^>]*value="([^"]+)"', html) \
        or re.search(r'value="([^"]+)"[^>]*name="__RequestVerificationToken"', html) \
        or re.search(r'RequestVerificationToken&quot;:&quot;([^&]+)&quot;', html) \
        or re.search(r'"RequestVerificationToken":"([^"]+)"', html)
    if not m:
        raise SystemExit("no antiforgery token in the page")
    return m.group(1)


def cookie_header(jar):
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def signin(base, user, password, cookiefile):
    op, jar = opener(cookiefile)
    page = op.open(base + "/setup", timeout=30)
    html = page.read().decode()
    if "create-admin" in html:
        form = {"UserName": user, "Password": password, "Confirm": password, "__RequestVerificationToken": token_of(html)}
        action = "/account/setup"
    else:
        html = op.open(base + "/account/login", timeout=30).read().decode()
        form = {"UserName": user, "Password": password, "__RequestVerificationToken": token_of(html)}
        action = "/account/login"
    op.open(base + action, urllib.parse.urlencode(form).encode(), timeout=30).read()
    if not any(c.name == "batou.auth" for c in jar):
        raise SystemExit("sign-in failed: no batou.auth cookie")
    jar.save(ignore_discard=True, ignore_expires=True)
    print(cookie_header(jar))


def check(base, cookiefile, path):
    op, _ = opener(cookiefile, follow=False)
    try:
        r = op.open(base + path, timeout=60)
        body = r.read().decode()
        rows = body.count('class="history-row"')
        print(f"{r.status} {len(body)} bytes, {rows} history rows")
    except urllib.error.HTTPError as e:
        raise SystemExit(f"GET {path}: {e.code} {e.headers.get('Location', '')}")


def deploy(base, cookiefile, repo, env):
    op, jar = opener(cookiefile, follow=False)
    html = op.open(base + "/deployments", timeout=60).read().decode()
    form = {"Environment": env, "Commit": "", "Branch": "main", "__RequestVerificationToken": token_of(html)}
    try:
        r = op.open(base + f"/repos/{repo}/deploy", urllib.parse.urlencode(form).encode(), timeout=120)
        loc = r.headers.get("Location", "")
    except urllib.error.HTTPError as e:
        if e.code not in (301, 302, 303):
            raise SystemExit(f"deploy: {e.code} {e.read()[:300]!r}")
        loc = e.headers.get("Location", "")
    m = re.search(r"/deployments/(\d+)$", loc)
    if not m:
        raise SystemExit(f"deploy: unexpected redirect {loc!r}")
    print(m.group(1))


# ---------------------------------------------------------------- seeding

def seed(db, n):
    con = sqlite3.connect(db, timeout=60)
    con.execute("PRAGMA busy_timeout=60000")
    repo = con.execute("SELECT Id FROM repositories ORDER BY Id LIMIT 1").fetchone()
    if repo is None:
        raise SystemExit("no repository row yet")
    rnd = random.Random(5)
    envs = ["production", "staging", "qa", "local", "dev-a", "dev-b"]
    users = ["admin", "alice", "bob", "carol", "deploy-bot"]
    statuses = ["succeeded"] * 85 + ["failed"] * 10 + ["cancelled"] * 3 + ["interrupted"] * 2
    t0 = dt.datetime(2024, 1, 1)
    fmt = "%Y-%m-%d %H:%M:%S.%f"

    def rows():
        for i in range(n):
            req = t0 + dt.timedelta(minutes=7 * i, seconds=rnd.randrange(60))
            start = req + dt.timedelta(seconds=rnd.randrange(1, 30))
            fin = start + dt.timedelta(seconds=rnd.randrange(2, 600))
            commit = "%040x" % rnd.getrandbits(160)
            st = rnd.choice(statuses)
            yield (repo[0], rnd.choice(envs), commit, "main", f"change number {i}: adjust the configuration", "deploy",
                   None, st, rnd.choice(users), req.strftime(fmt), start.strftime(fmt), fin.strftime(fmt),
                   rnd.randrange(50, 5000), 1 if st == "failed" else 0, rnd.randrange(0, 40), None)

    with con:
        con.executemany('INSERT INTO deployments (RepositoryId, Environment, "Commit", Branch, CommitMessage, Mode, Jobs, Status, '
                        'RequestedBy, RequestedUtc, StartedUtc, FinishedUtc, EventCount, ErrorCount, ChangedCount, CancelledBy) '
                        'VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)', rows())
    con.execute("ANALYZE")
    print(con.execute("SELECT count(*), min(Id), max(Id) FROM deployments").fetchone())
    con.close()


# ---------------------------------------------------------------- SSE watchers

_sec_cache = {}


def parse_at(b):
    """'2026-12-01T04:45:34.1234567+00:00' (UTC, as the engine writes it) -> epoch seconds."""
    s = b[:19]
    base = _sec_cache.get(s)
    if base is None:
        base = dt.datetime.strptime(s.decode(), "%Y-%m-%dT%H:%M:%S").replace(tzinfo=dt.timezone.utc).timestamp()
        _sec_cache[s] = base
    frac = 0.0
    if len(b) > 19 and b[19:20] == b".":
        end = 20
        while end < len(b) and 48 <= b[end] <= 57:
            end += 1
        frac = float(b"0" + b[19:end])
        tz = b[end:end + 6]
    else:
        tz = b[19:25]
    if tz not in (b"+00:00", b"Z", b"Z\"", b""):
        if tz[:1] in (b"+", b"-"):
            sign = 1 if tz[:1] == b"+" else -1
            base_off = sign * (int(tz[1:3]) * 3600 + int(tz[4:6]) * 60)
            return base + frac - base_off
    return base + frac


class Watcher:
    def __init__(self, idx):
        self.idx = idx
        self.subscribed = asyncio.Event()   # got an "ev" event: the live hub has this watcher
        self.done = False
        self.status = None
        self.count = 0
        self.error = None


async def watch(w, host, port, path, cookie, state):
    reader, writer = await asyncio.open_connection(host, port, limit=1 << 22)
    writer.write((f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: text/event-stream\r\nCookie: {cookie}\r\n"
                  f"Cache-Control: no-cache\r\nConnection: keep-alive\r\n\r\n").encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    if b" 200 " not in head.split(b"\r\n", 1)[0]:
        raise RuntimeError(head[:200])
    chunked = b"transfer-encoding: chunked" in head.lower()
    buf = b""
    lat, spread_min, spread_max, t_release = state["lat"], state["min"], state["max"], state
    marker = state["marker"]
    try:
        while True:
            if chunked:
                line = await reader.readline()
                if not line:
                    break
                size = int(line.strip().split(b";")[0], 16)
                if size == 0:
                    break
                data = await reader.readexactly(size + 2)
                data = data[:-2]
            else:
                data = await reader.read(1 << 16)
                if not data:
                    break
            now = time.time()
            buf += data
            parts = buf.split(b"\n\n")
            buf = parts.pop()
            for ev in parts:
                if ev.startswith(b"event: ev") or b"\nevent: ev" in ev or b"event: ev\n" in ev:
                    w.count += 1
                    if not w.subscribed.is_set():
                        w.subscribed.set()
                    if marker in ev:
                        # "bench line N" log lines: latency = arrival - the event's own At (same machine clock)
                        i = ev.find(b'"at":"')
                        at = parse_at(ev[i + 6:i + 6 + 40])
                        k = ev.find(marker) + len(marker)
                        e = k
                        while 48 <= ev[e] <= 57:
                            e += 1
                        n = int(ev[k:e])
                        lat.append(now - at)
                        if now < spread_min[n]:
                            spread_min[n] = now
                        if now > spread_max[n]:
                            spread_max[n] = now
                        state["last_arrival"] = max(state["last_arrival"], now)
                        state["counts"][w.idx] += 1
                elif b"event: status" in ev:
                    w.status = ev.split(b"data: ", 1)[-1].strip().decode()
                    w.done = True
                    return
    finally:
        writer.close()


def pct(sorted_vals, p):
    if not sorted_vals:
        return float("nan")
    k = (len(sorted_vals) - 1) * p / 100.0
    f = int(k)
    c = min(f + 1, len(sorted_vals) - 1)
    return sorted_vals[f] + (sorted_vals[c] - sorted_vals[f]) * (k - f)


async def sse_main(base, cookiefile, dep_id, clients, holdfile, expected, out):
    import os
    _, jar = opener(cookiefile)
    cookie = cookie_header(jar)
    u = urllib.parse.urlparse(base)
    path = f"/deployments/{dep_id}/events"
    state = {"lat": array("d"), "min": array("d", [float("inf")] * (expected + 2)),
             "max": array("d", [0.0] * (expected + 2)), "marker": b"bench line ", "last_arrival": 0.0,
             "counts": [0] * clients}
    ws = [Watcher(i) for i in range(clients)]
    t_open = time.time()
    tasks = []
    for w in ws:
        tasks.append(asyncio.create_task(watch(w, u.hostname, u.port, path, cookie, state)))
        await asyncio.sleep(0.002)
    # every watcher must be on the live stream before the component starts its 10,000 lines
    try:
        await asyncio.wait_for(asyncio.gather(*(w.subscribed.wait() for w in ws)), timeout=180)
    except asyncio.TimeoutError:
        failed = [t.exception() for t in tasks if t.done() and t.exception()]
        raise SystemExit(f"not all watchers subscribed ({sum(w.subscribed.is_set() for w in ws)}/{clients}); {failed[:3]}")
    t_subscribed = time.time()
    ru0 = resource.getrusage(resource.RUSAGE_SELF)
    state["release"] = time.time()
    os.remove(holdfile)
    done, pending = await asyncio.wait(tasks, timeout=600)
    for t in pending:
        t.cancel()
    errors = [repr(t.exception()) for t in done if t.exception()]
    ru1 = resource.getrusage(resource.RUSAGE_SELF)
    lat = sorted(state["lat"])
    spreads = sorted(state["max"][n] - state["min"][n] for n in range(1, expected + 1) if state["max"][n] > 0)
    counts = state["counts"]
    result = {
        "clients": clients, "expected_lines": expected,
        "connect_and_subscribe_s": t_subscribed - t_open,
        "release_to_last_arrival_s": state["last_arrival"] - state["release"],
        "lines_received_total": len(lat), "lines_expected_total": expected * clients,
        "lines_per_client_min": min(counts), "lines_per_client_max": max(counts),
        "statuses": sorted({str(w.status) for w in ws}), "pending": len(pending), "errors": errors[:5],
        "latency_ms": {p: pct(lat, p) * 1000 for p in (50, 90, 99, 99.9, 100)},
        "spread_ms": {p: pct(spreads, p) * 1000 for p in (50, 90, 99, 100)},
        "client_cpu_s": (ru1.ru_utime - ru0.ru_utime) + (ru1.ru_stime - ru0.ru_stime),
        "release_epoch": state["release"],
    }
    with open(out, "w") as f:
        json.dump(result, f, indent=1, default=str)
    print(json.dumps(result, indent=1, default=str))


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "signin":
        signin(*args)
    elif cmd == "seed":
        seed(args[0], int(args[1]))
    elif cmd == "check":
        check(*args)
    elif cmd == "deploy":
        deploy(*args)
    elif cmd == "sse":
        base, cookiefile, dep_id, clients, holdfile, expected, out = args
        asyncio.run(sse_main(base, cookiefile, int(dep_id), int(clients), holdfile, int(expected), out))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
