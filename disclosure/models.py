"""The proactive-disclosure catalog (主动公开目录): categories, entries, attachments, events.

Business rules live in plain modules beside this one: `index_numbers` (索引号), `workflow` (review
before publication, Art. 17), `search` (Chinese bigram search), `sanitize` (rich text),
`attachments` (file checks) and `timeliness` (Art. 26).
"""

from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django_prose_editor.fields import ProseEditorField
from mptt.models import MPTTModel, TreeForeignKey
from mptt.querysets import TreeQuerySet

from disclosure import sanitize, search, timeliness
from portal import pagecache, storage, uploads
from portal.append_only import AppendOnlyModel
from portal.models import PublishingUnit
from portal.uploads import FileKind


class ColumnKind(models.TextChoices):
    """The four first-level columns every unit has (国办公开办函〔2019〕61号)."""

    GUIDE = "guide", "政府信息公开指南"
    RULES = "rules", "政府信息公开制度"
    PROACTIVE = "proactive", "法定主动公开内容"
    ANNUAL_REPORT = "annual_report", "政府信息公开年报"


class UpdatePeriod(models.TextChoices):
    """How often inspectors expect a column to be updated (检查指标, 国办秘函〔2019〕19号)."""

    TWO_WEEKS = "2w", "两周（动态、要闻）"
    HALF_YEAR = "6m", "六个月（政策文件、通知公告）"
    YEAR = "1y", "一年（其他应更新栏目）"
    NONE = "none", "不要求定期更新"


class CategoryQuerySet(TreeQuerySet):
    def active(self):
        return self.filter(is_active=True)


