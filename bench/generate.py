#!/usr/bin/env python3
"""Generates the benchmark repositories for bench/run.sh (never committed).

usage: generate.py DEST [ANSIBLE_ITEMS]

DEST/files       Benchmark A: one host, 10 root components x 100 File = 1,000 files
DEST/model       Benchmark B: 1,000 roots x 5 sub-components, 500 providers + 500 requirers
DEST/ansible     Benchmark C: the same files as an Ansible playbook (copy / template); the first
                 ANSIBLE_ITEMS (default 1,000) of the 1,000 files, as Ansible needs ~0.5 s per item
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


def content(root, i):
    # Small, distinct contents; identical bytes in the batou and the Ansible variant.
    return f"root {root} file {i}\n"


def files_repo(dest):
    """10 component directories, each one root class with 100 literal Add(new File(...)) calls."""
    names = []
    for r in range(ROOTS_A):
        name = f"Files{r:02d}"
        names.append(name.lower())
        lines = [
            f"public sealed class {name} : Component",
            "{",
            "    protected override void Configure()",
            "    {",
        ]
        for i in range(FILES_PER_ROOT):
            text = content(r, i).replace("\n", "\\n")
            lines.append(f'        Add(new File("f{i:03d}.txt") {{ Content = "{text}" }});')
        lines += ["    }", "}", ""]
        write(os.path.join(dest, "components", name.lower(), "component.cs"), "\n".join(lines))
    write(os.path.join(dest, "environments", "local", "environment.cfg"),
          "[environment]\nconnect_method = local\n\n[hosts]\nlocalhost = " + ", ".join(names) + "\n")


def model_repo(dest):
    """1,000 roots (one class each, sharing a base class) with 5 sub-components each.

    Pair p (p = 0..499) is root R{2p} that requires "res{p}" (RequireOne<string>) and root R{2p+1}
    that provides it. The requirer comes first in the environment, so on the first round all 500
    requirers fail silently (unsatisfied) and are configured again in a second round: the
    convergence loop batou itself would run. 1,000 resource relations (500 Provide + 500 Require),
    1,000 + 5,000 = 6,000 components in the model.
    """
    base = f"""using System.Collections.Generic;

/// A plain sub-component with two settings; configuring it is cheap on purpose.
public sealed class Part : Component
{{
    public string Label {{ get; set; }} = "";
    public int Number {{ get; set; }}
    public string? Seen {{ get; private set; }}

    protected override void Configure()
    {{
        Seen = Label + ":" + Number;
    }}
}}

public abstract class BenchRoot : Component
{{
    public string Greeting {{ get; set; }} = "hello";
    public string? Peer {{ get; private set; }}

    protected override void Configure()
    {{
        var n = int.Parse(GetType().Name.AsSpan(1));
        var pair = n / 2;
        if (n % 2 == 1)
            Provide("res" + pair, "value-" + pair);
        else
            Peer = RequireOne<string>("res" + pair);
        for (var i = 0; i < {PARTS_PER_ROOT}; i++)
            Add(new Part {{ Label = Greeting, Number = n * 10 + i }});
    }}
}}
"""
    write(os.path.join(dest, "components", "base", "component.cs"), base)
    # 10 component directories with 100 root classes each (like 10 teams' folders).
    names = []
    for d in range(ROOTS_B // 100):
        lines = []
        for k in range(100):
            n = d * 100 + k
            lines.append(f"public sealed class R{n:04d} : BenchRoot {{ }}")
            names.append(f"r{n:04d}")
        write(os.path.join(dest, "components", f"group{d:02d}", "component.cs"), "\n".join(lines) + "\n")
    hosts = ",\n    ".join(", ".join(names[i:i + 10]) for i in range(0, len(names), 10))
    write(os.path.join(dest, "environments", "local", "environment.cfg"),
          "[environment]\nconnect_method = local\n\n[hosts]\nlocalhost =\n    " + hosts + "\n")


def ansible(dest, items):
    target = os.path.join(dest, "out")
    dirs = (items + FILES_PER_ROOT - 1) // FILES_PER_ROOT
    common = f"""- hosts: localhost
  gather_facts: false
  vars:
    target: {target}
  tasks:
    - name: directories
      ansible.builtin.file:
        path: "{{{{ target }}}}/files{{{{ '%02d' % item }}}}"
        state: directory
      loop: "{{{{ range(0, {dirs}) | list }}}}"
"""
    item_dest = "{{ target }}/files{{ '%02d' % (item // " + str(FILES_PER_ROOT) + ") }}/f{{ '%03d' % (item % " + str(FILES_PER_ROOT) + ") }}.txt"
    total = items
    copy = common + f"""    - name: {total} files (copy, content)
      ansible.builtin.copy:
        dest: "{item_dest}"
        content: "root {{{{ item // {FILES_PER_ROOT} }}}} file {{{{ item % {FILES_PER_ROOT} }}}}\\n"
      loop: "{{{{ range(0, {total}) | list }}}}"
"""
    template = common + f"""    - name: {total} files (template)
      ansible.builtin.template:
        src: file.j2
        dest: "{item_dest}"
      loop: "{{{{ range(0, {total}) | list }}}}"
"""
    write(os.path.join(dest, "copy.yml"), copy)
    write(os.path.join(dest, "template.yml"), template.replace("target: " + target, "target: " + target + "-template"))
    write(os.path.join(dest, "file.j2"), "root {{ item // %d }} file {{ item %% %d }}\n" % (FILES_PER_ROOT, FILES_PER_ROOT))
    write(os.path.join(dest, "ansible.cfg"), "[defaults]\nhost_key_checking = False\nretry_files_enabled = False\nstdout_callback = default\n"
          "interpreter_python = auto_silent\n")


def main():
    dest = sys.argv[1]
    files_repo(os.path.join(dest, "files"))
    model_repo(os.path.join(dest, "model"))
    items = int(sys.argv[2]) if len(sys.argv) > 2 else ROOTS_A * FILES_PER_ROOT
    ansible(os.path.join(dest, "ansible"), items)


if __name__ == "__main__":
    main()
