"""Measure how fast the live body diagram repaints, against rebuilding the figure (issue 3, item 5).

    .venv/bin/python benchmarks/diagram_latency.py [--changes 300] [--mode patient|student]

Prints: median and p95 of ``BodyDiagram.show()`` over many scenario changes (the time until
``show()`` returns, when the FigureWidget model holds the new state and the update message is
queued), the naive way (a fresh ``body_figure`` + ``to_json()``, as re-displaying does) on the same
scenarios, their ratio, and the serialised sizes of ``body_figure`` and ``static_figure``.
Targets: median <= 5 ms, p95 <= 16 ms, ratio >= 10x, body_figure <= 300 KB, static <= 1.5 MB.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from sciatica_edu import diagram, widgets
from sciatica_edu.facts import anatomy
from sciatica_edu.model.scenario import SIDE_CHOICES, Compression


def scenarios(n: int, seed: int = 3) -> list[Compression]:
    rng = random.Random(seed)
    severities = [round(0.05 * k, 2) for k in range(21)]
    out = []
    for _ in range(n):
        disc, zone, side, sev = (
            rng.choice(anatomy.DISCS), rng.choice(anatomy.ZONES), rng.choice(SIDE_CHOICES), rng.choice(severities)
        )
        out.append(Compression(disc, zone, "both" if zone == "central" else side, sev))  # a central bulge has no side
    return out


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=300)
    parser.add_argument("--mode", choices=diagram.MODES, default="patient", help="the figure's look")
    ns = parser.parse_args()
    cases = scenarios(ns.changes)
    live = widgets.BodyDiagram(cases[0], mode=ns.mode)
    for c in cases[:20]:  # warm caches
        live.show(c)
    show_ms, writes = [], []
    for c in cases:
        t0 = time.perf_counter()
        live.show(c)
        show_ms.append((time.perf_counter() - t0) * 1000)
        writes.append(live.writes)
    naive_ms = []
    for c in cases[: min(len(cases), 100)]:
        t0 = time.perf_counter()
        diagram.body_figure(c, mode=ns.mode).to_json()
        naive_ms.append((time.perf_counter() - t0) * 1000)
    body_kb = len(diagram.body_figure(cases[0], mode=ns.mode).to_json()) / 1024
    static_kb = len(diagram.static_figure(cases[0], mode=ns.mode).to_json()) / 1024
    med, p95 = statistics.median(show_ms), pct(show_ms, 0.95)
    naive_med = statistics.median(naive_ms)
    print(f"mode, scenario changes:      {ns.mode}, {len(cases)}")
    print(f"BodyDiagram.show()  median:  {med:.2f} ms   (target <= 5)")
    print(f"BodyDiagram.show()  p95:     {p95:.2f} ms   (target <= 16)")
    print(f"property writes per change:  median {statistics.median(writes):.0f}, max {max(writes)}")
    naive_p95 = pct(naive_ms, 0.95)
    print(f"naive rebuild + to_json:     median {naive_med:.1f} ms, p95 {naive_p95:.1f} ms ({len(naive_ms)} runs)")
    print(f"ratio naive / show median:   {naive_med / med:.0f}x   (target >= 10x)")
    print(f"body_figure serialised:      {body_kb:.0f} KB   (target <= 300)")
    print(f"static_figure serialised:    {static_kb:.0f} KB   (target <= 1536)")


if __name__ == "__main__":
    main()
