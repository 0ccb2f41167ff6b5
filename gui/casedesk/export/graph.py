"""The case's network as GraphML or GEXF, for Gephi, Cytoscape, networkx and the like.

Both files carry the same graph (``casedesk.graph.CaseGraph``): a node per entity with its
name (``label``), ``kind``, ``mentions`` and ``documents``; an undirected edge per connection
with its ``weight`` (shared timeline items and claims) and the ids of those items (``events``)
and claims (``claims``, fact ids), space-separated. GEXF also carries Gephi's drawing hints:
each node coloured as the window colours its kind and sized by its mentions, and placed where
the window's layout put it when one is given.

Names come from sources and users, so every string is XML-escaped, and characters XML 1.0
cannot carry at all (control characters, unpaired surrogates, U+FFFE/U+FFFF) become U+FFFD:
the file stays well-formed whatever the case holds. Files are written atomically.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from pathlib import Path

from casedesk.export import write_atomic
from casedesk.export.summary import ExportError
from casedesk.graph import CaseGraph, Node
from casedesk.palette import kind_rgb

GRAPH_FORMATS: dict[str, str] = {".graphml": "graphml", ".gexf": "gexf"}
Positions = Mapping[int, tuple[float, float]]

# Every character XML 1.0 cannot carry, even as a reference.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: object) -> str:
    """``value`` as XML character data (element content)."""
    text = _NOT_XML.sub("\ufffd", str(value))
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xml_attr(value: object) -> str:
    """``value`` as a double-quoted attribute value; tabs and line breaks are kept as
    references (a parser would fold them into spaces)."""
    return (
        xml_text(value)
        .replace('"', "&quot;")
        .replace("\t", "&#9;")
        .replace("\n", "&#10;")
        .replace("\r", "&#13;")
    )


def _ids(values: tuple[int, ...]) -> str:
    return " ".join(str(v) for v in values)


def _number(value: float) -> str:
    return repr(float(value)) if math.isfinite(value) else "0.0"


def graph_format(path: Path | str) -> str:
    """``graphml`` or ``gexf`` from a file name's suffix; an ``ExportError`` naming the file
    otherwise."""
    path = Path(path)
    found = GRAPH_FORMATS.get(path.suffix.lower())
    if found is None:
        raise ExportError(
            f"{path}: cannot tell the format from '{path.suffix or 'no suffix'}'; "
            "use .graphml for GraphML or .gexf for GEXF"
        )
    return found


# -- GraphML ------------------------------------------------------------------------------------

_GRAPHML_KEYS = (
    ("label", "node", "string"),
    ("kind", "node", "string"),
    ("mentions", "node", "int"),
    ("documents", "node", "int"),
    ("x", "node", "double"),
    ("y", "node", "double"),
    ("weight", "edge", "double"),
    ("events", "edge", "string"),
    ("claims", "edge", "string"),
)


def graphml(graph: CaseGraph, positions: Positions | None = None, name: str = "") -> str:
    """The graph as a GraphML document (node positions ``x``, ``y`` when given)."""
    keys = [k for k in _GRAPHML_KEYS if positions is not None or k[0] not in ("x", "y")]
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
    ]
    for key, domain, kind in keys:
        out.append(f'  <key id="{key}" for="{domain}" attr.name="{key}" attr.type="{kind}"/>')
    out.append('  <graph id="casedesk" edgedefault="undirected">')
    if name:
        out.append(f"    <desc>{xml_text(name)}</desc>")
    for node in graph.nodes:
        out.append(f'    <node id="{node.id}">')
        out.append(f'      <data key="label">{xml_text(node.name)}</data>')
        out.append(f'      <data key="kind">{xml_text(node.kind)}</data>')
        out.append(f'      <data key="mentions">{node.mentions}</data>')
        out.append(f'      <data key="documents">{node.documents}</data>')
        if positions is not None and node.id in positions:
            x, y = positions[node.id]
            out.append(f'      <data key="x">{_number(x)}</data>')
            out.append(f'      <data key="y">{_number(y)}</data>')
        out.append("    </node>")
    for i, edge in enumerate(graph.edges):
        out.append(f'    <edge id="c{i}" source="{edge.source}" target="{edge.target}">')
        out.append(f'      <data key="weight">{float(edge.weight)!r}</data>')
        out.append(f'      <data key="events">{_ids(edge.events)}</data>')
        out.append(f'      <data key="claims">{_ids(edge.claims)}</data>')
        out.append("    </edge>")
    out += ["  </graph>", "</graphml>", ""]
    return "\n".join(out)


# -- GEXF ---------------------------------------------------------------------------------------


def node_size(node: Node) -> float:
    """A node's drawn size: its area grows with its mentions."""
    return round(4.0 + 3.0 * math.sqrt(max(node.mentions, 0)), 2)


