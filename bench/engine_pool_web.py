#!/usr/bin/env python3
"""Describe and no-op deploy through a real dashboard, with and without the warm engine pool (issue 12).

  engine_pool_web.py DLL WEBAPP_DIR RUNS PAUSE POOL_SIZE...

For each pool size (0 = a `batou engine` started per request): a dashboard (Release, Kestrel on 127.0.0.1, its own
data folder) over a git repository of examples/webapp with RUNS+1 commits (each changes only a README, so every
commit is a new describe but the compiled components come from the compile cache). After one warm-up page and
deployment: the `local` environment page at each new commit (GET; prerendering describes it through the engine),
then RUNS deployments of `local` at HEAD (no-ops) through the JSON API, PAUSE seconds apart (people, not a
script: the pool refills). Prints a Markdown table: median/min/max of the page, of the deployment from request to
final status (includes the Hangfire queue poll, up to 1 s), and of the deployment as the dashboard recorded it
(StartedUtc to FinishedUtc: checkout and engine).
"""
import contextlib, datetime as dt, io, json, os, re, shutil, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "fuzz"))
sys.path.insert(0, HERE)
import fuzz_dashboard as fd   # noqa: E402
import web_bench             # noqa: E402


def commits(root, webapp, runs):
    repo = os.path.join(root, "repo")
    shutil.copytree(webapp, repo, ignore=shutil.ignore_patterns("work", ".batou*"))
    fd.git(repo, "init", "-q", "-b", "main")
    shas = []
    for i in range(runs + 1):
        with open(os.path.join(repo, "README.bench"), "w") as f:
            f.write(f"revision {i}\n")
        fd.git(repo, "add", "-A")
        fd.git(repo, "commit", "-q", "-m", f"revision {i}")
        shas.append(subprocess.run(["git", "-C", repo, "rev-parse", "HEAD"], capture_output=True, text=True, check=True).stdout.strip())
    return repo, shas


def parse_utc(text):
    """.NET's round-trip format (up to 7 fraction digits, Z or none) as an aware datetime."""
    m = re.match(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?", text)
    return dt.datetime.fromisoformat(m.group(1) + "." + (m.group(2) or "0")[:6].ljust(6, "0") + "+00:00")


def measure(dll, webapp, runs, pause, size, port):
    root = tempfile.mkdtemp(prefix="batou-bench-pool-")
    dash = None
    try:
        repo, shas = commits(root, webapp, runs)
        dash = fd.Dashboard(dll, repo, os.path.join(root, "data"), port, 110,
                            {"Batou__Engine__PoolSize": str(size), "Batou__Repositories__0__Name": "fuzz"})
        cookies = os.path.join(root, "cookies.txt")
        with contextlib.redirect_stdout(io.StringIO()):   # it prints the session cookie
            web_bench.signin(dash.base, fd.USER, fd.PASSWORD, cookies)
        op, _ = web_bench.opener(cookies)

        def page(sha):
            status, body, took, ok = fd.request(op, f"{dash.base}/repos/fuzz/at/{sha}/env/local", 120)
            if not ok or status != 200 or "batou-error" in body:
                raise SystemExit(f"page at {sha}: {status}")
            return took * 1000

        def deploy():
            start = time.monotonic()
            status, body, _, ok = fd.request(op, f"{dash.base}/api/repos/fuzz/deployments", 120,
                                             json.dumps({"environment": "local", "branch": "main"}).encode(), {"Content-Type": "application/json"})
            if status not in (200, 201):
                raise SystemExit(f"deploy: {status} {body[:300]}")
            dep = json.loads(body)
            while dep["status"] not in fd.FINAL:
                time.sleep(0.05)
                dep = json.loads(fd.request(op, f"{dash.base}/api/deployments/{dep['id']}", 30)[1])
            if dep["status"] != "succeeded":
                raise SystemExit(f"deployment {dep['id']} {dep['status']}")
            engine = (parse_utc(dep["finishedUtc"]) - parse_utc(dep["startedUtc"])).total_seconds() * 1000
            return (time.monotonic() - start) * 1000, engine

        time.sleep(pause)
        page(shas[0])
        deploy()   # warm-up: the first deployment changes files, the timed ones do not
        pages, walls, engines = [], [], []
        for sha in shas[1:]:
            time.sleep(pause)
            pages.append(page(sha))
        for _ in range(runs):
            time.sleep(pause)
            w, e = deploy()
            walls.append(w)
            engines.append(e)
        return pages, walls, engines
    finally:
        if dash: dash.stop()
        shutil.rmtree(root, ignore_errors=True)


def row(what, values):
    return f"| {what} | {statistics.median(values):.0f} ms | {min(values):.0f} ms | {max(values):.0f} ms | {len(values)} |"


def main():
    dll, webapp, runs, pause = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    print("| through the dashboard | median | min | max | runs |")
    print("|---|---:|---:|---:|---:|")
    for i, size in enumerate(int(s) for s in sys.argv[5:]):
        label = "engine per request" if size == 0 else f"pool of {size}"
        pages, walls, engines = measure(dll, webapp, runs, pause, size, 5290 + i)
        print(row(f"environment page at a new commit (describe), {label}", pages), flush=True)
        print(row(f"no-op deployment, request to final status, {label}", walls), flush=True)
        print(row(f"no-op deployment, started to finished, {label}", engines), flush=True)


if __name__ == "__main__":
    main()
