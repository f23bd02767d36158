"""Which elements a guide must have, and how complete it is.

The ten elements inspectors check (政府网站与政务新媒体检查指标: a guide missing one is 服务不实用)
are required before publication; the other common elements of 《行政许可标准化指引（2016版）》
count toward a completeness score shown to staff and averaged per unit on the self-check.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Element:
    key: str
    label: str
    field: str  # the form field where staff fill it in (for links and messages)


REQUIRED = [
    Element("name", "事项名称", "name"),
    Element("basis", "设定依据", "basis"),
    Element("conditions", "申请条件", "conditions"),
    Element("materials", "办理材料", "materials"),
    Element("location", "办理地点", "location"),
    Element("accepting_body", "办理机构", "accepting_body"),
    Element("fees", "收费标准", "fees"),
    Element("hours", "办理时间", "hours"),
    Element("consult_phone", "联系电话", "consult_phone"),
    Element("steps", "办理流程", "steps"),
]

OPTIONAL = [
    Element("code", "事项编码", "code"),
    Element("deciding_body", "决定机构", "deciding_body"),
    Element("service_mode", "办理方式", "online_url"),
    Element("legal_limit_days", "法定时限", "legal_limit_days"),
    Element("promised_limit_days", "承诺时限", "promised_limit_days"),
    Element("result", "审批结果", "result"),
    Element("delivery", "结果送达", "delivery"),
    Element("complaint_phone", "监督投诉电话", "complaint_phone"),
    Element("faq", "常见问题", "faq"),
    Element("visits", "到现场次数", "visits"),
    Element("forms", "空白表格和示例样表", "materials"),
]


def _present(guide, key: str, materials, steps) -> bool:
    if key == "materials":
        return bool(materials)
    if key == "steps":
        return bool(steps)
    if key == "service_mode":
        # 网上办理 without its address is not a usable mode.
        return guide.window_service or (guide.online_service and bool(guide.online_url))
    if key == "forms":
        return any(m.blank_form and m.sample for m in materials)
    value = getattr(guide, key)
    if isinstance(value, str):
        return bool(value.strip())
    return value is not None


def _parts(guide, materials=None, steps=None):
    if materials is None:
        materials = list(guide.materials.all()) if guide.pk else []
    if steps is None:
        steps = list(guide.steps.all()) if guide.pk else []
    return materials, steps


def missing_required(guide, materials=None, steps=None) -> list[Element]:
    materials, steps = _parts(guide, materials, steps)
    return [e for e in REQUIRED if not _present(guide, e.key, materials, steps)]


def missing_optional(guide, materials=None, steps=None) -> list[Element]:
    materials, steps = _parts(guide, materials, steps)
    return [e for e in OPTIONAL if not _present(guide, e.key, materials, steps)]


def completeness(guide, materials=None, steps=None) -> int:
    """Percentage of all elements (required and optional) that are filled in."""
    materials, steps = _parts(guide, materials, steps)
    total = len(REQUIRED) + len(OPTIONAL)
    missing = len(missing_required(guide, materials, steps)) + len(
        missing_optional(guide, materials, steps)
    )
    return round(100 * (total - missing) / total)
