"""依申请公开: requests, their append-only event history, documents, appeals and complaints.

A request's state and due date are changed only by `applications.workflow`; the due date is
computed only by `applications.deadlines` (and cached in `Request.due_on` so lists can query it).
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from portal import storage, workdays
from portal.models import (
    CaseEvent,
    CitizenCase,
    PersonalDataOpening,
    PublishingUnit,
    UnitKind,
    YearCounter,
)


def private_storage():
    """Applicants' files: settings.STORAGES["applicant_files"] (portal.storage)."""
    return storage.applicant_files


# The request's own fields, in form order: who applies (Art. 29 (1)) and what is sought and how
# (Art. 29 (2), (3)). The online form, paper registration and the workflow all use these lists.
APPLICANT_FIELDS = [
    "applicant_type",
    "organisation_kind",
    "name",
    "id_type",
    "id_number",
    "employer",
    "credit_code",
    "legal_representative",
    "contact_person",
    "phone",
    "email",
    "address",
    "postcode",
]
SOUGHT_FIELDS = [
    "info_title",
    "info_doc_number",
    "info_description",
    "purpose",
    "medium",
    "delivery",
]


class ApplicantType(models.TextChoices):
    PERSON = "person", "自然人"
    ORGANISATION = "organisation", "法人或其他组织"


class OrganisationKind(models.TextChoices):
    """The columns of the annual report's section 三 under 法人或其他组织."""

    BUSINESS = "business", "商业企业"
    RESEARCH = "research", "科研机构"
    NONPROFIT = "nonprofit", "社会公益组织"
    LEGAL = "legal", "法律服务机构"
    OTHER = "other", "其他"


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", "居民身份证"
    PASSPORT = "passport", "护照"
    HK_MACAO = "hk_macao", "港澳居民来往内地通行证"
    TAIWAN = "taiwan", "台湾居民来往大陆通行证"
    FOREIGN_PR = "foreign_pr", "外国人永久居留身份证"
    OTHER = "other", "其他有效身份证件"


class Channel(models.TextChoices):
    """How the application arrived (Art. 31 fixes the receipt date per channel)."""

    ONLINE = "online", "网上"
    IN_PERSON = "in_person", "当面"
    POST = "post", "邮寄"
    LETTER = "letter", "平常信函"
    FAX = "fax", "传真"
    EMAIL = "email", "电子邮件"
    ORAL = "oral", "口头代填"

    @classmethod
    def internet(cls) -> list["Channel"]:
        """Counted as 网上 in the statistics; every other channel is 书面."""
        return [cls.ONLINE, cls.EMAIL]


class Medium(models.TextChoices):
    PAPER = "paper", "纸质"
    EMAIL = "email", "电子邮件"
    DISC = "disc", "光盘"
    OTHER = "other", "其他"


class DeliveryRoute(models.TextChoices):
    POST = "post", "邮寄"
    EMAIL = "email", "电子邮件"
    PICKUP = "pickup", "当面领取"
    ONLINE = "online", "网上获取"


class State(models.TextChoices):
    SUBMITTED = "submitted", "待确认"
    PROCESSING = "processing", "办理中"
    SUPPLEMENT = "supplement", "待补正"
    CONSULTING = "consulting", "征求意见中"
    AWAITING_PAYMENT = "awaiting_payment", "待缴费"
    REPLIED = "replied", "已答复"
    CLOSED = "closed", "已终止"
    WITHDRAWN = "withdrawn", "已撤回"
    ARCHIVED = "archived", "已归档"

    @classmethod
    def open(cls) -> list["State"]:
        """Received and not yet answered: the clock runs (or is paused)."""
        return [cls.PROCESSING, cls.SUPPLEMENT, cls.CONSULTING, cls.AWAITING_PAYMENT]


