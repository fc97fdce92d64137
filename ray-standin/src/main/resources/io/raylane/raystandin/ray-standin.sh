#!/bin/sh
# A stand-in for Ray's CLI on a simulated worker of Raylane's local Ray-compatible head (ray-standin module,
# io.raylane.raystandin). It is what the node-agent runs over SSH in the local stack and in tests:
#
#   ray start --address=<head host:port> --num-gpus=<n> --resources='{"raylane-pool-<pool>": 1000}' \
#             --node-ip-address=<ip> [--labels=k=v,...] [other flags, ignored]
#       joins the head (POST http://<address>/raylane-local/v1/nodes); exits 0 once joined, 1 on any error
#       (e.g. a node with that IP is already alive, like a real "Ray is already running").
#   ray drain-node --address=<a> --node-id=<hex> --reason=<DRAIN_NODE_REASON_...> --reason-message=<m> [...]
#       checks its arguments as Ray 2.60's hidden command does, then refuses with exit 1: the local head cannot
#       drain a node (Raylane places nothing on a draining node anyway, and goes on with its drain).
#   ray stop [--force] [--grace-period N]
#       every node this machine joined leaves (POST .../nodes/leave); prints "Stopped all N Ray processes."
#       or "Did not find any active Ray processes." and exits 0, like the real one.
#
# With the local head, <address> is the head's HTTP port (RAYLANE_RAY_HEAD_ADDRESS=127.0.0.1:<dashboard
# port>): the local head has no separate GCS port. What this machine joined is kept in
# ${RAYLANE_RAY_STANDIN_DIR:-$HOME/.raylane-ray-standin}, one file per node IP, so that `ray stop` knows what
# to leave (a real `ray stop` kills every Ray process on its machine). Needs curl.
#
# Token authentication as a real node does it: with RAY_AUTH_MODE=token the token is RAY_AUTH_TOKEN, else the
# file RAY_AUTH_TOKEN_PATH, else ~/.ray/auth_token, and goes to the head as "Authorization: Bearer <token>"
# (through curl's stdin, never its command line); no token → exit 1 as Ray's CLI does. The node-agent passes
# RAY_AUTH_MODE and RAY_AUTH_TOKEN when Raylane has the cluster's token.
set -eu

state_dir="${RAYLANE_RAY_STANDIN_DIR:-${HOME:-/tmp}/.raylane-ray-standin}"

json_string() {
	printf '"%s"' "$(printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g')"
}

token=""
load_token() { # sets $token when RAY_AUTH_MODE=token; exits 1 without one
	[ "${RAY_AUTH_MODE:-}" = token ] || return 0
	token="${RAY_AUTH_TOKEN:-}"
	if [ -z "$token" ] && [ -n "${RAY_AUTH_TOKEN_PATH:-}" ]; then
		token=$(cat "$RAY_AUTH_TOKEN_PATH" 2>/dev/null) || token=""
		[ -n "$token" ] || { echo "RAY_AUTH_TOKEN_PATH is set but file cannot be opened or is empty" >&2; exit 1; }
	fi
	if [ -z "$token" ] && [ -f "${HOME:-/nonexistent}/.ray/auth_token" ]; then
		token=$(cat "$HOME/.ray/auth_token")
	fi
	if [ -z "$token" ]; then
		echo "Token authentication is enabled but no authentication token was found." >&2
		exit 1
	fi
}

post() { # url body
	# the header comes from stdin (-H @-): a token in curl's arguments would show in ps
	if [ -n "$token" ]; then
		printf 'Authorization: Bearer %s\n' "$token" \
			| curl -sS --fail-with-body --max-time 30 -H @- -H 'Content-Type: application/json' -X POST --data-binary "$2" "$1"
	else
		curl -sS --fail-with-body --max-time 30 -H 'Content-Type: application/json' -X POST --data-binary "$2" "$1"
	fi
}

