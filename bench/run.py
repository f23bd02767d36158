"""`make bench`: load the site with realistic volumes on PostgreSQL and measure it under load.

Builds (or, with --reuse, keeps) a PostgreSQL database with 100,000 published entries (or
--entries 1000000), 20,000 requests and two years of annual reports through the project's own
generator commands, starts the site under `make serve`'s gunicorn configuration (2 workers) and,
beside it, a bare hello-world Django project (bench/hello/) under the same gunicorn command as
the ceiling. Each page is driven with wrk at 32 connections, and the ceiling is measured again
after each page, so every ratio compares two measurements taken one after the other. Searches
the page cache has never seen come from a varied mix cut from the database's own titles
(bench/search_mix.py), each query requested once, at one connection and at 32.

Prints one table (requests per second, ratio to the ceiling, median and 99th-percentile latency,
queries per page, uncached rendering time) and writes it to bench/results/latest.md.

Usage: python bench/run.py [--reuse] [--entries N] [--requests N] [--seconds S] [--only NAME]
"""

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
DB_NAME = os.environ.get("BENCH_DB", "portal_bench")
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{DB_NAME}")
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
CONNECTIONS = 32
SEARCH_MIX_SIZE = 40_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    env.update(
        DATABASE_URL=DATABASE_URL,
        REDIS_URL=REDIS_URL,
        SECRET_KEY="bench-only-secret-key-" + "x" * 40,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
        RATE_LIMIT_SUBMISSIONS="1000000",
        RATE_LIMIT_LOOKUPS="1000000",
        API_RATE_LIMIT="100000000",
        FORM_MIN_FILL_SECONDS="0",
        LOG_LEVEL="WARNING",
    )
    env.update(extra)
    return env


def manage(*args, env=None):
    print("$ manage.py", " ".join(args), flush=True)
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env or bench_env(), check=True)


def build_database(entries: int, requests: int) -> None:
    for sql in (f'DROP DATABASE IF EXISTS "{DB_NAME}"', f'CREATE DATABASE "{DB_NAME}"'):
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True)
    manage("migrate", "--noinput", "-v", "0")
    manage("load_demo")
    manage("generate_entries", str(entries))
    manage("generate_requests", str(requests))
    for year in (2025, 2026):
        manage("compute_reports", "--year", str(year), "--publish")


def wait_for(url: str, timeout: float = 30) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status < 500:
                    return
        except Exception:
            time.sleep(0.3)
    raise SystemExit(f"server at {url} did not start")


