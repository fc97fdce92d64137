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
#   cluster.sh stop-node NODE        `ray stop` on NODE only (the node's namespaces stay; start-node brings it back)
#   cluster.sh start-node NODE       `ray start` on NODE with its original arguments
#   cluster.sh restart-head          the head restarted: `ray stop` + `ray start --head` (a new GCS, no fault
#                                    tolerance: Ray forgets every job and node), then every worker restarted so it
#                                    joins the new head; waits until all nodes are ALIVE again
#   cluster.sh print-commands        the head's and a worker's `ray start` argv with docs/deploy.md's placeholders
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

# The `ray start` arguments of node NAME (head, w1, ...), one per line: the head and worker recipes of
# docs/deploy.md, argument for argument. `cluster.sh print-commands` prints them with the guide's placeholders;
# DeployGuideCommandsTest checks that the guide and this function agree, RealRayClusterTest that the started
# nodes ran them. A worker's first seven arguments are what Raylane's node-agent builds (RayCommands.start: its
# labels name the node, here w1, w2, ..., and its pool; docs/scheduling.md), the rest are the guide's per-pool
# arguments. Ports between nodes are pinned so that a firewall can name them; in
# host mode (one port space for every node) the metrics and agent ports are offset per node and the other
# pinned ones are left out (Ray picks free ones).
#   ray_start_args NAME NODE_IP HEAD_IP TEMP_DIR OBJECT_STORE_BYTES GPUS CPUS POOL [NODE_ID (default NAME)]
ray_start_args() {
	local name="$1" ip="$2" head_ip="$3" temp="$4" store="$5" gpus="$6" cpus="$7" pool="$8" node_id="${9:-$1}"
	local args
	if [[ $name == head ]]; then
		args=(--head --node-ip-address="$ip" --port="$gcs_port" --num-cpus=0 --num-gpus=0 --include-dashboard=true
			--dashboard-host="$ip" --dashboard-port="$dashboard_port" --metrics-export-port="$(node_metrics_port head)")
	else
		args=(--address="$head_ip:$gcs_port" --num-gpus="$gpus" --resources="{\"raylane-pool-$pool\": 1000}"
			--node-ip-address="$ip" --metrics-export-port="$(node_metrics_port "$name")"
			--labels="raylane.io/node=$node_id,raylane.io/pool=$pool" --num-cpus="$cpus")
	fi
	args+=(--dashboard-agent-listen-port="$(node_agent_port "$name")")
	if [[ $mode == netns ]]; then
		args+=(--dashboard-agent-grpc-port=6803 --node-manager-port=6800 --object-manager-port=6801
			--runtime-env-agent-port=6802)
	fi
	args+=(--min-worker-port=10002 --max-worker-port=19999 --object-store-memory="$store" --temp-dir="$temp"
		--disable-usage-stats)
	printf '%s\n' "${args[@]}"
}

