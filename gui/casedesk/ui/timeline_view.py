"""The case timeline widget: paints what ``casedesk.timeline`` laid out, and turns mouse and keys
into viewport changes.

Nothing here decides where an event goes. The view holds a ``Timeline`` (events, the period
band, lanes, clusters, density bins) and a ``Viewport`` (time at the left edge, pixels per
day), asks the core for ticks and a layout each frame, and paints only what falls in the view
straight from ``drawBackground``: no QGraphicsItem per event, so 50,000 events cost what one
screenful costs.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import html
import math
import sqlite3
import sys
import threading
from typing import Any

from PySide6.QtCore import QEvent, QLineF, QObject, QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
    QResizeEvent,
    QStaticText,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QMenu,
    QScrollBar,
    QSizePolicy,
    QToolBar,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from casedesk.safe_html import rich_tooltip
from casedesk.store import FACT_KINDS, Case
from casedesk.timeline import (
    OVERVIEW_HEIGHT,
    PERIOD_BAR_HEIGHT,
    PERIOD_LANE_HEIGHT,
    POINT_RADIUS,
    Cluster,
    LaidOutEvent,
    Layout,
    Timeline,
    TimelineEvent,
    Viewport,
    badge_label,
    cluster_label,
    cluster_zoom,
    colour_key,
    date_of_t,
    entity_choices,
    entity_names,
    load_events,
    tag_choices,
    ticks,
)
from casedesk.timeline import (
    palette_colour as event_colour_for_key,
)
from casedesk.ui.colours import DISPUTED
from casedesk.words import day_range_words, spoken_date


def guard_none_refcount() -> bool:
    """Keep PySide6 6.12 on Python 3.11 from crashing the program within seconds of painting.

    That combination drops one reference to ``None`` on every call of a Qt method that returns
    nothing (``painter.drawLine``, ``setPen``, ``widget.update`` ...), and one to ``True`` on
    every ``Signal.emit``, so after a few thousand calls Python aborts with "none_dealloc:
    deallocating None" (or "bool_dealloc"). Python 3.12 made these objects immortal, which is
    why the bindings get away with it there. On an affected interpreter, give ``None``,
    ``True`` and ``False`` so many references that the drops can never reach zero (2**48
    calls). Returns whether the guard was applied. Harmless where the bug is fixed: these
    objects are never freed anyway.
    """
    if sys.version_info >= (3, 12):
        return False
    probe = QColor()
    before = sys.getrefcount(None)
    for _ in range(64):
        probe.setRgb(0, 0, 0, 255)
    if before - sys.getrefcount(None) < 32:
        return False
    for immortal in (None, True, False):
        ctypes.c_ssize_t.from_address(id(immortal)).value += 1 << 48
    return True


guard_none_refcount()

STATUS_WORDS = {
    "confirmed": "edited by you",
    "manual": "added by you",
}
ASYNC_LOAD_ABOVE = 5000  # events; fewer are read at once (a few tens of milliseconds)
AXIS_HEIGHT = 38.0
LANE_TOP_GAP = 4.0
DRAG_THRESHOLD = 4
WHEEL_STEP = 1.25  # zoom factor of one wheel notch
KEY_ZOOM = 1.5
OVERVIEW_CHIP_HEIGHT = OVERVIEW_HEIGHT - 5


def _mix(a: QColor, b: QColor, amount: float) -> QColor:
    """``a`` moved ``amount`` (0..1) of the way towards ``b``."""
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * amount,
        a.greenF() + (b.greenF() - a.greenF()) * amount,
        a.blueF() + (b.blueF() - a.blueF()) * amount,
        1.0,
    )


class _EventLoader(QObject):
    """Carries a worker thread's result back to the GUI thread (a queued signal).

    Signals:
        finished(int generation, object events_or_error)
    """

    finished = Signal(int, object)


class TimelineView(QGraphicsView):
    """The events of a case on a zoomable date axis.

    Mouse wheel zooms around the cursor (Shift+wheel scrolls lanes), dragging pans, a click
    activates an event, F or Home fits the whole case, + and - zoom, arrow keys pan and scroll.

    Signals:
        event_activated(int event_id, int source_index): the user chose an event's source
            (clicked a single-source event, or picked one of several from the menu).
        zoom_changed(float pixels_per_day): the scale changed (zoom, fit, resize of a fitted
            view).
        events_loaded(int count): a (re)load of the case's events finished.
        current_changed(int event_id): the item keys and menus act on (-1: none).
        context_menu_requested(int event_id, QPoint global_pos, float t): a right click on
            an item (-1 on empty space; ``t`` is the time under the pointer).
    """

    event_activated = Signal(int, int)
    zoom_changed = Signal(float)
    events_loaded = Signal(int)
    current_changed = Signal(int)
    context_menu_requested = Signal(int, QPoint, float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._generation = 0
        self._loading = 0
        self._error = ""
        self._loader = _EventLoader(self)
        self._loader.finished.connect(self._on_loader_finished)
        self.setAccessibleName("Timeline")
        self.setScene(QGraphicsScene(self))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumHeight(120)
        self._case: Case | None = None
        self._filters: dict[str, Any] = {"entity_id": None, "kind": None, "tag_id": None}
        self._colour_by = "source"
        self._highlight_doc: int | None = None
        self._hover: LaidOutEvent | None = None
        self._hover_cluster: Cluster | None = None
        self._current: int | None = None
        self._lane_scroll = 0.0
        self._auto_fit = True
        self._press: QPointF | None = None
        self._press_state: tuple[Viewport, float] | None = None
        self._dragging = False
        self._layout: Layout | None = None
        self._colour_cache: dict[str, QColor] = {}
        self.source_menu: QMenu | None = None
        self._by_id: dict[int, TimelineEvent] | None = None
        self._stamps: dict[tuple[Any, ...], tuple[QPixmap, float, float]] = {}
        self._entity_names: dict[int, str] = {}
        self._keys: dict[int, int | None] = {}
        self.lane_scroll_bar = QScrollBar(Qt.Orientation.Vertical, self.viewport())
        self.lane_scroll_bar.setAccessibleName("Scroll timeline lanes")
        self.lane_scroll_bar.setCursor(Qt.CursorShape.ArrowCursor)
        self.lane_scroll_bar.hide()
        self.lane_scroll_bar.valueChanged.connect(self._on_lane_scroll_bar_value_changed)
        self._disputed: dict[int, str] = {}  # event id -> what is disputed, in words
        self._update_fonts()
        self._timeline = Timeline([], self._label_width, self._small_width)
        self._vp = self._timeline.fit(max(self.width(), 1))

    # -- public API ----------------------------------------------------------------------------

    def set_case(self, case: Case | None) -> None:
        """Show ``case`` (None: nothing) with the current filters, fitted."""
        self._case = case
        self._entity_names = {}
        self._auto_fit = True
        self._lane_scroll = 0.0
        self._set_events([])
        self.reload()

    def reload(self) -> None:
        """Read the events again (after extraction, an edit or a filter change); keeps the zoom
        the user chose, refits a view that was fitted.

        A case with more than ``ASYNC_LOAD_ABOVE`` events is read in a worker thread on its own
        read-only connection, so the window keeps painting; ``events_loaded`` tells when the
        events are in.
        """
        self._generation += 1
        generation = self._generation
        case = self._case
        if case is None:
            self._on_loader_finished(generation, [])
            return
        try:
            count = int(case.conn.execute("SELECT COUNT(*) FROM events").fetchone()[0])
        except sqlite3.Error as exc:  # e.g. the case was closed under us
            self._on_loader_finished(generation, exc)
            return
        if count <= ASYNC_LOAD_ABOVE:
            try:
                events: object = load_events(case, **self._filters)
            except sqlite3.Error as exc:
                events = exc
            self._on_loader_finished(generation, events)
            return
        self._loading = count
        self.viewport().update()
        uri = case.path.resolve().as_uri() + "?mode=ro"
        filters = dict(self._filters)
        loader = self._loader

        def work() -> None:
            result: object
            try:
                conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
                try:
                    result = load_events(conn, **filters)
                finally:
                    conn.close()
            except Exception as exc:  # reported in the view, never lost in the thread
                result = exc
            with contextlib.suppress(RuntimeError):  # the view was closed meanwhile
                loader.finished.emit(generation, result)

        threading.Thread(target=work, name="timeline-load", daemon=True).start()

    def error(self) -> str:
        """Why the events could not be read ("" when they could)."""
        return self._error

    def is_loading(self) -> bool:
        """Whether events are being read in the background."""
        return self._loading > 0

    def _on_loader_finished(self, generation: int, result: object) -> None:
        if generation != self._generation:
            return  # a newer reload is under way
        self._loading = 0
        if isinstance(result, BaseException):
            self._error = f"Could not read the timeline: {result}"
            self._set_events([])
        else:
            self._error = ""
            assert isinstance(result, list)
            self._set_events(result)
        if self._auto_fit:
            self.fit_all()
        self.events_loaded.emit(len(self._timeline))

    def set_events(self, events: list[TimelineEvent]) -> None:
        """Show these events instead of the case's (used by tests and benchmarks), fitted."""
        self._set_events(events)
        self.fit_all()

    def events(self) -> list[TimelineEvent]:
        """The events shown (after filters), in time order."""
        return list(self._timeline.events)

    def event_by_id(self, event_id: int) -> TimelineEvent | None:
        """A shown event by its id (None if it is filtered out or gone)."""
        if self._by_id is None:
            self._by_id = {e.id: e for e in self._timeline.events}
        return self._by_id.get(event_id)

    def set_filter(
        self,
        *,
        entity_id: int | None = None,
        kind: str | None = None,
        tag_id: int | None = None,
        reload: bool = True,
    ) -> None:
        """Keep only events of this entity, fact kind and tag (None: any), then reload and fit
        (what the filter keeps may lie anywhere in time)."""
        self._filters = {"entity_id": entity_id, "kind": kind, "tag_id": tag_id}
        if not reload:
            return
        self.reload()
        self.fit_all()

    def set_colour_by(self, by: str) -> None:
        """Colour events by their ``"source"`` document or by their first ``"entity"``."""
        if by not in ("source", "entity"):
            raise ValueError(f"cannot colour timeline events by {by!r} (source or entity)")
        self._colour_by = by
        self._keys = {}
        self.viewport().update()

    def colour_by(self) -> str:
        return self._colour_by

    def set_disputed(self, disputed: dict[int, str]) -> None:
        """Mark these items as disputed (event id -> what the sources disagree on, shown in
        the tooltip)."""
        if disputed != self._disputed:
            self._disputed = dict(disputed)
            self.viewport().update()

    def disputed(self) -> dict[int, str]:
        return dict(self._disputed)

    def highlight_document(self, document_id: int | None) -> None:
        """Mark the events drawn from this document (None: no mark)."""
        self._highlight_doc = document_id
        self._timeline.set_highlight_document(document_id)
        self.viewport().update()

    def fit_all(self) -> None:
        """Zoom and pan so that every event shows."""
        self._auto_fit = True
        self._lane_scroll = 0.0
        self._set_viewport(self._timeline.fit(self._view_width()))

    def zoom_by(self, factor: float, anchor_x: float | None = None) -> None:
        """Zoom in (factor > 1) or out, keeping the time under ``anchor_x`` (view pixels) put."""
        self._auto_fit = False
        self._set_viewport(self._vp.zoom(factor, anchor_x))

    def pan_by(self, dx: float) -> None:
        """Move the content ``dx`` pixels to the right (earlier times come into view)."""
        self._auto_fit = False
        self._set_viewport(self._vp.pan(dx))

    def time_viewport(self) -> Viewport:
        """The shown time range and scale."""
        return self._vp

    def scale_px_per_day(self) -> float:
        return self._vp.scale

    def layout_mode(self) -> str:
        """``labels`` (events one by one: labelled, or counted in clusters), ``density`` (the
        most important labelled over a histogram of the rest) or ``empty``."""
        return self._current_layout().mode

    def event_at(self, pos: QPoint | QPointF) -> TimelineEvent | None:
        """The event drawn at ``pos`` (viewport coordinates), marker or label."""
        item = self._item_at(QPointF(pos))
        return None if item is None else item.event

    def event_pos(self, event_id: int) -> QPoint | None:
        """Where the marker of an event is drawn (viewport coordinates), if it is in view."""
        layout = self._current_layout()
        for item in layout.visible(self._vp):
            if item.event.id == event_id:
                x = item.x0 - self._vp.offset
                if item.x1 > item.x0:
                    x = max(x, 0.0) + 2
                y = self._item_mid_y(layout, item)
                if item.band == "points" and y < self._lanes_top(layout):
                    continue  # scrolled out of sight under the band
                if 0 <= x < self._vp.width and AXIS_HEIGHT <= y < self.viewport().height():
                    return QPoint(round(x), round(y))
        return None

    def current_event_id(self) -> int | None:
        """The item keys and menus act on: the one last clicked or stepped to (if shown)."""
        if self._current is not None and self.event_by_id(self._current) is None:
            return None
        return self._current

    def set_current_event(self, event_id: int | None) -> None:
        if event_id != self._current:
            self._current = event_id
            self._timeline.pin(event_id)  # the current item is labelled, never in a cluster
            self._layout = None
            self.viewport().update()
            self.current_changed.emit(-1 if event_id is None else event_id)

    def step_current(self, step: int) -> None:
        """Make the next (``step`` 1) or previous (-1) item in time current, panning it into
        view."""
        events = self._timeline.events
        if not events:
            return
        ids = [e.id for e in events]
        current = self.current_event_id()
        if current is None:
            index = 0 if step > 0 else len(ids) - 1
        else:
            index = min(max(ids.index(current) + step, 0), len(ids) - 1)
        event = events[index]
        self.set_current_event(event.id)
        x = event.t * self._vp.scale - self._vp.offset
        if not 0 <= x <= self._vp.width:
            self.pan_by(self._vp.width / 2 - x)

    def time_at(self, x: float) -> float:
        """The time (days) under a view x coordinate."""
        return self._vp.start + x / self._vp.scale

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(800, 220)

    # -- state ---------------------------------------------------------------------------------

    def _set_events(self, events: list[TimelineEvent]) -> None:
        self._timeline = Timeline(events, self._label_width, self._small_width)
        self._timeline.pin(self._current)
        self._by_id = None
        self._keys = {}
        self._timeline.set_highlight_document(self._highlight_doc)
        self._hover = None
        self._hover_cluster = None
        self._layout = None
        self.viewport().update()

    def _set_viewport(self, vp: Viewport) -> None:
        old = self._vp.scale
        self._vp = vp
        self._layout = None
        self._hover_cluster = None
        self._clamp_lane_scroll()
        self.viewport().update()
        if not math.isclose(old, vp.scale, rel_tol=1e-12):
            self.zoom_changed.emit(vp.scale)

    def _view_width(self) -> float:
        return float(max(self.viewport().width(), 1))

    def _lane_area_height(self) -> float:
        return max(self.viewport().height() - AXIS_HEIGHT - LANE_TOP_GAP - 4, 1.0)

    def _lanes_top(self, layout: Layout) -> float:
        """Where the lanes of day events begin: under the period band and the overview row,
        which stay put when the lanes scroll."""
        return AXIS_HEIGHT + LANE_TOP_GAP + layout.header_height

    def _lane_origin(self) -> float:
        """Where lane 0 of the day events is drawn (above the view when scrolled)."""
        return self._lanes_top(self._current_layout()) - self._lane_scroll

    def _item_mid_y(self, layout: Layout, item: LaidOutEvent) -> float:
        if item.band == "periods":
            return AXIS_HEIGHT + LANE_TOP_GAP + item.y + PERIOD_LANE_HEIGHT / 2
        return self._lane_origin() + item.y + layout.lane_height / 2

    def _current_layout(self) -> Layout:
        if self._layout is None:
            self._layout = self._timeline.layout(self._vp, self._lane_area_height())
        return self._layout

    def lane_scroll_range(self) -> int:
        """How far the lanes can scroll (pixels; 0 when they all fit)."""
        layout = self._current_layout()
        return max(round(layout.content_height - self._lane_area_height()), 0)

    def lane_scroll(self) -> float:
        return self._lane_scroll

    def _clamp_lane_scroll(self) -> None:
        self._lane_scroll = min(max(self._lane_scroll, 0.0), float(self.lane_scroll_range()))
        self._sync_scroll_bar()

    def _sync_scroll_bar(self) -> None:
        """Show the lanes' scroll bar, beside the lanes, when they overflow the view."""
        bar = self.lane_scroll_bar
        maximum = self.lane_scroll_range()
        if maximum <= 0:
            bar.hide()
            return
        layout = self._current_layout()
        top = round(self._lanes_top(layout))
        size = self.viewport().size()
        width = bar.sizeHint().width()
        bar.setGeometry(size.width() - width, top, width, max(size.height() - top, 1))
        bar.blockSignals(True)
        bar.setRange(0, maximum)
        bar.setPageStep(max(round(size.height() - top), 1))
        bar.setSingleStep(round(layout.lane_height))
        bar.setValue(round(self._lane_scroll))
        bar.blockSignals(False)
        bar.show()

    def _on_lane_scroll_bar_value_changed(self, value: int) -> None:
        self._lane_scroll = float(value)
        self.viewport().update()

    def _item_at(self, pos: QPointF) -> LaidOutEvent | None:
        if pos.y() < AXIS_HEIGHT:
            return None
        layout = self._current_layout()
        item = layout.item_at(
            self._vp, pos.x(), pos.y(), AXIS_HEIGHT + LANE_TOP_GAP, self._lane_scroll
        )
        if item is not None and item.band == "points" and pos.y() < self._lanes_top(layout):
            return None
        return item

    def _cluster_at(self, pos: QPointF) -> Cluster | None:
        return self._current_layout().cluster_at(
            self._vp, pos.x(), pos.y(), AXIS_HEIGHT + LANE_TOP_GAP
        )

    def cluster_pos(self, index: int = 0) -> QPoint | None:
        """The middle of the ``index``-th cluster chip in view (None if there are fewer)."""
        layout = self._current_layout()
        shown = layout.visible_clusters(self._vp)
        if index >= len(shown):
            return None
        c = shown[index]
        x = (max(c.x0, self._vp.offset) + min(c.x1, self._vp.offset + self._vp.width)) / 2
        y = AXIS_HEIGHT + LANE_TOP_GAP + layout.period_height + layout.overview_height / 2
        return QPoint(round(x - self._vp.offset), round(y))

    def clusters(self) -> list[Cluster]:
        """The clusters in view: events with no room for a label at this zoom."""
        return self._current_layout().visible_clusters(self._vp)

    def labelled_events(self) -> list[TimelineEvent]:
        """The events shown with their label in view (the lanes scrolled into sight or not)."""
        return [it.event for it in self._current_layout().labelled(self._vp)]

    def _update_fonts(self) -> None:
        self._font = QFont(self.font())
        self._metrics = QFontMetricsF(self._font)
        self._bold = QFont(self._font)
        self._bold.setBold(True)
        self._bold_metrics = QFontMetricsF(self._bold)
        self._small = QFont(self._font)
        self._small.setPointSizeF(max(self._font.pointSizeF() * 0.85, 6.0))
        self._small_metrics = QFontMetricsF(self._small)
        self._widths: dict[tuple[bool, str], float] = {}
        self._statics: dict[tuple[bool, str], QStaticText] = {}
        self._mixes: dict[tuple[int, int, float], QColor] = {}

    def _label_width(self, text: str) -> float:
        return self._text_width(text, False)

    def _small_width(self, text: str) -> float:
        return self._text_width(text, True)

    def _static(self, text: str, small: bool) -> QStaticText:
        """A label laid out once and drawn again each frame (drawing laid-out text costs a
        fraction of laying it out anew)."""
        key = (small, text)
        found = self._statics.get(key)
        if found is None:
            if len(self._statics) > 4000:
                self._statics.clear()
            found = QStaticText(text)
            found.setTextFormat(Qt.TextFormat.PlainText)  # a title is data, never markup
            found.setPerformanceHint(QStaticText.PerformanceHint.AggressiveCaching)
            found.prepare(QTransform(), self._small if small else self._font)
            self._statics[key] = found
        return found

    def _text_width(self, text: str, small: bool) -> float:
        """A label's width in the lanes' font or the band's smaller one, measured once (each
        frame draws the same few hundred labels again)."""
        key = (small, text)
        width = self._widths.get(key)
        if width is None:
            if len(self._widths) > 20_000:
                self._widths.clear()
            metrics = self._small_metrics if small else self._metrics
            width = self._widths[key] = float(metrics.horizontalAdvance(text))
        return width

    def _axis_label_width(self, text: str) -> float:
        # majors are bold: measure every axis label as bold so none can overlap
        key = (True, "\0bold " + text)
        width = self._widths.get(key)
        if width is None:
            width = self._widths[key] = float(self._bold_metrics.horizontalAdvance(text))
        return width

    def _mixed(self, a: QColor, b: QColor, amount: float) -> QColor:
        """``_mix``, remembered: items are painted in a handful of colours."""
        key = (a.rgba(), b.rgba(), amount)
        found = self._mixes.get(key)
        if found is None:
            if len(self._mixes) > 512:
                self._mixes.clear()
            found = self._mixes[key] = _mix(a, b, amount)
        return found

    def _colour(self, name: str) -> QColor:
        colour = self._colour_cache.get(name)
        if colour is None:
            colour = self._colour_cache[name] = QColor(name)
        return colour

    # -- Qt events -----------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.ApplicationFontChange):
            self._update_fonts()
            self._timeline.set_text_width(self._label_width, self._small_width)
            self._layout = None
        super().changeEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        size = self.viewport().size()
        self.scene().setSceneRect(0, 0, size.width(), size.height())
        if self._auto_fit:
            self._set_viewport(self._timeline.fit(self._view_width()))
        else:
            self._set_viewport(self._vp.resized(self._view_width()))

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        delta = event.angleDelta()
        pos = event.position()
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            steps = (delta.y() or delta.x()) / 120
            self._scroll_lanes(-steps * 3 * self._current_layout().lane_height)
        else:
            if delta.y():
                self.zoom_by(WHEEL_STEP ** (delta.y() / 120), pos.x())
            if delta.x():
                self.pan_by(delta.x() / 2)
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position()
            self._press_state = (self._vp, self._lane_scroll)
            self._dragging = False
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        pos = event.position()
        if self._press is not None and self._press_state is not None:
            delta = pos - self._press
            if not self._dragging and (abs(delta.x()) + abs(delta.y())) >= DRAG_THRESHOLD:
                self._dragging = True
                self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            if self._dragging:
                vp, scroll = self._press_state
                self._auto_fit = False
                self._lane_scroll = scroll - delta.y()
                self._set_viewport(vp.pan(delta.x()))
            event.accept()
            return
        item = self._item_at(pos)
        cluster = None if item is not None else self._cluster_at(pos)
        if item is not self._hover or cluster is not self._hover_cluster:
            self._hover = item
            self._hover_cluster = cluster
            self.viewport().setCursor(
                Qt.CursorShape.PointingHandCursor if item or cluster else Qt.CursorShape.ArrowCursor
            )
            self.viewport().update()
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        if event.button() != Qt.MouseButton.LeftButton or self._press is None:
            super().mouseReleaseEvent(event)
            return
        was_drag = self._dragging
        self._press = None
        self._press_state = None
        self._dragging = False
        self.viewport().setCursor(Qt.CursorShape.ArrowCursor)
        if not was_drag:
            self._click(event.position(), event.globalPosition().toPoint())
        event.accept()

    def contextMenuEvent(self, event: Any) -> None:  # noqa: N802
        pos = QPointF(event.pos())
        item = self._item_at(pos)
        if item is not None:
            self.set_current_event(item.event.id)
        self.context_menu_requested.emit(
            -1 if item is None else item.event.id, event.globalPos(), self.time_at(pos.x())
        )
        event.accept()

    def leaveEvent(self, event: QEvent) -> None:  # noqa: N802
        if self._hover is not None or self._hover_cluster is not None:
            self._hover = None
            self._hover_cluster = None
            self.viewport().update()
        super().leaveEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        if key in (Qt.Key.Key_F, Qt.Key.Key_Home):
            self.fit_all()
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(KEY_ZOOM)
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom_by(1 / KEY_ZOOM)
        elif key == Qt.Key.Key_Left:
            self.pan_by(self._vp.width / 8)
        elif key == Qt.Key.Key_Right:
            self.pan_by(-self._vp.width / 8)
        elif key == Qt.Key.Key_Up:
            self._scroll_lanes(-self._current_layout().lane_height)
        elif key == Qt.Key.Key_Down:
            self._scroll_lanes(self._current_layout().lane_height)
        elif key in (Qt.Key.Key_Period, Qt.Key.Key_Greater):
            self.step_current(1)
        elif key in (Qt.Key.Key_Comma, Qt.Key.Key_Less):
            self.step_current(-1)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.current_event_id() is not None:
            self.event_activated.emit(self.current_event_id(), 0)
        elif key == Qt.Key.Key_Menu:
            current = self.current_event_id()
            pos = self.event_pos(current) if current is not None else None
            local = pos if pos is not None else QPoint(self.width() // 2, self.height() // 2)
            self.context_menu_requested.emit(
                -1 if current is None else current,
                self.viewport().mapToGlobal(local),
                self.time_at(float(local.x())),
            )
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            pos = QPointF(event.pos())
            item = self._item_at(pos)
            cluster = None if item is not None else self._cluster_at(pos)
            if item is not None:
                text = self._tooltip(item.event)
            elif cluster is not None:
                text = self._cluster_tooltip(cluster)
            else:
                text = self._density_tooltip(pos)
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def _scroll_lanes(self, dy: float) -> None:
        self._lane_scroll += dy
        self._clamp_lane_scroll()
        self.viewport().update()

    # -- activation ----------------------------------------------------------------------------

    def _click(self, pos: QPointF, global_pos: QPoint) -> None:
        item = self._item_at(pos)
        if item is None:
            cluster = self._cluster_at(pos)
            if cluster is not None:
                self.open_cluster(cluster, global_pos)
            elif self._current_layout().mode == "density" and pos.y() >= AXIS_HEIGHT:
                self.zoom_by(4.0, pos.x())
            return
        event = item.event
        self.set_current_event(event.id)
        if len(event.sources) == 1:
            self.event_activated.emit(event.id, 0)
        elif len(event.sources) > 1:
            self.source_menu = self._make_source_menu(event)
            self.source_menu.popup(global_pos)

    def open_cluster(self, cluster: Cluster, global_pos: QPoint | None = None) -> None:
        """Zoom in until the cluster's events spread out over most of the view; when they
        cannot spread any further (one day, or the deepest zoom), list them in a menu."""
        target = cluster_zoom(self._vp, cluster)
        if target is None:
            self.source_menu = self._make_cluster_menu(cluster)
            if global_pos is not None:
                self.source_menu.popup(global_pos)
            return
        self._auto_fit = False
        self._set_viewport(target)

    def _make_cluster_menu(self, cluster: Cluster) -> QMenu:
        """A menu of a cluster's events, most important first: choosing one opens it."""
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        title = menu.addAction(f"{cluster.count:,} events without room for a label here")
        title.setEnabled(False)
        menu.addSeparator()
        events = self._timeline.events
        for i in cluster.members[:25]:
            event = events[i]
            name = event.title if len(event.title) < 70 else event.title[:69] + "…"
            badge = badge_label(event)
            action = menu.addAction(f"{name} {badge}".strip() + f" — {spoken_date(event.date)}")
            action.triggered.connect(
                lambda _checked=False, eid=event.id: self._activate_event_id(eid)
            )
        if cluster.count > 25:
            more = menu.addAction(f"… and {cluster.count - 25:,} more: zoom in to see them")
            more.setEnabled(False)
        return menu

    def _activate_event_id(self, event_id: int) -> None:
        event = self.event_by_id(event_id)
        if event is None:
            return
        self.set_current_event(event_id)
        if event.sources:
            self.event_activated.emit(event_id, 0)

    def _cluster_tooltip(self, cluster: Cluster) -> str:
        events = self._timeline.events
        first = date_of_t(cluster.t0)
        last = date_of_t(max(cluster.t1 - 1e-6, cluster.t0))
        span = f"{first:%d %b %Y}"
        if last.date() != first.date():
            span += f" – {last:%d %b %Y}"
        lines = [
            f"<b>{cluster.count:,} more event{'s' if cluster.count != 1 else ''}</b>, "
            f"{html.escape(span)}"
        ]
        for i in cluster.members[:10]:
            event = events[i]
            badge = badge_label(event)
            lines.append(f"• {html.escape(event.title)}" + (f" ({badge})" if badge else ""))
        if cluster.count > 10:
            lines.append(f"… and {cluster.count - 10:,} more")
        lines.append("<i>click to zoom in on them</i>")
        return rich_tooltip("<br>".join(lines))

    def _make_source_menu(self, event: TimelineEvent) -> QMenu:
        """A menu of the event's sources: choosing one activates the event with that source."""
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        title = menu.addAction(f"{event.title} — {len(event.sources)} sources")
        title.setEnabled(False)
        menu.addSeparator()
        for index, source in enumerate(event.sources):
            snippet = " ".join(source.text.split())
            if len(snippet) > 60:
                snippet = snippet[:59] + "…"
            action = menu.addAction(f"{source.document or source.file_name}: “{snippet}”")
            action.setData(index)
            action.triggered.connect(
                lambda _checked=False, i=index, eid=event.id: self.event_activated.emit(eid, i)
            )
        return menu

    def _density_tooltip(self, pos: QPointF) -> str:
        """In the histogram: how many events the bar under the pointer holds, and when."""
        layout = self._current_layout()
        if layout.mode != "density" or pos.y() < AXIS_HEIGHT:
            return ""
        wx = pos.x() + self._vp.offset
        for b in layout.bins:
            if b.x0 <= wx < b.x1:
                first = date_of_t(b.x0 / self._vp.scale)
                last = date_of_t(b.x1 / self._vp.scale)
                span = f"{first:%d %b %Y}"
                if last - first > dt.timedelta(days=1):
                    span += f" – {last:%d %b %Y}"
                text = f"{b.count:,} event{'s' if b.count != 1 else ''}, {span}"
                if b.highlighted:
                    text += f" ({b.highlighted:,} from the selected document)"
                return rich_tooltip(html.escape(text) + "<br><i>click to zoom in</i>")
        return ""

    def _tooltip(self, event: TimelineEvent) -> str:
        when = spoken_date(event.date)
        if event.start != event.end and not event.is_point:
            when += f" ({day_range_words(event.start, event.end)})"
        parts = [f"<b>{html.escape(event.title)}</b>", html.escape(when)]
        status = STATUS_WORDS.get(event.status)
        if status:
            parts[-1] += f" · <i>{html.escape(status)}</i>"
        disputed = self._disputed.get(event.id)
        if disputed:
            parts.append(
                f"<b style='color:{DISPUTED}'>▲ Disputed:</b> {html.escape(disputed)}"
                " <i>(Facts ▸ Disputed Facts…)</i>"
            )
        if event.sources:
            n = len(event.sources)
            parts.append(f"<i>{n} source{'s' if n > 1 else ''}:</i>")
            for source in event.sources[:12]:
                snippet = " ".join(source.text.split())
                if len(snippet) > 90:
                    snippet = snippet[:89] + "…"
                name = source.document or source.file_name
                if source.denied:
                    name += " (denies it)"
                parts.append(f"• {html.escape(name)}: “{html.escape(snippet)}”")
            if n > 12:
                parts.append(f"… and {n - 12} more")
        return rich_tooltip("<br>".join(parts))

    # -- painting ------------------------------------------------------------------------------

    def drawBackground(self, painter: QPainter, rect: QRectF | Any) -> None:  # noqa: N802
        self.paint_timeline(painter)

    def paint_timeline(self, painter: QPainter) -> None:
        """Paint the whole view with ``painter`` in viewport coordinates."""
        pal = self.palette()
        base = pal.color(QPalette.ColorRole.Base)
        text = pal.color(QPalette.ColorRole.Text)
        width = float(self.viewport().width())
        height = float(self.viewport().height())
        painter.fillRect(QRectF(0, 0, width, height), base)
        layout = self._current_layout()
        self._paint_grid_and_axis(painter, pal, width, height)
        painter.save()
        painter.setClipRect(QRectF(0, AXIS_HEIGHT, width, height - AXIS_HEIGHT))
        if self._loading and layout.mode == "empty":
            self._message(painter, text, base, width, height, f"Reading {self._loading:,} events…")
        elif self._error:
            self._message(painter, text, base, width, height, self._error)
        elif layout.mode == "empty":
            message = (
                "No events match these filters"
                if any(v is not None for v in self._filters.values())
                else "No dated events in this case yet"
            )
            self._message(painter, text, base, width, height, message)
        else:
            self._paint_layout(painter, pal, layout, width, height)
        if self._loading and layout.mode != "empty":
            self._caption(painter, pal, width, height - 16, f"Reading {self._loading:,} events…")
        painter.restore()
        if layout.mode != "empty":
            self._paint_legend(painter, pal, layout, width)

    def _message(
        self, painter: QPainter, text: QColor, base: QColor, width: float, height: float, msg: str
    ) -> None:
        painter.setPen(_mix(text, base, 0.45))
        painter.setFont(self._font)
        painter.drawText(
            QRectF(8, AXIS_HEIGHT, width - 16, height - AXIS_HEIGHT),
            Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
            msg,
        )

    def _paint_grid_and_axis(
        self, painter: QPainter, pal: QPalette, width: float, height: float
    ) -> None:
        base = pal.color(QPalette.ColorRole.Base)
        text = pal.color(QPalette.ColorRole.Text)
        window = pal.color(QPalette.ColorRole.Window)
        band = _mix(window, base, 0.35)
        painter.fillRect(QRectF(0, 0, width, AXIS_HEIGHT), band)
        line = _mix(base, text, 0.35)
        painter.setPen(QPen(line, 1))
        painter.drawLine(QPointF(0, AXIS_HEIGHT - 0.5), QPointF(width, AXIS_HEIGHT - 0.5))
        minor_grid = QPen(_mix(base, text, 0.07), 1)
        major_grid = QPen(_mix(base, text, 0.16), 1)
        minor_text = _mix(text, band, 0.25)
        for tick in ticks(self._vp, self._axis_label_width):
            x = math.floor(tick.x) + 0.5
            painter.setPen(major_grid if tick.major else minor_grid)
            painter.drawLine(QPointF(x, AXIS_HEIGHT), QPointF(x, height))
            painter.setPen(QPen(line, 1))
            top = AXIS_HEIGHT - (22 if tick.major else 8)
            painter.drawLine(QPointF(x, top), QPointF(x, AXIS_HEIGHT))
            painter.setFont(self._bold if tick.major else self._font)
            painter.setPen(text if tick.major else minor_text)
            painter.drawText(QPointF(x + 3, AXIS_HEIGHT - 9), tick.label)
        # The date under the left edge, so a deep zoom still says which year it is.
        painter.setFont(self._small)
        painter.setPen(_mix(text, band, 0.4))
        left = date_of_t(self._vp.start)
        right = date_of_t(self._vp.end)
        span = f"{left:%d %b %Y} – {right:%d %b %Y}"
        painter.drawText(
            QRectF(4, 1, width - 8, 14),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
            span,
        )

    def _on_screen(self, layout: Layout) -> list[LaidOutEvent]:
        """Items drawn in the view: in its time range, and for day events in the lanes
        scrolled into sight."""
        origin = self._lane_origin()
        lane_h = layout.lane_height
        lane_lo = math.floor((self._lanes_top(layout) - origin) / lane_h) - 1
        lane_hi = math.ceil((self.viewport().height() - origin) / lane_h)
        return [
            it
            for it in layout.visible(self._vp)
            if it.band == "periods" or lane_lo <= it.lane <= lane_hi
        ]

    def _key_of(self, event: TimelineEvent) -> int | None:
        """The document or entity an event is coloured by, worked out once per event."""
        keys = self._keys
        if event.id in keys:
            return keys[event.id]
        key = keys[event.id] = colour_key(event, self._colour_by)
        return key

    def _colour_of_key(self, key: int | None) -> QColor:
        return self._colour(event_colour_for_key(key))

    def legend(self) -> list[tuple[str, str, int]]:
        """What the colours in view stand for: (colour, document or entity name, events in view),
        most frequent first."""
        layout = self._current_layout()
        counts: dict[int | None, int] = {}
        names: dict[int | None, str] = {}
        by = self._colour_by
        for item in self._on_screen(layout):
            event = item.event
            key = self._key_of(event)
            counts[key] = counts.get(key, 0) + 1
            if key not in names and by == "source" and key is not None:
                names[key] = next(
                    s.short_document or s.document or s.file_name
                    for s in event.sources
                    if s.document_id == key
                )
        if by == "entity":
            missing = [k for k in counts if k is not None and k not in self._entity_names]
            if missing and self._case is not None:
                with contextlib.suppress(sqlite3.Error):
                    self._entity_names.update(entity_names(self._case, missing))
                for k in missing:  # asked once: a gone entity is not looked up every frame
                    self._entity_names.setdefault(k, f"entity {k}")
            names = {k: self._entity_names.get(k, f"entity {k}") for k in counts if k is not None}
        names[None] = "no source" if by == "source" else "no entity"
        ordered = sorted(counts.items(), key=lambda kv: (-kv[1], names[kv[0]]))
        return [(event_colour_for_key(key), names[key], n) for key, n in ordered]

    def _paint_legend(self, painter: QPainter, pal: QPalette, layout: Layout, width: float) -> None:
        entries = self.legend()
        if not entries:
            return
        text = pal.color(QPalette.ColorRole.Text)
        band = _mix(pal.color(QPalette.ColorRole.Window), pal.color(QPalette.ColorRole.Base), 0.35)
        painter.setFont(self._small)
        metrics = self._small_metrics
        painter.setPen(_mix(text, band, 0.25))
        x = 6.0
        limit = width * 0.62
        shown = 0
        for colour, name, _n in entries:
            label = metrics.elidedText(name, Qt.TextElideMode.ElideRight, 260)
            needed = 12 + self._text_width(label, True) + 12
            if x + needed > limit:
                break
            painter.setPen(QPen(_mix(text, band, 0.5), 1))
            painter.setBrush(QBrush(self._colour(colour)))
            painter.drawEllipse(QPointF(x + 4, 8.5), 4, 4)
            painter.setPen(_mix(text, band, 0.25))
            painter.drawText(QPointF(x + 11, 8.5 + metrics.ascent() / 2 - 1), label)
            x += needed
            shown += 1
        if shown < len(entries):
            painter.drawText(QPointF(x, 8.5 + metrics.ascent() / 2 - 1), f"+{len(entries) - shown}")

    def _paint_layout(
        self, painter: QPainter, pal: QPalette, layout: Layout, width: float, height: float
    ) -> None:
        """The period band, the overview row (clusters or histogram) and the lanes, which
        scroll beneath the first two."""
        on_screen = self._on_screen(layout)
        lanes_top = self._lanes_top(layout)
        painter.save()
        painter.setClipRect(QRectF(0, lanes_top - 1, width, height - lanes_top + 1))
        self._paint_items(painter, pal, layout, [it for it in on_screen if it.band == "points"])
        painter.restore()
        self._paint_items(painter, pal, layout, [it for it in on_screen if it.band == "periods"])
        row = AXIS_HEIGHT + LANE_TOP_GAP + layout.period_height
        if layout.mode == "density":
            self._paint_histogram(painter, pal, layout, row, width)
        else:
            self._paint_clusters(painter, pal, layout, row)
        if self._lane_scroll > 0:
            # the lanes run on under the band: say so with a line
            line = _mix(pal.color(QPalette.ColorRole.Base), pal.color(QPalette.ColorRole.Text), 0.2)
            painter.setPen(QPen(line, 1))
            painter.drawLine(QPointF(0, lanes_top - 0.5), QPointF(width, lanes_top - 0.5))

    def _paint_items(
        self, painter: QPainter, pal: QPalette, layout: Layout, items: list[LaidOutEvent]
    ) -> None:
        base = pal.color(QPalette.ColorRole.Base)
        text = pal.color(QPalette.ColorRole.Text)
        highlight = pal.color(QPalette.ColorRole.Highlight)
        dark = base.lightnessF() < 0.5
        off = self._vp.offset
        radius = POINT_RADIUS
        hl_doc = self._highlight_doc
        dim = hl_doc is not None and any(hl_doc in it.event.document_ids for it in layout.items)
        dim_text = _mix(text, base, 0.6)
        outline = _mix(base, text, 0.55)
        white = QColor("#ffffff")
        hover_id = -1 if self._hover is None else self._hover.event.id
        current_id = -1 if self._current is None else self._current
        current_pen = QPen(highlight, 1.5, Qt.PenStyle.DashLine)
        fill_alpha = 0.45 if dark else 0.32
        stamp = self._marker_stamp
        for item in items:
            event = item.event
            period = item.band == "periods"
            mid_y = self._item_mid_y(layout, item)
            lane_h = PERIOD_LANE_HEIGHT if period else layout.lane_height
            font, metrics = (
                (self._small, self._small_metrics)
                if period
                else (
                    self._font,
                    self._metrics,
                )
            )
            colour = self._colour_of_key(self._key_of(event))
            marked = hl_doc is not None and hl_doc in event.document_ids
            faded = dim and not marked
            several = event.agreeing > 1  # a denial is no second source
            x0 = item.x0 - off
            if item.x1 == item.x0:
                # Markers are pre-drawn once per look and stamped: a thousand antialiased
                # ellipses a frame would cost more than the whole layout.
                pixmap, dx, dy = stamp(colour, several, faded, radius, outline, base)
                painter.drawPixmap(QPointF(x0 - dx, mid_y - dy), pixmap)
                if marked or event.id == hover_id:
                    painter.setPen(QPen(highlight, 2))
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    painter.drawEllipse(QPointF(x0, mid_y), radius + 3, radius + 3)
                if event.id == current_id:
                    painter.setPen(current_pen)
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    painter.drawEllipse(QPointF(x0, mid_y), radius + 6, radius + 6)
            else:
                if faded:
                    colour = self._mixed(colour, base, 0.65)
                x1 = item.x1 - off
                bar_h = PERIOD_BAR_HEIGHT if period else lane_h - 6
                bar = QRectF(x0, mid_y - bar_h / 2, max(x1 - x0, 2.0), bar_h)
                fill = QColor(colour)
                fill.setAlphaF(fill_alpha)
                painter.setPen(QPen(colour, 1.2))
                painter.setBrush(QBrush(fill))
                painter.drawRoundedRect(bar, 3, 3)
                if several:
                    # a second edge inside: "more than one source"
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    painter.drawRoundedRect(bar.adjusted(2, 2, -2, -2), 2, 2)
                if marked or event.id == hover_id:
                    painter.setPen(QPen(highlight, 2))
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    painter.drawRoundedRect(bar.adjusted(-2, -2, 2, 2), 4, 4)
                if event.id == current_id:
                    painter.setPen(current_pen)
                    painter.setBrush(Qt.BrushStyle.NoBrush)
                    painter.drawRoundedRect(bar.adjusted(-3, -3, 3, 3), 5, 5)
            if event.id in self._disputed:
                # a small warning mark at the item's upper left: the sources disagree on it
                self._paint_dispute_mark(painter, x0 - radius - 5, mid_y - radius - 6)
            label = item.label
            if not label:
                continue  # a bar shown bare: its label had no room
            painter.setFont(font)
            ascent = metrics.ascent()
            descent = metrics.descent()
            badge = badge_label(event)
            label_w = self._text_width(label, period)
            badge_w = self._text_width(badge, period) + 6 if badge else 0.0
            # A bar's label follows the left edge of the view while its bar is in view.
            lx = item.label_x - off
            if item.x1 > item.x0:
                lx = min(max(lx, 4.0), item.right - off - label_w - badge_w)
            baseline = mid_y + (ascent - descent) / 2
            if marked:
                back = QColor(highlight)
                back.setAlphaF(0.22)
                painter.fillRect(
                    QRectF(lx - 2, mid_y - lane_h / 2 + 2, label_w + 4, lane_h - 4), back
                )
            painter.setPen(dim_text if faded else text)
            painter.drawStaticText(QPointF(lx, baseline - ascent), self._static(label, period))
            if badge:
                pill = QRectF(lx + label_w + 4, mid_y - ascent / 2 - 2, badge_w - 2, ascent + 4)
                path = QPainterPath()
                path.addRoundedRect(pill, pill.height() / 2, pill.height() / 2)
                painter.fillPath(path, self._mixed(colour, base, 0.65 if faded else 0.2))
                painter.setPen(white if not faded else base)
                static = self._static(badge, period)
                size = static.size()
                painter.drawStaticText(
                    QPointF(
                        pill.center().x() - size.width() / 2, pill.center().y() - size.height() / 2
                    ),
                    static,
                )

    def _paint_clusters(self, painter: QPainter, pal: QPalette, layout: Layout, row: float) -> None:
        """Each cluster a chip "+N" spanning its events, with a tick where each one is."""
        shown = layout.visible_clusters(self._vp)
        if not shown:
            return
        base = pal.color(QPalette.ColorRole.Base)
        text = pal.color(QPalette.ColorRole.Text)
        highlight = pal.color(QPalette.ColorRole.Highlight)
        off = self._vp.offset
        scale = self._vp.scale
        events = self._timeline.events
        fill = _mix(base, text, 0.1)
        edge = _mix(base, text, 0.35)
        tick = QPen(_mix(base, text, 0.45), 1)
        hover = self._hover_cluster
        chip_h = OVERVIEW_CHIP_HEIGHT
        y = row + (layout.overview_height - chip_h) / 2
        painter.setFont(self._small)
        for c in shown:
            rect = QRectF(c.x0 - off, y, c.x1 - c.x0, chip_h)
            painter.setPen(QPen(highlight, 1.5) if c is hover else QPen(edge, 1))
            painter.setBrush(QBrush(fill))
            painter.drawRoundedRect(rect, chip_h / 2, chip_h / 2)
            if c.count > 1 and rect.width() > 40:
                # one tick a pixel column, all in one call
                y0, y1 = rect.bottom() - 3, rect.bottom() - 1
                columns = {math.floor(events[i].t * scale - off) + 0.5 for i in c.members}
                painter.setPen(tick)
                painter.drawLines([QLineF(x, y0, x, y1) for x in columns])
            painter.setPen(text)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, cluster_label(c.count))

    def _paint_histogram(
        self, painter: QPainter, pal: QPalette, layout: Layout, row: float, width: float
    ) -> None:
        """In a crowded view, the overview row is a histogram of all the events (those of the
        selected document in red) under the labels of the most important."""
        base = pal.color(QPalette.ColorRole.Base)
        accent = pal.color(QPalette.ColorRole.Highlight)
        bar_colour = _mix(accent, base, 0.35)
        mark = QColor("#ee6677")
        off = self._vp.offset
        bottom = row + layout.overview_height - 1
        room = layout.overview_height - 3
        norm = math.sqrt(max(layout.max_count, 1))
        bars: list[QRectF] = []
        marks: list[QRectF] = []
        for b in layout.bins:
            h = max(room * math.sqrt(b.count) / norm, 1.5)
            x = b.x0 - off
            bars.append(QRectF(x, bottom - h, b.x1 - b.x0 - 1, h))
            if b.highlighted:
                hh = max(room * math.sqrt(b.highlighted) / norm, 1.5)
                marks.append(QRectF(x, bottom - hh, b.x1 - b.x0 - 1, hh))
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setPen(Qt.PenStyle.NoPen)
        for rects, colour in ((bars, bar_colour), (marks, mark)):
            if rects:
                painter.setBrush(QBrush(colour))
                painter.drawRects(rects)  # one call for the whole histogram
        painter.restore()
        total = len(self._timeline)
        caption = (
            f"{total:,} events, the most important labelled: zoom in (wheel, +) or click the "
            "histogram for the others"
        )
        painter.setFont(self._small)
        metrics = self._small_metrics
        w = metrics.horizontalAdvance(caption) + 8
        box = QRectF(width - w - 16, row + 1, w, layout.overview_height - 4)
        back = QColor(base)
        back.setAlphaF(0.8)
        painter.fillRect(box, back)
        text = pal.color(QPalette.ColorRole.Text)
        painter.setPen(_mix(text, base, 0.4))
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, caption)

    def _paint_dispute_mark(self, painter: QPainter, x: float, y: float) -> None:
        path = QPainterPath()
        path.moveTo(x + 4, y)
        path.lineTo(x + 8, y + 7)
        path.lineTo(x, y + 7)
        path.closeSubpath()
        painter.fillPath(path, self._colour(DISPUTED))

    def _marker_stamp(
        self,
        colour: QColor,
        several: bool,
        faded: bool,
        radius: float,
        outline: QColor,
        base: QColor,
    ) -> tuple[QPixmap, float, float]:
        """A point marker drawn once into a pixmap, and where its centre is in it."""
        ratio = self.devicePixelRatioF()
        key = (colour.rgba(), several, faded, radius, outline.rgba(), base.rgba(), ratio)
        found = self._stamps.get(key)
        if found is not None:
            return found
        side = math.ceil(2 * radius + 10)
        pixmap = QPixmap(round(side * ratio), round(side * ratio))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        cx, cy = radius + 2, radius + 6
        fill = _mix(colour, base, 0.65) if faded else colour
        p = QPainter(pixmap)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        if several:
            # a second marker peeking out behind: "more than one source"
            p.setPen(QPen(outline, 1))
            p.setBrush(QBrush(_mix(fill, base, 0.5)))
            p.drawEllipse(QPointF(cx + 3, cy - 3), radius, radius)
        p.setPen(QPen(fill if faded else outline, 1))
        p.setBrush(QBrush(fill))
        p.drawEllipse(QPointF(cx, cy), radius, radius)
        p.end()
        if len(self._stamps) > 512:
            self._stamps.clear()
        self._stamps[key] = (pixmap, cx, cy)
        return pixmap, cx, cy

    def _caption(
        self, painter: QPainter, pal: QPalette, width: float, height: float, text: str
    ) -> None:
        painter.setFont(self._small)
        colour = _mix(pal.color(QPalette.ColorRole.Text), pal.color(QPalette.ColorRole.Base), 0.4)
        painter.setPen(colour)
        painter.drawText(
            QRectF(8, height - 20, width - 16, 18),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            text,
        )


