"""Connections benchmark: lay out a case-shaped network, then pan and zoom it frame by frame.

    QT_QPA_PLATFORM=offscreen python bench/graph.py [--nodes 500] [--edges 5000] [--repeat 3]
        [--frames 60] [--png FILE] [--case CASE] [--fill N]

The network is synthetic but shaped like a case's: a few entities (the parties of a dispute)
share most items and most take part in few, so degrees fall off like a power law; weights are
mostly 1 with a long tail. Entity kinds and mention counts follow the same skew.

Figures (targets from the network issue): the layout of 500 entities and 5,000 connections
(< 2 s, computed off the GUI thread in the window; here timed alone, the median of
``--repeat`` runs, plus the whole background job as the window runs it: reading nothing, laying
out, building the scene); one pan frame and one zoom frame of the view, each the change plus a
paint of the whole viewport (< 16.7 ms, i.e. 60 frames per second), as median and 95th
percentile; with ``--case`` or ``--fill``, the window's whole background job on a case
(reading its network, 500 most connected entities, and laying it out). A frame is painted by
grabbing the viewport into an image offscreen, which is what the screen would get. The edges
are drawn into an image once per zoom level (covering the view and half a view around it): a
pan frame moves that image, a zoom frame stretches it, and once the wheel pauses the edges are
drawn sharp at the new zoom, which is timed too.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "gui"))

from casedesk.graph import CaseGraph, Edge, GraphFilter, Node  # noqa: E402
from casedesk.graph_layout import layout_graph  # noqa: E402

KINDS = ("person", "organization", "place", "material")


def synth(n_nodes: int, n_edges: int, seed: int = 1) -> CaseGraph:
    """A network of ``n_nodes`` entities and ``n_edges`` distinct connections."""
    rnd = random.Random(seed)
    # Popularity falls off with rank: entity 0 is in far more items than entity 400.
    popularity = [1.0 / (rank + 1) ** 0.9 for rank in range(n_nodes)]
    nodes = []
    for i in range(n_nodes):
        kind = KINDS[0 if i % 3 == 0 else 1 if i % 3 == 1 else 2 if i % 7 else 3]
        mentions = max(1, int(400 * popularity[i] * rnd.uniform(0.5, 1.5)))
        nodes.append(Node(i + 1, kind, f"Entity {i + 1} {kind}", mentions, min(mentions, 50)))
    pairs: set[tuple[int, int]] = set()
    limit = n_nodes * (n_nodes - 1) // 2
    while len(pairs) < min(n_edges, limit):
        a, b = rnd.choices(range(n_nodes), weights=popularity, k=2)
        if a != b:
            pairs.add((min(a, b) + 1, max(a, b) + 1))
    edges = []
    for k, (a, b) in enumerate(sorted(pairs)):
        weight = 1 + int(rnd.expovariate(0.8))
        edges.append(Edge(a, b, tuple(range(k * 10, k * 10 + weight)), ()))
    return CaseGraph(tuple(nodes), tuple(edges), n_nodes, GraphFilter())


def stats(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return f"median {statistics.median(values):.1f} ms, p95 {p95:.1f} ms (n={len(values)})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=500)
    parser.add_argument("--edges", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--frames", type=int, default=60)
    parser.add_argument("--png", type=Path, help="save the laid-out view as a picture")
    parser.add_argument(
        "--case",
        type=Path,
        help="also read and lay out this case's network as the window does (its most "
        "connected entities, on a read-only connection)",
    )
    parser.add_argument(
        "--fill",
        type=int,
        metavar="N",
        help="also a case of N documents filled with SQL as bench/export.py fills it, read "
        "and laid out as with --case",
    )
    args = parser.parse_args()
    if args.case is not None:
        case_figures(args.case)
    if args.fill:
        import tempfile

        sys.path.insert(0, str(ROOT / "bench"))
        from export import fill

        from casedesk.store import Case

        with tempfile.TemporaryDirectory(prefix="casedesk-graph-") as tmp:
            path = Path(tmp) / f"filled-{args.fill}.casedesk"
            with Case.create(path) as case:
                fill(case, args.fill)
            case_figures(path)

    graph = synth(args.nodes, args.edges)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"network: {len(graph.nodes):,} entities, {len(graph.edges):,} connections; "
        f"load average {load:.1f} on {os.cpu_count()} CPUs"
    )
    layout_s = []
    cpu_s = []
    positions: dict[int, tuple[float, float]] = {}
    for _ in range(args.repeat):
        start, cpu = time.perf_counter(), time.process_time()
        positions = layout_graph(graph, seed=1)
        layout_s.append(time.perf_counter() - start)
        cpu_s.append(time.process_time() - cpu)
    again = layout_graph(graph, seed=1)
    print(
        f"| layout, {len(graph.nodes):,} entities / {len(graph.edges):,} connections | "
        f"median {statistics.median(layout_s):.2f} s (runs: "
        f"{', '.join(f'{s:.2f}' for s in layout_s)}; CPU {statistics.median(cpu_s):.2f} s) "
        f"| < 2 s |"
    )
    print(f"| same seed, same layout | {'yes' if again == positions else 'NO'} | yes |")
    return view_frames(graph, positions, args)


def case_figures(path: Path) -> None:
    """The window's background job on a real case: read the network, lay it out."""
    import sqlite3

    from casedesk.graph import build_graph, describe
    from casedesk.ui.network_view import LAYOUT_SEED, MAX_NODES

    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    try:
        start = time.perf_counter()
        graph = build_graph(conn, GraphFilter(max_nodes=MAX_NODES))
        read_s = time.perf_counter() - start
    finally:
        conn.close()
    start = time.perf_counter()
    layout_graph(graph, seed=LAYOUT_SEED)
    layout_s = time.perf_counter() - start
    print(
        f"| {path.name}: {describe(graph)} | read {read_s:.2f} s + layout {layout_s:.2f} s "
        f"= {read_s + layout_s:.2f} s | < 2 s |"
    )


