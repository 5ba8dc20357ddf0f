"""Reading delimited text files the way a spreadsheet user expects them to be read.

Rules (docs/metrics.md, "Input files"):
- Encoding: a byte-order mark decides (UTF-8, UTF-16 LE/BE: Excel's "Unicode Text"); without one
  the file is UTF-8 if every byte sequence is valid UTF-8, else Windows-1252 (Excel's "CSV" on
  Windows), with a warning naming the encoding and the first row that needed it. A file mixing
  valid UTF-8 with other bytes is refused naming the row: either reading would garble some names.
- Delimiter: `,` `;` tab or `|`, whichever splits the header into the most column names the
  import knows; csv.Sniffer decides among them only when no candidate finds a known name.
- All-blank rows (also rows of bare delimiters) are skipped with a warning naming them.
- Rows shorter than the header are padded with empty cells (Excel leaves out trailing empty cells).
- Rows longer than the header: extra cells that are all empty are dropped (trailing delimiters);
  otherwise the row is refused naming its line, the counts found and expected and the likely cause.

The fast path stays DuckDB's: a UTF-8 file whose header is on line 1 is read by `read_csv` itself.
Only a file that DuckDB cannot read strictly (or that holds blank rows) is read here, with Python's
csv module, and rewritten as a clean UTF-8 file whose first column is each row's line in the
original, so that messages name the user's lines (skipped rows never shift them).

Encoding detection is not delegated to charset-normalizer: on these short files its guess is
unstable (cp1250 for a Windows-1252 `Renée`, cp775 or UTF-16-BE for one line with `é` or `–`),
whereas the byte-order mark and a strict UTF-8 decode are certain, and Windows-1252 is what
Excel writes otherwise.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import dataclasses
import io
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from warehouse.errors import MAX_SHOWN, Problem

DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "utf-16": "UTF-16",
    "utf-32": "UTF-32",
    "cp1252": "Windows-1252",
}
HEAD_BYTES = 1 << 16  # enough for the header and the lines that confirm the delimiter
CHUNK_BYTES = 1 << 22
LINE_COLUMN = "source_line"  # first column of a rewritten file: the row's line in the original

# Byte-order marks, longest first (UTF-32-LE's mark begins with UTF-16-LE's).
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# A UTF-8 multi-byte character: its presence beside invalid bytes means the file mixes encodings.
UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


@dataclasses.dataclass(frozen=True)
class Layout:
    """How a delimited file is written, from its first bytes."""

    encoding: str  # Python codec: utf-8, utf-8-sig, utf-16, utf-32 (by mark) or cp1252 (head not UTF-8)
    delimiter: str
    header: list[str]  # the header's cells as written
    header_line: int  # 1 unless blank rows precede the header

    @property
    def direct(self) -> bool:
        """DuckDB's read_csv can read the file as it is (it reads UTF-8, with or without the mark)."""
        return self.encoding in ("utf-8", "utf-8-sig") and self.header_line == 1


@dataclasses.dataclass(frozen=True)
class Rewritten:
    """A file read here: a clean UTF-8 copy (None when refused), what was wrong, what was fixed."""

    path: Path | None
    header: list[str]  # the copy's columns after LINE_COLUMN
    errors: list[Problem]
    warnings: list[Problem]


def sniff(path: Path, score: Callable[[list[str]], int]) -> tuple[Layout | None, list[Problem]]:
    """Encoding, delimiter and header of a delimited file from its first 64 KiB.

    `score(header)` counts the header's known column names; the delimiter giving the highest
    score wins. Returns (Layout, []) or (None, problems naming the file).
    """
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    whole = len(head) < HEAD_BYTES
    encoding = _encoding_by_mark(head)
    if encoding is None and b"\x00" in head:
        return None, [
            Problem(
                path.name,
                None,
                None,
                None,
                "unreadable file: it holds NUL bytes, so it is not text (or it is UTF-16 without "
                'its byte-order mark); save it as "CSV UTF-8 (Comma delimited)"',
            )
        ]
    if encoding is None:
        encoding = "utf-8" if _decodes(head, "utf-8", whole) else "cp1252"
    elif not _decodes(head, encoding, whole):
        return None, [
            Problem(
                path.name,
                None,
                None,
                None,
                f"unreadable file: not valid {ENCODING_NAMES[encoding]} text although it starts "
                f"with the {ENCODING_NAMES[encoding]} byte-order mark",
            )
        ]
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(head, final=whole)
    if not whole and "\n" in text:
        text = text[: text.rindex("\n") + 1]  # whole lines only
    delimiter = _delimiter(text, score)
    found = _first_record(text, delimiter)
    if found is None:
        return None, [Problem(path.name, None, None, None, "file is empty (no header)")]
    header_line, header = found
    return Layout(encoding, delimiter, header, header_line), []


