"""The rich-text editor in the staff admin: loads under the CSP, speaks Chinese (issue 11)."""

import pytest

from disclosure.reports import figures
from disclosure.reports.models import AnnualReport

pytestmark = pytest.mark.django_db(transaction=True)


def _console_errors(page):
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


@pytest.mark.parametrize("where", ["entry", "report"])
def test_editor_loads_without_console_errors_and_in_chinese(
    browser_page, live_server, staff_login, admin_a, unit_a, bureau, where
):
    page = browser_page
    errors = _console_errors(page)
    staff_login(page, admin_a)
    if where == "entry":
        url = "/admin/disclosure/entry/add/"
    else:
        report = AnnualReport.objects.create(unit=unit_a, year=2025, overview="<p>总体情况。</p>")
        figures.apply_computed(report)
        url = f"/admin/reports/annualreport/{report.pk}/change/"
    page.goto(live_server.url + url)
    bold = page.locator(".prose-menubar button[title='加粗']").first
    bold.wait_for()
    titles = page.locator(".prose-menubar [title]").evaluate_all(
        "els => els.map(e => e.getAttribute('title'))"
    )
    english = [t for t in titles if t and t.isascii() and t != "HTML"]
    assert not english, f"菜单仍有英文提示：{english}"
    # The block-type picker's choices (hidden until opened, but read out by screen readers).
    choices = page.locator(".prose-menubar__option").evaluate_all(
        "els => els.map(e => e.textContent.trim())"
    )
    assert choices, "没有段落类型选项"
    english = [c for c in choices if c.isascii()]
    assert not english, f"段落类型选项仍是英文：{english}"
    # The editor replaced the plain text box (no fall-back to a bare <textarea>).
    assert page.locator(".prose-editor .ProseMirror").count() >= 1
    assert not errors, errors


# Characters a stylesheet puts in the menu (::before / ::after) that no installed font can draw:
# each is compared, drawn on a canvas in its own font, with a character no font has (U+10FFFD),
# which Chromium draws as the empty "missing glyph" box.
_MISSING_GLYPHS = """() => {
  const draw = (text, font) => {
    const canvas = document.createElement("canvas");
    canvas.width = 80;
    canvas.height = 60;
    const context = canvas.getContext("2d");
    context.font = "40px " + font;
    context.fillText(text, 8, 45);
    return Array.from(context.getImageData(0, 0, 80, 60).data).join(",");
  };
  const missing = [];
  document.querySelectorAll(".prose-menubar, .prose-menubar *").forEach((el) => {
    for (const pseudo of ["::before", "::after"]) {
      const style = getComputedStyle(el, pseudo);
      const match = /^"(.*)"$/.exec(style.content);
      if (!match) continue;
      const box = draw("\\u{10FFFD}", style.fontFamily);
      for (const ch of match[1].replace(/\\\\/g, "")) {
        if (ch.trim() && draw(ch, style.fontFamily) === box) {
          missing.push(`${el.className}${pseudo} U+${ch.codePointAt(0).toString(16).toUpperCase()}`);
        }
      }
    }
  });
  return missing;
}"""


def test_editor_menu_shows_no_empty_glyph_box(browser_page, live_server, staff_login, admin_a):
    page = browser_page
    staff_login(page, admin_a)
    page.goto(live_server.url + "/admin/disclosure/entry/add/")
    page.locator(".prose-menubar__selected").first.wait_for()
    assert page.evaluate(_MISSING_GLYPHS) == []
    # The block-type picker still shows its drop-down arrow (drawn, not a character).
    arrow = page.locator(".prose-menubar__selected").first.evaluate(
        "el => getComputedStyle(el, '::after').borderTopWidth"
    )
    assert arrow != "0px"