def gexf(
    graph: CaseGraph,
    positions: Positions | None = None,
    name: str = "",
    today: dt.date | None = None,
) -> str:
    """The graph as a GEXF 1.2 document, with Gephi's colours, sizes and (when given)
    positions."""
    day = (today or dt.date.today()).isoformat()
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<gexf xmlns="http://www.gexf.net/1.2draft" '
        'xmlns:viz="http://www.gexf.net/1.2draft/viz" version="1.2">',
        f'  <meta lastmodifieddate="{day}">',
        "    <creator>Casedesk</creator>",
    ]
    if name:
        out.append(f"    <description>{xml_text(name)}</description>")
    out += [
        "  </meta>",
        '  <graph mode="static" defaultedgetype="undirected">',
        '    <attributes class="node">',
        '      <attribute id="kind" title="kind" type="string"/>',
        '      <attribute id="mentions" title="mentions" type="integer"/>',
        '      <attribute id="documents" title="documents" type="integer"/>',
        "    </attributes>",
        '    <attributes class="edge">',
        '      <attribute id="events" title="events" type="string"/>',
        '      <attribute id="claims" title="claims" type="string"/>',
        "    </attributes>",
        "    <nodes>",
    ]
    for node in graph.nodes:
        r, g, b = kind_rgb(node.kind)
        out += [
            f'      <node id="{node.id}" label="{xml_attr(node.name)}">',
            "        <attvalues>",
            f'          <attvalue for="kind" value="{xml_attr(node.kind)}"/>',
            f'          <attvalue for="mentions" value="{node.mentions}"/>',
            f'          <attvalue for="documents" value="{node.documents}"/>',
            "        </attvalues>",
            f'        <viz:color r="{r}" g="{g}" b="{b}"/>',
            f'        <viz:size value="{node_size(node)}"/>',
        ]
        if positions is not None and node.id in positions:
            x, y = positions[node.id]
            out.append(f'        <viz:position x="{_number(x)}" y="{_number(y)}" z="0.0"/>')
        out.append("      </node>")
    out.append("    </nodes>")
    out.append("    <edges>")
    for i, edge in enumerate(graph.edges):
        out += [
            f'      <edge id="{i}" source="{edge.source}" target="{edge.target}" '
            f'weight="{float(edge.weight)!r}">',
            "        <attvalues>",
            f'          <attvalue for="events" value="{_ids(edge.events)}"/>',
            f'          <attvalue for="claims" value="{_ids(edge.claims)}"/>',
            "        </attvalues>",
            "      </edge>",
        ]
    out += ["    </edges>", "  </graph>", "</gexf>", ""]
    return "\n".join(out)


def graph_text(
    graph: CaseGraph, fmt: str, positions: Positions | None = None, name: str = ""
) -> str:
    if fmt == "graphml":
        return graphml(graph, positions, name)
    if fmt == "gexf":
        return gexf(graph, positions, name)
    raise ExportError(f"unknown graph format {fmt!r} (graphml or gexf)")


def export_graph(
    graph: CaseGraph, path: Path | str, positions: Positions | None = None, name: str = ""
) -> Path:
    """Write the graph to ``path`` in the format its suffix names (.graphml or .gexf),
    atomically: a reader sees the old file or the whole new one."""
    path = Path(path)
    return write_atomic(path, graph_text(graph, graph_format(path), positions, name))


__all__ = [
    "GRAPH_FORMATS",
    "export_graph",
    "gexf",
    "graph_format",
    "graph_text",
    "graphml",
    "node_size",
    "xml_attr",
    "xml_text",
]
