"""POST /api/v1/applications on PostgreSQL vs a bare one-row-insert endpoint on the same stack.

Usage: ``python -m bench.submissions [--seconds 15] [--connections 16] [--workers 2] [--threads 2]``
(``TONGBAN_BENCH_DATABASE_URL`` defaults to a scratch database on the local PostgreSQL.)
Prints submissions/s, p50/p99 for both and the ratio; writes bench/results/submissions.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

from bench.common import ROOT, CpuMeter, bench_env, fresh_postgres, get_json, login, prepare, serve, wrk_post

FORM = {"applicant_name": "张三", "id_number": "500103198503121234", "phone": "13800000001",
        "household_size": 3, "monthly_income_fen": 120000, "address": "重庆市渝中区解放碑街道民族路 1 号",
        "reason": "家庭成员因病失去劳动能力，收入低于本市最低生活保障标准。"}


def _shell(env: dict[str, str], script: str) -> str:
    out = subprocess.run([sys.executable, "-m", "tongban.cli", "manage", "shell", "-c", script], env=env,
                         capture_output=True, text=True, check=True, cwd=ROOT).stdout
    return out.strip().splitlines()[-1]


def count_applications(env: dict[str, str]) -> int:
    return int(_shell(env, "from tongban.cases.models import Application; print(Application.objects.count())"))


COUNT_STATEMENTS = """
import json
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from tongban.accounts.models import User
c = Client()
c.force_login(User.objects.get(username="zhangsan"))
body = json.dumps(json.loads({body!r}), ensure_ascii=False)
def post(path):
    r = c.post(path, body, content_type="application/json")
    assert r.status_code == 201, r.content
for path in ("/api/v1/applications", "/bench/bare"):
    post(path)
counts = []
for path in ("/api/v1/applications", "/bench/bare"):
    with CaptureQueriesContext(connection) as q:
        post(path)
    counts.append(len(q.captured_queries))
print(json.dumps(counts))
"""


def count_statements(env: dict[str, str], body: dict) -> tuple[int, int]:
    """SQL statements (BEGIN and COMMIT included) of one warm request to each endpoint, in-process."""
    ours, bare = json.loads(_shell(env, COUNT_STATEMENTS.format(body=json.dumps(body, ensure_ascii=False))))
    return ours, bare


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=15)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--port", type=int, default=8765)
    args = ap.parse_args(argv)

    db_url = os.environ.get("TONGBAN_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/tongban_bench")
    home = tempfile.mkdtemp(prefix="tongban-bench-")
    env = bench_env(db_url, home)
    fresh_postgres(db_url)
    prepare(env)
    server = serve(env, args.port, args.workers, args.threads)
    base = f"http://127.0.0.1:{args.port}"
    try:
        cookie, csrf = login(base, "zhangsan", "Tongban@2026")
        code = get_json(base, "/api/v1/services?q=%E4%BD%8E%E4%BF%9D")["items"][0]["code"]
        body = {"service_code": code, "form": FORM}
        statements = count_statements(env, body)
        before = count_applications(env)
        # Warm both paths in every worker and thread (imports, compiled process cache, connections).
        wrk_post(f"{base}/api/v1/applications", body, cookie, csrf, seconds=3, connections=args.connections)
        wrk_post(f"{base}/bench/bare", body, cookie, csrf, seconds=3, connections=args.connections)
        time.sleep(1)
        with CpuMeter(server.pid, db_url) as bare_cpu:
            bare = wrk_post(f"{base}/bench/bare", body, cookie, csrf, seconds=args.seconds,
                            connections=args.connections)
        with CpuMeter(server.pid, db_url) as ours_cpu:
            ours = wrk_post(f"{base}/api/v1/applications", body, cookie, csrf, seconds=args.seconds,
                            connections=args.connections)
        created = count_applications(env) - before
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    ratio = ours.requests_per_s / bare.requests_per_s if bare.requests_per_s else 0.0
    print(f"\nPOST /api/v1/applications on PostgreSQL — granian {args.workers} workers × {args.threads} threads, "
          f"wrk {args.connections} connections, {args.seconds} s, same box ({os.cpu_count()} cores)")
    print(ours.row("ours: submit application"))
    print(bare.row("baseline: bare insert"))
    print(f"ratio ours/baseline: {ratio:.1%}   (targets: ≥ 1,000/s, p99 ≤ 100 ms, ≥ 50 % of bare)")
    print(ours_cpu.row("ours: where CPU went"))
    print(bare_cpu.row("baseline: where CPU went"))
    print(f"SQL statements per request (BEGIN/COMMIT included): ours {statements[0]}, baseline {statements[1]}")
    print(f"applications created during the run: {created}")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "submissions.json").write_text(json.dumps({
        "ours": ours.__dict__, "baseline": bare.__dict__, "ratio": ratio, "created": created, "args": vars(args),
        "statements": {"ours": statements[0], "baseline": statements[1]},
        "cpu": {"ours": ours_cpu.split, "baseline": bare_cpu.split},
    }, indent=2))
    return 0 if ours.errors == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
