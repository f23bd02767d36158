"""What the applicant reads for each event of a request, rendered when it is shown.

An event stores its kind and the facts (dates, category, working days, reason); the sentence is
made here from them, so wording can be corrected without touching the append-only history.
Events written before that kept a finished sentence in `public_note`; it is shown as it is.
"""

from applications import fees
from applications.models import Channel, ConsultationParty, EventKind, Result


def _day(value) -> str:
    return f"{value:%Y年%m月%d日}"


# kind -> sentence from (event, payload); a missing fact shows the kind's label alone.
SENTENCES = {
    EventKind.SUBMITTED: lambda e, d: "申请已通过网上提交，等待受理单位确认收到。",
    EventKind.REGISTERED: lambda e, d: f"登记{Channel(d['channel']).label}申请。",
    EventKind.RECEIVED: lambda e, d: "已确认收到申请。" if d.get("confirmed") else "已收到申请。",
    EventKind.REDIRECTED: lambda e, d: (
        f"您的申请已由{d['from_unit_name']}转至{d['to_unit_name']}办理。"
    ),
    EventKind.SUPPLEMENT_REQUESTED: lambda e, d: f"请于{_day(e.until_on)}前补正：{d['what']}",
    EventKind.SUPPLEMENT_RECEIVED: lambda e, d: "已收到补正材料，答复期限重新计算。",
    EventKind.SUPPLEMENT_EXPIRED: lambda e, d: "申请人逾期未补正，视为放弃申请，不再处理。",
    EventKind.CONSULTATION_STARTED: lambda e, d: (
        f"正在书面征求{ConsultationParty(d['party']).label}意见，所需时间不计入答复期限。"
    ),
    EventKind.CONSULTATION_ENDED: lambda e, d: "征求意见结束，继续办理。",
    EventKind.CONSULTATION_RECEIVED: lambda e, d: (
        f"第三方于{_day(e.effective_on)}收到征求意见书，应于{_day(e.until_on)}前提出意见。"
    ),
    EventKind.EXTENDED: lambda e, d: (
        f"经政府信息公开工作机构负责人同意，答复期限延长{d['workdays']}个工作日。"
        f"理由：{d['reason']}"
    ),
    EventKind.LATER_DATE: lambda e, d: (
        f"您的申请数量、频次明显超过本机关答复能力，本机关将于{_day(e.until_on)}前答复。"
        f"理由：{d['reason']}"
    ),
    EventKind.FEE_NOTICE: lambda e, d: (
        f"信息处理费{d['amount']}元，"
        + (
            f"请于{_day(e.until_on)}前缴纳。"
            if e.until_on
            # Posted: the 20 working days run from the day after the applicant receives it.
            else "请自收到收费通知之日的次日起20个工作日内缴纳。"
        )
        + fees.basis(d["method"], int(d["quantity"]))
    ),
    EventKind.FEE_NOTICE_RECEIVED: lambda e, d: (
        f"您于{_day(e.effective_on)}收到收费通知，请于{_day(e.until_on)}前缴纳信息处理费。"
    ),
    EventKind.FEE_PAID: lambda e, d: "已收到信息处理费，继续办理。",
    EventKind.FEE_EXPIRED: lambda e, d: "申请人逾期未缴纳信息处理费，视为放弃申请，不再处理。",
    EventKind.REPLIED: lambda e, d: f"已作出答复：{Result(d['result']).label}。",
    EventKind.WITHDRAWN: lambda e, d: "申请人已撤回申请。",
    EventKind.COMPLAINT: lambda e, d: "申请人提出投诉。",
    EventKind.COMPLAINT_ANSWERED: lambda e, d: "投诉已答复，请在查询页面查看。",
    EventKind.CODE_REISSUED: lambda e, d: "查询码已重新发放，原查询码停止使用。",
}


def sentence(event) -> str:
    """The sentence for the applicant (and the staff timeline); "" when there is none."""
    if event.public_note:
        return event.public_note  # stored before events kept their data
    render = SENTENCES.get(event.kind)
    if render is None:
        return ""
    try:
        return render(event, event.payload or {})
    except (KeyError, TypeError, ValueError):
        return ""
