"""Compile BPMN 2.0 + DMN documents into cached, validated process specs.

Process definitions are operator content: they are uploaded once and started thousands of times, so
everything that can be checked is checked here, at upload, with a message that names the element —
an error found when a citizen submits an application is an error found far too late.

Supported elements and why the others are refused:

* start/end events (none; end may terminate), ``task``/``userTask``/``manualTask`` (work for an
  official), ``scriptTask`` (trusted Python over the form data), ``businessRuleTask`` (DMN decision via
  ``camunda:decisionRef`` — the one vendor attribute we accept, because BPMN 2.0 has no standard way to
  name a decision), ``receiveTask`` (waits for an outside event such as a payment), exclusive / parallel /
  inclusive gateways, embedded sub-processes and call activities to processes in the same document.
* Timers, signals, message catch/throw events, boundary events, ``serviceTask`` and ``sendTask`` need a
  driver this adapter does not provide; a case would stall or crash mid-flight, so they are rejected.
  Outside work is modelled as a ``receiveTask`` that the owning module completes.
"""

from __future__ import annotations

import ast
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator
from SpiffWorkflow.bpmn.parser.event_parsers import MESSAGE_EVENT_XPATH, ReceiveTaskParser
from SpiffWorkflow.bpmn.parser.util import full_tag
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.defaults import ReceiveTask
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.mixins import ManualTaskMixin, NoneTaskMixin, UserTaskMixin
from SpiffWorkflow.bpmn.specs.mixins.events.intermediate_event import ReceiveTask as ReceiveTaskMixin
from SpiffWorkflow.camunda.parser.CamundaParser import NSMAP
from SpiffWorkflow.camunda.parser.task_spec import CAMUNDA_MODEL_NS, BusinessRuleTaskParser
from SpiffWorkflow.camunda.specs.business_rule_task import BusinessRuleTask
from SpiffWorkflow.dmn.parser.BpmnDmnParser import BpmnDmnParser
from SpiffWorkflow.exceptions import SpiffWorkflowException

__all__ = [
    "ROLE_CODES",
    "ProcessDefinitionError",
    "ProcessSpec",
    "TaskInfo",
    "compile_process",
    "role_for_lane",
]

BPMN_NS = NSMAP["bpmn"]
DMN_NAMESPACES = (
    "https://www.omg.org/spec/DMN/20191111/MODEL/",
    "http://www.omg.org/spec/DMN/20180521/MODEL/",
    "http://www.omg.org/spec/DMN/20151101/dmn.xsd",
)

# Lane name -> role code (角色). Operators may label lanes with the code or the Chinese label.
ROLE_CODES: Mapping[str, str] = {
    "accept": "accept",
    "受理": "accept",
    "窗口受理": "accept",
    "review": "review",
    "审核": "review",
    "approve": "approve",
    "审批": "approve",
    "dept_admin": "dept_admin",
    "部门管理员": "dept_admin",
}

SUPPORTED_NODES = frozenset(
    full_tag(tag)
    for tag in (
        "startEvent",
        "endEvent",
        "task",
        "userTask",
        "manualTask",
        "scriptTask",
        "businessRuleTask",
        "receiveTask",
        "exclusiveGateway",
        "parallelGateway",
        "inclusiveGateway",
        "subProcess",
        "callActivity",
    )
)
UNSUPPORTED_NODES: Mapping[str, str] = {
    full_tag("serviceTask"): "model outside work as a receiveTask (e.g. id 'licence_issue') that the "
    "owning module completes",
    full_tag("sendTask"): "notifications leave through the outbox of the cases layer, not the process",
    full_tag("intermediateCatchEvent"): "waiting is modelled as a receiveTask",
    full_tag("intermediateThrowEvent"): "events are not driven by this engine",
    full_tag("boundaryEvent"): "deadlines and escalations are handled by the case SLA clock",
    full_tag("eventBasedGateway"): "events are not driven by this engine",
    full_tag("complexGateway"): "use exclusive, inclusive or parallel gateways",
    full_tag("transaction"): "use an embedded subProcess",
    full_tag("adHocSubProcess"): "use an embedded subProcess",
}
EVENT_DEFINITIONS = frozenset(
    full_tag(f"{kind}EventDefinition")
    for kind in (
        "message",
        "timer",
        "signal",
        "error",
        "escalation",
        "conditional",
        "compensate",
        "link",
        "cancel",
        "terminate",
    )
)
ALLOWED_EVENT_DEFINITIONS = {full_tag("endEvent"): {full_tag("terminateEventDefinition")}}

_CACHE_SIZE = 128
_cache: OrderedDict[str, ProcessSpec] = OrderedDict()
_cache_lock = threading.Lock()
_validator_lock = threading.Lock()
_validator: BpmnValidator | None = None
_XML_PARSER_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "remove_comments": True,
}


