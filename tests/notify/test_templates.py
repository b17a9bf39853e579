import pytest

from tongban.notify import templates

CTX = {"number": "11500000MB0000000X202609300001", "item": "最低生活保障申请", "missing": "户口簿",
       "result": "准予许可", "reason": "材料不全", "task": "审核", "due": "2026-10-09", "level": "不满意"}
EVENTS = ["case.submitted", "case.accepted", "case.supplement_required", "case.completed", "case.rejected",
          "task.assigned", "sla.warning", "sla.overdue", "evaluation.bad"]


@pytest.mark.parametrize("event", EVENTS)
@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_every_event_renders_in_both_languages(event, lang):
    out = templates.render(event, lang, **CTX)
    assert out.title
    assert CTX["number"] in out.body
    assert "{" not in out.body


def test_events_list_is_complete():
    assert templates.events() == sorted(EVENTS)


@pytest.mark.parametrize(("lang", "expected"), [("zh-CN", "zh-hans"), ("zh_Hans", "zh-hans"), ("zh", "zh-hans"),
                                               (None, "zh-hans"), ("en-US", "en"), ("fr", "en")])
def test_language_normalisation(lang, expected):
    assert templates.language(lang) == expected


def test_chinese_text_is_chinese():
    assert templates.render("case.accepted", "zh-CN", **CTX).title == "申请已受理"


def test_missing_context_fails_loudly():
    with pytest.raises(KeyError):
        templates.render("case.rejected", "zh-hans", number="1", item="x")


def test_unknown_event_fails_loudly():
    with pytest.raises(KeyError):
        templates.render("case.nope", "zh-hans")
