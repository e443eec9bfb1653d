# Trellis: one image for the web, worker, beat and migrate services (see docker-compose.yml).

FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext \
    && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
WORKDIR /app

# Dependencies first, so that a change of code does not reinstall them.
COPY pyproject.toml README.md ./
RUN pip install .

COPY . .
# Compiled translations are not in the repository; static files are collected with the production
# storage, which fingerprints and compresses them for WhiteNoise.
RUN if find . -name '*.po' | grep -q .; then python manage.py compilemessages -v0; fi \
    && DJANGO_DEBUG=false python manage.py collectstatic --noinput -v0


FROM python:3.11-slim
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_DEBUG=false
RUN useradd --system --uid 10001 --no-create-home --home-dir /app trellis \
    && install -d -o trellis -g trellis /var/lib/trellis/beat
COPY --from=build /opt/venv /opt/venv
COPY --from=build /app /app
WORKDIR /app
# The code stays owned by root: the processes cannot change it.
USER trellis
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
