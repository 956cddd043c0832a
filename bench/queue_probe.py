"""The task bench/queue_latency.py sends: it notes when it was sent and when a worker started it.

Loaded by the benchmark's worker with ``--include=bench.queue_probe``; nothing else imports it.
"""

import time

from celery import shared_task


@shared_task(name="bench.probe")
def probe(path: str, sent_at: float) -> None:
    started_at = time.time()
    with open(path, "a", encoding="ascii") as out:
        out.write(f"{sent_at:.6f} {started_at:.6f}\n")
