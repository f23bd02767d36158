"""The seed of the annual-report tests: the 安庆市 2016 report as saved from the government page."""

from pathlib import Path

SEED = (
    Path(__file__).resolve().parents[2]
    / "disclosure"
    / "reports"
    / "demo_data"
    / "anqing-2016-annual-report.txt"
)


def original_paragraphs() -> list[str]:
    """The body of the seed page as printed: every non-empty line between the 发布 line and the footer."""
    lines = [" ".join(line.split()) for line in SEED.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line]
    start = next(i for i, line in enumerate(lines) if line.startswith("发布单位")) + 1
    end = next(i for i, line in enumerate(lines) if line.startswith("地址:"))
    return lines[start:end]