class Category(MPTTModel):
    """A column of the catalog (信息分类). One tree for the whole site, seeded by a migration."""

    parent = TreeForeignKey(
        "self",
        verbose_name="上级分类",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    name = models.CharField("名称", max_length=60)
    slug = models.SlugField("网址标识", max_length=60, unique=True)
    column = models.CharField(
        "所属栏目",
        max_length=20,
        choices=ColumnKind,
        default=ColumnKind.PROACTIVE,
        help_text="一级栏目，决定该分类在单位页面中显示的位置。",
    )
    order = models.PositiveIntegerField("排序", default=0)
    is_active = models.BooleanField(
        "启用", default=True, help_text="停用的分类不再用于新信息，已有信息仍可访问。"
    )
    update_period = models.CharField(
        "更新周期",
        max_length=10,
        choices=UpdatePeriod,
        default=UpdatePeriod.YEAR,
        help_text="自查按此判断栏目是否长期未更新或为空。",
    )

    objects = CategoryQuerySet.as_manager()

    class MPTTMeta:
        order_insertion_by = ["order"]

    class Meta:
        verbose_name = "信息分类"
        verbose_name_plural = "信息分类"
        ordering = ["tree_id", "lft"]

    def __str__(self):
        return self.name

    @staticmethod
    def rebuild_tree():
        """Tree writes are rare; serialise a full rebuild in one transaction."""
        with transaction.atomic():
            list(Category.objects.select_for_update().values_list("pk", flat=True))
            Category.objects.rebuild()
            # A rebuild writes in bulk, without signals: the columns of every page change.
            pagecache.invalidate("all")
            from disclosure.navigation import forget_column_categories  # it imports the models

            forget_column_categories()


class SearchTokensField(models.TextField):
    """A search document (disclosure/search/): a text[] of tokens on PostgreSQL, where a GIN
    index answers "contains all tokens" without touching the table; elsewhere the tokens as one
    space-separated string for LIKE. In Python it is always the string form " tok1 tok2 "."""

    def db_type(self, connection):
        if connection.vendor == "postgresql":
            return "text[]"
        return super().db_type(connection)

    def get_placeholder(self, value, compiler, connection):
        # Its presence also keeps bulk_create off PostgreSQL's UNNEST path, which would cast
        # the array column as plain text.
        return "%s"

    def from_db_value(self, value, expression, connection):
        if isinstance(value, list):
            return " " + " ".join(value) + " " if value else ""
        return value

    def get_db_prep_value(self, value, connection, prepared=False):
        value = super().get_db_prep_value(value, connection, prepared)
        if connection.vendor == "postgresql" and isinstance(value, str):
            return value.split()
        return value


class DocumentType(models.TextChoices):
    """Counted in section 二 of the annual report (第二十条第（一）项); 规章 and 行政规范性文件
    form the policy library (disclosure/policy.py), 政策解读 explain one of them."""

    RULE = "rule", "规章"
    NORMATIVE = "normative", "行政规范性文件"
    INTERPRETATION = "interpretation", "政策解读"
    OTHER = "other", "其他"


POLICY_TYPES = (DocumentType.RULE, DocumentType.NORMATIVE)


class Validity(models.TextChoices):
    """有效性 of a document (国办发〔2017〕47号: amended, repealed or expired documents are marked)."""

    VALID = "valid", "现行有效"
    AMENDED = "amended", "已修改"
    REPEALED = "repealed", "已废止"
    EXPIRED = "expired", "已失效"


class EntryState(models.TextChoices):
    DRAFT = "draft", "草稿"
    PENDING = "pending", "待审核"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"


# The states in which an entry is or has been on the public site.
EVER_PUBLIC = [EntryState.PUBLISHED, EntryState.WITHDRAWN]


class EntryQuerySet(models.QuerySet):
    def public(self, now=None):
        """Published and due: a scheduled entry stays hidden until its time comes."""
        return self.filter(
            state=EntryState.PUBLISHED, published_at__lte=now or timezone.now()
        ).exclude(index_number="")

    def unpublished(self):
        return self.filter(state__in=[EntryState.DRAFT, EntryState.PENDING])

    def last_public_change(self):
        """When one of these entries last changed while it was or had been public (an edit, a
        有效性 change, a publication, a withdrawal); drafts and entries under review do not
        count. A scheduled publication that comes changes no row: see its `published_at`."""
        return self.filter(state__in=EVER_PUBLIC).aggregate(at=models.Max("updated_at"))["at"]

    def search(self, query: str):
        """Public entries matching every term of `query` (or an equivalent term), unranked."""
        return self.filter(pk__in=search.Search(query).matching_ids())

    def policy_documents(self):
        return self.filter(document_type__in=POLICY_TYPES)

    def with_validity_now(self, today=None):
        """Annotate `validity_now`: the 有效性 as of `today`, a 失效日期 that has come included
        (the stored value catches up in `policy.apply_due_changes`)."""
        return self.annotate(validity_now=policy_validity_expression(today))


def policy_validity_expression(today=None):
    today = today or timezone.localdate()
    return models.Case(
        models.When(
            validity=Validity.VALID,
            invalid_from__lte=today,
            then=models.Case(
                models.When(validity_after="", then=models.Value(Validity.EXPIRED.value)),
                default=models.F("validity_after"),
            ),
        ),
        default=models.F("validity"),
        output_field=models.CharField(),
    )


class IndexCounter(models.Model):
    """The last 索引号 serial given per unit and year; its row is locked while a number is taken."""

    unit = models.ForeignKey(PublishingUnit, on_delete=models.CASCADE, verbose_name="单位")
    year = models.PositiveIntegerField("年度")
    last_serial = models.PositiveIntegerField("已用流水号", default=0)

    class Meta:
        verbose_name = "索引号计数器"
        verbose_name_plural = "索引号计数器"
        ordering = ["unit", "year"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="index_counter_unit_year_unique")
        ]

    def __str__(self):
        return f"{self.unit} {self.year}: {self.last_serial}"