def start_gunicorn(port: int, settings_module: str, static_root: str) -> subprocess.Popen:
    env = bench_env(
        PORT=str(port),
        HOST="127.0.0.1",
        DJANGO_SETTINGS_MODULE=settings_module,
        STATIC_ROOT=static_root,
    )
    env.pop("GUNICORN_CMD_ARGS", None)
    return subprocess.Popen(
        [
            str(Path(PY).parent / "gunicorn"),
            "-c",
            "deploy/gunicorn.conf.py",
            "--access-logfile",
            "/dev/null",
            "portal.wsgi",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )


def worker_peak_rss_mb(master: subprocess.Popen) -> float:
    peaks = []
    for pid in Path("/proc").iterdir():
        if not pid.name.isdigit():
            continue
        try:
            status = (pid / "status").read_text()
        except OSError:
            continue
        ppid = re.search(r"PPid:\s+(\d+)", status)
        if ppid and int(ppid.group(1)) == master.pid:
            hwm = re.search(r"VmHWM:\s+(\d+) kB", status)
            if hwm:
                peaks.append(int(hwm.group(1)) / 1024)
    return max(peaks) if peaks else float("nan")


def run_wrk(
    url: str,
    seconds: int,
    script: str | None = None,
    script_args: tuple = (),
    connections: int = CONNECTIONS,
) -> dict:
    threads = min(2, connections)
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    cmd += ["--timeout", "5s"]
    if script:
        cmd += ["-s", script]
    cmd.append(url)
    if script_args:
        cmd += ["--", *map(str, script_args)]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def latency(percent):
        match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    hits = re.search(r"page-cache-hits: (\d+)", out)
    requests = re.search(r"(\d+) requests in", out)
    return {
        "rps": rps,
        "p50": latency(50),
        "p99": latency(99),
        "errors": int(non2xx.group(1)) if non2xx else 0,
        "hits": int(hits.group(1)) if hits else None,
        "requests": int(requests.group(1)) if requests else 0,
    }


def bump_page_cache() -> None:
    """Every page the cache holds is forgotten: the searches below are really rendered."""
    subprocess.run(
        [PY, "manage.py", "shell", "-c", "from portal import pagecache; pagecache.bump('all')"],
        cwd=ROOT,
        env=bench_env(),
        check=True,
        capture_output=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reuse", action="store_true", help="keep an existing bench database")
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument(
        "--only", default="", help="measure only the rows whose name contains this (iterating)"
    )
    args = parser.parse_args()

    if not shutil.which("wrk"):
        raise SystemExit("wrk not found: apt-get install wrk (make bench installs it)")
    if not args.reuse:
        build_database(args.entries, args.requests)

    static_root = tempfile.mkdtemp(prefix="bench-static-")
    manage("collectstatic", "--noinput", "-v", "0", env=bench_env(STATIC_ROOT=static_root))
    # Targets and query counts come from the bench database itself (bench/targets.py).
    targets_out = subprocess.run(
        [PY, "bench/targets.py"],
        cwd=ROOT,
        env=bench_env(STATIC_ROOT=static_root),
        capture_output=True,
        text=True,
    )
    if targets_out.returncode:
        raise SystemExit(targets_out.stderr)
    targets = [line.split("\t") for line in targets_out.stdout.strip().splitlines()]
    mix_file = Path(static_root) / "search-mix.txt"
    mix = subprocess.run(
        [PY, "bench/search_mix.py", "--count", str(SEARCH_MIX_SIZE)],
        cwd=ROOT,
        env=bench_env(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    mix_file.write_text(mix, encoding="utf-8")
    # The same queries through the API (its list takes the search page's parameters).
    api_mix_file = Path(static_root) / "api-search-mix.txt"
    api_mix_file.write_text(mix.replace("/search/?", "/api/v1/entries/?"), encoding="utf-8")
    walk = str(ROOT / "bench" / "walk.lua")

    site_port, hello_port = free_port(), free_port()
    site = start_gunicorn(site_port, "portal.settings", static_root)
    hello = start_gunicorn(hello_port, "bench.hello.settings", static_root)
    rows = []
    hello_url = f"http://127.0.0.1:{hello_port}/"
    try:
        wait_for(f"http://127.0.0.1:{site_port}/healthz")
        wait_for(hello_url)
        run_wrk(hello_url, 2)  # warm up
        ceilings = [run_wrk(hello_url, args.seconds)]

        def measure(name, url, queries="-", render_ms="-", **wrk):
            if args.only not in name:
                return
            result = run_wrk(url, args.seconds, **wrk)
            ceilings.append(run_wrk(hello_url, args.seconds))
            ceiling = statistics.mean(c["rps"] for c in ceilings[-2:])
            rows.append((name, result, ceiling, queries, render_ms))

        for name, path, queries, script, render_ms in targets:
            url = f"http://127.0.0.1:{site_port}{path}"
            if args.only not in name:
                continue
            run_wrk(url, 2, script or None)  # warm the caches
            measure(name, url, queries, render_ms, script=script or None)
        # Searches nobody asked before: each query of the mix once (thread shares, no repeats).
        half = SEARCH_MIX_SIZE // 2
        bump_page_cache()
        measure(
            "search mix, uncached, 1 connection",
            f"http://127.0.0.1:{site_port}/",
            script=walk,
            script_args=(mix_file, 1, half),
            connections=1,
        )
        bump_page_cache()
        measure(
            f"search mix, uncached, {CONNECTIONS} connections",
            f"http://127.0.0.1:{site_port}/",
            script=walk,
            script_args=(mix_file, 2, 0),
        )
        bump_page_cache()
        measure(
            f"API search mix, uncached, {CONNECTIONS} connections",
            f"http://127.0.0.1:{site_port}/",
            script=walk,
            script_args=(api_mix_file, 2, 0),
        )
        memory = worker_peak_rss_mb(site)
    finally:
        for proc in (site, hello):
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
        shutil.rmtree(static_root, ignore_errors=True)

    ceiling_values = [c["rps"] for c in ceilings]
    volumes = (
        subprocess.run(
            [
                PY,
                "manage.py",
                "shell",
                "-c",
                "from disclosure.models import Entry; from applications.models import Request; "
                "print(f'{Entry.objects.public().count()} public entries, {Request.objects.count()} requests')",
            ],
            cwd=ROOT,
            env=bench_env(),
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    lines = [
        f"`make bench`, {time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, PostgreSQL + Redis, gunicorn 2 workers, "
        f"wrk {CONNECTIONS} connections {args.seconds}s per page; {volumes}.",
        "",
        f"Ceiling: a bare hello-world Django project under the same gunicorn command, measured "
        f"{len(ceiling_values)} times between the pages: {min(ceiling_values):.0f}–"
        f"{max(ceiling_values):.0f} req/s (each ratio is to the mean of the measurements just "
        f"before and after the page).",
        "",
        "| page | req/s | ratio to ceiling | median ms | p99 ms | non-2xx | queries | uncached ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, result, ceiling, queries, render_ms in rows:
        lines.append(
            f"| {name} | {result['rps']:.0f} | {result['rps'] / ceiling:.2f} | {result['p50']:.1f} | "
            f"{result['p99']:.1f} | {result['errors']} | {queries} | {render_ms} |"
        )
    for name, result, *_ in rows:
        if result["hits"] is not None:
            lines.append(
                f"\n{name}: {result['requests']} distinct queries from {SEARCH_MIX_SIZE:,} "
                f"(bench/search_mix.py), {result['hits']} answered by the page cache."
            )
    compute = subprocess.run(
        [PY, "bench/report_compute.py"],
        cwd=ROOT,
        env=bench_env(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    lines += ["", f"Peak worker memory (VmHWM): {memory:.0f} MB", "", compute]
    table = "\n".join(lines)
    print("\n" + table)
    results = ROOT / "bench" / "results"
    results.mkdir(exist_ok=True)
    (results / "latest.md").write_text(table + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
