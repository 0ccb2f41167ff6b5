"""The Connections view's layout: deterministic, readable (connected entities near, separate
groups apart, nothing piled up), and quick to refresh."""

from __future__ import annotations

import math
import random

import pytest

from casedesk.graph import CaseGraph, Edge, Node
from casedesk.graph_layout import LayoutCancelled, components, layout_graph


def graph_of(n: int, pairs: list[tuple[int, int]], weight: int = 1) -> CaseGraph:
    nodes = tuple(Node(i, "person", f"N{i}", 1, 1) for i in range(1, n + 1))
    edges = tuple(Edge(min(a, b), max(a, b), tuple(range(weight)), ()) for a, b in pairs)
    return CaseGraph(nodes, edges, n)


def two_groups() -> CaseGraph:
    """A ring of 12 with spokes to a hub, and apart from it a triangle and a lone pair."""
    ring = [(i, i % 12 + 1) for i in range(1, 13)] + [(13, i) for i in range(1, 13)]
    return graph_of(18, ring + [(14, 15), (15, 16), (14, 16), (17, 18)])


def dist(p: tuple[float, float], q: tuple[float, float]) -> float:
    return math.hypot(p[0] - q[0], p[1] - q[1])


def test_the_same_seed_gives_the_same_layout_and_another_seed_another() -> None:
    graph = two_groups()
    first = layout_graph(graph, seed=7)
    assert layout_graph(graph, seed=7) == first
    assert layout_graph(graph, seed=8) != first
    assert set(first) == {n.id for n in graph.nodes}
    assert all(math.isfinite(v) for p in first.values() for v in p)


def test_connected_entities_sit_closer_than_unconnected_ones() -> None:
    rnd = random.Random(3)
    # Four communities of 25, dense inside, a few links between.
    pairs = set()
    for c in range(4):
        members = list(range(c * 25 + 1, c * 25 + 26))
        while len(pairs) < (c + 1) * 90:
            a, b = rnd.sample(members, 2)
            pairs.add((min(a, b), max(a, b)))
    pairs |= {(1, 26), (26, 51), (51, 76)}
    graph = graph_of(100, sorted(pairs))
    pos = layout_graph(graph, seed=1)
    linked = [dist(pos[a], pos[b]) for a, b in pairs]
    community = {i: (i - 1) // 25 for i in range(1, 101)}
    apart = [
        dist(pos[a], pos[b])
        for a in range(1, 101)
        for b in range(a + 1, 101)
        if community[a] != community[b]
    ]
    assert sum(linked) / len(linked) < 0.5 * sum(apart) / len(apart)
    # Nothing piled on anything else.
    points = list(pos.values())
    nearest = min(dist(p, q) for i, p in enumerate(points) for q in points[i + 1 :])
    assert nearest > 0.05


def test_separate_groups_are_packed_apart_not_flung_away() -> None:
    graph = two_groups()
    pos = layout_graph(graph, seed=1)
    parts = [set(range(1, 14)), {14, 15, 16}, {17, 18}]

    def box(part: set[int]) -> tuple[float, float, float, float]:
        xs = [pos[i][0] for i in part]
        ys = [pos[i][1] for i in part]
        return min(xs), min(ys), max(xs), max(ys)

    boxes = [box(p) for p in parts]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            overlap_x = a[0] < b[2] and b[0] < a[2]
            overlap_y = a[1] < b[3] and b[1] < a[3]
            assert not (overlap_x and overlap_y), (a, b)
    big = boxes[0]
    size = max(big[2] - big[0], big[3] - big[1])
    whole = box(set(range(1, 19)))
    assert max(whole[2] - whole[0], whole[3] - whole[1]) < 3 * size


def test_components_largest_first() -> None:
    assert components(6, [(0, 1, 1.0), (2, 3, 1.0), (3, 4, 1.0)]) == [[2, 3, 4], [0, 1], [5]]


def test_a_refresh_starts_from_the_previous_layout_and_moves_little() -> None:
    graph = two_groups()
    before = layout_graph(graph, seed=1)
    # One more entity joins the ring's hub.
    grown = graph_of(19, [(e.source, e.target) for e in graph.edges] + [(13, 19)])
    after = layout_graph(grown, seed=1, previous=before)
    span = max(dist(p, q) for p in before.values() for q in before.values())
    moved = [dist(before[i], after[i]) for i in before]
    assert max(moved) < 0.1 * span
    fresh = layout_graph(grown, seed=5)
    assert sum(moved) < sum(dist(before[i], fresh[i]) for i in before)


def test_a_superseded_layout_stops() -> None:
    with pytest.raises(LayoutCancelled):
        layout_graph(two_groups(), cancelled=lambda: True)


def test_empty_and_single_graphs() -> None:
    assert layout_graph(graph_of(0, [])) == {}
    assert layout_graph(graph_of(1, [])) == {1: (0.0, 0.0)}


def test_a_refresh_leaves_a_lone_entity_where_it_was() -> None:
    graph = two_groups()
    before = layout_graph(graph, seed=1)
    # The lone pair loses its connection: each of the two is now a part of its own.
    pairs = [(e.source, e.target) for e in graph.edges if (e.source, e.target) != (17, 18)]
    after = layout_graph(graph_of(18, pairs), seed=1, previous=before)
    assert after[17] == pytest.approx(before[17])
    assert after[18] == pytest.approx(before[18])
