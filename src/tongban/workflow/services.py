"""The Django side of the workflow adapter: catalog ``Process`` rows in, compiled specs and steps out.

Compiled specs are cached per (key, version, updated_at) so the submission hot path loads only the
process row's small columns and never re-reads or re-hashes the BPMN text.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from tongban.audit import services as audit
from tongban.catalog.models import Process
from tongban.core.errors import ValidationFailed, field_error
from tongban.workflow import engine
from tongban.workflow.engine import ProcessSpec, Step, WaitingTask

__all__ = ["Step", "WaitingTask", "cancel", "complete", "save_process", "spec_for", "stamp", "start",
           "validate_process"]

_lock = threading.Lock()
_specs: dict[tuple[str, int, str], ProcessSpec] = {}
LIGHT_FIELDS = ("id", "key", "version", "process_id", "updated_at")


def _cache_key(process: Process) -> tuple[str, int, str]:
    return (process.key, process.version, process.updated_at.isoformat() if process.updated_at else "")


def spec_for(process: Process) -> ProcessSpec:
    """The compiled spec of ``process``; ``process`` may be loaded with only ``LIGHT_FIELDS``."""
    key = _cache_key(process)
    spec = _specs.get(key)
    if spec is not None:
        return spec
    full = Process.objects.get(pk=process.pk)
    spec = engine.compile_process(full.bpmn, full.dmn or (), process_id=full.process_id or None)
    with _lock:
        for old in [k for k in _specs if k[0] == key[0]]:
            del _specs[old]
        _specs[key] = spec
    return spec


def validate_process(bpmn: str, dmn: Sequence[str] = (), process_id: str = "") -> str | None:
    """Why the engine refuses this BPMN/DMN (element, line and hint), or ``None`` when it compiles."""
    try:
        engine.compile_process(bpmn, dmn, process_id=process_id or None)
    except engine.ProcessDefinitionError as exc:
        return str(exc)
    return None


@transaction.atomic
def save_process(*, key: str, name: str, bpmn: str, dmn: Sequence[str] = (), process_id: str = "",
                 actor: str) -> Process:
    """Create or update a process after the engine has compiled it; the version goes up when the content
    changes, so running cases keep working (decision 0008) and new submissions use the new version."""
    problem = validate_process(bpmn, dmn, process_id)
    if problem:
        raise ValidationFailed(_("流程定义无法通过校验"), errors=[field_error("bpmn", problem, "bpmn_invalid")])
    existing = Process.objects.select_for_update().filter(key=key).first()
    content = {"name": name, "bpmn": bpmn, "dmn": list(dmn), "process_id": process_id}
    if existing is None:
        process = Process.objects.create(key=key, version=1, **content)
    elif all(getattr(existing, f) == v for f, v in content.items()):
        return existing
    else:
        before = {"version": existing.version, "digest": audit.digest(existing.bpmn)}
        for field, value in content.items():
            setattr(existing, field, value)
        existing.version += 1
        existing.save()
        process = existing
        audit.append(actor, "workflow.process.update", "process", process.pk, before=before,
                     after={"version": process.version, "digest": audit.digest(process.bpmn)})
        return process
    audit.append(actor, "workflow.process.create", "process", process.pk,
                 after={"version": 1, "digest": audit.digest(process.bpmn)})
    return process


def spec_by_key(key: str) -> ProcessSpec:
    return spec_for(Process.objects.only(*LIGHT_FIELDS).get(key=key))


def start(process: Process, data: dict) -> Step:
    return engine.start(spec_for(process), data)


def complete(process_key: str, state: dict, task_id: str, data: dict | None = None) -> Step:
    return engine.complete(spec_by_key(process_key), state, task_id, data)


def cancel(process_key: str, state: dict) -> Step:
    return engine.cancel(spec_by_key(process_key), state)


def stamp(state: dict, **values: Any) -> dict:
    """Add variables to every task of a started workflow's stored state.

    Why: the case number is allocated at the very end of the submit transaction (its counter row stays
    locked until commit), after the workflow has started; stamping it afterwards keeps that lock short
    while scripts and later tasks still see ``case_number``.
    """
    workflow = state.get("workflow") if isinstance(state, dict) else None
    if not isinstance(workflow, dict):
        return state
    for task in workflow.get("tasks", {}).values():
        if isinstance(task, dict) and isinstance(task.get("data"), dict):
            task["data"].update(values)
    if isinstance(workflow.get("data"), dict):
        workflow["data"].update(values)
    return state
