"""Public pages of the service guides: a unit's list (grouped by type, searchable), one page per
guide (A4 print, 360 px), and the materials' blank forms and samples."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from disclosure.guides.models import GuideMaterial, ItemType, ServiceGuide
from portal.models import PublishingUnit
from portal.uploads import CONTENT_TYPES


def unit_guides(request, unit_slug):
    unit = get_object_or_404(PublishingUnit, slug=unit_slug)
    query = " ".join(request.GET.get("q", "").split())[:50]
    guides = (
        ServiceGuide.objects.published()
        .filter(unit=unit)
        .only("pk", "name", "code", "item_type", "promised_limit_days", "visits", "unit_id")
    )
    if query:
        from django.db.models import Q

        guides = guides.filter(Q(name__icontains=query) | Q(code__icontains=query))
    groups: dict[str, list] = {}
    for guide in guides.order_by("item_type", "name"):
        guide.unit = unit
        groups.setdefault(guide.item_type, []).append(guide)
    return render(
        request,
        "guides/unit_guides.html",
        {
            "unit": unit,
            "ancestors": unit.get_ancestors(),
            "groups": [
                (ItemType(key).label, groups[key]) for key in ItemType.values if key in groups
            ],
            "query": query,
        },
    )


def guide_detail(request, unit_slug, pk):
    guide = get_object_or_404(
        ServiceGuide.objects.published().select_related("unit", "entry"),
        pk=pk,
        unit__slug=unit_slug,
    )
    return render(
        request,
        "guides/guide_detail.html",
        {
            "guide": guide,
            "unit": guide.unit,
            "ancestors": guide.unit.get_ancestors(),
            "materials": list(guide.materials.all()),
            "steps": list(guide.steps.all()),
        },
    )


def material_file(request, pk, which):
    material = get_object_or_404(GuideMaterial.objects.select_related("guide"), pk=pk)
    if not material.guide.is_public or which not in ("blank", "sample"):
        raise Http404("文件不存在。")
    field = material.blank_form if which == "blank" else material.sample
    kind = material.blank_form_kind if which == "blank" else material.sample_kind
    if not field:
        raise Http404("文件不存在。")
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404("文件不存在。") from None
    label = "空白表格" if which == "blank" else "示例样表"
    extension = field.name.rsplit(".", 1)[-1] if "." in field.name else kind
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{material.name}（{label}）.{extension}",
        content_type=CONTENT_TYPES.get(kind, "application/octet-stream"),
    )


def filed_guide_url(entry):
    """The guide page of a catalog entry a guide was filed as (disclosure.views.entry_detail)."""
    from disclosure.guides.workflow import GUIDE_CATEGORY

    if entry.category.slug != GUIDE_CATEGORY:
        return None
    guide = ServiceGuide.objects.published().filter(entry=entry).select_related("unit").first()
    return guide.get_absolute_url() if guide else None