class ProcessDefinitionError(ValueError):
    """A BPMN or DMN document that cannot run here; the message names the element and the problem."""


@dataclass(frozen=True)
class TaskInfo:
    """Static facts about a task that waits: what the inbox shows and who may act on it."""

    spec: str  # BPMN element id, e.g. "accept"
    name: str  # BPMN element label, e.g. "受理"
    kind: str  # "user" or "external"
    role: str  # role code from the lane, "" outside lanes


@dataclass(frozen=True, eq=False)
class ProcessSpec:
    """A compiled process: shared read-only by every workflow of it, so never mutate it.

    Equality and hash follow the SHA-256 digest of the inputs, so specs can key caches and dicts.
    """

    process_id: str
    name: str
    digest: str
    spec: Any  # SpiffWorkflow BpmnProcessSpec
    subprocess_specs: Mapping[str, Any]  # name -> BpmnProcessSpec for sub-processes
    tasks: Mapping[str, TaskInfo] = field(repr=False)  # task spec name -> info, for waiting tasks

    def __hash__(self) -> int:
        return hash(self.digest)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ProcessSpec) and other.digest == self.digest

    @property
    def roles(self) -> frozenset[str]:
        """Role codes that act in this process, for checking that a department staffs them all."""
        return frozenset(info.role for info in self.tasks.values() if info.role)


def role_for_lane(lane: str | None) -> str:
    """Map a lane label to a role code; "" for no lane. Raises ProcessDefinitionError if unknown."""
    if lane is None:
        return ""
    code = ROLE_CODES.get(lane.strip())
    if code is None:
        known = "、".join(ROLE_CODES)
        raise ProcessDefinitionError(f"lane {lane!r} does not name a known role; use one of: {known}")
    return code


class _BusinessRuleTaskParser(BusinessRuleTaskParser):
    """Reads the decision id from ``camunda:decisionRef`` and explains when it is missing."""

    @staticmethod
    def get_decision_ref(node: Any) -> str:
        ref = node.get(f"{{{CAMUNDA_MODEL_NS}}}decisionRef")
        if not ref:
            raise ValidationException(
                'needs camunda:decisionRef="<DMN decision id>" to say which decision it evaluates', node=node
            )
        return ref


class _ReceiveTaskParser(ReceiveTaskParser):
    """A receiveTask without a message still waits: bpmn.io draws it without one by default.

    Spiff would otherwise treat it as a "none" event and run straight through, silently skipping
    the payment or licence step it stands for.
    """

    def create_task(self) -> Any:
        if self.node.get("messageRef") is None and not self.xpath(MESSAGE_EVENT_XPATH):
            return self._create_task(MessageEventDefinition(self.bpmn_id))
        return super().create_task()


class _Parser(BpmnDmnParser):
    OVERRIDE_PARSER_CLASSES = {
        full_tag("businessRuleTask"): (_BusinessRuleTaskParser, BusinessRuleTask),
        full_tag("receiveTask"): (_ReceiveTaskParser, ReceiveTask),
    }

    def __init__(self) -> None:
        super().__init__(namespaces=NSMAP, validator=_get_validator())


def compile_process(bpmn: str | bytes, dmn: Sequence[str | bytes] = (), process_id: str | None = None) -> ProcessSpec:
    """Parse and validate a BPMN document (and the DMN documents it references).

    Cached by SHA-256 of all inputs (LRU), so the submission hot path never re-parses.
    """
    bpmn_bytes, dmn_bytes = _as_bytes(bpmn), tuple(_as_bytes(d) for d in dmn)
    digest = _digest(bpmn_bytes, dmn_bytes, process_id)
    with _cache_lock:
        cached = _cache.get(digest)
        if cached is not None:
            _cache.move_to_end(digest)
            return cached
    compiled = _compile(bpmn_bytes, dmn_bytes, process_id, digest)
    with _cache_lock:
        _cache[digest] = compiled
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return compiled


def clear_cache() -> None:
    """Forget compiled specs (tests, or after bulk catalog changes)."""
    with _cache_lock:
        _cache.clear()


def _as_bytes(document: str | bytes) -> bytes:
    if isinstance(document, str):
        return document.encode("utf-8")
    if isinstance(document, bytes | bytearray | memoryview):
        return bytes(document)
    raise ProcessDefinitionError(f"expected BPMN/DMN XML as str or bytes, got {type(document).__name__}")


def _digest(bpmn: bytes, dmn: Sequence[bytes], process_id: str | None) -> str:
    h = hashlib.sha256()
    for part in (str(process_id or "").encode(), bpmn, *dmn):
        h.update(len(part).to_bytes(8, "big"))
        h.update(part)
    return h.hexdigest()


