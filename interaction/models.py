"""互动交流: citizens' messages (留言) with published replies, ratings (满意度评价) and public
consultations on drafts (意见征集).

A message's state and due date change only through `interaction.workflow`; the due date is
computed only in `interaction.deadlines`. Events store their kind and facts; the sentence a reader
sees is rendered at display time (`interaction.events`).
"""

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from portal import storage, workdays
from portal.models import (
    CaseEvent,
    CitizenCase,
    PersonalDataOpening,
    PublishingUnit,
    YearCounter,
)


def private_storage():
    """Citizens' attachments sit with applicants' files: never public, served by checked views."""
    return storage.applicant_files


def attachment_storage():
    """Consultation drafts' attachments: served by a view that checks publication."""
    return storage.attachments


class MessageKind(models.TextChoices):
    CONSULT = "consult", "咨询"
    SUGGEST = "suggest", "建议"
    COMPLAIN = "complain", "投诉"
    HELP = "help", "求助"
    SITE_ERROR = "site_error", "我为政府网站找错"


class MessageState(models.TextChoices):
    SUBMITTED = "submitted", "待受理"
    ACCEPTED = "accepted", "办理中"
    REVIEW = "review", "答复待审核"
    REPLIED = "replied", "已答复"
    REJECTED = "rejected", "不予受理"

    @classmethod
    def open(cls) -> list["MessageState"]:
        """Not yet answered: the reply clock runs."""
        return [cls.SUBMITTED, cls.ACCEPTED, cls.REVIEW]


class RejectReason(models.TextChoices):
    DUPLICATE = "duplicate", "重复留言"
    UNCLEAR = "unclear", "内容不明确，无法办理"
    LITIGATION = "litigation", "涉及诉讼、仲裁、行政复议等法定途径办理的事项"
    PETITION = "petition", "属于信访事项，请通过信访渠道反映"
    ILLEGAL = "illegal", "含有违法、攻击、谩骂或广告等内容"
    NOT_GOVERNMENT = "not_government", "不属于政府职能范围"
    OTHER = "other", "其他"


class MessageQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state__in=MessageState.open())

    def overdue(self, today: dt.date | None = None):
        return self.open().filter(due_on__lt=today or timezone.localdate())

    def due_within(self, workdays_ahead: int, today: dt.date | None = None):
        today = today or timezone.localdate()
        return self.open().filter(
            due_on__gte=today, due_on__lte=workdays.add_workdays(today, workdays_ahead)
        )

    def older_than(self, days: int, today: dt.date | None = None):
        """Open messages received more than `days` calendar days ago (the 60-day alarm)."""
        today = today or timezone.localdate()
        return self.open().filter(received_on__lt=today - dt.timedelta(days=days))

    def published(self):
        return self.filter(state=MessageState.REPLIED, published_at__isnull=False)


