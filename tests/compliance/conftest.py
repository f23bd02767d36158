from tests.disclosure.conftest import category, make_entry  # noqa: F401 - fixtures
from tests.guides.conftest import make_guide  # noqa: F401 - fixture
