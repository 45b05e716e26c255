#!/usr/bin/env python3
"""Helpers of bench/web-run.sh (standard library only).

  web_bench.py signin BASE USER PASSWORD COOKIEFILE   create the admin (/setup) or sign in; prints the Cookie header
  web_bench.py seed DB N                              insert N finished deployments straight into SQLite
  web_bench.py check BASE COOKIEFILE PATH             GET PATH signed in; prints status, bytes and history rows
  web_bench.py deploy BASE COOKIEFILE REPO ENV        POST /repos/REPO/deploy; prints the deployment id
  web_bench.py time BASE COOKIEFILE N PATH...         N sequential GETs of each PATH after 3 warm-ups; prints JSON
  web_bench.py browse BASE COOKIEFILE REPO ENV COMMITS_FILE N
                                                      the environment page at every commit of COMMITS_FILE once (never
                                                      seen before: model load included), then N GETs of the repository
                                                      page (commit list) and of commit pages; prints JSON

The SSE watchers of part 2 are the C# project bench/SseWatchers.
"""
import datetime as dt
import http.cookiejar
import json
import random
import re
import sqlite3
import sys
import time
import urllib.parse
import urllib.request


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


# ---------------------------------------------------------------- timing

def get_ms(op, url):
    s = time.perf_counter()
    r = op.open(url, timeout=300)
    body = r.read()
    ms = (time.perf_counter() - s) * 1000
    if r.status != 200:
        raise SystemExit(f"GET {url}: {r.status}")
    return ms, body


def summary(ms, body=b""):
    ms = sorted(ms)
    pick = lambda p: ms[min(len(ms) - 1, max(0, -(-p * len(ms) // 100) - 1))]
    text = body.decode(errors="replace")
    return {"n": len(ms), "p50": pick(50), "p95": pick(95), "p99": pick(99), "max": ms[-1], "bytes": len(body),
            "rows": text.count('class="history-row"')}


def timing(base, cookiefile, n, paths):
    op, _ = opener(cookiefile, follow=False)
    res = {}
    for p in paths:
        for _ in range(3):
            get_ms(op, base + p)
        ms, body = [], b""
        for _ in range(int(n)):
            t, body = get_ms(op, base + p)
            ms.append(t)
        res[p] = summary(ms, body)
    print(json.dumps(res))


def browse(base, cookiefile, repo, env, commits_file, n):
    op, _ = opener(cookiefile, follow=False)
    commits = [c.strip() for c in open(commits_file) if c.strip()]
    res = {}
    # the repository page first (clone/fetch on first visit), then every commit's environment page once
    get_ms(op, base + f"/repos/{repo}")
    ms, body = [], b""
    for c in commits:
        t, body = get_ms(op, base + f"/repos/{repo}/at/{c}/env/{env}")
        ms.append(t)
    res["env_new_commit"] = summary(ms, body)
    ms = []
    for c in commits[:3]:
        t, body = get_ms(op, base + f"/repos/{repo}/at/{c}/env/{env}")
    for i in range(int(n)):
        t, body = get_ms(op, base + f"/repos/{repo}/at/{commits[i % len(commits)]}/env/{env}")
        ms.append(t)
    res["env_seen_commit"] = summary(ms, body)
    ms = []
    for _ in range(int(n)):
        t, body = get_ms(op, base + f"/repos/{repo}")
        ms.append(t)
    res["repo_page"] = summary(ms, body)
    ms = []
    for i in range(int(n)):
        t, body = get_ms(op, base + f"/repos/{repo}/at/{commits[i % len(commits)]}")
        ms.append(t)
    res["commit_page"] = summary(ms, body)
    print(json.dumps(res))


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
    elif cmd == "time":
        timing(args[0], args[1], args[2], args[3:])
    elif cmd == "browse":
        browse(*args)
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
