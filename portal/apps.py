from axes.apps import AppConfig as AxesConfig
from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.db.models.signals import post_migrate


class PortalAdminConfig(AdminConfig):
    default_site = "portal.admin_site.PortalAdminSite"


class PortalAxesConfig(AxesConfig):
    """django-axes under a Chinese name in the admin (its own is "Axes")."""

    verbose_name = "登录保护"


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "平台与单位"

    def ready(self):
        from portal import pagecache, replica, roles, signals  # noqa: F401

        # Units and the site profile appear on every page.
        pagecache.register("portal.PublishingUnit", lambda unit: ["all"])
        pagecache.register("portal.SiteProfile", lambda profile: ["all"])
        replica.connect_signals()
        # Permissions of apps migrated later are attached to the role groups as they appear.
        post_migrate.connect(
            roles.sync_role_groups_after_migrate, dispatch_uid="portal-role-groups"
        )
