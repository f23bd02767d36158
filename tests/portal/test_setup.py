"""Set-up and configuration: settings parsing, demo data, migrations, deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from portal.models import PublishingUnit, Role, SiteProfile, UnitMembership

ROOT = Path(__file__).resolve().parents[2]


def run_django(*args, **env):
    full_env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG"),
        ({"DEBUG": "1", "DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
        ({"DEBUG": "1", "REDIS_URL": "http://x"}, "REDIS_URL"),
        ({"DEBUG": "1", "SESSION_COOKIE_AGE": "ten"}, "SESSION_COOKIE_AGE"),
        ({"DEBUG": "1", "CSRF_TRUSTED_ORIGINS": "example.org"}, "CSRF_TRUSTED_ORIGINS"),
        ({}, "SECRET_KEY"),
        ({"DEBUG": "1", "TRUSTED_PROXIES": "nginx"}, "TRUSTED_PROXIES"),
        ({"DEBUG": "1", "CACHE_TIMEOUT_MS": "fast"}, "CACHE_TIMEOUT_MS"),
        # Production with a per-process cache: workers would disagree about what is published.
        ({"SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "gk.example.gov.cn"}, "REDIS_URL"),
    ],
)
def test_bad_configuration_stops_start_up_naming_the_variable(env, message):
    result = run_django("check", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_settings_pass_check_deploy():
    result = run_django(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="x" * 60 + "production-like-secret-key-for-the-test",
        ALLOWED_HOSTS="gk.example.gov.cn",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stderr


def test_production_without_redis_needs_an_explicit_single_process():
    result = run_django(
        "check",
        SECRET_KEY="x" * 60 + "production-like-secret-key-for-the-test",
        ALLOWED_HOSTS="gk.example.gov.cn",
        CACHE_SINGLE_PROCESS="1",
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_load_demo_is_idempotent():
    call_command("load_demo")
    counts = (PublishingUnit.objects.count(), UnitMembership.objects.count())
    call_command("load_demo")
    assert (PublishingUnit.objects.count(), UnitMembership.objects.count()) == counts
    center = PublishingUnit.objects.get(name="安庆市人民政府政务服务中心")
    assert [u.name for u in center.get_ancestors()] == ["安庆市人民政府", "安庆市数据资源局"]
    assert center.office_phone == "0556-5349772"
    profile = SiteProfile.load()
    assert profile.icp_number == "皖ICP备05003765号"
    assert profile.police_number == "皖公网安备 34081102000277号"
    # Demo staff: two units, one per role.
    assert UnitMembership.objects.filter(unit__slug="zwzx").values(
        "role"
    ).distinct().count() == len(Role)
    assert UnitMembership.objects.filter(unit__slug="sjj").values("role").distinct().count() == len(
        Role
    )


@pytest.mark.django_db
def test_load_demo_if_empty_skips_a_filled_database(unit_a):
    call_command("load_demo", "--if-empty")
    assert not PublishingUnit.objects.filter(slug="fgw").exists()


@pytest.mark.django_db
def test_demo_superuser_created_once(django_user_model, capsys):
    call_command("ensure_demo_superuser")
    assert "密码" in capsys.readouterr().out
    call_command("ensure_demo_superuser")
    assert capsys.readouterr().out == ""
    assert django_user_model.objects.filter(is_superuser=True).count() == 1


@pytest.mark.django_db
def test_no_missing_migrations():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_invalid_credit_code_is_refused(db):
    from django.core.exceptions import ValidationError

    unit = PublishingUnit(
        name="测试单位", short_name="测试", slug="t", credit_code="11340800003161233P"
    )
    with pytest.raises(ValidationError) as excinfo:
        unit.full_clean()
    assert "统一社会信用代码无效" in str(excinfo.value)
