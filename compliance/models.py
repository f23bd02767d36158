"""One stored result of the self-check per scope and day, for the 12-week trend."""

from django.db import models

from portal.models import PublishingUnit


class Snapshot(models.Model):
    """The score and findings of one run: a unit's, or the whole site's (unit empty)."""

    unit = models.ForeignKey(
        PublishingUnit,
        verbose_name="单位",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="selfcheck_snapshots",
        help_text="为空表示全站。",
    )
    taken_on = models.DateField("检查日期")
    taken_at = models.DateTimeField("检查时间", auto_now=True)
    score = models.PositiveSmallIntegerField("得分")
    vetoes = models.JSONField("单项否决", default=list)
    deductions = models.JSONField("扣分", default=list)
    findings = models.JSONField("问题", default=list)
    metrics = models.JSONField("指标", default=list)

    class Meta:
        verbose_name = "自查结果"
        verbose_name_plural = "网站自查"
        ordering = ["-taken_on", "unit__tree_id", "unit__lft"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "taken_on"], name="snapshot_unit_day_unique"),
            models.UniqueConstraint(
                fields=["taken_on"],
                condition=models.Q(unit__isnull=True),
                name="snapshot_site_day_unique",
            ),
            models.CheckConstraint(condition=models.Q(score__lte=100), name="snapshot_score_max"),
        ]

    def __str__(self):
        return f"{self.unit.short_name if self.unit_id else '全站'} {self.taken_on:%Y-%m-%d}：{self.score}分"
