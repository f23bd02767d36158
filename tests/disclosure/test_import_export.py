import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from disclosure.importing import HEADERS
from disclosure.models import Entry, EntryAction, EntryState

pytestmark = pytest.mark.django_db

IMPORT = "/admin/disclosure/entry/import/"


def xlsx(rows, headers=HEADERS):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h, "") for h in headers])
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("entries.xlsx", out.getvalue())


def csv_file(rows, encoding="utf-8-sig"):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow([row.get(h, "") for h in HEADERS])
    return SimpleUploadedFile("entries.csv", out.getvalue().encode(encoding))


GOOD = {
    "发布机构": "市政务服务中心",
    "信息分类": "财政预决算",
    "名称": "2019年部门决算",
    "内容概述": "决算说明",
    "正文": "第一段\n第二段",
    "文号": "",
    "生成日期": "2019-08-01",
    "文件类型": "其他",
    "有效性": "有效",
}
HISTORIC = {
    **GOOD,
    "名称": "2018年部门预算",
    "生成日期": "2018-02-01",
    "索引号": "003408002/2018-00077",
    "发布日期": "2018-02-05",
}


def test_preview_then_confirm_saves_all(login, unit_a, admin_a):
    client = login(admin_a)
    preview = client.post(IMPORT, {"file": xlsx([GOOD, HISTORIC])})
    body = preview.content.decode()
    assert "预览（共2行）" in body and "确认导入2条" in body
    assert not Entry.objects.exists()  # nothing before confirmation
    token = preview.context["token"]
    response = client.post(IMPORT, {"token": token})
    assert response.status_code == 302
    draft = Entry.objects.get(title="2019年部门决算")
    assert draft.state == EntryState.DRAFT and draft.body == "<p>第一段</p><p>第二段</p>"
    historic = Entry.objects.get(title="2018年部门预算")
    assert historic.state == EntryState.PUBLISHED and historic.is_public
    assert historic.index_number == "003408002/2018-00077"
    assert historic.events.filter(action=EntryAction.IMPORT).exists()
    # The token is single-use.
    client.post(IMPORT, {"token": token})
    assert Entry.objects.count() == 2


def test_any_invalid_row_blocks_everything_with_chinese_errors(login, unit_a, admin_a):
    bad_rows = [
        GOOD,
        {**GOOD, "发布机构": "不存在的局", "生成日期": "2019/13/45"},
        {**GOOD, "信息分类": "乱写分类", "有效性": "半有效"},
        {**GOOD, "名称": "", "文件类型": "条例"},
        {**GOOD, "有效性": "废止"},
        {**HISTORIC, "发布日期": ""},
    ]
    response = login(admin_a).post(IMPORT, {"file": xlsx(bad_rows)})
    body = response.content.decode()
    assert "5行有错误" in body and 'name="token"' not in body and "token" not in response.context
    for message in (
        "发布机构“不存在的局”不存在或不在您的单位范围内",
        "生成日期“2019/13/45”格式不正确",
        "信息分类“乱写分类”不存在",
        "有效性“半有效”应为现行有效、已修改、已废止或已失效",
        "名称不能为空",
        "文件类型“条例”应为规章、行政规范性文件、政策解读或其他",
        "有效性为已修改、已废止或已失效时必须填写失效/废止日期",
        "须同时填写索引号和发布日期",
    ):
        assert message in body, message
    assert not Entry.objects.exists()


def test_duplicate_and_taken_index_numbers(login, unit_a, admin_a, make_entry):
    existing = make_entry(unit_a)
    rows = [
        {**HISTORIC, "索引号": existing.index_number},
        {**HISTORIC, "名称": "甲", "索引号": "X/1"},
        {**HISTORIC, "名称": "乙", "索引号": "X/1"},
    ]
    body = login(admin_a).post(IMPORT, {"file": xlsx(rows)}).content.decode()
    assert "已被使用" in body and "与第3行重复" in body


def test_publisher_cannot_import_published_entries(login, unit_a, publisher_a):
    body = login(publisher_a).post(IMPORT, {"file": xlsx([HISTORIC])}).content.decode()
    assert "导入已发布的信息需要该单位的审核权限" in body


