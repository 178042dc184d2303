#!/bin/sh
# A Debian bookworm base image with python3 and venv, bootstrapped from Debian's packages, for building
# briefbot's image with podman where no image registry is reachable (as on the project's machines):
#   apt-get install -y podman runc debootstrap
#   sh scripts/podman-base.sh            # -> localhost/briefbot-base:bookworm
#   podman build --build-arg PYTHON_IMAGE=localhost/briefbot-base:bookworm -t briefbot .
# (tests/test_container_image.py builds and runs it when this base exists.)
set -eu
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates bookworm "$root" \
    "${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
tar -C "$root" -c . | podman import - localhost/briefbot-base:bookworm
