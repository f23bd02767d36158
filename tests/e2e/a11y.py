"""Browser checks shared by the accessibility tests (长者模式 and the GB/T 37668 checkpoints)."""

from axe_playwright_python.sync_playwright import Axe

ELDER_KEY = "portal.elderMode"

# WCAG 2.1 A and AA, plus the 7:1 contrast rule that 长者模式 promises (an AAA rule in axe).
AXE_ELDER_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "rules": {"color-contrast-enhanced": {"enabled": True}},
}


def assert_axe_elder(page):
    """No axe violation at all (any impact) of WCAG 2.1 AA or the enhanced contrast rule."""
    results = Axe().run(page, options=AXE_ELDER_OPTIONS)
    bad = results.response["violations"]
    details = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:5]}"
        for v in bad
    )
    assert not bad, f"{page.url} 在长者模式下有无障碍问题：\n{details}"


def is_elder(page) -> bool:
    return page.evaluate("document.documentElement.classList.contains('elder')")


# Visible elements that hold text themselves, with a computed size under 20 px (SVG charts are
# drawn to scale and have their numbers in a table beside them).
_SMALL_TEXT = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('body *')) {
    if (el.closest('svg')) continue;
    const own = Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1 || box.right <= 0) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden') continue;
    if (parseFloat(style.fontSize) < 19.9) {
      bad.push(`${el.tagName}.${el.className} ${style.fontSize} ${el.textContent.trim().slice(0, 20)}`);
    }
  }
  return bad;
}"""

# Click targets under 44 × 44 px; links flowing inside a sentence are exempt (WCAG 2.5.5), and a
# radio button or check box counts with its label, which is what people click.
_SMALL_TARGETS = """() => {
  const bad = [];
  for (let el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary')) {
    const style = getComputedStyle(el);
    if (el.tagName === 'A' && style.display === 'inline') continue;
    if ((el.type === 'checkbox' || el.type === 'radio') && el.closest('label')) el = el.closest('label');
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1 || box.right <= 0 || style.visibility === 'hidden') continue;
    if (box.width < 43.5 || box.height < 43.5) {
      bad.push(`${el.tagName} ${(el.textContent || el.name || '').trim().slice(0, 20)} ${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  return bad;
}"""

_LINE_HEIGHT = "parseFloat(getComputedStyle(document.body).lineHeight) / parseFloat(getComputedStyle(document.body).fontSize)"


def small_text(page) -> list[str]:
    return page.evaluate(_SMALL_TEXT)


def small_targets(page) -> list[str]:
    return page.evaluate(_SMALL_TARGETS)


def body_line_height(page) -> float:
    return page.evaluate(_LINE_HEIGHT)


def page_width(page) -> int:
    """How wide the page is: more than the viewport means it scrolls sideways."""
    return page.evaluate("document.documentElement.scrollWidth")


def set_elder_in_storage(page, base):
    """Choose 长者模式 the way a returning visitor has it: remembered in localStorage."""
    page.goto(base + "/")
    page.evaluate(f"localStorage.setItem('{ELDER_KEY}', '1')")
