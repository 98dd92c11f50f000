# syntax=docker/dockerfile:1
# One image for web (gunicorn), worker and beat (celery); docker-compose.yml picks
# the command. The app runs from the source tree in /app.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    DJANGO_SETTINGS_MODULE=posyandu.settings.base \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/media

# WeasyPrint loads Pango/HarfBuzz/fontconfig at run time (bookworm ships Pango 1.50;
# WeasyPrint needs >= 1.44). harfbuzz-subset keeps embedded fonts small in the PDFs.
# DejaVu is the PDF font; poppler-utils gives pdftotext/pdftoppm for checking PDFs.
# Versions are not pinned: bookworm only moves them for security fixes.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
        fonts-dejavu-core \
        shared-mime-info \
        poppler-utils \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --shell /usr/sbin/nologin app

WORKDIR /app

# Dependencies first, so a code change does not reinstall them. pyproject.toml has
# `packages = []`: `pip install .` installs only the dependencies (the project
# itself is an empty distribution), so pyproject.toml alone is enough here.
COPY pyproject.toml ./
RUN pip install --no-cache-dir . \
    && rm -rf build ./*.egg-info

# The source tree. Code stays root-owned (the app user cannot change it).
# templates/, static/ and locale/ are copied through a one-character glob: BuildKit
# then accepts a missing folder (git does not keep empty ones) instead of failing.
COPY manage.py ./
COPY posyandu ./posyandu
COPY ilp ./ilp
COPY kader ./kader
COPY reports ./reports
COPY template[s] ./templates/
COPY stati[c] ./static/
COPY local[e] ./locale/

# Static files are baked into the image and served by WhiteNoise. The key is a
# build-time dummy: collectstatic needs settings to load, never the real secret.
RUN mkdir -p static templates \
    && DEBUG=0 SECRET_KEY=build-only-not-secret python manage.py collectstatic --noinput \
    && install -d -o app -g app /app/media

USER 10001:10001
EXPOSE 8000
CMD ["gunicorn", "posyandu.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60"]
