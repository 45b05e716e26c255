#!/usr/bin/env python3
"""Generates the SSH benchmark repositories for bench/ssh-run.sh (never committed).

usage: generate_ssh.py DEST SSH_STATE_DIR HOST [HOST...]

DEST/batou      a deployment repository: environment "ssh" (connect_method = ssh,
                target_directory = ~/bench-ssh), every HOST gets the 5 root components
                sshfiles0 .. sshfiles<ROOTS-1> with FILES_PER_ROOT File each (defaults 5 × 50 = 250 files per host; BENCH_SSH_ROOTS, BENCH_SSH_FILES_PER_ROOT); ssh_config (copied
                from SSH_STATE_DIR/ssh_config) in the repository root
DEST/ansible    the same files with Ansible: inventory.ini (same users, port, key, known_hosts,
                host key checking on), ansible.cfg (forks = 4, pipelining, ssh masters in
                DEST/ansible/cp so bench/ssh-run.sh can close them between runs), copy.yml (one copy task with
                content: and a loop over the 250 items per host)

The file contents name the host, so every host gets different bytes; batou and Ansible write the
same bytes to the same paths (~/bench-ssh/work/sshfilesR/fNNN.txt).
"""
import os
import re
import shutil
import sys

ROOTS = int(os.environ.get("BENCH_SSH_ROOTS", "5"))
FILES_PER_ROOT = int(os.environ.get("BENCH_SSH_FILES_PER_ROOT", "50"))
FORKS = int(os.environ.get("BENCH_SSH_JOBS", "4"))
TARGET = "bench-ssh"  # relative to the host user's home


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def batou_repo(dest, state, hosts):
    names = []
    for r in range(ROOTS):
        name = f"SshFiles{r}"
        names.append(name.lower())
        lines = [
            f"public sealed class {name} : Component",
            "{",
            "    protected override void Configure()",
            "    {",
        ]
        for i in range(FILES_PER_ROOT):
            lines.append(f'        Add(new File("f{i:03d}.txt") {{ Content = $"host {{Host.Name}} root {r} file {i}\\n" }});')
        lines += ["    }", "}", ""]
        write(os.path.join(dest, "components", name.lower(), "component.cs"), "\n".join(lines))
    host_lines = "".join(f"{h} = {', '.join(names)}\n" for h in hosts)
    write(os.path.join(dest, "environments", "ssh", "environment.cfg"),
          f"[environment]\nconnect_method = ssh\ntarget_directory = ~/{TARGET}\n\n[hosts]\n{host_lines}")
    shutil.copyfile(os.path.join(state, "ssh_config"), os.path.join(dest, "ssh_config"))


def ansible_repo(dest, state, hosts):
    config = open(os.path.join(state, "ssh_config")).read()
    port = re.search(r"^\s*Port (\d+)", config, re.M).group(1)
    key = os.path.join(state, "client_ed25519")
    known = os.path.join(state, "known_hosts")
    inventory = ["[bench]"]
    for h in hosts:
        inventory.append(f"{h} ansible_host=127.0.0.1 ansible_port={port} ansible_user=batou-{h} ansible_ssh_private_key_file={key}")
    inventory += ["", "[bench:vars]",
                  f"ansible_ssh_common_args='-o UserKnownHostsFile={known} -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes'",
                  "ansible_python_interpreter=/usr/bin/python3", ""]
    write(os.path.join(dest, "inventory.ini"), "\n".join(inventory))
    total = ROOTS * FILES_PER_ROOT
    # ~ is expanded by the copy module on the host; no fact gathering (batou does not gather either).
    item_dest = "~/" + TARGET + "/work/sshfiles{{ item // " + str(FILES_PER_ROOT) + " }}/f{{ '%03d' % (item % " + str(FILES_PER_ROOT) + ") }}.txt"
    playbook = f"""- hosts: bench
  gather_facts: false
  tasks:
    - name: directories
      ansible.builtin.file:
        path: "~/{TARGET}/work/sshfiles{{{{ item }}}}"
        state: directory
      loop: "{{{{ range(0, {ROOTS}) | list }}}}"
    - name: {total} files per host (copy, content)
      ansible.builtin.copy:
        dest: "{item_dest}"
        content: "host {{{{ inventory_hostname }}}} root {{{{ item // {FILES_PER_ROOT} }}}} file {{{{ item % {FILES_PER_ROOT} }}}}\\n"
      loop: "{{{{ range(0, {total}) | list }}}}"
"""
    write(os.path.join(dest, "copy.yml"), playbook)
    write(os.path.join(dest, "ansible.cfg"),
          f"[defaults]\ninventory = inventory.ini\nforks = {FORKS}\n"
          "host_key_checking = True\nretry_files_enabled = False\n"
          "stdout_callback = default\ninterpreter_python = auto_silent\n\n"
          "[ssh_connection]\npipelining = True\nssh_args = -o ControlMaster=auto -o ControlPersist=60s\n"
          f"control_path_dir = {os.path.join(os.path.abspath(dest), 'cp')}\n")


def main():
    dest, state, hosts = sys.argv[1], sys.argv[2], sys.argv[3:]
    if not hosts:
        sys.exit(__doc__)
    batou_repo(os.path.join(dest, "batou"), state, hosts)
    ansible_repo(os.path.join(dest, "ansible"), state, hosts)


if __name__ == "__main__":
    main()
