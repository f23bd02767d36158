"""The search index: one SearchDocument row per published entry, kept in step by Entry.save().

A row exists from publication (a scheduled entry's row waits for its time: every search asks for
published_at <= now) until withdrawal. `rebuild()` recreates every row, e.g. after a change of
tokenisation (`manage.py rebuild_search_index`).
"""

import zlib

from django.db import transaction
from django.utils import timezone

from disclosure.search.tokens import as_document, html_to_text, tokenize

# Nested sample marks: "~4" on a quarter of all entries, "~16" on a sixteenth of them (all of
# which also carry "~4"), and so on. Counting the matches that carry a mark estimates a broad
# query's count and facets from a few hundred rows (search/engine.py); the rarest marks keep that
# true at a million entries.
SAMPLE_RATES = (4, 16, 64, 256, 1024, 4096)
# The samples at least this sparse have their own (partial) GIN index, a sixteenth the size of
# the whole: its short posting lists make a sample read two to four times cheaper.
INDEXED_SAMPLE_RATE = 16


def sample_marks(entry_id: int) -> list[str]:
    """The marks of one entry. The CRC's low eight bits decide up to ~256 (as before ~1024 and
    ~4096 existed, so rows indexed then keep their marks: migration 0015 only adds the new ones);
    the next four bits split the ~256 entries further."""
    crc = zlib.crc32(str(entry_id).encode())
    bucket, finer = crc & 255, (crc >> 8) & 15
    return [
        f"~{rate}"
        for rate in SAMPLE_RATES
        if (bucket < 256 // rate if rate <= 256 else bucket == 0 and finer < 4096 // rate)
    ]


def sample_rate(entry_id: int) -> int:
    """The sparsest mark an entry carries (1: none), kept in a column of its own so that a
    partial GIN index over the sparse samples (rate 16 and up) answers the reads that count a
    broad query (search/engine.py)."""
    marks = sample_marks(entry_id)
    return int(marks[-1][1:]) if marks else 1


def ranking_tokens(tokens) -> list[str]:
    """The title's and summary's own tokens (t:, s:): a small column the result ranks are read
    from, so ranking a row never scans its whole token array (search/engine.py)."""
    return [token for token in tokens if token.startswith(("t:", "s:"))]


def document_tokens(entry, body_text: str | None = None) -> list[str]:
    """`body_text` may be given when the caller already has the plain text (bulk generation)."""
    if body_text is None:
        body_text = html_to_text(entry.body)
    tokens = tokenize(" ".join([entry.title, entry.summary, body_text, entry.document_number]))
    tokens += ["t:" + token for token in tokenize(entry.title)]
    tokens += ["s:" + token for token in tokenize(f"{entry.summary} {entry.document_number}")]
    tokens += [
        f"u:{entry.unit_id}",
        f"c:{entry.category_id}",
        f"y:{timezone.localtime(entry.published_at).year}",
        f"v:{entry.validity}",
    ]
    return tokens + sample_marks(entry.pk)


def is_indexed(entry) -> bool:
    from disclosure.models import EntryState

    return entry.state == EntryState.PUBLISHED and bool(entry.index_number and entry.published_at)


def document_for(entry, body_text: str | None = None):
    from disclosure.models import SearchDocument

    tokens = document_tokens(entry, body_text)
    return SearchDocument(
        entry_id=entry.pk,
        unit_id=entry.unit_id,
        category_id=entry.category_id,
        published_at=entry.published_at,
        year=timezone.localtime(entry.published_at).year,
        validity=entry.validity,
        tokens=as_document(tokens),
        ranking=as_document(ranking_tokens(tokens)),
        sample_rate=sample_rate(entry.pk),
    )


def index_entry(entry) -> None:
    from disclosure.models import SearchDocument

    if is_indexed(entry):
        document_for(entry).save()
    else:
        SearchDocument.objects.filter(entry_id=entry.pk).delete()


def rebuild(batch_size: int = 1000) -> int:
    """Recreate every row in one transaction; returns the number of indexed entries."""
    from disclosure.models import Entry, EntryState, SearchDocument

    created = 0
    with transaction.atomic():
        SearchDocument.objects.all().delete()
        entries = Entry.objects.filter(state=EntryState.PUBLISHED).exclude(index_number="")
        batch = []
        for entry in entries.iterator(chunk_size=batch_size):
            if is_indexed(entry):
                batch.append(document_for(entry))
            if len(batch) >= batch_size:
                SearchDocument.objects.bulk_create(batch)
                created += len(batch)
                batch = []
        SearchDocument.objects.bulk_create(batch)
        created += len(batch)
    return created
