"""Run BPMN 2.0 processes for cases: a pure-Python adapter over SpiffWorkflow, no Django.

The cases layer owns the state: it calls :func:`start` with the application form, stores ``Step.state``
(a JSON dict) on the case, shows ``Step.waiting`` in inboxes and calls :func:`complete` when an official
acts or an outside event arrives. Every call works on a fresh copy restored from the stored state, so a
failed call changes nothing and the caller's transaction simply rolls back.

Seams to other modules (by convention, not by vendor extension):

* **Fees** — a ``receiveTask`` (e.g. id ``fee``, 缴费) is a :class:`WaitingTask` of kind ``"external"``.
  The payments module completes it by task id once the money is confirmed, passing what the process
  needs (e.g. ``{"paid_fen": 1200}``).
* **Licences** — a ``receiveTask`` whose id starts with ``licence`` (e.g. ``licence_issue``) is the seam
  for issuing an e-licence (电子证照): the licences module completes it after signing. ``serviceTask`` is
  refused at compile time because nothing here would run it.

What the BPMN models: only the approval path and data-driven gateways. Deny/return/supplement (补正) are
handled by the cases layer outside the process; when the workflow finishes the caller reads
``data.get("result", "approved")``.

Scripts and gateway conditions are trusted operator Python evaluated over the task data: the form
fields are top-level variables (``household_size >= 5``).

State format: the workflow is serialized *without* its spec (the spec comes from the compile cache),
which keeps each stored state small and makes start+serialize fast. The envelope records the process id
and the digest of the definition it was started with; restoring accepts a different digest as long as
every task in the state still exists in the spec, so an operator's compatible edit (a relabelled task, a
changed condition) reaches running cases while an incompatible one is refused with WorkflowStateError.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnEvent, BpmnWorkflow
from SpiffWorkflow.bpmn.script_engine.python_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.serializer.config import DEFAULT_CONFIG
from SpiffWorkflow.bpmn.serializer.default.workflow import BpmnWorkflowConverter, WorkflowConverter
from SpiffWorkflow.bpmn.serializer.workflow import VERSION as SPIFF_STATE_VERSION
from SpiffWorkflow.bpmn.serializer.workflow import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.specs.mixins.events.intermediate_event import ReceiveTask
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.util.task import TaskState

from .definitions import ProcessDefinitionError, ProcessSpec, TaskInfo, compile_process

__all__ = [
    "ProcessDefinitionError",
    "ProcessExecutionError",
    "ProcessSpec",
    "Step",
    "TaskInfo",
    "WaitingTask",
    "WorkflowStateError",
    "cancel",
    "compile_process",
    "complete",
    "start",
    "waiting",
]

STATE_FORMAT = 1
_READY, _WAITING = int(TaskState.READY), int(TaskState.WAITING)
# One engine for all workflows: it holds no per-workflow state, and building one per call is waste.
_SCRIPT_ENGINE = PythonScriptEngine()


class WorkflowStateError(RuntimeError):
    """The stored state cannot take this action: unknown task id, task not waiting, corrupt state."""


class ProcessExecutionError(WorkflowStateError):
    """A script, condition or decision failed while running (e.g. a form field the process expects is
    missing). Nothing is changed; the message names the BPMN element."""


@dataclass(frozen=True)
class WaitingTask:
    """A task the process is blocked on, as an inbox or a payment callback needs it."""

    id: str  # Spiff task uuid as str
    spec: str  # BPMN element id, e.g. "accept"
    name: str  # BPMN element label, e.g. "受理"
    kind: str  # "user" (userTask/manualTask/task) or "external" (receiveTask)
    role: str  # role code from the task's lane; "" if no lane


@dataclass(frozen=True)
class Step:
    """What the caller needs after start/complete/cancel."""

    state: dict  # JSON-serialisable workflow state; store it on the case
    waiting: list[WaitingTask]
    finished: bool
    data: dict  # process variables after running, JSON-safe
    cancelled: bool = False


# --- public API -------------------------------------------------------------------------------------


def start(spec: ProcessSpec, data: dict) -> Step:
    """Create a workflow whose variables are ``data`` (form + metadata) and run it until it waits."""
    if not isinstance(data, Mapping):
        raise TypeError(f"start() data must be a dict, got {type(data).__name__}")
    workflow = BpmnWorkflow(spec.spec, dict(spec.subprocess_specs), script_engine=_SCRIPT_ENGINE)
    workflow.task_tree.data.update(data)
    _run(workflow)
    return _step(spec, workflow)


def complete(spec: ProcessSpec, state: dict, task_id: str, data: dict | None = None) -> Step:
    """Complete a waiting task (user or external), merging ``data`` into its variables, and run on."""
    workflow = _load(spec, state)
    task = _find_waiting(spec, workflow, task_id)
    if task.task_spec.manual:
        task.data.update(data or {})
        _guard(task.run)
    else:
        _deliver(task, data or {})
    _run(workflow)
    return _step(spec, workflow)


def waiting(spec: ProcessSpec, state: dict) -> list[WaitingTask]:
    """The tasks a stored workflow waits on, read straight from the state (no restore needed)."""
    _check_envelope(spec, state)
    return _waiting_from_state(spec, state["workflow"])


def cancel(spec: ProcessSpec, state: dict) -> Step:
    """Cancel every open task, e.g. when the applicant withdraws (撤回) or the case is terminated."""
    workflow = _load(spec, state)
    workflow.cancel()
    step = _step(spec, workflow)
    return Step(state=step.state, waiting=[], finished=True, data=step.data, cancelled=True)


# --- running ----------------------------------------------------------------------------------------


def _run(workflow: BpmnWorkflow) -> None:
    _guard(workflow.do_engine_steps)


def _guard(action: Any) -> Any:
    """Turn engine failures into ProcessExecutionError carrying the element and the cause."""
    try:
        return action()
    except SpiffWorkflowException as exc:
        raise ProcessExecutionError(_explain(exc)) from exc


def _explain(exc: SpiffWorkflowException) -> str:
    task_spec = getattr(getattr(exc, "task", None), "task_spec", None) or getattr(exc, "task_spec", None)
    where = ""
    if task_spec is not None:
        label = getattr(task_spec, "bpmn_name", None)
        where = f"<{getattr(task_spec, 'bpmn_id', task_spec.name)}>" + (f" {label!r}" if label else "") + ": "
    cause = exc.__cause__ or exc.__context__
    detail = ""
    if cause is not None and not isinstance(cause, SpiffWorkflowException):
        detail = f" ({type(cause).__name__}: {cause})"
    return f"{where}{str(exc).rstrip('. ')}{detail}"


def _find_waiting(spec: ProcessSpec, workflow: BpmnWorkflow, task_id: str) -> Any:
    try:
        uid = UUID(str(task_id))
    except ValueError:
        raise WorkflowStateError(f"unknown task id {task_id!r}: not a task uuid") from None
    task = workflow.get_task_from_id(uid) if _has_task(workflow, uid) else None
    if task is None:
        raise WorkflowStateError(f"unknown task id {task_id!r}: no such task in this workflow")
    info = spec.tasks.get(task.task_spec.name)
    expected = _WAITING if isinstance(task.task_spec, ReceiveTask) else _READY
    if info is None or task.state != expected:
        label = info.name if info else task.task_spec.name
        raise WorkflowStateError(
            f"task {task_id} ({label}) is {TaskState.get_name(task.state)}, not waiting for completion"
        )
    return task


def _has_task(workflow: BpmnWorkflow, uid: UUID) -> bool:
    return uid in workflow.tasks or any(uid in sp.tasks for sp in workflow.subprocesses.values())


def _deliver(task: Any, payload: dict) -> None:
    """Fire exactly this receiveTask (not every task listening for the same message)."""
    definition = task.task_spec.event_definition
    task.task_spec.catch(task, BpmnEvent(definition, payload=dict(payload)))
    _guard(lambda: task.task_spec._update(task))


# --- results ----------------------------------------------------------------------------------------


def _step(spec: ProcessSpec, workflow: BpmnWorkflow) -> Step:
    state = _dump(spec, workflow)
    pending = _waiting_from_state(spec, state["workflow"])
    finished = workflow.is_completed()
    return Step(state=state, waiting=pending, finished=finished, data=_data(workflow, finished))


def _data(workflow: BpmnWorkflow, finished: bool) -> dict:
    """Process variables: the finished workflow's data, else the data the waiting tasks will see."""
    if finished:
        source = workflow.data
    else:
        open_tasks = workflow.get_tasks(state=TaskState.READY | TaskState.WAITING)
        source = {}
        for task in open_tasks or [workflow.last_task or workflow.task_tree]:
            source.update(task.data)
    serializer = _serializer()
    cleaned = serializer.registry.clean(source)
    return json.loads(json.dumps(cleaned, cls=serializer._encoder_cls, ensure_ascii=False))


