"""The shipped artwork and desktop-integration files agree with the code and with each other.

Fast enough for every CI run: no Qt, no bundle build. The freedesktop validators run only when
installed (scripts/validate_desktop.sh installs them); otherwise those tests are skipped.
"""

from __future__ import annotations

import ast
import configparser
import hashlib
import os
import re
import shutil
import struct
import subprocess
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import casedesk
from casedesk.paths import APP_ID, resources_dir
from casedesk.store import APPLICATION_ID, FACT_KINDS, Case

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
ICONS = ROOT / "resources" / "icons"
ICONS_MODULE = ROOT / "gui" / "casedesk" / "ui" / "icons.py"
DESKTOP = PACKAGING / f"{APP_ID}.desktop"
METAINFO = PACKAGING / f"{APP_ID}.metainfo.xml"
MIME = PACKAGING / f"{APP_ID}.mime.xml"
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"
APP_PNG_SIZES = (16, 32, 48, 64, 128, 256, 512)


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))


def _module_constant(tree: ast.Module, name: str) -> object:
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        if any(isinstance(t, ast.Name) and t.id == name for t in targets) and node.value:
            return node.value
    raise AssertionError(f"{ICONS_MODULE} defines no {name}")


def _declared_icon_names() -> set[str]:
    """ICON_NAMES of casedesk.ui.icons, read without importing Qt."""
    tree = ast.parse(ICONS_MODULE.read_text("utf-8"))
    app = ast.literal_eval(_module_constant(tree, "APP_ICON"))
    actions = ast.literal_eval(_module_constant(tree, "ACTION_ICONS"))
    kinds_comp = _module_constant(tree, "KIND_ICONS")
    assert isinstance(kinds_comp, ast.DictComp)
    kinds = ast.literal_eval(kinds_comp.generators[0].iter)
    return {app, *actions, *(f"kind-{kind}" for kind in kinds)}


def _png_header(path: Path) -> tuple[int, int, int]:
    data = path.read_bytes()[:26]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height, data[25]


# -- icons ---------------------------------------------------------------------------------------


def test_every_declared_icon_has_a_renderable_svg() -> None:
    for name in sorted(_declared_icon_names()):
        svg = ICONS / f"{name}.svg"
        assert svg.is_file(), f"icon {name!r} has no {svg}"
        root = ET.parse(svg).getroot()
        assert root.tag == "{http://www.w3.org/2000/svg}svg", f"{svg} is not an SVG"
        assert root.get("viewBox"), f"{svg} has no viewBox, so it cannot scale"
        if name != "casedesk":
            assert root.get("viewBox") == "0 0 24 24", f"{svg} is not on the 24 px grid"
        # Qt's SVG renderer ignores currentColor: such an icon would paint black on dark themes.
        assert "currentColor" not in svg.read_text("utf-8"), f"{svg} uses currentColor"


def test_every_fact_kind_has_an_icon() -> None:
    names = _declared_icon_names()
    assert {f"kind-{kind}" for kind in FACT_KINDS} <= names


