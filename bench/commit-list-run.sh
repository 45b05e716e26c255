#!/usr/bin/env bash
# The repository page's commit list: LibGit2Sharp strategies (before: a Repository opened per call and a
# Topological|Time walk; after: a kept handle, a time-sorted walk, lists cached by tip) against `git log`, in
# interleaved rounds, on this repository (examples/webapp) and on a generated history of BENCH_LIST_COMMITS (10,000)
# commits of which every 10th touches the deployment repository. Writes bench/results/<date>-NAME.md (NAME: commit-list).
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:-commit-list}
rounds=${BENCH_LIST_ROUNDS:-40}
commits=${BENCH_LIST_COMMITS:-10000}
out="bench/results/$(date -u +%F)-$name.md"
work=$(mktemp -d /tmp/batou-commit-list.XXXXXX)
trap 'rm -rf "$work"' EXIT
dotnet build bench/CommitList -nologo -v:q -c Release -o "$work/bin" >/dev/null
git clone -q --bare . "$work/self.git"
python3 - "$work/big" "$commits" <<'PY'
import subprocess, sys
target, n = sys.argv[1], int(sys.argv[2])
subprocess.run(["git", "init", "-q", "-b", "main", target], check=True)
out = []
for i in range(1, n + 1):
    path = b"deploy/environments/prod/environment.cfg" if i % 10 == 0 else b"app/src/file%d.txt" % (i % 200)
    data = b"change %d\n" % i
    msg = b"commit %d" % i
    out.append(b"commit refs/heads/main\ncommitter bench <bench@example.invalid> %d +0000\ndata %d\n%s\n" % (1700000000 + i * 60, len(msg), msg))
    out.append(b"M 100644 inline %s\ndata %d\n%s\n" % (path, len(data), data))
subprocess.run(["git", "-C", target, "fast-import", "--quiet"], input=b"".join(out), check=True)
PY
{
  echo "# The commit list of a repository page: LibGit2Sharp against the git CLI"
  echo
  echo "- date: $(date -u '+%F %T UTC'), revision $(git rev-parse --short HEAD)"
  echo "- machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg) at the start (shared with other engineers' builds and tests)"
  echo "- dotnet $(dotnet --version), $(git --version); command: \`BENCH_LIST_ROUNDS=$rounds BENCH_LIST_COMMITS=$commits bench/commit-list-run.sh $name\`"
  echo "- every strategy lists the same 25 commits (checked before timing); one call = what the page asks for (25 commits touching the sub-directory, with author, time and subject)"
  echo
} > "$out"
dotnet "$work/bin/CommitListBench.dll" "$work/self.git" HEAD examples/webapp "$rounds" "this repository" "$out"
dotnet "$work/bin/CommitListBench.dll" "$work/big" main deploy "$rounds" "generated history" "$out"
echo "- load at the end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$out"
echo "written: $out"