def test_other_units_are_not_importable(login, unit_a, unit_b, publisher_a):
    row = {**GOOD, "发布机构": "市教育局"}
    body = login(publisher_a).post(IMPORT, {"file": xlsx([row])}).content.decode()
    assert "不在您的单位范围内" in body


def test_gbk_csv_from_excel_is_read(login, unit_a, admin_a):
    response = login(admin_a).post(IMPORT, {"file": csv_file([GOOD], encoding="gb18030")})
    assert "确认导入1条" in response.content.decode()


@pytest.mark.parametrize(
    "upload, message",
    [
        (SimpleUploadedFile("a.txt", b"hello"), "只能导入XLSX或CSV文件"),
        (SimpleUploadedFile("a.xlsx", b"PK\x03\x04broken"), "无法读取该XLSX文件"),
        (SimpleUploadedFile("a.csv", "名称\n只有名称\n".encode()), "表头缺少必填列"),
        (SimpleUploadedFile("a.csv", b""), "文件是空的"),
    ],
)
def test_bad_files_get_a_chinese_message(login, unit_a, admin_a, upload, message):
    response = login(admin_a).post(IMPORT, {"file": upload})
    assert response.status_code == 200 and message in response.content.decode()


def test_export_filtered_list_as_xlsx_and_csv(login, unit_a, admin_a, make_entry):
    make_entry(unit_a, title='=HYPERLINK("http://evil")预算')
    make_entry(unit_a, title="草稿一", state=EntryState.DRAFT)
    client = login(admin_a)
    response = client.get("/admin/disclosure/entry/export/xlsx/?state__exact=published")
    assert response.status_code == 200
    assert "attachment;" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0][: len(HEADERS)]) == HEADERS
    assert len(rows) == 2 and rows[1][2].startswith("'=HYPERLINK")  # formula neutralised
    text = client.get("/admin/disclosure/entry/export/csv/").content.decode("utf-8-sig")
    assert "草稿一" in text and "'=HYPERLINK" in text
    assert client.get("/admin/disclosure/entry/export/pdf/").status_code == 404


def test_export_round_trips_through_import(login, unit_a, admin_a, make_entry):
    entry = make_entry(unit_a, title="往返测试")
    client = login(admin_a)
    exported = client.get("/admin/disclosure/entry/export/xlsx/").content
    Entry.objects.all().delete()
    upload = SimpleUploadedFile("back.xlsx", exported)
    preview = client.post(IMPORT, {"file": upload})
    assert preview.context["error_count"] == 0, preview.content.decode()[-3000:]
    client.post(IMPORT, {"token": preview.context["token"]})
    back = Entry.objects.get(title="往返测试")
    assert back.index_number == entry.index_number and back.state == EntryState.PUBLISHED


def test_imported_numbers_of_this_month_move_the_counter(login, unit_a, admin_a, make_entry):
    # The old system's last numbers this month, in this site's own form: later publications in
    # the unit continue after them instead of failing as duplicates.
    from django.utils import timezone

    today = timezone.localdate()
    month = f"{today:%Y%m}"
    rows = [
        {
            **HISTORIC,
            "名称": f"原系统信息{n}",
            "索引号": f"003408002/{month}-{n:05d}",
            "发布日期": today,
        }
        for n in (3, 7)
    ]
    client = login(admin_a)
    preview = client.post(IMPORT, {"file": xlsx(rows)})
    assert client.post(IMPORT, {"token": preview.context["token"]}).status_code == 302
    assert Entry.objects.filter(state=EntryState.PUBLISHED).count() == 2
    for n in range(1, 4):
        entry = make_entry(unit_a, title=f"新信息{n}")
        assert entry.state == EntryState.PUBLISHED
        assert entry.index_number == f"003408002/{month}-{7 + n:05d}"


def test_imported_numbers_of_another_form_leave_the_counter(login, unit_a, admin_a, make_entry):
    client = login(admin_a)
    preview = client.post(IMPORT, {"file": xlsx([{**HISTORIC, "索引号": "GK-2018-77"}])})
    assert client.post(IMPORT, {"token": preview.context["token"]}).status_code == 302
    assert make_entry(unit_a).index_serial == 1
