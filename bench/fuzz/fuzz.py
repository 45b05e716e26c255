#!/usr/bin/env python3
"""Config and component fuzz for the batou CLI (issue 12).

Runs ~200 mutated environment.cfg files and ~50 broken components through `batou deploy`
(connect_method = local, in throw-away repositories under /tmp) and counts:

  crash   the runtime's "Unhandled exception", exit code >= 128 (134 abort, 137 kill, 139 segv),
          or "Stack overflow"
  trace   a raw .NET stack trace ("   at ...") or batou's "this is a bug in batou" in the output
  hang    still running after the wall-clock limit (killed with its process group)
  silent  a component that must fail (it throws or exits) ended with exit code 0
  unnamed a component that must fail did, but the output never names it ("Broken", "Component: broken")
  clean   everything else (exit 0 or 1 with batou's own messages)
A crash of a stack overflow, Environment.FailFast or a self-kill is counted as crash-uncatchable.

usage: fuzz.py --batou "dotnet /path/batou.dll" [--seed 12] [--configs 200] [--limit 90] [--json out.json]
"""
import argparse, json, os, random, shutil, signal, subprocess, sys, tempfile, time

APP = """
public enum Mode { Fast, Slow }
public sealed class App : Component
{
    public int Port { get; set; } = 80;
    public long Size { get; set; } = 1;
    public double Ratio { get; set; } = 0.5;
    public float Weight { get; set; } = 1;
    public decimal Price { get; set; } = 1;
    public TimeSpan Wait { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan? Grace { get; set; }
    public bool Enabled { get; set; }
    public Mode Mode { get; set; }
    public List<int> Items { get; set; } = [];
    public Uri Endpoint { get; set; } = new("http://localhost/");
    public string Name { get; set; } = "app";
    protected override void Configure() =>
        Add(new File("app.conf") { Content = $"{Port} {Size} {Ratio} {Weight} {Price} {Wait} {Grace} {Enabled} {Mode} {Items.Count} {Endpoint} {Name}\\n" });
}
"""

BASE = [
    "[environment]", "connect_method = local", "timeout = 30s", "jobs = 2", "platform = linux", "",
    "[hosts]", "localhost = app", "",
    "[host:other]", "components = app", "ignore = true", "data-alias = x", "",
    "[component:app]", "port = 8080", "size = 10", "ratio = 0.25", "weight = 2", "price = 9.5",
    "wait = 5s", "grace = 1m", "enabled = yes", "mode = slow", "items = 1, 2, 3",
    "endpoint = http://example.org/", "name = {{component.port}}",
]

NASTY = [
    "NaN", "nan", "Infinity", "-Infinity", "inf", "1e300", "-1e300", "1e400", "1e-400", "-1", "0", "-0",
    "99999999999999999999", "2147483648", "-2147483649", "9223372036854775808", "0x10", "1_000", "1,5",
    "", " ", "\t", "yes", "maybe", "null", "None", "true", "-00:05:00", "10675199.02:48:05.4775808",
    "99999999d", "3000000h", "1e300s", "-5s", "5x", "s", "ms", "1e308m", "{{", "}}", "{{component.nope}}",
    "{{#each x}}", "{{component.port", "%(port)s", "${PORT}", "$(id)", "`id`", "; rm -rf /", "'", '"',
    "\\", "[", "]", "=", ":", "a = b", "x" * 20000, "ünïcödé ✓", "\u202e", "http://[::1", "http://",
    "1, 2, x", ",,,", "1\n    2\n    x", "\u0000", "local", "ssh", "git-pull", "rsync", "-rf",
]

KEYS_ENV = ["connect_method", "update_method", "timeout", "jobs", "platform", "host_domain", "service_user",
            "require_sudo", "target_directory", "branch", "repository_url", "require_v4", "accept_new_host_keys",
            "unknown_key"]
KEYS_APP = ["port", "size", "ratio", "weight", "price", "wait", "grace", "enabled", "mode", "items",
            "endpoint", "name", "nosuch"]
GARBAGE_LINES = ["[", "[]", "[host:]", "[component:]", "[host:-x]", "[host:a b]", "[hosts]", "[environment]",
                 "[vault]", "[resolver]", "localhost = 1.2.3.4.5", "= value", "key", " indented continuation",
                 "\ufeff[environment]", "[component:app]\nport = 1\n[component:app]\nport = 2", ";comment", "#comment",
                 "localhost = app, app:feature, !app", "!localhost = app", "-evil = app", "localhost = nosuch"]


