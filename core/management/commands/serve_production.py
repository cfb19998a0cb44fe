"""``manage.py serve_production``: collect static files, then serve with gunicorn.

The production stack on one machine, as it runs behind a load balancer: gunicorn with
config/gunicorn.conf.py, static files from WhiteNoise, media on disk or in the bucket. Several
``--port`` options start one independent app server on each (what a load balancer spreads
requests over). Ctrl-C stops them all.
"""

from __future__ import annotations

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from core.serving import start_app_servers, stop_app_servers


class Command(BaseCommand):
    help = "Collect static files and serve the site with gunicorn (one server per --port)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument(
            "--port", type=int, action="append", dest="ports", help="repeat for more servers"
        )
        parser.add_argument("--workers", type=int, help="default: WEB_CONCURRENCY")
        parser.add_argument("--threads", type=int, help="default: GUNICORN_THREADS")
        parser.add_argument("--migrate", action="store_true", help="apply migrations first")
        parser.add_argument("--no-collectstatic", action="store_true")

    def handle(self, *args, host, ports, workers, threads, migrate, no_collectstatic, **options):
        if migrate:
            call_command("migrate", interactive=False, verbosity=options["verbosity"])
        if not no_collectstatic:
            call_command("collectstatic", interactive=False, verbosity=0)
        servers = start_app_servers(ports or [8000], host=host, workers=workers, threads=threads)
        for server in servers:
            self.stdout.write(f"Serving on {server.url} (gunicorn pid {server.process.pid})")
        try:
            while all(server.process.poll() is None for server in servers):
                time.sleep(1)
        except KeyboardInterrupt:
            pass
        finally:
            stop_app_servers(servers)
