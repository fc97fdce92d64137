#!/usr/bin/env bash
# Starts, stops and inspects a real Ray cluster (one head, N workers with logical GPUs) on this machine, laid
# out as production lays out hosts, so Raylane's tests can talk to a real Ray. See README.md.
#
#   cluster.sh start                 head + workers; waits until /api/v0/nodes lists them all ALIVE;
#                                    writes $RAYLANE_RAY_CLUSTER_DIR/cluster.env and prints it
#   cluster.sh stop                  `ray stop` on every node, then kills what is left and removes the
#                                    namespaces and links; leaves no Ray process behind
#   cluster.sh status                one line per node; exit 0 all up, 1 degraded, 3 not running
#   cluster.sh exec NODE CMD...      runs CMD inside node NODE (head, w1, w2, ...) with the node's environment
#   cluster.sh kill-raylet NODE      SIGKILLs NODE's raylet (Ray then reports the node DEAD)
#   cluster.sh restart-node NODE     `ray stop` + `ray start` on NODE: it joins again under a new node id
#
# Every node runs under its own PID, mount and UTS namespace (so `ray stop` on one node sees only that node)
# and, in netns mode, its own network namespace on a private link-local bridge. Settings (environment):
#   RAYLANE_RAY_VENV            venv made by install-ray.sh (default $HOME/.cache/raylane/ray-2.60.0)
#   RAYLANE_RAY_CLUSTER_DIR     state, logs, Ray temp dirs (default /tmp/raylane-ray; keep it short: Ray's
#                               unix socket paths live below it and must stay under 107 characters)
#   RAYLANE_RAY_WORKERS         number of workers (default 2)
#   RAYLANE_RAY_POOLS           comma list, pool of worker 1, 2, ... (default: "default" for every worker);
#                               worker i advertises resource raylane-pool-<pool>: 1000
#   RAYLANE_RAY_WORKER_GPUS     logical GPUs per worker (default 4), RAYLANE_RAY_WORKER_CPUS (default 4)
#   RAYLANE_RAY_NETWORK         auto (default: netns if `ip netns` works here, else host) | netns | host
#   RAYLANE_RAY_NAME            prefix of namespaces and links (default rl; at most 5 characters)
#   RAYLANE_RAY_SUBNET          first three octets of the netns bridge /24 (default 169.254.211)
#   RAYLANE_RAY_DASHBOARD_PORT  8265, RAYLANE_RAY_GCS_PORT 6379, RAYLANE_RAY_METRICS_PORT 8090 (every node;
#                               in host mode node i uses METRICS_PORT+i), RAYLANE_RAY_OBJECT_STORE_BYTES 104857600
#   RAYLANE_RAY_AUTH            off (default) | token: every node runs with RAY_AUTH_MODE=token; the token is
#                               RAYLANE_RAY_AUTH_TOKEN or a random one, written to $CLUSTER_DIR/auth_token
#   RAYLANE_RAY_SSHD            auto (default: on if /usr/sbin/sshd exists and mode is netns) | on | off
#   RAYLANE_RAY_EXTRA_ENV       space-separated NAME=value pairs added to every node's environment
#                               (e.g. RAY_JOB_START_TIMEOUT_SECONDS=30)
#   RAYLANE_RAY_START_TIMEOUT   seconds to wait for all nodes ALIVE (default 180)
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="${RAYLANE_RAY_VENV:-$HOME/.cache/raylane/ray-2.60.0}"
dir="${RAYLANE_RAY_CLUSTER_DIR:-/tmp/raylane-ray}"
workers="${RAYLANE_RAY_WORKERS:-2}"
prefix="${RAYLANE_RAY_NAME:-rl}"
subnet="${RAYLANE_RAY_SUBNET:-169.254.211}"
dashboard_port="${RAYLANE_RAY_DASHBOARD_PORT:-8265}"
gcs_port="${RAYLANE_RAY_GCS_PORT:-6379}"
metrics_port="${RAYLANE_RAY_METRICS_PORT:-8090}"
object_store="${RAYLANE_RAY_OBJECT_STORE_BYTES:-104857600}"
worker_gpus="${RAYLANE_RAY_WORKER_GPUS:-4}"
worker_cpus="${RAYLANE_RAY_WORKER_CPUS:-4}"
auth="${RAYLANE_RAY_AUTH:-off}"
start_timeout="${RAYLANE_RAY_START_TIMEOUT:-180}"
python="$venv/bin/python"

