"""Reply letters (告知书): a default legal basis and text per result category, edited by staff."""

from django.template import Context, Template

from applications.models import Result

LEGAL_BASIS = {
    Result.DISCLOSED: "《中华人民共和国政府信息公开条例》第三十六条第（一）项、第（二）项",
    Result.PARTLY_DISCLOSED: "《中华人民共和国政府信息公开条例》第三十七条",
    Result.WITHHELD_STATE_SECRET: "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项",
    Result.WITHHELD_OTHER_LAW: "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项",
    Result.WITHHELD_SECURITY: "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项",
    Result.WITHHELD_THIRD_PARTY: "《中华人民共和国政府信息公开条例》第十五条、第三十二条、第三十六条第（三）项",
    Result.WITHHELD_INTERNAL: "《中华人民共和国政府信息公开条例》第十六条第一款、第三十六条第（三）项",
    Result.WITHHELD_PROCESS: "《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项",
    Result.WITHHELD_ENFORCEMENT: "《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项",
    Result.WITHHELD_QUERY: "《中华人民共和国政府信息公开条例》第三十六条第（七）项",
    Result.UNABLE_NOT_HELD: "《中华人民共和国政府信息公开条例》第三十六条第（四）项、第（五）项",
    Result.UNABLE_NEEDS_CREATION: "《中华人民共和国政府信息公开条例》第三十八条",
    Result.UNABLE_STILL_UNCLEAR: "《中华人民共和国政府信息公开条例》第三十条",
    Result.NOT_PROCESSED_PETITION: "《中华人民共和国政府信息公开条例》第三十九条第一款",
    Result.NOT_PROCESSED_REPEATED: "《中华人民共和国政府信息公开条例》第三十六条第（六）项",
    Result.NOT_PROCESSED_PUBLICATION: "《中华人民共和国政府信息公开条例》第三十九条第二款",
    Result.NOT_PROCESSED_MASS: "《中华人民共和国政府信息公开条例》第三十五条",
    Result.NOT_PROCESSED_CONFIRMATION: "《中华人民共和国政府信息公开条例》第三十九条第二款",
    Result.OTHER_NO_SUPPLEMENT: "《中华人民共和国政府信息公开条例》第三十条",
    Result.OTHER_FEE_UNPAID: "《中华人民共和国政府信息公开条例》第四十二条、《政府信息公开信息处理费管理办法》",
    Result.OTHER: "《中华人民共和国政府信息公开条例》",
}

# The operative sentence per category; the frame around it is the same for every letter.
DECISION = {
    "1": "经审查，您申请获取的政府信息属于公开范围，现予以公开，具体见所附材料。",
    "2": "经审查，您申请获取的政府信息中含有不应当公开的内容，本机关已作区分处理，现向您提供可以公开的部分，具体见所附材料。",
    "3": "经审查，您申请获取的政府信息{{ reason }}，依法不予公开。",
    "4_1": "经查，本机关不掌握您申请获取的政府信息。{% if agency %}该信息的公开机关为{{ agency }}，请向其提出申请。{% endif %}",
    "4_2": "经查，您申请获取的政府信息需要本机关对现有政府信息进行加工、分析，本机关不予提供。",
    "4_3": "经审查，您补正后的申请内容仍不明确，本机关无法提供。",
    "5_1": "经审查，您的申请属于信访、投诉、举报等事项，本机关不作为政府信息公开申请处理，请通过相应渠道提出。",
    "5_2": "经审查，您重复申请公开相同政府信息，本机关已作出答复且该信息未发生变化，不予重复处理。",
    "5_3": "经审查，您要求提供的是公开出版物，请通过相应渠道获取，本机关不予处理。",
    "5_4": "经审查，您的申请数量、频次明显超过合理范围且未说明正当理由，本机关不予处理。",
    "5_5": "经审查，您要求本机关确认或者重新出具已获取的信息，本机关不予处理。",
    "6_1": "本机关已于{{ supplement_on }}通知您补正申请，您无正当理由逾期未补正，视为放弃申请，本机关不再处理该政府信息公开申请。",
    "6_2": "本机关已于{{ fee_on }}向您发出收费通知，您逾期未缴纳信息处理费，视为放弃申请，本机关不再处理该政府信息公开申请。",
    "6_3": "{{ note|default:'本机关已按其他方式处理您的申请。' }}",
}

FRAME = """{{ name }}：

本机关于{{ received_on }}收到您提出的政府信息公开申请（申请编号：{{ number }}），申请获取“{{ info }}”。

{{ decision }}

依据：{{ basis }}。

如对本答复不服，可以自收到本答复之日起六十日内依法申请行政复议，或者六个月内依法提起行政诉讼。

{{ unit }}
{{ today }}"""

REASONS = {
    Result.WITHHELD_STATE_SECRET: "属于国家秘密",
    Result.WITHHELD_OTHER_LAW: "属于法律、行政法规禁止公开的信息",
    Result.WITHHELD_SECURITY: "公开后可能危及国家安全、公共安全、经济安全、社会稳定",
    Result.WITHHELD_THIRD_PARTY: "涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害",
    Result.WITHHELD_INTERNAL: "属于人事管理、后勤管理、内部工作流程等内部事务信息",
    Result.WITHHELD_PROCESS: "属于讨论记录、过程稿、磋商信函、请示报告等过程性信息",
    Result.WITHHELD_ENFORCEMENT: "属于行政执法案卷信息",
    Result.WITHHELD_QUERY: "属于行政查询事项，请按有关法律、法规的规定办理查询",
}


def _decision_template(result: Result) -> str:
    if result.group in ("1", "2", "3"):
        return DECISION[result.group]
    return DECISION[result.value]


def render(request, result: str, *, agency: str = "", note: str = "", extra=None) -> str:
    """The prefilled letter for `result`; staff may edit it before sending."""
    result = Result(result)
    received = request.received_on.strftime("%Y年%m月%d日") if request.received_on else ""
    context = {
        "reason": REASONS.get(result, ""),
        "agency": agency,
        "note": note,
        **(extra or {}),
    }
    decision = Template(_decision_template(result)).render(Context(context, autoescape=False))
    return Template(FRAME).render(
        Context(
            {
                "name": request.name,
                "received_on": received,
                "number": request.number,
                "info": request.info_title or request.info_description[:60],
                "decision": decision,
                "basis": LEGAL_BASIS[result],
                "unit": request.unit.name,
                "today": (extra or {}).get("today", ""),
            },
            autoescape=False,
        )
    )
