"""The workflow adapter against the real SpiffWorkflow engine: every demo process end to end, state
round-tripping through JSON between every step, and definition errors that tell operators what to fix."""

from __future__ import annotations

import copy
import itertools
import json
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

import pytest

from tongban.workflow.engine import (
    ProcessDefinitionError,
    ProcessExecutionError,
    ProcessSpec,
    Step,
    WaitingTask,
    WorkflowStateError,
    cancel,
    compile_process,
    complete,
    load_builtin,
    start,
    waiting,
)

DATA = Path(__file__).with_name("data")
PROCESSES = Path(__file__).parents[2] / "src" / "tongban" / "workflow" / "processes"


def roundtrip(state: dict) -> dict:
    """What the cases layer does between calls: store as JSON, load it back."""
    return json.loads(json.dumps(state, ensure_ascii=False))


def act(spec: ProcessSpec, step: Step, expected: str, data: dict | None = None) -> Step:
    """Complete the only waiting task, asserting it is the one the process should be at."""
    assert [t.spec for t in step.waiting] == [expected]
    state = roundtrip(step.state)
    assert waiting(spec, state) == step.waiting
    return complete(spec, state, step.waiting[0].id, data)


def run_through(spec: ProcessSpec, form: dict, *, extra: dict | None = None) -> tuple[list[str], Step]:
    """Complete whatever waits until the process finishes; return the visited task ids."""
    step = start(spec, form)
    visited = []
    while not step.finished:
        assert len(step.waiting) == 1
        visited.append(step.waiting[0].spec)
        step = act(spec, step, step.waiting[0].spec, (extra or {}).get(step.waiting[0].spec))
    return visited, step