die() { echo "cluster.sh: $*" >&2; exit 1; }
say() { echo "cluster.sh: $*" >&2; }
now_ms() { date +%s%3N; }

node_names() { echo head; for ((i = 1; i <= workers; i++)); do echo "w$i"; done; }
node_dir() { echo "$dir/nodes/$1"; }
# Host PID of the node's PID 1 (node-init.sh), empty if the node is not running.
init_pid() {
	local f pid
	f="$(node_dir "$1")/init.pid"
	[[ -f $f ]] || return 0
	pid="$(cat "$f")"
	[[ -n $pid && -d /proc/$pid ]] && grep -q node-init "/proc/$pid/cmdline" 2>/dev/null && echo "$pid"
}

# The environment every Ray process of a node starts with: nothing inherited from the caller
# (no CUDA_VISIBLE_DEVICES, no stray RAY_* variables), the venv first on PATH as on a provisioned host.
node_env() {
	local e=(PATH="$venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" HOME="$HOME"
		LANG=C.UTF-8 RAY_USAGE_STATS_ENABLED=0)
	# Ray >= 2.60 turns token auth on by itself when a token file exists and RAY_AUTH_MODE is unset: always set it.
	if [[ $auth == token ]]; then
		e+=(RAY_AUTH_MODE=token RAY_AUTH_TOKEN_PATH="$dir/auth_token")
	else
		e+=(RAY_AUTH_MODE=disabled)
	fi
	local kv
	for kv in ${RAYLANE_RAY_EXTRA_ENV:-}; do e+=("$kv"); done
	printf '%s\n' "${e[@]}"
}

load_env() { [[ -f $dir/cluster.env ]] && . "$dir/cluster.env"; }

curl_dash() {
	local h=()
	[[ -f $dir/auth_token && $auth == token ]] && h=(-H "Authorization: Bearer $(cat "$dir/auth_token")")
	curl -s -m 5 "${h[@]}" "$@"
}

# Prints "alive total" node counts from the State API, or nothing if the dashboard does not answer.
alive_counts() {
	curl_dash "$1/api/v0/nodes?detail=1&limit=1000" 2>/dev/null | "$python" -c '
import json, sys
try:
    nodes = json.load(sys.stdin)["data"]["result"]["result"]
except Exception:
    sys.exit(0)
print(sum(1 for n in nodes if n["state"] == "ALIVE"), len(nodes))'
}

netns_works() {
	local probe="${prefix}-probe$$"
	ip netns add "$probe" 2>/dev/null || return 1
	ip netns exec "$probe" unshare --pid --fork --mount-proc true 2>/dev/null
	local rc=$?
	ip netns del "$probe" 2>/dev/null
	return $rc
}

# --- start -------------------------------------------------------------------------------------------------

setup_network() {
	local br="${prefix}br"
	ip link add "$br" type bridge || die "cannot create bridge $br"
	ip addr add "$subnet.1/24" dev "$br" && ip link set "$br" up || die "cannot configure bridge $br"
	local name ip
	for name in $(node_names); do
		ip="$(node_ip "$name")"
		ip netns add "$prefix-$name" || die "cannot create namespace $prefix-$name"
		ip link add "${prefix}v$name" type veth peer name eth0 netns "$prefix-$name" || die "cannot create veth for $name"
		ip link set "${prefix}v$name" master "$br" && ip link set "${prefix}v$name" up || die "cannot attach veth of $name"
		ip -n "$prefix-$name" addr add "$ip/24" dev eth0 && ip -n "$prefix-$name" link set eth0 up \
			&& ip -n "$prefix-$name" link set lo up || die "cannot configure network of $name"
	done
}

node_ip() {
	local name="$1"
	if [[ $mode == netns ]]; then
		[[ $name == head ]] && echo "$subnet.2" || echo "$subnet.$((10 + ${name#w}))"
	else
		[[ $name == head ]] && echo "127.0.0.10" || echo "127.0.0.$((10 + ${name#w}))"
	fi
}
# In host mode the nodes share one port space, so per-node ports are offset by the node index.
node_index() { [[ $1 == head ]] && echo 0 || echo "${1#w}"; }
node_metrics_port() { [[ $mode == netns ]] && echo "$metrics_port" || echo $((metrics_port + $(node_index "$1"))); }
node_agent_port() { [[ $mode == netns ]] && echo 52365 || echo $((52365 + $(node_index "$1"))); }
pool_of() {
	local i="${1#w}" pools
	IFS=, read -ra pools <<< "${RAYLANE_RAY_POOLS:-default}"
	local p="${pools[$((i - 1))]:-}"
	[[ -n $p ]] && echo "$p" || echo default
}

