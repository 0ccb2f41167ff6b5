"""The Connections dock: the network drawn and laid out off the GUI thread, pan and zoom,
clicks on nodes and edges, filters, export, and its place in the window."""

from __future__ import annotations

import threading
from pathlib import Path

import networkx as nx
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot

from casedesk import queries
from casedesk.graph import CaseGraph, Edge, GraphFilter, Node, build_graph
from casedesk.graph_layout import layout_graph
from casedesk.store import Case
from casedesk.ui import network_view
from casedesk.ui.actions import ActionId
from casedesk.ui.main_window import MainWindow
from casedesk.ui.network_view import ConnectionsPanel, NetworkView


def small_graph(names: dict[int, str] | None = None) -> CaseGraph:
    names = names or {}
    nodes = tuple(
        Node(i, kind, names.get(i, f"Entity {i}"), mentions, 1)
        for i, kind, mentions in (
            (1, "person", 30),
            (2, "organization", 12),
            (3, "place", 6),
            (4, "person", 2),
            (5, "material", 1),
        )
    )
    edges = (
        Edge(1, 2, (10, 11, 12), (40,)),
        Edge(1, 3, (10,), ()),
        Edge(2, 3, (10,), ()),
        Edge(3, 4, (), (41,)),
        Edge(4, 5, (13,), ()),
    )
    return CaseGraph(nodes, edges, 5)


@pytest.fixture
def view(qtbot: QtBot) -> NetworkView:
    v = NetworkView()
    qtbot.addWidget(v)
    v.resize(800, 600)
    v.show()
    graph = small_graph()
    v.show_graph(graph, layout_graph(graph, seed=1))
    return v


def test_a_click_on_a_node_or_an_edge_selects_it(qtbot: QtBot, view: NetworkView) -> None:
    pos = view.node_pos(2)
    assert pos is not None and view.rect().contains(pos.toPoint())
    with qtbot.waitSignal(view.node_clicked) as clicked:
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=pos.toPoint())
    assert clicked.args == [2]
    assert view.selected_entity() == 2
    middle = view.edge_pos(4, 5)
    assert middle is not None
    with qtbot.waitSignal(view.edge_clicked) as clicked:
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=middle.toPoint())
    assert clicked.args == [4, 5]
    assert view.selected_edge() == (4, 5) and view.selected_entity() is None
    with qtbot.waitSignal(view.background_clicked):
        qtbot.mouseClick(view, Qt.MouseButton.LeftButton, pos=view.rect().topLeft())
    assert view.selected_edge() is None


def test_drag_pans_and_wheel_and_keys_zoom_around_the_pointer(
    qtbot: QtBot, view: NetworkView
) -> None:
    before = view.node_pos(1)
    assert before is not None
    start = QPointF(5, 5)
    qtbot.mousePress(view, Qt.MouseButton.LeftButton, pos=start.toPoint())
    qtbot.mouseMove(view, pos=QPointF(65, 45).toPoint())
    qtbot.mouseRelease(view, Qt.MouseButton.LeftButton, pos=QPointF(65, 45).toPoint())
    after = view.node_pos(1)
    assert after is not None
    assert (after.x() - before.x(), after.y() - before.y()) == pytest.approx((60, 40))
    assert view.selected_entity() is None  # a drag is not a click
    scale = view.scale
    anchor = view.node_pos(3)
    assert anchor is not None
    view.zoom_by(2.0, anchor)
    assert view.scale == pytest.approx(2 * scale)
    still = view.node_pos(3)
    assert still is not None
    assert (still.x(), still.y()) == pytest.approx((anchor.x(), anchor.y()))
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    assert view.scale == pytest.approx(2 * scale / 1.5)
    qtbot.keyClick(view, Qt.Key.Key_F)
    assert view.scale == pytest.approx(scale)
    for entity_id in range(1, 6):
        pos = view.node_pos(entity_id)
        assert pos is not None and view.rect().contains(pos.toPoint())


def test_names_never_overlap_and_the_most_mentioned_are_named_first(qtbot: QtBot) -> None:
    v = NetworkView()
    qtbot.addWidget(v)
    v.resize(500, 400)
    v.show()
    n = 120
    nodes = tuple(Node(i, "person", f"A rather long entity name {i}", n - i, 1) for i in range(n))
    edges = tuple(Edge(0, i, (i,), ()) for i in range(1, n))
    graph = CaseGraph(nodes, edges, n)
    v.show_graph(graph, layout_graph(graph, seed=1))
    shown = v.labelled()
    assert 0 < len(shown) < n  # not every name fits at this size
    assert shown[0] == 0
    rects = list(v.label_rects().values())
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            assert not a.intersects(b)
    # Zoomed in, names have room: more of them are shown.
    v.zoom_by(4.0)
    v.settle_zoom()
    assert len(v.labelled()) > len(shown)


