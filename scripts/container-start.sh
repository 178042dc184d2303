#!/bin/sh
# The image's entry point: `run` first migrates the database (`briefbot db upgrade`, safe to repeat), so a
# wrong BRIEFBOT_DATABASE_URL ends the container with one line and a non-zero status before anything starts;
# every other command (worker, doctor, console, brief ...) runs as given.
set -e
if [ "${1:-run}" = "run" ]; then
    briefbot db upgrade
fi
exec briefbot "$@"
