"""A service guide (服务指南, 《行政许可标准化指引（2016版）》) with its materials and steps.

Which elements are required before publication and how complete a guide is: `elements`.
State changes: `workflow`.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse

from disclosure.models import FileKind, ReviewEvent, attachment_storage
from portal.models import PublishingUnit


class ItemType(models.TextChoices):
    LICENSING = "licensing", "行政许可"
    BENEFIT = "benefit", "行政给付"
    CONFIRMATION = "confirmation", "行政确认"
    LEVY = "levy", "行政征收"
    AWARD = "award", "行政奖励"
    ADJUDICATION = "adjudication", "行政裁决"
    OTHER_POWER = "other_power", "其他行政权力"
    PUBLIC_SERVICE = "public_service", "公共服务"


class GuideState(models.TextChoices):
    DRAFT = "draft", "草稿"
    PENDING = "pending", "待审核"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"


class ServiceGuideQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=GuideState.PUBLISHED)


class ServiceGuide(models.Model):
    unit = models.ForeignKey(
        PublishingUnit, verbose_name="实施单位", on_delete=models.PROTECT, related_name="guides"
    )
    name = models.CharField("事项名称", max_length=200)
    code = models.CharField("事项编码", max_length=60, blank=True)
    item_type = models.CharField(
        "事项类型", max_length=20, choices=ItemType, default=ItemType.LICENSING
    )
    basis = models.TextField("设定依据", blank=True, help_text="法律、法规、规章的名称和条款。")
    accepting_body = models.CharField("受理机构", max_length=200, blank=True)
    deciding_body = models.CharField("决定机构", max_length=200, blank=True)
    conditions = models.TextField("申请条件", blank=True)
    window_service = models.BooleanField("窗口办理", default=True)
    online_service = models.BooleanField("网上办理", default=False)
    online_url = models.URLField("网上办理地址", blank=True)
    location = models.CharField("办理地点", max_length=300, blank=True)
    hours = models.CharField("办理时间", max_length=300, blank=True)
    legal_limit_days = models.PositiveSmallIntegerField("法定时限（工作日）", null=True, blank=True)
    promised_limit_days = models.PositiveSmallIntegerField(
        "承诺时限（工作日）", null=True, blank=True
    )
    fees = models.TextField("收费标准及依据", blank=True, help_text="不收费的，填写“不收费”。")
    result = models.CharField("审批结果", max_length=300, blank=True)
    delivery = models.CharField("结果送达", max_length=300, blank=True)
    consult_phone = models.CharField("咨询电话", max_length=100, blank=True)
    complaint_phone = models.CharField("监督投诉电话", max_length=100, blank=True)
    faq = models.TextField("常见问题", blank=True, help_text="每个问题一段，问与答之间换行。")
    visits = models.PositiveSmallIntegerField("到现场次数", null=True, blank=True)
    state = models.CharField(
        "状态", max_length=20, choices=GuideState, default=GuideState.DRAFT, editable=False
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True, editable=False)
    entry = models.OneToOneField(
        "disclosure.Entry",
        verbose_name="目录条目",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="service_guide",
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="起草人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    objects = ServiceGuideQuerySet.as_manager()

    class Meta:
        verbose_name = "办事指南"
        verbose_name_plural = "办事指南"
        ordering = ["unit__tree_id", "unit__lft", "item_type", "name"]
        permissions = [("review_serviceguide", "审核并发布办事指南")]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "code"],
                condition=~models.Q(code=""),
                name="guide_unit_code_unique",
                violation_error_message="本单位已有相同事项编码的办事指南。",
            ),
            models.CheckConstraint(
                condition=models.Q(promised_limit_days__isnull=True)
                | models.Q(legal_limit_days__isnull=True)
                | models.Q(promised_limit_days__lte=models.F("legal_limit_days")),
                name="guide_promise_within_legal_limit",
                violation_error_message="承诺时限不能长于法定时限。",
            ),
            models.CheckConstraint(
                condition=~models.Q(state=GuideState.PUBLISHED)
                | models.Q(published_at__isnull=False),
                name="guide_published_has_time",
            ),
        ]
        indexes = [
            # The unit's public guide list (views.unit_guides) and the self-check.
            models.Index(fields=["unit", "state", "item_type"], name="guide_unit_state_type"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("guides:detail", args=[self.unit.slug, self.pk])

    @property
    def is_public(self) -> bool:
        return self.state == GuideState.PUBLISHED

    @property
    def service_modes(self) -> str:
        modes = [label for on, label in ((self.window_service, "窗口办理"),) if on]
        if self.online_service:
            modes.append("网上办理")
        return "、".join(modes)

    def faq_items(self) -> list[tuple[str, str]]:
        """Paragraphs of 常见问题 as (question, answer): the first line asks, the rest answers."""
        items = []
        for block in self.faq.replace("\r\n", "\n").split("\n\n"):
            lines = [line.strip() for line in block.strip().split("\n") if line.strip()]
            if lines:
                items.append((lines[0], "\n".join(lines[1:])))
        return items


class MaterialForm(models.TextChoices):
    ORIGINAL = "original", "原件"
    COPY = "copy", "复印件"
    BOTH = "both", "原件和复印件"
    ELECTRONIC = "electronic", "电子件"


class GuideMaterial(models.Model):
    """One 申请材料: name, original or copy, copies, a blank form and a filled sample."""

    guide = models.ForeignKey(
        ServiceGuide, verbose_name="办事指南", on_delete=models.CASCADE, related_name="materials"
    )
    order = models.PositiveIntegerField("序号", default=0)
    name = models.CharField("材料名称", max_length=200)
    form = models.CharField(
        "材料形式", max_length=20, choices=MaterialForm, default=MaterialForm.ORIGINAL
    )
    copies = models.PositiveSmallIntegerField("份数", default=1)
    note = models.CharField("说明", max_length=300, blank=True)
    blank_form = models.FileField(
        "空白表格",
        upload_to="guides/forms/%Y/%m/",
        storage=attachment_storage,
        blank=True,
        max_length=200,
    )
    blank_form_kind = models.CharField(
        "空白表格类型", max_length=10, choices=FileKind, blank=True, editable=False
    )
    sample = models.FileField(
        "示例样表",
        upload_to="guides/samples/%Y/%m/",
        storage=attachment_storage,
        blank=True,
        max_length=200,
    )
    sample_kind = models.CharField(
        "示例样表类型", max_length=10, choices=FileKind, blank=True, editable=False
    )

    class Meta:
        verbose_name = "申请材料"
        verbose_name_plural = "申请材料"
        ordering = ["guide", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(copies__gte=1), name="material_copies_min_1")
        ]

    def __str__(self):
        return self.name

    def file_url(self, which: str) -> str:
        return reverse("guides:material_file", args=[self.pk, which])


class GuideStep(models.Model):
    """One step of 办理流程; the flow chart is drawn from the steps in order."""

    guide = models.ForeignKey(
        ServiceGuide, verbose_name="办事指南", on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveIntegerField("顺序", default=0)
    name = models.CharField("环节", max_length=100)
    description = models.TextField("办理内容", blank=True)
    time_limit = models.CharField("时限", max_length=50, blank=True)

    class Meta:
        verbose_name = "办理环节"
        verbose_name_plural = "办理流程"
        ordering = ["guide", "order", "pk"]

    def __str__(self):
        return self.name


class GuideAction(models.TextChoices):
    CREATE = "create", "起草"
    SUBMIT = "submit", "提交审核"
    APPROVE = "approve", "审核通过"
    RETURN = "return", "退回修改"
    WITHDRAW = "withdraw", "撤回"
    REVISE = "revise", "重新编辑"


class GuideEvent(ReviewEvent):
    guide = models.ForeignKey(
        ServiceGuide, verbose_name="办事指南", on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField("操作", max_length=20, choices=GuideAction)
    from_state = models.CharField("原状态", max_length=20, choices=GuideState, blank=True)
    to_state = models.CharField("新状态", max_length=20, choices=GuideState)

    class Meta(ReviewEvent.Meta):
        ordering = ["guide", "at", "pk"]
