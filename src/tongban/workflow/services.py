"""The Django side of the workflow adapter: catalog ``Process`` rows in, compiled specs and steps out.

Compiled specs are cached per (key, version, updated_at) so the submission hot path loads only the
process row's small columns and never re-reads or re-hashes the BPMN text.
"""

from __future__ import annotations

import threading
from typing import Any

from tongban.catalog.models import Process
from tongban.workflow import engine
from tongban.workflow.engine import ProcessSpec, Step, WaitingTask

__all__ = ["Step", "WaitingTask", "cancel", "complete", "spec_for", "stamp", "start"]

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
