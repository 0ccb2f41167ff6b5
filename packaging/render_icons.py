"""Render the application icon's PNG sizes from its SVG, and contact sheets for review.

    python packaging/render_icons.py               # writes resources/icons/png/casedesk-<N>.png
    python packaging/render_icons.py --sheet FILE  # also a contact sheet of every icon

The PNGs are committed (the desktop's hicolor theme and small sizes want bitmaps);
``casedesk.svg.sha256`` next to them records which SVG they were rendered from, so a test
can tell when the SVG changed and the PNGs were not rendered again.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRectF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ICONS = ROOT / "resources" / "icons"
PNG_DIR = ICONS / "png"
APP_ICON = "casedesk"
SIZES = (16, 32, 48, 64, 128, 256, 512)


def render(svg: Path, size: int) -> QImage:
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"render_icons: {svg} is not an SVG Qt can render")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


def write_app_pngs() -> None:
    svg = ICONS / f"{APP_ICON}.svg"
    PNG_DIR.mkdir(parents=True, exist_ok=True)
    for size in SIZES:
        out = PNG_DIR / f"{APP_ICON}-{size}.png"
        if not render(svg, size).save(str(out), "PNG"):
            raise SystemExit(f"render_icons: could not write {out}")
        print(f"wrote {out.relative_to(ROOT)}")
    digest = hashlib.sha256(svg.read_bytes()).hexdigest()
    (PNG_DIR / f"{APP_ICON}.svg.sha256").write_text(f"{digest}  {APP_ICON}.svg\n", "utf-8")


def write_sheet(out: Path) -> None:
    """Every icon at 16, 24 and 48 px on a light and a dark background, with its name."""
    svgs = sorted(ICONS.glob("*.svg"))
    backgrounds = (QColor("#fafafa"), QColor("#2b2d30"))
    sizes = (16, 24, 48)
    cell_w, cell_h = 150, 70
    cols = 4
    rows = (len(svgs) + cols - 1) // cols
    sheet = QImage(cols * cell_w * 2, rows * cell_h, QImage.Format.Format_ARGB32)
    painter = QPainter(sheet)
    painter.setFont(QFont("DejaVu Sans", 7))
    for half, background in enumerate(backgrounds):
        painter.fillRect(half * cols * cell_w, 0, cols * cell_w, rows * cell_h, background)
        text = QColor("#202020") if half == 0 else QColor("#e0e0e0")
        for index, svg in enumerate(svgs):
            x0 = half * cols * cell_w + (index % cols) * cell_w + 6
            y0 = (index // cols) * cell_h + 6
            x = x0
            for size in sizes:
                painter.drawImage(x, y0 + (48 - size), render(svg, size))
                x += size + 8
            painter.setPen(text)
            painter.drawText(x0, y0 + 60, svg.stem)
    painter.end()
    sheet.save(str(out), "PNG")
    print(f"wrote {out}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sheet", type=Path, help="also write a contact sheet PNG here")
    parser.add_argument("--no-png", action="store_true", help="skip the application icon PNGs")
    args = parser.parse_args(argv)
    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    if not args.no_png:
        write_app_pngs()
    if args.sheet:
        write_sheet(args.sheet)
    return 0


if __name__ == "__main__":
    sys.exit(main())