def _get_validator() -> BpmnValidator:
    """The XSD is large; load it once per process, lazily, because many processes never compile."""
    global _validator
    with _validator_lock:
        if _validator is None:
            _validator = BpmnValidator()
        return _validator


def _compile(bpmn: bytes, dmn: Sequence[bytes], process_id: str | None, digest: str) -> ProcessSpec:
    root = _parse_xml(bpmn, "BPMN")
    _check_bpmn_root(root)
    _check_schema(root)
    _check_elements(root)
    _check_lanes(root)
    _check_expressions(root)
    parser = _Parser()
    chosen = process_id or "?"
    try:
        for document in dmn:
            _add_dmn(parser, document)
        _check_decisions(root, parser.dmn_parsers)
        parser.add_bpmn_xml(root)
        chosen = _choose_process(parser, root, process_id)
        spec = parser.get_spec(chosen)
        subprocess_specs = parser.get_subprocess_specs(chosen)
    except ValidationException as exc:
        raise ProcessDefinitionError(_describe(exc)) from exc
    except SpiffWorkflowException as exc:
        raise ProcessDefinitionError(f"process {chosen!r}: {exc}") from exc
    tasks = _task_infos([spec, *subprocess_specs.values()])
    return ProcessSpec(chosen, spec.description or chosen, digest, spec, subprocess_specs, tasks)


def _parse_xml(document: bytes, kind: str) -> Any:
    if not document.strip():
        raise ProcessDefinitionError(f"{kind} document is empty")
    parser = etree.XMLParser(**_XML_PARSER_OPTIONS)
    try:
        return etree.fromstring(document, parser)
    except etree.XMLSyntaxError as exc:
        raise ProcessDefinitionError(f"{kind} is not well-formed XML: {exc}") from exc


def _check_bpmn_root(root: Any) -> None:
    if root.tag != f"{{{BPMN_NS}}}definitions":
        raise ProcessDefinitionError(
            f"expected a BPMN 2.0 <bpmn:definitions> document (namespace {BPMN_NS}), got <{root.tag}>"
        )
    if not root.findall(f"{{{BPMN_NS}}}process"):
        raise ProcessDefinitionError("BPMN document contains no <bpmn:process>")


def _check_schema(root: Any) -> None:
    """XSD first, so a malformed document is reported as such rather than as a confusing parse error."""
    try:
        _get_validator().validate(root)
    except ValidationException as exc:
        line = f" (line {exc.line_number})" if exc.line_number else ""
        message = str(exc).rstrip(". ").replace(f"{{{BPMN_NS}}}", "bpmn:")
        raise ProcessDefinitionError(f"BPMN does not follow the BPMN 2.0 schema{line}: {message}") from None


def _element(node: Any) -> str:
    """How an element is named in messages: tag, id, label and line, so operators find it."""
    tag = etree.QName(node).localname
    label = f" {node.get('name')!r}" if node.get("name") else ""
    return f"<bpmn:{tag} id={node.get('id')!r}{label}> (line {node.sourceline})"


def _check_elements(root: Any) -> None:
    for process in root.iterfind(f"{{{BPMN_NS}}}process"):
        for node in process.iter():
            hint = UNSUPPORTED_NODES.get(node.tag)
            if hint is not None:
                raise ProcessDefinitionError(f"{_element(node)} is not supported: {hint}")
            if node.tag in EVENT_DEFINITIONS:
                _check_event_definition(node)


def _check_event_definition(definition: Any) -> None:
    event = definition.getparent()
    if definition.tag in ALLOWED_EVENT_DEFINITIONS.get(event.tag, ()):
        return
    if event.tag == full_tag("receiveTask"):
        return
    kind = etree.QName(definition).localname.removesuffix("EventDefinition")
    raise ProcessDefinitionError(
        f"{_element(event)} uses a {kind} event definition, which is not supported: only plain start "
        "events and plain or terminate end events run here; model outside waits as a receiveTask"
    )


def _check_lanes(root: Any) -> None:
    """Every leaf lane must name a role, because the inbox routes tasks by the lane's role."""
    for lane in root.iter(f"{{{BPMN_NS}}}lane"):
        if lane.find(f"{{{BPMN_NS}}}childLaneSet/{{{BPMN_NS}}}lane") is not None:
            continue
        name = (lane.get("name") or "").strip()
        if not name:
            if lane.find(f"{{{BPMN_NS}}}flowNodeRef") is not None:
                raise ProcessDefinitionError(
                    f"<bpmn:lane id={lane.get('id')!r}> (line {lane.sourceline}) has no name; "
                    f"name it after a role: {'、'.join(ROLE_CODES)}"
                )
            continue
        try:
            role_for_lane(name)
        except ProcessDefinitionError as exc:
            raise ProcessDefinitionError(f"<bpmn:lane id={lane.get('id')!r}> (line {lane.sourceline}): {exc}") from None


