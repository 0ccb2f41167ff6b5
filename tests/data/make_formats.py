"""Test files in the formats Casedesk imports, made here from known text (never downloaded).

    python tests/data/make_formats.py FOLDER     # writes every file into FOLDER

- ``scan.png`` and ``scan.pdf``: a letter rendered with Pillow in DejaVu Serif at 300 dpi (the
  PDF holds the image only, no text layer); ``SCAN_TRANSCRIPT`` is what they say;
- ``memo.docx`` (python-docx) and ``memo.odt`` (odfpy), with headings, paragraphs and metadata;
- ``archive.mbox``: 20 messages, three of them a thread, two with attachments (the scanned PDF
  and the Word file), plus ``single.eml``;
- ``page.mhtml``: a saved web page as a single-file archive, and ``saved.html`` with its
  ``saved_files/`` folder as a browser saves it.

Every sentence here was written for these tests.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import textwrap
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/truetype/liberation"),
    Path("/usr/share/fonts/dejavu"),
)
FONT_NAMES = ("DejaVuSerif.ttf", "LiberationSerif-Regular.ttf", "DejaVuSans.ttf")

SCAN_TITLE = "Harbour Authority of Port Elling"
SCAN_PARAGRAPHS = [
    SCAN_TITLE,
    "Notice of inspection, reference HA-2021-117",
    "On 14 March 2021 inspectors of the harbour authority boarded the cargo vessel Northern "
    "Tern at berth 6 and found 40 tonnes of copper wire that were not on the manifest.",
    "Captain Maria Olsen said the cargo had been loaded in Rotterdam by a subcontractor and "
    "that her company had not been told of it.",
    "The authority fined the owner, Baltic Freight Lines, 250,000 euros on 2 April 2021 and "
    "released the vessel the following day.",
    "Signed, Henrik Dahl, harbour master",
]
SCAN_TRANSCRIPT = "\n\n".join(SCAN_PARAGRAPHS)

MEMO_TITLE = "Review of the berth 6 inspection"
MEMO_AUTHOR = "Ingrid Sande"
MEMO_CREATED = dt.datetime(2021, 4, 9, 10, 30, tzinfo=dt.UTC)
MEMO_HEADINGS = ["Review of the berth 6 inspection", "Findings", "Next steps"]
MEMO_PARAGRAPHS = [
    "The inspection of the Northern Tern on 14 March 2021 followed a tip from a dock worker.",
    "Baltic Freight Lines paid the fine on 20 April 2021 without contesting it.",
    "The authority will audit all cargo loaded by the same subcontractor before 1 June 2021.",
]


def char_accuracy(reference: str, recognised: str) -> float:
    """OCR character accuracy: 1 - edit distance / reference length, on whitespace-collapsed
    text (a paragraph break read as a space is not an error)."""
    ref, hyp = " ".join(reference.split()), " ".join(recognised.split())
    previous = list(range(len(hyp) + 1))
    for i, a in enumerate(ref, 1):
        current = [i]
        for j, b in enumerate(hyp, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b)))
        previous = current
    return 1 - previous[-1] / max(len(ref), 1)


def font(size_px: int):  # type: ignore[no-untyped-def]
    from PIL import ImageFont

    for folder in FONT_DIRS:
        for name in FONT_NAMES:
            path = folder / name
            if path.exists():
                return ImageFont.truetype(str(path), size_px)
    raise SystemExit("no DejaVu or Liberation font: install fonts-dejavu-core")


def scan_image(paragraphs: list[str] | None = None, dpi: int = 300):  # type: ignore[no-untyped-def]
    """An A4 page at ``dpi`` with ``paragraphs`` in 12 pt serif, black on white."""
    from PIL import Image, ImageDraw

    width, height = int(8.27 * dpi), int(11.69 * dpi)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    face = font(int(12 / 72 * dpi))
    margin = int(dpi)  # one inch
    line_height = int(12 / 72 * dpi * 1.5)
    y = margin
    for paragraph in paragraphs or SCAN_PARAGRAPHS:
        for line in textwrap.wrap(paragraph, 70):
            draw.text((margin, y), line, fill=0, font=face)
            y += line_height
        y += line_height
    return page


def scan_png(path: Path) -> Path:
    scan_image().save(path, dpi=(300, 300))
    return path


def scan_pdf(path: Path, pages: int = 1) -> Path:
    """A PDF of ``pages`` copies of the scanned page, images only (as a scanner makes it)."""
    image = scan_image()
    image.save(path, "PDF", resolution=300.0, save_all=True, append_images=[image] * (pages - 1))
    return path


TEXT_PAGE_LINES = [
    "Annex to the notice: list of the berths inspected in March 2021.",
    "Berth 6 was inspected twice; berths 2 and 9 once each.",
]


def text_pdf_page(lines: list[str]) -> bytes:
    """A one-page PDF whose text layer shows ``lines`` in Helvetica."""
    ops = ["BT", "/F1 12 Tf", "14 TL", "72 720 Td"]
    for line in lines:
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        ops += [f"({escaped}) Tj", "T*"]
    ops.append("ET")
    stream = "\n".join(ops).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def mixed_pdf(path: Path) -> Path:
    """Four pages: a typed page, a scan, the typed page again, the scan again."""
    import pypdf

    text = pypdf.PdfReader(io.BytesIO(text_pdf_page(TEXT_PAGE_LINES)))
    scanned = io.BytesIO()
    scan_image().save(scanned, "PDF", resolution=300.0)
    scan = pypdf.PdfReader(scanned)
    writer = pypdf.PdfWriter()
    for _ in range(2):
        writer.add_page(text.pages[0])
        writer.add_page(scan.pages[0])
    with path.open("wb") as fh:
        writer.write(fh)
    return path


def memo_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.core_properties.title = MEMO_TITLE
    document.core_properties.author = MEMO_AUTHOR
    document.core_properties.created = MEMO_CREATED.replace(tzinfo=None)
    document.add_heading(MEMO_HEADINGS[0], level=1)
    document.add_paragraph(MEMO_PARAGRAPHS[0])
    document.add_heading(MEMO_HEADINGS[1], level=2)
    document.add_paragraph(MEMO_PARAGRAPHS[1])
    document.add_heading(MEMO_HEADINGS[2], level=2)
    document.add_paragraph(MEMO_PARAGRAPHS[2])
    document.save(str(path))
    return path


def memo_odt(path: Path) -> Path:
    from odf import dc, meta
    from odf.opendocument import OpenDocumentText
    from odf.style import Style, TextProperties
    from odf.text import H, P

    document = OpenDocumentText()
    document.meta.addElement(dc.Title(text=MEMO_TITLE))
    document.meta.addElement(meta.InitialCreator(text=MEMO_AUTHOR))
    document.meta.addElement(dc.Creator(text=MEMO_AUTHOR))
    document.meta.addElement(meta.CreationDate(text=MEMO_CREATED.strftime("%Y-%m-%dT%H:%M:%S")))
    heading = Style(name="Heading 1", family="paragraph")
    heading.addElement(TextProperties(fontsize="16pt", fontweight="bold"))
    document.styles.addElement(heading)
    document.text.addElement(H(outlinelevel=1, stylename=heading, text=MEMO_HEADINGS[0]))
    document.text.addElement(P(text=MEMO_PARAGRAPHS[0]))
    document.text.addElement(H(outlinelevel=2, text=MEMO_HEADINGS[1]))
    document.text.addElement(P(text=MEMO_PARAGRAPHS[1]))
    document.text.addElement(H(outlinelevel=2, text=MEMO_HEADINGS[2]))
    document.text.addElement(P(text=MEMO_PARAGRAPHS[2]))
    document.save(str(path))
    return path


# -- e-mail ---------------------------------------------------------------------------------

PEOPLE = [
    ("Ingrid Sande", "ingrid.sande@port-elling.example"),
    ("Henrik Dahl", "henrik.dahl@port-elling.example"),
    ("Maria Olsen", "m.olsen@balticfreight.example"),
    ("Tomas Berg", "tomas.berg@harbour-news.example"),
]
THREAD_SUBJECT = "Copper wire found on the Northern Tern"
THREAD_BODIES = [
    "Henrik,\n\nThe inspectors found 40 tonnes of copper wire on the Northern Tern this "
    "morning. Can you hold the vessel at berth 6 until we know who loaded it?\n\nIngrid",
    "Ingrid,\n\nThe vessel stays at berth 6. Captain Olsen says the cargo was loaded in "
    "Rotterdam by a subcontractor.\n\nHenrik",
    "Henrik,\n\nThank you. I attach the inspection notice and my review memo. The fine will "
    "be 250,000 euros.\n\nIngrid",
]


def _address(person: tuple[str, str]) -> str:
    return f"{person[0]} <{person[1]}>"


def message(
    n: int,
    sender: tuple[str, str],
    to: tuple[str, str],
    subject: str,
    body: str,
    when: dt.datetime,
    *,
    reply_to: EmailMessage | None = None,
    attachments: list[tuple[str, str, str, bytes]] = (),  # type: ignore[assignment]
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = _address(sender)
    msg["To"] = _address(to)
    msg["Subject"] = subject
    msg["Date"] = format_datetime(when)
    msg["Message-ID"] = make_msgid(f"m{n}", "port-elling.example")
    if reply_to is not None:
        msg["In-Reply-To"] = reply_to["Message-ID"]
        refs = (reply_to.get("References", "") + " " + reply_to["Message-ID"]).strip()
        msg["References"] = refs
    msg.set_content(body)
    for filename, maintype, subtype, data in attachments:
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return msg


def mail_messages(folder: Path) -> list[EmailMessage]:
    """20 messages: a thread of three (the last with the scanned PDF and the Word memo
    attached) and 17 others, each with its own subject and text."""
    start = dt.datetime(2021, 3, 14, 9, 0, tzinfo=dt.UTC)
    pdf = scan_pdf(folder / "_notice.pdf").read_bytes()
    memo = memo_docx(folder / "_memo.docx").read_bytes()
    (folder / "_notice.pdf").unlink()
    (folder / "_memo.docx").unlink()
    first = message(1, PEOPLE[0], PEOPLE[1], THREAD_SUBJECT, THREAD_BODIES[0], start)
    second = message(
        2,
        PEOPLE[1],
        PEOPLE[0],
        "Re: " + THREAD_SUBJECT,
        THREAD_BODIES[1],
        start + dt.timedelta(hours=2),
        reply_to=first,
    )
    docx_type = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")
    third = message(
        3,
        PEOPLE[0],
        PEOPLE[1],
        "Re: " + THREAD_SUBJECT,
        THREAD_BODIES[2],
        start + dt.timedelta(days=26),
        reply_to=second,
        attachments=[
            ("notice.pdf", "application", "pdf", pdf),
            ("review.docx", *docx_type, memo),
        ],
    )
    messages = [first, second, third]
    places = ["Bergen", "Gdansk", "Riga", "Tallinn", "Kiel", "Aarhus", "Malmo", "Oslo", "Turku"]
    for i in range(17):
        n = i + 4
        place = places[i % len(places)]
        body = (
            f"Good afternoon,\n\nThe ferry schedule for {place} changes on {5 + i} May 2021. "
            f"Crossing number {100 + n} will leave at {7 + i % 10}:30 instead of the usual time."
            f"\n\nRegards,\n{PEOPLE[1 + i % 3][0]}"
        )
        messages.append(
            message(
                n,
                PEOPLE[1 + i % 3],
                PEOPLE[3],
                f"Schedule change {n} for {place}",
                body,
                start + dt.timedelta(days=30 + i),
            )
        )
    return messages


def mbox(path: Path) -> Path:
    import mailbox

    if path.exists():
        path.unlink()
    box = mailbox.mbox(str(path), create=True)
    try:
        for msg in mail_messages(path.parent):
            box.add(msg)
        box.flush()
    finally:
        box.close()
    return path


def single_eml(path: Path) -> Path:
    msg = message(
        99,
        PEOPLE[3],
        PEOPLE[0],
        "Question about the Northern Tern fine",
        "Dear Ms Sande,\n\nHarbour News would like to confirm that Baltic Freight Lines was "
        "fined 250,000 euros on 2 April 2021.\n\nTomas Berg",
        dt.datetime(2021, 4, 12, 15, 45, tzinfo=dt.UTC),
    )
    path.write_bytes(bytes(msg))
    return path


# -- saved web pages -------------------------------------------------------------------------

PAGE_TITLE = "Port Elling fines freight line over undeclared copper"
PAGE_PARAGRAPHS = [
    "The harbour authority of Port Elling fined Baltic Freight Lines 250,000 euros on Friday "
    "after inspectors found 40 tonnes of copper wire missing from a cargo manifest.",
    "The wire was discovered on 14 March aboard the Northern Tern, a cargo vessel registered "
    "in Malta, during a routine inspection at berth 6.",
    "Captain Maria Olsen told Harbour News that a subcontractor in Rotterdam had loaded the "
    "cargo without informing the crew.",
]


def page_html(resource_folder: str = "") -> str:
    img = f'<img src="{resource_folder}/photo.png" alt="">' if resource_folder else ""
    css = f'<link rel="stylesheet" href="{resource_folder}/style.css">' if resource_folder else ""
    paragraphs = "\n".join(f"<p>{p}</p>" for p in PAGE_PARAGRAPHS)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{PAGE_TITLE} | Harbour News</title>{css}"
        f'<meta property="og:title" content="{PAGE_TITLE}">'
        '<meta property="og:site_name" content="Harbour News">'
        '<meta property="article:published_time" content="2021-04-03T08:00:00Z">'
        '</head><body><nav><a href="/">Home</a> <a href="/ports">Ports</a></nav>'
        f"<article><h1>{PAGE_TITLE}</h1>{img}\n{paragraphs}</article>"
        "<footer>© 2021 Harbour News. All rights reserved.</footer></body></html>"
    )


def mhtml(path: Path) -> Path:
    """A page as browsers save it in one file: multipart/related, the HTML quoted-printable,
    an image in base64."""
    from email import charset
    from email.mime.image import MIMEImage
    from email.mime.multipart import MIMEMultipart
    from email.mime.nonmultipart import MIMENonMultipart

    root = MIMEMultipart("related", type="text/html")
    root["From"] = "<Saved by Blink>"
    root["Snapshot-Content-Location"] = "https://harbour-news.example/ports/copper-fine"
    root["Subject"] = PAGE_TITLE
    root["Date"] = "Sat, 3 Apr 2021 10:15:00 -0000"
    html = MIMENonMultipart("text", "html")
    qp = charset.Charset("utf-8")
    qp.body_encoding = charset.QP
    html.set_payload(page_html("https://harbour-news.example/static"), qp)
    html["Content-Location"] = "https://harbour-news.example/ports/copper-fine"
    root.attach(html)
    image = MIMEImage(_tiny_png(), "png")
    image["Content-Location"] = "https://harbour-news.example/static/photo.png"
    root.attach(image)
    path.write_bytes(root.as_bytes())
    return path


def saved_page(folder: Path, stem: str = "saved") -> Path:
    """``stem.html`` and ``stem_files/`` (a picture, a style sheet and a script)."""
    resources = folder / f"{stem}_files"
    resources.mkdir(parents=True, exist_ok=True)
    (resources / "photo.png").write_bytes(_tiny_png())
    (resources / "style.css").write_text("body { font-family: serif; }\n")
    (resources / "analytics.js").write_text("var tracked = true;\n")
    (resources / "frame.html").write_text("<html><body><p>An advertising frame.</p></body></html>")
    page = folder / f"{stem}.html"
    page.write_text(page_html(f"{stem}_files"), encoding="utf-8")
    return page


def _tiny_png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def make_all(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return {
        "png": scan_png(folder / "scan.png"),
        "pdf": scan_pdf(folder / "scan.pdf"),
        "docx": memo_docx(folder / "memo.docx"),
        "odt": memo_odt(folder / "memo.odt"),
        "mbox": mbox(folder / "archive.mbox"),
        "eml": single_eml(folder / "single.eml"),
        "mhtml": mhtml(folder / "page.mhtml"),
        "html": saved_page(folder),
    }


if __name__ == "__main__":
    for kind, made in make_all(Path(sys.argv[1] if len(sys.argv) > 1 else ".")).items():
        print(f"{kind}: {made}")
