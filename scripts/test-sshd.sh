#!/usr/bin/env bash
# Starts (or restarts) a private sshd on 127.0.0.1 for the remote-deployment tests: one local
# user per simulated host (batou-host1..3), key-only login, host keys generated per run.
# Writes $STATE/ssh_config mapping host1..host3 to those users, and $STATE/env with
# BATOU_TEST_SSH_DIR for the tests. Idempotent; needs root (it creates users).
# BATOU_TEST_HOSTS="host1 host2 host3 host4" changes the simulated hosts (default: host1 host2 host3;
# each HOST gets the user batou-HOST); bench/ssh-run.sh uses it with its own BATOU_TEST_SSH_DIR.
set -euo pipefail
STATE="${BATOU_TEST_SSH_DIR:-$(cd "$(dirname "$0")/.." && pwd)/.test-sshd}"
read -r -a HOSTS <<<"${BATOU_TEST_HOSTS:-host1 host2 host3}"

mkdir -p "$STATE" /run/sshd
chmod 700 "$STATE"
if [ -f "$STATE/sshd.pid" ] && kill -0 "$(cat "$STATE/sshd.pid")" 2>/dev/null; then
  kill "$(cat "$STATE/sshd.pid")" || true
  sleep 0.2
fi
rm -f "$STATE"/host_ed25519* "$STATE/known_hosts"
ssh-keygen -q -t ed25519 -N '' -f "$STATE/host_ed25519" -C batou-test-host
[ -f "$STATE/client_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -f "$STATE/client_ed25519" -C batou-test-client

users=()
for h in "${HOSTS[@]}"; do
  user="batou-$h"
  users+=("$user")
  id "$user" >/dev/null 2>&1 || useradd -m -s /bin/bash "$user"
  usermod -p '*' "$user"            # unlocked, but no password: key-only
  home=$(getent passwd "$user" | cut -d: -f6)
  install -d -m 700 -o "$user" -g "$user" "$home/.ssh"
  install -m 600 -o "$user" -g "$user" "$STATE/client_ed25519.pub" "$home/.ssh/authorized_keys"
done

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
cat > "$STATE/sshd_config" <<CFG
Port $port
ListenAddress 127.0.0.1
HostKey $STATE/host_ed25519
PidFile $STATE/sshd.pid
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PermitRootLogin no
AllowUsers ${users[*]}
MaxStartups 100:30:200
MaxSessions 100
Subsystem sftp /usr/lib/openssh/sftp-server
CFG
/usr/sbin/sshd -t -f "$STATE/sshd_config"
/usr/sbin/sshd -f "$STATE/sshd_config" -E "$STATE/sshd.log"

echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$STATE/host_ed25519.pub")" > "$STATE/known_hosts"
{
  for h in "${HOSTS[@]}"; do
    cat <<HOST
Host $h
    HostName 127.0.0.1
    Port $port
    User batou-$h
    IdentityFile $STATE/client_ed25519
    IdentitiesOnly yes
    UserKnownHostsFile $STATE/known_hosts
    StrictHostKeyChecking yes

HOST
  done
} > "$STATE/ssh_config"
chmod 600 "$STATE/ssh_config"

for i in $(seq 50); do
  ssh -F "$STATE/ssh_config" -o BatchMode=yes "${HOSTS[0]}" true 2>/dev/null && break
  sleep 0.1
done
ssh -F "$STATE/ssh_config" -o BatchMode=yes "${HOSTS[0]}" true
# service_user tests: batou-host1 may become batou-host2 through sudo without a password
# (and nobody else anything); needs the sudo package. batou-host1 -> batou-host3 stays refused.
if command -v visudo >/dev/null 2>&1 && [ -d /etc/sudoers.d ]; then
  printf '%s\n' 'batou-host1 ALL=(batou-host2) NOPASSWD: ALL' > /etc/sudoers.d/.batou-test.tmp
  chmod 440 /etc/sudoers.d/.batou-test.tmp
  visudo -qcf /etc/sudoers.d/.batou-test.tmp && mv -f /etc/sudoers.d/.batou-test.tmp /etc/sudoers.d/batou-test
else
  echo "sudo is not installed: the service_user tests will fail" >&2
fi

echo "sshd on 127.0.0.1:$port for ${HOSTS[*]} (state in $STATE)"
