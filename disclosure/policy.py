"""The policy-document library (政策文件库): 规章 and 行政规范性文件 with their 有效性 and 解读.

国办发〔2017〕47号: a document that is amended, repealed or expires is marked so on its page. Here:
- a new document lists the earlier ones it amends or repeals (`DocumentChange`); when it is
  published, `apply_changes_of` sets each old one's 失效日期 to the new one's 施行日期 (never before
  the publication itself) and, once that day has come, its 有效性 to 已修改 / 已废止;
- a 现行有效 document with a 失效日期 is 已失效 from that day on by itself: every page reads the
  有效性 "as of today" (`Entry.validity_on`, `EntryQuerySet.with_validity_now`), the daily
  `apply_due_changes` stores it, and the page cache is invalidated at that midnight
  (`next_change_at`, read by portal/pagecache.py).
"""

import csv
import datetime as dt
import io
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from disclosure import review
from disclosure.models import (
    POLICY_TYPES,
    ChangeKind,
    DocumentChange,
    DocumentType,
    Entry,
    EntryAction,
    Validity,
)

INTERPRETATION_WITHIN_WORKDAYS = 3


def apply_changes_of(document: Entry, published_at: dt.datetime, actor=None) -> list[Entry]:
    """Run inside the publishing transaction of `document`: its amendments and repeals take
    effect on the old documents. Returns the documents changed."""
    changed = []
    published_on = timezone.localtime(published_at).date()
    scheduled = published_at > timezone.now()
    for change in DocumentChange.objects.filter(document=document).select_related("target"):
        effective = document.valid_from or published_on
        if scheduled:
            # The old document stays in force until the new one is public.
            effective = max(effective, published_on)
        target = Entry.objects.select_for_update(of=("self",)).get(pk=change.target_id)
        result = ChangeKind(change.kind).resulting_validity
        change.previous_invalid_from = target.invalid_from
        change.previous_validity_after = target.validity_after
        target.invalid_from = max(effective, target.valid_from) if target.valid_from else effective
        target.validity_after = result
        if target.invalid_from <= timezone.localdate() and not scheduled:
            target.validity = result
        target.save(update_fields=["validity", "invalid_from", "validity_after", "updated_at"])
        change.effective_on = target.invalid_from
        change.save(
            update_fields=["effective_on", "previous_invalid_from", "previous_validity_after"]
        )
        review.record(
            target,
            EntryAction.VALIDITY,
            target.state,
            actor,
            f"被《{document.title}》{change.get_kind_display()}，"
            f"自{target.invalid_from:%Y-%m-%d}起{Validity(result).label}",
        )
        changed.append(target)
    return changed


def revert_changes_of(document: Entry, actor=None) -> list[Entry]:
    """Run inside the withdrawal of `document`: the old documents it amended or repealed get back
    the 失效日期 and 有效性 they had before, unless a later change has marked them since.
    Returns the documents changed."""
    changed = []
    today = timezone.localdate()
    for change in DocumentChange.objects.filter(document=document, effective_on__isnull=False):
        target = Entry.objects.select_for_update(of=("self",)).get(pk=change.target_id)
        result = ChangeKind(change.kind).resulting_validity
        if (target.invalid_from, target.validity_after) == (change.effective_on, result):
            target.invalid_from = change.previous_invalid_from
            target.validity_after = change.previous_validity_after
            target.validity = Validity.VALID
            target.validity = target.validity_on(today)  # its own 失效日期 may have passed
            target.save(update_fields=["validity", "invalid_from", "validity_after", "updated_at"])
            review.record(
                target,
                EntryAction.VALIDITY,
                target.state,
                actor,
                f"《{document.title}》已撤回，其{change.get_kind_display()}不再生效，"
                f"有效性恢复为{target.get_validity_display()}",
            )
            changed.append(target)
        change.effective_on = None
        change.save(update_fields=["effective_on"])
    return changed


def apply_due_changes(today: dt.date | None = None) -> int:
    """Store the 有效性 of documents whose 失效日期 has come (the daily timer runs it)."""
    today = today or timezone.localdate()
    count = 0
    due = Entry.objects.filter(validity=Validity.VALID, invalid_from__lte=today)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            entry = Entry.objects.select_for_update(of=("self",)).get(pk=pk)
            if entry.validity != Validity.VALID or not entry.invalid_from:
                continue
            entry.validity = entry.validity_after or Validity.EXPIRED
            entry.save(update_fields=["validity", "updated_at"])
            review.record(
                entry,
                EntryAction.VALIDITY,
                entry.state,
                None,
                f"失效日期{entry.invalid_from:%Y-%m-%d}已到，有效性变为{entry.get_validity_display()}",
            )
            count += 1
    return count


