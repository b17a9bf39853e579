"""Encrypted personal-data columns: clear text never reaches the database, lookups use the blind index,
and rotating the field key keeps old rows readable."""

import json

import pytest
from cryptography.exceptions import InvalidTag
from django.contrib.auth import get_user_model
from django.db import connection

from tongban.accounts.models import Person
from tongban.crypto import keys
from tongban.crypto.fields import blind_index, decrypt_text, encrypt_text

pytestmark = pytest.mark.django_db
ID = "500103198503121234"
PHONE = "13800000001"
OLD, NEW = "00112233445566778899aabbccddeeff", "ffeeddccbbaa99887766554433221100"


@pytest.fixture(autouse=True)
def fresh_keys():
    keys.reset()
    yield
    keys.reset()


def key_config(current: str, field_keys: dict[str, str]) -> str:
    return json.dumps({"field": {"current": current, "keys": field_keys},
                       "index": {"current": "index-1", "keys": {"index-1": "ff" * 32}}})


def person(username="zhangsan", id_number=ID, phone=PHONE) -> Person:
    user = get_user_model().objects.create_user(username=username, password="x" * 12)
    return Person.objects.create(user=user, name="张三", id_number=id_number, phone=phone)


def raw_columns(pk) -> tuple[str, str]:
    with connection.cursor() as cur:
        cur.execute("SELECT id_number, phone FROM accounts_person WHERE id = %s", [pk])
        return cur.fetchone()


def test_round_trip():
    p = person()
    again = Person.objects.get(pk=p.pk)
    assert (again.id_number, again.phone) == (ID, PHONE)


def test_column_holds_no_clear_text():
    p = person()
    raw_id, raw_phone = raw_columns(p.pk)
    assert ID not in raw_id
    assert PHONE not in raw_phone
    assert raw_id.startswith("sm4g:field-1:")
    assert ID not in p.id_number_index


def test_same_value_encrypts_differently():
    assert encrypt_text(ID) != encrypt_text(ID)


def test_blank_phone_stays_blank():
    p = person(phone="")
    assert raw_columns(p.pk)[1] == ""
    assert Person.objects.get(pk=p.pk).phone == ""


def test_blind_index_lookup():
    p = person()
    person("lisi", "500112199007082468", "13800000002")
    found = Person.objects.get(id_number_index=blind_index(ID, namespace="id_number"))
    assert found.pk == p.pk
    assert Person.objects.filter(phone_index=blind_index(PHONE, namespace="phone")).count() == 1


def test_blind_index_is_namespaced():
    assert blind_index("1", namespace="id_number") != blind_index("1", namespace="phone")


def test_lower_case_x_is_indexed_as_upper_case():
    p = person(id_number="11010519491231002x")
    assert Person.objects.get(id_number_index=blind_index("11010519491231002X", namespace="id_number")).pk == p.pk


def test_key_rotation(settings):
    settings.TONGBAN_FIELD_KEYS = key_config("field-1", {"field-1": OLD})
    old = person("old")
    settings.TONGBAN_FIELD_KEYS = key_config("field-2", {"field-1": OLD, "field-2": NEW})
    keys.reset()
    new = person("new", "500112199007082468", "13800000002")
    assert Person.objects.get(pk=old.pk).id_number == ID
    assert Person.objects.get(pk=new.pk).id_number == "500112199007082468"
    assert raw_columns(old.pk)[0].startswith("sm4g:field-1:")
    assert raw_columns(new.pk)[0].startswith("sm4g:field-2:")


def test_resaving_an_old_row_moves_it_to_the_current_key(settings):
    settings.TONGBAN_FIELD_KEYS = key_config("field-1", {"field-1": OLD})
    p = person()
    settings.TONGBAN_FIELD_KEYS = key_config("field-2", {"field-1": OLD, "field-2": NEW})
    keys.reset()
    Person.objects.get(pk=p.pk).save()
    assert raw_columns(p.pk)[0].startswith("sm4g:field-2:")


def test_a_retired_key_cannot_be_forgotten_silently(settings):
    token = encrypt_text(ID)
    settings.TONGBAN_FIELD_KEYS = key_config("field-2", {"field-2": NEW})
    keys.reset()
    with pytest.raises(KeyError):
        decrypt_text(token)


def test_key_id_is_bound_to_the_ciphertext(settings):
    """Relabelling a ciphertext with another key id fails authentication instead of decrypting garbage."""
    settings.TONGBAN_FIELD_KEYS = key_config("field-1", {"field-1": OLD, "field-2": OLD})
    keys.reset()
    token = encrypt_text(ID)
    with pytest.raises(InvalidTag):
        decrypt_text(token.replace("field-1", "field-2"))