class Entry(models.Model):
    """One catalog entry (Art. 12): 索引, 名称, 内容概述, 生成日期 and the usual extras."""

    unit = models.ForeignKey(
        PublishingUnit, verbose_name="发布机构", on_delete=models.PROTECT, related_name="entries"
    )
    category = models.ForeignKey(
        Category, verbose_name="信息分类", on_delete=models.PROTECT, related_name="entries"
    )
    title = models.CharField("名称", max_length=300)
    summary = models.TextField("内容概述", blank=True)
    body = ProseEditorField(
        "正文",
        blank=True,
        config={
            "extensions": {
                "Bold": True,
                "Italic": True,
                "Underline": True,
                "Subscript": True,
                "Superscript": True,
                "Heading": {"levels": [2, 3, 4]},
                "BulletList": True,
                "OrderedList": True,
                "ListItem": True,
                "Blockquote": True,
                "HorizontalRule": True,
                "HardBreak": True,
                "Link": {"enableTarget": False},
                "Table": True,
                "TableRow": True,
                "TableHeader": True,
                "TableCell": True,
            }
        },
        sanitize=sanitize.clean_html,
    )
    index_number = models.CharField(
        "索引号", max_length=80, blank=True, editable=False, help_text="发布时自动生成。"
    )
    index_year = models.PositiveIntegerField("索引号年度", null=True, blank=True, editable=False)
    index_serial = models.PositiveIntegerField(
        "索引号流水号", null=True, blank=True, editable=False
    )
    document_number = models.CharField(
        "文号", max_length=100, blank=True, help_text="例如：宜政办〔2017〕12号。"
    )
    made_on = models.DateField("生成日期", help_text="信息形成或者变更的日期。")
    due_on = models.DateField(
        "应公开日期", editable=False, help_text="生成日期后第20个工作日（条例第二十六条）。"
    )
    published_at = models.DateTimeField("发布时间", null=True, blank=True, editable=False)
    keywords = models.CharField("主题词", max_length=200, blank=True)
    document_type = models.CharField(
        "文件类型", max_length=20, choices=DocumentType, default=DocumentType.OTHER
    )
    validity = models.CharField("有效性", max_length=20, choices=Validity, default=Validity.VALID)
    valid_from = models.DateField(
        "施行日期", null=True, blank=True, help_text="规章和行政规范性文件必须填写。"
    )
    invalid_from = models.DateField(
        "失效日期",
        null=True,
        blank=True,
        help_text="已修改、已废止、已失效时为变更之日；现行有效的文件填写将来的日期，"
        "到期自动变为已失效。",
    )
    validity_after = models.CharField(
        "到期后有效性",
        max_length=20,
        choices=Validity,
        blank=True,
        editable=False,
        help_text="失效日期到来时变为的有效性；空为已失效（由修改、废止文件设定）。",
    )
    interprets = models.ForeignKey(
        "self",
        verbose_name="解读的文件",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="interpretations",
        limit_choices_to={"document_type__in": POLICY_TYPES},
        help_text="政策解读所解读的规章或行政规范性文件。",
    )
    state = models.CharField(
        "状态", max_length=20, choices=EntryState, default=EntryState.DRAFT, editable=False
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

    objects = EntryQuerySet.as_manager()

    class Meta:
        verbose_name = "公开信息"
        verbose_name_plural = "公开信息"
        ordering = ["-published_at", "-pk"]
        permissions = [("review_entry", "审核并发布公开信息")]
        constraints = [
            models.UniqueConstraint(
                fields=["index_number"],
                condition=~models.Q(index_number=""),
                name="entry_index_number_unique",
            ),
            models.UniqueConstraint(
                fields=["unit", "index_year", "index_serial"],
                condition=models.Q(index_serial__isnull=False),
                name="entry_unit_year_serial_unique",
            ),
            models.CheckConstraint(
                condition=~models.Q(state=EntryState.PUBLISHED)
                | (models.Q(published_at__isnull=False) & ~models.Q(index_number="")),
                name="entry_published_has_time_and_index",
            ),
            models.CheckConstraint(
                condition=models.Q(invalid_from__isnull=True)
                | models.Q(valid_from__isnull=True)
                | models.Q(invalid_from__gte=models.F("valid_from")),
                name="entry_invalid_after_valid",
            ),
        ]
        indexes = [
            # EntryQuerySet.public() ordered newest first: home page, feeds, sitemap.
            models.Index(fields=["state", "-published_at"], name="entry_state_published"),
            # The unit catalog and unit columns (navigation.unit_columns).
            models.Index(
                fields=["unit", "state", "-published_at"], name="entry_unit_state_published"
            ),
            # The unit page's columns and a unit's catalog filtered by category.
            models.Index(
                fields=["unit", "category", "state", "-published_at"],
                name="entry_unit_cat_published",
            ),
            # The timeliness report: unpublished entries by due date.
            models.Index(fields=["state", "due_on"], name="entry_state_due"),
            # The staff list's filters (tests/portal/test_query_plans.py).
            models.Index(fields=["made_on"], name="entry_made_on"),
            models.Index(fields=["validity"], name="entry_validity"),
            models.Index(fields=["document_type"], name="entry_document_type"),
            # The policy library (disclosure/policy.py): documents by type, newest first.
            models.Index(
                fields=["document_type", "state", "-made_on"], name="entry_doctype_state_made"
            ),
            # EntryQuerySet.last_public_change (the API's Last-Modified), of the whole site and
            # of one unit.
            models.Index(
                fields=["updated_at"],
                condition=models.Q(state__in=EVER_PUBLIC),
                name="entry_public_changed",
            ),
            models.Index(
                fields=["unit", "updated_at"],
                condition=models.Q(state__in=EVER_PUBLIC),
                name="entry_unit_public_changed",
            ),
            # The next automatic 有效性 change (portal/pagecache.py, policy.apply_due_changes).
            models.Index(
                fields=["validity", "invalid_from"],
                condition=models.Q(invalid_from__isnull=False),
                name="entry_validity_change",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Every write path (admin, import, workflow, commands) gets the same derived fields.
        self.body = sanitize.clean_html(self.body or "")
        self.made_on = self._meta.get_field("made_on").to_python(self.made_on)
        self.due_on = timeliness.due_date(self.made_on)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "body", "due_on"}
        super().save(*args, **kwargs)
        # The search index row follows in the same transaction (disclosure/search/index.py).
        search.index_entry(self)

    def get_absolute_url(self):
        return reverse("disclosure:entry", args=[self.unit.slug, self.pk])

    def clean(self):
        if self.made_on and self.made_on > timezone.localdate():
            # A date not yet reached would also pass the 20-working-day timeliness check.
            raise ValidationError({"made_on": "生成日期不能晚于今天。"})
        if self.validity != Validity.VALID and not self.invalid_from:
            raise ValidationError({"invalid_from": "请填写修改、废止或失效的日期。"})
        if self.valid_from and self.invalid_from and self.invalid_from < self.valid_from:
            raise ValidationError({"invalid_from": "失效日期不能早于施行日期。"})
        if self.interprets_id and self.document_type != DocumentType.INTERPRETATION:
            raise ValidationError({"interprets": "只有政策解读才能关联所解读的文件。"})
        if self.interprets_id and self.interprets_id == self.pk:
            raise ValidationError({"interprets": "解读不能关联自身。"})

    @property
    def is_policy_document(self) -> bool:
        return self.document_type in POLICY_TYPES

    def validity_on(self, today=None) -> str:
        """The 有效性 as of `today` (see EntryQuerySet.with_validity_now)."""
        today = today or timezone.localdate()
        if self.validity == Validity.VALID and self.invalid_from and self.invalid_from <= today:
            return self.validity_after or Validity.EXPIRED
        return self.validity

    @property
    def validity_now_label(self) -> str:
        return Validity(self.validity_on()).label

    @property
    def validity_now_verb(self) -> str:
        """The verb in "2023-06-30废止"."""
        return Validity(self.validity_on()).label.removeprefix("已")

    @property
    def date(self):
        """What navigation lists show next to the title."""
        return timezone.localtime(self.published_at).date() if self.published_at else None

    @property
    def is_public(self) -> bool:
        return (
            self.state == EntryState.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def published_late(self) -> bool:
        return (
            bool(self.published_at) and timezone.localtime(self.published_at).date() > self.due_on
        )

    @cached_property
    def body_text(self) -> str:
        return search.html_to_text(self.body)


class EntryAction(models.TextChoices):
    CREATE = "create", "起草"
    SUBMIT = "submit", "提交审核"
    APPROVE = "approve", "审核通过"
    SCHEDULE = "schedule", "审核通过（定时发布）"
    RETURN = "return", "退回修改"
    WITHDRAW = "withdraw", "撤回"
    IMPORT = "import", "导入"
    VALIDITY = "validity", "有效性变更"


class ReviewEvent(AppendOnlyModel):
    """Append-only record of a workflow step of what is reviewed before publication (an entry, a
    guide): who, when, what, why. A subclass adds the row and the choices of action and state."""

    append_only_allow_delete = True  # goes with its draft

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("时间", default=timezone.now)
    note = models.TextField("说明", blank=True)

    class Meta:
        abstract = True
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"

    def __str__(self):
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class EntryEvent(ReviewEvent):
    entry = models.ForeignKey(
        Entry, verbose_name="公开信息", on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField("操作", max_length=20, choices=EntryAction)
    from_state = models.CharField("原状态", max_length=20, choices=EntryState, blank=True)
    to_state = models.CharField("新状态", max_length=20, choices=EntryState)

    class Meta(ReviewEvent.Meta):
        ordering = ["entry", "at", "pk"]


class ChangeKind(models.TextChoices):
    AMENDS = "amends", "修改"
    REPEALS = "repeals", "废止"

    @property
    def resulting_validity(self) -> str:
        return Validity.AMENDED if self == ChangeKind.AMENDS else Validity.REPEALED


class DocumentChange(models.Model):
    """A new document amends or repeals an earlier one. At the new document's publication the
    old one's 有效性 follows (policy.apply_changes_of); both pages show the link."""

    document = models.ForeignKey(
        Entry, verbose_name="新文件", on_delete=models.CASCADE, related_name="changes_made"
    )
    target = models.ForeignKey(
        Entry,
        verbose_name="被修改或废止的文件",
        on_delete=models.PROTECT,
        related_name="changed_by",
        limit_choices_to={"document_type__in": POLICY_TYPES},
    )
    kind = models.CharField("方式", max_length=10, choices=ChangeKind, default=ChangeKind.REPEALS)
    effective_on = models.DateField("变更日期", null=True, blank=True, editable=False)
    # The old document's 失效日期 and later 有效性 before this change took effect: restored if
    # the new document is withdrawn (policy.revert_changes_of).
    previous_invalid_from = models.DateField(null=True, blank=True, editable=False)
    previous_validity_after = models.CharField(
        max_length=10, choices=Validity, blank=True, editable=False
    )

    class Meta:
        verbose_name = "修改或废止的文件"
        verbose_name_plural = "修改或废止的文件"
        ordering = ["document", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["document", "target"], name="document_change_unique"),
            models.CheckConstraint(
                condition=~models.Q(document=models.F("target")),
                name="document_change_not_self",
            ),
        ]

    def __str__(self):
        return f"《{self.document}》{self.get_kind_display()}《{self.target}》"


# The first migration calls this; the storage itself is settings.STORAGES["attachments"].
PrivateStorage = partial(storage.PrivateFolder, "disclosure")


def attachment_storage():
    """Catalog attachments: settings.STORAGES["attachments"] (portal.storage). They live outside
    MEDIA_ROOT: only the checked download view serves them, so an unpublished entry's file is
    never reachable by URL."""
    return storage.attachments


class Attachment(models.Model):
    entry = models.ForeignKey(
        Entry, verbose_name="公开信息", on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(
        "文件", upload_to="attachments/%Y/%m/", storage=attachment_storage, max_length=200
    )
    name = models.CharField("文件名", max_length=200, blank=True)
    kind = models.CharField("类型", max_length=10, choices=FileKind, editable=False)
    size = models.PositiveBigIntegerField("大小（字节）", default=0, editable=False)
    thumbnail = models.FileField(
        "缩略图",
        upload_to="thumbnails/%Y/%m/",
        storage=attachment_storage,
        blank=True,
        editable=False,
        max_length=200,
    )
    order = models.PositiveIntegerField("排序", default=0)
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"
        ordering = ["entry", "order", "pk"]

    def __str__(self):
        return self.name or self.file.name

    def get_absolute_url(self):
        return reverse("disclosure:attachment", args=[self.pk])

    @property
    def download_name(self) -> str:
        """The display name staff chose, with the extension of the type found by content."""
        return uploads.named_for_kind(self.name or self.file.name.rsplit("/", 1)[-1], self.kind)

    def store(self, checked: uploads.CheckedFile) -> None:
        """Put a file checked under uploads.CATALOG_ATTACHMENT on this (unsaved) attachment."""
        self.kind = checked.kind
        self.size = checked.size
        self.name = self.name or checked.name
        self.file.save(checked.name, checked.content, save=False)
        if checked.thumbnail is not None:
            self.thumbnail.save(checked.thumbnail.name, checked.thumbnail, save=False)


class SearchDocument(models.Model):
    """The search index (disclosure/search/): one row per published entry, kept by Entry.save().

    `tokens` holds the bigrams of all text, the title's and summary's own (prefixed t: and s:,
    for ranking), the entry's unit, category, year and validity (u:, c:, y:, v:, so filters are
    answered by the same index) and nested sample marks (~4 ... ~4096) for estimates. The other
    columns are what a result list sorts and counts by, so a search reads this narrow table and
    loads only the twenty entries it shows.
    """

    entry = models.OneToOneField(
        Entry,
        verbose_name="公开信息",
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="search_document",
    )
    unit = models.ForeignKey(
        PublishingUnit, verbose_name="发布机构", on_delete=models.CASCADE, related_name="+"
    )
    category = models.ForeignKey(
        Category, verbose_name="信息分类", on_delete=models.CASCADE, related_name="+"
    )
    published_at = models.DateTimeField("发布时间")
    year = models.PositiveSmallIntegerField("发布年份")
    validity = models.CharField("有效性", max_length=20, choices=Validity)
    tokens = SearchTokensField("检索词元")
    # The t: and s: tokens again, as text (" t:教育 s:公开 "): ranking a row is a substring
    # search in this short string, not a scan of the whole document's array.
    ranking = models.TextField("排序词元", default="")
    # The sparsest sample mark in `tokens` (1: none): the partial index searchdoc_sample_gin
    # covers the rows with 16 and up.
    sample_rate = models.PositiveSmallIntegerField("抽样标记", default=1)

    class Meta:
        verbose_name = "检索索引"
        verbose_name_plural = "检索索引"
        ordering = ["-published_at", "-entry"]
        indexes = [
            # The newest-first walk of a broad search (search/engine.py, Search._walk).
            models.Index(fields=["-published_at", "-entry"], name="searchdoc_published"),
            # The same walk within one unit.
            models.Index(fields=["unit", "-published_at"], name="searchdoc_unit_published"),
        ]

    def __str__(self):
        return f"检索索引 {self.entry_id}"


class SearchSynonym(models.Model):
    """Terms that mean the same to people searching (年报 = 年度报告); a query for one finds all."""

    terms = models.CharField(
        "等同词",
        max_length=200,
        unique=True,
        help_text="用空格或“=”分隔，例如：年报 = 年度报告。检索其中任一词时，同时检索其他词。",
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = "检索同义词"
        verbose_name_plural = "检索同义词"
        ordering = ["terms"]

    def __str__(self):
        return self.terms

    def term_list(self) -> list[str]:
        return search.synonym_terms(self.terms)

    def clean(self):
        if len(self.term_list()) < 2:
            raise ValidationError({"terms": "请至少填写两个词，用空格或“=”分隔。"})


class SearchMiss(models.Model):
    """A query that found nothing, counted per week, so staff can add terms or content."""

    query = models.CharField("检索词", max_length=40)
    week = models.DateField("所在周（周一）")
    count = models.PositiveIntegerField("次数", default=0)
    last_at = models.DateTimeField("最近一次", default=timezone.now)

    class Meta:
        verbose_name = "无结果检索"
        verbose_name_plural = "无结果检索"
        ordering = ["-week", "-count"]
        constraints = [
            models.UniqueConstraint(fields=["query", "week"], name="searchmiss_query_week_unique")
        ]
        indexes = [models.Index(fields=["week", "-count"], name="searchmiss_week_count")]

    def __str__(self):
        return f"{self.query}（{self.count}次）"
