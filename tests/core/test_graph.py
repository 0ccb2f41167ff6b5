"""The case's network: who takes part in the same timeline items and claims, with filters, the
user's corrections, and its GraphML and GEXF files (read back with networkx)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import networkx as nx
import pytest

from casedesk import entity_edits
from casedesk.cli import main
from casedesk.export import ExportError
from casedesk.export.graph import export_graph, gexf, graph_format, graphml
from casedesk.extract.timex import period
from casedesk.graph import (
    CaseGraph,
    GraphError,
    GraphFilter,
    Node,
    build_graph,
    describe,
    edge_links,
    parse_kinds,
)
from casedesk.store import ENTITY_KINDS, Case, now_iso

ALL = frozenset(ENTITY_KINDS)

# Two reports of our own, written for these tests.
TEXT_A = (
    "On 3 March 2021 Ada Brandt met Carl Ortiz of Norvex Ltd in Lisbon. "
    "Ada Brandt said that Norvex Ltd had paid Quill Partners. "
    "Later Carl Ortiz signed the lease with Quill Partners."
)
TEXT_B = "In May 2022 Dana Reyes of Quill Partners denied that Carl Ortiz was paid."


class Builder:
    def __init__(self, case: Case) -> None:
        self.case = case
        self.entities: dict[str, int] = {}
        # What the ``built`` fixture makes: two documents, two items and two claims.
        self.a = self.d = self.meeting = self.signing = self.claim = self.denial = 0

    def doc(self, name: str, text: str, published: str | None = None) -> int:
        doc_id = self.case.add_document(file_name=name, text=text, sha256=name, format="txt")
        if published:
            self.case.conn.execute(
                "UPDATE documents SET published = ?, title = ? WHERE id = ?",
                (published, name.upper(), doc_id),
            )
        return doc_id

    def entity(self, name: str, kind: str) -> int:
        cur = self.case.conn.execute(
            "INSERT INTO entities(kind, name, key) VALUES (?, ?, ?)", (kind, name, name.lower())
        )
        self.entities[name] = int(cur.lastrowid or 0)
        return self.entities[name]

    def fact(
        self,
        doc: int,
        kind: str,
        start: int,
        end: int,
        *,
        entity: int | None = None,
        status: str = "extracted",
        attrs: dict[str, object] | None = None,
    ) -> int:
        text = self.case.document(doc)["text"][start:end]
        cur = self.case.conn.execute(
            "INSERT INTO facts(document_id, kind, start, end, text, value, entity_id, status, "
            "provenance, attrs, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'test', ?, ?, ?)",
            (
                doc,
                kind,
                start,
                end,
                text,
                text,
                entity,
                status,
                json.dumps(attrs) if attrs else None,
                now_iso(),
                now_iso(),
            ),
        )
        return int(cur.lastrowid or 0)

    def mentions(self, doc: int, name: str, kind: str, status: str = "extracted") -> list[int]:
        text = self.case.document(doc)["text"]
        ent = self.entities.get(name) or self.entity(name, kind)
        found, at = [], text.find(name)
        while at >= 0:
            found.append(self.fact(doc, kind, at, at + len(name), entity=ent, status=status))
            at = text.find(name, at + 1)
        return found

    def span(self, doc: int, piece: str) -> tuple[int, int]:
        at = self.case.document(doc)["text"].index(piece)
        return at, at + len(piece)

    def event(self, value: str, title: str, facts: list[int], status: str = "extracted") -> int:
        p = period(value)
        assert p is not None
        cur = self.case.conn.execute(
            "INSERT INTO events(date, date_start, date_end, precision, title, status) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (value, p.start.isoformat(), p.end.isoformat(), p.precision, title, status),
        )
        eid = int(cur.lastrowid or 0)
        self.case.conn.executemany(
            "INSERT INTO event_sources(event_id, fact_id) VALUES (?, ?)", [(eid, f) for f in facts]
        )
        return eid


@pytest.fixture
def built(case: Case) -> Builder:
    """Ada Brandt and Carl Ortiz meet (an item of 2021-03-03 reported in A); Ada Brandt claims
    Norvex Ltd paid Quill Partners (a claim); Carl Ortiz signs with Quill Partners (an item of
    2021); Dana Reyes, speaking for Quill Partners, denies in 2022 that Carl Ortiz was paid."""
    b = Builder(case)
    a = b.doc("a.txt", TEXT_A, "2021-03-04")
    d = b.doc("b.txt", TEXT_B, "2022-05-20")
    for name, kind in (
        ("Ada Brandt", "person"),
        ("Carl Ortiz", "person"),
        ("Norvex Ltd", "organization"),
        ("Quill Partners", "organization"),
        ("Lisbon", "place"),
    ):
        b.mentions(a, name, kind)
    for name, kind in (
        ("Dana Reyes", "person"),
        ("Quill Partners", "organization"),
        ("Carl Ortiz", "person"),
    ):
        b.mentions(d, name, kind)
    meet = b.fact(
        a, "event", *b.span(a, "On 3 March 2021 Ada Brandt met Carl Ortiz of Norvex Ltd in Lisbon.")
    )
    b.meeting = b.event("2021-03-03", "Brandt meets Ortiz", [meet])
    # What extraction links to an item (its key entities, as ``event_entities``).
    case.conn.executemany(
        "INSERT INTO event_entities(event_id, entity_id) VALUES (?, ?)",
        [(b.meeting, b.entities[n]) for n in ("Ada Brandt", "Carl Ortiz")],
    )
    sign = b.fact(a, "event", *b.span(a, "Later Carl Ortiz signed the lease with Quill Partners."))
    b.signing = b.event("2021", "Lease signed", [sign])
    # The claim's span is what is said; the speaker stands before it.
    said_at = b.span(a, "Norvex Ltd had paid Quill Partners")
    speaker = b.span(a, "Ada Brandt said")
    b.claim = b.fact(
        a,
        "claim",
        *said_at,
        entity=b.entities["Ada Brandt"],
        attrs={"speaker_span": [speaker[0], speaker[0] + len("Ada Brandt")], "date": "2021-03-04"},
    )
    denied = b.span(d, "Carl Ortiz was paid")
    who = b.span(d, "Dana Reyes of Quill Partners")
    b.denial = b.fact(
        d,
        "claim",
        *denied,
        entity=b.entities["Dana Reyes"],
        attrs={"speaker_span": list(who), "polarity": "denies", "cue": "denied"},
    )
    b.a, b.d = a, d
    return b


def weights(graph: CaseGraph) -> dict[frozenset[str], int]:
    names = {n.id: n.name for n in graph.nodes}
    return {frozenset((names[e.source], names[e.target])): e.weight for e in graph.edges}


def pair(*names: str) -> frozenset[str]:
    return frozenset(names)


def test_items_and_claims_connect_the_entities_that_take_part(built: Builder) -> None:
    graph = build_graph(built.case, GraphFilter(kinds=ALL))
    w = weights(graph)
    # The meeting: Ada, Carl, Norvex, Lisbon (named in its report).
    assert w[pair("Ada Brandt", "Lisbon")] == 1
    # Ada and Norvex share the meeting and Ada's claim about Norvex.
    assert w[pair("Ada Brandt", "Norvex Ltd")] == 2
    # Carl and Quill share the signing and Dana's denial (speaker span names Quill).
    assert w[pair("Carl Ortiz", "Quill Partners")] == 2
    assert w[pair("Dana Reyes", "Carl Ortiz")] == 1
    assert pair("Dana Reyes", "Ada Brandt") not in w
    ada = built.entities["Ada Brandt"]
    norvex = built.entities["Norvex Ltd"]
    edge = graph.edge(norvex, ada)
    assert edge is not None and edge.source < edge.target
    assert edge.events == (built.meeting,)
    assert edge.claims == (built.claim,)
    node = graph.node(ada)
    assert node is not None
    assert (node.kind, node.name, node.mentions, node.documents) == ("person", "Ada Brandt", 2, 1)
    assert describe(graph) == f"{len(graph.nodes)} entities, {len(graph.edges)} connections"


def test_edge_links_list_items_and_claims_with_their_sentences(built: Builder) -> None:
    graph = build_graph(built.case, GraphFilter(kinds=ALL))
    carl, quill = built.entities["Carl Ortiz"], built.entities["Quill Partners"]
    edge = graph.edge(carl, quill)
    assert edge is not None
    links = edge_links(built.case, edge)
    assert [(lk.kind, lk.date) for lk in links] == [("event", "2021"), ("claim", "2022-05-20")]
    assert links[0].title == "Lease signed"
    (source,) = links[0].sources
    text = built.case.document(source.document_id)["text"]
    assert text[source.start : source.end].startswith("Later Carl Ortiz signed")
    assert source.document.startswith("A.TXT")
    assert links[1].title == "Dana Reyes ⊘ denies: “Carl Ortiz was paid”"
    (said,) = links[1].sources
    assert (said.document_id, said.text) == (built.d, "Carl Ortiz was paid")


def test_hidden_items_rejected_reports_and_rejected_mentions_connect_no_one(
    built: Builder,
) -> None:
    conn = built.case.conn
    conn.execute("UPDATE events SET status = 'rejected' WHERE id = ?", (built.meeting,))
    w = weights(build_graph(built.case, GraphFilter(kinds=ALL)))
    assert pair("Ada Brandt", "Lisbon") not in w
    assert w[pair("Ada Brandt", "Norvex Ltd")] == 1  # the claim is left
    # The signing's only report rejected: the item is gone from the timeline.
    conn.execute(
        "UPDATE facts SET status = 'rejected' WHERE id IN "
        "(SELECT fact_id FROM event_sources WHERE event_id = ?)",
        (built.signing,),
    )
    assert (
        weights(build_graph(built.case, GraphFilter(kinds=ALL)))[
            pair("Carl Ortiz", "Quill Partners")
        ]
        == 1
    )
    # A rejected mention of Norvex inside the claim no longer puts Norvex in it.
    conn.execute(
        "UPDATE facts SET status = 'rejected' WHERE entity_id = ?", (built.entities["Norvex Ltd"],)
    )
    assert pair("Ada Brandt", "Norvex Ltd") not in weights(
        build_graph(built.case, GraphFilter(kinds=ALL))
    )


def test_not_an_entity_and_merges_are_respected(built: Builder) -> None:
    case = built.case
    entity_edits.reject_entities(case, [built.entities["Lisbon"], built.entities["Carl Ortiz"]])
    graph = build_graph(case, GraphFilter(kinds=ALL, isolated=True))
    assert not {"Lisbon", "Carl Ortiz"} & {n.name for n in graph.nodes}
    carl = built.entities["Carl Ortiz"]
    assert not [e for e in graph.edges if carl in (e.source, e.target)]
    # Norvex and Quill made one: their edges with Ada add up (meeting, claim) and the claim
    # no longer joins an entity to itself.
    norvex, quill = built.entities["Norvex Ltd"], built.entities["Quill Partners"]
    entity_edits.merge_entities(case, [norvex, quill], keep_id=quill)
    graph = build_graph(case, GraphFilter(kinds=ALL))
    assert {n.name for n in graph.nodes} >= {"Quill Partners"}
    assert "Norvex Ltd" not in {n.name for n in graph.nodes}
    w = weights(graph)
    assert w[pair("Ada Brandt", "Quill Partners")] == 2  # the meeting and the claim
    assert all(e.source != e.target for e in graph.edges)
    node = graph.node(quill)
    assert node is not None and node.mentions == 5


def test_filters_by_kind_date_weight_and_size(built: Builder) -> None:
    case = built.case
    people = build_graph(case, GraphFilter(kinds=frozenset({"person"})))
    assert {n.kind for n in people.nodes} == {"person"}
    assert weights(people) == {
        pair("Ada Brandt", "Carl Ortiz"): 1,
        pair("Dana Reyes", "Carl Ortiz"): 1,
    }
    # 2022 keeps only the denial (its date is its document's).
    late = build_graph(case, GraphFilter(kinds=ALL, date_from="2022"))
    assert set(weights(late)) == {
        pair("Dana Reyes", "Carl Ortiz"),
        pair("Dana Reyes", "Quill Partners"),
        pair("Carl Ortiz", "Quill Partners"),
    }
    # March 2021 keeps the meeting, the claim (dated 4 March) and the signing (all of 2021).
    march = build_graph(case, GraphFilter(kinds=ALL, date_from="2021-03", date_to="2021-03"))
    assert weights(march)[pair("Carl Ortiz", "Quill Partners")] == 1
    assert pair("Dana Reyes", "Carl Ortiz") not in weights(march)
    april = build_graph(case, GraphFilter(kinds=ALL, date_from="2021-04-01", date_to="2021-12"))
    assert set(weights(april)) == {pair("Carl Ortiz", "Quill Partners")}
    strong = build_graph(case, GraphFilter(kinds=ALL, min_weight=2))
    assert set(weights(strong).values()) == {2}
    assert {n.name for n in strong.nodes} == {
        "Ada Brandt",
        "Norvex Ltd",
        "Carl Ortiz",
        "Quill Partners",
    }
    small = build_graph(case, GraphFilter(kinds=ALL, max_nodes=2))
    assert len(small.nodes) == 2 and len(small.edges) == 1
    assert small.connected == len(build_graph(case, GraphFilter(kinds=ALL)).nodes)
    assert "most connected" in describe(small)
    none = build_graph(case, GraphFilter(kinds=frozenset()))
    assert (none.nodes, none.edges) == ((), ())


def test_isolated_entities_only_on_request(built: Builder) -> None:
    lonely = built.entity("Mirela Voss", "person")
    built.fact(built.d, "person", 0, 2, entity=lonely)
    assert built.case.conn.execute("SELECT 1 FROM entities WHERE id = ?", (lonely,)).fetchone()
    assert lonely not in {n.id for n in build_graph(built.case).nodes}
    assert lonely in {n.id for n in build_graph(built.case, GraphFilter(isolated=True)).nodes}


@pytest.mark.parametrize(
    ("graph_filter", "message"),
    [
        (GraphFilter(kinds=frozenset({"people"})), "unknown kind(s): people"),
        (GraphFilter(date_from="March"), "from: 'March' is not a date"),
        (GraphFilter(date_from="2022", date_to="2021"), "2022 is after 2021"),
        (GraphFilter(min_weight=0), "below 1"),
    ],
)
def test_bad_filters_are_refused_with_a_reason(
    case: Case, graph_filter: GraphFilter, message: str
) -> None:
    with pytest.raises(GraphError, match=message.replace("(", r"\(").replace(")", r"\)")):
        build_graph(case, graph_filter)


def test_kinds_as_typed() -> None:
    assert parse_kinds(["person,place", "organization"]) == {"person", "place", "organization"}
    assert parse_kinds(["all"]) == ALL
    with pytest.raises(GraphError, match="choose from"):
        parse_kinds(["persons"])


# -- GraphML and GEXF ---------------------------------------------------------------------------


def test_graphml_and_gexf_open_in_networkx_with_nodes_weights_and_attributes(
    built: Builder, tmp_path: Path
) -> None:
    graph = build_graph(built.case, GraphFilter(kinds=ALL))
    positions = {n.id: (float(i), -2.5 * i) for i, n in enumerate(graph.nodes)}
    for suffix, read in ((".graphml", nx.read_graphml), (".gexf", nx.read_gexf)):
        path = export_graph(graph, tmp_path / f"case{suffix}", positions, name="Test case")
        g = read(path)
        assert sorted(g.nodes) == sorted(str(n.id) for n in graph.nodes), suffix
        assert g.number_of_edges() == len(graph.edges), suffix
        for node in graph.nodes:
            data = g.nodes[str(node.id)]
            assert data["label"] == node.name
            assert data["kind"] == node.kind
            assert data["mentions"] == node.mentions
            assert data["documents"] == node.documents
        for edge in graph.edges:
            data = g.get_edge_data(str(edge.source), str(edge.target))
            assert data["weight"] == edge.weight
            assert data["events"].split() == [str(i) for i in edge.events]
            assert data["claims"].split() == [str(i) for i in edge.claims]
    gx = nx.read_gexf(tmp_path / "case.gexf")
    ada = gx.nodes[str(built.entities["Ada Brandt"])]["viz"]
    assert ada["color"] == {"r": 0xEB, "g": 0x57, "b": 0x57, "a": 1.0}  # the window's red
    i = [n.id for n in graph.nodes].index(built.entities["Ada Brandt"])
    assert ada["position"] == {"x": float(i), "y": -2.5 * i, "z": 0.0}
    gm = nx.read_graphml(tmp_path / "case.graphml")
    assert gm.nodes[str(built.entities["Ada Brandt"])]["y"] == -2.5 * i


HOSTILE = [
    "Smith & <Sons> \"Ltd\" 'quoted'",
    "tab\there\nnew line\r\nCRLF",
    "nul\x00 bell\x07 escape\x1b[31m del\x7f",
    "]]> <!-- --> <![CDATA[x]]> &amp; &#0; &#x1b;",
    "non-characters \ufffe\uffff",
    "emoji 😀 and CJK 東京",
]


def test_hostile_names_stay_valid_xml(case: Case, tmp_path: Path) -> None:
    b = Builder(case)
    text = "x" * 40
    doc = b.doc("h.txt", text)
    ids = [b.entity(name, "person") for name in HOSTILE]
    facts = []
    for i, ent in enumerate(ids):
        facts.append(b.fact(doc, "person", i, i + 1, entity=ent))
    b.event("2020", "all of them", [b.fact(doc, "event", 0, 40)])
    graph = build_graph(case, GraphFilter(kinds=ALL))
    assert len(graph.nodes) == len(HOSTILE)
    assert len(graph.edges) == len(HOSTILE) * (len(HOSTILE) - 1) // 2
    for suffix, read in ((".graphml", nx.read_graphml), (".gexf", nx.read_gexf)):
        path = export_graph(graph, tmp_path / f"h{suffix}", name="<b>case</b> & \x01")
        g = read(path)  # a parse error fails the test
        labels = {g.nodes[str(i)]["label"] for i in ids}
        assert "Smith & <Sons> \"Ltd\" 'quoted'" in labels
        assert "]]> <!-- --> <![CDATA[x]]> &amp; &#0; &#x1b;" in labels
        assert "emoji 😀 and CJK 東京" in labels
        assert "nul\ufffd bell\ufffd escape\ufffd[31m del\x7f" in labels
        assert "non-characters \ufffd\ufffd" in labels
        # Line breaks and tabs survive in both (GEXF keeps them as references in attributes).
        assert "tab\there\nnew line\n" in "".join(labels).replace("\r\n", "\n")


def test_a_name_with_an_unpaired_surrogate_is_written_as_a_replacement(tmp_path: Path) -> None:
    # SQLite cannot hold one as text, but a name made in memory (a file name read with
    # surrogateescape) must not stop the export.
    graph = CaseGraph((Node(1, "person", "lone \udc80 half", 1, 1),), ())
    for suffix, read in ((".graphml", nx.read_graphml), (".gexf", nx.read_gexf)):
        g = read(export_graph(graph, tmp_path / f"s{suffix}"))
        assert g.nodes["1"]["label"] == "lone \ufffd half"


def test_the_format_comes_from_the_suffix() -> None:
    assert graph_format("a.GraphML") == "graphml"
    assert graph_format(Path("b.gexf")) == "gexf"
    with pytest.raises(ExportError, match=r"c\.xml: cannot tell the format from '\.xml'"):
        graph_format("c.xml")


def test_an_empty_graph_is_a_valid_file() -> None:
    empty = CaseGraph((), ())
    assert nx.parse_graphml(graphml(empty)).number_of_nodes() == 0
    assert nx.read_gexf(io.BytesIO(gexf(empty).encode())).number_of_nodes() == 0


# -- the command line ---------------------------------------------------------------------------


def test_cli_writes_either_format_with_filters(
    built: Builder, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = built.case.path
    built.case.close()
    out = tmp_path / "net.gexf"
    assert main(["graph", str(path), "-o", str(out), "--kind", "person"]) == 0
    err = capsys.readouterr().err
    assert f"wrote {out}: 3 entities, 2 connections" in err
    g = nx.read_gexf(out)
    assert {d["kind"] for _n, d in g.nodes(data=True)} == {"person"}
    out = tmp_path / "net.graphml"
    assert main(["graph", str(path), "-o", str(out), "--kind", "all", "--min-weight", "2"]) == 0
    g = nx.read_graphml(out)
    assert {d["weight"] for _a, _b, d in g.edges(data=True)} == {2.0}
    out = tmp_path / "late.graphml"
    assert main(["graph", str(path), "-o", str(out), "--from", "2022-01-01"]) == 0
    assert nx.read_graphml(out).number_of_edges() == 3


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "{tmp}/net.csv"], "cannot tell the format from '.csv'"),
        (["-o", "{tmp}/net.gexf", "--kind", "persons"], "unknown kind(s): persons"),
        (["-o", "{tmp}/net.gexf", "--from", "soon"], "'soon' is not a date"),
        (["-o", "{tmp}/net.gexf", "--min-weight", "0"], None),
    ],
)
def test_cli_usage_errors(
    built: Builder,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str | None,
) -> None:
    path = built.case.path
    built.case.close()
    argv = ["graph", str(path), *(a.format(tmp=tmp_path) for a in args)]
    if message is None:
        with pytest.raises(SystemExit) as exit_:
            main(argv)
        assert exit_.value.code == 2
        return
    assert main(argv) == 2
    assert message in capsys.readouterr().err
    assert not list(tmp_path.glob("net.*"))


def test_cli_names_a_folder_that_is_not_there(
    built: Builder, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = built.case.path
    built.case.close()
    assert main(["graph", str(path), "-o", str(tmp_path / "nowhere" / "n.gexf")]) == 1
    assert "nowhere does not exist" in capsys.readouterr().err


def test_an_item_reported_only_as_denied_is_listed_as_a_denial(built: Builder) -> None:
    conn = built.case.conn
    report = conn.execute(
        "SELECT fact_id FROM event_sources WHERE event_id = ?", (built.signing,)
    ).fetchone()[0]
    conn.execute(
        "UPDATE facts SET attrs = ? WHERE id = ?",
        (json.dumps({"polarity": "denies", "denied_by": "Carl Ortiz"}), report),
    )
    graph = build_graph(built.case, GraphFilter(kinds=ALL))
    edge = graph.edge(built.entities["Carl Ortiz"], built.entities["Quill Partners"])
    assert edge is not None
    event = next(lk for lk in edge_links(built.case, edge) if lk.kind == "event")
    assert event.title == "⊘ reported only as denied: Lease signed"
    # A second report that tells it as having happened: the denial is one of two.
    b = built.fact(built.a, "event", 0, 14)
    conn.execute("INSERT INTO event_sources(event_id, fact_id) VALUES (?, ?)", (built.signing, b))
    event = next(lk for lk in edge_links(built.case, edge) if lk.kind == "event")
    assert event.title == "Lease signed (⊘ denied in 1 of 2 reports)"
    assert len(event.sources) == 2
