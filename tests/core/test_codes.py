import pytest
from hypothesis import given
from hypothesis import strategies as st

from tongban.core import codes, money


@pytest.mark.parametrize("value", ["11010519491231002X", "440524188001010014", "530321199204074611",
                                   "500103198503121234", "11010519491231002x"])
def test_valid_id_numbers(value):
    assert codes.id_number_error(value) is None


@pytest.mark.parametrize(("value", "reason"), [
    ("11010519491231002", "format"), ("110105194912310021", "check_digit"),
    ("110105194913310028", "birth_date"), ("11010519491231002Y", "format"),
])
def test_invalid_id_numbers(value, reason):
    assert codes.id_number_error(value) == reason


@given(st.from_regex(r"\A[1-6]\d{5}(19[5-9]\d|20[01]\d)(0[1-9]|1[0-2])(0[1-9]|1\d|2[0-8])\d{3}\Z"))
def test_any_id_with_computed_check_char_is_valid_and_any_other_check_char_is_not(first17):
    check = codes.id_number_check_char(first17)
    assert codes.id_number_error(first17 + check) is None
    wrong = next(c for c in "0123456789X" if c != check)
    assert codes.id_number_error(first17 + wrong) == "check_digit"


@pytest.mark.parametrize("value", ["91350100M000100Y43", "11100000000013338W", "11100000000013127D",
                                   "12441500196720244T", "91610800064834709T"])
def test_valid_credit_codes(value):
    assert codes.credit_code_error(value) is None


def test_credit_code_rejects_forbidden_letters_and_bad_check():
    assert codes.credit_code_error("91350100M000100Y4I") == "format"
    assert codes.credit_code_error("91350100M000100Y44") == "check_digit"


@pytest.mark.parametrize(("code", "prefix"), [("500000", "50"), ("500100", "5001"), ("500103", "500103"),
                                              ("500103001000", "500103001")])
def test_region_prefix(code, prefix):
    assert codes.region_prefix(code) == prefix
    assert codes.region_contains("500000", "500112")
    assert not codes.region_contains("500103", "500112")


@pytest.mark.parametrize(("fen", "text"), [
    (0, "零元整"), (100, "壹元整"), (1234, "壹拾贰元叁角肆分"), (100005, "壹仟元零伍分"),
    (1000000, "壹万元整"), (10000010, "壹拾万元零壹角"), (2000, "贰拾元整"),
])
def test_capitalized_amounts(fen, text):
    assert money.capitalized(fen) == text


def test_yuan():
    assert money.yuan(1234) == "12.34"
    assert money.yuan(5) == "0.05"
