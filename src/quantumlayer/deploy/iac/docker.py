"""Dockerfile (multi-stage, non-root, health-checked) and docker-compose.yml for a project."""

from __future__ import annotations

import json

from ..profile import DeploymentProfile
from .yamltext import dump_yaml

APP_UID = 10001
PYTHON_IMAGE = "python:3.12-slim"
STATIC_IMAGE = "nginxinc/nginx-unprivileged:1.27-alpine"
POSTGRES_IMAGE = "postgres:16-alpine"


def _exec_form(argv: tuple[str, ...] | list[str]) -> str:
    """A JSON array: Docker's exec form, so no shell interprets anything."""
    return json.dumps(list(argv))


def _health_probe(port: int, path: str) -> list[str]:
    url = f"http://127.0.0.1:{port}{path}"
    return ["python", "-c",
            f"import urllib.request; urllib.request.urlopen({url!r}, timeout=2)"]


def dockerfile(profile: DeploymentProfile) -> str:
    """The Dockerfile of the project, by the kind of program it is."""
    rt = profile.runtime
    if rt.kind == "static":
        return _static_dockerfile(profile)
    extras = f"[{','.join(rt.extras)}]" if rt.extras else ""
    copies = "\n".join(f"COPY {pkg} ./{pkg}" for pkg in rt.packages)
    lines = [
        "# syntax=docker/dockerfile:1",
        "",
        "# Build stage: install the project and its dependencies into a virtual environment.",
        f"FROM {PYTHON_IMAGE} AS build",
        "ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1",
        "RUN python -m venv /opt/venv",
        'ENV PATH="/opt/venv/bin:$PATH"',
        "WORKDIR /src",
        "COPY pyproject.toml ./",
        copies,
        f'RUN pip install ".{extras}"',
        "",
        "# Runtime stage: only the virtual environment, run by an unprivileged user.",
        f"FROM {PYTHON_IMAGE}",
        "ENV PYTHONDONTWRITEBYTECODE=1 \\",
        "    PYTHONUNBUFFERED=1 \\",
        '    PATH="/opt/venv/bin:$PATH"' + (" \\" if rt.uses_database else ""),
    ]
    if rt.uses_database:
        lines.append('    DATABASE_URL="sqlite:////data/app.db"')
    lines += [
        f"RUN useradd --create-home --uid {APP_UID} app \\",
        "    && mkdir /data \\",
        "    && chown app /data",
        "COPY --from=build /opt/venv /opt/venv",
        "WORKDIR /home/app",
        f"USER {APP_UID}",
        'VOLUME ["/data"]',
    ]
    if rt.is_service:
        lines += [
            f"ENV PORT={rt.port}",
            f"EXPOSE {rt.port}",
            "HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \\",
            f"    CMD {_exec_form(_health_probe(rt.port, rt.health_path))}",
        ]
    else:
        lines.append("# A command-line program: no long-running process to health-check.")
        lines.append("HEALTHCHECK NONE")
    if rt.kind == "cli":
        lines.append(f"ENTRYPOINT {_exec_form(rt.command)}")
        lines.append('CMD ["--help"]')
    else:
        lines.append(f"CMD {_exec_form(rt.command)}")
    return "\n".join(lines) + "\n"


def _static_dockerfile(profile: DeploymentProfile) -> str:
    rt = profile.runtime
    site = rt.static_dir or "site"
    return "\n".join([
        "# syntax=docker/dockerfile:1",
        "",
        "# Build stage: pre-compress the pages so nginx can serve them gzipped.",
        "FROM alpine:3.20 AS build",
        f"COPY {site}/ /site/",
        "RUN find /site -type f \\( -name '*.html' -o -name '*.css' -o -name '*.js' "
        "-o -name '*.svg' \\) -exec gzip -k -9 {} +",
        "",
        "# Runtime stage: nginx as an unprivileged user (uid 101), port 8080.",
        f"FROM {STATIC_IMAGE}",
        "COPY nginx.conf /etc/nginx/conf.d/default.conf",
        "COPY --from=build /site/ /usr/share/nginx/html/",
        "USER 101",
        f"EXPOSE {rt.port}",
        "HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --retries=3 \\",
        f'    CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1:{rt.port}{rt.health_path}"]',
        "",
    ])


