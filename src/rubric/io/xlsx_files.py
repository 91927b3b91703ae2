"""Writing XLSX workbooks safely and reproducibly (shared by batch output and reports).

- ``text_cell`` / ``set_cell``: text is always written as a text cell, never as a formula
  (openpyxl reads a string starting with ``=`` as one), and characters XLSX cannot hold
  (control characters) are written as visible ``\\xNN`` escapes instead of failing;
  numbers stay numbers.
- ``save_workbook``: the same workbook gives the same bytes on every run: the
  document's created/modified times are fixed (``FIXED_TIME``) and the zip entries are
  rewritten with a fixed date and permissions, in the order openpyxl wrote them.
- ``open_workbook``: an XLSX input, read-only; a file that is not a workbook, is
  truncated or damaged (zip garbage, a corrupt deflate stream, bad XML), or whose parts
  add up to more than ``MAX_XLSX_BYTES`` uncompressed, is a FileError naming it
  (``broken``), never an exception of the zip or XML layer. ``BROKEN`` lists what those
  layers raise, for readers that meet the damage only while streaming rows.
"""

from __future__ import annotations

import datetime as _dt
import io
import os
import re
import zipfile
import zlib
from typing import Any

from ..errors import FileError, RubricError
from ..text import escaped

__all__ = ["BROKEN", "FIXED_TIME", "MAX_XLSX_BYTES", "broken", "damage", "open_workbook",
           "save_workbook", "set_cell", "text_cell", "xlsx_text"]

#: the most bytes an XLSX input's parts may add up to uncompressed (a workbook of 100 000
#: rows is about 50 MB): a zip bomb is refused before it is inflated
MAX_XLSX_BYTES = 256 * 1024 * 1024
#: what the zip, deflate and XML layers (and openpyxl reading what they give) raise on a
#: damaged file; ``RubricError`` is never among them (``open_workbook`` re-raises it)
BROKEN: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile, zlib.error, SyntaxError, LookupError, ValueError, TypeError,
    AttributeError, EOFError, OSError, NotImplementedError)

#: the created/modified time written into every workbook (the zip format's first date)
FIXED_TIME = _dt.datetime(1980, 1, 1)
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
# what openpyxl refuses in a cell (openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE), and lone
# surrogates, which cannot be encoded at all
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
_CORE_TIMES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def xlsx_text(text: str) -> str:
    """``text`` with the characters an XLSX cell cannot hold written as escapes."""
    return escaped(text, _ILLEGAL)


def text_cell(ws: Any, value: Any) -> Any:
    """``value`` for a write-only sheet's ``append``: a string becomes a text cell (never
    a formula); anything else is returned unchanged."""
    if not isinstance(value, str):
        return value
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=xlsx_text(value))
    cell.data_type = "s"
    return cell


def set_cell(ws: Any, row: int, column: int, value: Any) -> Any:
    """Set a cell of a normal sheet to ``value`` (a string as text, never a formula) and
    return the cell."""
    cell = ws.cell(row, column)
    if isinstance(value, str):
        cell.value = xlsx_text(value)
        cell.data_type = "s"
    else:
        cell.value = value
    return cell


def save_workbook(wb: Any, path: str | os.PathLike[str]) -> None:
    """Save ``wb`` to ``path`` so identical workbooks are identical bytes."""
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME  # openpyxl sets "now" on save: fixed below
    raw = io.BytesIO()
    wb.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "docProps/core.xml":
                data = _CORE_TIMES.sub(rb"\g<1>1980-01-01T00:00:00Z\g<2>", data)
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, data)
    with open(path, "wb") as fh:
        fh.write(out.getvalue())


#: what of a number format is no format code: quoted text, an escaped character, a
#: [colour], [condition] or [$locale] part
_FORMAT_LITERAL = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def percent_format(number_format: str) -> tuple[bool, bool]:
    """(scaled, shown): whether a number format multiplies by 100 (a ``%`` format code:
    ``0%``, ``0.0%;[Red]-0.0%``) and whether it shows a ``%`` at all (also a literal one,
    ``0.0"%"`` or ``0.0\\%``, which shows 10.3 as 10.3% without scaling it)."""
    if "%" not in number_format:
        return False, False
    return "%" in _FORMAT_LITERAL.sub("", number_format), True


def damage(exc: BaseException) -> str:
    """What ``exc`` (one of ``BROKEN``) says about the damage, cut short."""
    why = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return why if len(why) <= 120 else why[:100] + f"... ({len(why)} characters)"


def broken(name: str, exc: BaseException) -> FileError:
    """The FileError for XLSX input ``name`` that could not be read (``exc`` says why)."""
    return FileError(f"not an XLSX file, or a damaged or truncated one ({damage(exc)})",
                     file=name, expected="a workbook saved by Excel or LibreOffice as .xlsx",
                     example="units.xlsx")


def open_workbook(name: str, *, data_only: bool) -> Any:
    """``name`` as a read-only openpyxl workbook (``data_only``: cached values instead of
    formulas); FileError (``broken``) when it is not one or is too large inflated."""
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with zipfile.ZipFile(name) as archive:
            size = sum(info.file_size for info in archive.infolist())
        if size > MAX_XLSX_BYTES:
            raise FileError(f"XLSX file is too large uncompressed ({size} bytes, at most "
                            f"{MAX_XLSX_BYTES})", file=name,
                            expected="a smaller workbook, or the rows as CSV")
        return openpyxl.load_workbook(name, read_only=True, data_only=data_only)
    except RubricError:
        raise
    except BROKEN as exc:
        raise broken(name, exc) from None
    except InvalidFileException as exc:
        raise broken(name, exc) from None
