"""Message texts per event, in zh-CN and English. Plain ``str.format`` templates: editable without a template
engine, and a missing context key fails loudly in the producer's transaction instead of sending a broken text.

Context keys: ``number`` (办件编号) and ``item`` (事项名称) for every event, plus
``missing`` for case.supplement_required, ``result`` for case.completed, ``reason`` for case.rejected,
``task`` for task.assigned, ``due`` for sla.*, ``level`` for evaluation.bad.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

ZH, EN = "zh-hans", "en"

TEMPLATES: dict[str, dict[str, tuple[str, str]]] = {
    "case.submitted": {
        ZH: ("申请已提交", "您申请的“{item}”已提交，办件编号 {number}，请留意受理进度。"),
        EN: ("Application submitted", "Your application for “{item}” was submitted as case {number}."),
    },
    "case.accepted": {
        ZH: ("申请已受理", "您申请的“{item}”（{number}）已受理，正在办理。"),
        EN: ("Application accepted", "Your application for “{item}” ({number}) was accepted and is in progress."),
    },
    "case.supplement_required": {
        ZH: ("请补正材料", "您申请的“{item}”（{number}）需要补正：{missing}。请在补正后重新提交。"),
        EN: ("Please supplement your application",
             "Your application for “{item}” ({number}) needs more material: {missing}."),
    },
    "case.completed": {
        ZH: ("办件已办结", "您申请的“{item}”（{number}）已办结，结果：{result}。欢迎对本次服务进行评价。"),
        EN: ("Case completed", "Your application for “{item}” ({number}) is complete. Result: {result}. "
             "Please rate the service."),
    },
    "case.rejected": {
        ZH: ("申请不予受理", "您申请的“{item}”（{number}）不予受理，原因：{reason}。"),
        EN: ("Application not accepted", "Your application for “{item}” ({number}) was not accepted: {reason}."),
    },
    "task.assigned": {
        ZH: ("新的待办", "“{item}”办件 {number} 待您处理：{task}。"),
        EN: ("New task", "Case {number} (“{item}”) is waiting for you: {task}."),
    },
    "sla.warning": {
        ZH: ("办件即将超期", "“{item}”办件 {number} 将于 {due} 到期，请尽快办理。"),
        EN: ("Case due soon", "Case {number} (“{item}”) is due on {due}."),
    },
    "sla.overdue": {
        ZH: ("办件已超期", "“{item}”办件 {number} 已于 {due} 超期，请立即处理。"),
        EN: ("Case overdue", "Case {number} (“{item}”) was due on {due} and is overdue."),
    },
    "evaluation.bad": {
        ZH: ("收到差评，请整改", "“{item}”办件 {number} 收到差评（{level}），请在期限内完成整改。"),
        EN: ("Poor rating received", "Case {number} (“{item}”) was rated “{level}”. Please rectify in time."),
    },
}


@dataclass(frozen=True)
class Rendered:
    title: str
    body: str


def language(lang: str | None) -> str:
    """Map zh, zh-CN, zh-Hans, zh_hans … to zh-hans; anything else to English."""
    return ZH if (lang or ZH).lower().replace("_", "-").startswith("zh") else EN


def events() -> list[str]:
    return sorted(TEMPLATES)


def render(event: str, lang: str | None = ZH, **ctx: Any) -> Rendered:
    """Title and body for ``event``; raises KeyError for an unknown event or a missing context key."""
    title, body = TEMPLATES[event][language(lang)]
    return Rendered(title.format(**ctx), body.format(**ctx))
