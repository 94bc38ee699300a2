#!/bin/bash
# t903-boot-ssh.sh: ssh = true forwards a free local port to the guest's
# sshd (the host's, from the shared root, with a host key made at boot)
# and lets in the key from ssh_key: a command run over ssh reaches the
# guest, and the guest's own command then ends with its status.
. "$(dirname "$0")/lib/common.sh"
. "$MKT_GATE_SRC/tests/integration/lib/kernel-qemu.sh"

kernel_qemu_ready || fail "cannot install QEMU or build its kernel"
[ -x /usr/sbin/sshd ] || fail "no sshd: tests/setup.sh installs openssh-server"
cd "$T" || exit 1
export TMPDIR=$T
ssh-keygen -q -N '' -t ed25519 -f "$T/id" -C mkt-gate-test
printf '[sshq]\naccel = tcg\nmemory = 256M\ncpus = 1\nssh = true\nssh_key = %s\n' \
	"$T/id.pub" > "$T/boot.conf"

# The guest waits until something logged in over ssh leaves /run/stop.
rc=0
"$MKT_GATE" boot --config "$T/boot.conf" --target sshq --kernel "$KERNEL_QEMU_BUILD" \
	--timeout 300 -- sh -c 'while [ ! -e /run/stop ]; do sleep 0.2; done; exit 5' \
	> "$T/boot.out" 2> "$T/boot.err" &
pid=$!
port=
for _ in $(seq 100); do
	port=$(sed -n 's/^boot: ssh -p \([0-9]*\) root@127.0.0.1.*/\1/p' "$T/boot.err")
	[ -n "$port" ] && break
	sleep 0.2
done
[ -n "$port" ] || { cat "$T/boot.err"; fail "no ssh port announced"; }
ok=
for _ in $(seq 120); do
	if out=$(timeout 20 ssh -i "$T/id" -p "$port" -o BatchMode=yes \
		-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
		-o ConnectTimeout=5 root@127.0.0.1 \
		'echo via-ssh-$((6*7)) $(uname -r); touch /run/stop' 2>"$T/ssh.err"); then
		ok=1
		break
	fi
	kill -0 "$pid" 2>/dev/null || break
	sleep 1
done
wait "$pid" || rc=$?
[ -n "$ok" ] || { cat "$T/boot.err" "$T/ssh.err"; cat "$T"/mkt-gate-boot.*/console.log; fail "ssh never got in"; }
expect_in "$out" '^via-ssh-42 6\.1'
[ "$rc" = 5 ] || { cat "$T/boot.err"; fail "the guest command's status: want 5, got $rc"; }
pass "ssh into the guest through the forwarded port; the command's status comes back"
