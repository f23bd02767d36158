"""GB/T 37668-2019 checkpoints that axe's rules cannot see, checked in the browser on the standard
pages (docs/gbt37668.md maps each checkpoint to these tests): reflow at 320 px, text resized to
200 %, keyboard focus order and visible focus without a trap, skip link, labels and error
identification in the application form."""

from django.core.management import call_command

from tests.e2e.a11y import page_width
from tests.e2e.test_elder_mode import public_paths

# What has the keyboard focus, its place among the page's focusable elements in document order,
# and whether an outline or shadow shows it.
_FOCUS = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const shown = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== 'none';
  const focusable = Array.from(document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]'
  )).filter(e => e.tabIndex >= 0 && !e.disabled && e.getClientRects().length > 0
               && getComputedStyle(e).visibility !== 'hidden')
    // A radio group is one tab stop: its checked button, or its first when none is checked.
    .filter(e => e.type !== 'radio' || e === (
      document.querySelector(`input[type=radio][name="${e.name}"]:checked`)
      || document.querySelector(`input[type=radio][name="${e.name}"]`)));
  return {text: (el.textContent || el.name || el.id || '').trim().slice(0, 20), shown: shown,
          visible: box.width > 0 && box.height > 0, body: el === document.body,
          index: focusable.indexOf(el)};
}"""


def test_reflow_at_320_px_and_text_at_200_percent(browser_page, live_server):
    call_command("load_demo")
    page = browser_page
    base = live_server.url
    paths = public_paths()
    # 1.4.10 Reflow: 1280 px at 400 % zoom is 320 CSS px; wide data tables scroll in their own box.
    page.set_viewport_size({"width": 320, "height": 640})
    for path in paths:
        page.goto(base + path)
        assert page_width(page) <= 320, f"{path} 在320像素宽时有 {page_width(page)} 像素宽"
    # 1.4.4 Resize text: every size is in rem, so doubling the root size doubles all text.
    page.set_viewport_size({"width": 1280, "height": 900})
    for path in paths:
        page.goto(base + path)
        before = page.evaluate(
            "parseFloat(getComputedStyle(document.querySelector('main')).fontSize)"
        )
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        after = page.evaluate(
            "parseFloat(getComputedStyle(document.querySelector('main')).fontSize)"
        )
        assert after == 2 * before, path
        assert page_width(page) <= 1280, f"{path} 文字放大200%后出现横向滚动"


def test_keyboard_focus_order_is_visible_and_never_trapped(browser_page, live_server):
    call_command("load_demo")
    page = browser_page
    for path in ("/", "/yishenqing/shenqing/", "/xxgk/zwzx/"):
        page.goto(live_server.url + path)
        page.keyboard.press("Tab")
        first = page.evaluate(_FOCUS)
        assert first["text"] == "跳到主要内容", path  # 2.4.1 the skip link comes first
        seen = []
        for _ in range(200):
            page.keyboard.press("Tab")
            focus = page.evaluate(_FOCUS)
            if focus["body"] or focus["text"] == "跳到主要内容":
                break  # focus left the page or wrapped around: no trap (2.1.2)
            assert focus["visible"] and focus["shown"], f"{path} 焦点不可见：{focus}"  # 2.4.7
            seen.append(focus)
        else:
            raise AssertionError(f"{path} 按Tab键200次仍未走完页面，可能存在键盘陷阱")
        assert len(seen) > 5
        # 2.4.3 Focus order is the reading order: each Tab reaches the next focusable element
        # of the document (no positive tabindex, nothing reordered), none skipped.
        indexes = [f["index"] for f in seen]
        assert indexes == list(range(first["index"] + 1, first["index"] + 1 + len(seen))), path
        positive = (
            "Array.from(document.querySelectorAll('[tabindex]')).filter(e => e.tabIndex > 0).length"
        )
        assert page.evaluate(positive) == 0, path


def test_form_labels_and_error_identification(browser_page, live_server, unit_a, site_profile):
    page = browser_page
    page.goto(live_server.url + "/yishenqing/shenqing/")
    # 3.3.2 / 1.3.1: every visible control has an accessible name from its label.
    unnamed = page.evaluate(
        """() => Array.from(document.querySelectorAll('main input:not([type=hidden]), main select, main textarea'))
             .filter(el => el.getBoundingClientRect().width > 0)
             .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
             .map(el => el.name || el.id)"""
    )
    assert unnamed == []
    page.get_by_role("button", name="提交申请").click()
    # 3.3.1 Error identification: a summary takes the focus and names each problem in text,
    # each linked to its field; the message sits beside the field and is tied to it.
    page.wait_for_function(
        "document.activeElement && document.activeElement.id === 'error-summary'"
    )
    summary = page.locator("#error-summary")
    assert "提交未成功" in summary.inner_text()
    link = summary.locator("a[href='#field-unit']")
    assert "受理单位" in link.inner_text()
    error = page.locator("#field-unit .field-error")
    assert error.is_visible() and error.inner_text()
    described = page.evaluate(
        """() => {
          const input = document.getElementById('id_unit');
          const ids = (input.getAttribute('aria-describedby') || '').split(' ');
          return {invalid: input.getAttribute('aria-invalid'), ids: ids};
        }"""
    )
    assert described["invalid"] == "true"
    assert "id_unit_error" in described["ids"]
    link.click()
    page.wait_for_url("**/yishenqing/shenqing/#field-unit")
