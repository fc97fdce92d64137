#!/usr/bin/env bash
# Creates (idempotently) a Python virtual environment holding the pinned schemathesis that fuzzes the API from its
# OpenAPI document (api's OpenApiFuzzTest), and prints its path on the last line of stdout.
#
#   RAYLANE_SCHEMATHESIS_VENV  where the venv lives (default $HOME/.cache/raylane/schemathesis-4.32.5)
#   RAYLANE_PYTHON             interpreter to build it from (default python3); must be >= 3.10
#
# Every dependency is pinned by constraints.txt (a pip freeze of a working install).
set -euo pipefail

VERSION=4.32.5
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="${RAYLANE_SCHEMATHESIS_VENV:-$HOME/.cache/raylane/schemathesis-$VERSION}"
python="${RAYLANE_PYTHON:-python3}"

die() { echo "install-schemathesis: $*" >&2; exit 1; }

command -v "$python" >/dev/null 2>&1 || die "no '$python' on PATH; schemathesis $VERSION needs Python >= 3.10"
"$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' \
	|| die "$("$python" -V 2>&1) is too old; schemathesis $VERSION needs Python >= 3.10 (set RAYLANE_PYTHON)"

marker="$venv/.raylane-schemathesis-$VERSION"
if [[ -f "$marker" && -x "$venv/bin/st" ]]; then
	echo "install-schemathesis: schemathesis $VERSION already installed" >&2
	echo "$venv"
	exit 0
fi

mkdir -p "$(dirname "$venv")"
[[ -x "$venv/bin/python" ]] || "$python" -m venv "$venv" || die "could not create venv at $venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check -c "$here/constraints.txt" "schemathesis==$VERSION" \
	|| die "pip could not install schemathesis==$VERSION into $venv"
[[ "$("$venv/bin/python" -c 'from importlib.metadata import version; print(version("schemathesis"))')" == "$VERSION" ]] \
	|| die "the venv at $venv does not hold schemathesis $VERSION"
touch "$marker"
echo "$venv"
