"""Request events keep their kind and data; the applicant's sentence is rendered when shown
(applications/events.py). Existing events stored a finished sentence in `public_note`: where it
is one the workflow wrote, its facts go into `payload` and the sentence is cleared; anything else
(wording from an older version, a hand-made row) stays as it was and is shown as before.

The table is append-only by trigger (portal/append_only.py): the trigger is dropped for this
rewrite and created again at the end, within the migration's transaction.
"""

import datetime as dt
import re

from django.db import migrations, models

from portal import append_only

TABLE = "applications_requestevent"
DATE = r"(?P<y>\d{4})年(?P<m>\d{2})月(?P<d>\d{2})日"

# kind -> (the sentence the workflow wrote, as a pattern; the facts it holds beyond the payload).
FIXED = {
    "submitted": "申请已通过网上提交，等待受理单位确认收到。",
    "supplement_received": "已收到补正材料，答复期限重新计算。",
    "supplement_expired": "申请人逾期未补正，视为放弃申请，不再处理。",
    "consultation_ended": "征求意见结束，继续办理。",
    "fee_paid": "已收到信息处理费，继续办理。",
    "fee_expired": "申请人逾期未缴纳信息处理费，视为放弃申请，不再处理。",
    "withdrawn": "申请人已撤回申请。",
    "complaint": "申请人提出投诉。",
    "complaint_answered": "投诉已答复，请在查询页面查看。",
    "code_reissued": "查询码已重新发放，原查询码停止使用。",
}
PATTERNS = {
    "registered": (r"登记(?P<label>.+)申请。", ["channel"]),
    "redirected": (r"您的申请已由(?P<from_unit_name>.+?)转至(?P<to_unit_name>.+)办理。", []),
    "supplement_requested": (rf"请于{DATE}前补正：(?P<what>.*)", ["what"]),
    "consultation_started": (
        r"正在书面征求(?P<label>第三方|其他机关)意见，所需时间不计入答复期限。",
        ["party"],
    ),
    "extended": (
        r"经政府信息公开工作机构负责人同意，答复期限延长(?P<workdays>\d+)个工作日。理由：(?P<reason>.*)",
        ["workdays"],
    ),
    "later_date": (
        rf"您的申请数量、频次明显超过本机关答复能力，本机关将于{DATE}前答复。理由：(?P<reason>.*)",
        [],
    ),
    "fee_notice": (rf"信息处理费(?P<amount>[0-9.]+)元，请于{DATE}前缴纳。.*", ["method", "quantity"]),
    "replied": (r"已作出答复：.*。", ["result"]),
}


def facts(event) -> dict | None:
    """The facts of a sentence the workflow wrote, or None when it is not one of them."""
    text, payload = event.public_note, event.payload or {}
    if event.kind == "received":
        return {"已收到申请。": {}, "已确认收到申请。": {"confirmed": True}}.get(text)
    if FIXED.get(event.kind) == text:
        return {}
    if event.kind not in PATTERNS:
        return None
    pattern, needed = PATTERNS[event.kind]
    match = re.fullmatch(pattern, text, re.DOTALL)
    if match is None or any(name not in payload for name in needed):
        return None
    groups = match.groupdict()
    if "amount" in groups and groups["amount"] != str(payload.get("amount")):
        return None
    if "y" in groups:
        said = dt.date(int(groups["y"]), int(groups["m"]), int(groups["d"]))
        if event.until_on != said:
            return None
    # Only what the payload lacks: the reason and the units' names at the time.
    return {k: groups[k] for k in ("reason", "from_unit_name", "to_unit_name") if k in groups}


def forward(apps, schema_editor):
    RequestEvent = apps.get_model("applications", "RequestEvent")
    vendor = schema_editor.connection.vendor
    for sql in append_only.backward_sql(vendor, TABLE):
        schema_editor.execute(sql, None)
    changed = []
    for event in RequestEvent.objects.exclude(public_note="").iterator():
        found = facts(event)
        if found is None:
            continue  # kept: shown as written
        event.payload = {**(event.payload or {}), **found}
        event.public_note = ""
        changed.append(event)
    RequestEvent.objects.bulk_update(changed, ["payload", "public_note"], batch_size=500)
    for sql in append_only.forward_sql(vendor, TABLE):
        schema_editor.execute(sql, None)


class Migration(migrations.Migration):
    dependencies = [("applications", "0005_event_code_reissued")]

    operations = [
        migrations.AlterField(
            model_name="requestevent",
            name="public_note",
            field=models.TextField(blank=True, verbose_name="告知申请人的内容（旧记录）"),
        ),
        # Irreversible in substance: going back leaves the sentences to be rendered.
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
