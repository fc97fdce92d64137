#!/usr/bin/env bash
# Regenerates the committed verl key lists: installs (idempotently) the venv of every version in versions.txt
# (install-verl.sh), then runs generate.py in each. Writes into OUT (default: the jobspec module's resources,
# jobspec/src/main/resources/io/raylane/jobspec/workload/verl/<version>/). Read the diff, then commit it.
#
#   generate.sh [OUT]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${1:-$here/../jobspec/src/main/resources/io/raylane/jobspec/workload/verl}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
"$here/install-verl.sh" | while read -r venv; do
	(cd "$here" && "$venv/bin/python" generate.py "$out")
done
