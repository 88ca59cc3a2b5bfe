"""Settings for the throughput bench only (bench/bench_realisasi.py): production settings
(DEBUG off, persistent connections) on the load database, with a secret key, 127.0.0.1 as the
only host, django-axes off (its checks would add queries to the bare view) and a URL conf that
adds the bench-only bare insert view. Never used by the application itself.
"""

from __future__ import annotations

import os

os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/kinerja_load")
os.environ["DEBUG"] = "false"

from config.settings import *  # noqa: F403
from config.settings import DATABASES

ALLOWED_HOSTS = ["127.0.0.1"]
AXES_ENABLED = False
ROOT_URLCONF = "bench_urls"
assert DATABASES["default"]["CONN_MAX_AGE"] > 0, "the bench needs persistent connections"