class Message(CitizenCase, models.Model):
    """One 留言. Number `LY-<year>-<6-digit serial>`; the 查询码 is stored only as an HMAC."""

    number = models.CharField("留言编号", max_length=20, unique=True, editable=False)
    year = models.PositiveSmallIntegerField("编号年度", editable=False)
    serial = models.PositiveIntegerField("年度序号", editable=False)
    access_code_hash = models.CharField(max_length=128, editable=False)
    unit = models.ForeignKey(
        PublishingUnit, verbose_name="办理单位", on_delete=models.PROTECT, related_name="messages"
    )
    kind = models.CharField("留言类型", max_length=20, choices=MessageKind)
    state = models.CharField(
        "办理状态", max_length=20, choices=MessageState, default=MessageState.SUBMITTED
    )
    subject = models.CharField("留言标题", max_length=100)
    text = models.TextField("留言内容")
    attachment = models.FileField(
        "附件", storage=private_storage, upload_to="messages/%Y/%m/", blank=True, max_length=200
    )
    # The citizen. Never on a public page, in a URL or in a log.
    name = models.CharField("姓名", max_length=50)
    phone = models.CharField("联系电话", max_length=30)
    email = models.EmailField("电子邮箱", blank=True)
    consent_publish = models.BooleanField("同意公开", default=False)

    submitted_at = models.DateTimeField("留言时间", default=timezone.now)
    received_on = models.DateField("受理日期", help_text="答复期限自该日的次日起算。")
    due_on = models.DateField("答复期限")
    accepted_on = models.DateField("受理确认日期", null=True, blank=True)
    reject_reason = models.CharField(
        "不予受理理由", max_length=20, choices=RejectReason, blank=True
    )
    reject_note = models.TextField("不予受理说明", blank=True)
    # A reply waiting for the reviewer; it becomes `reply` when approved.
    draft_reply = models.TextField("待审核答复", blank=True)
    reply = models.TextField("答复内容", blank=True)
    replied_on = models.DateField("答复日期", null=True, blank=True)
    reply_unit = models.ForeignKey(
        PublishingUnit,
        verbose_name="答复部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    workdays_taken = models.PositiveSmallIntegerField("办理用时（工作日）", null=True, blank=True)

    # Publication: only with consent, only the staff-edited version without personal data.
    public_subject = models.CharField("公开标题", max_length=100, blank=True)
    public_text = models.TextField("公开的留言内容", blank=True)
    public_reply = models.TextField("公开的答复内容", blank=True)
    published_at = models.DateTimeField("公开时间", null=True, blank=True)
    is_faq = models.BooleanField("列为常见问题", default=False)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = "留言"
        verbose_name_plural = "留言"
        ordering = ["-submitted_at"]
        permissions = [
            ("view_message_personal", "查看留言人个人信息"),
            ("review_reply", "审核留言答复"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["year", "serial"], name="message_serial_unique"),
            models.CheckConstraint(
                condition=Q(due_on__gt=models.F("received_on")), name="message_due_after_receipt"
            ),
            models.CheckConstraint(
                condition=Q(state=MessageState.REPLIED, replied_on__isnull=False)
                & ~Q(reply="")
                & Q(reply_unit__isnull=False)
                | ~Q(state=MessageState.REPLIED) & Q(replied_on__isnull=True),
                name="message_replied_has_reply",
            ),
            models.CheckConstraint(
                condition=Q(replied_on__isnull=True) | Q(replied_on__gte=models.F("received_on")),
                name="message_reply_after_receipt",
            ),
            models.CheckConstraint(
                condition=Q(state=MessageState.REJECTED) & ~Q(reject_reason="")
                | ~Q(state=MessageState.REJECTED) & Q(reject_reason=""),
                name="message_rejected_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(state=MessageState.REVIEW) | ~Q(draft_reply=""),
                name="message_review_has_draft",
            ),
            # Published only when answered, with consent and a public text.
            models.CheckConstraint(
                condition=Q(published_at__isnull=True)
                | Q(state=MessageState.REPLIED, consent_publish=True)
                & ~Q(public_subject="")
                & ~Q(public_text="")
                & ~Q(public_reply=""),
                name="message_published_with_consent",
            ),
            models.CheckConstraint(
                condition=Q(is_faq=False) | Q(published_at__isnull=False),
                name="message_faq_is_published",
            ),
        ]
        indexes = [
            # Statistics count by unit and the receipt / reply month.
            models.Index(fields=["unit", "received_on"], name="message_unit_received_idx"),
            models.Index(fields=["unit", "replied_on"], name="message_unit_replied_idx"),
            # The public list of a unit, newest first.
            models.Index(
                fields=["unit", "-published_at"],
                condition=Q(published_at__isnull=False),
                name="message_published_idx",
            ),
            # Reminders and the dashboard: open messages by due date.
            models.Index(fields=["state", "due_on"], name="message_state_due_idx"),
            models.Index(fields=["submitted_at"], name="message_submitted_idx"),
        ]

    ACCESS_CODE_SALT = "interaction.access_code"
    OPEN_STATES = tuple(MessageState.open())

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("interaction:message", args=[self.number])

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def replied_on_time(self) -> bool:
        return bool(self.replied_on and self.replied_on <= self.due_on)


class MessageCounter(YearCounter):
    class Meta(YearCounter.Meta):
        verbose_name = "留言编号计数器"
        verbose_name_plural = "留言编号计数器"


class MessageEventKind(models.TextChoices):
    SUBMITTED = "submitted", "提交留言"
    ACCEPTED = "accepted", "受理"
    REJECTED = "rejected", "不予受理"
    TRANSFERRED = "transferred", "转办"
    REPLY_SUBMITTED = "reply_submitted", "答复提交审核"
    REPLY_RETURNED = "reply_returned", "答复退回修改"
    REPLIED = "replied", "答复"
    PUBLISHED = "published", "公开"
    UNPUBLISHED = "unpublished", "取消公开"
    REMINDED = "reminded", "到期提醒"
    RATED = "rated", "满意度评价"
    FOLLOWED_UP = "followed_up", "回访"

    @classmethod
    def public(cls) -> list["MessageEventKind"]:
        """What the citizen sees on the tracking page; the rest is internal."""
        return [
            cls.SUBMITTED,
            cls.ACCEPTED,
            cls.REJECTED,
            cls.TRANSFERRED,
            cls.REPLIED,
            cls.PUBLISHED,
            cls.RATED,
            cls.FOLLOWED_UP,
        ]


class MessageEvent(CaseEvent):
    """Append-only history of a message: kind + facts (`data`), worded when shown."""

    message = models.ForeignKey(
        Message, verbose_name="留言", on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField("事项", max_length=20, choices=MessageEventKind)
    on = models.DateField("发生日期")
    data = models.JSONField("数据", default=dict, blank=True)

    class Meta(CaseEvent.Meta):
        verbose_name = "留言办理记录"
        verbose_name_plural = "留言办理记录"
        indexes = [models.Index(fields=["message", "kind"], name="message_event_kind_idx")]

    def __str__(self):
        return f"{self.message_id} {self.get_kind_display()} {self.on:%Y-%m-%d}"

    @property
    def is_public(self) -> bool:
        return self.kind in MessageEventKind.public()


class SenderDataAccessKind(models.TextChoices):
    SENDER = "sender", "查看留言人信息"
    ATTACHMENT = "attachment", "下载留言附件"


class SenderDataAccess(PersonalDataOpening):
    """Who opened a message sender's personal data (the 留言人信息 page) or the citizen's
    attachment, and when (privacy audit, as applications' PersonalDataAccess)."""

    message = models.ForeignKey(
        Message, verbose_name="留言", on_delete=models.CASCADE, related_name="access_log"
    )
    what = models.CharField("查看内容", max_length=20, choices=SenderDataAccessKind)

    class Meta(PersonalDataOpening.Meta):
        verbose_name = "留言人信息查看记录"
        verbose_name_plural = "留言人信息查看记录"
        indexes = [models.Index(fields=["at"], name="sender_access_at_idx")]

    def __str__(self):
        return f"{self.user} {self.get_what_display()} {self.message}"


class UnitInteractionSettings(models.Model):
    """A unit's 互动交流 rules: whether a reviewer approves replies, and reply periods per kind."""

    unit = models.OneToOneField(
        PublishingUnit,
        verbose_name="单位",
        on_delete=models.CASCADE,
        related_name="interaction_settings",
    )
    requires_review = models.BooleanField(
        "答复须经审核", default=False, help_text="勾选后，答复经审核员同意才发送给留言人并公开。"
    )

    class Meta:
        verbose_name = "互动交流设置"
        verbose_name_plural = "互动交流设置"
        ordering = ["unit__tree_id", "unit__lft"]

    def __str__(self):
        return f"{self.unit.short_name} 互动交流设置"


class ReplyPeriod(models.Model):
    """The working days a unit gives itself to answer one kind of message (defaults in deadlines)."""

    settings = models.ForeignKey(
        UnitInteractionSettings,
        verbose_name="设置",
        on_delete=models.CASCADE,
        related_name="periods",
    )
    kind = models.CharField("留言类型", max_length=20, choices=MessageKind)
    workdays = models.PositiveSmallIntegerField(
        "答复时限（工作日）",
        validators=[
            MinValueValidator(1, "答复时限至少1个工作日。"),
            MaxValueValidator(
                60, "答复时限不能超过60个工作日（留言超过3个月未答复将被单项否决）。"
            ),
        ],
        help_text="未设置的留言类型按默认时限：我为政府网站找错3个工作日，其他10个工作日。",
    )

    class Meta:
        verbose_name = "答复时限"
        verbose_name_plural = "答复时限"
        ordering = ["settings", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["settings", "kind"], name="reply_period_unique_kind"),
            # The 检查指标 veto: no message may wait three months; a limit above 60 is no limit.
            models.CheckConstraint(
                condition=Q(workdays__gte=1, workdays__lte=60),
                name="reply_period_range",
                violation_error_message="答复时限应为1至60个工作日。",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.workdays}个工作日"


class RatingLevel(models.TextChoices):
    """政务服务“好差评” (国办发〔2019〕51号): five levels, best first."""

    VERY_SATISFIED = "5", "非常满意"
    SATISFIED = "4", "满意"
    BASIC = "3", "基本满意"
    DISSATISFIED = "2", "不满意"
    VERY_DISSATISFIED = "1", "非常不满意"

    @classmethod
    def negative(cls) -> list["RatingLevel"]:
        """差评: followed up by staff (回访)."""
        return [cls.DISSATISFIED, cls.VERY_DISSATISFIED]


class RatingQuerySet(models.QuerySet):
    def followups_open(self):
        return self.filter(followup_due_on__isnull=False, followup_done_on__isnull=True)

    def followups_overdue(self, today: dt.date | None = None):
        return self.followups_open().filter(followup_due_on__lt=today or timezone.localdate())


class Rating(models.Model):
    """A citizen's one rating of an answered request or a replied message."""

    unit = models.ForeignKey(
        PublishingUnit, verbose_name="被评价单位", on_delete=models.PROTECT, related_name="ratings"
    )
    message = models.OneToOneField(
        Message,
        verbose_name="留言",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rating",
    )
    request = models.OneToOneField(
        "applications.Request",
        verbose_name="政府信息公开申请",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rating",
    )
    level = models.CharField("评价", max_length=1, choices=RatingLevel)
    comment = models.TextField("评价意见", blank=True)
    created_at = models.DateTimeField("评价时间", default=timezone.now)
    rated_on = models.DateField("评价日期")
    followup_due_on = models.DateField("回访期限", null=True, blank=True)
    followup_outcome = models.TextField("回访及整改情况", blank=True)
    followup_done_on = models.DateField("回访日期", null=True, blank=True)
    followup_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="回访人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = RatingQuerySet.as_manager()

    class Meta:
        verbose_name = "满意度评价"
        verbose_name_plural = "满意度评价"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(message__isnull=False, request__isnull=True)
                | Q(message__isnull=True, request__isnull=False),
                name="rating_one_subject",
            ),
            # A 差评 and only a 差评 has a follow-up due.
            models.CheckConstraint(
                condition=Q(level__in=RatingLevel.negative(), followup_due_on__isnull=False)
                | ~Q(level__in=RatingLevel.negative()) & Q(followup_due_on__isnull=True),
                name="rating_followup_iff_negative",
            ),
            models.CheckConstraint(
                condition=Q(followup_done_on__isnull=True, followup_outcome="")
                | Q(followup_done_on__isnull=False, followup_due_on__isnull=False)
                & ~Q(followup_outcome=""),
                name="rating_followup_done_has_outcome",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "rated_on"], name="rating_unit_rated_idx"),
            models.Index(
                fields=["followup_due_on"],
                condition=Q(followup_due_on__isnull=False, followup_done_on__isnull=True),
                name="rating_followup_open_idx",
            ),
        ]

    def __str__(self):
        subject = self.message or self.request
        return f"{subject} {self.get_level_display()}"

    @property
    def is_negative(self) -> bool:
        return self.level in RatingLevel.negative()

    @property
    def followup_on_time(self) -> bool:
        return bool(self.followup_done_on and self.followup_done_on <= self.followup_due_on)