def mutate(rng):
    lines = list(BASE)
    for _ in range(rng.randint(1, 4)):
        op = rng.random()
        if op < 0.45:  # nasty value for a known key
            section = rng.choice(["environment", "component:app"])
            key = rng.choice(KEYS_ENV if section == "environment" else KEYS_APP)
            if f"[{section}]" not in lines: lines.append(f"[{section}]")
            idx = lines.index(f"[{section}]") + 1
            lines.insert(idx, f"{key} = {rng.choice(NASTY)}")
        elif op < 0.6:
            lines.insert(rng.randrange(len(lines) + 1), rng.choice(GARBAGE_LINES))
        elif op < 0.7 and len(lines) > 2:
            del lines[rng.randrange(len(lines))]
        elif op < 0.8:
            i = rng.randrange(len(lines)); lines.insert(i, lines[i])
        elif op < 0.9:
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines)); lines[i], lines[j] = lines[j], lines[i]
        else:
            lines = lines[: rng.randrange(1, len(lines) + 1)]
    text = "\n".join(lines) + "\n"
    if rng.random() < 0.1: text = text.replace("\n", "\r\n")
    if rng.random() < 0.05: text = text[: rng.randrange(len(text) + 1)]
    return text


def step_bodies(code):
    return {
        "configure": f"protected override void Configure() {{ {code} }}",
        "verify": f"protected override void Verify() {{ {code} }}",
        "update": f"protected override void Verify() => throw new UpdateNeeded(\"go\"); protected override void Update() {{ {code} }}",
    }


def broken_components():
    cases = []
    def add(name, code, steps=("configure", "verify", "update"), cfg="", fails=True):
        for step, body in step_bodies(code).items():
            if step in steps:
                cases.append((f"{name}-{step}", f"public sealed class Broken : Component {{ {body} }}", cfg, fails))
    add("throw", "throw new InvalidOperationException(\"plain\");")
    add("thread-throw", "new Thread(() => throw new InvalidOperationException(\"thread\")).Start(); Thread.Sleep(2000);")
    add("pool-throw", "ThreadPool.QueueUserWorkItem(_ => throw new InvalidOperationException(\"pool\")); Thread.Sleep(2000);")
    add("timer-throw", "var t = new System.Threading.Timer(_ => throw new InvalidOperationException(\"timer\"), null, 10, Timeout.Infinite); Thread.Sleep(2000); GC.KeepAlive(t);")
    add("async-void", "Boom(); Thread.Sleep(2000); } async void Boom() { await Task.Yield(); throw new InvalidOperationException(\"async void\");")
    add("exit0", "System.Environment.Exit(0);")
    add("exit3", "System.Environment.Exit(3);")
    add("thread-exit", "new Thread(() => System.Environment.Exit(0)).Start(); Thread.Sleep(2000);", steps=("configure", "update"))
    add("stack-overflow", "Recurse(0); } static int Recurse(int n) { return Recurse(n + 1) + 1;", steps=("configure", "update"))
    add("failfast", "System.Environment.FailFast(\"component gave up\");", steps=("configure",))
    add("endless-loop", "while (true) { }", steps=("configure",), cfg="timeout = 5s")
    add("sleep-forever", "Thread.Sleep(Timeout.Infinite);", steps=("configure",), cfg="timeout = 5s")
    add("foreground-thread", "new Thread(() => { while (true) Thread.Sleep(100); }).Start();", steps=("configure", "update"), fails=False)
    add("task-unobserved", "Task.Run(() => throw new InvalidOperationException(\"unobserved\")); Thread.Sleep(500); GC.Collect(); GC.WaitForPendingFinalizers();", steps=("configure",), fails=False)
    add("null-message", "throw new BadException();  } sealed class BadException : Exception { public override string Message => null!;", steps=("configure", "update"))
    add("message-throws", "throw new WorseException();  } sealed class WorseException : Exception { public override string Message => throw new InvalidOperationException(\"message\");", steps=("configure", "update"))
    add("add-null", "Add<Component>(null!);", steps=("configure",))
    add("add-self", "Add(this);", steps=("configure",))
    add("require-missing", "Require(\"nothing\");", steps=("configure",))
    add("cmd-timeout", "Cmd(\"sleep 30\");", steps=("update",), cfg="timeout = 3s")
    add("type-init", "_ = Bad.Value; } static class Bad { public static readonly int Value = int.Parse(\"x\");", steps=("configure",))
    add("finalizer-throws", "_ = new Finalized(); GC.Collect(); GC.WaitForPendingFinalizers(); Thread.Sleep(500); } sealed class Finalized { ~Finalized() { throw new InvalidOperationException(\"finalizer\"); }", steps=("configure",), fails=False)
    add("oom", "_ = new byte[int.MaxValue];", steps=("configure",))
    add("console-closed", "Console.Out.Dispose();", steps=("configure",), fails=False)
    add("log-null", "Log(null!);", steps=("configure", "update"), fails=False)
    add("huge-log", "Log(new string('x', 5_000_000));", steps=("configure",), fails=False)
    add("template-error", "Add(new File(\"x\") { Content = \"{{component.nosuch}}\" });", steps=("configure",))
    add("kill-self", "System.Diagnostics.Process.GetCurrentProcess().Kill();", steps=("configure",))
    cases.append(("setter-throws", "public sealed class Broken : Component { public int Port { get => 1; set => throw new InvalidOperationException(\"setter\"); } }", "[component:broken]\nport = 2", True))
    cases.append(("static-ctor", "public sealed class Broken : Component { static Broken() { throw new InvalidOperationException(\"cctor\"); } }", "", True))
    cases.append(("ctor-throws", "public sealed class Broken : Component { public Broken() { throw new InvalidOperationException(\"ctor\"); } }", "", True))
    return cases


