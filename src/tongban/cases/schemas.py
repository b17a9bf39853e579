"""API shapes for cases. Inputs are strict: a JSON ``false`` never becomes 0, a string never becomes a form."""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Field, StrictInt, StrictStr
from pydantic_core import PydanticCustomError

from tongban.cases.services.forms import FORM_MAX_BYTES


def _bounded(form: dict[str, Any]) -> dict[str, Any]:
    if len(json.dumps(form, ensure_ascii=False, default=str).encode()) > FORM_MAX_BYTES:
        raise PydanticCustomError("too_large", "表单内容过大（最多 64 KB），附件请作为材料上传")
    return form


FormData = Annotated[dict[str, Any], AfterValidator(_bounded),
                     Field(description="The item's form as a JSON object, validated against its `form_schema` "
                                       "(at most 64 KB)")]
Code = Annotated[StrictStr, Field(min_length=1, max_length=60)]


class StrictIn(Schema):
    model_config = ConfigDict(strict=True)


class ApplicationCreate(StrictIn):
    service_code: StrictStr = Field(min_length=1, max_length=60, description="实施编码 of the service item")
    form: FormData


class DraftCreate(ApplicationCreate):
    draft_id: StrictInt | None = None


class BundleCreate(StrictIn):
    bundle_code: StrictStr = Field(min_length=1, max_length=30)
    form: FormData


class WithdrawIn(StrictIn):
    reason: StrictStr = Field("", max_length=500)


class SupplementIn(StrictIn):
    form: FormData | None = None
    note: StrictStr = Field("", max_length=2000)


class EvaluationIn(StrictIn):
    satisfaction: StrictInt = Field(ge=1, le=5, description="5 = 非常满意 … 1 = 非常不满意")
    dimensions: dict[str, StrictInt] | None = Field(None, max_length=20,
                                                    description="评价维度 name → level 1..5")
    comment: StrictStr = Field("", max_length=2000)
    channel: StrictStr = Field("1", max_length=2, description="评价渠道 pf: 1 PC 2 移动端 3 二维码 …")


class TaskAction(StrictIn):
    action: Literal["approve", "deny", "return", "reject"]
    comment: StrictStr = Field("", max_length=2000)
    missing: list[Code] | None = Field(None, max_length=50, description="material codes to supply (补正)")


class CommentIn(StrictIn):
    text: StrictStr = Field(min_length=1, max_length=2000)


class SuspendIn(StrictIn):
    reason: StrictStr = Field(min_length=1, max_length=500)


class AnswerIn(StrictIn):
    answer: StrictStr = Field(min_length=1, max_length=4000)


class ServiceRef(Schema):
    code: str
    name: str


class HistoryLine(Schema):
    at: dt.datetime
    action: str
    status: str
    status_label: str
    comment: str
    actor: str


class TaskBrief(Schema):
    id: int
    name: str
    role: str
    state: str
    due: dt.date | None


class MaterialOut(Schema):
    id: int
    material_code: str
    file_name: str
    content_type: str
    size: int
    created_at: dt.datetime


class EvaluationOut(Schema):
    id: int
    satisfaction: int
    satisfaction_label: str
    dimensions: dict[str, Any]
    comment: str
    is_followup: bool
    created_at: dt.datetime


class ApplicationSummary(Schema):
    id: int
    number: str | None
    status: str
    status_label: str
    result: str
    service: ServiceRef
    submitted_at: dt.datetime | None
    due_date: dt.date | None
    group_id: int | None = None


class ApplicationDetail(ApplicationSummary):
    form: dict[str, Any]
    missing: list[str]
    accepted_at: dt.datetime | None
    completed_at: dt.datetime | None
    waiting_external: str
    overdue: bool
    history: list[HistoryLine]
    tasks: list[TaskBrief]
    materials: list[MaterialOut]
    evaluation: EvaluationOut | None
    followup: EvaluationOut | None


class ApplicationPage(Schema):
    items: list[ApplicationSummary]
    next: str | None


class GroupOut(Schema):
    id: int
    bundle: str
    status: str
    status_label: str
    applications: list[ApplicationSummary]


class TaskOut(Schema):
    id: int
    application_id: int
    number: str | None
    name: str
    service: ServiceRef
    due: dt.date | None
    role: str
    state: str
    applicant_name_masked: str
    created_at: dt.datetime
    completed_at: dt.datetime | None
    action: str


class TaskPage(Schema):
    items: list[TaskOut]
    next: str | None


class TaskDetail(TaskOut):
    application: ApplicationDetail


class RectificationOut(Schema):
    id: int
    application_id: int
    number: str | None
    service: ServiceRef
    satisfaction: int
    comment: str
    deadline: dt.date
    state: str
    answer: str
    return_visit: bool


class RectificationPage(Schema):
    items: list[RectificationOut]
    next: str | None