def _check_expressions(root: Any) -> None:
    """Syntax-check conditions and scripts now rather than when a case reaches them."""
    for cond in root.iter(f"{{{BPMN_NS}}}conditionExpression"):
        _compile_python(cond.text or "", "eval", cond.getparent(), "condition")
    for script in root.iter(f"{{{BPMN_NS}}}script"):
        _compile_python(script.text or "", "exec", script.getparent(), "script")


def _compile_python(source: str, mode: str, owner: Any, what: str) -> None:
    if not source.strip():
        raise ProcessDefinitionError(f"{_element(owner)} has an empty {what}")
    try:
        ast.parse(source.strip(), mode=mode)
    except SyntaxError as exc:
        raise ProcessDefinitionError(
            f"{_element(owner)}: {what} {source.strip()!r} is not valid Python: {exc.msg}"
        ) from None


def _add_dmn(parser: _Parser, document: bytes) -> None:
    root = _parse_xml(document, "DMN")
    if etree.QName(root).namespace not in DMN_NAMESPACES or etree.QName(root).localname != "definitions":
        raise ProcessDefinitionError(f"expected a DMN <definitions> document (DMN 1.1–1.3), got <{root.tag}>")
    parser.add_dmn_xml(root)
    for decision_id, dmn_parser in parser.dmn_parsers.items():
        try:
            dmn_parser.parse()
        except ValidationException as exc:
            raise ProcessDefinitionError(f"DMN decision {decision_id!r}: {_describe(exc)}") from exc
        except (KeyError, IndexError) as exc:
            raise ProcessDefinitionError(f"DMN decision {decision_id!r} is incomplete: missing {exc}") from exc


def _check_decisions(root: Any, decisions: Mapping[str, Any]) -> None:
    """Name the missing decision and what was supplied, instead of failing deep inside the parser."""
    for task in root.iter(full_tag("businessRuleTask")):
        ref = _BusinessRuleTaskParser.get_decision_ref(task)
        if ref not in decisions:
            given = ", ".join(sorted(decisions)) or "none"
            raise ProcessDefinitionError(
                f"{_element(task)} evaluates DMN decision {ref!r}, but no DMN document given defines it "
                f"(decisions given: {given})"
            )


def _choose_process(parser: _Parser, root: Any, process_id: str | None) -> str:
    processes = {p.get("id"): p for p in root.iterfind(f"{{{BPMN_NS}}}process")}
    if process_id is not None:
        node = processes.get(process_id)
        if node is None:
            raise ProcessDefinitionError(
                f"process {process_id!r} not found; the document defines: {', '.join(processes)}"
            )
        _require_executable(node)
        return process_id
    executable = [pid for pid, node in processes.items() if node.get("isExecutable", "true") == "true"]
    if not executable:
        _require_executable(next(iter(processes.values())))
    called = parser.get_process_dependencies()
    top = [pid for pid in executable if pid not in called]
    if len(top) != 1:
        raise ProcessDefinitionError(
            f"the document has {len(top)} top-level executable processes ({', '.join(top)}); "
            "pass process_id to choose one"
        )
    return top[0]


def _require_executable(node: Any) -> None:
    if node.get("isExecutable", "true") != "true":
        raise ProcessDefinitionError(
            f"{_element(node)} is not executable: tick 'Executable' in the modeler (isExecutable=\"true\") to run it"
        )


def _describe(exc: ValidationException) -> str:
    where = []
    if getattr(exc, "tag", ""):
        where.append(f"<{exc.tag} id={exc.id!r}" + (f" {exc.name!r}>" if exc.name else ">"))
    if getattr(exc, "line_number", ""):
        where.append(f"(line {exc.line_number})")
    message = str(exc).rstrip(". ").replace(f"{{{BPMN_NS}}}", "bpmn:")
    return f"{' '.join(where)}: {message}" if where else message


def _task_infos(specs: Sequence[Any]) -> dict[str, TaskInfo]:
    infos: dict[str, TaskInfo] = {}
    for process_spec in specs:
        for task_spec in process_spec.task_specs.values():
            kind = _kind(task_spec)
            if kind is None:
                continue
            bpmn_id = getattr(task_spec, "bpmn_id", None) or task_spec.name
            label = getattr(task_spec, "bpmn_name", None) or bpmn_id
            role = role_for_lane(getattr(task_spec, "lane", None))
            infos[task_spec.name] = TaskInfo(spec=bpmn_id, name=label, kind=kind, role=role)
    return infos


def _kind(task_spec: Any) -> str | None:
    if isinstance(task_spec, ReceiveTaskMixin):
        return "external"
    if isinstance(task_spec, UserTaskMixin | ManualTaskMixin | NoneTaskMixin):
        return "user"
    return None