start() {
	load_token
	address="" ip="" gpus=0 resources="{}" labels=""
	while [ $# -gt 0 ]; do
		case "$1" in
			--address=*) address="${1#*=}" ;;
			--address) shift; address="${1:-}" ;;
			--node-ip-address=*) ip="${1#*=}" ;;
			--node-ip-address) shift; ip="${1:-}" ;;
			--num-gpus=*) gpus="${1#*=}" ;;
			--num-gpus) shift; gpus="${1:-}" ;;
			--resources=*) resources="${1#*=}" ;;
			--resources) shift; resources="${1:-}" ;;
			--labels=*) labels="${1#*=}" ;;
			--labels) shift; labels="${1:-}" ;;
			--head) echo "ray start (stand-in): --head is not supported; the local head is started by Raylane" >&2; exit 1 ;;
			*) ;; # ports, usage stats and the like mean nothing to the local head
		esac
		shift
	done
	[ -n "$address" ] || { echo "ray start (stand-in): --address is required on a worker" >&2; exit 1; }
	[ -n "$ip" ] || ip=127.0.0.1
	case "$gpus" in '' | *[!0-9]*) echo "ray start (stand-in): --num-gpus must be a whole number" >&2; exit 1 ;; esac
	labels_json=""
	if [ -n "$labels" ]; then
		old_ifs=$IFS
		IFS=,
		for pair in $labels; do
			case "$pair" in *=*) ;; *) echo "ray start (stand-in): label '$pair' is not k=v" >&2; exit 1 ;; esac
			labels_json="${labels_json:+$labels_json,}$(json_string "${pair%%=*}"):$(json_string "${pair#*=}")"
		done
		IFS=$old_ifs
	fi
	body="{\"node_ip_address\":$(json_string "$ip"),\"num_gpus\":$gpus,\"resources\":$resources,\"labels\":{$labels_json}}"
	answer=$(post "http://$address/raylane-local/v1/nodes" "$body") || {
		echo "ray start (stand-in): the head at $address refused the node: $answer" >&2
		exit 1
	}
	mkdir -p "$state_dir"
	printf '%s\n' "$address" > "$state_dir/$ip"
	echo "Ray runtime started (local stand-in): node $ip joined $address: $answer"
}

stop() {
	load_token
	# --force / --grace-period only change how fast a real ray stop kills; leaving is immediate here
	stopped=0
	failed=0
	if [ -d "$state_dir" ]; then
		for file in "$state_dir"/*; do
			[ -f "$file" ] || continue
			ip=$(basename "$file")
			address=$(cat "$file")
			if answer=$(post "http://$address/raylane-local/v1/nodes/leave" "{\"node_ip_address\":$(json_string "$ip")}"); then
				rm -f "$file"
				stopped=$((stopped + 1))
			else
				echo "ray stop (stand-in): could not leave $address for $ip: $answer" >&2
				failed=$((failed + 1))
			fi
		done
	fi
	if [ "$failed" -gt 0 ]; then
		exit 1
	fi
	if [ "$stopped" -eq 0 ]; then
		echo "Did not find any active Ray processes."
	else
		echo "Stopped all $stopped Ray processes."
	fi
}

drain_node() {
	node_id="" reason="" message=""
	while [ $# -gt 0 ]; do
		case "$1" in
			--node-id=*) node_id="${1#*=}" ;;
			--node-id) shift; node_id="${1:-}" ;;
			--reason=*) reason="${1#*=}" ;;
			--reason) shift; reason="${1:-}" ;;
			--reason-message=*) message="${1#*=}" ;;
			--reason-message) shift; message="${1:-}" ;;
			*) ;; # --address, --deadline-remaining-seconds
		esac
		shift
	done
	case "$reason" in
		DRAIN_NODE_REASON_IDLE_TERMINATION | DRAIN_NODE_REASON_PREEMPTION) ;;
		*) echo "Error: Invalid value for '--reason': '$reason'" >&2; exit 2 ;;
	esac
	[ -n "$message" ] || { echo "Error: Missing option '--reason-message'." >&2; exit 2; }
	[ -n "$node_id" ] || { echo "ray drain-node (stand-in): --node-id is required here" >&2; exit 2; }
	echo "Error: The drain request is not accepted: the local stand-in head cannot drain node $node_id" >&2
	exit 1
}

command="${1:-}"
[ $# -gt 0 ] && shift
case "$command" in
	start) start "$@" ;;
	stop) stop "$@" ;;
	drain-node) drain_node "$@" ;;
	--version | version) echo "ray, version 2.49.2-raylane-local (stand-in)" ;;
	*) echo "usage: ray start|stop|drain-node ... (Raylane's local stand-in)" >&2; exit 2 ;;
esac
