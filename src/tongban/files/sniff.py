"""Real file types from magic bytes. Zip containers (OFD, docx, xlsx) are told apart by their member names,
read from the central directory only: nothing is decompressed, so a zip bomb costs nothing here."""

from __future__ import annotations

import zipfile
from pathlib import Path

MIME = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "ofd": "application/ofd",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
EXTENSIONS = {"pdf": "pdf", "png": "png", "jpg": "jpeg", "jpeg": "jpeg", "ofd": "ofd", "docx": "docx",
              "xlsx": "xlsx"}
HEAD_BYTES = 16
_ZIP_MARKERS = (("OFD.xml", "ofd"), ("word/document.xml", "docx"), ("xl/workbook.xml", "xlsx"))


def kind_of_extension(ext: str) -> str | None:
    """``.JPG`` → ``jpeg``; None for anything we do not accept at all."""
    return EXTENSIONS.get(ext.lower().lstrip("."))


def _zip_kind(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError):
        return None
    return next((kind for marker, kind in _ZIP_MARKERS if marker in names), None)


def sniff(head: bytes, path: Path) -> str | None:
    """The kind the content really is, or None when it is none of the accepted kinds."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(path)
    return None
