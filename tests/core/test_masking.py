import pytest

from tongban.core import masking as m


@pytest.mark.parametrize(("value", "expected"), [
    ("张三", "张*"), ("欧阳娜娜", "欧***"), ("张", "张*"), ("", ""), (None, ""),
])
def test_name_keeps_first_char(value, expected):
    assert m.mask_name(value) == expected


def test_id_number_default_policy_keeps_first_1_last_2():
    assert m.mask_id_number("500103198503121234") == "5" + "*" * 15 + "34"


@pytest.mark.parametrize(("policy", "expected"), [
    ("1+2", "5" + "*" * 15 + "34"), ("3+4", "500" + "*" * 11 + "1234"), ("6+4", "500103" + "*" * 8 + "1234"),
])
def test_id_number_policies(policy, expected):
    assert m.mask_id_number("500103198503121234", policy=policy) == expected


def test_id_number_policy_from_settings(settings):
    settings.TONGBAN_MASK_ID_POLICY = "6+4"
    assert m.mask_id_number("50010319850312123X") == "500103********123X"


def test_unknown_policy_falls_back_to_default():
    assert m.mask_id_number("500103198503121234", policy="bogus") == "5" + "*" * 15 + "34"


def test_mobile_keeps_3_and_4():
    assert m.mask_mobile("13800000001") == "138****0001"
    assert m.mask_mobile("+8613800000001") == "+86138****0001"
    assert m.mask_phone("138 0000 0001") == "138****0001"


def test_landline_keeps_4_and_2():
    assert m.mask_landline("023-63899999") == "0236*****99"
    assert m.mask_phone("023-63899999") == "0236*****99"


def test_bank_card_last_4():
    assert m.mask_bank_card("6222 0212 3456 7890 123") == "****0123"
    assert m.mask_bank_card("123") == "***"


def test_email_first_char_and_domain():
    assert m.mask_email("zhangsan@example.com") == "z***@example.com"
    assert m.mask_email("@example.com") == "*@example.com"


def test_address_hides_tail():
    out = m.mask_address("重庆市渝中区解放碑街道民族路100号3单元")
    assert out.startswith("重庆市渝中区")
    assert "民族路" not in out
    assert out.endswith("******")
    assert "100" not in m.mask_address("短地址100号")


@pytest.mark.parametrize("kind", list(m.MASKERS))
def test_never_leaks_whole_value_and_tolerates_empty(kind):
    assert m.mask(kind, None) == ""
    for value in ("13800000001", "500103198503121234", "张三丰", "a@b.cn", "6222021234567890"):
        assert m.mask(kind, value) != value


def test_short_values_are_not_left_in_clear():
    assert m.mask_mobile("1234") == "1***"
    assert m.mask_id_number("12") == "1*"
    assert m.mask_id_number("1") == "*"