write_node_files() {
	local name="$1" nd ip
	nd="$(node_dir "$name")"
	ip="$(node_ip "$name")"
	mkdir -p "$nd"
	echo "$name" > "$nd/name"
	echo "raylane-$name" > "$nd/hostname"
	local args=(--node-ip-address="$ip" --temp-dir="$nd/ray" --object-store-memory="$object_store"
		--metrics-export-port="$(node_metrics_port "$name")" --dashboard-agent-listen-port="$(node_agent_port "$name")"
		--disable-usage-stats)
	if [[ $name == head ]]; then
		args+=(--head --port="$gcs_port" --num-cpus=0 --num-gpus=0 --include-dashboard=true
			--dashboard-host="$ip" --dashboard-port="$dashboard_port")
	else
		args+=(--address="$(node_ip head):$gcs_port" --num-cpus="$worker_cpus" --num-gpus="$worker_gpus"
			--resources="{\"raylane-pool-$(pool_of "$name")\": 1000}")
	fi
	printf '%s\n' "${args[@]}" > "$nd/ray-start.args"
	if [[ $mode == netns ]]; then
		{
			printf '127.0.0.1\tlocalhost\n'
			local n
			for n in $(node_names); do printf '%s\traylane-%s\n' "$(node_ip "$n")" "$n"; done
		} > "$nd/hosts"
	fi
	rm -f "$nd/ray-start.rc" "$nd/sshd_config"
	if [[ $sshd == on && $name != head ]]; then
		cat > "$nd/sshd_config" <<-EOF
			ListenAddress $ip
			Port 22
			HostKey $dir/ssh/host_ed25519
			PidFile $nd/sshd.pid
			AuthorizedKeysFile $dir/ssh/authorized_keys
			PermitRootLogin prohibit-password
			PasswordAuthentication no
			KbdInteractiveAuthentication no
			UsePAM no
			StrictModes no
			PrintMotd no
			AcceptEnv LANG
			# a session (ray start over SSH) goes ahead of other builds as the node itself does (node-init.sh):
			# sshd starts it in a session, so an autogroup, of its own; then the client's command, as sshd would run it
			ForceCommand echo -10 > /proc/self/autogroup 2>/dev/null; eval "\${SSH_ORIGINAL_COMMAND:-exec \$SHELL -l}"
		EOF
	fi
}

# Starts node-init.sh as PID 1 of fresh PID/mount/UTS namespaces (inside the node's network namespace in
# netns mode). --kill-child: if the unshare parent dies, the kernel kills the node's PID 1 and thus the node.
launch_node() {
	local name="$1" nd
	nd="$(node_dir "$name")"
	local netns=()
	[[ $mode == netns ]] && netns=(ip netns exec "$prefix-$name")
	local env_lines
	mapfile -t env_lines < <(node_env)
	setsid "${netns[@]}" unshare --pid --fork --mount-proc --uts --kill-child \
		env -i "${env_lines[@]}" bash "$here/node-init.sh" "$nd" >> "$nd/node.log" 2>&1 < /dev/null &
	local pid="" t
	# The node's PID 1 as the host sees it; its parent is the unshare process.
	for t in $(seq 50); do
		pid="$(pgrep -f -x "bash $here/node-init.sh $nd" | head -1)"
		[[ -n $pid ]] && break
		sleep 0.1
	done
	[[ -n $pid ]] || die "node $name: node-init.sh did not start; see $nd/node.log"
	echo "$pid" > "$nd/init.pid"
	awk '{print $4}' "/proc/$pid/stat" > "$nd/unshare.pid"
}

wait_ray_started() {
	local name="$1" nd deadline
	nd="$(node_dir "$name")"
	deadline=$(($(date +%s) + start_timeout))
	while [[ ! -f $nd/ray-start.rc ]]; do
		[[ -n "$(init_pid "$name")" ]] || die "node $name died during ray start; see $nd/node.log"
		(($(date +%s) < deadline)) || die "node $name: ray start did not finish within ${start_timeout}s; see $nd/node.log"
		sleep 0.2
	done
	[[ "$(cat "$nd/ray-start.rc")" == ok ]] || die "node $name: ray start failed; see $nd/node.log"
}

