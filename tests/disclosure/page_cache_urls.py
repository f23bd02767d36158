"""Two cacheable views for the page-cache tests: one hands out a CSRF cookie, one does not."""

from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import path

from portal import pagecache


@pagecache.cache_public_page(pagecache.site)
def form(request):
    return HttpResponse(f'<input name="csrfmiddlewaretoken" value="{get_token(request)}">')


@pagecache.cache_public_page(pagecache.site)
def plain(request):
    return HttpResponse("ok")


urlpatterns = [path("form/", form), path("plain/", plain)]