def _waiting_from_state(spec: ProcessSpec, workflow_state: Mapping[str, Any]) -> list[WaitingTask]:
    result = []
    for task in _state_tasks(workflow_state):
        info = spec.tasks.get(task.get("task_spec", ""))  # no task spec is named ""
        if info is None:
            continue
        if task.get("state") == (_WAITING if info.kind == "external" else _READY):
            result.append(_waiting_task(task["id"], info))
    return result


def _waiting_task(task_id: str, info: TaskInfo) -> WaitingTask:
    return WaitingTask(id=task_id, spec=info.spec, name=info.name, kind=info.kind, role=info.role)


def _state_tasks(workflow_state: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
    try:
        yield from workflow_state["tasks"].values()
        for subprocess in workflow_state.get("subprocesses", {}).values():
            yield from subprocess["tasks"].values()
    except (KeyError, TypeError, AttributeError) as exc:
        raise WorkflowStateError(f"corrupt workflow state: {exc!r}") from None


# --- serialization ----------------------------------------------------------------------------------


class _SpeclessWorkflowConverter(BpmnWorkflowConverter):
    """Serialize a workflow without its spec; restore it onto a spec supplied by the caller."""

    def to_dict(self, workflow: BpmnWorkflow) -> dict:
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct: dict, spec: ProcessSpec | None = None) -> BpmnWorkflow:
        if spec is None:
            raise WorkflowStateError("restoring a workflow needs its compiled process spec")
        _check_task_specs(spec, dct)
        workflow = BpmnWorkflow(
            spec.spec, dict(spec.subprocess_specs), script_engine=_SCRIPT_ENGINE, deserializing=True
        )
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        # subprocesses_from_dict pops entries as it restores them: work on a copy of the caller's dict.
        self.subprocesses_from_dict(dict(dct["subprocesses"]), workflow)
        workflow.bpmn_events = self.registry.restore(dct.get("bpmn_events", []))
        return workflow