write_cluster_env() {
	local head_ip url
	head_ip="$(node_ip head)"
	url="http://$head_ip:$dashboard_port"
	{
		echo "# Written by ray-cluster/cluster.sh start; read by tests (shell: source it; Java: java.util.Properties)."
		echo "CLUSTER_RAY_VERSION=$("$python" -c 'from importlib.metadata import version; print(version("ray"))')"
		echo "CLUSTER_VENV=$venv"
		echo "CLUSTER_RAY_BIN=$venv/bin/ray"
		echo "CLUSTER_DIR=$dir"
		echo "CLUSTER_NETWORK=$mode"
		echo "CLUSTER_DASHBOARD_URL=$url"
		echo "CLUSTER_DASHBOARD_HOST=$head_ip"
		echo "CLUSTER_DASHBOARD_PORT=$dashboard_port"
		echo "CLUSTER_GCS_ADDRESS=$head_ip:$gcs_port"
		echo "CLUSTER_HEAD_IP=$head_ip"
		echo "CLUSTER_HEAD_METRICS_URL=http://$head_ip:$(node_metrics_port head)/metrics"
		echo "CLUSTER_PROMETHEUS_SD_FILE=$(node_dir head)/ray/prom_metrics_service_discovery.json"
		echo "CLUSTER_AUTH_MODE=$auth"
		[[ $auth == token ]] && echo "CLUSTER_AUTH_TOKEN_FILE=$dir/auth_token"
		echo "CLUSTER_SSH=$sshd"
		if [[ $sshd == on ]]; then
			echo "CLUSTER_SSH_USER=$(id -un)"
			echo "CLUSTER_SSH_KEY=$dir/ssh/id_ed25519"
			echo "CLUSTER_SSH_KNOWN_HOSTS=$dir/ssh/known_hosts"
		fi
		echo "CLUSTER_WORKERS=$workers"
		local name i
		for ((i = 1; i <= workers; i++)); do
			name="w$i"
			echo "CLUSTER_WORKER_${i}_NAME=$name"
			echo "CLUSTER_WORKER_${i}_IP=$(node_ip "$name")"
			echo "CLUSTER_WORKER_${i}_HOSTNAME=raylane-$name"
			echo "CLUSTER_WORKER_${i}_POOL=$(pool_of "$name")"
			echo "CLUSTER_WORKER_${i}_GPUS=$worker_gpus"
			echo "CLUSTER_WORKER_${i}_METRICS_URL=http://$(node_ip "$name"):$(node_metrics_port "$name")/metrics"
			if [[ $mode == netns ]]; then echo "CLUSTER_WORKER_${i}_NETNS=$prefix-$name"; fi
		done
	} > "$dir/cluster.env.tmp"
	mv "$dir/cluster.env.tmp" "$dir/cluster.env"
}

prepare_ssh() {
	mkdir -p "$dir/ssh"
	[[ -f $dir/ssh/host_ed25519 ]] || ssh-keygen -q -t ed25519 -N '' -C raylane-test-host -f "$dir/ssh/host_ed25519"
	[[ -f $dir/ssh/id_ed25519 ]] || ssh-keygen -q -t ed25519 -N '' -C raylane-test-client -f "$dir/ssh/id_ed25519"
	cp "$dir/ssh/id_ed25519.pub" "$dir/ssh/authorized_keys"
	chmod 600 "$dir/ssh/authorized_keys"
	local i
	: > "$dir/ssh/known_hosts"
	for ((i = 1; i <= workers; i++)); do
		echo "$(node_ip "w$i") $(cut -d' ' -f1-2 "$dir/ssh/host_ed25519.pub")" >> "$dir/ssh/known_hosts"
	done
}

