"""Demo content of the foundation: the site profile of the seed page, a unit tree, demo staff."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from portal.models import PublishingUnit, Role, SiteProfile, UnitKind, UnitMembership

SITE = {
    "site_name": "安庆市政府信息公开",
    "portal_url": "https://www.anqing.gov.cn/",
    "sponsor": "安庆市政务公开办公室",
    "operator": "安庆市数据中心",
    "tech_support": "众和网络",
    "site_code": "3408000001",
    "icp_number": "皖ICP备05003765号",
    "police_number": "皖公网安备 34081102000277号",
    "police_link": "https://beian.mps.gov.cn/",
    "address": "安庆市振风大道100号东部新城综合写字楼辅一楼",
    "phone": "0556-5349772",
}

# (slug, parent slug, name, short name, kind, credit code, office address, phone)
UNITS = [
    (
        "anqing",
        None,
        "安庆市人民政府",
        "市政府",
        UnitKind.GOVERNMENT,
        "11340800003161233C",
        "安庆市菱湖南路28号",
        "0556-5500000",
    ),
    (
        "sjj",
        "anqing",
        "安庆市数据资源局",
        "市数据资源局",
        UnitKind.DEPARTMENT,
        "11340800MB01234565",
        "安庆市振风大道100号东部新城综合写字楼",
        "0556-5349700",
    ),
    (
        "zwzx",
        "sjj",
        "安庆市人民政府政务服务中心",
        "市政务服务中心",
        UnitKind.INSTITUTION,
        "",
        "安庆市振风大道100号东部新城综合写字楼辅一楼",
        "0556-5349772",
    ),
    (
        "fgw",
        "anqing",
        "安庆市发展和改革委员会",
        "市发展改革委",
        UnitKind.DEPARTMENT,
        "",
        "安庆市菱湖南路28号市政府大院",
        "0556-5342000",
    ),
    (
        "jyj",
        "anqing",
        "安庆市教育局",
        "市教育局",
        UnitKind.DEPARTMENT,
        "",
        "安庆市龙山路17号",
        "0556-5508000",
    ),
    (
        "czj",
        "anqing",
        "安庆市财政局",
        "市财政局",
        UnitKind.DEPARTMENT,
        "",
        "安庆市湖心中路1号",
        "0556-5514000",
    ),
    (
        "stj",
        "anqing",
        "安庆市生态环境局",
        "市生态环境局",
        UnitKind.DEPARTMENT,
        "",
        "安庆市华中东路62号",
        "0556-5532000",
    ),
]

# Demo staff: one per role in two units; usernames say unit and role.
STAFF_UNITS = {"zwzx": "政务服务中心", "sjj": "数据资源局"}
STAFF_ROLES = {
    Role.PUBLISHER: "publisher",
    Role.REVIEWER: "reviewer",
    Role.HANDLER: "handler",
    Role.UNIT_ADMIN: "admin",
    Role.MESSAGE_HANDLER: "liuyan",
}


def load(stdout, staff_password: str | None = None) -> list[str]:
    with transaction.atomic():
        profile = SiteProfile.load()
        for field, value in SITE.items():
            setattr(profile, field, value)
        profile.save()

        by_slug = {}
        for order, (slug, parent, name, short, kind, code, address, phone) in enumerate(UNITS):
            unit, _ = PublishingUnit.objects.update_or_create(
                slug=slug,
                defaults={
                    "parent": by_slug.get(parent),
                    "name": name,
                    "short_name": short,
                    "kind": kind,
                    "credit_code": code,
                    "unit_code": f"0034080{order:02d}",
                    "order": order,
                    "office_address": address,
                    "office_postcode": "246000",
                    "office_hours": "工作日 上午8:30-12:00，下午2:30-5:30（夏季3:00-6:00）",
                    "office_phone": phone,
                    "office_email": f"gkb_{slug}@example.gov.cn",
                },
            )
            by_slug[slug] = unit
        PublishingUnit.objects.rebuild()

        User = get_user_model()
        created = []
        # One hash for all demo staff: hashing is deliberately slow, and they share the password.
        encoded = make_password(staff_password) if staff_password else None
        for unit_slug, unit_label in STAFF_UNITS.items():
            for role, suffix in STAFF_ROLES.items():
                username = f"{unit_slug}_{suffix}"
                user, was_created = User.objects.get_or_create(
                    username=username,
                    defaults={"first_name": f"{unit_label}{Role(role).label}", "is_staff": True},
                )
                if was_created:
                    if encoded:
                        user.password = encoded
                    else:
                        user.set_unusable_password()
                    user.save()
                    created.append(username)
                UnitMembership.objects.get_or_create(user=user, unit=by_slug[unit_slug], role=role)
    if created:
        stdout.write(f"演示工作人员账号：{', '.join(created)}")
    return created