class Result(models.TextChoices):
    """The 21 result rows of the annual report's section 三 (国办公开办函〔2021〕30号).

    Codes name the group (一…六 as 1…6) and the item: "3_4" is （三）不予公开 第4项.
    """

    DISCLOSED = "1", "（一）予以公开"
    PARTLY_DISCLOSED = "2", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    WITHHELD_STATE_SECRET = "3_1", "（三）不予公开 1.属于国家秘密"
    WITHHELD_OTHER_LAW = "3_2", "（三）不予公开 2.其他法律行政法规禁止公开"
    WITHHELD_SECURITY = "3_3", "（三）不予公开 3.危及“三安全一稳定”"
    WITHHELD_THIRD_PARTY = "3_4", "（三）不予公开 4.保护第三方合法权益"
    WITHHELD_INTERNAL = "3_5", "（三）不予公开 5.属于三类内部事务信息"
    WITHHELD_PROCESS = "3_6", "（三）不予公开 6.属于四类过程性信息"
    WITHHELD_ENFORCEMENT = "3_7", "（三）不予公开 7.属于行政执法案卷"
    WITHHELD_QUERY = "3_8", "（三）不予公开 8.属于行政查询事项"
    UNABLE_NOT_HELD = "4_1", "（四）无法提供 1.本机关不掌握相关政府信息"
    UNABLE_NEEDS_CREATION = "4_2", "（四）无法提供 2.没有现成信息需要另行制作"
    UNABLE_STILL_UNCLEAR = "4_3", "（四）无法提供 3.补正后申请内容仍不明确"
    NOT_PROCESSED_PETITION = "5_1", "（五）不予处理 1.信访举报投诉类申请"
    NOT_PROCESSED_REPEATED = "5_2", "（五）不予处理 2.重复申请"
    NOT_PROCESSED_PUBLICATION = "5_3", "（五）不予处理 3.要求提供公开出版物"
    NOT_PROCESSED_MASS = "5_4", "（五）不予处理 4.无正当理由大量反复申请"
    NOT_PROCESSED_CONFIRMATION = "5_5", "（五）不予处理 5.要求行政机关确认或重新出具已获取信息"
    OTHER_NO_SUPPLEMENT = (
        "6_1",
        ("（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    )
    OTHER_FEE_UNPAID = (
        "6_2",
        ("（六）其他处理 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    )
    OTHER = "6_3", "（六）其他处理 3.其他"

    @property
    def group(self) -> str:
        return self.value.split("_")[0]

    @property
    def discloses(self) -> bool:
        """予以公开 or 部分公开: information goes to the applicant."""
        return self.group in ("1", "2")

    @classmethod
    def for_reply(cls) -> list["Result"]:
        """Results a clerk chooses in 答复; 6_1/6_2 come only from the expiry transitions."""
        return [r for r in cls if r not in (cls.OTHER_NO_SUPPLEMENT, cls.OTHER_FEE_UNPAID)]


class FeeMethod(models.TextChoices):
    BY_COUNT = "by_count", "按件计收"
    BY_PAGES = "by_pages", "按量计收"


# 申请编号 YSQ-<year>-<serial> (portal.counters).
NUMBER_PREFIX = "YSQ"


# Staff are warned of an open request this many working days before its due date: the list
# filter and colours, the dashboard and the daily reminder.
DUE_SOON_WORKDAYS = 3


class RequestQuerySet(models.QuerySet):
    """The deadline rules as `Q` objects (for filters and for `Count(filter=...)`, as the dashboard
    needs) and as the QuerySet methods that apply them."""

    @staticmethod
    def overdue_q(today: dt.date | None = None) -> models.Q:
        """Open and past its due date."""
        today = today or timezone.localdate()
        return models.Q(state__in=State.open(), due_on__lt=today)

    @staticmethod
    def due_soon_q(today: dt.date | None = None) -> models.Q:
        """Open and due from today up to the DUE_SOON_WORKDAYS-th working day (not yet overdue)."""
        today = today or timezone.localdate()
        limit = workdays.add_workdays(today, DUE_SOON_WORKDAYS)
        return models.Q(state__in=State.open(), due_on__gte=today, due_on__lte=limit)

    @staticmethod
    def replied_late_q() -> models.Q:
        return models.Q(replied_on__isnull=False, due_on__isnull=False) & models.Q(
            replied_on__gt=models.F("due_on")
        )

    def overdue(self, today: dt.date | None = None):
        return self.filter(self.overdue_q(today))

    def due_soon(self, today: dt.date | None = None):
        return self.filter(self.due_soon_q(today))

    def replied_late(self):
        return self.filter(self.replied_late_q())


class Request(CitizenCase, models.Model):
    """One 政府信息公开申请. Its number is `YSQ-<year>-<6-digit serial>`, sequential per year."""

    number = models.CharField("申请编号", max_length=20, unique=True, editable=False)
    year = models.PositiveSmallIntegerField("编号年度", editable=False)
    serial = models.PositiveIntegerField("年度序号", editable=False)
    access_code_hash = models.CharField(max_length=128, editable=False)
    unit = models.ForeignKey(
        PublishingUnit, verbose_name="受理单位", on_delete=models.PROTECT, related_name="requests"
    )
    state = models.CharField(
        "办理状态", max_length=20, choices=State, default=State.SUBMITTED, db_index=True
    )
    channel = models.CharField("申请方式", max_length=20, choices=Channel)
    submitted_at = models.DateTimeField("提交/登记时间", default=timezone.now)
    received_on = models.DateField(
        "收到申请日期", null=True, blank=True, help_text="法定期限自该日的次日起算（第三十一条）。"
    )
    due_on = models.DateField("答复期限", null=True, blank=True, db_index=True)

    # The applicant (Art. 29 (1)). Never shown on public pages, in URLs or in logs.
    applicant_type = models.CharField("申请人类型", max_length=20, choices=ApplicantType)
    organisation_kind = models.CharField(
        "法人或其他组织类别", max_length=20, choices=OrganisationKind, blank=True
    )
    name = models.CharField("姓名/名称", max_length=100)
    id_type = models.CharField("证件类型", max_length=20, choices=IdType, blank=True)
    id_number = models.CharField("证件号码", max_length=40, blank=True)
    employer = models.CharField("工作单位", max_length=100, blank=True)
    credit_code = models.CharField("统一社会信用代码", max_length=18, blank=True)
    legal_representative = models.CharField("法定代表人", max_length=50, blank=True)
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=30)
    email = models.EmailField("电子邮箱", blank=True)
    address = models.CharField("通信地址", max_length=200, blank=True)
    postcode = models.CharField("邮政编码", max_length=6, blank=True)
    id_document = models.FileField(
        "身份证明", storage=private_storage, upload_to="id/%Y/%m/", blank=True
    )

    # The information sought (Art. 29 (2)).
    info_title = models.CharField("所需信息名称", max_length=200, blank=True)
    info_doc_number = models.CharField("文号", max_length=100, blank=True)
    info_description = models.TextField("所需信息的特征性描述")
    purpose = models.TextField("用途", blank=True)
    # Form and route (Art. 29 (3)).
    medium = models.CharField("获取信息的载体形式", max_length=20, choices=Medium)
    delivery = models.CharField("获取信息的方式", max_length=20, choices=DeliveryRoute)

    # Outcome.
    result = models.CharField("办理结果", max_length=4, choices=Result, blank=True)
    legal_basis = models.TextField("法律依据", blank=True)
    reply_letter = models.TextField("答复告知书", blank=True)
    responsible_agency = models.CharField(
        "负责公开该信息的机关及联系方式", max_length=200, blank=True
    )
    replied_on = models.DateField("答复/办结日期", null=True, blank=True)
    delivered_on = models.DateField("送达日期", null=True, blank=True)
    delivery_route = models.CharField("送达方式", max_length=20, choices=DeliveryRoute, blank=True)
    workdays_taken = models.PositiveSmallIntegerField("办理用时（工作日）", null=True, blank=True)
    fee_method = models.CharField("收费方式", max_length=10, choices=FeeMethod, blank=True)
    fee_amount = models.DecimalField(
        "信息处理费（元）", max_digits=10, decimal_places=2, null=True, blank=True
    )
    fee_paid_on = models.DateField("缴费日期", null=True, blank=True)

    objects = RequestQuerySet.as_manager()

    class Meta:
        verbose_name = "政府信息公开申请"
        verbose_name_plural = "政府信息公开申请"
        ordering = ["-submitted_at"]
        permissions = [("view_personal_data", "查看申请人个人信息")]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "serial"], name="request_serial_unique_per_year"
            ),
            models.CheckConstraint(
                condition=models.Q(due_on__isnull=True)
                | models.Q(received_on__isnull=True)
                | models.Q(due_on__gt=models.F("received_on")),
                name="request_due_after_receipt",
            ),
            models.CheckConstraint(
                condition=models.Q(replied_on__isnull=True)
                | models.Q(received_on__isnull=False, replied_on__gte=models.F("received_on")),
                name="request_reply_after_receipt",
            ),
            # A result and its date come together, so section 三 adds up by construction.
            models.CheckConstraint(
                condition=models.Q(result="", replied_on__isnull=True)
                | (~models.Q(result="") & models.Q(replied_on__isnull=False)),
                name="request_result_has_date",
            ),
            models.CheckConstraint(
                condition=models.Q(applicant_type=ApplicantType.PERSON, organisation_kind="")
                | (
                    models.Q(applicant_type=ApplicantType.ORGANISATION)
                    & ~models.Q(organisation_kind="")
                ),
                name="request_organisation_kind_iff_organisation",
            ),
            models.CheckConstraint(
                condition=~models.Q(state=State.SUBMITTED) | models.Q(received_on__isnull=True),
                name="request_submitted_not_received",
            ),
        ]
        indexes = [
            # statistics.section_three filters by unit and the receipt / reply year.
            models.Index(fields=["unit", "received_on"], name="request_unit_received_idx"),
            models.Index(fields=["unit", "replied_on"], name="request_unit_replied_idx"),
            # The staff list: newest first, its date hierarchy and its filters
            # (tests/portal/test_query_plans.py).
            models.Index(fields=["submitted_at"], name="request_submitted_idx"),
            models.Index(fields=["result", "submitted_at"], name="request_result_idx"),
            models.Index(fields=["channel", "submitted_at"], name="request_channel_idx"),
            models.Index(fields=["applicant_type", "submitted_at"], name="request_type_idx"),
        ]

    # The HMAC salt of the 查询码 (portal.access_codes); changing it voids every stored code.
    ACCESS_CODE_SALT = "applications.access_code"
    OPEN_STATES = tuple(State.open())

    def __str__(self):
        return self.number

    @property
    def code_by_email(self) -> bool:
        """A new 查询码 reaches this applicant by e-mail (their chosen route), not by staff."""
        return bool(self.email) and self.delivery in (DeliveryRoute.EMAIL, DeliveryRoute.ONLINE)

    def is_due_soon(self, today: dt.date | None = None) -> bool:
        """due_soon_q for one loaded request."""
        left = self.workdays_left(today)
        return left is not None and 0 <= left <= DUE_SOON_WORKDAYS

    @property
    def replied_late(self) -> bool:
        return bool(self.replied_on and self.due_on and self.replied_on > self.due_on)