# no handler in a .NET process sees these: only a separate engine process can report them
UNCATCHABLE = {"stack", "failfast", "kill"}


def run(batou, repo, limit):
    cmd = batou.split() + ["deploy", "test"]
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=repo, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env={**os.environ, "NO_COLOR": "1"}, start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=limit)
        hung = False
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        hung = True
    try:
        os.killpg(proc.pid, signal.SIGKILL)   # leftovers of the process group (a component's children)
    except ProcessLookupError:
        pass
    return proc.returncode, out.decode("utf-8", "replace"), hung, time.monotonic() - start


def classify(code, out, hung, broken):
    if hung: return "hang"
    if "Unhandled exception" in out or code >= 128 or code < 0 or "Stack overflow" in out: return "crash"
    if "\n   at " in out or "this is a bug in batou" in out: return "trace"
    if broken and code == 0: return "silent"
    return "clean"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--batou", required=True)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--configs", type=int, default=200)
    ap.add_argument("--limit", type=float, default=90)
    ap.add_argument("--json")
    ap.add_argument("--only", choices=["configs", "components"])
    args = ap.parse_args()
    rng = random.Random(args.seed)
    root = tempfile.mkdtemp(prefix="batou-fuzz-")
    results = []
    try:
        if args.only != "components":
            repo = os.path.join(root, "configs")
            os.makedirs(os.path.join(repo, "components", "app")); os.makedirs(os.path.join(repo, "environments", "test"))
            open(os.path.join(repo, "components", "app", "component.cs"), "w").write(APP)
            for i in range(args.configs):
                cfg = mutate(rng)
                open(os.path.join(repo, "environments", "test", "environment.cfg"), "w", encoding="utf-8", errors="surrogatepass").write(cfg)
                code, out, hung, took = run(args.batou, repo, args.limit)
                kind = classify(code, out, hung, False)
                results.append({"set": "config", "case": i, "kind": kind, "code": code, "seconds": round(took, 1),
                                "tail": out[-600:] if kind != "clean" else ""})
                print(f"config {i:3d} {kind:6s} exit={code} {took:5.1f}s", flush=True)
        if args.only != "configs":
            for name, code_text, cfg, fails in broken_components():
                repo = os.path.join(root, name)
                os.makedirs(os.path.join(repo, "components", "broken")); os.makedirs(os.path.join(repo, "environments", "test"))
                open(os.path.join(repo, "components", "broken", "component.cs"), "w").write(code_text)
                extra_env = cfg if cfg and not cfg.startswith("[") else ""
                extra_sections = cfg if cfg.startswith("[") else ""
                open(os.path.join(repo, "environments", "test", "environment.cfg"), "w").write(
                    f"[environment]\nconnect_method = local\n{extra_env}\n\n[hosts]\nlocalhost = broken\n{extra_sections}\n")
                code, out, hung, took = run(args.batou, repo, args.limit)
                kind = classify(code, out, hung, fails)
                named = "Broken" in out or "Component: broken" in out or "localhost:broken" in out
                if kind == "crash" and name.split("-")[0] in UNCATCHABLE: kind = "crash-uncatchable"
                if kind == "clean" and fails and not named: kind = "unnamed"
                results.append({"set": "component", "case": name, "kind": kind, "code": code, "seconds": round(took, 1),
                                "named": named, "tail": out[-600:] if kind != "clean" or not named else ""})
                print(f"component {name:28s} {kind:6s} exit={code} named={named} {took:5.1f}s", flush=True)
                shutil.rmtree(repo, ignore_errors=True)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    summary = {}
    for r in results:
        summary.setdefault(r["set"], {}).setdefault(r["kind"], 0)
        summary[r["set"]][r["kind"]] += 1
    print(json.dumps(summary, indent=1))
    if args.json:
        json.dump({"summary": summary, "results": results}, open(args.json, "w"), indent=1)


if __name__ == "__main__":
    main()
