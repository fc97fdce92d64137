#!/usr/bin/env bash
# Asks a running cluster (cluster.sh start) every question of Raylane's Ray contract with curl and prints
# what Ray answers: status line, content type and body of each call, plus timings. FINDINGS.md was written
# from its output (transcripts/). It changes the cluster: it submits, stops and deletes jobs, and it kills and
# restarts worker w2's raylet. With a token cluster (RAYLANE_RAY_AUTH=token) it runs the auth section only.
#
# Usage: probe-contract.sh > transcripts/contract-2.60.0.txt
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir="${RAYLANE_RAY_CLUSTER_DIR:-/tmp/raylane-ray}"
[[ -f $dir/cluster.env ]] || { echo "no cluster running in $dir (cluster.sh start)" >&2; exit 1; }
. "$dir/cluster.env"
U="$CLUSTER_DASHBOARD_URL"
PY="$CLUSTER_VENV/bin/python"
AUTH=()
[[ $CLUSTER_AUTH_MODE == token ]] && AUTH=(-H "Authorization: Bearer $(cat "$CLUSTER_AUTH_TOKEN_FILE")")
MAX_BODY="${PROBE_MAX_BODY:-2500}"

section() { printf '\n==================== %s\n' "$*"; }
note() { printf '# %s\n' "$*"; }

