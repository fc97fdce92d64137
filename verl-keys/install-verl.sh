#!/usr/bin/env bash
# Creates (idempotently) one Python venv per supported verl version, each holding that verl installed WITHOUT
# its dependencies (no torch, no ray: only its code and its config tree, verl/trainer/config/) and the pinned
# Hydra/OmegaConf of constraints.txt. Prints each venv's path on its own line of stdout.
#
#   install-verl.sh [VERSION...]   default: every version in versions.txt
#   RAYLANE_VERL_VENV_ROOT  where the venvs live (default $HOME/.cache/raylane): <root>/verl-<version>
#   RAYLANE_PYTHON          interpreter to build them from (default python3); must be >= 3.9
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="${RAYLANE_VERL_VENV_ROOT:-$HOME/.cache/raylane}"
python="${RAYLANE_PYTHON:-python3}"

die() { echo "install-verl: $*" >&2; exit 1; }

command -v "$python" >/dev/null 2>&1 || die "no '$python' on PATH (set RAYLANE_PYTHON)"
"$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' \
	|| die "$("$python" -V 2>&1) is too old; Python >= 3.9 is needed (set RAYLANE_PYTHON)"
"$python" -c 'import venv, ensurepip' 2>/dev/null \
	|| die "'$python' has no venv/ensurepip module (Debian: apt-get install python3-venv)"

if [[ $# -gt 0 ]]; then
	versions=("$@")
else
	mapfile -t versions < <(grep -v '^#' "$here/versions.txt" | grep -v '^[[:space:]]*$')
fi
# the marker names the constraints too, so changing a pin reinstalls
stamp="$(cksum < "$here/constraints.txt" | cut -d' ' -f1)"

for version in "${versions[@]}"; do
	venv="$root/verl-$version"
	marker="$venv/.raylane-verl-$version-$stamp"
	installed() {
		"$venv/bin/python" -c 'from importlib.metadata import version; print(version("verl"), version("hydra-core"))' 2>/dev/null
	}
	if [[ -f "$marker" && -x "$venv/bin/python" ]] && [[ "$(installed)" == "$version "* ]]; then
		echo "install-verl: verl $version already installed" >&2
		echo "$venv"
		continue
	fi
	mkdir -p "$root"
	[[ -x "$venv/bin/python" ]] || "$python" -m venv "$venv" || die "could not create venv at $venv"
	rm -f "$venv"/.raylane-verl-*
	# pip's output goes to a log shown only on failure: with --no-deps it always complains, harmlessly, that
	# verl's dependencies (torch, ray, ...) are missing
	log="$venv/.raylane-install.log"
	pip() { "$venv/bin/python" -m pip install -q --disable-pip-version-check "$@" >"$log" 2>&1 || { cat "$log" >&2; return 1; }; }
	pip -c "$here/constraints.txt" hydra-core omegaconf || die "pip could not install hydra-core into $venv"
	pip --no-deps "verl==$version" || die "pip could not install verl==$version into $venv"
	[[ "$(installed)" == "$version "* ]] || die "expected verl $version in $venv, found: $(installed || true)"
	[[ -f "$("$venv/bin/python" -c 'import importlib.util as u; print(u.find_spec("verl").submodule_search_locations[0])')/trainer/config/ppo_trainer.yaml" ]] \
		|| die "verl $version in $venv has no trainer/config/ppo_trainer.yaml"
	touch "$marker"
	echo "install-verl: verl $version (without dependencies) and hydra-core in $venv" >&2
	echo "$venv"
done
