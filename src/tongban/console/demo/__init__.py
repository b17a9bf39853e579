"""The demo city 重庆市 (500000): data files in ``data/`` and the idempotent seed in ``seed.py``."""
