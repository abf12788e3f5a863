"""Reading what owners already have: FAQ spreadsheets (CSV) and procedures (PDF, Word, Markdown, text).

Why these choices: pdfplumber reads the text layer of PDFs exported by office suites (a scanned PDF has none:
it must go through the OCR of the Documents module first, and we say so); python-docx keeps Word's heading
styles, which become the section titles of the passages; Markdown is rendered by the `markdown` package so
that emphasis, links and lists come out as plain text, with headings kept for the chunker. CSV files from a
French spreadsheet are often ";"-separated and Windows-1252-encoded: both are detected.
"""

from __future__ import annotations

import csv
import io
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import PurePath

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
MAX_CSV_ROWS = 5000
DOCUMENT_EXTENSIONS = {".pdf": "pdf", ".docx": "docx", ".md": "md", ".markdown": "md", ".txt": "txt"}


class ImportFailed(ValueError):
    """A file that cannot be imported; the message is French and names what to fix."""


# --- Documents ------------------------------------------------------------------------------------------------


def document_format(filename: str) -> str:
    suffix = PurePath(filename or "").suffix.lower()
    if suffix not in DOCUMENT_EXTENSIONS:
        raise ImportFailed(
            f"Format non pris en charge : « {suffix or filename} ». Formats acceptés : PDF, Word (.docx), "
            "Markdown (.md) et texte (.txt)."
        )
    return DOCUMENT_EXTENSIONS[suffix]