def next_change_at(now: dt.datetime | None = None) -> dt.datetime | None:
    """The next midnight at which a document's 有效性 changes by itself (for the page cache)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    day = (
        Entry.objects.filter(validity=Validity.VALID, invalid_from__gt=today)
        .order_by("invalid_from")
        .values_list("invalid_from", flat=True)
        .first()
    )
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


# ---- what the pages show ----------------------------------------------------------------------


@dataclass
class ChangeLine:
    """One line of "本文件已被《…》废止（date）" (old page) or "本文件废止《…》" (new page)."""

    other: Entry
    kind: str
    effective_on: dt.date | None
    in_effect: bool

    @classmethod
    def of(cls, row: DocumentChange, other: Entry, today: dt.date) -> "ChangeLine":
        effective_on = row.effective_on
        return cls(other, row.kind, effective_on, bool(effective_on) and effective_on <= today)

    @property
    def label(self) -> str:
        return ChangeKind(self.kind).label


def changed_by(entry: Entry) -> list[ChangeLine]:
    """The public documents that amend or repeal `entry`."""
    today = timezone.localdate()
    rows = (
        DocumentChange.objects.filter(target=entry, document__in=Entry.objects.public())
        .select_related("document__unit")
        .order_by("effective_on", "pk")
    )
    return [ChangeLine.of(row, row.document, today) for row in rows]


def changes_made(entry: Entry) -> list[ChangeLine]:
    today = timezone.localdate()
    rows = DocumentChange.objects.filter(document=entry).select_related("target__unit")
    return [ChangeLine.of(row, row.target, today) for row in rows if row.target.is_public]


def interpretations(entry: Entry) -> list[Entry]:
    return list(
        Entry.objects.public()
        .filter(interprets=entry, document_type=DocumentType.INTERPRETATION)
        .select_related("unit")
        .only("pk", "title", "published_at", "unit__slug", "unit__short_name")
        .order_by("published_at")
    )


# ---- the library page and its CSV ---------------------------------------------------------------

VALIDITY_ALL = "all"


@dataclass
class LibraryFilters:
    document_type: str = ""
    unit_slug: str = ""
    year: int | None = None
    validity: str = Validity.VALID
    topic: str = ""

    @classmethod
    def from_query(cls, params) -> "LibraryFilters":
        """Bad values are ignored (never an error page); 有效性 defaults to 现行有效."""
        document_type = params.get("type", "")
        if document_type not in POLICY_TYPES:
            document_type = ""
        validity = params.get("validity", Validity.VALID)
        if validity not in Validity.values and validity != VALIDITY_ALL:
            validity = Validity.VALID
        raw_year = params.get("year", "")
        year = int(raw_year) if raw_year.isdigit() and 1949 <= int(raw_year) <= 2200 else None
        return cls(
            document_type=document_type,
            unit_slug=params.get("unit", "")[:60],
            year=year,
            validity=validity,
            topic=" ".join(params.get("topic", "").split())[:40],
        )

    def apply(self, queryset, today=None):
        today = today or timezone.localdate()
        queryset = queryset.policy_documents().with_validity_now(today)
        if self.document_type:
            queryset = queryset.filter(document_type=self.document_type)
        if self.unit_slug:
            queryset = queryset.filter(unit__slug=self.unit_slug)
        if self.year:
            queryset = queryset.filter(made_on__year=self.year)
        if self.validity != VALIDITY_ALL:
            queryset = queryset.filter(validity_now=self.validity)
        if self.topic:
            queryset = queryset.filter(keywords__icontains=self.topic)
        return queryset


def library_queryset(filters: LibraryFilters):
    interpreted = Entry.objects.public().filter(interprets=OuterRef("pk"))
    return (
        filters.apply(Entry.objects.public())
        .annotate(has_interpretation=Exists(interpreted))
        .select_related("unit")
        .defer("body", "search_document")
        .order_by("-made_on", "-pk")
    )


CSV_HEADERS = [
    "索引号",
    "名称",
    "文号",
    "文种",
    "发文机关",
    "成文日期",
    "施行日期",
    "有效性",
    "失效日期",
    "主题词",
    "政策解读",
    "网址",
]
CSV_LIMIT = 10_000


def library_csv(queryset, base_url: str) -> str:
    """UTF-8 with BOM so that spreadsheet programs on Windows read the Chinese text."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(CSV_HEADERS)
    for entry in queryset[:CSV_LIMIT]:
        writer.writerow(
            [
                entry.index_number,
                _cell(entry.title),
                _cell(entry.document_number),
                entry.get_document_type_display(),
                entry.unit.name,
                f"{entry.made_on:%Y-%m-%d}",
                f"{entry.valid_from:%Y-%m-%d}" if entry.valid_from else "",
                Validity(entry.validity_now).label,
                f"{entry.invalid_from:%Y-%m-%d}" if entry.invalid_from else "",
                _cell(entry.keywords),
                "有" if entry.has_interpretation else "无",
                base_url + entry.get_absolute_url(),
            ]
        )
    return out.getvalue()


def _cell(text: str) -> str:
    # A cell starting with = + - @ would be run as a formula by spreadsheet programs.
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text