def process_xml(body: str, *, lanes: str = "", executable: str = "true", extra_ns: str = "") -> str:
    """A minimal BPMN document (no DI) around ``body``, for error cases."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        f'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" {extra_ns} '
        'id="Definitions_t" targetNamespace="http://bpmn.io/schema/bpmn">'
        f'<bpmn:process id="p" isExecutable="{executable}">{lanes}'
        '<bpmn:startEvent id="start"/>'
        f"{body}"
        "</bpmn:process></bpmn:definitions>"
    )


def linear(*nodes: str) -> str:
    """Chain start -> nodes... -> end with sequence flows (nodes given as (id, xml) pairs)."""
    ids = ["start", *[n.split('id="')[1].split('"')[0] for n in nodes], "end"]
    flows = "".join(
        f'<bpmn:sequenceFlow id="f{i}" sourceRef="{a}" targetRef="{b}"/>'
        for i, (a, b) in enumerate(itertools.pairwise(ids))
    )
    return "".join(nodes) + '<bpmn:endEvent id="end"/>' + flows


# --- demo processes ---------------------------------------------------------------------------------


def test_instant_finishes_on_start() -> None:
    step = start(load_builtin("instant"), {"applicant": "张三"})
    assert step.finished
    assert step.waiting == []
    assert step.data["result"] == "approved"
    assert step.data["applicant"] == "张三"
    json.dumps(step.state)


def test_one_level_runs_accept_then_approve_with_roles() -> None:
    spec = load_builtin("one_level")
    step = start(spec, {"name": "张三"})
    assert step.waiting == [WaitingTask(step.waiting[0].id, "accept", "受理", "user", "accept")]
    step = act(spec, step, "accept", {"accept_opinion": "材料齐全"})
    assert [(t.spec, t.name, t.role) for t in step.waiting] == [("approve", "审批", "approve")]
    step = act(spec, step, "approve", {"approve_opinion": "同意"})
    assert step.finished
    assert step.waiting == []
    assert step.data == {"name": "张三", "accept_opinion": "材料齐全", "approve_opinion": "同意"}
    assert step.data.get("result", "approved") == "approved"


def test_two_level_visits_accept_review_approve() -> None:
    visited, step = run_through(load_builtin("two_level"), {"x": 1})
    assert visited == ["accept", "review", "approve"]
    assert step.finished


@pytest.mark.parametrize(
    ("household_size", "income_fen", "expected"),
    [
        (5, 120_000, ["accept", "review", "approve"]),  # large household: extra check
        (2, 0, ["accept", "review", "approve"]),  # no income: extra check
        (2, 120_000, ["accept", "approve"]),  # default flow straight to 审批
    ],
)
def test_gateway_branches_on_form_data(household_size: int, income_fen: int, expected: list[str]) -> None:
    spec = load_builtin("gateway")
    visited, step = run_through(spec, {"household_size": household_size, "monthly_income_fen": income_fen})
    assert visited == expected
    assert step.finished


def test_gateway_roles_follow_lanes() -> None:
    spec = load_builtin("gateway")
    assert {info.spec: info.role for info in spec.tasks.values()} == {
        "accept": "accept",
        "review": "review",
        "approve": "approve",
    }
    assert spec.roles == {"accept", "review", "approve"}


@pytest.mark.parametrize(
    ("household_size", "income_fen", "level", "needs_review"),
    [
        (2, 0, "A", True),
        (5, 50_000, "A", True),
        (3, 50_000, "A", False),
        (4, 200_000, "B", False),
        (1, 500_000, "C", True),
    ],
)
def test_dmn_rule_rows_and_branch(household_size: int, income_fen: int, level: str, needs_review: bool) -> None:
    spec = load_builtin("dmn_rule")
    visited, step = run_through(spec, {"household_size": household_size, "monthly_income_fen": income_fen})
    assert step.data["subsidy_level"] == level
    assert step.data["needs_review"] is needs_review
    assert visited == (["accept", "review", "approve"] if needs_review else ["accept", "approve"])


def test_fee_step_waits_for_external_payment() -> None:
    spec = load_builtin("fee_step")
    step = start(spec, {"name": "李四"})
    step = act(spec, step, "accept")
    step = act(spec, step, "review", {"fee_fen": 1200})
    (fee,) = step.waiting
    assert (fee.spec, fee.name, fee.kind) == ("fee", "缴费", "external")
    step = act(spec, step, "fee", {"paid_fen": 1200, "receipt_no": "R-1"})
    assert [t.spec for t in step.waiting] == ["approve"]
    assert step.data["paid_fen"] == 1200
    step = act(spec, step, "approve")
    assert step.finished
    assert step.data["receipt_no"] == "R-1"


def test_receive_task_without_message_still_waits() -> None:
    """bpmn.io draws receiveTasks without a message; such a task must not be skipped."""
    spec = compile_process(process_xml(linear('<bpmn:receiveTask id="licence_issue" name="发证"/>')))
    step = start(spec, {})
    assert [(t.spec, t.kind, t.role) for t in step.waiting] == [("licence_issue", "external", "")]
    step = complete(spec, roundtrip(step.state), step.waiting[0].id, {"licence_no": "L1"})
    assert step.finished
    assert step.data["licence_no"] == "L1"


# --- bpmn.io -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("grade", "expected"), [(1, ["复核", "审批"]), (3, ["审批"])])
def test_bpmnio_plain_file_imports_and_runs(grade: int, expected: list[str]) -> None:
    spec = compile_process((DATA / "bpmnio_plain.bpmn").read_bytes())
    assert spec.process_id == "Process_1t9xq2c"
    step = start(spec, {"disability_grade": grade})
    assert [(t.name, t.role) for t in step.waiting] == [("窗口受理", "accept")]
    step = complete(spec, roundtrip(step.state), step.waiting[0].id)
    names = []
    while not step.finished:
        names.append(step.waiting[0].name)
        step = complete(spec, roundtrip(step.state), step.waiting[0].id)
    assert names == expected
    roles = {t.name: t.role for t in spec.tasks.values()}
    assert roles == {"窗口受理": "accept", "复核": "accept", "审批": "approve"}


# --- state handling -----------------------------------------------------------------------------------


def test_compile_is_cached_by_content() -> None:
    text = (PROCESSES / "one_level.bpmn").read_text(encoding="utf-8")
    first = compile_process(text)
    assert compile_process(text.encode()) is first
    assert load_builtin("one_level") is load_builtin("one_level")
    assert compile_process(text, process_id="one_level") == compile_process(text.encode(), process_id="one_level")
    assert hash(first) == hash(compile_process(text))


def test_wrong_task_id_is_a_state_error() -> None:
    spec = load_builtin("one_level")
    step = start(spec, {})
    state = roundtrip(step.state)
    with pytest.raises(WorkflowStateError, match="unknown task id"):
        complete(spec, state, str(uuid.uuid4()))
    with pytest.raises(WorkflowStateError, match="not a task uuid"):
        complete(spec, state, "accept")


def test_completing_a_task_twice_is_a_state_error() -> None:
    spec = load_builtin("one_level")
    step = start(spec, {})
    accept_id = step.waiting[0].id
    after = complete(spec, roundtrip(step.state), accept_id)
    with pytest.raises(WorkflowStateError, match="not waiting"):
        complete(spec, roundtrip(after.state), accept_id)


def test_caller_state_is_not_mutated() -> None:
    spec = load_builtin("fee_step")
    step = start(spec, {"a": 1})
    state = roundtrip(step.state)
    before = copy.deepcopy(state)
    complete(spec, state, step.waiting[0].id, {"b": 2})
    assert state == before


def test_state_of_another_process_or_garbage_is_refused() -> None:
    one, two = load_builtin("one_level"), load_builtin("two_level")
    state = roundtrip(start(one, {}).state)
    with pytest.raises(WorkflowStateError, match="belongs to process 'one_level'"):
        waiting(two, state)
    for garbage in ({}, {"format": 1}, [], "x", {"format": 1, "process": "one_level", "workflow": {}}):
        with pytest.raises(WorkflowStateError):
            complete(one, garbage, str(uuid.uuid4()))  # type: ignore[arg-type]


def test_state_with_tasks_missing_from_edited_definition_is_refused() -> None:
    spec = load_builtin("two_level")
    step = act(spec, start(spec, {}), "accept")  # now at "review"
    edited = (PROCESSES / "one_level.bpmn").read_text(encoding="utf-8").replace('id="one_level"', 'id="two_level"')
    edited_spec = compile_process(edited)
    with pytest.raises(WorkflowStateError, match="review"):
        complete(edited_spec, roundtrip(step.state), step.waiting[0].id)


def test_runtime_failure_names_the_element_and_changes_nothing() -> None:
    spec = load_builtin("gateway")
    step = start(spec, {"monthly_income_fen": 1})  # household_size missing from the form
    state = roundtrip(step.state)
    before = copy.deepcopy(state)
    with pytest.raises(ProcessExecutionError, match="household_size") as info:
        complete(spec, state, step.waiting[0].id)
    assert "needs_review" in str(info.value)
    assert state == before
    fixed = complete(spec, state, step.waiting[0].id, {"household_size": 1})
    assert [t.spec for t in fixed.waiting] == ["approve"]


def test_cancel_finishes_without_waiting_tasks() -> None:
    spec = load_builtin("two_level")
    step = start(spec, {"x": 1})
    cancelled = cancel(spec, roundtrip(step.state))
    assert cancelled.finished
    assert cancelled.cancelled
    assert cancelled.waiting == []
    assert waiting(spec, roundtrip(cancelled.state)) == []
    with pytest.raises(WorkflowStateError):
        complete(spec, roundtrip(cancelled.state), step.waiting[0].id)


def test_dates_in_form_data_survive_json() -> None:
    spec = load_builtin("one_level")
    submitted = datetime(2025, 3, 1, 9, 30)
    step = start(spec, {"submitted_at": submitted})
    json.dumps(step.data)
    step = act(spec, step, "accept")
    step = act(spec, step, "approve")
    assert step.data["submitted_at"]["value"] == submitted.isoformat()


def test_concurrent_starts_are_independent() -> None:
    spec = load_builtin("gateway")

    def one(i: int) -> list[str]:
        return run_through(spec, {"household_size": i % 7, "monthly_income_fen": 100 * i})[0]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(one, range(80)))
    for i, visited in enumerate(results):
        expected = ["accept", "review", "approve"] if i % 7 >= 5 or i == 0 else ["accept", "approve"]
        assert visited == expected


# --- definition errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ("<bpmn:definitions", "not well-formed XML"),
        ("", "empty"),
        ('<definitions xmlns="urn:x"/>', "BPMN 2.0"),
        (
            '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t"/>',
            "no <bpmn:process>",
        ),
        (process_xml(linear('<bpmn:userTask id="a"/>'), executable="false"), "isExecutable"),
        (process_xml(linear('<bpmn:serviceTask id="licence_issue" name="发证"/>')), "serviceTask"),
        (
            process_xml(
                linear(
                    '<bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition/></bpmn:intermediateCatchEvent>'
                )
            ),
            "intermediateCatchEvent",
        ),
        (
            process_xml(linear('<bpmn:scriptTask id="s"><bpmn:script>result = = 1</bpmn:script></bpmn:scriptTask>')),
            "not valid Python",
        ),
        (
            process_xml(
                linear('<bpmn:userTask id="a"/>').replace(
                    '<bpmn:endEvent id="end"/>', '<bpmn:endEvent id="end"><bpmn:bogus/></bpmn:endEvent>'
                )
            ),
            "bogus",
        ),
    ],
)
def test_bad_bpmn_is_a_definition_error(document: str, message: str) -> None:
    with pytest.raises(ProcessDefinitionError, match=message):
        compile_process(document)


def test_lane_with_unknown_role_is_refused() -> None:
    lanes = (
        '<bpmn:laneSet id="ls"><bpmn:lane id="Lane_boss" name="科长">'
        "<bpmn:flowNodeRef>a</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>"
    )
    with pytest.raises(ProcessDefinitionError, match=r"Lane_boss.*科长.*known role") as info:
        compile_process(process_xml(linear('<bpmn:userTask id="a" name="批"/>'), lanes=lanes))
    assert "审批" in str(info.value)


def test_unnamed_lane_is_refused() -> None:
    lanes = (
        '<bpmn:laneSet id="ls"><bpmn:lane id="Lane_x"><bpmn:flowNodeRef>a</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>'
    )
    with pytest.raises(ProcessDefinitionError, match=r"Lane_x.*no name"):
        compile_process(process_xml(linear('<bpmn:userTask id="a"/>'), lanes=lanes))


def test_role_codes_and_labels_both_map() -> None:
    for label, role in [
        ("accept", "accept"),
        ("窗口受理", "accept"),
        ("审核", "review"),
        ("dept_admin", "dept_admin"),
        ("部门管理员", "dept_admin"),
    ]:
        lanes = (
            f'<bpmn:laneSet id="ls"><bpmn:lane id="L" name="{label}">'
            "<bpmn:flowNodeRef>a</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>"
        )
        spec = compile_process(process_xml(linear('<bpmn:userTask id="a"/>'), lanes=lanes))
        assert spec.tasks["a"].role == role


def test_missing_dmn_decision_is_named() -> None:
    with pytest.raises(ProcessDefinitionError, match="subsidy_level"):
        compile_process((PROCESSES / "dmn_rule.bpmn").read_bytes())


def test_business_rule_task_without_decision_ref_is_explained() -> None:
    with pytest.raises(ProcessDefinitionError, match="decisionRef"):
        compile_process(
            process_xml(linear('<bpmn:businessRuleTask id="grade"/>')), [(PROCESSES / "subsidy_level.dmn").read_bytes()]
        )


def test_malformed_dmn_is_a_definition_error() -> None:
    bpmn = (PROCESSES / "dmn_rule.bpmn").read_bytes()
    with pytest.raises(ProcessDefinitionError, match="DMN"):
        compile_process(bpmn, ["<definitions"])
    with pytest.raises(ProcessDefinitionError, match="DMN"):
        compile_process(bpmn, ['<x xmlns="urn:not-dmn"/>'])


def test_several_processes_need_a_process_id() -> None:
    text = process_xml(linear('<bpmn:userTask id="a"/>')).replace(
        "</bpmn:definitions>",
        '<bpmn:process id="q" isExecutable="true"><bpmn:startEvent id="s2"/></bpmn:process></bpmn:definitions>',
    )
    with pytest.raises(ProcessDefinitionError, match="process_id"):
        compile_process(text)
    assert compile_process(text, process_id="p").process_id == "p"
    with pytest.raises(ProcessDefinitionError, match="'zz' not found"):
        compile_process(text, process_id="zz")


# --- timing -----------------------------------------------------------------------------------------------


def test_start_timing_is_reported() -> None:
    """Measured, not asserted: the figure is printed for the record (run with -s to see it)."""
    spec = load_builtin("two_level")
    form = {"household_size": 3, "monthly_income_fen": 120_000, "name": "张三"}
    for _ in range(50):
        step = start(spec, form)
    rounds = 500
    began = time.perf_counter()
    for _ in range(rounds):
        step = start(spec, form)
    start_ms = (time.perf_counter() - began) / rounds * 1000
    state, task_id = roundtrip(step.state), step.waiting[0].id
    began = time.perf_counter()
    for _ in range(rounds):
        complete(spec, state, task_id, {"opinion": "同意"})
    complete_ms = (time.perf_counter() - began) / rounds * 1000
    print(
        f"\nworkflow two_level: start+serialize {start_ms:.3f} ms, restore+complete+serialize "
        f"{complete_ms:.3f} ms, state {len(json.dumps(step.state))} bytes"
    )


def test_embedded_subprocess_tasks_wait_with_their_lane_role() -> None:
    sub = (
        '<bpmn:subProcess id="check" name="核查"><bpmn:startEvent id="s_in"/>'
        '<bpmn:userTask id="inner" name="入户核查"/><bpmn:endEvent id="e_in"/>'
        '<bpmn:sequenceFlow id="g1" sourceRef="s_in" targetRef="inner"/>'
        '<bpmn:sequenceFlow id="g2" sourceRef="inner" targetRef="e_in"/></bpmn:subProcess>'
    )
    lanes = (
        '<bpmn:laneSet id="ls"><bpmn:lane id="L" name="审核"><bpmn:flowNodeRef>check</bpmn:flowNodeRef>'
        "<bpmn:flowNodeRef>inner</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>"
    )
    spec = compile_process(process_xml(linear(sub, '<bpmn:userTask id="approve"/>'), lanes=lanes))
    step = start(spec, {"a": 1})
    assert [(t.spec, t.name, t.role) for t in step.waiting] == [("inner", "入户核查", "review")]
    assert waiting(spec, roundtrip(step.state)) == step.waiting
    step = complete(spec, roundtrip(step.state), step.waiting[0].id, {"b": 2})
    assert [(t.spec, t.role) for t in step.waiting] == [("approve", "")]
    step = complete(spec, roundtrip(step.state), step.waiting[0].id)
    assert step.finished
    assert step.data == {"a": 1, "b": 2}