def extract_text(data: bytes, file_format: str) -> str:
    """Plain text with Markdown-style headings ("# Titre") that `chunk_document` understands."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ImportFailed("Fichier trop volumineux : 10 Mo au plus.")
    if not data.strip():
        raise ImportFailed("Le fichier est vide.")
    try:
        if file_format == "pdf":
            text = _pdf_text(data)
        elif file_format == "docx":
            text = _docx_text(data)
        elif file_format == "md":
            text = markdown_text(_decode(data))
        else:
            text = _decode(data)
    except ImportFailed:
        raise
    except Exception as exc:  # a corrupt file: say it plainly rather than a traceback
        raise ImportFailed(f"Fichier illisible ({exc.__class__.__name__}) : vérifiez qu'il n'est pas endommagé.") from exc
    text = text.replace("\x00", "").strip()
    if len(re.sub(r"\W", "", text)) < 20:
        if file_format == "pdf":
            raise ImportFailed(
                "Aucun texte lisible dans ce PDF : c'est probablement une image scannée. Passez-le d'abord par la "
                "reconnaissance de texte (module Documents), puis importez le PDF obtenu."
            )
        raise ImportFailed("Le document ne contient presque pas de texte.")
    return text


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _pdf_text(data: bytes) -> str:
    import pdfplumber

    pages = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            pages.append(page.extract_text() or "")
    return "\n\n".join(pages)


def _docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    lines: list[str] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = docx.text.paragraph.Paragraph(block, document)
            text = paragraph.text.strip()
            if not text:
                lines.append("")
                continue
            style = (paragraph.style.name if paragraph.style is not None else "") or ""
            level = re.search(r"(?:Heading|Titre)\s*(\d)", style)
            if level:
                lines.extend(["", "#" * int(level.group(1)) + " " + text, ""])
            elif style.lower().startswith(("title", "titre")):
                lines.extend(["", "# " + text, ""])
            elif "list" in style.lower() or "liste" in style.lower():
                lines.append("- " + text)
            else:
                lines.extend([text, ""])
        elif tag == "tbl":
            table = docx.table.Table(block, document)
            for row in table.rows:
                cells = [cell.text.strip() for cell in row.cells]
                if any(cells):
                    lines.append("- " + " | ".join(cells))
            lines.append("")
    return "\n".join(lines)


class _MarkdownTextParser(HTMLParser):
    """Rendered Markdown (HTML) back to text: headings as "# …", list items as "- …", paragraphs apart."""

    BLOCKS = {"p", "div", "blockquote", "pre", "table", "tr", "ul", "ol"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.prefix = ""

    def _flush(self) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.lines.append(self.prefix + text)
        self.current, self.prefix = [], ""

    def handle_starttag(self, tag, attrs):
        if re.fullmatch(r"h[1-6]", tag):
            self._flush()
            self.lines.append("")
            self.prefix = "#" * int(tag[1]) + " "
        elif tag == "li":
            self._flush()
            self.prefix = "- "
        elif tag in self.BLOCKS:
            self._flush()
        elif tag == "br":
            self.current.append(" ")

    def handle_endtag(self, tag):
        if re.fullmatch(r"h[1-6]", tag) or tag == "li" or tag in self.BLOCKS:
            self._flush()
            if tag not in ("li",):
                self.lines.append("")

    def handle_data(self, data):
        self.current.append(data)

    def text(self) -> str:
        self._flush()
        return re.sub(r"\n{3,}", "\n\n", "\n".join(self.lines)).strip()


def markdown_text(source: str) -> str:
    import markdown

    parser = _MarkdownTextParser()
    parser.feed(markdown.markdown(source, extensions=["tables", "sane_lists"]))
    return parser.text()


# --- FAQ spreadsheets -----------------------------------------------------------------------------------------


@dataclass
class ParsedEntry:
    title: str
    questions: list[str]
    answer: str


@dataclass
class ParsedFaq:
    entries: list[ParsedEntry] = field(default_factory=list)
    rows: int = 0
    layout: str = ""


def _read_csv(data: bytes, what: str) -> list[dict[str, str]]:
    text = _decode(data)
    if not text.strip():
        raise ImportFailed(f"Le fichier {what} est vide.")
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    if not reader.fieldnames:
        raise ImportFailed(f"Le fichier {what} n'a pas de ligne d'en-tête.")
    reader.fieldnames = [_column(name) for name in reader.fieldnames]
    rows = []
    for number, row in enumerate(reader, start=2):
        if number - 1 > MAX_CSV_ROWS:
            raise ImportFailed(f"Le fichier {what} dépasse {MAX_CSV_ROWS} lignes : découpez-le.")
        rows.append({k: (v or "").strip() for k, v in row.items() if k})
    return rows


def _column(name: str | None) -> str:
    folded = (name or "").strip().lower().replace("é", "e").replace("è", "e")
    return {"reponse": "answer", "réponse": "answer", "intention": "intent", "enonce": "utterance",
            "titre": "title"}.get(folded, folded)


def parse_faq_csv(data: bytes, answers: bytes | None = None) -> ParsedFaq:
    """`question,answer` (rows sharing an answer become one entry with several variants), or `utterance,intent`
    with an answers file `intent,answer[,title]` (one entry per intent)."""
    rows = _read_csv(data, "des questions")
    columns = set(rows[0]) if rows else set()
    if {"question", "answer"} <= columns:
        grouped: OrderedDict[str, list[str]] = OrderedDict()
        for number, row in enumerate(rows, start=2):
            question, answer = row.get("question", ""), row.get("answer", "")
            if not question and not answer:
                continue
            if not question or not answer:
                raise ImportFailed(f"Ligne {number} : il faut une question et une réponse.")
            grouped.setdefault(answer, [])
            if question not in grouped[answer]:
                grouped[answer].append(question)
        entries = [ParsedEntry(_title(questions[0]), questions, answer) for answer, questions in grouped.items()]
        return ParsedFaq(entries, len(rows), "question,answer")
    if {"utterance", "intent"} <= columns:
        if answers is None:
            raise ImportFailed(
                "Fichier « utterance,intent » : donnez aussi le fichier des réponses (colonnes intent,answer)."
            )
        answer_rows = _read_csv(answers, "des réponses")
        if answer_rows and not {"intent", "answer"} <= set(answer_rows[0]):
            raise ImportFailed("Le fichier des réponses doit avoir les colonnes « intent » et « answer ».")
        by_intent = {r["intent"]: r for r in answer_rows if r.get("intent")}
        grouped = OrderedDict()
        for number, row in enumerate(rows, start=2):
            utterance, intent = row.get("utterance", ""), row.get("intent", "")
            if not utterance and not intent:
                continue
            if not utterance or not intent:
                raise ImportFailed(f"Ligne {number} : il faut un énoncé (utterance) et une intention (intent).")
            grouped.setdefault(intent, [])
            if utterance not in grouped[intent]:
                grouped[intent].append(utterance)
        missing = [intent for intent in grouped if not by_intent.get(intent, {}).get("answer")]
        if missing:
            shown = ", ".join(f"« {m} »" for m in missing[:5]) + (" …" if len(missing) > 5 else "")
            raise ImportFailed(f"Pas de réponse pour {len(missing)} intention(s) : {shown}. Rien n'a été importé.")
        entries = [
            ParsedEntry(by_intent[intent].get("title") or _title(intent.replace("-", " ").strip()),
                        utterances, by_intent[intent]["answer"])
            for intent, utterances in grouped.items()
        ]
        return ParsedFaq(entries, len(rows), "utterance,intent")
    found = ", ".join(sorted(columns)) or "aucune"
    raise ImportFailed(
        f"Colonnes attendues : « question,answer » ou « utterance,intent » (trouvées : {found})."
    )


def _title(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 120 else text[:119].rstrip() + "…"
