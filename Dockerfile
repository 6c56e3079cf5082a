# Canasta: one process, one SQLite file on the /data volume.
#   docker build -t canasta .
#   docker run -d --name canasta -e BOT_TOKEN=... -v canasta-data:/data canasta
# Polling by default; WEBHOOK_URL=https://... switches to webhook mode on PORT (see
# compose.webhook.yaml). /healthz and /metrics answer on port 8080 in both modes.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    CANASTA_DB=/data/canasta.db \
    PORT=8080 \
    HEALTH_PORT=8080

# A user of its own, owning only the data folder.
RUN useradd --system --uid 10001 --user-group --home-dir /data --shell /usr/sbin/nologin canasta \
    && mkdir -p /data && chown canasta:canasta /data

WORKDIR /src
COPY pyproject.toml README.md LICENSE constraints.txt ./
COPY bot ./bot
COPY dialogs ./dialogs
COPY locales ./locales
# The versions the tests ran with (constraints.txt); the wheel carries dialogs/ and locales/.
RUN pip install --no-cache-dir -c constraints.txt . \
    && mkdir -p /usr/share/doc/canasta && cp LICENSE /usr/share/doc/canasta/ \
    && cd / && rm -rf /src

USER canasta
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8080

HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["canasta", "healthcheck"]

# SIGTERM (docker stop) ends it cleanly: updates in hand are finished, the lock released.
STOPSIGNAL SIGTERM
CMD ["canasta", "run"]
