"""gunicorn settings shared by `make serve`, the benchmarks and production (systemd)."""

import gc
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
if not os.environ.get("REDIS_URL"):
    # Without Redis each worker has its own cache (CACHE_SINGLE_PROCESS): one worker only, or a
    # page withdrawn through one would still be served by another.
    workers = 1
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = 30
graceful_timeout = 30
# Workers are forked from a master that has already loaded Django, so a recycled worker answers
# at once instead of importing the project again (a code update then needs a restart, not HUP).
preload_app = True
# Recycling guards against slow leaks; at a few hundred requests a second a low limit would
# recycle a worker every few seconds.
max_requests = 20000
max_requests_jitter = 2000
accesslog = "-"
# The access log carries the client address (portal/clientip.py, believed from X-Forwarded-For
# only behind TRUSTED_PROXIES) and the path only: query strings may hold personal data.
access_log_format = '%({portal.client_ip}e)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'


def pre_fork(server, worker):
    # Everything the master loaded (Django, the URL and template machinery) is moved out of the
    # collector's reach: a full collection in a worker then scans only what requests created
    # (measured in-process: a full collection over the loaded project took about 80 ms), and
    # the forked workers keep sharing those pages instead of copying them when the collector
    # touches their headers.
    gc.freeze()