class NumberCounter(YearCounter):
    class Meta(YearCounter.Meta):
        verbose_name = "申请编号计数器"
        verbose_name_plural = "申请编号计数器"


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", "提交申请"
    REGISTERED = "registered", "登记书面申请"
    REDIRECTED = "redirected", "转至其他单位"
    RECEIVED = "received", "确认收到申请"
    SUPPLEMENT_REQUESTED = "supplement_requested", "要求补正"
    SUPPLEMENT_RECEIVED = "supplement_received", "收到补正材料"
    SUPPLEMENT_EXPIRED = "supplement_expired", "逾期未补正"
    CONSULTATION_STARTED = "consultation_started", "征求意见"
    CONSULTATION_RECEIVED = "consultation_received", "第三方收到征求意见书"
    CONSULTATION_ENDED = "consultation_ended", "征求意见结束"
    EXTENDED = "extended", "延期答复"
    LATER_DATE = "later_date", "确定合理答复期限"
    FEE_NOTICE = "fee_notice", "收费通知"
    FEE_NOTICE_RECEIVED = "fee_notice_received", "申请人收到收费通知"
    FEE_PAID = "fee_paid", "缴纳费用"
    FEE_EXPIRED = "fee_expired", "逾期未缴费"
    REPLIED = "replied", "作出答复"
    WITHDRAWN = "withdrawn", "申请人撤回申请"
    ARCHIVED = "archived", "归档"
    COMPLAINT = "complaint", "投诉"
    COMPLAINT_ANSWERED = "complaint_answered", "投诉答复"
    REMINDED = "reminded", "到期提醒"
    CODE_REISSUED = "code_reissued", "重新发放查询码"


