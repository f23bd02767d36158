import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from mptt.models import MPTTModel, TreeForeignKey
from mptt.querysets import TreeQuerySet

from portal import access_codes, pagecache, workdays
from portal import cache as resilient_cache
from portal.append_only import AppendOnlyModel
from portal.validators import validate_postcode, validate_uscc


class UnitKind(models.TextChoices):
    GOVERNMENT = "government", "人民政府"
    DEPARTMENT = "department", "政府部门"
    INSTITUTION = "institution", "事业单位"
    OTHER = "other", "其他"


class Role(models.TextChoices):
    PUBLISHER = "publisher", "信息发布员"
    REVIEWER = "reviewer", "审核员"
    HANDLER = "handler", "申请办理员"
    UNIT_ADMIN = "unit_admin", "单位管理员"
    MESSAGE_HANDLER = "message_handler", "留言办理员"


class PublishingUnitQuerySet(TreeQuerySet):
    def active(self):
        return self.filter(is_active=True)


class PublishingUnit(MPTTModel):
    """A 行政机关 that publishes: a government, a department or a centre under one."""

    parent = TreeForeignKey(
        "self",
        verbose_name="上级单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    name = models.CharField("全称", max_length=100)
    short_name = models.CharField("简称", max_length=50)
    slug = models.SlugField(
        "网址标识", max_length=60, unique=True, help_text="用于网址，只能包含字母、数字、连字符。"
    )
    credit_code = models.CharField(
        "统一社会信用代码", max_length=18, blank=True, validators=[validate_uscc]
    )
    unit_code = models.CharField(
        "单位编码", max_length=20, blank=True, help_text="无统一社会信用代码时用于索引号。"
    )
    kind = models.CharField(
        "单位类型", max_length=20, choices=UnitKind, default=UnitKind.DEPARTMENT
    )
    order = models.PositiveIntegerField(
        "排序", default=0, help_text="同级单位中的顺序，数字小的在前。"
    )
    is_active = models.BooleanField(
        "有效", default=True, help_text="撤销的单位保留历史信息，但不再出现在选择列表中。"
    )
    office_address = models.CharField("公开工作机构地址", max_length=200, blank=True)
    office_postcode = models.CharField(
        "邮政编码", max_length=6, blank=True, validators=[validate_postcode]
    )
    office_hours = models.CharField("办公时间", max_length=200, blank=True)
    office_phone = models.CharField("联系电话", max_length=50, blank=True)
    office_fax = models.CharField("传真", max_length=50, blank=True)
    office_email = models.EmailField("电子邮箱", blank=True)

    objects = PublishingUnitQuerySet.as_manager()

    class MPTTMeta:
        order_insertion_by = ["order", "name"]

    class Meta:
        verbose_name = "发布单位"
        verbose_name_plural = "发布单位"
        ordering = ["tree_id", "lft"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"],
                condition=~models.Q(credit_code=""),
                name="unit_credit_code_unique",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("portal:unit", args=[self.slug])

    def subtree(self):
        return self.get_descendants(include_self=True)

    @staticmethod
    def rebuild_tree():
        """Tree writes are rare; serialise a full rebuild in one transaction."""
        with transaction.atomic():
            list(PublishingUnit.objects.select_for_update().values_list("pk", flat=True))
            PublishingUnit.objects.rebuild()
            # A rebuild writes in bulk, without signals; every page shows the tree somewhere.
            pagecache.invalidate("all")


class UnitMembership(models.Model):
    """A staff user's role in one unit; 单位管理员 also covers the unit's descendants."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="unit_memberships",
    )
    unit = models.ForeignKey(
        PublishingUnit, verbose_name="单位", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField("角色", max_length=20, choices=Role)

    class Meta:
        verbose_name = "单位人员"
        verbose_name_plural = "单位人员"
        ordering = ["unit__tree_id", "unit__lft", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="membership_unique_role"),
        ]

    def __str__(self):
        return f"{self.user} · {self.unit.short_name} · {self.get_role_display()}"


class SiteProfile(models.Model):
    """The site's identity, shown in the header and footer of every page. One row."""

    site_name = models.CharField("网站名称", max_length=100, default="政府信息公开")
    portal_url = models.URLField(
        "政府网首页地址", blank=True, help_text="“返回政府网首页”链接的地址。"
    )
    sponsor = models.CharField("主办单位", max_length=100, blank=True)
    operator = models.CharField("运行维护单位", max_length=100, blank=True)
    tech_support = models.CharField("技术支持", max_length=100, blank=True)
    site_code = models.CharField("网站标识码", max_length=30, blank=True)
    icp_number = models.CharField("ICP备案号", max_length=50, blank=True)
    police_number = models.CharField("公安机关备案号", max_length=50, blank=True)
    police_link = models.URLField("公安机关备案链接", blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=50, blank=True)
    index_number_pattern = models.CharField(
        "索引号格式",
        max_length=100,
        default="{code}/{yyyy}{mm}-{serial:05d}",
        help_text="可用占位符：{code}（统一社会信用代码或单位编码）、{yyyy}、{mm}、{serial}。",
    )

    CACHE_KEY = "site-profile"

    class Meta:
        verbose_name = "网站信息"
        verbose_name_plural = "网站信息"
        ordering = ["pk"]

    def __str__(self):
        return self.site_name

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)
        resilient_cache.forget(self.CACHE_KEY)

    @classmethod
    def load(cls) -> "SiteProfile":
        profile = cache.get(cls.CACHE_KEY)
        if profile is None:
            profile, _ = cls.objects.get_or_create(pk=1)
            cache.set(cls.CACHE_KEY, profile, 600)
        return profile


class CalendarDay(models.Model):
    """A staff correction of the statutory calendar: a holiday or a swapped working weekend (调休)."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("是否工作日")
    note = models.CharField(
        "说明", max_length=100, blank=True, help_text="例如：国庆节、国庆节调休上班。"
    )

    class Meta:
        verbose_name = "工作日调整"
        verbose_name_plural = "工作日历（节假日调整）"
        ordering = ["-date"]

    def __str__(self):
        return (
            f"{self.date:%Y-%m-%d} {'工作日' if self.is_workday else '休息日'} {self.note}".strip()
        )


class CalendarYear(models.Model):
    """A year whose holidays staff have entered from the State Council's notice and confirmed.

    Until then the statutory holidays (portal.holidays) count, the rest of the year is Monday to
    Friday, and staff are warned that the 调休 swaps may be missing.
    """

    year = models.PositiveSmallIntegerField("年度", primary_key=True)
    confirmed_at = models.DateTimeField("确认时间", auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(
        "依据",
        max_length=200,
        blank=True,
        help_text="例如：国务院办公厅关于2027年部分节假日安排的通知。",
    )

    class Meta:
        verbose_name = "已确认的年度节假日安排"
        verbose_name_plural = "已确认的年度节假日安排"
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}年节假日安排（已确认）"


class YearCounter(models.Model):
    """The last serial handed out in a year; the row is locked while a number is allocated
    (portal.counters.take). Each numbered thing keeps its own table."""

    year = models.PositiveSmallIntegerField("年度", primary_key=True)
    last = models.PositiveIntegerField("已用序号", default=0)

    class Meta:
        abstract = True
        ordering = ["-year"]

    def __str__(self):
        return f"{self.year}: {self.last}"


class CitizenCase:
    """Mixed into the model of a citizen's case (a request, a message): the 查询码 check and the
    reply clock, answered alike. The model has `state`, `due_on` and `access_code_hash`, and sets
    ACCESS_CODE_SALT (each kind of case hashes its codes apart) and OPEN_STATES."""

    ACCESS_CODE_SALT = ""
    OPEN_STATES: tuple = ()

    @classmethod
    def hash_access_code(cls, code: str) -> str:
        return access_codes.hash_code(cls.ACCESS_CODE_SALT, code)

    def check_access_code(self, code: str) -> bool:
        return access_codes.check(self.ACCESS_CODE_SALT, self.access_code_hash, code)

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    def is_overdue(self, today: dt.date | None = None) -> bool:
        """Open and past its due date: the list's row for the QuerySet's overdue filter."""
        return bool(self.is_open and self.due_on and self.due_on < (today or timezone.localdate()))

    def workdays_left(self, today: dt.date | None = None) -> int | None:
        if not self.due_on or not self.is_open:
            return None
        return workdays.workdays_between(today or timezone.localdate(), self.due_on)


class CaseEvent(AppendOnlyModel):
    """A step in a citizen case's history (a request's, a message's): who took it, under which
    name (`permissions.actor_fields`), when it was recorded. A subclass adds the case, the kind and
    the facts."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField("操作方", max_length=50, blank=True)
    created_at = models.DateTimeField("记录时间", default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]


class PersonalDataOpening(AppendOnlyModel):
    """Who opened a citizen's personal data on a staff page, what, and when (privacy audit: an
    applicant's, a message sender's). A subclass adds the case, and may give `what` its choices."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="工作人员",
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField("时间", default=timezone.now)
    what = models.CharField("查看内容", max_length=50)

    class Meta:
        abstract = True
        ordering = ["-at"]


class OutboundEmailQuerySet(models.QuerySet):
    def due(self, now):
        return self.filter(
            sent_at__isnull=True, next_attempt_at__lte=now, attempts__lt=OutboundEmail.MAX_ATTEMPTS
        )


class OutboundEmail(models.Model):
    """An e-mail waiting to go out: stored when the change it reports commits,
    sent by `manage.py send_queued_mail` and retried with a growing delay, so neither a slow nor a
    failing mail server blocks a request or loses a notification. Once sent, its body is erased
    (it may carry a 查询码); subject, recipients and times remain as the record."""

    MAX_ATTEMPTS = 12

    recipients = models.JSONField("收件人")
    subject = models.CharField("主题", max_length=300)
    text = models.TextField("正文")
    html = models.TextField("HTML正文", blank=True)
    # What goes with the message, as [loader, argument] pairs resolved when it is sent (a
    # document is rendered then; the queue holds no copy of it).
    attachments = models.JSONField("附件", default=list, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    next_attempt_at = models.DateTimeField("下次发送时间", db_index=True)
    attempts = models.PositiveSmallIntegerField("已尝试次数", default=0)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    last_error = models.CharField("最近错误", max_length=300, blank=True)

    objects = OutboundEmailQuerySet.as_manager()

    class Meta:
        verbose_name = "待发邮件"
        verbose_name_plural = "邮件发送队列"
        ordering = ["-created_at"]
        indexes = [
            # OutboundEmail.objects.due(): unsent messages by their next attempt.
            models.Index(
                fields=["next_attempt_at"],
                condition=models.Q(sent_at__isnull=True),
                name="outbound_email_due",
            )
        ]

    def __str__(self):
        return self.subject


class OwedCacheFlush(models.Model):
    """An invalidation the shared cache could not take (Redis unreachable): pages stored before
    it must not be served once Redis answers again. `portal.cache.settle` flushes the cache and
    deletes these rows."""

    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "待清空的缓存"
        verbose_name_plural = "待清空的缓存"
        ordering = ["pk"]

    def __str__(self):
        return f"缓存失效未送达 {self.created_at:%Y-%m-%d %H:%M:%S}"
