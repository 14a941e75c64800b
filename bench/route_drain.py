"""The route process alone on a fixed load: how long, and how much of its own CPU, it
takes to deliver a backlog of SendRequested already on the topic.

``bench/delivery.py``'s setup (PostgreSQL, tansu, the relay and the route processes, the
same SMTP and FTP sinks, 20 clients half on e-mail half on FTP, 30 kB PDFs). After a
warm-up the route process is paused (SIGSTOP), ``--count`` documents are requested in one
bulk send and the relay publishes them all; the route process is then resumed and timed
until the last DocumentSent (the events' own clock), with the CPU it used meanwhile
(``/proc``). Repeated ``--rounds`` times in one run. No raw baseline: this is a
development tool to tell a few percent of the route process's cost from noise, which the
delivery benchmark's short burst cannot; the headline figures stay ``bench/delivery.py``'s.
The pause stays under the consumer groups' session timeout (10 s), so no rebalance.
With ``--rate R`` the documents are requested at R a second instead (the delivery
benchmark's steady phase, its bulk send every 20 ms) and the latency is printed too.
Usage: python bench/route_drain.py [--count 1000] [--rounds 3] [--rate R]
       [--profile "py-spy record ... -p"]  (py-spy is not a dependency)
"""

from __future__ import annotations

import argparse
import os
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))
from delivery import (
    BIN,
    cpu_seconds,
    latency_ms,
    percentile,
    pipeline,
    received,
    request_steadily,
    stamped,
    wait_sent,
)
from lucy_events.aggregates.actors import Actor
from lucy_events.aggregates.event_time import event_time

SETUP = Actor.system("bench")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pause", type=float, default=4.0,
                        help="seconds the relay gets to publish the backlog")
    parser.add_argument("--rate", type=float, default=None,
                        help="instead of a backlog, request --count documents at this "
                             "rate a second and report the latency too")
    parser.add_argument("--profile", default=None,
                        help="a py-spy command line to run on the route process during "
                             "the first round (its pid appended)")
    args = parser.parse_args()
    with pipeline("bench_drain") as (url, app, _sinks, firm_id, clients, env):
        warm = received(app, firm_id, clients, -20, 20)
        backlogs = [received(app, firm_id, clients, (r + 1) * 10**6, args.count)
                    for r in range(args.rounds)]
        log_dir = Path(tempfile.gettempdir()) / "lucy-drain-bench"
        log_dir.mkdir(exist_ok=True)
        relay = subprocess.Popen([str(BIN), "relay"], env=env, stdout=subprocess.DEVNULL,
                                 stderr=(log_dir / "relay.log").open("wb"))
        route = subprocess.Popen([str(BIN), "route"], env=env, stdout=subprocess.DEVNULL,
                                 stderr=(log_dir / "route.log").open("wb"))
        results = []
        latencies: list[str] = []
        try:
            app.request_bulk_send(firm_id, warm, SETUP)
            if wait_sent(app, url, warm, 60):
                raise SystemExit("warm-up not delivered in 60 s")
            time.sleep(1.0)
            for ids in backlogs:
                if not args.rate:
                    route.send_signal(signal.SIGSTOP)
                    paused = time.monotonic()
                    app.request_bulk_send(firm_id, ids, SETUP)
                    time.sleep(max(0.0, paused + args.pause - time.monotonic()))
                cpu = cpu_seconds(route.pid)
                started = event_time()
                route.send_signal(signal.SIGCONT)
                spy = (subprocess.Popen([*shlex.split(args.profile), str(route.pid)])
                       if args.profile and ids is backlogs[0] else None)
                if args.rate:
                    request_steadily(app, firm_id, ids, args.rate)
                lost = wait_sent(app, url, ids, 120)
                cpu = cpu_seconds(route.pid) - cpu
                if spy is not None:
                    spy.send_signal(signal.SIGINT)
                    spy.wait(timeout=30)
                ended = max(sent for d in ids if (sent := stamped(app, d)[1]) is not None)
                wall = (ended - started).total_seconds()
                done = len(ids) - len(lost)
                latency = ""
                if args.rate:
                    ms = [m for d in ids if (m := latency_ms(app, d)) is not None]
                    latency = (f", latency p50 {percentile(ms, 50):.0f} ms, "
                               f"p99 {percentile(ms, 99):.0f} ms")
                    latencies.append(f"p50 {percentile(ms, 50):.0f} p99 {percentile(ms, 99):.0f}")
                results.append((done / wall, cpu / done * 1000, len(lost)))
                print(f"round: {done / wall:6.1f} documents/s, route CPU "
                      f"{cpu / done * 1000:.2f} ms a document, lost {len(lost)}{latency}",
                      flush=True)
                time.sleep(1.0)
        finally:
            for process in (relay, route):
                process.send_signal(signal.SIGCONT)
                process.send_signal(signal.SIGTERM)
            for process in (relay, route):
                process.wait(timeout=30)
        app.close()
    rates = sorted(r for r, _, _ in results)
    cpus = sorted(c for _, c, _ in results)
    print(f"drain: median {rates[len(rates) // 2]:.1f} documents/s "
          f"({', '.join(f'{r:.1f}' for r, _, _ in results)}); route CPU median "
          f"{cpus[len(cpus) // 2]:.2f} ms a document "
          f"({', '.join(f'{c:.2f}' for _, c, _ in results)})"
          + (f"; latency {'; '.join(latencies)}" if latencies else ""))


if __name__ == "__main__":
    main()