class ConsultationParty(models.TextChoices):
    THIRD_PARTY = "third_party", "第三方"
    OTHER_AGENCY = "other_agency", "其他机关"


class RequestEvent(CaseEvent):
    """Append-only history of a request: replaying it gives the current state and due date."""

    request = models.ForeignKey(
        Request, verbose_name="申请", on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField("事项", max_length=30, choices=EventKind)
    effective_on = models.DateField("发生日期")
    until_on = models.DateField("期限", null=True, blank=True)
    public = models.BooleanField("申请人可见", default=True)
    # Only events written before events kept their data hold a finished sentence here.
    public_note = models.TextField("告知申请人的内容（旧记录）", blank=True)
    note = models.TextField("内部备注", blank=True)
    payload = models.JSONField("数据", default=dict, blank=True)

    class Meta(CaseEvent.Meta):
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"
        indexes = [models.Index(fields=["request", "kind"], name="event_request_kind_idx")]

    def __str__(self):
        return f"{self.request_id} {self.get_kind_display()} {self.effective_on:%Y-%m-%d}"

    @property
    def sentence(self) -> str:
        """What the applicant is told, rendered from the kind and data (applications.events)."""
        from applications import events

        return events.sentence(self)


class DocumentKind(models.TextChoices):
    ID_PROOF = "id_proof", "身份证明"
    RECEIPT = "receipt", "受理回执"
    SUPPLEMENT_NOTICE = "supplement_notice", "补正告知书"
    SUPPLEMENT = "supplement", "补正材料"
    EXTENSION_NOTICE = "extension_notice", "延期答复告知书"
    CONSULTATION_LETTER = "consultation_letter", "第三方征求意见书"
    CONSULTATION_NOTICE = "consultation_notice", "征求第三方意见告知书"
    FEE_NOTICE = "fee_notice", "收费通知书"
    REPLY_LETTER = "reply_letter", "政府信息公开申请答复告知书"
    DISCLOSED = "disclosed", "公开的政府信息"


def decision_title(result: "Result") -> str:
    """The title of the decision document for `result`."""
    if result.group == "5":
        return "政府信息公开申请不予处理告知书"
    if result in (Result.OTHER_NO_SUPPLEMENT, Result.OTHER_FEE_UNPAID):
        return "政府信息公开申请终止告知书"
    return "政府信息公开申请答复告知书"


# One template per kind of official document (templates in applications/letters/defaults/,
# editable per unit as `LetterTemplate` versions): the notices, and one decision per result.
LetterKind = models.TextChoices(
    "LetterKind",
    [
        ("RECEIPT", ("receipt", "受理回执")),
        ("SUPPLEMENT_NOTICE", ("supplement_notice", "补正告知书")),
        ("EXTENSION_NOTICE", ("extension_notice", "延期答复告知书")),
        ("CONSULTATION_LETTER", ("consultation_letter", "第三方征求意见书")),
        ("CONSULTATION_NOTICE", ("consultation_notice", "征求第三方意见告知书（告知申请人）")),
        ("FEE_NOTICE", ("fee_notice", "收费通知书")),
    ]
    + [
        (f"REPLY_{r.name}", (f"reply_{r.value}", f"{decision_title(r)}：{r.label}")) for r in Result
    ],
)


def reply_kind(result) -> str:
    return f"reply_{Result(result).value}"


def is_decision(kind: str) -> bool:
    """A decision on the application: it names the remedies (复议机关 and court)."""
    return kind.startswith("reply_")


class Document(models.Model):
    """A file or letter addressed to the applicant (or from them); served only by checked views."""

    request = models.ForeignKey(
        Request, verbose_name="申请", on_delete=models.CASCADE, related_name="documents"
    )
    event = models.ForeignKey(
        RequestEvent,
        verbose_name="办理记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    kind = models.CharField("类别", max_length=30, choices=DocumentKind)
    title = models.CharField("标题", max_length=200)
    # A letter is stored as text and rendered to PDF on download; a disclosed file is stored as is.
    body = models.TextField("正文", blank=True)
    file = models.FileField(
        "文件", storage=private_storage, upload_to="documents/%Y/%m/", blank=True
    )
    for_applicant = models.BooleanField("申请人可下载", default=True)
    created_at = models.DateTimeField("时间", default=timezone.now)
    # An official document (告知书): its template, 文号 and the frame as issued (unit, date,
    # addressee, legal basis, remedies, contact), so it reads the same whatever changes later.
    letter_kind = models.CharField("文书模板", max_length=30, choices=LetterKind, blank=True)
    template_version = models.PositiveIntegerField("模板版本", null=True, blank=True)
    unit = models.ForeignKey(
        PublishingUnit,
        verbose_name="发文单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    number = models.CharField("文号", max_length=60, blank=True)
    number_year = models.PositiveSmallIntegerField("文号年度", null=True, blank=True)
    number_serial = models.PositiveIntegerField("文号序号", null=True, blank=True)
    issued_on = models.DateField("成文日期", null=True, blank=True)
    frame = models.JSONField("版头版记", default=dict, blank=True)

    class Meta:
        verbose_name = "文书"
        verbose_name_plural = "文书"
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "number_year", "number_serial"],
                condition=models.Q(number_serial__isnull=False),
                name="document_number_unique_per_unit_year",
            ),
            models.CheckConstraint(
                condition=models.Q(number="")
                | models.Q(
                    unit__isnull=False,
                    number_year__isnull=False,
                    number_serial__isnull=False,
                    issued_on__isnull=False,
                ),
                name="document_number_complete",
            ),
        ]

    def __str__(self):
        return f"{self.title}（{self.number}）" if self.number else self.title

    @property
    def is_letter(self) -> bool:
        return bool(self.letter_kind)


