"""English is complete: the catalogue has no untranslated or fuzzy entries, and the workbench and API speak it.

The .po file is parsed directly (nothing is compiled here); the pages use the committed .mo.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.cases.conftest import _fast_passwords, city, form, login
from tests.workbench.conftest import case, open_task, signed_in

__all__ = ["_fast_passwords", "case", "city", "form"]  # fixtures shared with the cases and workbench tests

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
HAN = re.compile(r"[\u4e00-\u9fff]")


def _unquote(line: str) -> str:
    return json.loads(line[line.index('"'):])


def entries(path: Path = PO) -> list[dict]:
    """Each entry as {"flags": set, "msgid": str, "msgstr": [str, ...], "line": int}; the header included."""
    out: list[dict] = []
    entry: dict | None = None
    key = ""
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            entry = None
            continue
        if entry is None:
            entry = {"flags": set(), "msgid": "", "msgstr": [], "line": number}
            out.append(entry)
        if line.startswith("#,"):
            entry["flags"] |= {f.strip() for f in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith("msgid_plural"):
            key = "msgid_plural"
        elif line.startswith("msgid"):
            key = "msgid"
            entry["msgid"] = _unquote(line)
        elif line.startswith("msgstr"):
            key = "msgstr"
            entry["msgstr"].append(_unquote(line))
        elif line.startswith('"'):
            if key == "msgid":
                entry["msgid"] += _unquote(line)
            elif key == "msgstr":
                entry["msgstr"][-1] += _unquote(line)
    return [e for e in out if e["msgstr"]]


def test_catalogue_is_complete():
    found = entries()
    assert len(found) > 500
    messages = [e for e in found if e["msgid"]]
    assert not [e["line"] for e in found if "fuzzy" in e["flags"]], "fuzzy entries left"
    empty = [(e["line"], e["msgid"]) for e in messages if not all(s.strip() for s in e["msgstr"])]
    assert not empty, f"untranslated: {empty[:10]}"
    untranslated = [(e["line"], e["msgid"]) for e in messages if any(HAN.search(s) and s == e["msgid"]
                                                                     for s in e["msgstr"])]
    assert not untranslated, f"copied, not translated: {untranslated[:10]}"


def test_placeholders_survive_translation():
    for e in entries():
        if not e["msgid"]:
            continue
        wanted = set(PLACEHOLDER.findall(e["msgid"]))
        for s in e["msgstr"]:
            assert set(PLACEHOLDER.findall(s)) <= wanted | {"n"}, (e["line"], e["msgid"], s)
            if len(e["msgstr"]) == 1:
                assert set(PLACEHOLDER.findall(s)) == wanted, (e["line"], e["msgid"], s)


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.django_db
def test_workbench_in_english(city, case):
    c = english(signed_in(city.shouli))
    html = c.get("/workbench/").content.decode()
    assert 'lang="en"' in html
    assert "Tongban workbench" in html
    assert "For officials only; every action is logged" in html
    assert "工作人员专用" not in html

    r = c.get(f"/workbench/tasks/{open_task(case).pk}/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Request supplement" in html
    assert "Internal comments" in html
    assert "退回补正" not in html


@pytest.mark.django_db
def test_workbench_stays_chinese_by_default(city, case):
    html = signed_in(city.shouli).get("/workbench/").content.decode()
    assert "通办工作台" in html
    assert "Tongban workbench" not in html


@pytest.mark.django_db
def test_api_validation_errors_in_english(city, form):
    citizen = login("zhangsan")
    del form["address"]
    form["household_size"] = False
    form["phone"] = "123"
    r = citizen.post("/api/v1/applications", json.dumps({"service_code": city.dibao.code, "form": form}),
                     content_type="application/json", headers={"Accept-Language": "en"})
    assert r.status_code == 422
    problem = r.json()
    errors = {e["field"]: e["message"] for e in problem["errors"]}
    assert errors == {"address": "This field is required", "household_size": "Must be a whole number",
                      "phone": "Invalid format"}
    assert not HAN.search(problem["title"])

    r = citizen.post("/api/v1/applications", json.dumps({"service_code": "nope", "form": {}}),
                     content_type="application/json", headers={"Accept-Language": "en"})
    assert r.status_code == 422
    assert r.json()["errors"][0]["message"] == "The service does not exist or is no longer offered"

    r = citizen.post("/api/v1/applications", json.dumps({"service_code": "nope", "form": {}}),
                     content_type="application/json")
    assert r.json()["errors"][0]["message"] == "事项不存在或已停用"