def test_names_are_drawn_as_text_and_tooltips_are_inert(qtbot: QtBot) -> None:
    hostile = {1: "<b>Bold</b> & <img src='x.png'>", 2: "Line\nbreak\x00"}
    v = NetworkView()
    qtbot.addWidget(v)
    v.resize(600, 400)
    v.show()
    graph = small_graph(hostile)
    v.show_graph(graph, layout_graph(graph, seed=1))
    v.grab()  # paints without error
    pos = v.node_pos(1)
    assert pos is not None
    text = v.tooltip_at(pos)
    assert text.startswith("<b>Bold</b> & <img src='x.png'>\nPerson")
    from casedesk.ui.safe_text import inert

    assert "&lt;b&gt;" in inert(text)  # what the tooltip is given: escaped, shown as itself
    middle = v.edge_pos(1, 2)
    assert middle is not None
    assert "3 events and 1 claim in common" in v.tooltip_at(middle)
    QToolTip.hideText()


# -- the dock on a case ---------------------------------------------------------------------------


def _panel(qtbot: QtBot, path: Path) -> tuple[ConnectionsPanel, Case]:
    case = Case.open(path)
    panel = ConnectionsPanel()
    qtbot.addWidget(panel)
    panel.resize(1000, 600)
    panel.show()
    with qtbot.waitSignal(panel.graph_shown, timeout=20000):
        panel.set_case(case)
    return panel, case


