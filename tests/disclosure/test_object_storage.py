"""MEDIA_STORAGE=s3: attachments and applicants' files in a private S3-compatible bucket.

The bucket is moto's in-process S3 (the same API calls a real bucket answers); the site is driven
through its public pages and the admin, as with folders.
"""

import boto3
import pytest
from moto import mock_aws

from applications.models import Request
from disclosure.models import Attachment
from portal import storage
from tests.applications.test_apply import URL as APPLY_URL
from tests.applications.test_apply import person_post, png_bytes
from tests.disclosure.conftest import pdf_bytes
from tests.disclosure.test_attachments import _attach
from tests.portal.test_setup import run_django

pytestmark = pytest.mark.django_db
BUCKET = "gk-files"
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"


@pytest.fixture
def bucket(settings, tmp_path, monkeypatch):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    with mock_aws():
        s3 = boto3.client("s3", region_name="cn-north-1")
        s3.create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "cn-north-1"}
        )
        # Nothing may land in the folders any more.
        settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
        settings.MEDIA_ROOT = tmp_path / "media"
        settings.STORAGES = {
            **storage.s3_storages(
                bucket=BUCKET, region="cn-north-1", access_key="test", secret_key="test"
            ),
            "staticfiles": settings.STORAGES["staticfiles"],
        }
        yield s3
    assert not (tmp_path / "private").exists() and not (tmp_path / "media").exists()


def keys(s3) -> list[str]:
    return [item["Key"] for item in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def assert_private(s3, key):
    grants = s3.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert not [g for g in grants if g["Grantee"].get("URI") == ALL_USERS], grants


def test_catalog_attachments_live_in_the_bucket_and_download_through_the_site(
    client, bucket, unit_a, make_entry
):
    content = pdf_bytes()
    attachment = _attach(make_entry(unit_a), "2024年部门预算.pdf", content)
    [key] = keys(bucket)
    assert key.startswith("private/disclosure/attachments/") and key.endswith(".pdf")
    assert_private(bucket, key)
    response = client.get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert "filename*=utf-8''2024" in response["Content-Disposition"]
    # The same name again is a second object, not an overwrite.
    _attach(make_entry(unit_a), "2024年部门预算.pdf", pdf_bytes())
    assert len(keys(bucket)) == 2 and Attachment.objects.count() == 2


def test_an_applicants_identity_document_goes_to_the_bucket_and_only_staff_read_it(
    client, bucket, unit_a, admin_a, settings
):
    settings.FORM_MIN_FILL_SECONDS = 0
    assert client.post(APPLY_URL, person_post(unit_a)).status_code == 302
    request = Request.objects.get()
    [key] = keys(bucket)
    assert key.startswith("private/applicants/id/") and "张三丰" not in key
    assert_private(bucket, key)
    client.force_login(admin_a)
    response = client.get(f"/admin/applications/request/{request.pk}/id-document/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == png_bytes()


def test_s3_storage_needs_a_bucket():
    result = run_django("check", DEBUG="1", MEDIA_STORAGE="s3")
    assert result.returncode != 0 and "S3_BUCKET" in result.stderr
    result = run_django("check", DEBUG="1", MEDIA_STORAGE="ftp")
    assert result.returncode != 0 and "MEDIA_STORAGE" in result.stderr
