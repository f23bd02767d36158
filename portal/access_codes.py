"""查询码: the secret that, with a case number, opens a citizen's case (request, message...).

A code is shown once and stored only as an HMAC under the app's own salt. It is checked against
SECRET_KEY and then every key in SECRET_KEY_FALLBACKS, so rotating a leaked SECRET_KEY does not
lock every applicant out; staff re-issue a code when one is lost (the old hash is replaced).
"""

import re
import secrets
import unicodedata

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

# No 0/O, 1/I/L: codes are read aloud and typed.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 12


def new_code() -> str:
    return printed("".join(secrets.choice(ALPHABET) for _ in range(LENGTH)))


def printed(typed: str) -> str:
    """However it is typed (lower case, spaces, full-width characters, with or without the
    dashes), a code becomes its printed form XXXX-XXXX-XXXX."""
    chars = re.sub(r"[^0-9A-Z]", "", unicodedata.normalize("NFKC", typed).upper())
    if len(chars) == LENGTH:
        return f"{chars[:4]}-{chars[4:8]}-{chars[8:]}"
    return chars


def hash_code(salt: str, code: str, secret: str | None = None) -> str:
    return salted_hmac(salt, printed(code), secret=secret).hexdigest()


def check(salt: str, stored_hash: str, typed: str) -> bool:
    """True when `typed` is the code whose hash is stored, under the current or a former key."""
    if not stored_hash:
        return False
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    # Every key is tried, so the time taken does not tell which one matched.
    matches = [constant_time_compare(stored_hash, hash_code(salt, typed, key)) for key in keys]
    return any(matches)
