"""Shared benchmark plumbing: a fresh database, a seeded demo city, a granian server, wrk runs."""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable


@dataclass
class Load:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    total: int
    errors: int

    def row(self, name: str) -> str:
        return (f"{name:<28} {self.requests_per_s:>9.0f} req/s   p50 {self.p50_ms:>7.1f} ms"
                f"   p99 {self.p99_ms:>7.1f} ms   n={self.total} non-2xx/errors={self.errors}")


def bench_env(db_url: str, home: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "TONGBAN_HOME": home, "TONGBAN_DATABASE_URL": db_url, "DJANGO_SETTINGS_MODULE": "bench.settings",
        "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'src'}", "TONGBAN_LOG_LEVEL": "WARNING",
        "TONGBAN_REDIS_URL": os.environ.get("TONGBAN_BENCH_REDIS_URL", "redis://127.0.0.1:6379/15"),
    })
    return env


def fresh_postgres(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def prepare(env: dict[str, str]) -> None:
    subprocess.run([PY, "-m", "tongban.cli", "migrate"], env=env, check=True, cwd=ROOT)
    subprocess.run([PY, "-m", "tongban.cli", "seed"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    script = ("from django.db import connection\n"
              "with connection.cursor() as c:\n"
              "    pk = 'BIGSERIAL PRIMARY KEY' if connection.vendor == 'postgresql' else 'INTEGER PRIMARY KEY'\n"
              "    c.execute(f'CREATE TABLE IF NOT EXISTS bench_bare (id {pk}, owner_id BIGINT, body TEXT, "
              "created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP)')\n")
    subprocess.run([PY, "-m", "tongban.cli", "manage", "shell", "-c", script], env=env, check=True, cwd=ROOT)


def serve(env: dict[str, str], port: int, workers: int, threads: int) -> subprocess.Popen:
    cmd = [PY, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port),
           "--workers", str(workers), "--blocking-threads", str(threads), "--log-level", "warning",
           "--no-access-log", "tongban.wsgi:application"]
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).read()
            return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("server did not start")


def login(base: str, username: str, password: str) -> tuple[str, str]:
    """Sign in through the public API; returns (Cookie header, CSRF token)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    req = urllib.request.Request(f"{base}/api/v1/auth/login", method="POST",
                                 data=json.dumps({"username": username, "password": password}).encode(),
                                 headers={"Content-Type": "application/json"})
    opener.open(req).read()
    cookies = {c.name: c.value for c in jar}
    return "; ".join(f"{k}={v}" for k, v in cookies.items()), cookies["csrftoken"]


def get_json(base: str, path: str) -> dict:
    return json.loads(urllib.request.urlopen(f"{base}{path}").read())


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    m = re.match(r"([\d.]+)(us|ms|s|m)", text)
    if not m:
        raise ValueError(text)
    return float(m.group(1)) * _UNITS[m.group(2)]


def lua_str(text: str) -> str:
    """A Lua string literal for ``text`` (UTF-8 bytes as decimal escapes).

    Why not JSON quoting: Lua has no ``\\uXXXX`` escape, and wrk silently ignores a script that fails to
    parse — it would then send plain GETs and measure 405s."""
    return '"' + "".join(chr(b) if 32 <= b < 127 and b not in (34, 92) else f"\\{b:03d}"
                         for b in text.encode()) + '"'


def _tree(pid: int) -> list[int]:
    pids, todo = [], [pid]
    while todo:
        p = todo.pop()
        pids.append(p)
        with contextlib.suppress(OSError):
            todo += [int(c) for t in os.listdir(f"/proc/{p}/task")
                     for c in Path(f"/proc/{p}/task/{t}/children").read_text().split()]
    return pids


def _cpu(pids: list[int]) -> float:
    total, tick = 0.0, os.sysconf("SC_CLK_TCK")
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick  # utime + stime
    return total


class CpuMeter:
    """CPU seconds used by the server's processes, the database's backends and wrk over one measurement
    (Linux /proc; the database must run on this box)."""

    def __init__(self, server_pid: int, db_url: str) -> None:
        self.server_pid, self.db_url = server_pid, db_url

    def _backends(self) -> list[int]:
        import psycopg

        base, name = self.db_url.rsplit("/", 1)
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            return [r[0] for r in conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", [name])]

    def __enter__(self) -> CpuMeter:
        self.server, self.db = _cpu(_tree(self.server_pid)), self._backends()
        self.db0, self.wall = _cpu(self.db), time.monotonic()
        self.children = os.times().children_user + os.times().children_system
        return self

    def __exit__(self, *exc) -> None:
        t = os.times()
        self.split = {
            "server": _cpu(_tree(self.server_pid)) - self.server,
            "postgres": _cpu(self.db) - self.db0,  # backends that served the run (connections persist)
            "wrk": t.children_user + t.children_system - self.children,
            "wall": time.monotonic() - self.wall,
        }

    def row(self, name: str) -> str:
        s, wall = self.split, self.split["wall"] or 1
        return (f"{name:<28} CPU cores busy: server {s['server'] / wall:.2f}, postgres {s['postgres'] / wall:.2f}, "
                f"wrk {s['wrk'] / wall:.2f} (of {os.cpu_count()})")


def wrk_post(url: str, body: dict, cookie: str, csrf: str, *, seconds: int, connections: int) -> Load:
    lua = ("wrk.method = 'POST'\n"
           f"wrk.body = {lua_str(json.dumps(body, ensure_ascii=False))}\n"
           "wrk.headers['Content-Type'] = 'application/json'\n"
           f"wrk.headers['Cookie'] = {lua_str(cookie)}\n"
           f"wrk.headers['X-CSRFToken'] = {lua_str(csrf)}\n"
           f"wrk.headers['Referer'] = {lua_str(url)}\n")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False, encoding="utf-8") as f:
        f.write(lua)
    try:
        out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "--latency",
                              "-s", f.name, url],
                             capture_output=True, text=True, check=True).stdout
    finally:
        os.unlink(f.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = _ms(re.search(r"\s50%\s+(\S+)", out).group(1))
    p99 = _ms(re.search(r"\s99%\s+(\S+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    errors = (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, sock.groups())) if sock else 0)
    return Load(rps, p50, p99, total, errors)