class DocumentNumberCounter(models.Model):
    """The last 文号 serial a unit gave in a year; the row is locked while a number is taken."""

    unit = models.ForeignKey(
        PublishingUnit, verbose_name="单位", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年度")
    last = models.PositiveIntegerField("已用序号", default=0)

    class Meta:
        verbose_name = "文号计数器"
        verbose_name_plural = "文号计数器"
        ordering = ["unit", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="document_counter_unit_year"),
        ]

    def __str__(self):
        return f"{self.unit_id} {self.year}: {self.last}"


class LetterTemplate(models.Model):
    """One version of a unit's template for one kind of document; versions are only added.

    The text is a Django template of the document's body (the frame around it, with 文号, unit,
    legal basis, remedies, contact and seal, is the same for every unit). Without a version the
    default shipped in applications/letters/defaults/ applies.
    """

    unit = models.ForeignKey(
        PublishingUnit,
        verbose_name="单位",
        on_delete=models.CASCADE,
        related_name="letter_templates",
    )
    kind = models.CharField("文书种类", max_length=30, choices=LetterKind)
    version = models.PositiveIntegerField("版本")
    body = models.TextField("模板正文")
    note = models.CharField("修改说明", max_length=200, blank=True)
    created_at = models.DateTimeField("保存时间", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="保存人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "文书模板"
        verbose_name_plural = "文书模板"
        ordering = ["unit__tree_id", "unit__lft", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "version"], name="letter_template_version_unique"
            ),
        ]

    def __str__(self):
        return f"{self.unit} {self.get_kind_display()} 第{self.version}版"


