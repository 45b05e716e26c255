#!/usr/bin/env python3
"""Helpers of bench/compare-run.sh (standard library only).

  compare_repo.py repo DIR EXAMPLE COMMITS FILES   a git repository (git fast-import) of the webapp EXAMPLE, then COMMITS
                                                   commits that add FILES files between them (small text, one a large
                                                   text of 300 kB, one binary) and change a setting: prints base and tip
  compare_repo.py seed DB BASE TIP                 two finished deployments of "local" at BASE and TIP; prints their ids
"""
import os
import sqlite3
import subprocess
import sys


def repo(target, example, commits, files):
    commits, files = int(commits), int(files)
    subprocess.run(["git", "init", "-q", "-b", "main", target], check=True)
    out = []
    mark = 0

    def blob(data):
        nonlocal mark
        mark += 1
        out.append(b"blob\nmark :%d\ndata %d\n" % (mark, len(data)) + data + b"\n")
        return mark

    def commit(message, changes, n):
        msg = message.encode()
        head = b"commit refs/heads/main\ncommitter bench <bench@example.invalid> %d +0000\ndata %d\n%s\n" % (1700000000 + n * 60, len(msg), msg)
        body = b"".join(b"M 100644 :%d %s\n" % (m, p.encode()) for p, m in changes)
        out.append(head + body + b"\n")

    base = []
    for root, _, names in os.walk(example):
        # relative to the example: its absolute path may itself contain "/work" (it does in /work/main)
        parts = os.path.relpath(root, example).split(os.sep)
        if parts[0] == "work" or ".batou" in parts:
            continue
        for name in names:
            path = os.path.join(root, name)
            rel = os.path.relpath(path, example)
            data = open(path, "rb").read()
            if rel == "environments/local/environment.cfg":
                data = data.replace(b"workers = 4", b"workers = 4")
            base.append((rel, blob(data)))
    commit("the webapp example", base, 0)
    per = max(1, files // commits)
    made = 0
    for i in range(1, commits + 1):
        changes = []
        for _ in range(per if i < commits else files - made):
            made += 1
            if made == 1:
                data = b"".join(b"line %06d of a large text file that is cut on the page\n" % k for k in range(5000))
                changes.append(("assets/large.txt", blob(data)))
            elif made == 2:
                changes.append(("assets/logo.bin", blob(bytes(range(256)) * 8)))
            else:
                changes.append((f"data/{made // 100:03d}/file-{made:05d}.txt", blob(b"content %d\nsecond line\n" % made)))
        if i == commits:
            cfg = open(os.path.join(example, "environments/local/environment.cfg"), "rb").read().replace(b"workers = 4", b"workers = 6")
            changes.append(("environments/local/environment.cfg", blob(cfg)))
        commit(f"change {i}: {len(changes)} file(s)", changes, i)
    subprocess.run(["git", "-C", target, "fast-import", "--quiet"], input=b"".join(out), check=True)
    subprocess.run(["git", "-C", target, "checkout", "-q", "-f", "main"], check=True)
    revs = subprocess.run(["git", "-C", target, "rev-list", "--reverse", "main"], check=True, capture_output=True, text=True).stdout.split()
    print(revs[0], revs[-1])


def seed(db, base, tip):
    con = sqlite3.connect(db, timeout=60)
    rid = con.execute("SELECT Id FROM repositories ORDER BY Id LIMIT 1").fetchone()[0]
    ids = []
    with con:
        for n, commit in enumerate([base, tip]):
            t = f"2026-11-30 10:0{n}:00.000000"
            cur = con.execute('INSERT INTO deployments (RepositoryId, Environment, "Commit", Branch, CommitMessage, Mode, Jobs, Status, '
                              'RequestedBy, RequestedUtc, StartedUtc, FinishedUtc, EventCount, ErrorCount, ChangedCount, CancelledBy) '
                              'VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)',
                              (rid, "local", commit, "main", "bench", "deploy", None, "succeeded", "admin", t, t, t, 0, 0, 0, None))
            ids.append(cur.lastrowid)
    print(*ids)


if __name__ == "__main__":
    {"repo": lambda a: repo(*a), "seed": lambda a: seed(*a)}[sys.argv[1]](sys.argv[2:])
