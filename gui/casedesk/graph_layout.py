"""Where each entity of the Connections view sits: a force-directed layout (no Qt).

Fruchterman and Reingold's model, vectorised with numpy: every pair of nodes repels, every
edge pulls its two ends together, a weak pull to the centre keeps separate groups in sight,
and the largest step a node may take (the temperature) cools each round. Two changes make it
read better on a case's network, where a few entities (the countries of a dispute) share
most items:

* an edge pulls with ``1 + log(weight)``, not with its weight, so a heavy edge shortens without
  collapsing its ends onto each other;
* a node repels in proportion to its number of neighbours plus one (as ForceAtlas2 does), so
  hubs push their crowd outwards and leaves stay near what they are connected to.

The result is deterministic for a given graph and ``seed`` (the start positions are drawn from
it), positions are in units of the ideal edge length (the view scales them to pixels), and a
layout can start from earlier positions so that a refresh moves little. Repulsion is computed
block by block, so memory stays at a few megabytes whatever the size.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import numpy.typing as npt

from casedesk.graph import CaseGraph

Array = npt.NDArray[np.float64]
BLOCK = 512  # rows of the pairwise repulsion computed at once (a few MB)
GRAVITY = 0.02
GAP = 2.0  # between the packed parts of a graph, in edge lengths


class LayoutCancelled(Exception):
    """``cancelled()`` said stop: a newer layout is wanted."""


def iterations_for(n: int) -> int:
    """Rounds enough for ``n`` nodes to settle: a handful of nodes settle in a few dozen
    (a case's network has many small parts, each laid out on its own); big graphs get fewer,
    as their rounds cost more."""
    if n <= 4:
        return 50
    if n <= 30:
        return 120
    if n <= 100:
        return 250
    if n <= 1000:
        return 200
    return 120


def force_layout(
    n: int,
    edges: Sequence[tuple[int, int, float]],
    *,
    seed: int = 0,
    iterations: int | None = None,
    initial: Array | None = None,
    fixed_start: npt.NDArray[np.bool_] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Array:
    """Positions (``n`` × 2) for nodes ``0 … n-1`` joined by ``edges`` (``(i, j, weight)``).

    ``initial`` gives start positions; where ``fixed_start`` is True a node starts there (a
    refresh keeps the picture), elsewhere it starts at a seeded random place near the middle.
    """
    if n == 0:
        return np.zeros((0, 2))
    rng = np.random.default_rng(seed)
    spread = math.sqrt(n)
    pos: Array = rng.uniform(-spread / 2, spread / 2, size=(n, 2))
    warm = initial is not None and fixed_start is not None and bool(fixed_start.any())
    if warm:
        assert initial is not None and fixed_start is not None
        pos[fixed_start] = initial[fixed_start]
        # New nodes start next to the middle of what is already placed.
        centre = initial[fixed_start].mean(axis=0)
        pos[~fixed_start] = centre + rng.uniform(-1.0, 1.0, size=(int((~fixed_start).sum()), 2))
    if n == 1:
        return pos if warm else np.zeros((1, 2))  # a lone node stays where it was
    src = np.fromiter((e[0] for e in edges), dtype=np.intp, count=len(edges))
    dst = np.fromiter((e[1] for e in edges), dtype=np.intp, count=len(edges))
    weight = np.fromiter((e[2] for e in edges), dtype=np.float64, count=len(edges))
    pull = 1.0 + np.log(np.maximum(weight, 1.0))
    degree = np.bincount(src, minlength=n) + np.bincount(dst, minlength=n)
    mass = (degree + 1.0).astype(np.float64)
    masses = np.multiply.outer(mass, mass).astype(np.float32)
    rounds = iterations if iterations is not None else iterations_for(n)
    if warm:
        rounds = max(rounds // 3, 30)
    # The first step may cross a tenth of the picture (a warm start a hundredth).
    t0 = spread * (0.01 if warm else 0.1)
    for r in range(rounds):
        if cancelled is not None and cancelled():
            raise LayoutCancelled
        disp = _repulsion(pos, masses)
        if len(src):
            d = pos[src] - pos[dst]
            dist = np.sqrt((d * d).sum(axis=1)) + 1e-9
            force = (dist * pull)[:, None] * d  # |F| = dist² · pull along the edge
            fx = np.bincount(src, weights=force[:, 0], minlength=n) - np.bincount(
                dst, weights=force[:, 0], minlength=n
            )
            fy = np.bincount(src, weights=force[:, 1], minlength=n) - np.bincount(
                dst, weights=force[:, 1], minlength=n
            )
            disp[:, 0] -= fx
            disp[:, 1] -= fy
        disp -= GRAVITY * mass[:, None] * pos
        length = np.sqrt((disp * disp).sum(axis=1)) + 1e-9
        t = t0 * (1.0 - r / rounds) + 1e-3
        pos += disp * (np.minimum(length, t) / length)[:, None]
    if warm:
        # What was placed stays, on the whole, where it was.
        assert initial is not None and fixed_start is not None
        pos += initial[fixed_start].mean(axis=0) - pos[fixed_start].mean(axis=0)
    else:
        pos -= pos.mean(axis=0)
    return pos


def _repulsion(pos: Array, masses: npt.NDArray[np.float32]) -> Array:
    """Each node's push from every other: ``mass_i · mass_j / distance`` along the line
    (``masses`` is the outer product of the masses). Single precision (twice as fast as
    double, and ample for a picture), in blocks of rows."""
    n = len(pos)
    x = pos[:, 0].astype(np.float32)
    y = pos[:, 1].astype(np.float32)
    out = np.empty_like(pos)
    for lo in range(0, n, BLOCK):
        hi = min(lo + BLOCK, n)
        dx = np.subtract.outer(x[lo:hi], x)
        dy = np.subtract.outer(y[lo:hi], y)
        push = dx * dx
        push += dy * dy
        push += np.float32(1e-4)
        np.divide(masses[lo:hi], push, out=push)
        out[lo:hi, 0] = np.einsum("ij,ij->i", dx, push)
        out[lo:hi, 1] = np.einsum("ij,ij->i", dy, push)
    return out


def components(n: int, edges: Sequence[tuple[int, int, float]]) -> list[list[int]]:
    """The connected parts of the graph, largest first (ties: lowest node first)."""
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b, _w in edges:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    parts: dict[int, list[int]] = {}
    for i in range(n):
        parts.setdefault(root(i), []).append(i)
    return sorted(parts.values(), key=lambda part: (-len(part), part[0]))


def _pack(boxes: Sequence[tuple[float, float]], gap: float) -> list[tuple[float, float]]:
    """Top-left corners for boxes (width, height) given largest first, in rows about as wide as
    the whole is tall: the biggest part first, the small ones filling rows beside and below."""
    area = sum((w + gap) * (h + gap) for w, h in boxes)
    width = max(math.sqrt(area) * 1.3, max((w for w, _h in boxes), default=0.0))
    corners: list[tuple[float, float]] = []
    x = y = row_height = 0.0
    for w, h in boxes:
        if x > 0 and x + w > width:
            x, y, row_height = 0.0, y + row_height + gap, 0.0
        corners.append((x, y))
        x += w + gap
        row_height = max(row_height, h)
    return corners


def layout_graph(
    graph: CaseGraph,
    *,
    seed: int = 0,
    previous: Mapping[int, tuple[float, float]] | None = None,
    iterations: int | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> dict[int, tuple[float, float]]:
    """Positions of ``graph``'s nodes by entity id.

    Each connected part is laid out on its own and the parts are packed side by side
    (repulsion alone would fling small parts far from the big one). With ``previous`` (a
    refresh), a part with nodes already placed starts from there and stays where it was; parts
    that are all new are packed beside them."""
    ids = [node.id for node in graph.nodes]
    index = {entity_id: i for i, entity_id in enumerate(ids)}
    edges = [
        (index[e.source], index[e.target], float(e.weight))
        for e in graph.edges
        if e.source in index and e.target in index
    ]
    parts = components(len(ids), edges)
    where = {node: (k, j) for k, part in enumerate(parts) for j, node in enumerate(part)}
    part_edges: list[list[tuple[int, int, float]]] = [[] for _ in parts]
    for a, b, w in edges:
        k, ja = where[a]
        part_edges[k].append((ja, where[b][1], w))
    known = previous or {}
    out: dict[int, tuple[float, float]] = {}
    fresh: list[tuple[list[int], Array]] = []
    for k, part in enumerate(parts):
        initial = fixed = None
        if any(ids[i] in known for i in part):
            initial = np.zeros((len(part), 2))
            fixed = np.zeros(len(part), dtype=bool)
            for j, i in enumerate(part):
                if ids[i] in known:
                    initial[j] = known[ids[i]]
                    fixed[j] = True
        pos = force_layout(
            len(part),
            part_edges[k],
            seed=seed + k,
            iterations=iterations,
            initial=initial,
            fixed_start=fixed,
            cancelled=cancelled,
        )
        if fixed is None:
            fresh.append((part, pos))
        else:
            out.update((ids[i], (float(pos[j, 0]), float(pos[j, 1]))) for j, i in enumerate(part))
    boxes = []
    for _part, pos in fresh:
        lo, hi = pos.min(axis=0), pos.max(axis=0)
        boxes.append((float(hi[0] - lo[0]), float(hi[1] - lo[1])))
    corners = _pack(boxes, gap=GAP)
    # New parts go right of what was already placed (or are the whole picture, centred).
    if out:
        ox = max(x for x, _y in out.values()) + GAP
        oy = min(y for _x, y in out.values())
    else:
        width = max((cx + w for (cx, _cy), (w, _h) in zip(corners, boxes, strict=True)), default=0)
        height = max((cy + h for (_cx, cy), (_w, h) in zip(corners, boxes, strict=True)), default=0)
        ox, oy = -width / 2, -height / 2
    for (part, pos), (cx, cy) in zip(fresh, corners, strict=True):
        lo = pos.min(axis=0)
        for j, i in enumerate(part):
            out[ids[i]] = (float(pos[j, 0] - lo[0] + cx + ox), float(pos[j, 1] - lo[1] + cy + oy))
    return out