class AppealKind(models.TextChoices):
    REVIEW = "review", "行政复议"
    LITIGATION_DIRECT = "litigation_direct", "行政诉讼（未经复议直接起诉）"
    LITIGATION_AFTER_REVIEW = "litigation_after_review", "行政诉讼（复议后起诉）"


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", "结果维持"
    CORRECTED = "corrected", "结果纠正"
    OTHER = "other", "其他结果"
    PENDING = "pending", "尚未审结"


class Appeal(models.Model):
    """A 行政复议 or 行政诉讼 case about a request (annual report section 四)."""

    request = models.ForeignKey(
        Request, verbose_name="申请", on_delete=models.PROTECT, related_name="appeals"
    )
    kind = models.CharField("类型", max_length=30, choices=AppealKind)
    filed_on = models.DateField("提起日期")
    outcome = models.CharField(
        "结果", max_length=20, choices=AppealOutcome, default=AppealOutcome.PENDING
    )
    closed_on = models.DateField("审结日期", null=True, blank=True)
    note = models.TextField("备注", blank=True)

    class Meta:
        verbose_name = "行政复议/行政诉讼"
        verbose_name_plural = "行政复议/行政诉讼"
        ordering = ["-filed_on"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(outcome=AppealOutcome.PENDING, closed_on__isnull=True)
                    | (
                        ~models.Q(outcome=AppealOutcome.PENDING)
                        & models.Q(closed_on__gte=models.F("filed_on"))
                    )
                ),
                name="appeal_closed_iff_decided",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.filed_on:%Y-%m-%d}"


