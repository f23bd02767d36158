"""Official documents (告知书): templates per unit and kind, the 文号, the legal basis, issuing.

Every step of a request that tells someone something produces a `Document` from a template: the
body text comes from the unit's current `LetterTemplate` version (or the default shipped in
applications/templates/applications/letters/), the frame around it is fixed here and in
`applications.pdf`: the unit's full name, the title, the 文号, the addressee, exactly one legal
basis, for decisions the remedies with the 复议机关 and the court named, the contact, the seal
and the date. Wording lives in the templates, never in workflow code.
"""

import re
import string
from pathlib import Path

from django.template import Context, Engine, TemplateSyntaxError
from django.utils import timezone

from applications.models import (
    Document,
    DocumentNumberCounter,
    DocumentSettings,
    LetterKind,
    LetterTemplate,
    Result,
    decision_title,
    is_decision,
)
from portal import counters, pdffont

DEFAULTS = Path(__file__).resolve().parent / "templates" / "applications" / "letters"
# Templates are text, not HTML; no tag may reach files, other templates or debug output.
ENGINE = Engine(autoescape=False, builtins=[], libraries={})
FORBIDDEN_TAGS = ("load", "include", "extends", "ssi", "debug", "block", "csrf_token", "url")

LAW = "《中华人民共和国政府信息公开条例》"
FEE_RULES = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"

# The legal basis of each decision: exactly one is printed. Where the law gives several grounds
# for one report category (已主动公开 or 可以公开; 信息不存在 or 不属于本机关负责公开), staff choose.
LEGAL_BASES: dict[Result, tuple[str, ...]] = {
    Result.DISCLOSED: (
        f"{LAW}第三十六条第（一）项（所申请公开信息已经主动公开）",
        f"{LAW}第三十六条第（二）项（所申请公开信息可以公开）",
    ),
    Result.PARTLY_DISCLOSED: (f"{LAW}第三十七条",),
    Result.WITHHELD_STATE_SECRET: (f"{LAW}第十四条",),
    Result.WITHHELD_OTHER_LAW: (f"{LAW}第十四条",),
    Result.WITHHELD_SECURITY: (f"{LAW}第十四条",),
    Result.WITHHELD_THIRD_PARTY: (f"{LAW}第十五条",),
    Result.WITHHELD_INTERNAL: (f"{LAW}第十六条第一款",),
    Result.WITHHELD_PROCESS: (f"{LAW}第十六条第二款",),
    Result.WITHHELD_ENFORCEMENT: (f"{LAW}第十六条第二款",),
    Result.WITHHELD_QUERY: (f"{LAW}第三十六条第（七）项",),
    Result.UNABLE_NOT_HELD: (
        f"{LAW}第三十六条第（四）项（经检索没有所申请公开的信息）",
        f"{LAW}第三十六条第（五）项（所申请公开信息不属于本机关负责公开）",
    ),
    Result.UNABLE_NEEDS_CREATION: (f"{LAW}第三十八条",),
    Result.UNABLE_STILL_UNCLEAR: (f"{LAW}第三十条",),
    Result.NOT_PROCESSED_PETITION: (f"{LAW}第三十九条第一款",),
    Result.NOT_PROCESSED_REPEATED: (f"{LAW}第三十六条第（六）项",),
    Result.NOT_PROCESSED_PUBLICATION: (f"{LAW}第三十九条第二款",),
    Result.NOT_PROCESSED_MASS: (f"{LAW}第三十五条",),
    Result.NOT_PROCESSED_CONFIRMATION: (f"{LAW}第三十九条第二款",),
    Result.OTHER_NO_SUPPLEMENT: (f"{LAW}第三十条",),
    Result.OTHER_FEE_UNPAID: (f"{FEE_RULES}第七条",),
    # 其他处理: the ground depends on the case; staff write it.
    Result.OTHER: (),
}

WITHHELD_REASONS = {
    Result.WITHHELD_STATE_SECRET: "属于国家秘密",
    Result.WITHHELD_OTHER_LAW: "属于法律、行政法规禁止公开的信息",
    Result.WITHHELD_SECURITY: "公开后可能危及国家安全、公共安全、经济安全、社会稳定",
    Result.WITHHELD_THIRD_PARTY: "涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害",
    Result.WITHHELD_INTERNAL: "属于人事管理、后勤管理、内部工作流程等内部事务信息",
    Result.WITHHELD_PROCESS: "属于讨论记录、过程稿、磋商信函、请示报告等过程性信息",
    Result.WITHHELD_ENFORCEMENT: "属于行政执法案卷信息",
    Result.WITHHELD_QUERY: "属于工商、不动产登记资料等有关法律、行政法规对获取有特别规定的信息",
}


