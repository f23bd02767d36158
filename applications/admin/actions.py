"""The staff actions on a request: each names its form and the workflow step it runs.

When an action may run is the workflow's rule (`workflow.TRANSITIONS`), not declared here.
"""

from collections.abc import Callable
from dataclasses import dataclass

from applications import admin_forms as forms
from applications import workflow


def _code_reissued(result) -> str:
    request, code = result
    if request.code_by_email:
        return "新查询码已发送至申请人的电子邮箱，原查询码已停止使用。"
    route = request.get_delivery_display()
    return (
        f"新查询码：{code}（只显示这一次；申请人选择“{route}”，请按该方式书面告知申请人）。"
        "原查询码已停止使用。"
    )


@dataclass(frozen=True)
class Action:
    name: str  # the workflow transition (workflow.TRANSITIONS) it runs
    label: str
    form: type
    run: Callable
    help: str = ""
    # What staff are told once it is done, from what `run` returned; None: "已完成".
    done: Callable | None = None


ACTIONS = {
    action.name: action
    for action in [
        Action(
            "confirm",
            "确认收到",
            forms.ConfirmForm,
            lambda r, u, d: workflow.confirm(r, actor=u, received_on=d["on"], note=d["note"]),
        ),
        Action(
            "redirect",
            "转至其他单位",
            forms.RedirectForm,
            lambda r, u, d: workflow.redirect(r, actor=u, to_unit=d["to_unit"], note=d["note"]),
            "申请错投的，在确认收到前转至有关单位办理。",
        ),
        Action(
            "request_supplement",
            "要求补正",
            forms.SupplementRequestForm,
            lambda r, u, d: workflow.request_supplement(
                r, actor=u, what=d["what"], period_workdays=d["period_workdays"]
            ),
            "只能一次，且须在收到申请之日起7个工作日内（第三十条）。",
        ),
        Action(
            "receive_supplement",
            "登记收到补正",
            forms.SupplementReceivedForm,
            lambda r, u, d: workflow.receive_supplement(
                r, actor=u, text=d["text"], file=d.get("file"), on=d["on"]
            ),
            "答复期限自收到补正之日起重新计算。",
        ),
        Action(
            "supplement_expired",
            "逾期未补正，终止",
            forms.NoteForm,
            lambda r, u, d: workflow.supplement_expired(r, actor=u),
            "计入“其他处理 1”。",
        ),
        Action(
            "start_consultation",
            "征求意见",
            forms.ConsultationStartForm,
            lambda r, u, d: workflow.start_consultation(
                r,
                actor=u,
                party=d["party"],
                note=d["note"],
                letter_received_on=d["letter_received_on"],
                third_party=d["third_party"],
            ),
            "征求第三方或其他机关意见的时间不计入答复期限；第三方自收到征求意见书之日起"
            "15个工作日内未提出意见的，此后的时间计入期限（第三十二条）。",
        ),
        Action(
            "consultation_received",
            "登记第三方收到日期",
            forms.ReceivedOnForm,
            lambda r, u, d: workflow.record_consultation_received(r, actor=u, received_on=d["on"]),
            "第三方的15个工作日自其收到征求意见书之日的次日起算（第三十二条）。",
        ),
        Action(
            "end_consultation",
            "结束征求意见",
            forms.ConsultationEndForm,
            lambda r, u, d: workflow.end_consultation(r, actor=u, note=d["note"], on=d["on"]),
        ),
        Action(
            "extend",
            "延期答复",
            forms.ExtendForm,
            lambda r, u, d: workflow.extend(
                r, actor=u, workdays=d["workdays"], approver=d["approver"], reason=d["reason"]
            ),
            "经机构负责人同意，只能延长一次，最长20个工作日，并告知申请人（第三十三条）。",
        ),
        Action(
            "later_date",
            "确定合理期限",
            forms.LaterDateForm,
            lambda r, u, d: workflow.set_later_date(
                r, actor=u, until=d["until"], reason=d["reason"]
            ),
            "申请人说明理由且合理、但明显超过本机关答复能力的大量申请，可确定延迟答复的合理期限（第三十五条）。",
        ),
        Action(
            "fee_notice",
            "收费通知",
            forms.FeeNoticeForm,
            lambda r, u, d: workflow.send_fee_notice(
                r,
                actor=u,
                method=d["method"],
                quantity=d["quantity"],
                received_on=d["received_on"],
            ),
            "按件或按量计收，只能选其一；自发出通知之日至缴费之日不计入期限"
            "（国办函〔2020〕109号第七条）。",
        ),
        Action(
            "fee_notice_received",
            "登记申请人收到收费通知",
            forms.ReceivedOnForm,
            lambda r, u, d: workflow.record_fee_notice_received(r, actor=u, received_on=d["on"]),
            "缴费期限自申请人收到收费通知次日起算20个工作日。",
        ),
        Action(
            "record_payment",
            "登记缴费",
            forms.DateForm,
            lambda r, u, d: workflow.record_payment(r, actor=u, on=d["on"]),
        ),
        Action(
            "fee_expired",
            "逾期未缴费，终止",
            forms.NoteForm,
            lambda r, u, d: workflow.fee_expired(r, actor=u),
            "计入“其他处理 2”。",
        ),
        Action(
            "reply",
            "答复",
            forms.ReplyForm,
            lambda r, u, d: workflow.reply(
                r,
                actor=u,
                result=d["result"],
                legal_basis=d["legal_basis"],
                letter=d["letter"],
                files=d["files"],
                delivery_route=d["delivery_route"],
                delivered_on=d["delivered_on"],
                responsible_agency=d["responsible_agency"],
            ),
        ),
        Action(
            "withdraw",
            "登记撤回",
            forms.NoteForm,
            lambda r, u, d: workflow.withdraw(r, actor=u, reason=d["note"]),
            "申请人书面或当面撤回申请时登记。",
        ),
        Action(
            "reissue_code",
            "重新发放查询码",
            forms.NoteForm,
            lambda r, u, d: workflow.reissue_code(r, actor=u, note=d["note"]),
            "申请人遗失查询码或查询码可能泄露时使用：生成新查询码，原查询码立即停止使用；"
            "新查询码按申请人选择的获取方式送达（电子邮件直接发送，其他方式由工作人员书面告知）。",
            _code_reissued,
        ),
        Action(
            "archive",
            "归档",
            forms.NoteForm,
            lambda r, u, d: workflow.archive(r, actor=u, note=d["note"]),
        ),
    ]
}
