import hashlib
import stat
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile

from tongban.core.errors import ValidationFailed
from tongban.files import services
from tongban.files.models import StoredFile

from .conftest import EXE, JPEG, PDF, PNG, zipped

pytestmark = pytest.mark.django_db
ALL = ["pdf", "jpg", "png", "ofd", "docx", "xlsx"]


def upload(name, data):
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def code_of(owner, name, data, allowed=ALL, **kw):
    with pytest.raises(ValidationFailed) as err:
        services.store_upload(owner, upload(name, data), allowed=allowed, **kw)
    return err.value.code


def files_on_disk(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_stores_a_pdf(owner, media):
    stored = services.store_upload(owner, upload("户口簿.pdf", PDF), allowed=["pdf"])
    assert stored.original_name == "户口簿.pdf"
    assert stored.content_type == "application/pdf"
    assert stored.size == len(PDF)
    assert stored.sha256 == hashlib.sha256(PDF).hexdigest()
    year, month, name = stored.path.split("/")
    assert (len(year), len(month), name) == (4, 2, str(stored.id))
    on_disk = Path(media) / stored.path
    assert stat.S_IMODE(on_disk.stat().st_mode) == 0o600
    with services.open_file(stored) as f:
        assert f.read() == PDF
    assert files_on_disk(Path(media)) == [on_disk]


@pytest.mark.parametrize(("name", "data", "ctype"), [
    ("photo.JPG", JPEG, "image/jpeg"), ("photo.jpeg", JPEG, "image/jpeg"), ("scan.png", PNG, "image/png"),
    ("licence.ofd", zipped("OFD.xml", "Doc_0/Document.xml"), "application/ofd"),
    ("form.docx", zipped("[Content_Types].xml", "word/document.xml"), "application/vnd.openxmlformats-"
                                                                      "officedocument.wordprocessingml.document"),
    ("sheet.xlsx", zipped("[Content_Types].xml", "xl/workbook.xml"), "application/vnd.openxmlformats-"
                                                                     "officedocument.spreadsheetml.sheet"),
])
def test_accepts_each_known_type(owner, name, data, ctype):
    assert services.store_upload(owner, upload(name, data), allowed=ALL).content_type == ctype


@pytest.mark.parametrize(("name", "data"), [
    ("invoice.pdf", EXE),                       # an .exe renamed .pdf
    ("invoice.pdf", PNG),                       # a real image under a pdf name
    ("photo.jpg", PDF),
    ("form.docx", zipped("xl/workbook.xml")),   # a spreadsheet named docx
    ("licence.ofd", zipped("readme.txt")),      # a plain zip named ofd
    ("licence.ofd", b"PK\x03\x04 not really a zip"),
    ("notes.pdf", b"hello, I am text"),
])
def test_content_must_match_the_extension(owner, media, name, data):
    assert code_of(owner, name, data) == "file_type_mismatch"
    assert files_on_disk(Path(media)) == []
    assert StoredFile.objects.count() == 0


@pytest.mark.parametrize(("name", "allowed"), [
    ("virus.exe", ALL), ("noextension", ALL), ("archive.zip", ALL), ("photo.png", ["pdf"]), ("x.pdf", []),
])
def test_type_must_be_allowed(owner, name, allowed):
    assert code_of(owner, name, PNG, allowed=allowed) == "file_type_not_allowed"


def test_allowed_accepts_dotted_and_upper_case_names(owner):
    assert services.store_upload(owner, upload("a.jpg", JPEG), allowed=[".JPEG"]).content_type == "image/jpeg"


def test_empty_file(owner, media):
    assert code_of(owner, "empty.pdf", b"") == "file_empty"
    assert files_on_disk(Path(media)) == []


def test_too_large_by_declared_size(owner):
    assert code_of(owner, "big.pdf", PDF, max_bytes=len(PDF) - 1) == "file_too_large"


def test_exact_limit_is_accepted(owner):
    assert services.store_upload(owner, upload("a.pdf", PDF), allowed=["pdf"], max_bytes=len(PDF)).size == len(PDF)


def test_default_limit_comes_from_settings(owner, settings):
    settings.TONGBAN_MAX_UPLOAD_BYTES = 10
    assert code_of(owner, "big.pdf", PDF) == "file_too_large"


class LyingUpload(UploadedFile):
    """Claims no size and streams forever; counts how much the service pulled."""

    def __init__(self):
        super().__init__(file=None, name="huge.pdf", content_type="application/pdf", size=None)
        self.pulled = 0

    def chunks(self, chunk_size=None):
        yield b"%PDF-1.7\n"
        while True:
            self.pulled += chunk_size
            yield b"0" * chunk_size


def test_limit_is_enforced_while_streaming(owner, media):
    lying = LyingUpload()
    with pytest.raises(ValidationFailed) as err:
        services.store_upload(owner, lying, allowed=["pdf"], max_bytes=1024 * 1024)
    assert err.value.code == "file_too_large"
    assert lying.pulled <= 1024 * 1024 + services.CHUNK
    assert files_on_disk(Path(media)) == []


@pytest.mark.parametrize(("name", "data", "kw", "message"), [
    ("big.pdf", PDF, {"max_bytes": 10}, "文件过大，最大允许 10 字节"),
    ("a.exe", EXE, {"allowed": ["pdf", "jpg"]}, "不支持的文件类型，仅允许：pdf、jpg"),
    ("a.pdf", EXE, {}, "文件内容与扩展名不符，请上传真实的 pdf 文件"),
    ("a.pdf", b"", {}, "文件为空"),
])
def test_error_messages_are_chinese(owner, name, data, kw, message):
    kw.setdefault("allowed", ALL)
    with pytest.raises(ValidationFailed) as err:
        services.store_upload(owner, upload(name, data), **kw)
    assert str(err.value.message) == message


def test_large_limits_are_shown_in_megabytes():
    assert str(services._too_large(5 * 1024 * 1024).message) == "文件过大，最大允许 5.0 MB"


@pytest.mark.parametrize(("raw", "clean"), [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("C:\\Users\\张三\\身份证.pdf", "身份证.pdf"),
    ("..pdf", "pdf"),
    ("a\x00b\nc.pdf", "a_b_c.pdf"),
    ('x<>:"|?*.pdf', "x_______.pdf"),
    ("", "file"),
])
def test_sanitize_name(raw, clean):
    assert services.sanitize_name(raw) == clean


def test_sanitize_keeps_the_extension_of_long_names():
    clean = services.sanitize_name("长" * 300 + ".pdf")
    assert len(clean) == services.NAME_MAX
    assert clean.endswith(".pdf")


def test_path_traversal_in_name_never_reaches_disk(owner, media):
    stored = services.store_upload(owner, upload("../../../evil.pdf", PDF), allowed=["pdf"])
    assert stored.original_name == "evil.pdf"
    assert all(p.is_relative_to(Path(media)) for p in files_on_disk(Path(media).parent))


def test_delete_removes_row_and_bytes_after_commit(owner, media, django_capture_on_commit_callbacks):
    stored = services.store_upload(owner, upload("a.pdf", PDF), allowed=["pdf"])
    path = Path(media) / stored.path
    with django_capture_on_commit_callbacks(execute=True):
        services.delete(stored)
    assert not StoredFile.objects.filter(pk=stored.pk).exists()
    assert not path.exists()


def test_tampered_path_is_refused(owner):
    stored = services.store_upload(owner, upload("a.pdf", PDF), allowed=["pdf"])
    stored.path = "../../etc/passwd"
    with pytest.raises(ValueError, match="escapes"):
        services.open_file(stored)


class RefusingScanner:
    def scan(self, path):
        raise ValidationFailed("infected", code="file_infected")


def test_scanner_can_refuse(owner, media):
    assert code_of(owner, "a.pdf", PDF, scanner=RefusingScanner()) == "file_infected"
    assert files_on_disk(Path(media)) == []