def _encoding_by_mark(head: bytes) -> str | None:
    for mark, encoding in BOMS:
        if head.startswith(mark):
            return encoding
    return None


def _decodes(head: bytes, encoding: str, final: bool) -> bool:
    try:
        codecs.getincrementaldecoder(encoding)().decode(head, final=final)
    except UnicodeDecodeError:
        return False
    return True


def _delimiter(text: str, score: Callable[[list[str]], int]) -> str:
    """The candidate splitting the header into the most known names; ties go to the one splitting
    it into more cells; csv.Sniffer (stdlib) decides when no candidate finds a known name."""
    ranked = []
    for delimiter in DELIMITERS:
        found = _first_record(text, delimiter)
        header = found[1] if found else []
        ranked.append((score(header), len(header), delimiter))
    best = max(ranked, key=lambda r: r[:2])
    if best[0] > 0:
        return best[2]
    try:
        return csv.Sniffer().sniff(text, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        return ","


def _first_record(text: str, delimiter: str) -> tuple[int, list[str]] | None:
    """(line, cells) of the first record with a non-blank cell, or None."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 1
    try:
        for record in reader:
            if not _blank(record):
                return line, record
            line = reader.line_num + 1
    except csv.Error:
        return None
    return None


def _blank(record: list[str]) -> bool:
    return not "".join(record).strip()


@contextlib.contextmanager
def rewritten(path: Path, layout: Layout, kinds: list[str]) -> Iterator[Rewritten]:
    """Read the whole file by the rules above into a temporary clean UTF-8 copy (removed on exit).

    `kinds` gives each header column's value kind (COLUMNS in sources.py; "text" when unknown):
    it lets a message on a too-long row name the text that probably holds the stray delimiter.
    """
    encoding, errors, warnings = _encoding_of_file(path, layout)
    if errors:
        yield Rewritten(None, layout.header, errors, warnings)
        return
    handle, name = tempfile.mkstemp(prefix="hkdash-", suffix=".csv")
    os.close(handle)
    copy = Path(name)
    try:
        header, rows_errors, rows_warnings = _copy_rows(path, encoding, layout, kinds, copy)
        errors += rows_errors
        warnings += rows_warnings
        yield Rewritten(None if errors else copy, header, errors, warnings)
    finally:
        copy.unlink(missing_ok=True)


def _encoding_of_file(path: Path, layout: Layout) -> tuple[str, list[Problem], list[Problem]]:
    """The codec to read the whole file with: the mark's, else UTF-8 if it all decodes, else
    Windows-1252 (warned). Returns (codec, errors, warnings)."""
    name, encoding = path.name, layout.encoding
    bad = _first_undecodable(path, "utf-8" if encoding == "cp1252" else encoding)
    if bad is None:
        return ("utf-8" if encoding == "cp1252" else encoding), [], []
    if encoding not in ("utf-8", "cp1252"):
        line, _ = _line_at(path, bad, encoding)
        return (
            encoding,
            [
                Problem(
                    name,
                    line,
                    None,
                    None,
                    f"unreadable file: not valid {ENCODING_NAMES[encoding]} text although the file "
                    f"starts with the {ENCODING_NAMES[encoding]} mark; save it again as "
                    '"CSV UTF-8 (Comma delimited)"',
                )
            ],
            [],
        )
    line, text = _line_at(path, bad, "cp1252")
    column, value = _cell_with_non_ascii(text, layout)
    utf8_line = _first_utf8_sequence_line(path)
    if utf8_line is not None:
        return (
            encoding,
            [
                Problem(
                    name,
                    line,
                    column,
                    value,
                    f"the file mixes encodings: this row is not UTF-8 but row {utf8_line} is, so "
                    "some names would be garbled either way; save the file again as "
                    '"CSV UTF-8 (Comma delimited)"',
                )
            ],
            [],
        )
    undefined = _first_undecodable(path, "cp1252")
    if undefined is not None:
        line, text = _line_at(path, undefined, "cp1252")
        return (
            encoding,
            [
                Problem(
                    name,
                    line,
                    None,
                    _excerpt(text),
                    f"unreadable file: byte 0x{_byte_at(path, undefined):02X} is neither UTF-8 nor "
                    'Windows-1252 text; save the file again as "CSV UTF-8 (Comma delimited)"',
                )
            ],
            [],
        )
    return (
        "cp1252",
        [],
        [
            Problem(
                name,
                line,
                column,
                value,
                'not UTF-8, read as Windows-1252 (Excel\'s "CSV" on Windows); this is the first '
                "value that needed it: check that names read right, or save the file as "
                '"CSV UTF-8 (Comma delimited)"',
            )
        ],
    )


def _cell_with_non_ascii(line: str, layout: Layout) -> tuple[str | None, str]:
    """(column, cell) of the first cell of `line` holding a non-ASCII character; (None, line) if the
    line does not split into cells."""
    try:
        cells = next(csv.reader([line], delimiter=layout.delimiter))
    except (csv.Error, StopIteration):
        return None, _excerpt(line)
    for position, cell in enumerate(cells):
        if not cell.isascii():
            column = layout.header[position].strip() if position < len(layout.header) else None
            return column or None, _excerpt(cell)
    return None, _excerpt(line)


def _first_undecodable(path: Path, encoding: str) -> int | None:
    """Byte offset of the first byte that `encoding` cannot decode, or None."""
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = 0
    with path.open("rb") as handle:
        while True:
            chunk = handle.read(CHUNK_BYTES)
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:
                return max(offset + exc.start, 0)
            if not chunk:
                return None
            offset += len(chunk)


def _line_at(path: Path, offset: int, encoding: str) -> tuple[int, str]:
    """(line number, text of that line) of the byte at `offset`."""
    with path.open("rb") as handle:
        before = handle.read(offset)
        rest = handle.readline()
    text = (before + rest).decode(encoding, errors="replace")
    lines = text.split("\n")
    return len(lines) - (1 if text.endswith("\n") else 0), lines[-2 if text.endswith("\n") else -1].rstrip("\r")


def _byte_at(path: Path, offset: int) -> int:
    with path.open("rb") as handle:
        handle.seek(offset)
        return handle.read(1)[0]


def _first_utf8_sequence_line(path: Path) -> int | None:
    """Line of the first valid UTF-8 multi-byte character, or None."""
    lines = 0
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK_BYTES), b""):
            # Lines are whole chunks' worth of bytes up to the last newline, so no sequence is cut.
            chunk += handle.readline()
            found = UTF8_SEQUENCE.search(chunk)
            if found is not None:
                return lines + chunk.count(b"\n", 0, found.start()) + 1
            lines += chunk.count(b"\n")
    return None


def _excerpt(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _copy_rows(source: Path, encoding: str, layout: Layout, kinds: list[str], copy: Path):
    """Copy the records of `source` into `copy` (line number first), skipping blank rows, padding
    short ones, refusing long ones. Returns (header written, errors, warnings)."""
    name = source.name
    width = len(layout.header)
    while width > 1 and not layout.header[width - 1].strip():
        width -= 1  # empty header cells at the end: trailing delimiters, not columns
    header = layout.header[:width]
    blank: list[int] = []
    short: list[int] = []
    long_rows: list[Problem] = []
    long_count = 0
    with source.open("r", encoding=encoding, newline="") as text, copy.open("w", encoding="utf-8", newline="") as out:
        reader = csv.reader(text, delimiter=layout.delimiter, strict=True)
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([LINE_COLUMN, *header])
        line = 1
        try:
            for record in reader:
                start, line = line, reader.line_num + 1
                if start <= layout.header_line:
                    if start < layout.header_line:
                        blank.append(start)
                    continue
                if _blank(record):
                    blank.append(start)
                    continue
                if len(record) > width:
                    extra = record[width:]
                    if any(cell.strip() for cell in extra):
                        long_count += 1
                        if len(long_rows) < MAX_SHOWN:
                            long_rows.append(_too_long(name, start, record, header, kinds, layout.delimiter))
                        continue
                    record = record[:width]
                elif len(record) < width:
                    short.append(start)
                    record = record + [""] * (width - len(record))
                writer.writerow([start, *record])
        except csv.Error as exc:
            return header, [_unparsable(name, line, str(exc))], []
    errors = long_rows
    if long_count > len(long_rows):
        errors.append(
            Problem(name, None, None, None, f"{long_count - len(long_rows)} more rows have more cells than the header")
        )
    warnings = []
    if blank:
        warnings.append(
            Problem(name, None, None, None, f"blank rows (no value in any cell) skipped: {_rows_text(blank)}")
        )
    if short:
        warnings.append(
            Problem(
                name,
                None,
                None,
                None,
                f"rows with fewer cells than the header ({width}), the missing trailing cells "
                f"read as empty: {_rows_text(short)}",
            )
        )
    return header, errors, warnings


def _unparsable(name: str, line: int, reason: str) -> Problem:
    if "end of data" in reason or "field limit" in reason:
        reason = (
            'a double quote (") opened on this row is never closed, so the rest of the file would '
            "be one cell; close the quote or remove it"
        )
    elif "expected after" in reason:
        reason = (
            "a quoted cell is followed by more text before the next delimiter; put the whole cell "
            'in double quotes, writing a quote inside it as two ("")'
        )
    return Problem(name, line, None, None, f"unreadable row: {reason}")


def _too_long(name: str, line: int, record: list[str], header: list[str], kinds: list[str], delimiter: str) -> Problem:
    """A row with more cells than the header, with the text the stray delimiter most likely sits in."""
    extra = len(record) - len(header)
    shown = "a tab" if delimiter == "\t" else f"'{delimiter}'"
    found = f"{len(record)} cells where the header has {len(header)}"
    position = _likely_split_text(record, header, kinds, delimiter)
    if position is None:
        return Problem(
            name,
            line,
            None,
            None,
            f"{found}: probably an unquoted {shown} inside a text; put texts containing {shown} in double quotes",
        )
    merged = delimiter.join(record[position : position + extra + 1])
    return Problem(
        name,
        line,
        header[position],
        _excerpt(merged),
        f"{found}: probably an unquoted {shown} inside this text; put it in double quotes or remove the {shown}",
    )


def _likely_split_text(record: list[str], header: list[str], kinds: list[str], delimiter: str) -> int | None:
    """The first text column such that joining its cell with the extra cells after it leaves every
    number and date column looking like a number or date; None if none or several fit."""
    extra = len(record) - len(header)
    fits = []
    for position, kind in enumerate(kinds[: len(header)]):
        if kind not in ("text", "key"):
            continue
        joined = (
            record[:position]
            + [delimiter.join(record[position : position + extra + 1])]
            + record[position + extra + 1 :]
        )
        if all(_looks_like(kind_, cell) for kind_, cell in zip(kinds, joined)):
            fits.append(position)
    return fits[0] if len(fits) == 1 else None


def _looks_like(kind: str, cell: str) -> bool:
    """Loosely: numbers and dates hold a digit and few letters (₹, Rs, K, M, Cr, N/A pass)."""
    cell = cell.strip()
    if kind not in ("count", "money", "date") or not cell:
        return True
    letters = sum(ch.isalpha() for ch in cell)
    return (
        any(ch.isdigit() for ch in cell)
        and letters <= (4 if kind != "date" else 9)
        or cell.lower() in ("n/a", "na", "-", "—", "nan", "none", "null")
    )


def _rows_text(lines: list[int]) -> str:
    """'row 7' / 'rows 6–7, 12', at most ten ranges then how many more."""
    ranges: list[list[int]] = []
    for line in lines:
        if ranges and line == ranges[-1][1] + 1:
            ranges[-1][1] = line
        else:
            ranges.append([line, line])
    parts = [f"{a:,}" if a == b else f"{a:,}–{b:,}" for a, b in ranges[:10]]
    more = f" and {sum(b - a + 1 for a, b in ranges[10:]):,} more" if len(ranges) > 10 else ""
    return f"row {parts[0]}" if len(lines) == 1 else f"rows {', '.join(parts)}{more}"
