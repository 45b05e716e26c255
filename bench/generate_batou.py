#!/usr/bin/env python3
"""The cases of bench/compare.sh for real batou (2.x, Python), the same as generate.py writes for ours.

usage: generate_batou.py DEST

DEST/files   10 root components files00..files09 with 100 File each (work/filesRR/fNNN.txt, "root R file N\\n")
DEST/model   1,000 roots R0000..R0999 with 5 Part each; pair p: R{2p} requires "res{p}" (require_one),
             R{2p+1} provides it, the requirer first (two configure rounds, as in generate.py)

Only used when a `batou` command is on PATH (bench/install-batou.sh builds one from source: no PyPI here).
Each repository carries batou 2.7's `.batou.json` migration marker, as `batou migrate` writes it in a new
project; without it batou refuses to deploy.
"""
import os
import sys

ROOTS_A = 10
FILES_PER_ROOT = 100
ROOTS_B = 1000
PARTS_PER_ROOT = 5


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def files_repo(dest):
    names = []
    for r in range(ROOTS_A):
        name = f"Files{r:02d}"
        names.append(name.lower())
        lines = ["from batou.component import Component", "from batou.lib.file import File", "", "",
                 f"class {name}(Component):", "", "    def configure(self):"]
        for i in range(FILES_PER_ROOT):
            lines.append(f'        self += File("f{i:03d}.txt", content="root {r} file {i}\\n")')
        write(os.path.join(dest, "components", name.lower(), "component.py"), "\n".join(lines) + "\n")
    write(os.path.join(dest, "environments", "local", "environment.cfg"),
          "[environment]\nconnect_method = local\n\n[hosts]\nlocalhost = " + ", ".join(names) + "\n")


def model_repo(dest):
    # one module: batou registers every Component subclass of a component.py by its lower-case name
    lines = [
        "from batou.component import Component", "", "",
        "class Part(Component):", "", "    label = ''", "    number = 0", "",
        "    def configure(self):", "        self.seen = '%s:%s' % (self.label, self.number)", "", "",
        "class BenchRoot(Component):", "", "    greeting = 'hello'", "",
        "    def configure(self):",
        "        n = int(self.__class__.__name__[1:])",
        "        pair = n // 2",
        "        if n % 2:",
        "            self.provide('res%d' % pair, 'value-%d' % pair)",
        "        else:",
        "            self.peer = self.require_one('res%d' % pair)",
        f"        for i in range({PARTS_PER_ROOT}):",
        "            self += Part(label=self.greeting, number=n * 10 + i)", "", "",
    ]
    names = []
    for n in range(ROOTS_B):
        lines.append(f"class R{n:04d}(BenchRoot):\n    pass\n\n")
        names.append(f"r{n:04d}")
    write(os.path.join(dest, "components", "bench", "component.py"), "\n".join(lines))
    hosts = ",\n    ".join(", ".join(names[i:i + 10]) for i in range(0, len(names), 10))
    write(os.path.join(dest, "environments", "local", "environment.cfg"),
          "[environment]\nconnect_method = local\n\n[hosts]\nlocalhost =\n    " + hosts + "\n")


MIGRATED = '{"migration": {"version": 2400}}\n'


def main():
    dest = sys.argv[1]
    files_repo(os.path.join(dest, "files"))
    model_repo(os.path.join(dest, "model"))
    for repo in ("files", "model"):
        write(os.path.join(dest, repo, ".batou.json"), MIGRATED)


if __name__ == "__main__":
    main()
