"""Operators upload BPMN through the console; the engine must compile it before anything is saved."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tongban.audit.models import AuditEntry
from tongban.catalog.models import Process

pytestmark = pytest.mark.django_db

BPMNIO = Path(__file__).parents[1] / "workflow" / "data" / "bpmnio_plain.bpmn"
TWO_LEVEL = Path(__file__).parents[2] / "src" / "tongban" / "workflow" / "processes" / "two_level.bpmn"


def _add(client, **fields):
    data = {"key": "plain", "name": "bpmn.io 流程", "process_id": "", "bpmn": "", "dmn": "[]", **fields}
    return client.post("/console/catalog/process/add/", data)


def test_a_bpmn_io_file_uploads_and_compiles(client, operator):
    upload = SimpleUploadedFile("plain.bpmn", BPMNIO.read_bytes(), content_type="application/xml")
    response = _add(client, bpmn_file=upload)
    assert response.status_code == 302, response.content.decode()[:2000]
    process = Process.objects.get(key="plain")
    assert process.version == 1
    assert "bpmn:definitions" in process.bpmn
    assert AuditEntry.objects.filter(action="workflow.process.create", object_id=str(process.pk)).exists()


@pytest.mark.parametrize("bpmn", ["<not-xml", '<?xml version="1.0"?><definitions/>'])
def test_a_broken_bpmn_is_refused_with_the_engine_reason(client, operator, bpmn):
    response = _add(client, bpmn=bpmn)
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not Process.objects.filter(key="plain").exists()


def test_editing_the_content_bumps_the_version(client, operator):
    _add(client, bpmn=TWO_LEVEL.read_text(encoding="utf-8"))
    process = Process.objects.get(key="plain")
    head, _, tail = TWO_LEVEL.read_text(encoding="utf-8").rpartition('name="审批"')  # the task, not its lane
    changed = f'{head}name="局领导审批"{tail}'
    assert changed != process.bpmn
    response = client.post(f"/console/catalog/process/{process.pk}/change/",
                           {"name": process.name, "process_id": "", "bpmn": changed, "dmn": "[]"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    process.refresh_from_db()
    assert process.version == 2
    assert "局领导审批" in process.bpmn
    assert AuditEntry.objects.filter(action="workflow.process.update", object_id=str(process.pk)).exists()
