#!/usr/bin/env bash
# PID 1 of one Ray node (head or worker), started by cluster.sh inside the node's own PID, mount and UTS
# namespaces (and its own network namespace in netns mode). It
#   - sets the node's host name and (netns mode) mounts an /etc/hosts naming all nodes,
#   - starts sshd on the node's address if the cluster has one (every node, the head included),
#   - runs `ray start` with the arguments cluster.sh wrote to $NODE_DIR/ray-start.args,
#   - then stays alive as the namespace's init: it reaps the Ray daemons that `ray start` leaves behind
#     (they are re-parented to PID 1) and, on SIGTERM, runs `ray stop` and exits. When it exits the kernel
#     kills whatever is left in the PID namespace, so nothing of the node can outlive it.
#
# Usage: node-init.sh NODE_DIR   (environment prepared by cluster.sh: PATH, RAY_* variables)
set -uo pipefail

node_dir="$1"
name="$(cat "$node_dir/name")"
hostname "$(cat "$node_dir/hostname")" 2>/dev/null || true

log() { echo "$(date +%H:%M:%S.%3N) node-init[$name]: $*"; }

stopping=0
on_term() {
	stopping=1
	log "SIGTERM: ray stop"
	ray stop --grace-period "${RAYLANE_RAY_STOP_GRACE:-10}" 2>&1
	[[ -f "$node_dir/sshd.pid" ]] && kill "$(cat "$node_dir/sshd.pid")" 2>/dev/null
	log "exit"
	exit 0
}
trap on_term TERM INT

# This mount namespace is the node's own: give it an /etc/hosts naming every node, as a real site's DNS would.
if [[ -f "$node_dir/hosts" ]]; then
	mount --bind "$node_dir/hosts" /etc/hosts || log "could not mount $node_dir/hosts on /etc/hosts"
fi

if [[ -f "$node_dir/sshd_config" ]]; then
	mkdir -p -m 0755 /run/sshd # privilege separation directory; no sshd package service ever created it here
	if /usr/sbin/sshd -f "$node_dir/sshd_config" -E "$node_dir/sshd.log"; then
		log "sshd started ($(cat "$node_dir/sshd_config" | grep -i '^ListenAddress'))"
	else
		log "sshd failed to start (see $node_dir/sshd.log)"
	fi
fi

# Ray 2.60 starts under fixed timeouts (below); on a machine shared with other builds a test cluster goes ahead of
# them (FINDINGS.md §1): every process of the node (Ray's daemons, job entrypoints) inherits nice -10, and with the
# kernel's autogroup scheduling (cluster.sh starts each node in a session of its own) the session's group weighs as
# nice -10 too.
renice -n -10 -p $$ > /dev/null 2>&1 || log "could not renice to -10; starting at the caller's priority"
if [[ -w /proc/$$/autogroup ]]; then
	echo -10 > "/proc/$$/autogroup" 2>/dev/null || log "could not set the autogroup's nice to -10"
fi

# Ray's workers (and so every job entrypoint without a working_dir) inherit this directory as their cwd.
cd "$node_dir" || exit 1
mapfile -t args < "$node_dir/ray-start.args"
# Ray 2.60's raylet gives its dashboard agent a hard-coded 15 s to write its port files and exits after it
# (then `ray start` fails: "The current node timed out during startup"); on a loaded machine the agent's Python
# start-up alone can take longer (ray-cluster/FINDINGS.md §6). Such a start is tried again, after a `ray stop`
# that sees this node's PID namespace only.
attempts="${RAYLANE_RAY_START_ATTEMPTS:-3}"
for ((attempt = 1; attempt <= attempts; attempt++)); do
	log "ray start ${args[*]} (attempt $attempt of $attempts)"
	if ray start "${args[@]}" 2>&1; then
		echo ok > "$node_dir/ray-start.rc"
		log "ray start done"
		break
	else
		rc=$?
	fi
	log "ray start failed with exit code $rc"
	if ((attempt < attempts)); then
		ray stop --force 2>&1
	else
		echo "$rc" > "$node_dir/ray-start.rc"
	fi
done

# Stay PID 1: a `wait` on a short sleep returns on SIGTERM at once and lets bash reap orphaned children.
while [[ $stopping == 0 ]]; do
	sleep 1 &
	wait $! 2>/dev/null
done
