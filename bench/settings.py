"""Settings for benchmark runs: the product settings plus a bare endpoint used as the baseline."""

from tongban.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