class DocumentError(ValueError):
    """A document that cannot be issued as asked; the message is for staff."""


def choose_basis(result: str, chosen: str = "", *, first_if_several: bool = False) -> str:
    """The one legal basis printed for `result`: the only one, or the one staff chose.

    Staff must choose where there are several (the reply form requires it); code that replies
    without a person (demo data, imports) may take the first with `first_if_several`.
    """
    options = LEGAL_BASES[Result(result)]
    chosen = chosen.strip()
    if not options:
        if not chosen:
            raise DocumentError("“其他处理”须写明法律依据。")
        return chosen
    if chosen:
        if chosen not in options:
            raise DocumentError("所选法律依据与办理结果不符，请重新选择。")
        return chosen
    if len(options) > 1 and not first_if_several:
        raise DocumentError("该办理结果有多项法律依据，请选择适用的一项。")
    return options[0]


# --- 文号 ------------------------------------------------------------------------------------

NUMBER_FIELDS = {"prefix", "yyyy", "serial"}


def format_number(pattern: str, prefix: str, year: int, serial: int) -> str:
    """The 文号 from the unit's pattern, e.g. 安数据依公〔2026〕12号."""
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
    except ValueError:
        raise ValueError("文号格式中的花括号不配对。") from None
    unknown = names - NUMBER_FIELDS
    if unknown:
        raise ValueError(f"文号格式中有未知的占位符：{'、'.join(sorted(unknown))}。")
    if not {"yyyy", "serial"} <= names:
        raise ValueError("文号格式须包含{yyyy}（年度）和{serial}（序号），以保证每年唯一。")
    try:
        return pattern.format(prefix=prefix, yyyy=year, serial=serial)
    except (ValueError, IndexError) as error:
        raise ValueError(f"文号格式无效：{error}") from None


def allocate_number(settings: DocumentSettings, year: int) -> tuple[int, str]:
    """The next 文号 of the unit in `year`, from a counter row locked until the transaction ends."""
    serial = counters.take(DocumentNumberCounter, "last", unit=settings.unit, year=year)
    return serial, format_number(settings.number_pattern, settings.prefix, year, serial)


# --- templates -------------------------------------------------------------------------------

COMMON_VARIABLES = {
    "applicant": "申请人姓名或名称",
    "number": "申请编号",
    "received_on": "收到申请日期",
    "info": "所需信息名称",
    "unit": "本单位全称",
    "today": "成文日期",
    "site_url": "网站地址（查询办理进度）",
}
VARIABLES: dict[str, dict[str, str]] = {
    LetterKind.RECEIPT: {
        "channel": "申请方式",
        "due_on": "答复期限",
        "code": "查询码（书面申请登记时打印）",
    },
    LetterKind.SUPPLEMENT_NOTICE: {"what": "需要补正的事项", "until": "补正期限"},
    LetterKind.EXTENSION_NOTICE: {
        "reason": "延期理由",
        "workdays": "延长的工作日数",
        "due_on": "延长后的答复期限",
    },
    LetterKind.CONSULTATION_LETTER: {"third_party": "第三方名称"},
    LetterKind.CONSULTATION_NOTICE: {"third_party": "第三方名称"},
    LetterKind.FEE_NOTICE: {
        "amount": "金额（元）",
        "fee_basis": "收费依据和标准",
        "account": "缴费账户",
        "pay_method": "缴费方式",
        "pay_by": "缴费期限的表述",
    },
}
REPLY_VARIABLES = {
    "reason": "不予公开的理由",
    "agency": "负责公开该信息的机关及联系方式",
    "supplement_on": "补正通知日期",
    "fee_on": "收费通知日期",
    "note": "其他处理的说明",
}

