"""Demo cases in every status, made by calling the real services as the demo citizens and 民政局 officials.

Idempotent: runs only while the demo citizens have no applications yet, so an operator's demo session is
never duplicated by a re-seed. Used by ``console.demo.seed.seed_cases``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from tongban.accounts.models import Person, User
from tongban.cases import services
from tongban.cases.models import Application, Task, TaskState
from tongban.catalog.models import ServiceItem

DIBAO = "最低生活保障申请"
CITIZENS = ("zhangsan", "lisi")
OFFICIALS = ("mz.shouli", "mz.shenhe", "mz.shenpi", "mz.admin")


def _form(who: Person, *, household: int = 3, income_fen: int = 120000) -> dict:
    return {"applicant_name": who.name, "id_number": who.id_number, "phone": who.phone or "13800000002",
            "household_size": household, "monthly_income_fen": income_fen,
            "address": "重庆市渝中区解放碑街道民族路" if who.region_id == "500103" else "重庆市渝北区双龙湖街道",
            "reason": "家庭成员患病，收入低于本市最低生活保障标准"}


def _task(app: Application) -> int:
    return Task.objects.get(application=app, state=TaskState.OPEN, kind="user").pk


def seed() -> int:
    users = {u.username: u for u in User.objects.filter(username__in=CITIZENS + OFFICIALS)}
    item = ServiceItem.objects.filter(name=DIBAO).first()
    if item is None or len(users) < len(CITIZENS + OFFICIALS):
        return 0
    if Application.objects.filter(applicant__username__in=CITIZENS).exists():
        return 0
    people = {p.user.username: p for p in Person.objects.filter(user__username__in=CITIZENS).select_related("user")}
    with transaction.atomic():
        return len([make for make in _scenarios(item.code, users, people) if make()])


def _scenarios(code: str, u: dict[str, User], p: dict[str, Person]) -> list[Callable[[], Application]]:
    zs, ls = u["zhangsan"], u["lisi"]
    shouli, shenhe, shenpi = u["mz.shouli"], u["mz.shenhe"], u["mz.shenpi"]

    def submit(user: User, **kw) -> Application:
        return services.submit(user, service_code=code, form=_form(p[user.username], **kw))

    def accepted(user: User, **kw) -> Application:
        app = submit(user, **kw)
        return services.act(shouli, _task(app), "approve", "材料齐全，予以受理")

    def in_progress() -> Application:
        app = accepted(zs, household=5)
        return services.act(shenhe, _task(app), "approve", "入户核查属实")

    def completed(user: User, rating: int, comment: str) -> Application:
        app = accepted(user, household=5)
        app = services.act(shenhe, _task(app), "approve", "入户核查属实")
        app = services.act(shenpi, _task(app), "approve", "符合低保条件，同意")
        services.evaluate(user, app.pk, satisfaction=rating, comment=comment,
                          dimensions={"整体满意度": rating, "办事效率": rating})
        return app

    def denied() -> Application:
        app = accepted(ls, household=2, income_fen=900000)
        app = services.act(shenhe, _task(app), "approve", "已核对家庭收入")
        return services.act(shenpi, _task(app), "deny", "家庭人均收入高于本市低保标准")

    def rejected() -> Application:
        app = submit(ls)
        return services.act(shouli, _task(app), "reject", "申请人户籍不在本市，且未提供居住证")

    def supplement() -> Application:
        app = accepted(zs, household=5)
        return services.act(shenhe, _task(app), "return", "请补充家庭经济状况核对授权书",
                            missing=["家庭经济状况核对授权书"])

    def suspended() -> Application:
        return services.suspend(shenhe, accepted(ls).pk, "等待街道民主评议结果")

    def withdrawn() -> Application:
        return services.withdraw(zs, submit(zs).pk, "信息填写有误，撤回后重新申请")

    def draft() -> Application:
        return services.save_draft(zs, service_code=code, form={"applicant_name": p["zhangsan"].name})

    def bad_rating() -> Application:  # 差评: the 整改 stays open for 部门管理员 mz.admin
        return completed(ls, 2, "审批时间太长，多次电话询问才有答复")

    return [
        lambda: submit(zs), lambda: accepted(ls), in_progress, supplement, suspended,
        lambda: completed(zs, 5, "工作人员耐心细致，全程网上办理很方便"), denied, rejected, withdrawn, draft,
        bad_rating,
    ]
