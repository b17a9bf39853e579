"""Excel import/export with the national headers: loss-free round trip, and bad files never write."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from tongban.catalog import excel, services
from tongban.catalog.models import Bundle, ServiceItem

pytestmark = pytest.mark.usefixtures("catalog")


def test_workbook_has_the_national_headers_and_sheets():
    wb = load_workbook(io.BytesIO(services.export_xlsx()))
    assert wb.sheetnames == ["事项", "申请材料", "常见问题"]
    headers = [c.value for c in wb["事项"][1]]
    assert headers[: len(excel.NATIONAL_HEADERS)] == list(excel.NATIONAL_HEADERS)
    assert [c.value for c in wb["申请材料"][1]][:8] == ["实施编码", "材料名称", "出具机构", "原件份数", "复印件份数",
                                                    "是否必需", "文件格式", "备注"]
    row = {h: c.value for h, c in zip(headers, wb["事项"][2], strict=True)}
    assert row["基本编码"] == "000102001000" or row["基本编码"].isdigit()
    assert row["事项类型"] in {"行政许可", "行政确认", "公共服务", "行政给付", "其他行政权力"}
    assert wb["事项"].max_row == ServiceItem.objects.count() + 1


def test_round_trip_json_db_xlsx_db_is_loss_free():
    before = services.export_catalog()["items"]
    content = services.export_xlsx()
    Bundle.objects.all().delete()
    ServiceItem.objects.all().delete()
    report = services.import_xlsx(content, actor="test")
    assert report.ok, report.errors[:5]
    assert report.created == len(before)
    assert services.export_catalog()["items"] == before
    assert services.import_xlsx(content, actor="test").unchanged == len(before)


def test_edits_in_excel_are_imported():
    wb = load_workbook(io.BytesIO(services.export_xlsx()))
    ws = wb["事项"]
    headers = [c.value for c in ws[1]]
    ws.cell(row=2, column=headers.index("承诺办结时限") + 1, value=0)
    ws.cell(row=2, column=headers.index("收费金额(元)") + 1, value="0.00")
    code = ws.cell(row=2, column=2).value
    content = _save(wb)
    report = services.import_xlsx(content, actor="test")
    item = ServiceItem.objects.get(implementation_code=code)
    if item.fee_charged:
        assert not report.ok  # charged items need an amount
    else:
        assert report.ok
        assert report.updated == 1
        assert item.promised_days == 0


def test_codes_and_labels_are_both_accepted():
    wb = load_workbook(io.BytesIO(services.export_xlsx()))
    ws = wb["事项"]
    headers = [c.value for c in ws[1]]
    ws.cell(row=2, column=headers.index("办件类型") + 1, value=ServiceItem.objects.get(
        implementation_code=ws.cell(row=2, column=2).value).case_type)
    report = services.import_xlsx(_save(wb), actor="test")
    assert report.ok
    assert report.updated == 0


def test_bad_codes_are_reported_with_sheet_row_and_column():
    wb = load_workbook(io.BytesIO(services.export_xlsx()))
    ws = wb["事项"]
    headers = [c.value for c in ws[1]]
    ws.cell(row=3, column=headers.index("事项类型") + 1, value="行政许可证")
    ws.cell(row=4, column=headers.index("法定办结时限") + 1, value="三十")
    names_before = list(ServiceItem.objects.order_by("pk").values_list("name", flat=True))
    ws.cell(row=2, column=headers.index("事项名称") + 1, value="不应写入")
    report = services.import_xlsx(_save(wb), actor="test")
    assert not report.ok
    found = {(e["sheet"], e["row"], e.get("column") or e["field"]) for e in report.errors}
    assert ("事项", 3, "事项类型") in found
    assert ("事项", 4, "法定办结时限") in found
    assert list(ServiceItem.objects.order_by("pk").values_list("name", flat=True)) == names_before


@pytest.mark.parametrize("content", [b"", b"not an excel file", b"PK\x03\x04broken zip"])
def test_non_xlsx_bytes(content):
    report = services.import_xlsx(content, actor="test")
    assert not report.ok
    assert "Excel" in report.errors[0]["message"]


def test_missing_sheet_and_wrong_headers():
    wb = Workbook()
    wb.active.title = "Sheet1"
    report = services.import_xlsx(_save(wb), actor="test")
    assert "缺少工作表“事项”" in report.errors[0]["message"]

    wb = load_workbook(io.BytesIO(services.export_xlsx()))
    wb["事项"].cell(row=1, column=3, value="名称")
    report = services.import_xlsx(_save(wb), actor="test")
    assert "表头" in report.errors[0]["message"]
    assert "事项名称" in report.errors[0]["message"]

    wb = load_workbook(io.BytesIO(services.export_xlsx()))
    del wb["常见问题"]
    assert "常见问题" in services.import_xlsx(_save(wb), actor="test").errors[0]["message"]


def test_material_rows_for_unknown_items_are_rejected():
    wb = load_workbook(io.BytesIO(services.export_xlsx()))
    wb["申请材料"].append(["NOPE", "材料", "", 1, 0, "是", "pdf", "", ""])
    report = services.import_xlsx(_save(wb), actor="test")
    assert not report.ok
    assert "NOPE" in report.errors[0]["message"]


def _save(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
