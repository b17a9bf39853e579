"""Loading BPMN/DMN files into Process rows: key = file stem, DMN attached by stem or by decisionRef."""

from __future__ import annotations

import shutil

import pytest

from tongban.catalog import services
from tongban.catalog.models import Process
from tongban.console.demo import seed

pytestmark = pytest.mark.django_db


def test_loads_every_shipped_process():
    loaded = services.load_processes_from_dir(seed.processes_dir())
    keys = {p.key for p in loaded}
    assert {"instant", "one_level", "two_level", "gateway", "dmn_rule", "fee_step"} <= keys
    two = Process.objects.get(key="two_level")
    assert two.name == "二级审批"
    assert two.process_id == "two_level"
    assert two.dmn == []
    dmn_rule = Process.objects.get(key="dmn_rule")
    assert len(dmn_rule.dmn) == 1
    assert 'id="subsidy_level"' in dmn_rule.dmn[0]


def test_reloading_is_idempotent_and_versions_changes(tmp_path):
    folder = tmp_path / "processes"
    shutil.copytree(seed.processes_dir(), folder)
    services.load_processes_from_dir(folder)
    services.load_processes_from_dir(folder)
    assert Process.objects.get(key="one_level").version == 1
    path = folder / "one_level.bpmn"
    path.write_text(path.read_text(encoding="utf-8").replace('name="一级审批"', 'name="一级审批（新）"'),
                    encoding="utf-8")
    services.load_processes_from_dir(folder)
    changed = Process.objects.get(key="one_level")
    assert changed.version == 2
    assert changed.name == "一级审批（新）"


def test_bpmnio_file_without_vendor_extensions(tmp_path):
    shutil.copy("tests/workflow/data/bpmnio_plain.bpmn", tmp_path / "plain.bpmn")
    (proc,) = services.load_processes_from_dir(tmp_path)
    assert proc.key == "plain"
    assert proc.process_id
    assert proc.bpmn.startswith("<?xml")