def _check_task_specs(spec: ProcessSpec, dct: Mapping[str, Any]) -> None:
    """Refuse states that mention tasks the (possibly edited) definition no longer has."""
    known = set(spec.spec.task_specs)
    for sub in spec.subprocess_specs.values():
        known.update(sub.task_specs)
    missing = {str(task.get("task_spec")) for task in _state_tasks(dct)} - known
    if missing:
        raise WorkflowStateError(
            f"state does not fit process {spec.process_id!r}: it has no task(s) {', '.join(sorted(missing))}"
        )


_local = threading.local()


def _serializer() -> BpmnWorkflowSerializer:
    """One serializer per thread: serialize_json flips a flag on its registry while it runs."""
    serializer = getattr(_local, "serializer", None)
    if serializer is None:
        config = dict(DEFAULT_CONFIG)
        config[BpmnWorkflow] = _SpeclessWorkflowConverter
        serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(config))
        _local.serializer = serializer
    return serializer


def _dump(spec: ProcessSpec, workflow: BpmnWorkflow) -> dict:
    """JSON text round trip: the encoder turns dates/UUIDs in task data into tagged dicts, so the
    result is plain JSON that any JSONField stores and :func:`_load` restores faithfully."""
    workflow_state = json.loads(_serializer().serialize_json(workflow))
    return {"format": STATE_FORMAT, "process": spec.process_id, "digest": spec.digest, "workflow": workflow_state}


def _check_envelope(spec: ProcessSpec, state: Any) -> None:
    if not isinstance(state, Mapping) or state.get("format") != STATE_FORMAT or "workflow" not in state:
        raise WorkflowStateError("corrupt workflow state: not a state produced by this engine")
    if state.get("process") != spec.process_id:
        raise WorkflowStateError(f"state belongs to process {state.get('process')!r}, not {spec.process_id!r}")
    version = (
        state["workflow"].get(BpmnWorkflowSerializer.VERSION_KEY) if isinstance(state["workflow"], Mapping) else None
    )
    if version != SPIFF_STATE_VERSION:
        raise WorkflowStateError(
            f"workflow state version {version!r} is not readable by this engine (expects {SPIFF_STATE_VERSION})"
        )


def _load(spec: ProcessSpec, state: Any) -> BpmnWorkflow:
    _check_envelope(spec, state)
    dct = dict(state["workflow"])
    dct.pop(BpmnWorkflowSerializer.VERSION_KEY, None)
    try:
        return _serializer().from_dict(dct, spec=spec)
    except WorkflowStateError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise WorkflowStateError(f"corrupt workflow state: {exc!r}") from exc


def load_builtin(name: str) -> ProcessSpec:
    """Compile one of the demo processes shipped in ``processes/`` (with every DMN beside them)."""
    folder = Path(__file__).with_name("processes")
    path = folder / f"{name}.bpmn"
    if not path.is_file():
        available = ", ".join(sorted(p.stem for p in folder.glob("*.bpmn")))
        raise ProcessDefinitionError(f"no built-in process {name!r}; available: {available}")
    dmn = [p.read_bytes() for p in sorted(folder.glob("*.dmn"))]
    return compile_process(path.read_bytes(), dmn, process_id=name)