class DocumentSettings(models.Model):
    """What a unit's official documents (告知书) say about it, kept by its 单位管理员.

    Without a row the defaults of `for_unit` apply: the unit's office phone, 复议机关 the nearest
    government above it (行政复议法 2023 第二十四条), complaints to the unit above it (Art. 51).
    """

    unit = models.OneToOneField(
        PublishingUnit,
        verbose_name="单位",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="document_settings",
    )
    number_prefix = models.CharField(
        "发文机关代字", max_length=20, blank=True, help_text="例如：安数据。留空则用单位简称。"
    )
    number_pattern = models.CharField(
        "文号格式",
        max_length=60,
        default="{prefix}依公〔{yyyy}〕{serial}号",
        help_text="可用占位符：{prefix}（发文机关代字）、{yyyy}（年度）、{serial}（年度序号）。",
    )
    contact_person = models.CharField("联系人", max_length=50, blank=True)
    contact_phone = models.CharField(
        "联系电话", max_length=50, blank=True, help_text="留空则用政府信息公开工作机构电话。"
    )
    review_body = models.CharField(
        "行政复议机关",
        max_length=100,
        blank=True,
        help_text="例如：安庆市人民政府。留空则为上级人民政府。",
    )
    court = models.CharField(
        "管辖人民法院", max_length=100, blank=True, help_text="例如：安庆市迎江区人民法院。"
    )
    complaint_unit = models.ForeignKey(
        PublishingUnit,
        verbose_name="投诉受理机关",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="第五十一条：上级机关或政府信息公开工作主管部门。留空则为上级单位。",
    )
    seal = models.FileField(
        "印章图片",
        storage=private_storage,
        upload_to="seals/",
        blank=True,
        help_text="PNG图片，透明背景；未上传时文书印章处显示“（印章）”。",
    )
    fee_account = models.TextField(
        "缴费账户", blank=True, help_text="户名、开户银行和账号，写入收费通知书。"
    )
    fee_method = models.CharField(
        "缴费方式",
        max_length=200,
        blank=True,
        default="银行转账或到政府信息公开工作机构现场缴纳",
    )

    class Meta:
        verbose_name = "文书设置"
        verbose_name_plural = "文书设置"
        ordering = ["unit__tree_id", "unit__lft"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(complaint_unit=models.F("unit")),
                name="document_settings_complaint_elsewhere",
            ),
        ]

    def __str__(self):
        return f"{self.unit} 文书设置"

    def clean(self):
        from django.core.exceptions import ValidationError

        from applications import documents

        try:
            documents.format_number(self.number_pattern, "前缀", 2026, 1)
        except ValueError as error:
            raise ValidationError({"number_pattern": str(error)}) from None

    @classmethod
    def for_unit(cls, unit) -> "DocumentSettings":
        try:
            return cls.objects.select_related("unit", "complaint_unit").get(unit=unit)
        except cls.DoesNotExist:
            return cls(unit=unit)

    @property
    def prefix(self) -> str:
        return self.number_prefix or self.unit.short_name

    @property
    def phone(self) -> str:
        return self.contact_phone or self.unit.office_phone

    @property
    def review_body_name(self) -> str:
        """The 复议机关: configured, else the nearest government above the unit."""
        if self.review_body:
            return self.review_body
        above = self.unit.get_ancestors(ascending=True)
        government = next((u for u in above if u.kind == UnitKind.GOVERNMENT), None)
        return government.name if government else ""

    @property
    def complaint_body(self):
        """Art. 51: the configured body, else the unit above; never the unit complained about."""
        return self.complaint_unit or self.unit.parent


