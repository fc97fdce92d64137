#!/usr/bin/env bash
# Measures the cluster cluster.sh makes: time from `cluster.sh start` to every node ALIVE in /api/v0/nodes,
# memory of all its processes once idle (sum of RSS, and sum of PSS, which counts shared pages once), their
# CPU use while idle, and the time `cluster.sh stop` takes; then checks that nothing is left.
#
# Usage: measure.sh [IDLE_SECONDS]   (default 60; the cluster must not be running)
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir="${RAYLANE_RAY_CLUSTER_DIR:-/tmp/raylane-ray}"
idle="${1:-60}"

# PIDs of every process in the PID namespace of each node's init (works in netns and host mode).
cluster_pids() {
	local f ns p
	for f in "$dir"/nodes/*/init.pid; do
		ns="$(readlink "/proc/$(cat "$f")/ns/pid" 2>/dev/null)" || continue
		for p in /proc/[0-9]*; do
			[[ "$(readlink "$p/ns/pid" 2>/dev/null)" == "$ns" ]] && echo "${p#/proc/}"
		done
	done
}
cpu_ticks() { # utime + stime of the given PIDs, in clock ticks
	local p sum=0 t
	for p in "$@"; do
		t="$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null)" && sum=$((sum + ${t:-0}))
	done
	echo "$sum"
}

t0=$(date +%s%3N)
"$here/cluster.sh" start > /dev/null || exit 1
t1=$(date +%s%3N)
echo "start: $((t1 - t0)) ms until all nodes ALIVE (cluster.sh start, wall clock)"

sleep 20
mapfile -t pids < <(cluster_pids)
rss=0 pss=0
for p in "${pids[@]}"; do
	r="$(awk '/^VmRSS/{print $2}' "/proc/$p/status" 2>/dev/null)"
	s="$(awk '/^Pss:/{print $2}' "/proc/$p/smaps_rollup" 2>/dev/null)"
	rss=$((rss + ${r:-0}))
	pss=$((pss + ${s:-0}))
done
echo "idle memory: ${#pids[@]} processes, RSS sum $((rss / 1024)) MiB, PSS sum $((pss / 1024)) MiB"
for f in "$dir"/nodes/*/init.pid; do
	n="$(basename "$(dirname "$f")")"
	ns="$(readlink "/proc/$(cat "$f")/ns/pid")"
	r=0
	for p in "${pids[@]}"; do
		[[ "$(readlink "/proc/$p/ns/pid" 2>/dev/null)" == "$ns" ]] || continue
		s="$(awk '/^Pss:/{print $2}' "/proc/$p/smaps_rollup" 2>/dev/null)"
		r=$((r + ${s:-0}))
	done
	echo "  $n: PSS $((r / 1024)) MiB"
done

c0="$(cpu_ticks "${pids[@]}")"
sleep "$idle"
mapfile -t pids < <(cluster_pids)
c1="$(cpu_ticks "${pids[@]}")"
hz="$(getconf CLK_TCK)"
awk -v t=$((c1 - c0)) -v hz="$hz" -v s="$idle" 'BEGIN { printf "idle CPU over %ds: %.1f s of CPU = %.1f %% of one core\n", s, t / hz, 100 * t / hz / s }'

t0=$(date +%s%3N)
"$here/cluster.sh" stop 2> /dev/null
echo "stop: $(($(date +%s%3N) - t0)) ms"
left="$(pgrep -f -a 'raylet|gcs_server|node-init.sh' || true)"
echo "left after stop: ${left:-no raylet, gcs_server or node-init process}; namespaces: $(ip netns list 2>/dev/null | grep -c -E "^${RAYLANE_RAY_NAME:-rl}-(head|w[0-9]+)") of ours"