def test_every_icon_the_code_asks_for_exists() -> None:
    """Catches a toolbar action naming an icon that was never drawn (it would show blank)."""
    declared = _declared_icon_names()
    used: dict[str, str] = {}
    for source in (ROOT / "gui" / "casedesk").rglob("*.py"):
        tree = ast.parse(source.read_text("utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            candidates: list[ast.expr] = []
            if called in ("icon", "icon_path") and node.args:
                candidates.append(node.args[0])
            if called == "ActionSpec" and len(node.args) >= 3:
                candidates.append(node.args[2])
            candidates += [kw.value for kw in node.keywords if kw.arg == "icon"]
            for arg in candidates:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    used[arg.value] = f"{source.relative_to(ROOT)}:{arg.lineno}"
    missing = {name: where for name, where in used.items() if name not in declared}
    assert not missing, f"icons asked for but not drawn: {missing}"


def test_shipped_icons_are_found_through_the_package() -> None:
    icons = resources_dir() / "icons"
    assert (icons / "casedesk.svg").is_file()
    assert (icons / "png" / "casedesk-48.png").is_file()


def test_app_icon_pngs_have_their_sizes() -> None:
    for size in APP_PNG_SIZES:
        width, height, colour_type = _png_header(ICONS / "png" / f"casedesk-{size}.png")
        assert (width, height) == (size, size)
        assert colour_type == 6, "the application icon needs an alpha channel"


def test_app_icon_pngs_were_rendered_from_the_current_svg() -> None:
    recorded = (ICONS / "png" / "casedesk.svg.sha256").read_text("utf-8").split()[0]
    actual = hashlib.sha256((ICONS / "casedesk.svg").read_bytes()).hexdigest()
    assert recorded == actual, (
        "resources/icons/casedesk.svg changed since its PNGs were rendered: "
        "run python packaging/render_icons.py"
    )


# -- desktop entry, AppStream, MIME --------------------------------------------------------------


def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_entry_opens_case_files_with_the_app() -> None:
    entry = _desktop_entry()
    assert entry["Exec"].split()[0] == "casedesk"
    assert "%f" in entry["Exec"] or "%F" in entry["Exec"]
    assert entry["Icon"] == APP_ID
    assert "application/x-casedesk" in entry["MimeType"].split(";")
    scripts = _pyproject()["project"]["scripts"]
    assert scripts.get("casedesk") == "casedesk.cli:main", "Exec runs the `casedesk` command"


def test_metainfo_names_the_app_and_its_release_matches_the_version() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == DESKTOP.name
    assert root.findtext("metadata_license") == "CC0-1.0"
    assert root.findtext("project_license") == _pyproject()["project"]["license"]
    releases = root.findall("releases/release")
    assert releases, "metainfo lists no release"
    version = _pyproject()["project"]["version"]
    assert releases[0].get("version") == version == casedesk.__version__, (
        "the newest <release> in the metainfo must be the version in pyproject.toml"
    )
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", releases[0].get("date") or "")
    assert "application/x-casedesk" in [m.text for m in root.findall("provides/mediatype")]


def test_mime_type_recognises_a_real_case_file(tmp_path: Path) -> None:
    mime = ET.parse(MIME).getroot().find(f"{MIME_NS}mime-type")
    assert mime is not None and mime.get("type") == "application/x-casedesk"
    globs = [g.get("pattern") for g in mime.findall(f"{MIME_NS}glob")]
    path = tmp_path / "check.casedesk"
    assert any(Path(path.name).match(g or "") for g in globs)

    Case.create(path).close()
    header = path.read_bytes()[:100]
    outer = mime.find(f"{MIME_NS}magic/{MIME_NS}match")
    assert outer is not None and outer.get("type") == "string"
    prefix = (outer.get("value") or "").replace("\\000", "\0").encode("latin-1")
    assert header[int(outer.get("offset") or 0) :].startswith(prefix)
    inner = outer.find(f"{MIME_NS}match")
    assert inner is not None and inner.get("type") == "big32"
    offset = int(inner.get("offset") or 0)
    value = int(inner.get("value") or "0", 0)
    assert value == APPLICATION_ID
    assert struct.unpack(">I", header[offset : offset + 4])[0] == value


def _run(*cmd: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    ("tool", "args", "path"),
    [
        ("desktop-file-validate", (), DESKTOP),
        ("appstreamcli", ("validate", "--no-net"), METAINFO),
        ("xmllint", ("--noout",), MIME),
    ],
)
def test_freedesktop_validators_accept_the_files(
    tool: str, args: tuple[str, ...], path: Path
) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed (scripts/validate_desktop.sh installs it)")
    result = _run(tool, *args, path)
    assert result.returncode == 0, f"{tool} rejects {path.name}:\n{result.stdout}{result.stderr}"


# -- install script ------------------------------------------------------------------------------


def test_install_script_installs_for_the_user_and_uninstalls(tmp_path: Path) -> None:
    prefix = tmp_path / "local"
    program = tmp_path / "casedesk-program"
    program.write_text('#!/bin/sh\necho casedesk-ran "$@"\n', "utf-8")
    program.chmod(0o755)
    script = ROOT / "scripts" / "install_desktop.sh"
    env = {**os.environ, "HOME": str(tmp_path)}

    done = subprocess.run(
        [script, "--prefix", prefix, "--command", program],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    launcher = prefix / "bin" / "casedesk"
    ran = subprocess.run([launcher, "open", "x.casedesk"], capture_output=True, text=True)
    assert ran.stdout.strip() == "casedesk-ran open x.casedesk"
    from_menu = subprocess.run([launcher, "open"], capture_output=True, text=True)
    assert from_menu.stdout.strip() == "casedesk-ran", "the menu without a file opens the app"
    share = prefix / "share"
    entry = (share / "applications" / DESKTOP.name).read_text("utf-8")
    assert f"Exec={launcher} open %f" in entry.splitlines()
    for size in APP_PNG_SIZES:
        assert (share / f"icons/hicolor/{size}x{size}/apps/{APP_ID}.png").is_file()
    assert (share / f"icons/hicolor/scalable/apps/{APP_ID}.svg").is_file()
    assert (share / "metainfo" / METAINFO.name).is_file()
    assert (share / "mime" / "packages" / MIME.name).is_file()

    gone = subprocess.run(
        [script, "--prefix", prefix, "--uninstall"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert gone.returncode == 0, gone.stderr
    left = [p for p in prefix.rglob("*") if p.is_file() and ("casedesk" in p.name.lower())]
    assert not left, f"uninstall left {left}"


def test_fact_kind_icons_wear_the_colour_the_window_gives_the_kind() -> None:
    """The badge of kind-person is the colour person highlights have in the reader."""
    colours_module = ROOT / "gui" / "casedesk" / "palette.py"  # the window's colours.py reads it
    tree = ast.parse(colours_module.read_text("utf-8"))
    try:
        kind_colours = ast.literal_eval(_module_constant(tree, "KIND_COLOURS"))
    except AssertionError:
        pytest.skip(f"{colours_module} has no KIND_COLOURS table")
    for kind in FACT_KINDS:
        badge = (
            ET.parse(ICONS / f"kind-{kind}.svg").getroot().find("{http://www.w3.org/2000/svg}rect")
        )
        assert badge is not None, f"kind-{kind}.svg has no badge"
        assert (badge.get("fill") or "").lower() == kind_colours[kind].lower(), kind


def test_metainfo_screenshot_describes_the_committed_screenshot() -> None:
    """The https URL in the metainfo serves docs/screenshot.png; its stated size must be true."""
    screenshot = ROOT / "docs" / "screenshot.png"
    if not screenshot.is_file():
        pytest.skip("docs/screenshot.png is not in this checkout")
    image = ET.parse(METAINFO).getroot().find("screenshots/screenshot/image")
    assert image is not None and (image.text or "").startswith("https://")
    width, height, _ = _png_header(screenshot)
    assert (image.get("width"), image.get("height")) == (str(width), str(height))
