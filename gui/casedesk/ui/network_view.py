"""The Connections dock: the case's entities as a network, laid out off the GUI thread.

``casedesk.graph`` decides what is connected and ``casedesk.graph_layout`` where each entity
sits; this module only paints that and turns mouse and keys into a view transform. Nothing is a
QGraphicsItem: edges are drawn in a few batches (one per weight class, in world coordinates
with cosmetic pens), nodes by kind, labels from a placement computed once per zoom level, so a
pan frame of 500 entities and 5,000 connections is a few draw calls.
"""

from __future__ import annotations

import contextlib
import math
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import (
    QEvent,
    QLineF,
    QObject,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QIcon,
    QImage,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
    QResizeEvent,
    QStandardItem,
    QStandardItemModel,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolBar,
    QToolTip,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from casedesk.graph import (
    DEFAULT_KINDS,
    CaseGraph,
    Edge,
    GraphError,
    GraphFilter,
    Link,
    build_graph,
    describe,
    edge_links,
)
from casedesk.graph_layout import LayoutCancelled, layout_graph
from casedesk.store import ENTITY_KINDS, Case
from casedesk.ui.colours import KIND_LABELS, KIND_NAMES, kind_colour
from casedesk.ui.safe_text import inert

SPACING = 70.0  # world pixels per unit of the layout (an ideal edge length)
WHEEL_STEP = 1.15  # zoom factor of one wheel notch
KEY_ZOOM = 1.5
KEY_PAN = 60.0
MIN_SCALE, MAX_SCALE = 0.02, 20.0
MAX_LABELS = 150
MIN_LABELLED_RADIUS = 4.0  # screen pixels; smaller nodes are named when zoomed in
ALWAYS_LABELLED = 10  # the most mentioned entities are named at any zoom, room permitting
CROWDED = 100  # entities above which small nodes wait for the zoom to be named
LABEL_CHARS = 40
CLICK_SLOP = 4.0  # pixels the pointer may move for a press and release to be a click
EDGE_HIT = 5.0  # pixels from an edge that still hit it
MAX_NODES = 500  # the view shows the most connected entities of a bigger network
LAYOUT_SEED = 1
RELOAD_DELAY_MS = 250
ZOOM_SETTLE_MS = 150
AA_EDGES_BELOW = 2000  # more edges than this are drawn without antialiasing (4x faster)
LINK_ROLE = Qt.ItemDataRole.UserRole + 1


def node_radius(mentions: int) -> float:
    """A node's radius in world pixels: its area grows with its mentions."""
    return min(3.0 + 2.2 * math.sqrt(max(mentions, 0)), 40.0)


@dataclass
class _Placed:
    """A laid-out graph as arrays, ready to paint and hit-test."""

    graph: CaseGraph
    ids: list[int]
    index: dict[int, int]
    x: np.ndarray
    y: np.ndarray
    radius: np.ndarray
    src: np.ndarray
    dst: np.ndarray
    weight: np.ndarray
    batches: list[tuple[float, int, list[QLineF]]]  # (pen width, alpha, lines)
    order: list[int]  # node indices, most mentioned first

    @property
    def empty(self) -> bool:
        return not self.ids


def _place(graph: CaseGraph, positions: dict[int, tuple[float, float]]) -> _Placed:
    ids = [n.id for n in graph.nodes]
    index = {entity_id: i for i, entity_id in enumerate(ids)}
    x = np.array([positions.get(i, (0.0, 0.0))[0] * SPACING for i in ids], dtype=np.float64)
    y = np.array([positions.get(i, (0.0, 0.0))[1] * SPACING for i in ids], dtype=np.float64)
    radius = np.array([node_radius(n.mentions) for n in graph.nodes], dtype=np.float64)
    edges = [e for e in graph.edges if e.source in index and e.target in index]
    src = np.array([index[e.source] for e in edges], dtype=np.intp)
    dst = np.array([index[e.target] for e in edges], dtype=np.intp)
    weight = np.array([e.weight for e in edges], dtype=np.float64)
    # Weight classes: 1, 2, 3-4, 5-9, 10+; heavier is wider and darker.
    classes = ((1, 1, 0.8, 70), (2, 2, 1.3, 95), (3, 4, 1.8, 120), (5, 9, 2.6, 150))
    batches: list[tuple[float, int, list[QLineF]]] = []
    for lo, hi, width, alpha in (*classes, (10, 1 << 62, 3.6, 180)):
        lines = [
            QLineF(x[index[e.source]], y[index[e.source]], x[index[e.target]], y[index[e.target]])
            for e in edges
            if lo <= e.weight <= hi
        ]
        if lines:
            batches.append((width, alpha, lines))
    order = sorted(range(len(ids)), key=lambda i: (-graph.nodes[i].mentions, ids[i]))
    return _Placed(graph, ids, index, x, y, radius, src, dst, weight, batches, order)


class NetworkView(QWidget):
    """Paints a laid-out network; wheel and +/- zoom, dragging pans, F or Home fits it all,
    arrow keys pan, Escape clears the selection. A click on a node or an edge selects it.

    Signals:
        node_clicked(int entity_id): the user clicked a node.
        edge_clicked(int source, int target): the user clicked an edge (its two entity ids).
        background_clicked(): a click that hit nothing (the selection is cleared).
        zoom_changed(float scale): pixels per world pixel changed.
    """

    node_clicked = Signal(int)
    edge_clicked = Signal(int, int)
    background_clicked = Signal()
    zoom_changed = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Connections")
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(200, 150)
        self._placed: _Placed | None = None
        self._positions: dict[int, tuple[float, float]] = {}
        self._scale = 1.0
        self._ox = 0.0
        self._oy = 0.0
        self._auto_fit = True
        self._selected: int | None = None
        self._selected_edge: tuple[int, int] | None = None
        self._hover: int | None = None
        self._press: QPointF | None = None
        self._press_offset = (0.0, 0.0)
        self._dragging = False
        self._message = ""
        self._labels: list[tuple[int, float, float, str]] | None = None  # (node, dx, dy, text)
        self._label_scale = -1.0
        self._font = QFont(self.font())
        self._font.setPointSizeF(max(self.font().pointSizeF() - 1, 7))
        self._metrics = QFontMetricsF(self._font)
        self._widths: dict[int, tuple[str, float]] = {}
        self._brushes: dict[str, QBrush] = {}
        self._edge_image: QImage | None = None
        self._edge_origin: tuple[float, float, float] | None = None
        self.last_edge_render_ms = 0.0
        # While the wheel turns, the edge image is stretched; it is drawn again once it stops.
        self._zoom_timer = QTimer(self, singleShot=True, interval=ZOOM_SETTLE_MS)
        self._zoom_timer.timeout.connect(self._on_zoom_timer_timeout)

    # -- what is shown -------------------------------------------------------------------------

    def show_graph(self, graph: CaseGraph, positions: dict[int, tuple[float, float]]) -> None:
        """Show ``graph`` at ``positions`` (layout units by entity id). The first graph is
        fitted; later ones keep the user's zoom."""
        self._placed = _place(graph, positions)
        self._positions = dict(positions)
        self._edge_image = None
        self._labels = None
        self._widths = {}
        if self._selected is not None and self._selected not in self._placed.index:
            self._selected = None
        if self._selected_edge is not None and graph.edge(*self._selected_edge) is None:
            self._selected_edge = None
        self._hover = None
        if self._auto_fit:
            self.fit_all()
        self.update()

    def graph(self) -> CaseGraph | None:
        return None if self._placed is None else self._placed.graph

    def positions(self) -> dict[int, tuple[float, float]]:
        """Where each entity sits, in layout units (what an export writes)."""
        return dict(self._positions)

    def set_message(self, text: str) -> None:
        """A line shown in the middle when there is nothing to draw ("" for none)."""
        self._message = text
        self.update()

    def clear(self) -> None:
        self._placed = None
        self._edge_image = None
        self._positions = {}
        self._selected = self._hover = None
        self._selected_edge = None
        self._auto_fit = True
        self.update()

    # -- the transform -------------------------------------------------------------------------

    @property
    def scale(self) -> float:
        return self._scale

    def _bounds(self) -> tuple[float, float, float, float] | None:
        p = self._placed
        if p is None or p.empty:
            return None
        return (
            float((p.x - p.radius).min()),
            float((p.y - p.radius).min()),
            float((p.x + p.radius).max()),
            float((p.y + p.radius).max()),
        )

    def fit_all(self) -> None:
        """Zoom and pan so that the whole network is in view."""
        self._auto_fit = True
        bounds = self._bounds()
        w, h = max(self.width(), 1), max(self.height(), 1)
        if bounds is None:
            self._scale, self._ox, self._oy = 1.0, w / 2, h / 2
        else:
            x0, y0, x1, y1 = bounds
            margin = 24.0
            scale = min((w - 2 * margin) / max(x1 - x0, 1.0), (h - 2 * margin) / max(y1 - y0, 1.0))
            self._scale = min(max(scale, MIN_SCALE), 2.0)
            self._ox = w / 2 - (x0 + x1) / 2 * self._scale
            self._oy = h / 2 - (y0 + y1) / 2 * self._scale
        self._labels = None
        self.zoom_changed.emit(self._scale)
        self.update()

    def zoom_by(self, factor: float, anchor: QPointF | None = None) -> None:
        """Zoom by ``factor`` keeping the point under ``anchor`` (default: the middle) still."""
        if anchor is None:
            anchor = QPointF(self.width() / 2, self.height() / 2)
        scale = min(max(self._scale * factor, MIN_SCALE), MAX_SCALE)
        if scale == self._scale:
            return
        wx = (anchor.x() - self._ox) / self._scale
        wy = (anchor.y() - self._oy) / self._scale
        self._scale = scale
        self._ox = anchor.x() - wx * scale
        self._oy = anchor.y() - wy * scale
        self._auto_fit = False
        self._zoom_timer.start()
        self.zoom_changed.emit(scale)
        self.update()

    def pan_by(self, dx: float, dy: float) -> None:
        self._ox += dx
        self._oy += dy
        self._auto_fit = False
        self.update()

    def to_screen(self, wx: float, wy: float) -> QPointF:
        return QPointF(wx * self._scale + self._ox, wy * self._scale + self._oy)

    def node_pos(self, entity_id: int) -> QPointF | None:
        """Where a node is drawn, in widget coordinates (None if it is not shown)."""
        p = self._placed
        if p is None or entity_id not in p.index:
            return None
        i = p.index[entity_id]
        return self.to_screen(float(p.x[i]), float(p.y[i]))

    def edge_pos(self, a: int, b: int) -> QPointF | None:
        """The middle of an edge, in widget coordinates."""
        pa, pb = self.node_pos(a), self.node_pos(b)
        if pa is None or pb is None:
            return None
        return (pa + pb) / 2

    def _screen_radius(self, world: np.ndarray | float) -> Any:
        # Nodes grow more slowly than distances as one zooms in, so a crowd spreads apart.
        return np.clip(np.asarray(world) * math.sqrt(self._scale), 2.5, 60.0)

    # -- selection -------------------------------------------------------------------------------

    def selected_entity(self) -> int | None:
        return self._selected

    def selected_edge(self) -> tuple[int, int] | None:
        return self._selected_edge

    def select_entity(self, entity_id: int | None, *, reveal: bool = True) -> None:
        """Mark an entity (no signal); with ``reveal`` a node out of view is brought into it."""
        p = self._placed
        if entity_id is not None and (p is None or entity_id not in p.index):
            entity_id = None
        self._selected = entity_id
        self._selected_edge = None
        if entity_id is not None and reveal:
            pos = self.node_pos(entity_id)
            if pos is not None and not QRectF(self.rect()).adjusted(20, 20, -20, -20).contains(pos):
                self.pan_by(self.width() / 2 - pos.x(), self.height() / 2 - pos.y())
        self.update()

    def select_edge(self, a: int, b: int) -> None:
        self._selected_edge = (min(a, b), max(a, b))
        self._selected = None
        self.update()

    # -- hit testing -------------------------------------------------------------------------------

    def node_at(self, pos: QPointF) -> int | None:
        p = self._placed
        if p is None or p.empty:
            return None
        sx = p.x * self._scale + self._ox
        sy = p.y * self._scale + self._oy
        d2 = (sx - pos.x()) ** 2 + (sy - pos.y()) ** 2
        reach = (self._screen_radius(p.radius) + 2.0) ** 2
        hits = np.nonzero(d2 <= reach)[0]
        if len(hits) == 0:
            return None
        return p.ids[int(hits[np.argmin(d2[hits])])]

    def edge_at(self, pos: QPointF) -> tuple[int, int] | None:
        p = self._placed
        if p is None or len(p.src) == 0:
            return None
        px = (pos.x() - self._ox) / self._scale
        py = (pos.y() - self._oy) / self._scale
        ax, ay = p.x[p.src], p.y[p.src]
        bx, by = p.x[p.dst], p.y[p.dst]
        vx, vy = bx - ax, by - ay
        length2 = vx * vx + vy * vy + 1e-12
        t = np.clip(((px - ax) * vx + (py - ay) * vy) / length2, 0.0, 1.0)
        d2 = (ax + t * vx - px) ** 2 + (ay + t * vy - py) ** 2
        best = int(np.argmin(d2))
        if math.sqrt(float(d2[best])) * self._scale > EDGE_HIT:
            return None
        a, b = p.ids[int(p.src[best])], p.ids[int(p.dst[best])]
        return (min(a, b), max(a, b))

    # -- painting ----------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        painter = QPainter(self)
        try:
            self._paint(painter)
        finally:
            painter.end()

    def _paint(self, painter: QPainter) -> None:
        pal = self.palette()
        painter.fillRect(self.rect(), pal.color(QPalette.ColorRole.Base))
        p = self._placed
        if p is None or p.empty:
            if self._message:
                painter.setPen(pal.color(QPalette.ColorRole.PlaceholderText))
                painter.drawText(
                    QRectF(self.rect()).adjusted(20, 0, -20, 0),
                    Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                    self._message,
                )
            return
        focus = self._selected if self._selected is not None else self._hover
        dim = focus is not None or self._selected_edge is not None
        self._paint_edge_layer(painter, p, dim)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.save()
        painter.setTransform(QTransform(self._scale, 0, 0, self._scale, self._ox, self._oy))
        highlight = pal.color(QPalette.ColorRole.Highlight)
        if focus is not None:
            i = p.index[focus]
            mine = np.nonzero((p.src == i) | (p.dst == i))[0]
            pen = QPen(highlight, 2.0)
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.drawLines(
                [QLineF(p.x[p.src[k]], p.y[p.src[k]], p.x[p.dst[k]], p.y[p.dst[k]]) for k in mine]
            )
        if self._selected_edge is not None:
            a, b = (p.index.get(e) for e in self._selected_edge)
            if a is not None and b is not None:
                pen = QPen(highlight, 4.0)
                pen.setCosmetic(True)
                painter.setPen(pen)
                painter.drawLine(QLineF(p.x[a], p.y[a], p.x[b], p.y[b]))
        painter.restore()
        # Nodes are in the layer; those in focus are drawn again over the veil and the
        # highlighted edges.
        sx = p.x * self._scale + self._ox
        sy = p.y * self._scale + self._oy
        radius = self._screen_radius(p.radius)
        w, h = self.width(), self.height()
        visible = (sx + radius >= 0) & (sx - radius <= w) & (sy + radius >= 0) & (sy - radius <= h)
        if dim:
            ends: set[int] = set()
            if focus is not None:
                i = p.index[focus]
                mine = (p.src == i) | (p.dst == i)
                ends = {i, *(int(k) for k in p.src[mine]), *(int(k) for k in p.dst[mine])}
            if self._selected_edge is not None:
                ends |= {p.index[e] for e in self._selected_edge if e in p.index}
            self._paint_nodes(painter, p, [i for i in p.order if i in ends], sx, sy, radius)
        for entity_id, width in ((self._hover, 2.0), (self._selected, 3.0)):
            if entity_id is None or entity_id not in p.index:
                continue
            i = p.index[entity_id]
            painter.setPen(QPen(highlight, width))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            r = float(radius[i]) + 2.0
            painter.drawEllipse(QPointF(float(sx[i]), float(sy[i])), r, r)
        self._paint_labels(painter, p, sx, sy, radius, visible)

    def _paint_nodes(
        self,
        painter: QPainter,
        p: _Placed,
        order: list[int],
        sx: np.ndarray,
        sy: np.ndarray,
        radius: np.ndarray,
    ) -> None:
        """Discs coloured by kind, the most mentioned drawn last (on top)."""
        painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Base), 1.0))
        nodes = p.graph.nodes
        for i in reversed(order):
            kind = nodes[i].kind
            brush = self._brushes.get(kind)
            if brush is None:
                brush = self._brushes[kind] = QBrush(kind_colour(kind))
            painter.setBrush(brush)
            r = float(radius[i])
            painter.drawEllipse(QPointF(float(sx[i]), float(sy[i])), r, r)

    def _edge_colour(self, alpha: int) -> QColor:
        """The text colour at ``alpha`` over the base, as an opaque colour (opaque lines are
        drawn several times faster than translucent ones)."""
        pal = self.palette()
        base, text = pal.color(QPalette.ColorRole.Base), pal.color(QPalette.ColorRole.Text)
        a = alpha / 255
        return QColor.fromRgbF(
            base.redF() * (1 - a) + text.redF() * a,
            base.greenF() * (1 - a) + text.greenF() * a,
            base.blueF() * (1 - a) + text.blueF() * a,
        )

    def _render_edges(self, p: _Placed) -> None:
        """Draw the edges and nodes at the current zoom into an image covering the view and
        half a view around it (clipped to the network): a pan within it only moves the
        image."""
        s = self._scale
        w, h = max(self.width(), 1), max(self.height(), 1)
        bounds = self._bounds()
        assert bounds is not None
        # World rectangle: the view with a margin, cut to the network's bounds.
        x0 = max((-self._ox - w / 2) / s, bounds[0])
        y0 = max((-self._oy - h / 2) / s, bounds[1])
        x1 = min((w * 1.5 - self._ox) / s, bounds[2])
        y1 = min((h * 1.5 - self._oy) / s, bounds[3])
        cw, ch = int(math.ceil((x1 - x0) * s)) + 2, int(math.ceil((y1 - y0) * s)) + 2
        started = time.perf_counter()
        image = QImage(max(cw, 1), max(ch, 1), QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(self.palette().color(QPalette.ColorRole.Base))
        if x1 > x0 and y1 > y0:
            painter = QPainter(image)
            many = len(p.src) > AA_EDGES_BELOW
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, not many)
            painter.setTransform(QTransform(s, 0, 0, s, -x0 * s + 1, -y0 * s + 1))
            for width, alpha, lines in p.batches:
                pen = QPen(self._edge_colour(alpha), width)
                pen.setCosmetic(True)
                painter.setPen(pen)
                painter.drawLines(lines)
            painter.resetTransform()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            lx = (p.x - x0) * s + 1
            ly = (p.y - y0) * s + 1
            radius = self._screen_radius(p.radius)
            inside = (lx + radius >= 0) & (lx - radius <= cw) & (ly + radius >= 0)
            inside &= ly - radius <= ch
            order = [i for i in p.order if inside[i]]
            self._paint_nodes(painter, p, order, lx, ly, radius)
            painter.end()
        self.last_edge_render_ms = 1000 * (time.perf_counter() - started)
        self._edge_image = image
        self._edge_origin = (x0 - 1 / s, y0 - 1 / s, s)

    def _edges_cover_view(self) -> bool:
        if self._edge_image is None or self._edge_origin is None:
            return False
        x0, y0, cs = self._edge_origin
        if cs != self._scale:
            return False
        bounds = self._bounds()
        assert bounds is not None
        s = self._scale
        need = QRectF(self.rect()).intersected(
            QRectF(
                bounds[0] * s + self._ox,
                bounds[1] * s + self._oy,
                (bounds[2] - bounds[0]) * s,
                (bounds[3] - bounds[1]) * s,
            )
        )
        have = QRectF(
            x0 * s + self._ox,
            y0 * s + self._oy,
            self._edge_image.width(),
            self._edge_image.height(),
        )
        return need.isEmpty() or have.adjusted(-1, -1, 1, 1).contains(need)

    def _paint_edge_layer(self, painter: QPainter, p: _Placed, dim: bool) -> None:
        """The edges and nodes from the image drawn for them; while a zoom is under way the
        image is stretched, and drawn again sharp once the zoom pauses."""
        if not self._edges_cover_view() and not (
            self._zoom_timer.isActive() and self._edge_image is not None
        ):
            self._render_edges(p)
        image, origin = self._edge_image, self._edge_origin
        if image is None or origin is None:
            return
        x0, y0, cs = origin
        k = self._scale / cs
        painter.save()
        painter.setTransform(
            QTransform(k, 0, 0, k, x0 * self._scale + self._ox, y0 * self._scale + self._oy)
        )
        painter.drawImage(0, 0, image)
        if dim:
            veil = QColor(self.palette().color(QPalette.ColorRole.Base))
            veil.setAlpha(140)
            painter.fillRect(QRectF(0, 0, image.width(), image.height()), veil)
        painter.restore()

    def _on_zoom_timer_timeout(self) -> None:
        self.update()  # the edges are drawn sharp at the new zoom

    def settle_zoom(self) -> None:
        """Draw the edges sharp now instead of when the zoom pauses."""
        self._zoom_timer.stop()
        self.update()

    def _label(self, i: int) -> tuple[str, float]:
        found = self._widths.get(i)
        if found is None:
            assert self._placed is not None
            name = " ".join(self._placed.graph.nodes[i].name.split())
            if len(name) > LABEL_CHARS:
                name = name[: LABEL_CHARS - 1] + "…"
            found = self._widths[i] = (name, self._metrics.horizontalAdvance(name))
        return found

    def labelled(self) -> list[int]:
        """The entities whose names are shown at this zoom (biggest first)."""
        p = self._placed
        if p is None:
            return []
        return [p.ids[i] for i, _dx, _dy, _t in self._label_layout()]

    def label_rects(self) -> dict[int, QRectF]:
        """Where each shown name is drawn, in widget coordinates."""
        p = self._placed
        if p is None:
            return {}
        h = self._metrics.height()
        out = {}
        for i, dx, dy, text in self._label_layout():
            x = float(p.x[i]) * self._scale + self._ox + dx
            y = float(p.y[i]) * self._scale + self._oy + dy
            out[p.ids[i]] = QRectF(x, y - self._metrics.ascent(), self._label(i)[1], h)
            del text
        return out

    def _label_layout(self) -> list[tuple[int, float, float, str]]:
        """The names that fit without overlapping one another at this zoom, the most mentioned
        first. Placement is relative to each node, so a pan reuses it; a zoom computes it
        again."""
        if self._labels is not None and (
            self._label_scale == self._scale or self._zoom_timer.isActive()
        ):
            return self._labels  # while the wheel turns, the names of the last pause
        p = self._placed
        placed: list[tuple[int, float, float, str]] = []
        if p is None or p.empty:
            self._labels, self._label_scale = placed, self._scale
            return placed
        cell = 96.0
        h = self._metrics.height()
        ascent = self._metrics.ascent()
        radius = self._screen_radius(p.radius)
        # Positions scaled but not panned: a pan moves every name alike.
        wx = p.x * self._scale
        wy = p.y * self._scale
        Box = tuple[float, float, float, float]
        labels: dict[tuple[int, int], list[Box]] = {}
        discs: dict[tuple[int, int], list[tuple[Box, int]]] = {}
        rank = {i: k for k, i in enumerate(p.order)}

        def cells(r: Box) -> list[tuple[int, int]]:
            return [
                (cx, cy)
                for cx in range(int(r[0] // cell), int(r[2] // cell) + 1)
                for cy in range(int(r[1] // cell), int(r[3] // cell) + 1)
            ]

        def hits(r: Box, o: Box) -> bool:
            return r[0] < o[2] and o[0] < r[2] and r[1] < o[3] and o[1] < r[3]

        def free(r: Box, mine: int) -> bool:
            """No other name there, and no entity more mentioned than this one (a name may
            cover lesser entities: the most mentioned are named first)."""
            for key in cells(r):
                if any(hits(r, o) for o in labels.get(key, ())):
                    return False
                if any(k < mine and hits(r, o) for o, k in discs.get(key, ())):
                    return False
            return True

        for i in range(len(p.ids)):
            r = float(radius[i])
            disc = (float(wx[i]) - r, float(wy[i]) - r, float(wx[i]) + r, float(wy[i]) + r)
            for key in cells(disc):
                discs.setdefault(key, []).append((disc, rank[i]))
        crowded = len(p.ids) > CROWDED
        for i in p.order[: MAX_LABELS * 2]:
            if len(placed) >= MAX_LABELS:
                break
            r = float(radius[i])
            if crowded and r < MIN_LABELLED_RADIUS and rank[i] >= ALWAYS_LABELLED:
                continue  # a small node is named once the zoom makes it bigger
            text, width = self._label(i)
            # Below the node, centred; else to its right.
            for dx, dy in ((-width / 2, r + 1 + ascent), (r + 3, ascent / 2 - 1)):
                x0 = float(wx[i]) + dx
                top = float(wy[i]) + dy - ascent
                box = (x0 - 1, top, x0 + width + 1, top + h)
                if free(box, rank[i]):
                    placed.append((i, dx, dy, text))
                    for key in cells(box):
                        labels.setdefault(key, []).append(box)
                    break
        self._labels, self._label_scale = placed, self._scale
        return placed

    def _paint_labels(
        self,
        painter: QPainter,
        p: _Placed,
        sx: np.ndarray,
        sy: np.ndarray,
        radius: np.ndarray,
        visible: np.ndarray,
    ) -> None:
        pal = self.palette()
        painter.setFont(self._font)
        halo = QColor(pal.color(QPalette.ColorRole.Base))
        halo.setAlpha(190)
        painter.setPen(Qt.PenStyle.NoPen)
        shown = [
            (i, float(sx[i]) + dx, float(sy[i]) + dy, text)
            for i, dx, dy, text in self._label_layout()
            if visible[i]
        ]
        # The names of the entity pointed at and the one selected are shown whatever the
        # room, over the others.
        named = {i for i, _x, _y, _t in shown}
        ascent = self._metrics.ascent()
        for entity_id in (self._selected, self._hover):
            if entity_id is None or entity_id not in p.index:
                continue
            i = p.index[entity_id]
            if i not in named:
                text, width = self._label(i)
                shown.append(
                    (i, float(sx[i]) - width / 2, float(sy[i] + radius[i]) + 1 + ascent, text)
                )
                named.add(i)
        h = self._metrics.height()
        ascent = self._metrics.ascent()
        painter.setBrush(halo)
        for i, x, y, _text in shown:
            painter.drawRect(QRectF(x - 1, y - ascent, self._label(i)[1] + 2, h))
        painter.setPen(pal.color(QPalette.ColorRole.Text))
        for _i, x, y, text in shown:
            painter.drawText(QPointF(x, y), text)  # plain text: a name is never markup

    # -- input ------------------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() == QEvent.Type.PaletteChange:
            self._edge_image = None
        super().changeEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self._auto_fit:
            self.fit_all()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        delta = event.angleDelta().y()
        if delta:
            self.zoom_by(WHEEL_STEP ** (delta / 120), event.position())
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position()
            self._press_offset = (self._ox, self._oy)
            self._dragging = False
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        pos = event.position()
        if self._press is not None and event.buttons() & Qt.MouseButton.LeftButton:
            moved = pos - self._press
            if self._dragging or abs(moved.x()) + abs(moved.y()) > CLICK_SLOP:
                self._dragging = True
                self.setCursor(Qt.CursorShape.ClosedHandCursor)
                self._ox = self._press_offset[0] + moved.x()
                self._oy = self._press_offset[1] + moved.y()
                self._auto_fit = False
                self.update()
            return
        hover = self.node_at(pos)
        if hover != self._hover:
            self._hover = hover
            self.setCursor(
                Qt.CursorShape.PointingHandCursor
                if hover is not None or self.edge_at(pos) is not None
                else Qt.CursorShape.ArrowCursor
            )
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton and self._press is not None:
            was_drag = self._dragging
            self._press = None
            self._dragging = False
            self.unsetCursor()
            if not was_drag:
                self.click(event.position())
        super().mouseReleaseEvent(event)

    def click(self, pos: QPointF) -> None:
        """What a click at ``pos`` does: select a node, else an edge, else nothing."""
        node = self.node_at(pos)
        if node is not None:
            self.select_entity(node, reveal=False)
            self.node_clicked.emit(node)
            return
        edge = self.edge_at(pos)
        if edge is not None:
            self.select_edge(*edge)
            self.edge_clicked.emit(*edge)
            return
        self._selected = None
        self._selected_edge = None
        self.update()
        self.background_clicked.emit()

    def leaveEvent(self, event: QEvent) -> None:  # noqa: N802
        if self._hover is not None:
            self._hover = None
            self.update()
        super().leaveEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(KEY_ZOOM)
        elif key == Qt.Key.Key_Minus:
            self.zoom_by(1 / KEY_ZOOM)
        elif key in (Qt.Key.Key_F, Qt.Key.Key_Home):
            self.fit_all()
        elif key == Qt.Key.Key_Left:
            self.pan_by(KEY_PAN, 0)
        elif key == Qt.Key.Key_Right:
            self.pan_by(-KEY_PAN, 0)
        elif key == Qt.Key.Key_Up:
            self.pan_by(0, KEY_PAN)
        elif key == Qt.Key.Key_Down:
            self.pan_by(0, -KEY_PAN)
        elif key == Qt.Key.Key_Escape and (self._selected or self._selected_edge):
            self._selected = None
            self._selected_edge = None
            self.update()
            self.background_clicked.emit()
        else:
            super().keyPressEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            text = self.tooltip_at(QPointF(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), inert(text), self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def tooltip_at(self, pos: QPointF) -> str:
        p = self._placed
        if p is None:
            return ""
        node = self.node_at(pos)
        if node is not None:
            n = p.graph.nodes[p.index[node]]
            degree = sum(1 for e in p.graph.edges if node in (e.source, e.target))
            return (
                f"{n.name}\n{KIND_NAMES.get(n.kind, n.kind)} · "
                f"{n.mentions} mention{'s' if n.mentions != 1 else ''} in {n.documents} "
                f"document{'s' if n.documents != 1 else ''} · {degree} connection"
                f"{'s' if degree != 1 else ''}"
            )
        edge = self.edge_at(pos)
        if edge is not None:
            found = p.graph.edge(*edge)
            if found is None:
                return ""
            a = p.graph.nodes[p.index[found.source]].name
            b = p.graph.nodes[p.index[found.target]].name
            return f"{a} — {b}\n{_shared(found)}\nClick to list them."
        return ""

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(600, 400)


def _shared(edge: Edge) -> str:
    parts = []
    if edge.events:
        parts.append(f"{len(edge.events)} event{'s' if len(edge.events) != 1 else ''}")
    if edge.claims:
        parts.append(f"{len(edge.claims)} claim{'s' if len(edge.claims) != 1 else ''}")
    return " and ".join(parts) + " in common"


# -- the dock ------------------------------------------------------------------------------------


class _WrappingTree(QTreeView):
    """A tree whose long rows wrap to its width: each row is measured at the width it is
    given, and measured again when the tree is resized."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setItemDelegate(_WrapDelegate(self))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.scheduleDelayedItemsLayout()


class _WrapDelegate(QStyledItemDelegate):
    def __init__(self, tree: QTreeView) -> None:
        super().__init__(tree)
        self._tree = tree

    def sizeHint(self, option: QStyleOptionViewItem, index: Any) -> QSize:  # noqa: N802
        depth = 0
        parent = index.parent()
        while parent.isValid():
            depth += 1
            parent = parent.parent()
        width = self._tree.viewport().width() - self._tree.indentation() * (depth + 1) - 8
        text = str(index.data() or "")
        box = option.fontMetrics.boundingRect(
            QRect(0, 0, max(width, 60), 100_000), Qt.TextFlag.TextWordWrap, text
        )
        return QSize(max(width, 60), box.height() + 4)


class _GraphLoader(QObject):
    """Carries a worker thread's result back to the GUI thread (a queued signal).

    Signals:
        finished(int generation, object result): (graph, positions) or the exception.
    """

    finished = Signal(int, object)


@dataclass
class _Job:
    generation: int
    cancel: threading.Event


def _build_and_lay_out(
    uri: str,
    graph_filter: GraphFilter,
    previous: dict[int, tuple[float, float]],
    cancel: threading.Event,
) -> tuple[CaseGraph, dict[int, tuple[float, float]]]:
    """Read the graph on a connection of its own and lay it out (in a worker thread)."""
    conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
    try:
        graph = build_graph(conn, graph_filter)
    finally:
        conn.close()
    positions = layout_graph(graph, seed=LAYOUT_SEED, previous=previous, cancelled=cancel.is_set)
    return graph, positions


class ConnectionsPanel(QWidget):
    """The Connections dock: filters, the network, and what connects a chosen pair.

    Signals:
        entity_selected(int entity_id): the user clicked an entity's node.
        link_activated(int document_id, int start, int end): open a sentence in the reader.
        graph_shown(int nodes): a (re)built graph is on screen.
    """

    entity_selected = Signal(int)
    link_activated = Signal(int, int, int)
    graph_shown = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._case: Case | None = None
        self._job: _Job | None = None
        self._generation = 0
        self._error = ""
        self._stale = False
        self.active = True  # False while the dock is hidden: reloads wait until it is shown
        self._loader = _GraphLoader(self)
        self._loader.finished.connect(self._on_loader_finished)
        self._reload_timer = QTimer(self, singleShot=True, interval=RELOAD_DELAY_MS)
        self._reload_timer.timeout.connect(self._start)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.toolbar = QToolBar("Connections", self)
        self.toolbar.setIconSize(QSize(16, 16))
        self.kind_boxes: dict[str, QCheckBox] = {}
        for kind in ENTITY_KINDS:
            box = QCheckBox(KIND_LABELS.get(kind, kind), self)
            swatch = QPixmap(10, 10)
            swatch.fill(kind_colour(kind))
            box.setIcon(QIcon(swatch))
            box.setChecked(kind in DEFAULT_KINDS)
            box.setObjectName(f"connections_{kind}")
            box.toggled.connect(self._on_filter_changed)
            self.kind_boxes[kind] = box
            self.toolbar.addWidget(box)
        self.toolbar.addSeparator()
        self.date_from = self._date_edit("From", "connectionsFrom")
        self.date_to = self._date_edit("To", "connectionsTo")
        holder = QWidget(self)
        row = QHBoxLayout(holder)
        row.setContentsMargins(6, 0, 0, 0)
        row.addWidget(QLabel("Min. weight:", holder))
        self.min_weight = QSpinBox(holder)
        self.min_weight.setObjectName("connectionsMinWeight")
        self.min_weight.setRange(1, 999)
        self.min_weight.setToolTip(
            "Keep connections shared by at least this many events and claims"
        )
        self.min_weight.valueChanged.connect(self._on_filter_changed)
        row.addWidget(self.min_weight)
        self.toolbar.addWidget(holder)
        self.toolbar.addSeparator()
        self.fit_action = self._action("Fit", "F", "Show the whole network (F or Home)")
        self.zoom_in_action = self._action("+", "+", "Zoom in (+ or the wheel)")
        self.zoom_out_action = self._action("−", "-", "Zoom out (- or the wheel)")
        self.export_action = self._action(
            "Export…", "", "Write the network shown as GraphML or GEXF, for Gephi"
        )
        layout.addWidget(self.toolbar)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.view = NetworkView(splitter)
        self.fit_action.triggered.connect(self.view.fit_all)
        self.zoom_in_action.triggered.connect(lambda: self.view.zoom_by(KEY_ZOOM))
        self.zoom_out_action.triggered.connect(lambda: self.view.zoom_by(1 / KEY_ZOOM))
        self.export_action.triggered.connect(self.export_dialog)
        side = QWidget(splitter)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(4, 4, 4, 4)
        self.links_title = QLabel(side)
        self.links_title.setTextFormat(Qt.TextFormat.PlainText)
        self.links_title.setWordWrap(True)
        side_layout.addWidget(self.links_title)
        self.links = QStandardItemModel(self)
        self.links_view = _WrappingTree(side)
        self.links_view.setObjectName("connectionLinks")
        self.links_view.setModel(self.links)
        self.links_view.setHeaderHidden(True)
        self.links_view.setWordWrap(True)
        self.links_view.setUniformRowHeights(False)
        self.links_view.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.links_view.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.links_view.header().setStretchLastSection(True)
        self.links_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.links_view.clicked.connect(self._on_links_view_activated)
        self.links_view.activated.connect(self._on_links_view_activated)
        side_layout.addWidget(self.links_view, 1)
        splitter.addWidget(self.view)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([640, 360])
        layout.addWidget(splitter, 1)
        self.status = QLabel(self)
        self.status.setObjectName("connectionsStatus")
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setContentsMargins(6, 2, 6, 2)
        layout.addWidget(self.status)

        self.view.node_clicked.connect(self._on_view_node_clicked)
        self.view.edge_clicked.connect(self._on_view_edge_clicked)
        self.view.background_clicked.connect(self._show_hint)
        self._show_hint()

    def _date_edit(self, caption: str, name: str) -> QLineEdit:
        holder = QWidget(self)
        row = QHBoxLayout(holder)
        row.setContentsMargins(6, 0, 0, 0)
        row.setSpacing(4)
        row.addWidget(QLabel(caption + ":", holder))
        edit = QLineEdit(holder)
        edit.setObjectName(name)
        edit.setPlaceholderText("YYYY-MM-DD")
        edit.setClearButtonEnabled(True)
        edit.setMaximumWidth(110)
        edit.setToolTip("A year, a month or a day (2019, 2019-07, 2019-07-12); empty: no limit")
        edit.editingFinished.connect(self._on_filter_changed)
        row.addWidget(edit)
        holder.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Preferred)
        self.toolbar.addWidget(holder)
        return edit

    def _action(self, text: str, shortcut: str, tip: str) -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setToolTip(tip)
        self.toolbar.addAction(action)
        self.addAction(action)
        return action

    # -- the case and its graph --------------------------------------------------------------------

    def set_case(self, case: Case | None) -> None:
        """Show a case's network (filters kept; nothing is read while the dock is hidden)."""
        self._case = case
        self._cancel_job()
        self.view.clear()
        self.links.clear()
        self._show_hint()
        self.reload(now=True)

    def graph_filter(self) -> GraphFilter:
        """The filter the controls describe (raises ``GraphError`` for a bad date)."""
        kinds = frozenset(k for k, box in self.kind_boxes.items() if box.isChecked())
        graph_filter = GraphFilter(
            kinds=kinds,
            date_from=self.date_from.text().strip() or None,
            date_to=self.date_to.text().strip() or None,
            min_weight=self.min_weight.value(),
            max_nodes=MAX_NODES,
        )
        graph_filter.bounds()
        return graph_filter

    def reload(self, *, now: bool = False) -> None:
        """Build the graph again (after the case changed): soon, in the background; when the
        dock is hidden, when it is next shown."""
        if not self.active:
            self._stale = True
            return
        if now:
            self._reload_timer.stop()
            self._start()
        else:
            self._reload_timer.start()

    def set_active(self, active: bool) -> None:
        self.active = active
        if active and self._stale:
            self._stale = False
            self.reload(now=True)

    def is_loading(self) -> bool:
        """Whether a new graph is due: being built, or about to be."""
        return self._job is not None or self._reload_timer.isActive()

    def error(self) -> str:
        return self._error

    def _cancel_job(self) -> None:
        if self._job is not None:
            self._job.cancel.set()
            self._job = None

    def _start(self) -> None:
        self._cancel_job()
        self._generation += 1
        generation = self._generation
        case = self._case
        if case is None:
            self.view.clear()
            self.view.set_message("")
            self.status.setText("")
            return
        try:
            graph_filter = self.graph_filter()
        except GraphError as exc:
            self._error = str(exc)
            self.status.setText(f"⚠ {exc}")
            return
        self._error = ""
        job = self._job = _Job(generation, threading.Event())
        uri = case.path.resolve().as_uri() + "?mode=ro"
        previous = self.view.positions()
        loader = self._loader
        self.status.setText("Laying out the network…")

        def work() -> None:
            result: object
            try:
                result = _build_and_lay_out(uri, graph_filter, previous, job.cancel)
            except LayoutCancelled:
                return
            except Exception as exc:  # reported in the panel, never lost in the thread
                result = exc
            with contextlib.suppress(RuntimeError):  # the panel was closed meanwhile
                loader.finished.emit(generation, result)

        threading.Thread(target=work, name="connections-layout", daemon=True).start()

    def _on_loader_finished(self, generation: int, result: object) -> None:
        if generation != self._generation:
            return  # a newer graph is on its way
        self._job = None
        if isinstance(result, BaseException):
            self._error = f"Could not read the network: {result}"
            self.status.setText(f"⚠ {self._error}")
            self.view.clear()
            self.view.set_message(self._error)
            return
        assert isinstance(result, tuple)
        graph, positions = result
        self.view.show_graph(graph, positions)
        if graph.nodes:
            self.view.set_message("")
        else:
            self.view.set_message(
                "No connections: no two entities of the kinds chosen take part in the same "
                "event or claim in this range."
            )
        self.status.setText(describe(graph))
        selected = self.view.selected_edge()
        if selected is not None:
            edge = graph.edge(*selected)
            if edge is not None:
                self._list_links(edge)
        elif self.view.selected_entity() is None:
            self._show_hint()
        self.graph_shown.emit(len(graph.nodes))

    def _on_filter_changed(self, *_args: object) -> None:
        self.reload()

    # -- selection and links -----------------------------------------------------------------------

    def select_entity(self, entity_id: int | None) -> None:
        """Mark an entity chosen elsewhere (no signal)."""
        if entity_id != self.view.selected_entity():
            self.view.select_entity(entity_id)

    def _on_view_node_clicked(self, entity_id: int) -> None:
        graph = self.view.graph()
        node = graph.node(entity_id) if graph else None
        self.links.clear()
        if node is not None:
            degree = (
                sum(1 for e in graph.edges if entity_id in (e.source, e.target)) if graph else 0
            )
            self.links_title.setText(
                f"{node.name}: {degree} connection{'s' if degree != 1 else ''}. "
                "Click a line to see what connects two entities."
            )
        self.entity_selected.emit(entity_id)

    def _on_view_edge_clicked(self, a: int, b: int) -> None:
        graph = self.view.graph()
        edge = graph.edge(a, b) if graph else None
        if edge is not None:
            self._list_links(edge)

    def _show_hint(self) -> None:
        self.links.clear()
        self.links_title.setText(
            "Click an entity to select it everywhere, or a line to list the events and claims "
            "that connect two entities."
        )

    def _list_links(self, edge: Edge) -> None:
        graph = self.view.graph()
        case = self._case
        self.links.clear()
        if graph is None or case is None:
            return
        a, b = graph.node(edge.source), graph.node(edge.target)
        self.links_title.setText(
            f"{a.name if a else '?'} — {b.name if b else '?'}: {_shared(edge)}"
        )
        try:
            links = edge_links(case, edge)
        except sqlite3.Error as exc:
            self.links_title.setText(f"Could not read what connects them: {exc}")
            return
        root = self.links.invisibleRootItem()
        for link in links:
            root.appendRow(self._link_item(link))  # an item's reports fold under it

    def _link_item(self, link: Link) -> QStandardItem:
        when = f"{link.date} · " if link.date else ""
        reports = len(link.sources)
        more = f" ({reports} reports)" if link.kind == "event" and reports > 1 else ""
        item = QStandardItem(f"{when}{link.title}{more}")
        item.setEditable(False)
        item.setToolTip(inert(item.text()))
        if link.kind == "event":
            item.setForeground(kind_colour("event"))
        if link.sources:
            first = link.sources[0]
            item.setData((first.document_id, first.start, first.end), LINK_ROLE)
        if reports > 1:
            for source in link.sources:
                snippet = " ".join(source.text.split())
                snippet = snippet if len(snippet) < 90 else snippet[:89] + "…"
                child = QStandardItem(f"{source.document}: “{snippet}”")
                child.setEditable(False)
                child.setToolTip(inert(child.text()))
                child.setData((source.document_id, source.start, source.end), LINK_ROLE)
                item.appendRow(child)
        return item

    def link_rows(self) -> list[str]:
        """The listed events and claims, as shown (for tests and accessibility)."""
        return [self.links.item(r).text() for r in range(self.links.rowCount())]

    def _on_links_view_activated(self, index: Any) -> None:
        found = index.data(LINK_ROLE)
        if found:
            doc_id, start, end = found
            self.link_activated.emit(int(doc_id), int(start), int(end))

    # -- export ------------------------------------------------------------------------------------

    def export_to(self, path: Path) -> Path:
        """Write the network shown (with its layout) to ``path``: .graphml or .gexf."""
        from casedesk.export.graph import export_graph

        graph = self.view.graph()
        if graph is None:
            raise OSError("there is no network to export yet")
        name = self._case.name if self._case is not None else ""
        return export_graph(graph, path, self.view.positions(), name=name)

    def export_dialog(self) -> None:
        from casedesk.export import ExportError

        if self.view.graph() is None:
            return
        base = self._case.path.with_suffix(".graphml") if self._case is not None else Path()
        chosen, selected = QFileDialog.getSaveFileName(
            self,
            "Export the Network",
            str(base),
            "GraphML (*.graphml);;GEXF for Gephi (*.gexf)",
        )
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() not in (".graphml", ".gexf"):
            path = path.with_suffix(".gexf" if "gexf" in selected.lower() else ".graphml")
        try:
            written = self.export_to(path)
        except (OSError, ExportError) as exc:
            QMessageBox.warning(self, "Cannot export the network", inert(f"{path}: {exc}"))
            return
        self.status.setText(
            f"Wrote {written.name}: {describe(self.view.graph() or CaseGraph((), ()))}"
        )