class ConsultationState(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已发布"


class ConsultationQuerySet(models.QuerySet):
    def published(self):
        return self.filter(state=ConsultationState.PUBLISHED)

    def closed_without_adoption(self, today: dt.date | None = None):
        today = today or timezone.localdate()
        return self.published().filter(closes_on__lt=today, adoption_published_on__isnull=True)


class Consultation(models.Model):
    """意见征集 on a draft: open for comment (as a rule at least 30 days), then 采纳情况."""

    MIN_DAYS = 30

    unit = models.ForeignKey(
        PublishingUnit,
        verbose_name="征集单位",
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    title = models.CharField("标题", max_length=200)
    text = models.TextField("征求意见稿说明及正文")
    opens_on = models.DateField("开始日期")
    closes_on = models.DateField("截止日期")
    short_period_reason = models.CharField(
        "征集期少于30日的理由",
        max_length=300,
        blank=True,
        help_text="征求意见期限一般不少于30日；少于30日的须说明理由并向社会公布。",
    )
    state = models.CharField(
        "状态", max_length=20, choices=ConsultationState, default=ConsultationState.DRAFT
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True)
    adoption = models.TextField(
        "意见采纳情况", blank=True, help_text="采纳了哪些意见，未采纳的说明理由。"
    )
    adoption_published_on = models.DateField("采纳情况公布日期", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = "意见征集"
        verbose_name_plural = "意见征集"
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gt=models.F("opens_on")),
                name="consultation_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(state=ConsultationState.DRAFT, published_at__isnull=True)
                | Q(state=ConsultationState.PUBLISHED, published_at__isnull=False),
                name="consultation_published_has_time",
            ),
            models.CheckConstraint(
                condition=Q(adoption_published_on__isnull=True)
                | ~Q(adoption="") & Q(adoption_published_on__gt=models.F("closes_on")),
                name="consultation_adoption_after_close",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "-opens_on"], name="consultation_public_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("interaction:consultation", args=[self.pk])

    def is_open(self, today: dt.date | None = None) -> bool:
        today = today or timezone.localdate()
        return (
            self.state == ConsultationState.PUBLISHED and self.opens_on <= today <= self.closes_on
        )

    def is_closed(self, today: dt.date | None = None) -> bool:
        return self.closes_on < (today or timezone.localdate())

    @property
    def period_days(self) -> int:
        """Calendar days open, both ends included."""
        return (self.closes_on - self.opens_on).days + 1


class ConsultationAttachment(models.Model):
    consultation = models.ForeignKey(
        Consultation, verbose_name="意见征集", on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(
        "文件", storage=attachment_storage, upload_to="consultations/%Y/%m/", max_length=200
    )
    name = models.CharField("文件名", max_length=200, blank=True)
    kind = models.CharField("类型", max_length=10, editable=False)
    size = models.PositiveBigIntegerField("大小（字节）", default=0, editable=False)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["consultation", "pk"]

    def __str__(self):
        return self.name or self.file.name

    def get_absolute_url(self):
        return reverse("interaction:consultation_attachment", args=[self.pk])


class CommentState(models.TextChoices):
    PENDING = "pending", "待审核"
    PUBLISHED = "published", "已公开"
    REJECTED = "rejected", "不予公开"


class ConsultationComment(models.Model):
    """A citizen's comment; published (without name or phone) only after moderation."""

    consultation = models.ForeignKey(
        Consultation, verbose_name="意见征集", on_delete=models.CASCADE, related_name="comments"
    )
    name = models.CharField("姓名", max_length=50)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    text = models.TextField("意见建议")
    created_at = models.DateTimeField("提交时间", default=timezone.now)
    state = models.CharField(
        "状态", max_length=20, choices=CommentState, default=CommentState.PENDING
    )
    moderated_at = models.DateTimeField("审核时间", null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        # Not “征集意见”: beside “意见征集” in the staff menu the two read alike.
        verbose_name = "公众意见"
        verbose_name_plural = "公众意见"
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state=CommentState.PENDING, moderated_at__isnull=True)
                | ~Q(state=CommentState.PENDING) & Q(moderated_at__isnull=False),
                name="comment_moderated_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["consultation", "state"], name="comment_state_idx"),
        ]

    def __str__(self):
        return f"{self.consultation} 意见 {timezone.localtime(self.created_at):%Y-%m-%d}"
