"""Shared fixtures and personas.

Personas: `citizen` (an anonymous client), `clerk_a` / `clerk_b` (申请办理员 of unit A / unit B),
`handler_a` / `handler_b` (留言办理员 of unit A / unit B), `publisher_a`, `reviewer_a`,
`unit_admin_gov` (单位管理员 of the government, so of its subtree) and `superuser`. Unit A (政务服务中心) sits under the 数据资源局, under the 市政府; unit B is a
sibling department.
"""

import pytest
from django.core.cache import cache

from portal.models import PublishingUnit, Role, SiteProfile, UnitKind, UnitMembership

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The production hasher is slow on purpose; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _patient_shared_redis(settings):
    # The suite shares a loaded machine with PostgreSQL, Redis and the workers: the production
    # 50 ms timeout would open the breaker at random. Fault tests set their own timeouts.
    config = settings.CACHES["default"]
    if config["BACKEND"] == "portal.cache.ResilientRedisCache":
        options = {**config.get("OPTIONS", {}), "socket_timeout": 2, "socket_connect_timeout": 2}
        settings.CACHES = {"default": {**config, "OPTIONS": options}}


@pytest.fixture(autouse=True)
def _clear_cache(settings, _patient_shared_redis):
    # The cache may be a shared Redis: no test sees another's entries, nor another's outage.
    from portal import cache as resilient

    resilient.reset()
    # Looking for other processes' owed flushes is tested on purpose (tests/portal/test_resilience.py);
    # elsewhere it would add a query at random to pages whose queries are counted.
    settings.CACHE_FLUSH_CHECK_SECONDS = 0
    cache.clear()
    yield
    cache.clear()
    resilient.reset()


@pytest.fixture
def site_profile(db):
    profile = SiteProfile.load()
    profile.site_name = "安庆市政府信息公开"
    profile.sponsor = "安庆市政务公开办公室"
    profile.operator = "安庆市数据中心"
    profile.tech_support = "众和网络"
    profile.icp_number = "皖ICP备05003765号"
    profile.police_number = "皖公网安备 34081102000277号"
    profile.site_code = "3408000001"
    profile.address = "安庆市振风大道100号东部新城综合写字楼辅一楼"
    profile.phone = "0556-5349772"
    profile.save()
    return profile


def with_document_settings(unit, court, review_body="", prefix=""):
    """A unit as its administrator sets it up: its court and, at the top, its 复议机关 named."""
    from applications.models import DocumentSettings

    DocumentSettings.objects.create(
        unit=unit, court=court, review_body=review_body, number_prefix=prefix
    )
    return unit


@pytest.fixture
def government(db):
    unit = PublishingUnit.objects.create(
        name="安庆市人民政府",
        short_name="市政府",
        slug="anqing",
        kind=UnitKind.GOVERNMENT,
        credit_code="11340800003161233C",
    )
    return with_document_settings(unit, "安庆市中级人民法院", "安徽省人民政府", "宜政")


@pytest.fixture
def bureau(government):
    unit = PublishingUnit.objects.create(
        parent=government,
        name="安庆市数据资源局",
        short_name="市数据资源局",
        slug="sjj",
        kind=UnitKind.DEPARTMENT,
        order=1,
    )
    with_document_settings(unit, "安庆市迎江区人民法院", prefix="安数据")
    return unit


@pytest.fixture
def unit_a(bureau):
    unit = PublishingUnit.objects.create(
        parent=bureau,
        name="安庆市人民政府政务服务中心",
        short_name="市政务服务中心",
        slug="zwzx",
        kind=UnitKind.INSTITUTION,
        unit_code="003408002",
        office_address="安庆市振风大道100号东部新城综合写字楼辅一楼",
        office_phone="0556-5349772",
    )
    return with_document_settings(unit, "安庆市迎江区人民法院", prefix="安政务")


@pytest.fixture
def unit_b(government):
    unit = PublishingUnit.objects.create(
        parent=government,
        name="安庆市教育局",
        short_name="市教育局",
        slug="jyj",
        kind=UnitKind.DEPARTMENT,
        order=2,
        unit_code="003408005",
    )
    return with_document_settings(unit, "安庆市迎江区人民法院", prefix="安教")


def make_staff(django_user_model, username, unit, role):
    user = django_user_model.objects.create_user(username=username, password=PASSWORD)
    UnitMembership.objects.create(user=user, unit=unit, role=role)
    user.refresh_from_db()
    return user


@pytest.fixture
def clerk_a(django_user_model, unit_a):
    return make_staff(django_user_model, "clerk_a", unit_a, Role.HANDLER)


@pytest.fixture
def clerk_b(django_user_model, unit_b):
    return make_staff(django_user_model, "clerk_b", unit_b, Role.HANDLER)


@pytest.fixture
def publisher_a(django_user_model, unit_a):
    return make_staff(django_user_model, "publisher_a", unit_a, Role.PUBLISHER)


@pytest.fixture
def reviewer_a(django_user_model, unit_a):
    return make_staff(django_user_model, "reviewer_a", unit_a, Role.REVIEWER)


@pytest.fixture
def admin_a(django_user_model, unit_a):
    return make_staff(django_user_model, "admin_a", unit_a, Role.UNIT_ADMIN)


@pytest.fixture
def handler_a(django_user_model, unit_a):
    user = make_staff(django_user_model, "handler_a", unit_a, Role.MESSAGE_HANDLER)
    user.email = "handler_a@example.gov.cn"
    user.save()
    return user


@pytest.fixture
def handler_b(django_user_model, unit_b):
    return make_staff(django_user_model, "handler_b", unit_b, Role.MESSAGE_HANDLER)


@pytest.fixture
def unit_admin_gov(django_user_model, government):
    return make_staff(django_user_model, "gov_admin", government, Role.UNIT_ADMIN)


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(username="root", password=PASSWORD)


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login
