#!/usr/bin/env bash
# Creates (idempotently) a Python virtual environment holding the pinned Ray the build tests against,
# and prints its path on the last line of stdout.
#
#   RAYLANE_RAY_VENV  where the venv lives (default $HOME/.cache/raylane/ray-2.60.0)
#   RAYLANE_PYTHON    interpreter to build it from (default python3); must be >= 3.9
#
# Every package is pinned by constraints.txt (a pip freeze of a working install), so two machines get
# the same dependency set, not just the same Ray.
set -euo pipefail

RAY_VERSION=2.60.0
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="${RAYLANE_RAY_VENV:-$HOME/.cache/raylane/ray-$RAY_VERSION}"
python="${RAYLANE_PYTHON:-python3}"

die() { echo "install-ray: $*" >&2; exit 1; }

command -v "$python" >/dev/null 2>&1 || die "no '$python' on PATH; Ray $RAY_VERSION needs Python >= 3.9 (set RAYLANE_PYTHON)"
"$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' \
	|| die "$("$python" -V 2>&1) is too old; Ray $RAY_VERSION needs Python >= 3.9 (set RAYLANE_PYTHON)"
"$python" -c 'import venv, ensurepip' 2>/dev/null \
	|| die "'$python' has no venv/ensurepip module (Debian: apt-get install python3-venv)"

# Already done? The marker is written only after the version check below passed.
marker="$venv/.raylane-ray-$RAY_VERSION"
# (importlib.metadata answers in 0.1 s where `ray --version` needs 3 s.)
if [[ -f "$marker" && -x "$venv/bin/ray" ]] \
	&& [[ "$("$venv/bin/python" -c 'from importlib.metadata import version; print(version("ray"))' 2>/dev/null)" == "$RAY_VERSION" ]]; then
	echo "install-ray: Ray $RAY_VERSION already installed" >&2
	echo "$venv"
	exit 0
fi

mkdir -p "$(dirname "$venv")"
[[ -x "$venv/bin/python" ]] || "$python" -m venv "$venv" || die "could not create venv at $venv"
# The venv's own pip: quiet, no cache shared with the user's pip.
"$venv/bin/python" -m pip install -q --disable-pip-version-check -c "$here/constraints.txt" "ray[default]==$RAY_VERSION" \
	|| die "pip could not install ray[default]==$RAY_VERSION into $venv"

got="$("$venv/bin/ray" --version 2>&1)" || die "'$venv/bin/ray --version' failed: $got"
[[ "$got" == *"version $RAY_VERSION"* ]] || die "expected Ray $RAY_VERSION, '$venv/bin/ray --version' says: $got"
touch "$marker"
echo "install-ray: $got in $venv" >&2
echo "$venv"