cmd_start() {
	[[ -x $venv/bin/ray ]] || die "no Ray in $venv; run $here/install-ray.sh first"
	[[ $workers =~ ^[0-9]+$ ]] || die "RAYLANE_RAY_WORKERS must be a number"
	((${#prefix} <= 5)) || die "RAYLANE_RAY_NAME must have at most 5 characters (Linux link names are short)"
	[[ $auth == off || $auth == token ]] || die "RAYLANE_RAY_AUTH must be off or token"
	if [[ -f $dir/cluster.env ]] || [[ -n "$(init_pid head)" ]]; then
		die "a cluster is already running in $dir (cluster.sh stop first)"
	fi
	cleanup
	local t0
	t0=$(now_ms)

	mode="${RAYLANE_RAY_NETWORK:-auto}"
	if [[ $mode == auto ]]; then
		if netns_works; then mode=netns; else
			say "network namespaces do not work here; falling back to host mode (127.0.0.x node IPs)"
			mode=host
		fi
	fi
	[[ $mode == netns || $mode == host ]] || die "RAYLANE_RAY_NETWORK must be auto, netns or host"
	sshd="${RAYLANE_RAY_SSHD:-auto}"
	if [[ $sshd == auto ]]; then
		[[ $mode == netns && -x /usr/sbin/sshd ]] && sshd=on || sshd=off
	fi
	[[ $sshd == on && ! -x /usr/sbin/sshd ]] && die "RAYLANE_RAY_SSHD=on but /usr/sbin/sshd is missing (apt-get install openssh-server)"
	[[ $sshd == on && $mode != netns ]] && die "sshd on every worker needs netns mode (port 22 per node)"

	# From here on a failed start must not leave nodes behind.
	trap 'say "start failed; stopping what was started"; cleanup' EXIT
	mkdir -p "$dir"
	rm -rf "$dir/nodes"
	mkdir -p "$dir/nodes"
	echo "$mode" > "$dir/network"
	echo "$prefix" > "$dir/prefix"
	echo "$workers" > "$dir/workers"
	echo "$auth" > "$dir/auth"
	if [[ $auth == token ]]; then
		if [[ -n ${RAYLANE_RAY_AUTH_TOKEN:-} ]]; then
			printf '%s' "$RAYLANE_RAY_AUTH_TOKEN" > "$dir/auth_token"
		else
			"$python" -c 'import secrets; print(secrets.token_hex(32), end="")' > "$dir/auth_token"
		fi
		chmod 600 "$dir/auth_token"
	else
		rm -f "$dir/auth_token"
	fi
	[[ $sshd == on ]] && prepare_ssh

	[[ $mode == netns ]] && setup_network
	local name
	for name in $(node_names); do write_node_files "$name"; done

	launch_node head
	wait_ray_started head
	say "head up after $(($(now_ms) - t0)) ms"
	for ((i = 1; i <= workers; i++)); do launch_node "w$i"; done
	for ((i = 1; i <= workers; i++)); do wait_ray_started "w$i"; done

	local url counts deadline
	url="http://$(node_ip head):$dashboard_port"
	deadline=$(($(date +%s) + start_timeout))
	while :; do
		counts="$(alive_counts "$url")"
		[[ $counts == "$((workers + 1)) $((workers + 1))" ]] && break
		(($(date +%s) < deadline)) || die "not all $((workers + 1)) nodes ALIVE within ${start_timeout}s (alive/total: ${counts:-no answer})"
		sleep 0.5
	done
	write_cluster_env
	trap - EXIT
	say "cluster up: $((workers + 1)) nodes ALIVE on $url after $(($(now_ms) - t0)) ms ($mode mode, sshd $sshd, auth $auth)"
	cat "$dir/cluster.env"
}

# --- stop --------------------------------------------------------------------------------------------------

# Stops every node this cluster dir knows of (workers first, the head last), then removes namespaces and
# links. Idempotent; start runs it first to clear what a crashed earlier run left.
cleanup() {
	[[ -f $dir/prefix ]] && prefix="$(cat "$dir/prefix")"
	local names=() name nd pid
	if [[ -d $dir/nodes ]]; then
		for nd in "$dir"/nodes/w* "$dir/nodes/head"; do [[ -d $nd ]] && names+=("$(basename "$nd")"); done
	fi
	# Workers first (all at once), the head last: a raylet that is told to stop while the GCS is going away too
	# waits for the GCS and outlives `ray stop`'s grace period.
	local phase
	for phase in workers head; do
		local pids=()
		for name in "${names[@]}"; do
			[[ $phase == head && $name != head || $phase == workers && $name == head ]] && continue
			pid="$(init_pid "$name")"
			[[ -n $pid ]] && kill -TERM "$pid" 2>/dev/null && pids+=("$name:$pid")
		done
		local deadline=$(($(date +%s) + ${RAYLANE_RAY_STOP_GRACE:-10} + 15)) entry
		for entry in "${pids[@]}"; do
			name="${entry%%:*}"
			pid="${entry#*:}"
			while [[ -d /proc/$pid ]] && (($(date +%s) < deadline)); do sleep 0.2; done
			if [[ -d /proc/$pid ]]; then
				say "node $name did not stop in time; killing its PID namespace"
				kill -KILL "$pid" 2>/dev/null
			fi
		done
	done
	# The unshare parents exit with their child; kill any that did not (by recorded PID only).
	for name in "${names[@]}"; do
		nd="$(node_dir "$name")"
		[[ -f $nd/unshare.pid ]] || continue
		pid="$(cat "$nd/unshare.pid")"
		if [[ -d /proc/$pid ]] && grep -q unshare "/proc/$pid/cmdline" 2>/dev/null; then
			kill -KILL "$pid" 2>/dev/null
		fi
		rm -f "$nd/init.pid" "$nd/unshare.pid"
	done
	# Network namespaces: any process still inside one (should be none) is killed by PID.
	local ns
	for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E "^${prefix}-(head|w[0-9]+)$"); do
		for pid in $(ip netns pids "$ns" 2>/dev/null); do
			say "process $pid left in namespace $ns; killing it"
			kill -KILL "$pid" 2>/dev/null
		done
		ip netns del "$ns" 2>/dev/null || say "could not delete namespace $ns"
	done
	ip link del "${prefix}br" 2>/dev/null
	rm -f "$dir/cluster.env" "$dir/cluster.env.tmp"
}

cmd_stop() {
	local t0
	t0=$(now_ms)
	cleanup
	say "stopped in $(($(now_ms) - t0)) ms"
}

# --- status and node operations ----------------------------------------------------------------------------

cmd_status() {
	if [[ ! -f $dir/cluster.env ]]; then
		echo "not running (no $dir/cluster.env)"
		return 3
	fi
	load_env
	[[ -f $dir/auth ]] && auth="$(cat "$dir/auth")"
	local name up=0 total=0
	for name in $(ls "$dir/nodes"); do
		total=$((total + 1))
		if [[ -n "$(init_pid "$name")" ]]; then
			up=$((up + 1))
			echo "$name: node-init PID $(init_pid "$name")"
		else
			echo "$name: down"
		fi
	done
	local counts
	counts="$(alive_counts "$CLUSTER_DASHBOARD_URL")"
	echo "dashboard $CLUSTER_DASHBOARD_URL: ${counts:-no answer} (alive total)"
	[[ $up == "$total" && ${counts%% *} == "$total" ]] && return 0 || return 1
}

# Runs a command inside all namespaces of a node, with the node's environment.
node_exec() {
	local name="$1"
	shift
	local pid
	pid="$(init_pid "$name")"
	[[ -n $pid ]] || die "node $name is not running"
	[[ -f $dir/auth ]] && auth="$(cat "$dir/auth")"
	local env_lines
	mapfile -t env_lines < <(node_env)
	nsenter --target "$pid" --net --pid --mount --uts -- env -i "${env_lines[@]}" "$@"
}

cmd_kill_raylet() {
	local name="$1" pid
	# pgrep runs inside the node's own PID namespace, so it can only find that node's raylet.
	pid="$(node_exec "$name" pgrep -x raylet | head -1)"
	[[ -n $pid ]] || die "node $name has no raylet"
	node_exec "$name" kill -KILL "$pid"
	say "killed raylet (PID $pid in the namespace of $name)"
}

cmd_restart_node() {
	local name="$1" nd args
	nd="$(node_dir "$name")"
	node_exec "$name" ray stop --grace-period 5 >> "$nd/node.log" 2>&1
	mapfile -t args < "$nd/ray-start.args"
	(cd "$nd" && node_exec "$name" ray start "${args[@]}" >> "$nd/node.log" 2>&1) || die "ray start on $name failed; see $nd/node.log"
	say "ray started again on $name"
}

case "${1:-}" in
	start) cmd_start ;;
	stop) cmd_stop ;;
	status) cmd_status ;;
	exec)
		[[ $# -ge 3 ]] || die "usage: cluster.sh exec NODE CMD..."
		shift
		node_exec "$@"
		;;
	kill-raylet) [[ $# == 2 ]] || die "usage: cluster.sh kill-raylet NODE"; cmd_kill_raylet "$2" ;;
	restart-node) [[ $# == 2 ]] || die "usage: cluster.sh restart-node NODE"; cmd_restart_node "$2" ;;
	*) die "usage: cluster.sh start|stop|status|exec NODE CMD...|kill-raylet NODE|restart-node NODE" ;;
esac
