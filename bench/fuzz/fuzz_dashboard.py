#!/usr/bin/env python3
"""The fuzz corpora of fuzz.py (same seed, same cases) through a real dashboard (issue 12).

Every case is one commit of a git repository the dashboard serves (branch main, linear history).
For each case, with a concurrency of 1:
  1. GET the environment page at that commit (prerendering describes it through `batou engine`),
  2. POST /api/repos/fuzz/deployments for that commit and poll /api/deployments/{id} until it ends,
  3. probe the dashboard: GET /deployments (signed in) and /account/login, each with a 2 s budget,
  4. check that the dashboard process still runs.

Counted: dashboard exits (crash), requests without an answer within --limit (hang), probes that failed
or took longer than --probe-limit (outage), 500 answers, raw stack traces in pages or stored events,
deployments not final at --limit (left), errors that name neither file+line nor host/component (unnamed; "file-only"
when they name the file without a line, as "No host found" for a file without any [hosts] section).

usage: fuzz_dashboard.py --dll <Batou.Web.dll> [--seed 12] [--configs 200] [--limit 60] [--only configs|components]
                         [--port 5190] [--pool 2] [--json out.json] [--browser-tool WebBlazor.dll --browser-sample 20]
"""
import argparse, contextlib, html, io, json, os, re, shutil, signal, subprocess, sys, tempfile, time
import urllib.error, urllib.parse, urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))
import fuzz                      # noqa: E402  the corpora
import web_bench                 # noqa: E402  sign-in helpers

FINAL = {"succeeded", "failed", "cancelled", "interrupted", "rejected", "expired"}
# a .NET stack frame ("   at Namespace.Type.Method(") or the runtime's own words
TRACE = re.compile(r"(^|\n)\s+at [A-Za-z_][\w.`<>]*\.[\w<>`]+\(|--- End of stack trace|Unhandled exception\.")
USER, PASSWORD = "admin", "bench-password"   # what bench/WebBlazor signs in with


def git(repo, *args):
    subprocess.run(["git", "-C", repo, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def build_repository(root, args):
    """One commit per case; returns [(set, case, fails, sha)]."""
    import random
    repo = os.path.join(root, "repo")
    os.makedirs(repo)
    git(repo, "init", "-q", "-b", "main")
    cases = []

    def commit(kind, name, fails, files):
        for d in ("components", "environments"):
            shutil.rmtree(os.path.join(repo, d), ignore_errors=True)
        for path, text in files.items():
            full = os.path.join(repo, path)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "w", encoding="utf-8", errors="surrogatepass", newline="") as f:
                f.write(text)
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "--allow-empty", "-m", f"{kind} {name}")
        sha = subprocess.run(["git", "-C", repo, "rev-parse", "HEAD"], check=True, capture_output=True, text=True).stdout.strip()
        cases.append({"set": kind, "case": name, "fails": fails, "sha": sha})

    rng = random.Random(args.seed)
    if args.only != "components":
        for i in range(args.configs):
            commit("config", i, False, {"components/app/component.cs": fuzz.APP, "environments/test/environment.cfg": fuzz.mutate(rng)})
    if args.only != "configs":
        for name, code_text, cfg, fails in fuzz.broken_components():
            extra_env = cfg if cfg and not cfg.startswith("[") else ""
            extra_sections = cfg if cfg.startswith("[") else ""
            commit("component", name, fails, {
                "components/broken/component.cs": code_text,
                "environments/test/environment.cfg": f"[environment]\nconnect_method = local\n{extra_env}\n\n[hosts]\nlocalhost = broken\n{extra_sections}\n"})
    return repo, cases


def span(seconds):
    """A TimeSpan setting (hh:mm:ss)."""
    s = int(seconds)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


class Dashboard:
    def __init__(self, dll, repo, data, port, limit, extra=None):
        self.log_path = os.path.join(data, "..", "dashboard.log")
        os.makedirs(data, exist_ok=True)
        env = {**os.environ, "ASPNETCORE_ENVIRONMENT": "Production", "DOTNET_NOLOGO": "1", "NO_COLOR": "1",
               "Batou__DataDirectory": data, "Batou__Repositories__0__Name": "fuzz", "Batou__Repositories__0__Url": repo,
               "Batou__FetchIntervalMinutes": "600",
               # short limits: a hang shows as a timeout error of that case, not as a stuck fuzz run
               "Batou__Engine__DescribeLimit": span(limit / 2), "Batou__Engine__ConfigureLimit": span(limit / 2),
               "Batou__Engine__RunLimit": span(limit - 5), "Batou__Engine__CancelGrace": span(5), **(extra or {})}
        self.base = f"http://127.0.0.1:{port}"
        self.proc = subprocess.Popen(["dotnet", dll, "--urls", self.base], stdout=open(self.log_path, "a"), stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, env=env, start_new_session=True)
        until = time.monotonic() + 180
        while time.monotonic() < until:
            if self.proc.poll() is not None:
                raise SystemExit("the dashboard did not start:\n" + open(self.log_path).read()[-3000:])
            try:
                urllib.request.urlopen(self.base + "/setup", timeout=5).read()
                return
            except (urllib.error.URLError, OSError):
                time.sleep(0.3)
        raise SystemExit("the dashboard did not answer within 180 s")

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        return self.proc.returncode


