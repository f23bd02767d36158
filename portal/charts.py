"""Small server-rendered SVG charts: readable without scripts, printable, accessible."""

from html import escape

from django.utils.safestring import SafeString, mark_safe


def bar_chart(
    bars: list[tuple[str, float]],
    title: str,
    unit: str = "件",
    highlight: str | None = None,
    width: int = 480,
    bar_height: int = 22,
) -> SafeString:
    """Horizontal bars, one per (label, value); the bar named `highlight` is drawn darker."""
    label_width, gap, top = 120, 8, 8
    height = top + len(bars) * (bar_height + gap) + 4
    largest = max((value for _, value in bars), default=0) or 1
    track = width - label_width - 70
    summary = "；".join(f"{label}：{value:g}{unit}" for label, value in bars)
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}：{escape(summary)}">',
        f"<title>{escape(title)}</title>",
    ]
    for i, (label, value) in enumerate(bars):
        y = top + i * (bar_height + gap)
        length = round(track * value / largest, 1)
        fill = "#a50d0d" if label == highlight else "#6b7f99"
        parts += [
            f'<text x="{label_width - 6}" y="{y + bar_height * 0.7:.0f}" text-anchor="end" font-size="13" '
            f'fill="#1f1f1f">{escape(label)}</text>',
            f'<rect x="{label_width}" y="{y}" width="{length}" height="{bar_height}" fill="{fill}"></rect>',
            f'<text x="{label_width + length + 6}" y="{y + bar_height * 0.7:.0f}" font-size="13" '
            f'fill="#1f1f1f">{value:g}{escape(unit)}</text>',
        ]
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