def nginx_conf(profile: DeploymentProfile) -> str:
    """The server block of a static site: gzip, caching, security headers, a health path."""
    return "\n".join([
        "server {",
        f"    listen {profile.runtime.port};",
        "    server_name _;",
        "    root /usr/share/nginx/html;",
        "    index index.html;",
        "    gzip_static on;",
        "    add_header X-Content-Type-Options nosniff always;",
        "    add_header X-Frame-Options DENY always;",
        "    add_header Referrer-Policy strict-origin-when-cross-origin always;",
        "    add_header Content-Security-Policy \"default-src 'self'\" always;",
        "",
        "    location = /health {",
        "        access_log off;",
        "        return 200 'ok';",
        "    }",
        "    location ~* \\.(css|js|svg|png|jpg|webp|woff2)$ {",
        "        expires 7d;",
        "    }",
        "    location / {",
        "        try_files $uri $uri/ $uri.html =404;",
        "    }",
        "}",
        "",
    ])


def dockerignore(profile: DeploymentProfile) -> str:
    del profile  # the same list fits every kind
    return "\n".join([
        ".git", ".github", ".gitlab-ci.yml", ".venv", "__pycache__", "*.pyc", ".pytest_cache",
        ".ruff_cache", "*.db", "tests", "docs", "k8s", "terraform", "monitoring", "Dockerfile",
        ".dockerignore", "docker-compose.yml", "",
    ])


def compose(profile: DeploymentProfile) -> str:
    """docker-compose.yml: the service, and the database it needs (which also holds its queue)."""
    rt = profile.runtime
    name = profile.name
    app: dict[str, object] = {"build": ".", "image": f"{name}:local"}
    if rt.is_service:
        app["ports"] = [f"{rt.port}:{rt.port}"]
    environment: dict[str, str] = {"LOG_LEVEL": "info"}
    services: dict[str, object] = {}
    if rt.uses_database:
        environment["DATABASE_URL"] = (
            "postgresql+psycopg://app:${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}@db:5432/app"
        )
        app["depends_on"] = {"db": {"condition": "service_healthy"}}
    for var in rt.secrets:
        environment[var] = "${" + var + ":?set " + var + "}"
    app["environment"] = environment
    if rt.is_service:
        app["healthcheck"] = {
            "test": (["CMD", *_health_probe(rt.port, rt.health_path)] if rt.kind != "static"
                     else ["CMD", "wget", "-q", "-O", "/dev/null",
                           f"http://127.0.0.1:{rt.port}{rt.health_path}"]),
            "interval": "30s",
            "timeout": "3s",
            "retries": 3,
            "start_period": "10s",
        }
    app["restart"] = "unless-stopped"
    app["read_only"] = True
    app["tmpfs"] = ["/tmp"]
    app["security_opt"] = ["no-new-privileges:true"]
    services[name] = app
    volumes: dict[str, object] = {}
    if rt.uses_database:
        services["db"] = {
            "image": POSTGRES_IMAGE,
            "environment": {
                "POSTGRES_USER": "app",
                "POSTGRES_DB": "app",
                "POSTGRES_PASSWORD": "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}",
            },
            "volumes": ["db-data:/var/lib/postgresql/data"],
            "healthcheck": {
                "test": ["CMD-SHELL", "pg_isready -U app -d app"],
                "interval": "10s",
                "timeout": "3s",
                "retries": 5,
            },
            "restart": "unless-stopped",
        }
        volumes["db-data"] = {}
    document: dict[str, object] = {"name": name, "services": services}
    if volumes:
        document["volumes"] = volumes
    return dump_yaml(document, header="docker compose up --build (see DEPLOY.md)")