def request(op, url, limit, data=None, headers=None):
    """(status, body, seconds, answered)."""
    start = time.monotonic()
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with op.open(req, timeout=limit) as r:
            return r.status, r.read().decode("utf-8", "replace"), time.monotonic() - start, True
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace"), time.monotonic() - start, True
    except (urllib.error.URLError, OSError, TimeoutError):
        return None, "", time.monotonic() - start, False


def page_errors(body):
    return [html.unescape(m) for m in re.findall(r'<pre class="batou-error">(.*?)</pre>', body, re.S)]


def named(error, case):
    """Does a stored error name where (file+line) or what (host/component)? "file": only the file (no line)."""
    if error.get("file") and error.get("line"): return True
    if error.get("component") or error.get("host"): return True
    if case["set"] == "component" and "broken" in error.get("message", "").lower(): return True
    return "file" if error.get("file") else False


def text_named(text, case):
    if re.search(r"environment\.cfg:\d+", text) or re.search(r"\.cs:\d+", text): return True
    if ("broken" in text.lower()) if case["set"] == "component" else ("app" in text): return True
    return "file" if "environment.cfg" in text else False


def run_case(dash, op, case, args, out):
    r = {"set": case["set"], "case": case["case"], "sha": case["sha"][:10], "problems": []}
    url = f"{dash.base}/repos/fuzz/at/{case['sha']}/env/test"
    status, body, took, answered = request(op, url, args.limit)
    r["page"] = {"status": status, "seconds": round(took, 2)}
    if not answered: r["problems"].append("hang:page")
    elif status >= 500: r["problems"].append("500:page")
    if TRACE.search(body): r["problems"].append("trace:page")
    errors = page_errors(body)
    r["page"]["errors"] = len(errors)
    if any(text_named(e, case) is not True for e in errors):
        # a whole-file condition (no [hosts] section at all) names the file; there is no line to name
        r["problems"].append("unnamed:page" if any(text_named(e, case) is False for e in errors) else "file-only:page")
        r["unnamed_page"] = [e[:300] for e in errors if text_named(e, case) is not True]
    if case["set"] == "component" and case["fails"] and answered and status == 200 and not errors and "stack" not in case["case"]:
        pass  # a component failing in Verify/Update describes fine; the deployment must fail

    payload = json.dumps({"environment": "test", "commit": case["sha"]}).encode()
    status, body, took, answered = request(op, f"{dash.base}/api/repos/fuzz/deployments", args.limit, payload, {"Content-Type": "application/json"})
    r["deploy"] = {"status": status, "seconds": round(took, 2)}
    if not answered: r["problems"].append("hang:deploy-request")
    elif status >= 500: r["problems"].append("500:deploy-request")
    dep = json.loads(body) if answered and status in (200, 201) else None
    if dep:
        until = time.monotonic() + args.limit
        state = dep["status"]
        while state not in FINAL and time.monotonic() < until:
            time.sleep(0.3)
            s, b, _, ok = request(op, f"{dash.base}/api/deployments/{dep['id']}", 10)
            if ok and s == 200: state = json.loads(b)["status"]
            elif ok and s >= 500: r["problems"].append("500:poll")
        r["deploy"].update(id=dep["id"], final=state, seconds=round(time.monotonic() - until + args.limit, 1))
        if state not in FINAL: r["problems"].append("left:deployment")
        s, b, _, ok = request(op, f"{dash.base}/api/deployments/{dep['id']}/events?limit=10000", 30)
        if ok and s == 200:
            events = json.loads(b)
            errs = [e["event"]["error"] for e in events if e["type"] == "ErrorRaised"]
            r["deploy"]["errors"] = [f"{e.get('kind')}: {e.get('message', '')[:160]}" for e in errs][:4]
            if any(TRACE.search(json.dumps(e["event"])) for e in events): r["problems"].append("trace:events")
            unnamed = [e for e in errs if named(e, case) is not True]
            if unnamed:
                r["problems"].append("unnamed:events" if any(named(e, case) is False for e in unnamed) else "file-only:events")
                r["unnamed_events"] = [f"{e.get('kind')}: {e.get('message', '')[:200]}" for e in unnamed][:3]
            if case["set"] == "component" and case["fails"] and state == "succeeded": r["problems"].append("silent:deployment")
        elif ok and s >= 500: r["problems"].append("500:events")

    r["probes"] = []
    for path in ("/deployments", "/account/login"):
        s, _, took, ok = request(op, dash.base + path, args.probe_limit)
        r["probes"].append(round(took, 2))
        if not ok or s != 200 or took > args.probe_limit: r["problems"].append(f"outage:{path}")
    if not dash.alive(): r["problems"].append("crash:dashboard")
    return r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dll", required=True)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--configs", type=int, default=200)
    ap.add_argument("--limit", type=float, default=60)
    ap.add_argument("--probe-limit", type=float, default=2)
    ap.add_argument("--port", type=int, default=5190)
    ap.add_argument("--only", choices=["configs", "components"])
    ap.add_argument("--json")
    ap.add_argument("--browser-tool", help="bench/WebBlazor's WebBlazor.dll: opens a sample of the environment pages in Chromium")
    ap.add_argument("--browser-sample", type=int, default=20)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--pool", type=int, default=0, help="Batou:Engine:PoolSize of the dashboard")
    args = ap.parse_args()
    root = tempfile.mkdtemp(prefix="batou-fuzz-web-")
    started = time.time()
    load = open("/proc/loadavg").read().split()[:3]
    results, browser = [], None
    dash = None
    try:
        repo, cases = build_repository(root, args)
        print(f"{len(cases)} cases in {repo}", flush=True)
        dash = Dashboard(args.dll, repo, os.path.join(root, "data"), args.port, args.limit, {"Batou__Engine__PoolSize": str(args.pool)})
        with contextlib.redirect_stdout(io.StringIO()):   # it prints the session cookie
            web_bench.signin(dash.base, USER, PASSWORD, os.path.join(root, "cookies.txt"))
        op, _ = web_bench.opener(os.path.join(root, "cookies.txt"))
        restarts = 0
        for case in cases:
            r = run_case(dash, op, case, args, root)
            results.append(r)
            print(f"{r['set']:9s} {str(r['case']):28s} page={r['page']['status']}/{r['page']['seconds']}s "
                  f"deploy={r['deploy'].get('final')}/{r['deploy'].get('seconds')}s probes={r['probes']} {' '.join(r['problems'])}", flush=True)
            if not dash.alive():
                restarts += 1
                dash = Dashboard(args.dll, repo, os.path.join(root, "data"), args.port, args.limit, {"Batou__Engine__PoolSize": str(args.pool)})
        if args.browser_tool:
            step = max(1, len(cases) // max(1, args.browser_sample))
            urls = [f"{dash.base}/repos/fuzz/at/{c['sha']}/env/test" for c in cases[::step]]
            out = subprocess.run(["dotnet", args.browser_tool, "fuzz", dash.base, *urls], capture_output=True, text=True, timeout=1800)
            browser = {"urls": len(urls), "output": out.stdout[-6000:], "exit": out.returncode}
            print(out.stdout[-3000:], out.stderr[-2000:], flush=True)
        log_text = open(dash.log_path, errors="replace").read()
        exit_code = dash.stop()
        engine = os.path.join(os.path.dirname(os.path.abspath(args.dll)), "engine", "batou")
        time.sleep(1)
        orphans = [p for p in os.listdir("/proc") if p.isdigit() and _exe(p) == engine]
    finally:
        if dash: dash.stop()
        if not args.keep: shutil.rmtree(root, ignore_errors=True)
    summary = {"cases": len(results), "seconds": round(time.time() - started), "load_start": load,
               "load_end": open("/proc/loadavg").read().split()[:3], "restarts": restarts, "exit_code": exit_code,
               "orphans_after_stop": len(orphans), "log_traces": len(TRACE.findall(log_text)),
               "log_fail_lines": log_text.count("fail: ")}
    for r in results:
        for p in r["problems"]:
            kind = p.split(":")[0]
            summary.setdefault(r["set"], {}).setdefault(kind, 0)
            summary[r["set"]][kind] += 1
    for s in ("config", "component"):
        sets = [r for r in results if r["set"] == s]
        if not sets: continue
        summary.setdefault(s, {})["clean"] = sum(1 for r in sets if not r["problems"])
        summary[s]["final"] = {k: sum(1 for r in sets if r["deploy"].get("final") == k) for k in sorted(FINAL)}
        pages = sorted(r["page"]["seconds"] for r in sets)
        summary[s]["page_seconds_p50_max"] = [pages[len(pages) // 2], pages[-1]]
        probes = sorted(p for r in sets for p in r["probes"])
        summary[s]["probe_seconds_p50_p99_max"] = [probes[len(probes) // 2], probes[int(len(probes) * 0.99)], probes[-1]]
    print(json.dumps(summary, indent=1))
    if args.json:
        json.dump({"summary": summary, "browser": browser, "results": results}, open(args.json, "w"), indent=1)


def _exe(pid):
    try:
        return os.readlink(f"/proc/{pid}/exe")
    except OSError:
        return None


if __name__ == "__main__":
    main()
