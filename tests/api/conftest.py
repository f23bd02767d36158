"""The API is tested against the catalog's, the guides', the requests' and 互动交流's own
fixtures."""

from tests.disclosure.conftest import _private_media, category, make_entry  # noqa: F401
from tests.guides.conftest import make_guide  # noqa: F401
