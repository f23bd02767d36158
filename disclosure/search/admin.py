"""Staff side of search: the equivalent-terms list and the weekly queries that found nothing."""

from django.contrib import admin

from disclosure.models import SearchMiss, SearchSynonym
from disclosure.search import misses


@admin.register(SearchSynonym)
class SearchSynonymAdmin(admin.ModelAdmin):
    list_display = ["terms", "updated_at"]
    search_fields = ["terms"]
    fields = ["terms"]


class WeekFilter(admin.SimpleListFilter):
    title = "周"
    parameter_name = "week"

    def lookups(self, request, model_admin):
        weeks = SearchMiss.objects.order_by("-week").values_list("week", flat=True).distinct()[:12]
        return [(week.isoformat(), f"{week:%Y-%m-%d} 起的一周") for week in weeks]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(week=self.value())
        return queryset


@admin.register(SearchMiss)
class SearchMissAdmin(admin.ModelAdmin):
    """Top queries without a result, this week first: add an equivalent term or the content."""

    list_display = ["query", "count", "week", "last_at"]
    list_filter = [WeekFilter]
    search_fields = ["query"]
    ordering = ["-week", "-count"]
    show_facets = admin.ShowFacets.NEVER

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if "week" not in request.GET:
            # The default view: this week's list (last week's on a Monday morning is one click).
            from django.utils import timezone

            return queryset.filter(week=misses.week_of(timezone.localdate()))
        return queryset

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