class ComplaintState(models.TextChoices):
    OPEN = "open", "待答复"
    ANSWERED = "answered", "已答复"


class Complaint(models.Model):
    """A 投诉 about the handling of a request, answered by the body Art. 51 names."""

    request = models.ForeignKey(
        Request, verbose_name="申请", on_delete=models.PROTECT, related_name="complaints"
    )
    # Art. 51: the superior or the 政府信息公开工作主管部门 handles it, not the unit complained about.
    handled_by = models.ForeignKey(
        PublishingUnit,
        verbose_name="受理投诉的机关",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints_handled",
    )
    text = models.TextField("投诉内容")
    created_at = models.DateTimeField("投诉时间", default=timezone.now)
    state = models.CharField(
        "状态", max_length=20, choices=ComplaintState, default=ComplaintState.OPEN
    )
    answer = models.TextField("答复内容", blank=True)
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="答复人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = "投诉"
        verbose_name_plural = "投诉"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state=ComplaintState.OPEN, answered_at__isnull=True)
                | models.Q(state=ComplaintState.ANSWERED, answered_at__isnull=False),
                name="complaint_answered_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.request} 投诉 {timezone.localtime(self.created_at):%Y-%m-%d}"


class PersonalDataAccess(PersonalDataOpening):
    """Who opened an applicant's personal data, or searched requests by it, and when (privacy
    audit). A search names no request: it keeps the term (an ID number masked) and the row count."""

    SEARCH = "检索申请人信息"

    request = models.ForeignKey(
        Request,
        verbose_name="申请",
        on_delete=models.CASCADE,
        related_name="access_log",
        null=True,
        blank=True,
    )
    query = models.CharField("检索内容", max_length=100, blank=True)
    rows = models.PositiveIntegerField("检索结果条数", null=True, blank=True)

    class Meta(PersonalDataOpening.Meta):
        verbose_name = "个人信息查看记录"
        verbose_name_plural = "个人信息查看记录"
        indexes = [
            models.Index(fields=["at"], name="data_access_at_idx"),
            models.Index(fields=["what", "at"], name="data_access_what_idx"),
        ]
        constraints = [
            # Either one request was opened, or a search was made (its term and row count).
            models.CheckConstraint(
                condition=models.Q(request__isnull=False, query="", rows__isnull=True)
                | models.Q(request__isnull=True, rows__isnull=False) & ~models.Q(query=""),
                name="data_access_request_or_search",
            ),
        ]

    def __str__(self):
        if self.request_id is None:
            return f"{self.user} {self.what}“{self.query}”"
        return f"{self.user} {self.what} {self.request}"
