"""Storing uploaded materials safely: size checked while streaming, type sniffed from the content, name
sanitised, bytes written atomically with mode 0600 under ``MEDIA_ROOT/yyyy/mm/<uuid>``."""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
import uuid
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tongban.core.errors import ValidationFailed
from tongban.files.models import StoredFile
from tongban.files.scanning import NoScanner, Scanner
from tongban.files.sniff import HEAD_BYTES, MIME, kind_of_extension, sniff

CHUNK = 64 * 1024
NAME_MAX = 200
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT).resolve()


def sanitize_name(name: str) -> str:
    """A display name that cannot act as a path: last component only, no control or reserved characters."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    name = _UNSAFE.sub("_", name).strip().lstrip(".").strip()
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    if len(name) > NAME_MAX:
        stem = stem[: NAME_MAX - len(ext) - 1]
        name = f"{stem}.{ext}" if ext else stem
    return name or "file"


def _allowed_kinds(allowed: list[str]) -> set[str]:
    return {kind for a in allowed if (kind := kind_of_extension(a))}


def _not_allowed(allowed: list[str]) -> ValidationFailed:
    listed = "、".join(a.lower().lstrip(".") for a in allowed) or "-"
    return ValidationFailed(_("不支持的文件类型，仅允许：%(types)s") % {"types": listed}, code="file_type_not_allowed")


def _too_large(max_bytes: int) -> ValidationFailed:
    size = (f"{max_bytes / 1024 / 1024:.1f} MB" if max_bytes >= 1024 * 1024
            else _("%(bytes)s 字节") % {"bytes": max_bytes})
    return ValidationFailed(_("文件过大，最大允许 %(size)s") % {"size": size}, code="file_too_large")


def _claimed_kind(name: str, allowed: list[str]) -> str:
    """The kind the extension claims; refused unless the caller allows it."""
    ext = name.rpartition(".")[2] if "." in name else ""
    kind = kind_of_extension(ext)
    if kind is None or kind not in _allowed_kinds(allowed):
        raise _not_allowed(allowed)
    return kind


def _stream_to(upload: UploadedFile, fd: int, max_bytes: int) -> tuple[int, str, bytes]:
    """Write chunk by chunk, stopping at the first byte over the limit; returns (size, sha256, head)."""
    digest, size, head = hashlib.sha256(), 0, b""
    with os.fdopen(fd, "wb") as out:
        for chunk in upload.chunks(CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise _too_large(max_bytes)
            if len(head) < HEAD_BYTES:
                head += chunk[: HEAD_BYTES - len(head)]
            digest.update(chunk)
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    return size, digest.hexdigest(), head


def _check_content(tmp: Path, size: int, head: bytes, claimed: str) -> None:
    if size == 0:
        raise ValidationFailed(_("文件为空"), code="file_empty")
    if sniff(head, tmp) != claimed:
        raise ValidationFailed(_("文件内容与扩展名不符，请上传真实的 %(type)s 文件") % {"type": claimed},
                               code="file_type_mismatch")


def _target(file_id: uuid.UUID) -> tuple[str, Path]:
    now = timezone.localtime()
    rel = f"{now:%Y}/{now:%m}/{file_id}"
    path = media_root() / rel
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    return rel, path


def store_upload(owner, upload: UploadedFile, *, allowed: list[str], max_bytes: int | None = None,
                 scanner: Scanner | None = None) -> StoredFile:
    """Check and store one upload. Raises ``ValidationFailed`` with code ``file_too_large``,
    ``file_type_not_allowed``, ``file_type_mismatch`` or ``file_empty``; nothing is left on disk then."""
    limit = settings.TONGBAN_MAX_UPLOAD_BYTES if max_bytes is None else max_bytes
    name = sanitize_name(upload.name or "")
    claimed = _claimed_kind(name, allowed)
    if upload.size is not None and upload.size > limit:
        raise _too_large(limit)
    file_id = uuid.uuid4()
    rel, final = _target(file_id)
    tmp = final.with_name(f".{file_id}.part")
    try:
        size, sha, head = _stream_to(upload, os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), limit)
        _check_content(tmp, size, head, claimed)
        (scanner or NoScanner()).scan(tmp)
        os.replace(tmp, final)
    finally:
        tmp.unlink(missing_ok=True)
    try:
        with transaction.atomic():
            return StoredFile.objects.create(id=file_id, owner=owner, original_name=name,
                                             content_type=MIME[claimed], size=size, sha256=sha, path=rel)
    except Exception:
        final.unlink(missing_ok=True)
        raise


def path_of(stored: StoredFile) -> Path:
    """Absolute path, refusing anything that would escape MEDIA_ROOT (a tampered row)."""
    root = media_root()
    path = (root / stored.path).resolve()
    if not path.is_relative_to(root):
        raise ValueError("stored file path escapes MEDIA_ROOT")
    return path


def open_file(stored: StoredFile) -> BinaryIO:
    return path_of(stored).open("rb")


def delete(stored: StoredFile) -> None:
    """Delete the row now and the bytes only after commit, so a rolled-back delete keeps a readable file."""
    path = path_of(stored)
    with transaction.atomic():
        StoredFile.objects.filter(pk=stored.pk).delete()
        transaction.on_commit(lambda: path.unlink(missing_ok=True))
