"""A realistic, varied search mix from the bench database's own titles.

People (and crawlers following links) search for words they saw: each query is one or two terms
of 2-4 Chinese characters cut from the titles of random public entries. Most go to the first page
of all results; some filter by a unit or a year, some ask for page 2 or 3. Every query of one mix
is different, so none is answered from the page cache.

`python bench/search_mix.py [--count N] [--seed S]` prints one URL path per line.
"""

import os
import random
import re
import sys
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")


def _terms_of(title: str, rng: random.Random) -> list[str]:
    runs = _CJK_RUN.findall(title)
    terms = []
    for run in runs:
        for _ in range(3):
            length = rng.randint(2, min(4, len(run)))
            start = rng.randint(0, len(run) - length)
            terms.append(run[start : start + length])
    return terms


def queries(count: int, seed: int = 14) -> list[str]:
    """`count` distinct search paths."""
    import django

    django.setup()
    from disclosure.models import Entry
    from portal.models import PublishingUnit

    rng = random.Random(seed)
    ids = list(Entry.objects.public().values_list("pk", flat=True))
    units = list(PublishingUnit.objects.active().values_list("slug", flat=True))
    years = sorted({y.year for y in Entry.objects.public().dates("published_at", "year")})
    sample = rng.sample(ids, min(len(ids), count * 2))
    titles = dict(Entry.objects.filter(pk__in=sample).values_list("pk", "title"))
    paths: dict[str, None] = {}
    attempts = 0
    while len(paths) < count and attempts < count * 50:
        attempts += 1
        title = titles[sample[attempts % len(sample)]]
        terms = _terms_of(title, rng)
        if not terms:
            continue
        if rng.random() < 0.6:
            query = rng.choice(terms)
        else:
            # Two terms, often from two different titles (what a visitor combines).
            other = titles[rng.choice(sample)] if rng.random() < 0.5 else title
            other_terms = _terms_of(other, rng) or terms
            query = f"{rng.choice(terms)} {rng.choice(other_terms)}"
        params = {"q": query}
        roll = rng.random()
        if roll < 0.10:
            params["unit"] = rng.choice(units)
        elif roll < 0.18:
            params["year"] = rng.choice(years)
        elif roll < 0.28:
            params["page"] = rng.choice([2, 3])
        paths.setdefault("/search/?" + urlencode(params), None)
    return list(paths)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args()
    print("\n".join(queries(args.count, args.seed)))