def test_the_layout_runs_off_the_gui_thread(
    qtbot: QtBot, sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[threading.Thread] = []
    real = network_view.layout_graph

    def spy(*args: object, **kwargs: object) -> object:
        threads.append(threading.current_thread())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(network_view, "layout_graph", spy)
    panel, case = _panel(qtbot, sample_path)
    try:
        assert threads and all(t is not threading.main_thread() for t in threads)
        graph = panel.view.graph()
        assert graph is not None
        assert graph == build_graph(case, GraphFilter(max_nodes=network_view.MAX_NODES))
        assert panel.status.text() == (
            f"{len(graph.nodes)} entities, {len(graph.edges)} connections"
        )
    finally:
        case.close()


def test_clicking_an_edge_lists_what_connects_them_and_a_row_opens_its_sentence(
    qtbot: QtBot, sample_path: Path
) -> None:
    panel, case = _panel(qtbot, sample_path)
    try:
        graph = panel.view.graph()
        assert graph is not None
        edge = max(graph.edges, key=lambda e: (e.weight, -e.source))
        assert edge.events and edge.claims  # the sample's heaviest pair shares both
        middle = panel.view.edge_pos(edge.source, edge.target)
        assert middle is not None
        panel.view.edge_clicked.emit(edge.source, edge.target)  # as a click on it does
        rows = panel.link_rows()
        assert len(rows) == edge.weight
        a, b = graph.node(edge.source), graph.node(edge.target)
        assert a is not None and b is not None
        assert panel.links_title.text().startswith(f"{a.name} — {b.name}: ")
        # A long row wraps to the list's width instead of running off it.
        longest = max(range(len(rows)), key=lambda r: len(rows[r]))
        metrics = panel.links_view.fontMetrics()
        assert metrics.horizontalAdvance(rows[longest]) > panel.links_view.viewport().width()
        QApplication.processEvents()  # the delayed layout of the rows
        height = panel.links_view.visualRect(panel.links.index(longest, 0)).height()
        assert height >= 2 * metrics.height()
        claim_row = next(r for r, row in enumerate(rows) if " says: “" in row or "denies" in row)
        index = panel.links.index(claim_row, 0)
        with qtbot.waitSignal(panel.link_activated) as opened:
            panel.links_view.clicked.emit(index)
        doc_id, start, end = opened.args
        text = case.document(doc_id)["text"][start:end]
        assert " ".join(text.split()) in rows[claim_row]
    finally:
        case.close()


def test_filters_narrow_the_network_and_a_bad_date_is_said(qtbot: QtBot, sample_path: Path) -> None:
    panel, case = _panel(qtbot, sample_path)
    try:
        everything = panel.view.graph()
        assert everything is not None and {n.kind for n in everything.nodes} >= {"place", "person"}
        with qtbot.waitSignal(panel.graph_shown, timeout=20000):
            panel.kind_boxes["place"].setChecked(False)
        graph = panel.view.graph()
        assert graph is not None and "place" not in {n.kind for n in graph.nodes}
        with qtbot.waitSignal(panel.graph_shown, timeout=20000):
            panel.kind_boxes["place"].setChecked(True)
            panel.min_weight.setValue(3)
        graph = panel.view.graph()
        assert graph is not None and graph.edges
        assert min(e.weight for e in graph.edges) >= 3
        assert len(graph.nodes) < len(everything.nodes)
        panel.date_from.setText("sometime")
        panel.date_from.editingFinished.emit()
        qtbot.waitUntil(lambda: "is not a date" in panel.status.text())
        assert panel.view.graph() is graph  # what was shown stays
        with qtbot.waitSignal(panel.graph_shown, timeout=20000):
            panel.date_from.setText("2030")
            panel.date_from.editingFinished.emit()
        graph = panel.view.graph()
        assert graph is not None and not graph.nodes
        panel.view.grab()  # the empty message paints
    finally:
        case.close()


def test_export_from_the_dock_keeps_the_layout(
    qtbot: QtBot, sample_path: Path, tmp_path: Path
) -> None:
    panel, case = _panel(qtbot, sample_path)
    try:
        graph = panel.view.graph()
        assert graph is not None
        positions = panel.view.positions()
        written = panel.export_to(tmp_path / "net.graphml")
        g = nx.read_graphml(written)
        assert g.number_of_nodes() == len(graph.nodes)
        first = graph.nodes[0]
        assert (g.nodes[str(first.id)]["x"], g.nodes[str(first.id)]["y"]) == pytest.approx(
            positions[first.id]
        )
        g = nx.read_gexf(panel.export_to(tmp_path / "net.gexf"))
        assert g.number_of_edges() == len(graph.edges)
    finally:
        case.close()


def test_the_export_button_writes_the_format_chosen_and_says_why_it_cannot(
    qtbot: QtBot, sample_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    panel, case = _panel(qtbot, sample_path)
    try:
        # A name typed without a suffix takes the one of the format chosen.
        monkeypatch.setattr(
            QFileDialog,
            "getSaveFileName",
            lambda *a, **k: (str(tmp_path / "network"), "GEXF for Gephi (*.gexf)"),
        )
        panel.export_action.trigger()
        g = nx.read_gexf(tmp_path / "network.gexf")
        assert g.number_of_nodes() == len(panel.view.graph().nodes)  # type: ignore[union-attr]
        assert panel.status.text().startswith("Wrote network.gexf: ")
        warnings: list[str] = []
        monkeypatch.setattr(
            QMessageBox, "warning", lambda _parent, _title, text, *a: warnings.append(text)
        )
        monkeypatch.setattr(
            QFileDialog,
            "getSaveFileName",
            lambda *a, **k: (str(tmp_path / "gone" / "n.graphml"), "GraphML (*.graphml)"),
        )
        panel.export_action.trigger()
        assert warnings and "gone does not exist" in warnings[0]
    finally:
        case.close()


# -- in the window ------------------------------------------------------------------------------


def _show_connections(qtbot: QtBot, window: MainWindow) -> ConnectionsPanel:
    qtbot.keyClick(
        window,
        Qt.Key.Key_G,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert window.connections_dock.isVisible()
    panel = window.connections_panel
    assert isinstance(panel, ConnectionsPanel)
    qtbot.waitUntil(
        lambda: panel.view.graph() is not None and not panel.is_loading(), timeout=20000
    )
    return panel


def test_the_dock_is_read_only_once_shown_and_has_a_shortcut(
    qtbot: QtBot, window: MainWindow
) -> None:
    assert window.registry[ActionId.SHOW_CONNECTIONS].shortcut().toString() == "Ctrl+Shift+G"
    assert window.connections_panel is None  # hidden behind the timeline: not even made
    panel = _show_connections(qtbot, window)
    graph = panel.view.graph()
    assert graph is not None and graph.nodes
    assert window.connections_dock.height() >= window.height() * 0.3
    view_menu = next(m for m in window.menuBar().actions() if m.text() == "&View").menu()
    assert window.registry[ActionId.SHOW_CONNECTIONS] in view_menu.actions()


def test_a_node_click_selects_the_entity_everywhere(qtbot: QtBot, window: MainWindow) -> None:
    panel = _show_connections(qtbot, window)
    graph = panel.view.graph()
    case, doc_id = window.case, window.reader.document_id
    assert graph is not None and case is not None and doc_id is not None
    # The most mentioned entity that the document shown names.
    node = next(
        n
        for n in sorted(graph.nodes, key=lambda n: -n.mentions)
        if queries.first_mention_in(case, doc_id, n.id) is not None
    )
    # The Entities view filtered so that it hides the entity: the filter is cleared.
    window.entities_panel.filter_edit.setText("zzzz")
    window.entities_panel._apply_filter()
    pos = panel.view.node_pos(node.id)
    assert pos is not None
    qtbot.mouseClick(panel.view, Qt.MouseButton.LeftButton, pos=pos.toPoint())
    assert window.entities_panel.selected_ids() == [node.id]
    assert window.entities_panel.filter_edit.text() == ""
    facts = window.facts_panel.selected_facts()
    assert facts and {f.entity_id for f in facts} == {node.id}
    assert window.reader.document_id == doc_id  # the reader stays on its document
    # And back: choosing an entity in the Entities view marks its node.
    other = next(n for n in graph.nodes if n.id != node.id)
    window.entities_panel.select_entities([other.id])
    assert panel.view.selected_entity() == other.id


def test_a_listed_claim_opens_its_sentence_in_the_reader(qtbot: QtBot, window: MainWindow) -> None:
    panel = _show_connections(qtbot, window)
    graph = panel.view.graph()
    assert graph is not None
    edge = next(e for e in graph.edges if e.claims)
    panel.view.edge_clicked.emit(edge.source, edge.target)
    row = next(r for r, text in enumerate(panel.link_rows()) if ": “" in text)
    panel.links_view.clicked.emit(panel.links.index(row, 0))
    selected = " ".join(window.reader.textCursor().selectedText().split())
    assert selected and selected in " ".join(panel.link_rows()[row].split())
    assert window.reader.hasFocus()


def test_the_network_follows_corrections(qtbot: QtBot, window: MainWindow) -> None:
    panel = _show_connections(qtbot, window)
    case = window.case
    assert case is not None
    graph = panel.view.graph()
    assert graph is not None
    node = max(graph.nodes, key=lambda n: n.mentions)
    with qtbot.waitSignal(panel.graph_shown, timeout=20000):
        _reject(window, node.id)
    graph = panel.view.graph()
    assert graph is not None and node.id not in {n.id for n in graph.nodes}
    with qtbot.waitSignal(panel.graph_shown, timeout=20000):
        window.undo_stack.undo()
    graph = panel.view.graph()
    assert graph is not None and node.id in {n.id for n in graph.nodes}


def test_an_import_adds_its_entities_to_the_network(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    panel = _show_connections(qtbot, window)
    graph = panel.view.graph()
    assert graph is not None
    before = {n.id for n in graph.nodes}
    article = tmp_path / "meeting.txt"
    article.write_text(
        "Lisbon talks\n\nOn 4 March 2021 Trade Minister Ilse Varga met Tomas Reyna, the chief "
        "executive of Fennic Mining, in Oslo to discuss lithium exports. Ilse Varga said that "
        "Fennic Mining would build a plant in Norway.\n",
        "utf-8",
    )
    with qtbot.waitSignal(window.work_finished, timeout=120_000):
        window.import_paths([article])
    qtbot.waitUntil(lambda: not panel.is_loading(), timeout=20000)
    graph = panel.view.graph()
    assert graph is not None
    added = {n.name for n in graph.nodes if n.id not in before}
    assert "Ilse Varga" in added, added


def _reject(window: MainWindow, entity_id: int) -> None:
    """ "Not an entity", as the Entity menu does it (one undoable step)."""
    assert window.case is not None
    row = queries.entity(window.case, entity_id)
    assert row is not None
    window.entity_editor.handle("reject", [row])


def test_a_hidden_dock_reads_nothing_until_shown_again(qtbot: QtBot, window: MainWindow) -> None:
    panel = _show_connections(qtbot, window)
    shown = panel.view.graph()
    window.timeline_dock.raise_()  # the Connections tab goes behind the timeline
    qtbot.waitUntil(lambda: not panel.active)
    window.signals.entities_changed.emit()
    qtbot.wait(network_view.RELOAD_DELAY_MS * 2)
    assert not panel.is_loading() and panel.view.graph() is shown
    with qtbot.waitSignal(panel.graph_shown, timeout=20000):
        window.connections_dock.raise_()
    assert panel.view.graph() is not shown


def test_the_benchmark_runs_and_prints_every_figure(tmp_path: Path) -> None:
    """bench/graph.py at a toy size, so that it keeps running as the code changes (its
    timings mean nothing at this size)."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [
            sys.executable,
            str(root / "bench" / "graph.py"),
            *("--nodes", "60", "--edges", "200", "--repeat", "1", "--frames", "5"),
            *("--png", str(tmp_path / "net.png")),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(root / "gui")},
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    for figure in (
        "| layout, 60 entities / 200 connections",
        "| same seed, same layout | yes",
        "| one pan frame",
        "| one zoom frame",
        "| edges drawn sharp",
    ):
        assert figure in result.stdout, result.stdout
    assert (tmp_path / "net.png").stat().st_size > 1000
