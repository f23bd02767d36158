"""Personal data in a message's public version: a first pass for staff, and a last check.

Staff write the public version; the publish form starts from the citizen's text with the obvious
personal data (their name, phone, e-mail, any phone, ID or e-mail pattern) already masked, and
publication is refused while the public text still holds the citizen's own name, phone or e-mail
or anything that looks like a mobile number, an ID-card number or an e-mail address.
"""

import re

MASK = "＊＊＊"
PATTERNS = [
    (
        "身份证号码",
        re.compile(r"(?<![0-9])[1-9]\d{5}(?:18|19|20)\d{2}\d{2}\d{2}\d{3}[\dXx](?![0-9])"),
    ),
    ("手机号码", re.compile(r"(?<![0-9])1[3-9]\d{9}(?![0-9])")),
    ("电话号码", re.compile(r"(?<![0-9])0\d{2,3}-?\d{7,8}(?![0-9])")),
    ("电子邮箱", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
]


def _own(message) -> list[tuple[str, str]]:
    own = [("姓名", message.name), ("联系电话", message.phone), ("电子邮箱", message.email)]
    return [(label, value.strip()) for label, value in own if value and len(value.strip()) >= 2]


def scrub(text: str, message) -> str:
    for _label, value in _own(message):
        text = text.replace(value, MASK)
    for _label, pattern in PATTERNS:
        text = pattern.sub(MASK, text)
    return text


# An office's landline may well appear in a citizen's text or a reply; these may not.
PERSONAL_PATTERNS = ("身份证号码", "手机号码", "电子邮箱")


def leaks(text: str, message, *, patterns: bool = True) -> list[str]:
    """What personal data `text` still shows, by label (empty when none). Without `patterns`
    only the citizen's own name, phone and e-mail are looked for (a reply may name a hotline)."""
    found = [label for label, value in _own(message) if value in text]
    if patterns:
        found += [
            label
            for label, pattern in PATTERNS
            if label in PERSONAL_PATTERNS and pattern.search(text)
        ]
    return list(dict.fromkeys(found))