SAMPLE = {
    "applicant": "王𫖮",
    "number": "YSQ-2026-000123",
    "received_on": "2026年3月2日",
    "info": "2025年政务服务中心窗口设置方案",
    "unit": "安庆市数据资源局",
    "today": "2026年3月20日",
    "site_url": "https://gk.example.gov.cn/yishenqing/chaxun/",
    "channel": "当面",
    "due_on": "2026年3月30日",
    "code": "ABCD-EFGH-JKLM",
    "what": "请提供所需信息的文号或形成时间。",
    "until": "2026年3月16日",
    "reason": "需会商其他部门",
    "workdays": 20,
    "third_party": "安庆某某科技有限公司",
    "amount": "1100.00",
    "fee_basis": "按量计收：共120页",
    "account": "户名：安庆市财政局；开户行：某银行安庆分行；账号：0000 0000 0000",
    "pay_method": "银行转账",
    "pay_by": "请于2026年4月2日前缴纳。",
    "agency": "安庆市自然资源和规划局，电话0556-0000000",
    "supplement_on": "2026年3月4日",
    "fee_on": "2026年3月5日",
    "note": "申请人已通过其他途径获取该信息。",
}


def variables(kind: str) -> dict[str, str]:
    specific = REPLY_VARIABLES if is_decision(kind) else VARIABLES.get(kind, {})
    return {**COMMON_VARIABLES, **specific}


def default_text(kind: str) -> str:
    path = DEFAULTS / f"{kind}.txt"
    if not path.exists():
        path = DEFAULTS / f"reply_{Result(kind.removeprefix('reply_')).group}.txt"
    return path.read_text(encoding="utf-8").strip() + "\n"


def current(unit, kind: str) -> tuple[int, str]:
    """(version, text) of the unit's template; version 0 is the shipped default."""
    latest = LetterTemplate.objects.filter(unit=unit, kind=kind).order_by("-version").first()
    if latest is None:
        return 0, default_text(kind)
    return latest.version, latest.body


_TAG = re.compile(r"{%-?\s*(\w+)")
_VAR = re.compile(r"{{\s*([A-Za-z_]\w*)|{%\s*(?:if|elif)\s+(?:not\s+)?([A-Za-z_]\w*)")


def check_template(kind: str, body: str) -> list[str]:
    """Why `body` cannot be saved as a template of `kind` (empty: it can)."""
    errors = []
    for tag in _TAG.findall(body):
        if tag in FORBIDDEN_TAGS:
            errors.append(f"模板中不能使用“{{% {tag} %}}”标签。")
    allowed = variables(kind)
    unknown = sorted({a or b for a, b in _VAR.findall(body)} - set(allowed) - {"forloop"})
    if unknown:
        errors.append(
            f"模板中有未知的变量：{'、'.join(unknown)}。可用的变量：{'、'.join(allowed)}。"
        )
    if errors:
        return errors
    try:
        text = render(body, SAMPLE)
    except TemplateSyntaxError as error:
        return [f"模板语法错误：{error}"]
    except Exception as error:  # a filter misused with the sample data
        return [f"模板无法生成文书：{error}"]
    if not text.strip():
        errors.append("模板生成的正文为空。")
    missing = pdffont.missing_characters(body)
    if missing:
        errors.append(pdffont.refuse_message(missing))
    return errors


def render(body: str, context: dict) -> str:
    text = ENGINE.from_string(body).render(Context(context))
    # Paragraphs are separated by one blank line; stray blank lines from tags are dropped.
    paragraphs = [" ".join(p.split("\n")).strip() for p in re.split(r"\n\s*\n", text)]
    return "\n\n".join(p for p in paragraphs if p)


def preview(unit, kind: str, body: str) -> dict:
    """The document `body` would give with sample data, framed as issued (for the editor)."""
    settings = DocumentSettings.for_unit(unit)
    sample = {**SAMPLE, "unit": unit.name}
    return {
        "body": render(body, sample),
        "frame": _frame(
            settings,
            kind,
            title=_title(kind),
            number=format_number(settings.number_pattern, settings.prefix, 2026, 12),
            addressee=sample["third_party"]
            if kind == LetterKind.CONSULTATION_LETTER
            else sample["applicant"],
            basis=LEGAL_BASES[Result.PARTLY_DISCLOSED][0] if is_decision(kind) else "",
            on=timezone.localdate(),
        ),
    }


# --- issuing ---------------------------------------------------------------------------------


def _title(kind: str) -> str:
    if is_decision(kind):
        return decision_title(Result(kind.removeprefix("reply_")))
    return {
        LetterKind.RECEIPT: "政府信息公开申请受理回执",
        LetterKind.SUPPLEMENT_NOTICE: "政府信息公开申请补正告知书",
        LetterKind.EXTENSION_NOTICE: "政府信息公开申请延期答复告知书",
        LetterKind.CONSULTATION_LETTER: "政府信息公开第三方意见征询书",
        LetterKind.CONSULTATION_NOTICE: "政府信息公开申请征求第三方意见告知书",
        LetterKind.FEE_NOTICE: "政府信息公开信息处理费收费通知书",
    }[kind]


