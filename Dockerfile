# briefbot: `briefbot run` (migrating the database first), or `briefbot worker`, as a non-root user.
#   docker build -t briefbot .
# The base is the slim official Python image; any Debian-based image with python3 and its venv module will
# do (PYTHON_IMAGE), which is how the test suite builds it with podman from a base bootstrapped from Debian.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm
FROM ${PYTHON_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/briefbot \
    PATH=/opt/briefbot/bin:$PATH

# Only what installs briefbot, so that a change to the tests or the README rebuilds nothing.
WORKDIR /src
COPY pyproject.toml README.md ./
COPY requirements ./requirements
COPY scripts ./scripts
COPY briefings ./briefings
COPY bot ./bot
# Behind a TLS-intercepting proxy, give pip its CA (PIP_CERT, a file mounted into the build) or a mirror.
ARG PIP_CERT
ARG PIP_INDEX_URL
# The same install steps as `make setup` (scripts/install.sh): briefbot, then the spaCy model by its hash.
RUN python3 -m venv /opt/briefbot \
    && sh scripts/install.sh /opt/briefbot/bin/python . \
    && install -m 0755 scripts/container-start.sh /usr/local/bin/briefbot-start \
    && cd / && rm -rf /src

RUN useradd --system --uid 10001 --user-group --home-dir /var/lib/briefbot --create-home briefbot
USER briefbot
WORKDIR /var/lib/briefbot

# Health and metrics on 9464 (reachable from other containers), Slack's HTTP mode on 3000.
ENV BRIEFBOT_DATA_DIR=/var/lib/briefbot/data \
    BRIEFBOT_HEALTH_PORT=9464 \
    BRIEFBOT_HEALTH_HOST=0.0.0.0 \
    BRIEFBOT_SLACK_HOST=0.0.0.0 \
    BRIEFBOT_SHUTDOWN_GRACE_S=25
EXPOSE 9464 3000
VOLUME ["/var/lib/briefbot/data"]

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python3", "-c", "import sys, urllib.request as u; sys.exit(u.urlopen('http://127.0.0.1:9464/healthz', timeout=4).status != 200)"]

# SIGTERM: digests and polls in flight get BRIEFBOT_SHUTDOWN_GRACE_S to finish (keep the orchestrator's
# stop timeout above it), then briefbot exits 0.
STOPSIGNAL SIGTERM
ENTRYPOINT ["briefbot-start"]
CMD ["run"]
