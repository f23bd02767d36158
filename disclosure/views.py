from django.shortcuts import render


def search(request):
    query = (request.GET.get("q") or "").strip()[:100]
    return render(request, "disclosure/search.html", {"search_query": query, "results": []})
