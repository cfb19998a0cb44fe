"""gunicorn's configuration, read from the environment: ``gunicorn -c config/gunicorn.conf.py``.

Sized for a small machine by default. ``WEB_CONCURRENCY`` worker processes each run
``GUNICORN_THREADS`` threads (gthread), so one slow request does not stop the others; a request
that takes longer than ``GUNICORN_TIMEOUT`` seconds gets its worker restarted, which the
database's own connect and statement timeouts (a few seconds) are set well below. Logs go to
stderr; the access log is written by the app (core.requestid) as JSON with the request id.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number (got {raw!r}).") from None


wsgi_app = "config.wsgi:application"
bind = (
    os.environ.get("GUNICORN_BIND", "").split(",")
    if os.environ.get("GUNICORN_BIND")
    else [f"127.0.0.1:{_int('PORT', 8000)}"]
)
workers = _int("WEB_CONCURRENCY", min(4, multiprocessing.cpu_count() * 2))
worker_class = "gthread"
threads = _int("GUNICORN_THREADS", 4)
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 20)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Restart each worker after this many requests (with jitter), bounding any slow leak.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10
# Requests larger than this are refused by gunicorn before they reach Django.
limit_request_line = 8190
# Load the app in the master, so a broken configuration stops start-up with its message.
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").lower() in ("1", "true", "yes", "on")
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# The proxy in front sets X-Forwarded-*; gunicorn trusts them only from these addresses.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# gunicornc's control socket has one default path per machine, which several servers on one
# host (the load test, scale-out on one box) would fight over: off unless a path is given.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "") or None
control_socket_disable = not control_socket

# gunicorn's own messages (boots, worker timeouts) in the same JSON lines as the app's.
if (
    os.environ.get(
        "LOG_FORMAT",
        "json" if os.environ.get("DEBUG", "").lower() in ("0", "false", "no", "off") else "text",
    )
    == "json"
):
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
                "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
            }
        },
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "json"},
        },
        "loggers": {
            "gunicorn.error": {
                "handlers": ["console"],
                "level": loglevel.upper(),
                "propagate": False,
            },
        },
    }
