"""The models and the committed migrations agree."""

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_missing_migrations():
    out = io.StringIO()
    call_command("makemigrations", "applications", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()
