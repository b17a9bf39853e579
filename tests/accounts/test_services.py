import pytest

from tongban.accounts import services
from tongban.accounts.models import Department
from tongban.audit.models import AuditEntry
from tongban.core.errors import ValidationFailed

pytestmark = pytest.mark.django_db


@pytest.fixture
def chongqing():
    return services.create_region(code="500000", name="重庆市", level=1, parent_code=None, actor="system")


def test_department_with_a_valid_credit_code_is_created_and_audited(chongqing):
    dept = services.create_department(code="mz", name="重庆市民政局", credit_code="11100000000013338W",
                                      region_code="500000", actor="system")
    assert AuditEntry.objects.filter(action="accounts.department.create", object_id=str(dept.pk)).exists()


@pytest.mark.parametrize(("credit_code", "parent"), [("11100000000013338X", None), ("11100000000013338W", "nope")])
def test_bad_credit_code_or_unknown_parent_is_refused(chongqing, credit_code, parent):
    with pytest.raises(ValidationFailed) as exc:
        services.create_department(code="mz", name="重庆市民政局", credit_code=credit_code, region_code="500000",
                                   parent_code=parent, actor="system")
    assert exc.value.errors
    assert not Department.objects.exists()
