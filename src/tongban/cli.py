"""``tongban`` command: demo, serve, worker, migrate, seed, audit verify, and Django's manage commands."""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongban.settings")
    import django

    django.setup()


def _manage(*args: str) -> None:
    from django.core.management import call_command

    call_command(*args)


def _granian(host: str, port: int, workers: int, threads: int) -> list[str]:
    from django.conf import settings

    return [
        sys.executable, "-m", "granian", "--interface", "wsgi", "--host", host, "--port", str(port),
        "--workers", str(workers), "--blocking-threads", str(threads),
        "--static-path-route", "/static", "--static-path-mount", str(settings.STATIC_ROOT),
        "tongban.wsgi:application",
    ]


def _ensure_port_free(host: str, port: int) -> None:
    """granian binds with SO_REUSEPORT, so a second server on a taken port would silently share it."""
    import socket

    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
        try:
            s.bind((host, port))
        except OSError as exc:
            raise SystemExit(f"tongban: cannot listen on {host}:{port}: {exc.strerror} "
                             "(is another server running?)") from None


def _run_children(commands: list[list[str]]) -> int:
    procs = [subprocess.Popen(cmd) for cmd in commands]
    stop = False

    def _terminate(*_: object) -> None:
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGINT, _terminate)
    try:
        while not stop and all(p.poll() is None for p in procs):
            time.sleep(0.5)
    finally:
        for p in procs:
            if p.poll() is None:
                p.terminate()
        for p in procs:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
    return max((p.returncode or 0) for p in procs)


def cmd_prepare(_: argparse.Namespace) -> None:
    _manage("migrate", "--no-input", "--verbosity", "0")
    _manage("collectstatic", "--no-input", "--verbosity", "0")


def cmd_seed(_: argparse.Namespace) -> None:
    from tongban.console.demo import seed

    seed.run(verbose=True)


def cmd_demo(args: argparse.Namespace) -> int:
    from django.conf import settings

    from tongban.console.demo import seed

    _ensure_port_free(args.host, args.port)
    cmd_prepare(args)
    seed.run(verbose=True)
    print(seed.logins_text(f"http://{args.host}:{args.port}"))
    print(f"data directory: {settings.HOME}")
    worker = [sys.executable, "-m", "tongban.cli", "worker"]
    return _run_children([_granian(args.host, args.port, args.workers, args.threads), worker])


def cmd_serve(args: argparse.Namespace) -> int:
    _ensure_port_free(args.host, args.port)
    cmd_prepare(args)
    return _run_children([_granian(args.host, args.port, args.workers, args.threads)])


def cmd_worker(_: argparse.Namespace) -> None:
    _manage("run_huey")


def cmd_audit(args: argparse.Namespace) -> int:
    from tongban.audit import services as audit

    bad = 0
    for chain in audit.chains() or ["main"]:
        result = audit.verify(chain)
        if result.ok:
            print(f"audit chain '{chain}': OK, {result.checked} entries verified")
        else:
            bad += 1
            print(f"audit chain '{chain}': BROKEN at position {result.position}: {result.reason} "
                  f"({result.checked} entries verified before it)")
    return 1 if bad else 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="tongban", description="Tongban 通办 one-stop government services")
    sub = p.add_subparsers(dest="command", required=True)
    for name, fn, help_ in [("demo", cmd_demo, "migrate, seed the demo city and serve web + worker"),
                            ("serve", cmd_serve, "migrate and serve the web (granian, WSGI)")]:
        sp = sub.add_parser(name, help=help_)
        sp.add_argument("--host", default="127.0.0.1")
        sp.add_argument("--port", type=int, default=8000)
        sp.add_argument("--workers", type=int, default=1)
        sp.add_argument("--threads", type=int, default=4)
        sp.set_defaults(fn=fn)
    sub.add_parser("worker", help="run the background worker (outbox, SLA clock)").set_defaults(fn=cmd_worker)
    sub.add_parser("seed", help="seed the demo city (idempotent)").set_defaults(fn=cmd_seed)
    sub.add_parser("migrate", help="migrate the database and collect static files").set_defaults(fn=cmd_prepare)
    audit = sub.add_parser("audit", help="audit trail tools")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True)
    audit_sub.add_parser("verify", help="verify every hash chain").set_defaults(fn=cmd_audit)
    manage = sub.add_parser("manage", help="run a Django management command")
    manage.add_argument("args", nargs=argparse.REMAINDER)
    manage.set_defaults(fn=lambda a: _manage(*a.args))
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _setup()
    result = args.fn(args)
    return int(result or 0)


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    raise SystemExit(main())