write_node_files() {
	local name="$1" nd ip
	nd="$(node_dir "$name")"
	ip="$(node_ip "$name")"
	mkdir -p "$nd"
	echo "$name" > "$nd/name"
	echo "raylane-$name" > "$nd/hostname"
	local args pool=""
	[[ $name != head ]] && pool="$(pool_of "$name")"
	mapfile -t args < <(ray_start_args "$name" "$ip" "$(node_ip head)" "$nd/ray" "$object_store" "$worker_gpus" \
		"$worker_cpus" "$pool")
	printf '%s\n' "${args[@]}" > "$nd/ray-start.args"
	if [[ $mode == netns ]]; then
		{
			printf '127.0.0.1\tlocalhost\n'
			local n
			for n in $(node_names); do printf '%s\traylane-%s\n' "$(node_ip "$n")" "$n"; done
		} > "$nd/hosts"
	fi
	rm -f "$nd/ray-start.rc" "$nd/sshd_config"
	if [[ $sshd == on ]]; then
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
		echo "CLUSTER_OBJECT_STORE_BYTES=$object_store"
		echo "CLUSTER_WORKER_CPUS=$worker_cpus"
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
	# the head too: the ops API restarts it over SSH (issue 16)
	echo "$(node_ip head) $(cut -d' ' -f1-2 "$dir/ssh/host_ed25519.pub")" >> "$dir/ssh/known_hosts"
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

cmd_stop_node() {
	local name="$1" nd
	nd="$(node_dir "$name")"
	node_exec "$name" ray stop --grace-period 5 >> "$nd/node.log" 2>&1
	say "ray stopped on $name"
}

cmd_start_node() {
	local name="$1" nd args
	nd="$(node_dir "$name")"
	mapfile -t args < "$nd/ray-start.args"
	# a start that timed out on a loaded machine is tried once more after a ray stop, as node-init.sh does
	# (FINDINGS.md §6)
	(cd "$nd" && { node_exec "$name" ray start "${args[@]}" || { node_exec "$name" ray stop --force \
		&& node_exec "$name" ray start "${args[@]}"; }; } >> "$nd/node.log" 2>&1) || die "ray start on $name failed (twice); see $nd/node.log"
	say "ray started again on $name"
}

cmd_restart_node() {
	cmd_stop_node "$1"
	cmd_start_node "$1"
}

# A head restart without GCS fault tolerance: the new GCS knows no job and no node. The workers' raylets
# cannot serve it, so each is restarted and joins under a new node id.
cmd_restart_head() {
	load_env || die "no cluster.env in $dir (cluster.sh start first)"
	workers="$(cat "$dir/workers")"
	[[ -f $dir/auth ]] && auth="$(cat "$dir/auth")"
	cmd_stop_node head
	cmd_start_node head
	local i
	for ((i = 1; i <= workers; i++)); do cmd_restart_node "w$i"; done
	local counts deadline
	deadline=$(($(date +%s) + start_timeout))
	while :; do
		counts="$(alive_counts "$CLUSTER_DASHBOARD_URL")"
		[[ ${counts%% *} == "$((workers + 1))" ]] && break
		(($(date +%s) < deadline)) || die "not all $((workers + 1)) nodes ALIVE after the head restart within ${start_timeout}s (alive/total: ${counts:-no answer})"
		sleep 0.5
	done
	say "head restarted: $((workers + 1)) nodes ALIVE on $CLUSTER_DASHBOARD_URL"
}

# The head's and a worker's `ray start` command as docs/deploy.md shows them: one argument per line after a
# "# head" / "# worker" line, with the guide's placeholders for what differs per site (netns mode, the ports
# of this environment; RealRayCluster uses the defaults).
cmd_print_commands() {
	mode=netns
	echo "# head"
	printf '%s\n' ray start
	ray_start_args head '<HEAD_IP>' '<HEAD_IP>' '<RAY_TEMP_DIR>' '<HEAD_OBJECT_STORE_BYTES>' 0 0 ''
	echo "# worker"
	printf '%s\n' ray start
	ray_start_args w1 '<NODE_IP>' '<HEAD_IP>' '<RAY_TEMP_DIR>' '<OBJECT_STORE_BYTES>' '<GPUS>' '<CPUS>' '<POOL>' \
		'<NODE_ID>'
}

case "${1:-}" in
	start) cmd_start ;;
	print-commands) cmd_print_commands ;;
	stop) cmd_stop ;;
	status) cmd_status ;;
	exec)
		[[ $# -ge 3 ]] || die "usage: cluster.sh exec NODE CMD..."
		shift
		node_exec "$@"
		;;
	kill-raylet) [[ $# == 2 ]] || die "usage: cluster.sh kill-raylet NODE"; cmd_kill_raylet "$2" ;;
	restart-node) [[ $# == 2 ]] || die "usage: cluster.sh restart-node NODE"; cmd_restart_node "$2" ;;
	stop-node) [[ $# == 2 ]] || die "usage: cluster.sh stop-node NODE"; cmd_stop_node "$2" ;;
	start-node) [[ $# == 2 ]] || die "usage: cluster.sh start-node NODE"; cmd_start_node "$2" ;;
	restart-head) [[ $# == 1 ]] || die "usage: cluster.sh restart-head"; cmd_restart_head ;;
	*) die "usage: cluster.sh start|stop|status|exec NODE CMD...|kill-raylet NODE|restart-node NODE|stop-node NODE|start-node NODE|restart-head|print-commands" ;;
esac