# call METHOD PATH [BODY] [extra curl args...]: prints the exchange; the body is left in /tmp/probe.body
call() {
	local method="$1" path="$2" body="${3:-}"
	shift 3 2>/dev/null || shift $#
	local data=()
	[[ -n $body ]] && data=(-H 'Content-Type: application/json' --data-binary "$body")
	printf '\n>>> %s %s' "$method" "$path"
	local shown="$*"
	[[ -n ${token:-} ]] && shown="${shown//$token/<token>}"
	[[ $# -gt 0 ]] && printf '   [curl %s]' "$shown"
	printf '\n'
	[[ -n $body ]] && printf '    body: %s\n' "$body"
	local t0 t1 meta
	t0=$(date +%s%3N)
	meta="$(curl -s -m "${CALL_TIMEOUT:-20}" -X "$method" "${AUTH[@]}" "$@" "${data[@]}" -o /tmp/probe.body \
		-w '%{http_code} | %{content_type}' "$U$path")"
	local rc=$?
	t1=$(date +%s%3N)
	[[ $rc == 28 ]] && meta="$meta | (curl timed out after ${CALL_TIMEOUT:-20}s, rc 28)"
	printf '<<< %s | %d ms\n' "$meta" $((t1 - t0))
	[[ $rc == 28 ]] && : > /tmp/probe.body
	head -c "$MAX_BODY" /tmp/probe.body
	(($(stat -c %s /tmp/probe.body) > MAX_BODY)) && printf '... (%d bytes in all)' "$(stat -c %s /tmp/probe.body)"
	printf '\n'
}

field() { curl -s "${AUTH[@]}" "$U/api/jobs/$1" | "$PY" -c "import json,sys; d=json.load(sys.stdin); print(d.get('$2'))" 2>/dev/null; }
wait_status() { # wait_status ID STATUS... : waits up to 90 s until the job's status is one of them
	local id="$1" s i
	shift
	for i in $(seq 180); do
		s="$(field "$id" status)"
		for want in "$@"; do [[ $s == "$want" ]] && return 0; done
		sleep 0.5
	done
	note "job $id did not reach $* (is $s)"
}
pretty() { "$PY" -c 'import json,sys; print(json.dumps(json.load(open("/tmp/probe.body")), indent=1))'; }

section "cluster"
cat "$dir/cluster.env"
token=""

if [[ $CLUSTER_AUTH_MODE == token ]]; then
	token="$(cat "$CLUSTER_AUTH_TOKEN_FILE")"
	AUTH=()
	section "token auth: no token, wrong token, each way of sending the right one"
	call GET /api/authentication_mode
	call GET /api/version
	call GET /api/jobs/
	call POST /api/jobs/ '{"entrypoint":"true"}'
	call GET "/api/v0/nodes?limit=1"
	call GET /api/jobs/ '' -H "Authorization: Bearer wrong"
	call GET /api/jobs/ '' -H "Authorization: $token"
	call GET /api/version '' -H "Authorization: Bearer $token"
	call GET "/api/v0/nodes?limit=1" '' -H "X-Ray-Authorization: Bearer $token"
	call GET /api/version '' -b "ray-authentication-token=$token"
	call POST /api/jobs/ '{"submission_id":"auth-1","entrypoint":"echo authed","entrypoint_resources":{"raylane-pool-default":1}}' \
		-H "Authorization: Bearer $token"
	section "public routes without a token"
	for p in /api/gcs_healthz /api/healthz /api/local_raylet_healthz / /api/prometheus/sd; do call GET "$p"; done
	section "per-node metrics endpoint and agent without a token"
	note "metrics: $CLUSTER_WORKER_1_METRICS_URL"
	printf '<<< %s\n' "$(curl -s -o /dev/null -w '%{http_code} | %{content_type}' "$CLUSTER_WORKER_1_METRICS_URL")"
	printf 'agent %s/api/job_agent/jobs/auth-1 without token: ' "${CLUSTER_WORKER_1_IP}:52365"
	curl -s -m 5 -w ' | %{http_code}\n' "http://$CLUSTER_WORKER_1_IP:52365/api/job_agent/jobs/auth-1"
	section "ray CLI without the token"
	RAY_AUTH_MODE=token "$CLUSTER_RAY_BIN" job list --address "$U" 2>&1 | tail -3
	section "ray CLI with RAY_AUTH_TOKEN"
	RAY_AUTH_MODE=token RAY_AUTH_TOKEN="$token" "$CLUSTER_RAY_BIN" job list --address "$U" 2>&1 | tail -3
	exit 0
fi

section "version and health"
call GET /api/version
call GET /api/authentication_mode
call GET /api/gcs_healthz
call GET /api/healthz

section "State API nodes"
call GET /api/v0/nodes
call GET "/api/v0/nodes?detail=1"
pretty
call GET "/api/v0/nodes?detail=1&filter_keys=is_head_node&filter_predicates=%3D&filter_values=false&limit=1"
call GET "/api/v0/nodes?limit=100000"
call GET "/api/v0/nodes?filter_keys=bogus&filter_predicates=%3D&filter_values=x"

section "submit with everything Raylane sends"
job1='{"submission_id":"p-1","entrypoint":"echo hello; echo MYVAR=$MYVAR; hostname; pwd; sh -c \"echo child sees MYVAR=\\$MYVAR\"; sleep 6; echo done","runtime_env":{"env_vars":{"MYVAR":"v1","WANDB_API_KEY":"not-a-real-key"}},"metadata":{"raylane_user":"ana","raylane_job_id":"j-1"},"entrypoint_resources":{"raylane-pool-default":1}}'
call POST /api/jobs/ "$job1"
call GET /api/jobs/p-1
pretty
wait_status p-1 RUNNING
note "RUNNING after $(($(date +%s%3N) - $(field p-1 start_time))) ms from start_time"
call GET /api/jobs/p-1
call GET /api/jobs/p-1/logs
wait_status p-1 SUCCEEDED FAILED
call GET /api/jobs/p-1
pretty
call GET /api/jobs/p-1/logs

section "submit refusals"
call POST /api/jobs/ "$job1"
call POST /api/jobs/ '{"submission_id":"p-u","entrypoint":"true","entrypoint_num_gpus":1,"bogus_field":1}'
call POST /api/jobs/ '{"submission_id":"p-n","entrypoint":"true","retry_policy":{"max_retries":1}}'
call POST /api/jobs/ '{"submission_id":"p-m"}'
call POST /api/jobs/ '{"submission_id":"p-md","entrypoint":"true","metadata":{"a":1}}'
call POST /api/jobs/ '{"submission_id":"p-mem","entrypoint":"true","entrypoint_memory":1.5}'
call POST /api/jobs/ 'not json'
call POST /api/jobs '{"entrypoint":"true"}'
call GET /api/jobs
note "null values are dropped before validation:"
call POST /api/jobs/ '{"submission_id":"p-null","entrypoint":"true","runtime_env":null,"entrypoint_num_gpus":null}'

section "User-Agent and browser headers"
call POST /api/jobs/ '{"submission_id":"p-ua","entrypoint":"true"}' -A 'Mozilla/5.0 (X11; Linux x86_64)'
call DELETE /api/jobs/p-1 '' -A 'Mozilla/5.0'
call POST /api/jobs/p-1/stop '' -H 'Origin: http://example.org'
call GET /api/jobs/p-1 '' -A 'Mozilla/5.0'
call GET /api/jobs/p-1 '' -A 'Java-http-client/17.0.12'

section "job list: shape, order, secrets"
call GET /api/jobs/
call GET /api/jobs/ '' -H 'Referer: http://dashboard/'
call GET "/api/v0/jobs?detail=true&limit=2"

section "stop and delete"
call POST /api/jobs/ '{"submission_id":"p-2","entrypoint":"trap \"echo got SIGTERM; exit 143\" TERM; echo started; sleep 300 & wait","entrypoint_resources":{"raylane-pool-default":1}}'
wait_status p-2 RUNNING
sleep 1
call DELETE /api/jobs/p-2
t0=$(date +%s%3N)
call POST /api/jobs/p-2/stop
wait_status p-2 STOPPED FAILED SUCCEEDED
note "terminal $(($(date +%s%3N) - t0)) ms after the stop call"
call GET /api/jobs/p-2
call POST /api/jobs/p-2/stop
call GET /api/jobs/p-2/logs
call DELETE /api/jobs/p-2
call DELETE /api/jobs/p-2
call GET /api/jobs/p-2
note "a deleted submission id can be submitted again:"
call POST /api/jobs/ '{"submission_id":"p-2","entrypoint":"echo second life"}'
wait_status p-2 SUCCEEDED FAILED
call GET /api/jobs/p-2/logs

section "unknown job on every route"
for r in "GET /api/jobs/nope" "POST /api/jobs/nope/stop" "GET /api/jobs/nope/logs" "DELETE /api/jobs/nope" "GET /api/jobs/nope/logs/tail"; do
	call ${r% *} "${r#* }"
done

section "logs/tail"
CALL_TIMEOUT=10 call GET /api/jobs/p-1/logs/tail
note "same route with a WebSocket upgrade (finished job): raw frames"
curl -s -m 10 --http1.1 "${AUTH[@]}" -H 'Connection: Upgrade' -H 'Upgrade: websocket' -H 'Sec-WebSocket-Version: 13' \
	-H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' -D /tmp/probe.headers -o /tmp/probe.ws "$U/api/jobs/p-1/logs/tail"
head -1 /tmp/probe.headers
od -c /tmp/probe.ws | head -12

section "placement: no resources -> head; GPUs -> CUDA_VISIBLE_DEVICES; infeasible -> PENDING; failure"
call POST /api/jobs/ '{"submission_id":"p-3","entrypoint":"hostname; echo CVD=${CUDA_VISIBLE_DEVICES-unset}"}'
call POST /api/jobs/ '{"submission_id":"p-4","entrypoint":"hostname; echo CVD=${CUDA_VISIBLE_DEVICES-unset}; env | grep -E \"^RAY_(ADDRESS|JOB_CONFIG)\"","entrypoint_num_gpus":2,"entrypoint_resources":{"raylane-pool-default":1}}'
call POST /api/jobs/ '{"submission_id":"p-5","entrypoint":"echo never","entrypoint_resources":{"raylane-pool-nosuch":1}}'
call POST /api/jobs/ '{"submission_id":"p-6","entrypoint":"echo to stderr >&2; exit 3","entrypoint_resources":{"raylane-pool-default":1}}'
wait_status p-3 SUCCEEDED FAILED
wait_status p-4 SUCCEEDED FAILED
wait_status p-6 SUCCEEDED FAILED
for j in p-3 p-4; do
	call GET /api/jobs/$j
	call GET /api/jobs/$j/logs
done
call GET /api/jobs/p-6
call GET /api/jobs/p-5
call POST /api/jobs/p-5/stop
sleep 5
note "5 s after stopping a PENDING job:"
call GET /api/jobs/p-5

section "node death: raylet of w2 killed while a job runs there"
w2ip="$CLUSTER_WORKER_2_IP"
call POST /api/jobs/ "{\"submission_id\":\"p-7\",\"entrypoint\":\"echo on \$(hostname); sleep 600\",\"entrypoint_resources\":{\"node:$w2ip\":0.01,\"raylane-pool-default\":1}}"
wait_status p-7 RUNNING
old_id="$(field p-7 driver_node_id)"
t0=$(date +%s%3N)
"$here/cluster.sh" kill-raylet w2 2>&1
for i in $(seq 240); do
	st="$(curl -s "${AUTH[@]}" "$U/api/v0/nodes?filter_keys=node_id&filter_predicates=%3D&filter_values=$old_id" \
		| "$PY" -c 'import json,sys; print(json.load(sys.stdin)["data"]["result"]["result"][0]["state"])')"
	[[ $st == DEAD ]] && break
	sleep 0.25
done
note "node $old_id DEAD $(($(date +%s%3N) - t0)) ms after SIGKILL of its raylet"
wait_status p-7 FAILED STOPPED SUCCEEDED
note "job p-7 terminal $(($(date +%s%3N) - t0)) ms after SIGKILL"
call GET "/api/v0/nodes?detail=1&filter_keys=node_id&filter_predicates=%3D&filter_values=$old_id"
call GET /api/jobs/p-7
note "processes left in w2 after its raylet died:"
"$here/cluster.sh" exec w2 ps -e -o pid,ppid,pgid,etimes,args | cut -c1-150
t0=$(date +%s%3N)
"$here/cluster.sh" restart-node w2 2> /tmp/probe.restart
tail -1 /tmp/probe.restart
note "restart-node (ray stop + ray start) took $(($(date +%s%3N) - t0)) ms; processes now:"
"$here/cluster.sh" exec w2 ps -e -o pid,ppid,pgid,etimes,args | cut -c1-150
call GET "/api/v0/nodes?detail=1&filter_keys=node_ip&filter_predicates=%3D&filter_values=$w2ip"
note "the orphaned entrypoint survives ray stop; killing it by PID:"
for pid in $("$here/cluster.sh" exec w2 pgrep -f 'sleep 600'); do "$here/cluster.sh" exec w2 kill -KILL "$pid" && echo "killed $pid"; done

section "graceful ray stop of w1 (as the node-agent would stop a node), then ray start again"
w1ip="$CLUSTER_WORKER_1_IP"
w1_id="$(curl -s "${AUTH[@]}" "$U/api/v0/nodes?filter_keys=node_ip&filter_predicates=%3D&filter_values=$w1ip&filter_keys=state&filter_predicates=%3D&filter_values=ALIVE" \
	| "$PY" -c 'import json,sys; print(json.load(sys.stdin)["data"]["result"]["result"][0]["node_id"])')"
t0=$(date +%s%3N)
"$here/cluster.sh" exec w1 ray stop 2>&1 | tail -1
note "ray stop on w1 returned after $(($(date +%s%3N) - t0)) ms"
for i in $(seq 240); do
	st="$(curl -s "${AUTH[@]}" "$U/api/v0/nodes?filter_keys=node_id&filter_predicates=%3D&filter_values=$w1_id" \
		| "$PY" -c 'import json,sys; print(json.load(sys.stdin)["data"]["result"]["result"][0]["state"])')"
	[[ $st == DEAD ]] && break
	sleep 0.25
done
note "node $w1_id DEAD $(($(date +%s%3N) - t0)) ms after ray stop began"
call GET "/api/v0/nodes?detail=1&filter_keys=node_id&filter_predicates=%3D&filter_values=$w1_id"
"$here/cluster.sh" restart-node w1 2>&1 | tail -1

section "drain w2 (ray drain-node, PREEMPTION, deadline 120 s) while a job runs there"
w2_id="$(curl -s "${AUTH[@]}" "$U/api/v0/nodes?filter_keys=node_ip&filter_predicates=%3D&filter_values=$w2ip&filter_keys=state&filter_predicates=%3D&filter_values=ALIVE" \
	| "$PY" -c 'import json,sys; print(json.load(sys.stdin)["data"]["result"]["result"][0]["node_id"])')"
call POST /api/jobs/ "{\"submission_id\":\"p-9\",\"entrypoint\":\"sleep 25; echo drained job done\",\"entrypoint_resources\":{\"node:$w2ip\":0.01,\"raylane-pool-default\":1}}"
wait_status p-9 RUNNING
"$CLUSTER_RAY_BIN" drain-node --address "$CLUSTER_GCS_ADDRESS" --node-id "$w2_id" --reason DRAIN_NODE_REASON_PREEMPTION \
	--reason-message "raylane: node drained by probe" --deadline-remaining-seconds 120 2>&1 | tail -2
note "ray drain-node exit code ${PIPESTATUS[0]}"
call GET "/api/v0/nodes?detail=1&filter_keys=node_id&filter_predicates=%3D&filter_values=$w2_id"
call POST /api/jobs/ "{\"submission_id\":\"p-10\",\"entrypoint\":\"echo placed on \$(hostname)\",\"entrypoint_resources\":{\"node:$w2ip\":0.01}}"
call POST /api/jobs/ '{"submission_id":"p-11","entrypoint":"echo placed on $(hostname)","entrypoint_num_gpus":1}'
wait_status p-11 SUCCEEDED FAILED
call GET /api/jobs/p-11/logs
wait_status p-9 SUCCEEDED FAILED STOPPED
call GET /api/jobs/p-9
t0=$(date +%s%3N)
for i in $(seq 240); do
	st="$(curl -s "${AUTH[@]}" "$U/api/v0/nodes?filter_keys=node_id&filter_predicates=%3D&filter_values=$w2_id" \
		| "$PY" -c 'import json,sys; print(json.load(sys.stdin)["data"]["result"]["result"][0]["state"])')"
	[[ $st == DEAD ]] && break
	sleep 0.25
done
note "drained node $st $(($(date +%s%3N) - t0)) ms after its last job ended"
call GET "/api/v0/nodes?detail=1&filter_keys=node_id&filter_predicates=%3D&filter_values=$w2_id"
call GET /api/jobs/p-10
note "processes left on w2:"
"$here/cluster.sh" exec w2 ps -e -o pid,etimes,args | cut -c1-120
"$here/cluster.sh" restart-node w2 2>&1 | tail -1
note "draining an idle node with IDLE_TERMINATION, and a busy one:"
call POST /api/jobs/ "{\"submission_id\":\"p-12\",\"entrypoint\":\"sleep 30\",\"entrypoint_resources\":{\"node:$w1ip\":0.01}}"
wait_status p-12 RUNNING
w1_id="$(curl -s "${AUTH[@]}" "$U/api/v0/nodes?filter_keys=node_ip&filter_predicates=%3D&filter_values=$w1ip&filter_keys=state&filter_predicates=%3D&filter_values=ALIVE" \
	| "$PY" -c 'import json,sys; print(json.load(sys.stdin)["data"]["result"]["result"][0]["node_id"])')"
"$CLUSTER_RAY_BIN" drain-node --address "$CLUSTER_GCS_ADDRESS" --node-id "$w1_id" --reason DRAIN_NODE_REASON_IDLE_TERMINATION \
	--reason-message "raylane: idle" 2>&1 | tail -1
note "ray drain-node (IDLE_TERMINATION, busy node) exit code ${PIPESTATUS[0]}"
call POST /api/jobs/p-12/stop

section "PENDING jobs and the start timeout (RAY_JOB_START_TIMEOUT_SECONDS of the head, if set in RAYLANE_RAY_EXTRA_ENV)"
call POST /api/jobs/ '{"submission_id":"p-8","entrypoint":"echo never","entrypoint_resources":{"raylane-pool-nosuch":1}}'
wait_status p-8 FAILED STOPPED
call GET /api/jobs/p-8
wait_status p-5 FAILED STOPPED
call GET /api/jobs/p-5

section "metrics of worker w1 ($CLUSTER_WORKER_1_METRICS_URL)"
curl -s -o /tmp/probe.metrics -w '<<< %{http_code} | %{content_type}\n' "$CLUSTER_WORKER_1_METRICS_URL"
note "metric families with gpu/gram in the name:"
grep -v '^#' /tmp/probe.metrics | sed 's/{.*//' | grep -i -E 'gpu|gram' | sort -u
note "ray_resources and one node-level series, labels in full:"
grep -E '^ray_resources\{' /tmp/probe.metrics | sort
grep -E '^ray_node_cpu_utilization\{|^ray_node_mem_used\{' /tmp/probe.metrics
grep -E '^# (HELP|TYPE) ray_resources ' /tmp/probe.metrics
note "all metric families ($(grep -v '^#' /tmp/probe.metrics | sed 's/{.*//;s/ .*//' | sort -u | wc -l)):"
grep -v '^#' /tmp/probe.metrics | sed 's/{.*//;s/ .*//' | sort -u | tr '\n' ' '
echo

section "Prometheus service discovery"
ls -l "$(dirname "$CLUSTER_PROMETHEUS_SD_FILE")" | grep prom
cat "$CLUSTER_PROMETHEUS_SD_FILE"
echo
call GET /api/prometheus/sd

section "extras: wrong method, \${VAR} in env_vars, CUDA_VISIBLE_DEVICES without GPUs, SD file after a node stops"
call PUT /api/jobs/p-1
call PATCH /api/jobs/
call POST /api/jobs/ '{"submission_id":"p-13","entrypoint":"echo P=$P; echo CVD=${CUDA_VISIBLE_DEVICES-unset}","runtime_env":{"env_vars":{"P":"/opt/x:${PATH}","Q":"${NOPE}"}},"entrypoint_resources":{"raylane-pool-default":1}}'
wait_status p-13 SUCCEEDED FAILED
call GET /api/jobs/p-13/logs
"$here/cluster.sh" exec w2 ray stop 2>&1 | tail -1
sleep 5
note "SD file 5 s after ray stop on w2:"
cat "$CLUSTER_PROMETHEUS_SD_FILE"
echo
"$here/cluster.sh" restart-node w2 2>&1 | tail -1

section "job list at the end"
call GET /api/jobs/
"$PY" -c 'import json; print([(j["submission_id"], j["status"]) for j in json.load(open("/tmp/probe.body"))])'
