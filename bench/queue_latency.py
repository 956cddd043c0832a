"""Benchmark: how long a lone task waits for a worker, and how many tasks a second one worker takes.

Run: ``.venv/bin/python bench/queue_latency.py [--redis redis://127.0.0.1:6379/5] [--tasks 200]``

For each broker (kombu's filesystem transport polled every 1 s, its default, and every 0.1 s, ours;
Redis when ``--redis`` is given) and pool (prefork with 2 processes, or solo as ``make run`` starts
it) a real worker is started on a folder of its own, then:

- ``lone``: 30 tasks sent one at a time, each after the last has started, at a random moment;
  the wait is from ``delay()`` to the task's first line, as the task itself records it;
- ``burst``: ``--tasks`` tasks sent at once; tasks a second from the first send to the last start;
- ``idle CPU``: the worker's CPU time over 5 s with nothing queued (the cost of polling).

Target (issue 13): a lone task starts within 2 s on the embedded broker.
"""

import argparse
import datetime as dt
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LONE_TASKS = 30
IDLE_SECONDS = 5.0
START_TIMEOUT = 60.0


def _lines(path: Path) -> list[tuple[float, float]]:
    if not path.exists():
        return []
    return [tuple(map(float, line.split())) for line in path.read_text().splitlines() if line.strip()]  # type: ignore[misc]


def _wait_for(path: Path, count: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while len(_lines(path)) < count:
        if time.monotonic() > deadline:
            raise SystemExit(f"only {len(_lines(path))} of {count} tasks started within {timeout:.0f} s")
        time.sleep(0.005)


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def child(broker: str, interval: float, pool: str, tasks: int) -> dict:
    """One broker configuration, in a process of its own (settings are read at import)."""
    folder = Path(tempfile.mkdtemp(prefix="concord-queue-"))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "CONCORD_VAR_DIR": str(folder),
            "CELERY_BROKER_POLLING_INTERVAL": str(interval),
            "LOG_LEVEL": "WARNING",
        }
    )
    if broker != "filesystem":
        os.environ["CELERY_BROKER_URL"] = broker
    sys.path.insert(0, str(ROOT))
    from bench.queue_probe import probe  # after the environment is set
    from config.celery import app

    app.control.purge()
    log = open(folder / "worker.log", "w")  # noqa: SIM115  (open while the worker runs)
    worker = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("celery")),
            "-A",
            "config",
            "worker",
            *(["--pool=solo"] if pool == "solo" else ["--pool=prefork", "--concurrency=2"]),
            "--queues=periodic",
            "--include=bench.queue_probe",
            "--loglevel=WARNING",
            "--hostname=bench@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    try:
        warm = folder / "warm.txt"
        probe.delay(str(warm), time.time())
        _wait_for(warm, 1, START_TIMEOUT)

        before = _cpu_seconds(worker.pid)
        time.sleep(IDLE_SECONDS)
        idle_cpu = (_cpu_seconds(worker.pid) - before) / IDLE_SECONDS

        lone = folder / "lone.txt"
        generator = random.Random(20261206)
        for i in range(LONE_TASKS):
            time.sleep(generator.uniform(0, 0.25))
            probe.delay(str(lone), time.time())
            _wait_for(lone, i + 1, START_TIMEOUT)
        waits = sorted(started - sent for sent, started in _lines(lone))

        burst = folder / "burst.txt"
        first_sent = time.time()
        for _ in range(tasks):
            probe.delay(str(burst), time.time())
        _wait_for(burst, tasks, START_TIMEOUT + tasks * 2.0)
        last_start = max(started for _sent, started in _lines(burst))
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        log.close()
    return {
        "broker": "filesystem" if broker == "filesystem" else "redis",
        "polling_interval_s": interval if broker == "filesystem" else None,
        "pool": pool,
        "lone_wait_p50_ms": round(statistics.median(waits) * 1000, 1),
        "lone_wait_max_ms": round(waits[-1] * 1000, 1),
        "burst_tasks": tasks,
        "burst_tasks_per_s": round(tasks / (last_start - first_sent), 1),
        "idle_worker_cpu_percent": round(idle_cpu * 100, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--redis", help="also measure this Redis broker, e.g. redis://127.0.0.1:6379/5")
    parser.add_argument("--tasks", type=int, default=200, help="tasks sent at once in the burst (default 200)")
    parser.add_argument("--child", nargs=3, metavar=("BROKER", "INTERVAL", "POOL"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], float(args.child[1]), args.child[2], args.tasks)))
        return

    # Before (kombu's default polling, prefork as `make run` had it), and after (ours, solo).
    configurations = [("filesystem", 1.0, "prefork"), ("filesystem", 0.1, "prefork"), ("filesystem", 0.1, "solo")]
    if args.redis:
        configurations += [(args.redis, 0.1, "prefork"), (args.redis, 0.1, "solo")]
    print(f"# {dt.date.today()} · {platform.machine()} · {os.cpu_count()} cores · Python {platform.python_version()}")
    print("| broker | polling | pool | lone task waits, p50 | max | burst tasks/s | idle worker CPU |")
    print("|---|---|---|---|---|---|---|")
    for broker, interval, pool in configurations:
        out = subprocess.run(
            [sys.executable, __file__, "--child", broker, str(interval), pool, "--tasks", str(args.tasks)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        row = json.loads(out.strip().splitlines()[-1])
        polling = f"{row['polling_interval_s']} s" if row["polling_interval_s"] is not None else "(push)"
        print(
            f"| {row['broker']} | {polling} | {row['pool']} | {row['lone_wait_p50_ms']} ms"
            f" | {row['lone_wait_max_ms']} ms | {row['burst_tasks_per_s']} | {row['idle_worker_cpu_percent']} % |"
        )


if __name__ == "__main__":
    main()
