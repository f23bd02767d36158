"""The API is tested against the catalog's and the requests' own fixtures."""

from tests.disclosure.conftest import _private_media, category, make_entry  # noqa: F401
