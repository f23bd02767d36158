import re

from portal.charts import bar_chart


def test_bar_chart_scales_bars_and_escapes_labels():
    svg = str(
        bar_chart([("2024年", 10), ("2025年", 20), ("<b>", 0)], "历年申请数量", highlight="2025年")
    )
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "2025年：20件" in svg
    assert "&lt;b&gt;" in svg and "<b>" not in svg
    widths = [float(w) for w in re.findall(r'<rect [^>]*width="([\d.]+)"', svg)]
    assert widths[1] == 2 * widths[0] and widths[2] == 0
    assert svg.count("#a50d0d") == 1


def test_bar_chart_with_no_data():
    svg = str(bar_chart([], "空"))
    assert "<svg" in svg and "<rect" not in svg