def view_frames(
    graph: CaseGraph, positions: dict[int, tuple[float, float]], args: argparse.Namespace
) -> int:
    from PySide6.QtCore import QPointF
    from PySide6.QtWidgets import QApplication

    from casedesk.ui.network_view import ZOOM_SETTLE_MS, NetworkView

    app = QApplication.instance() or QApplication([])
    view = NetworkView()
    view.resize(1000, 700)
    view.show()
    app.processEvents()
    start = time.perf_counter()
    view.show_graph(graph, positions)
    view.fit_all()
    view.grab()
    print(
        f"| build the scene + fit + first paint | {1000 * (time.perf_counter() - start):.0f} ms | |"
    )

    def frame() -> None:
        view.grab()

    frame()
    pan_ms: list[float] = []
    zoom_ms: list[float] = []
    for i in range(args.frames):
        dx, dy = (25, 10) if (i // 10) % 2 == 0 else (-25, -10)
        start = time.perf_counter()
        view.pan_by(dx, dy)
        frame()
        pan_ms.append(1000 * (time.perf_counter() - start))
    centre = QPointF(view.width() / 2, view.height() / 2)
    for i in range(args.frames):
        factor = 1.15 if (i // 8) % 2 == 0 else 1 / 1.15
        start = time.perf_counter()
        view.zoom_by(factor, centre)
        frame()
        zoom_ms.append(1000 * (time.perf_counter() - start))
    settle_ms = []
    for factor in (1.5, 1.5, 1 / 1.5, 1 / 1.5):
        view.zoom_by(factor, centre)
        start = time.perf_counter()
        view.settle_zoom()
        frame()
        settle_ms.append(1000 * (time.perf_counter() - start))
    view.fit_all()
    print(f"| one pan frame (drag step), fitted | {stats(pan_ms)} | < 16.7 ms |")
    print(f"| one zoom frame (wheel notch; edges stretched) | {stats(zoom_ms)} | < 16.7 ms |")
    print(
        f"| edges drawn sharp once the wheel pauses ({ZOOM_SETTLE_MS} ms), one frame | "
        f"{stats(settle_ms)} | |"
    )
    if args.png:
        view.grab().save(str(args.png))
        print(f"saved {args.png}")
    view.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
