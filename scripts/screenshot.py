"""Take the README screenshot: the window on the sample case at 1280×800.

Run it under a real X server (``scripts/screenshot.sh`` starts Xvfb). It works in a scratch
folder (its own settings and case file) and never touches the user's data.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", default=str(ROOT / "docs" / "screenshot.png"))
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=800)
    parser.add_argument("--dark", action="store_true", help="use the dark palette")
    parser.add_argument(
        "--entities",
        action="store_true",
        help="show the Entities view with one entity's mentions (docs/entities.png)",
    )
    parser.add_argument(
        "--connections",
        action="store_true",
        help="show the Connections view with one connection's events and claims (docs/network.png)",
    )
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="casedesk-shot-"))
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        os.environ[var] = str(scratch / var.lower())
    if os.environ.get("DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "xcb")

    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from casedesk import edits
    from casedesk.ingest import import_sample
    from casedesk.store import Case
    from casedesk.ui.app import dark_palette, make_app
    from casedesk.ui.main_window import MainWindow
    from casedesk.ui.settings import Settings

    path = scratch / "Sample case.casedesk"
    case = Case.create(path, name="Sample case: Japan–South Korea export controls")
    report = import_sample(case)
    try:
        from casedesk.extract.pipeline import extract_documents
    except ImportError:
        print("screenshot: extraction not available; the window shows no facts", file=sys.stderr)
    else:
        extract_documents(case, [doc_id for _, doc_id in report.imported])
    first = case.find_document("000_07b12ffcae950391.txt") or case.document_ids()[0]
    text = case.document(first)["text"]
    # One highlight with a note, so the picture shows the annotation layer too.
    quote = "refraining from an emotional response"
    at = text.find(quote)
    if at >= 0:
        key_point = next(t["id"] for t in edits.tags(case) if t["name"] == "Key point")
        edits.add_annotation(
            case, first, at, at + len(quote), tag_id=key_point, note="Check the **list**."
        )
    case.close()

    app = make_app()
    if args.dark:
        app.setPalette(dark_palette())
    settings = Settings(QSettings(str(scratch / "settings.ini"), QSettings.Format.IniFormat))
    window = MainWindow(settings)
    window.open_case(path)
    window.resize(args.width, args.height)
    window.show()
    window.show_document(first)

    def pick_fact() -> None:
        model = window.facts_model
        view = window.facts_panel.view
        view.expandAll()
        for g in range(model.rowCount()):
            parent = model.index(g, 0)
            if model.data(parent, 0x0100 + 3) == "date" and model.rowCount(parent):
                # The last date of the text, so it shows beside the closing lines.
                last = max(
                    range(model.rowCount(parent)),
                    key=lambda r: model.fact_at(model.index(r, 0, parent)).start,
                )
                view.setCurrentIndex(model.index(last, 0, parent))
                break
        bar = window.reader.verticalScrollBar()
        bar.setValue(bar.maximum())
        if window.timeline is not None:
            window.timeline.view.fit_all()
        if args.entities:
            show_entities()
        if args.connections:
            window.show_connections()

    def show_entities() -> None:
        from PySide6.QtCore import Qt

        window.show_entities()
        window.resizeDocks([window.entities_dock], [600], Qt.Orientation.Horizontal)
        panel = window.entities_panel
        panel.kind_combo.setCurrentIndex(panel.kind_combo.findData("organization"))
        row = next(
            (
                r
                for r in range(panel.model.rowCount())
                if (e := panel.model.entity_at(r)) is not None and e.aliases
            ),
            0,
        )
        entity = panel.model.entity_at(row)
        if entity is not None:
            panel.select_entities([entity.id])
            mention = panel.mentions.mention_at(0)
            if mention is not None:
                window.open_span(mention.document_id, mention.start, mention.end)
                panel.mentions_view.selectRow(0)
        panel.view.setFocus()

    def show_connection() -> None:
        """The heaviest connection chosen, its events and claims listed."""
        panel = window.connections_panel
        graph = panel.view.graph()
        if graph is None or panel.is_loading():
            QTimer.singleShot(200, show_connection)
            return
        if graph.edges:
            edge = max(graph.edges, key=lambda e: (e.weight, -e.source))
            panel.view.select_edge(edge.source, edge.target)
            panel.view.edge_clicked.emit(edge.source, edge.target)
        QTimer.singleShot(300, shoot)

    def shoot() -> None:
        window.reader.selection_toolbar.hide()
        out = Path(args.output)
        out.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(out)):
            print(f"screenshot: could not write {out}", file=sys.stderr)
            app.exit(1)
            return
        print(f"wrote {out} ({window.width()}×{window.height()})")
        app.quit()

    QTimer.singleShot(400, pick_fact)
    QTimer.singleShot(1500, show_connection if args.connections else shoot)
    code = app.exec()
    window.close()
    del QApplication
    return int(code)


if __name__ == "__main__":
    sys.exit(main())