def _frame(settings, kind, *, title, number, addressee, basis, on) -> dict:
    frame = {
        "unit_name": settings.unit.name,
        "title": title,
        "number": number,
        "addressee": addressee,
        "basis": basis,
        "contact_person": settings.contact_person,
        "phone": settings.phone,
        "date": f"{on.year}年{on.month}月{on.day}日",
        "seal": settings.seal.name if settings.seal else "",
    }
    if is_decision(kind):
        frame["remedies"] = remedies(settings)
    return frame


def remedies(settings: DocumentSettings) -> str:
    """The remedies of a decision with both bodies named (行政复议法 2023, 行政诉讼法 第四十六条)."""
    review_body, court = settings.review_body_name, settings.court
    if not review_body or not court:
        raise DocumentError(
            f"{settings.unit.name}尚未设置行政复议机关或管辖人民法院：请由单位管理员在“文书设置”中填写，"
            "答复告知书须写明救济途径的具体机关。"
        )
    return (
        f"如对本告知书不服，可以自收到本告知书之日起60日内向{review_body}申请行政复议，"
        f"或者自收到本告知书之日起6个月内向{court}提起行政诉讼。"
    )


CODE_MARKER = "［查询码］"


def issue(
    request,
    event,
    kind: str,
    context: dict,
    *,
    doc_kind: str,
    on,
    basis: str = "",
    body: str | None = None,
    addressee: str | None = None,
    for_applicant: bool = True,
) -> Document:
    """Create the document of `kind` for `request`, numbered, inside the caller's transaction.

    `body`: the text staff edited (a reply); otherwise the unit's template renders `context`.
    A receipt's 查询码 is never stored: `CODE_MARKER` stands in for it until it is printed.
    """
    settings = DocumentSettings.for_unit(request.unit)
    version, template = current(request.unit, kind)
    if body is None:
        full = {**common_context(request, on), **context}
        if kind == LetterKind.RECEIPT and full.get("code"):
            full["code"] = CODE_MARKER
        body = render(template, full)
    addressee = addressee or request.name
    frame_text = "".join([body, addressee, basis])
    missing = pdffont.missing_characters(frame_text)
    if missing:
        raise DocumentError(pdffont.refuse_message(missing))
    serial, number = allocate_number(settings, on.year)
    return Document.objects.create(
        request=request,
        event=event,
        kind=doc_kind,
        title=_title(kind),
        body=body,
        for_applicant=for_applicant,
        letter_kind=kind,
        template_version=version,
        unit=request.unit,
        number=number,
        number_year=on.year,
        number_serial=serial,
        issued_on=on,
        frame=_frame(
            settings,
            kind,
            title=_title(kind),
            number=number,
            addressee=addressee,
            basis=basis,
            on=on,
        ),
    )


def common_context(request, on) -> dict:
    from django.conf import settings
    from django.urls import reverse

    received = request.received_on
    return {
        "applicant": request.name,
        "number": request.number,
        "received_on": f"{received.year}年{received.month}月{received.day}日" if received else "",
        "info": request.info_title or request.info_description[:60],
        "unit": request.unit.name,
        "today": f"{on.year}年{on.month}月{on.day}日",
        "site_url": settings.SITE_URL + reverse("applications:track"),
    }


def reply_text(request, result: str, on, **extra) -> str:
    """The decision's body from the unit's template, for staff to edit before sending."""
    result = Result(result)
    _, template = current(request.unit, f"reply_{result.value}")
    context = {
        **common_context(request, on),
        "reason": WITHHELD_REASONS.get(result, ""),
        "agency": "",
        "supplement_on": "",
        "fee_on": "",
        "note": "",
        **extra,
    }
    return render(template, context)


def date_text(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def attachment(pk: int) -> tuple[str, bytes, str]:
    """A document for an e-mail (`portal.mail` calls it when sending): name, content, type."""
    from applications.views import document_pdf

    document = Document.objects.select_related("request").get(pk=pk)
    if document.file:
        with document.file.open("rb") as handle:
            content = handle.read()
        return document.file.name.rsplit("/", 1)[-1], content, "application/octet-stream"
    name = f"{document.request.number}-{document.title}.pdf"
    return name, document_pdf(document), "application/pdf"
