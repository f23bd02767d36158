"""Annual reports (条例第四十九、五十条): one per unit and year, legacy free text or the 2021 format.

Figures of the 2021 format are rows of `ReportFigure`, one per table cell (keys in `tables`), with
the value computed from the registers beside the value published, so an override for records
that predate the system keeps its reason.
"""

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django_prose_editor.fields import ProseEditorField

from disclosure import sanitize
from portal.models import PublishingUnit, UnitKind

RICH_TEXT = {
    "extensions": {
        "Bold": True,
        "Italic": True,
        "Underline": True,
        "Heading": {"levels": [3, 4]},
        "BulletList": True,
        "OrderedList": True,
        "ListItem": True,
        "HardBreak": True,
        "Table": True,
        "TableRow": True,
        "TableHeader": True,
        "TableCell": True,
    }
}


class ReportFormat(models.TextChoices):
    LEGACY = "legacy", "自由文本（2021年以前的格式）"
    OFFICIAL_2021 = "2021", "2021年统一格式（国办公开办函〔2021〕30号）"


class ReportState(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"


# Reports for this year on fall under the 2019 条例 (in force 2019-05-15, Art. 49).
REVISED_RULES_FROM_YEAR = 2019


def publication_deadline(unit: PublishingUnit, year: int) -> dt.date:
    """The last day to publish the report for `year`, by the rule in force for it.

    2008 条例第三十二条 (reports for 2018 and earlier): every agency by 31 March. 2019 条例第四十九条:
    departments by 31 January, governments by 31 March.
    """
    if year < REVISED_RULES_FROM_YEAR or unit.kind == UnitKind.GOVERNMENT:
        return dt.date(year + 1, 3, 31)
    return dt.date(year + 1, 1, 31)


class AnnualReportQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=ReportState.PUBLISHED)


class AnnualReport(models.Model):
    unit = models.ForeignKey(
        PublishingUnit,
        verbose_name="发布单位",
        on_delete=models.PROTECT,
        related_name="annual_reports",
    )
    year = models.PositiveSmallIntegerField(
        "年度",
        validators=[MinValueValidator(2008), MaxValueValidator(2100)],
        help_text="报告所述的年度。",
    )
    format = models.CharField(
        "格式", max_length=10, choices=ReportFormat, default=ReportFormat.OFFICIAL_2021
    )
    title = models.CharField(
        "标题",
        max_length=200,
        blank=True,
        help_text="留空则为“单位+年度+政府信息公开工作年度报告”。",
    )
    catalog_unit = models.ForeignKey(
        PublishingUnit,
        verbose_name="所在信息公开目录",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="在哪个单位的信息公开目录中显示；留空为发布单位本身。",
    )
    include_subtree = models.BooleanField(
        "汇总下级单位", default=False, help_text="人民政府的年报可汇总其所属部门的数据。"
    )
    state = models.CharField(
        "状态", max_length=10, choices=ReportState, default=ReportState.DRAFT, editable=False
    )
    published_on = models.DateField("发布日期", null=True, blank=True)
    published_at = models.DateTimeField("发布操作时间", null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    body = ProseEditorField(
        "正文",
        blank=True,
        config=RICH_TEXT,
        sanitize=sanitize.clean_html,
        help_text="自由文本格式的年报正文。",
    )
    overview = ProseEditorField(
        "一、总体情况", blank=True, config=RICH_TEXT, sanitize=sanitize.clean_html
    )
    problems = ProseEditorField(
        "五、存在的主要问题及改进情况", blank=True, config=RICH_TEXT, sanitize=sanitize.clean_html
    )
    other_matters = ProseEditorField(
        "六、其他需要报告的事项",
        blank=True,
        config=RICH_TEXT,
        sanitize=sanitize.clean_html,
        help_text="收取信息处理费的情况在此报告。",
    )
    entry = models.OneToOneField(
        "disclosure.Entry",
        verbose_name="目录条目",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="annual_report",
        editable=False,
    )
    computed_at = models.DateTimeField("数据计算时间", null=True, blank=True, editable=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    objects = AnnualReportQuerySet.as_manager()

    class Meta:
        verbose_name = "政府信息公开工作年度报告"
        verbose_name_plural = "政府信息公开工作年度报告"
        ordering = ["-year", "unit__tree_id", "unit__lft"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year"],
                name="annual_report_unit_year_unique",
                violation_error_message="该单位该年度的年报已存在，请在列表中打开它。",
            ),
            models.CheckConstraint(
                condition=~models.Q(state=ReportState.PUBLISHED)
                | models.Q(published_on__isnull=False),
                name="annual_report_published_has_date",
            ),
            models.CheckConstraint(
                condition=models.Q(year__gte=2008), name="annual_report_year_after_2008"
            ),
        ]
        indexes = [models.Index(fields=["state", "year"], name="annual_report_state_year")]

    def __str__(self):
        return self.display_title

    def save(self, *args, **kwargs):
        for name in ("body", "overview", "problems", "other_matters"):
            setattr(self, name, sanitize.clean_html(getattr(self, name) or ""))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("reports:detail", args=[self.unit.slug, self.year])

    @property
    def display_title(self) -> str:
        return self.title or f"{self.unit.name}{self.year}年政府信息公开工作年度报告"

    # The admin's column header (it read "Display title").
    display_title.fget.short_description = "年报名称"

    @property
    def is_published(self) -> bool:
        return self.state == ReportState.PUBLISHED

    @property
    def is_official_format(self) -> bool:
        return self.format == ReportFormat.OFFICIAL_2021

    @property
    def deadline(self) -> dt.date:
        return publication_deadline(self.unit, self.year)

    @property
    def directory_unit(self) -> PublishingUnit:
        return self.catalog_unit or self.unit

    def unit_ids(self) -> list[int]:
        if self.include_subtree:
            return list(self.unit.get_descendants(include_self=True).values_list("pk", flat=True))
        return [self.unit_id]

    def figure_values(self) -> dict:
        from disclosure.reports import tables

        values = tables.empty_figures()
        values.update(dict(self.figures.values_list("key", "value")))
        return values


class ReportFigure(models.Model):
    """One cell of a 2021-format report."""

    report = models.ForeignKey(
        AnnualReport, verbose_name="年报", on_delete=models.CASCADE, related_name="figures"
    )
    key = models.CharField("单元格", max_length=60)
    value = models.DecimalField("数值", max_digits=14, decimal_places=4, default=0)
    computed = models.DecimalField("计算值", max_digits=14, decimal_places=4, null=True, blank=True)
    reason = models.CharField("调整原因", max_length=300, blank=True)

    class Meta:
        verbose_name = "年报数据"
        verbose_name_plural = "年报数据"
        ordering = ["report", "key"]
        constraints = [
            models.UniqueConstraint(fields=["report", "key"], name="report_figure_unique_cell"),
            models.CheckConstraint(
                condition=models.Q(value__gte=0), name="report_figure_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.report_id} {self.key}={self.value}"

    @property
    def is_override(self) -> bool:
        return self.computed is not None and self.value != self.computed
