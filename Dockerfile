# ctlex: API + pages. Build: docker build -t ctlex .
FROM python:3.11-slim AS base

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    CTLEX_DATA_DIR=/data

WORKDIR /app
RUN useradd --system --uid 10001 --home-dir /app ctlex \
 && mkdir -p /data && chown ctlex /data

COPY pyproject.toml README.md alembic.ini ./
COPY app ./app
COPY ingest ./ingest
COPY search_index ./search_index
COPY migrations ./migrations
COPY corpus ./corpus
RUN pip install -e . && chown -R ctlex /app

USER ctlex
EXPOSE 8000
VOLUME ["/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/api/health', timeout=4).status == 200 else 1)"

# Migrate, then serve. Ingest is an explicit admin step: docker compose run ctlex ctlex ingest
CMD ["sh", "-c", "ctlex db upgrade && ctlex serve --host 0.0.0.0 --port 8000"]