class _ChoiceCombo(QComboBox):
    """A combo box that can fill itself just before it opens (entity lists can be long)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.before_popup: Any = None

    def showPopup(self) -> None:  # noqa: N802
        if self.before_popup is not None:
            self.before_popup()
        super().showPopup()


ITEM_ACTIONS = (
    # (name, text, shortcut, tip)
    ("rename", "&Rename Item…", "F2", "Give the item a title of your own"),
    ("date", "Change &Date…", "D", "Move the item to another date, at any precision"),
    ("hide", "&Hide Item", "Delete", "Take the item off the timeline"),
    ("merge", "&Merge With…", "M", "Make another item's reports reports of this one"),
    ("split", "Move Report &Out…", "S", "Move one report into an item of its own"),
    ("add", "&Add Item…", "Insert", "Add an item by hand (from the selected sentence, if any)"),
)


class TimelinePanel(QWidget):
    """The timeline with its toolbar: fit all, zoom, colour by source or entity, and filters by
    entity, fact kind and tag; a context menu and keys to edit items.

    Signals:
        event_activated(int event_id, int source_index): re-emitted from the view.
        edit_requested(str action, int event_id, object detail): the user asked to edit an
            item (``action`` one of ``ITEM_ACTIONS``; ``detail`` is the report's fact id for
            "split", a date value for "add", else None; ``event_id`` -1 for "add").
    """

    event_activated = Signal(int, int)
    edit_requested = Signal(str, int, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._case: Case | None = None
        self.view = TimelineView(self)
        self.toolbar = QToolBar("Timeline", self)
        self.toolbar.setIconSize(QSize(16, 16))
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.fit_action = self._action("Fit all", "fit-timeline", "F", self.view.fit_all)
        self.fit_action.setToolTip("Fit the whole case in view (F or Home)")
        self.zoom_in_action = self._action(
            "Zoom in", "zoom-in", "+", lambda: self.view.zoom_by(KEY_ZOOM)
        )
        self.zoom_out_action = self._action(
            "Zoom out", "zoom-out", "-", lambda: self.view.zoom_by(1 / KEY_ZOOM)
        )
        for action in (self.zoom_in_action, self.zoom_out_action):
            button = self.toolbar.widgetForAction(action)
            if isinstance(button, QToolButton) and not action.icon().isNull():
                button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.toolbar.addSeparator()
        self.colour_combo = self._combo("Colour by")
        self.colour_combo.addItem("Source", "source")
        self.colour_combo.addItem("Entity", "entity")
        self.entity_combo = self._combo("Entity")
        self.kind_combo = self._combo("Kind")
        self.tag_combo = self._combo("Tag")
        self.count_label = QLabel(self)
        self.count_label.setContentsMargins(8, 0, 4, 0)
        spacer = QWidget(self)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.toolbar.addWidget(spacer)
        self.toolbar.addWidget(self.count_label)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.view, 1)

        self._entities_stale = True
        self.entity_combo.before_popup = self._fill_entities
        self._fill_filters()
        self.colour_combo.currentIndexChanged.connect(self._on_colour_combo_changed)
        for combo in (self.entity_combo, self.kind_combo, self.tag_combo):
            combo.currentIndexChanged.connect(self._on_filter_changed)
        self.view.event_activated.connect(self.event_activated)
        self.view.events_loaded.connect(self._on_view_events_loaded)
        self.view.context_menu_requested.connect(self._on_view_context_menu_requested)
        self.view.current_changed.connect(lambda _id: self._update_item_actions())
        self.item_actions: dict[str, QAction] = {}
        for name, text, shortcut, tip in ITEM_ACTIONS:
            action = QAction(text, self)
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.setToolTip(f"{tip} ({shortcut})")
            action.setStatusTip(tip)
            action.setObjectName(f"timeline_{name}")
            action.triggered.connect(lambda _c=False, n=name: self._request(n))
            self.addAction(action)
            self.item_actions[name] = action
        self.context_menu: QMenu | None = None
        self._update_item_actions()

    def _update_item_actions(self) -> None:
        has_case = self._case is not None
        current = self.view.current_event_id()
        event = None if current is None else self.view.event_by_id(current)
        for name, action in self.item_actions.items():
            if name == "add":
                action.setEnabled(has_case)
            elif name == "split":
                action.setEnabled(event is not None and len(event.sources) > 1)
            else:
                action.setEnabled(event is not None)

    def _request(self, name: str, detail: object = None) -> None:
        current = self.view.current_event_id()
        if name != "add" and current is None:
            return
        self.edit_requested.emit(name, -1 if name == "add" else int(current or 0), detail)

    def _on_view_context_menu_requested(self, event_id: int, global_pos: QPoint, t: float) -> None:
        self._update_item_actions()
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        event = self.view.event_by_id(event_id) if event_id >= 0 else None
        if event is not None:
            title = menu.addAction(event.title if len(event.title) < 70 else event.title[:69] + "…")
            title.setEnabled(False)
            for index, source in enumerate(event.sources[:12]):
                action = menu.addAction(f"Open “{source.document or source.file_name}”")
                action.triggered.connect(
                    lambda _c=False, i=index, eid=event.id: self.event_activated.emit(eid, i)
                )
            menu.addSeparator()
            for name in ("rename", "date", "hide", "merge"):
                menu.addAction(self.item_actions[name])
            out = menu.addMenu("Move Report &Out")
            out.setEnabled(len(event.sources) > 1)
            for source in event.sources:
                snippet = " ".join(source.text.split())
                snippet = snippet if len(snippet) < 60 else snippet[:59] + "…"
                action = out.addAction(f"{source.document or source.file_name}: “{snippet}”")
                action.triggered.connect(
                    lambda _c=False, f=source.fact_id: self._request("split", f)
                )
            menu.addSeparator()
        day = date_of_t(t).date().isoformat()
        add_here = menu.addAction(f"&Add Item on {spoken_date(day)}…")
        add_here.setEnabled(self._case is not None)
        add_here.triggered.connect(lambda _c=False, d=day: self._request("add", d))
        self.context_menu = menu
        menu.popup(global_pos)

    def _action(self, text: str, icon_name: str, shortcut: str, slot: Any) -> QAction:
        action = QAction(text, self)
        try:
            from casedesk.ui.icons import icon

            action.setIcon(icon(icon_name))
        except (ImportError, KeyError, FileNotFoundError):
            pass
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.toolbar.addAction(action)
        self.addAction(action)
        return action

    def _combo(self, caption: str) -> _ChoiceCombo:
        holder = QWidget(self)
        row = QHBoxLayout(holder)
        row.setContentsMargins(6, 0, 0, 0)
        row.setSpacing(4)
        row.addWidget(QLabel(caption + ":", holder))
        combo = _ChoiceCombo(holder)
        # long entity names must not push the rest of the toolbar off screen
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(12)
        combo.setMaxVisibleItems(20)
        row.addWidget(combo)
        self.toolbar.addWidget(holder)
        return combo

    def set_case(self, case: Case | None) -> None:
        """Show a case's timeline (filters reset)."""
        self._case = case
        self.view.set_current_event(None)
        for combo in (self.entity_combo, self.kind_combo, self.tag_combo):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self._fill_filters()
        self.view.set_filter(reload=False)
        self.view.set_case(case)
        self._update_count()

    def reload(self) -> None:
        """Re-read events and filter choices (after extraction or edits); zoom is kept."""
        self._fill_filters()
        self.view.reload()
        self._update_count()

    def highlight_document(self, document_id: int | None) -> None:
        self.view.highlight_document(document_id)

    def _fill_filters(self) -> None:
        """Fill the kind and tag lists now; the entity list (which can run to thousands and
        needs a grouping query) when it is first opened."""
        case = self._case
        self._entities_stale = True
        if self.entity_combo.currentData() is None:
            self._fill_combo(self.entity_combo, "All entities", [])
        self._fill_combo(self.kind_combo, "All kinds", [(k.capitalize(), k) for k in FACT_KINDS])
        tags = [] if case is None else [(c.label, c.id) for c in tag_choices(case)]
        self._fill_combo(self.tag_combo, "All tags", tags)

    def _fill_entities(self) -> None:
        if not self._entities_stale:
            return
        self._entities_stale = False
        case = self._case
        entries = [] if case is None else [(c.label, c.id) for c in entity_choices(case)]
        self._fill_combo(self.entity_combo, "All entities", entries)

    @staticmethod
    def _fill_combo(combo: QComboBox, any_label: str, entries: list[tuple[str, Any]]) -> None:
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem(any_label, None)
        for label, data in entries:
            combo.addItem(label, data)
        found = combo.findData(current) if current is not None else 0
        combo.setCurrentIndex(max(found, 0))
        combo.blockSignals(False)

    def _on_colour_combo_changed(self, _index: int) -> None:
        self.view.set_colour_by(str(self.colour_combo.currentData()))

    def _on_filter_changed(self, _index: int) -> None:
        self.view.set_filter(
            entity_id=self.entity_combo.currentData(),
            kind=self.kind_combo.currentData(),
            tag_id=self.tag_combo.currentData(),
        )
        self._update_count()

    def _on_view_events_loaded(self, _count: int) -> None:
        self._update_count()
        self._update_item_actions()

    def _update_count(self) -> None:
        if self.view.is_loading():
            self.count_label.setText("Reading events…")
            return
        n = len(self.view.events())
        self.count_label.setText(f"{n:,} event{'s' if n != 1 else ''}")
