"""The benchmark's ceiling: the project's own settings and middleware, one view returning "ok"."""

from portal.settings import *  # noqa: F403

ROOT_URLCONF = "bench.ceiling_urls"
