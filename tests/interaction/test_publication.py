"""Published Q&A: consent and staff-edited text only, the unit page with the statutory facts,
search, 常见问题, the page cache, and the public statistics with CSV."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from interaction import workflow
from tests.interaction.conftest import at, submit_on

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_profile")]
D = dt.date


RECEIVED, REPLIED = D(2026, 3, 2), D(2026, 3, 4)


def answered(unit, handler, day=RECEIVED, replied=REPLIED, **data):
    message, _ = submit_on(day, unit, **data)
    with at(replied):
        return workflow.reply(message, actor=handler, text="张三丰您好：周六上午9时至12时开放。")


def published(unit, handler, faq=False, **data):
    message = answered(unit, handler, **data)
    with at(D(2026, 3, 5)):
        return workflow.publish(
            message,
            actor=handler,
            public_subject="政务服务中心周末是否办理业务",
            public_text="请问政务服务中心周六是否开放？",
            public_reply="您好：周六上午9时至12时开放。",
            is_faq=faq,
        )


def test_unit_page_lists_published_messages_with_the_statutory_facts(client, unit_a, handler_a):
    message = published(unit_a, handler_a)
    hidden = answered(unit_a, handler_a, subject="未公开的留言")
    body = client.get(reverse("interaction:unit", args=[unit_a.slug])).content.decode()
    assert "政务服务中心周末是否办理业务" in body and "未公开的留言" not in body
    assert "受理日期：2026-03-02" in body and "答复日期：2026-03-04" in body
    assert "答复部门：安庆市人民政府政务服务中心" in body
    detail = client.get(message.get_absolute_url()).content.decode()
    for text in (
        "受理日期",
        "2026-03-02",
        "答复日期",
        "2026-03-04",
        "答复部门",
        "周六上午9时至12时开放",
    ):
        assert text in detail
    assert client.get(hidden.get_absolute_url()).status_code == 404


def test_published_pages_show_no_personal_data(client, unit_a, handler_a):
    message = published(unit_a, handler_a, faq=True)
    pages = [
        reverse("interaction:index"),
        reverse("interaction:unit", args=[unit_a.slug]),
        reverse("interaction:faq"),
        message.get_absolute_url(),
    ]
    for url in pages:
        body = client.get(url).content.decode()
        for private in ("张三丰", "13912345678", "zhangsan@example.com"):
            assert private not in body, (url, private)


def test_search_finds_published_text_and_reply(client, unit_a, handler_a):
    published(unit_a, handler_a)
    url = reverse("interaction:unit", args=[unit_a.slug])
    assert "政务服务中心周末" in client.get(url, {"q": "9时至12时"}).content.decode()
    body = client.get(reverse("interaction:index"), {"q": "公积金"}).content.decode()
    assert "没有找到与“公积金”相关的留言" in body
    # The citizen's own text is not searchable: only the public version is.
    assert "没有找到" in client.get(url, {"q": "张三丰"}).content.decode()


def test_faq_is_picked_from_answered_messages(client, unit_a, handler_a):
    published(unit_a, handler_a, faq=True)
    published(unit_a, handler_a, subject="另一条")
    body = client.get(reverse("interaction:faq")).content.decode()
    assert body.count("政务服务中心周末是否办理业务") == 1


def test_publication_invalidates_the_cached_pages(
    client, unit_a, handler_a, django_capture_on_commit_callbacks
):
    url = reverse("interaction:unit", args=[unit_a.slug])
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        message = published(unit_a, handler_a)
    response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "政务服务中心周末是否办理业务" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.unpublish(message, actor=handler_a, note="留言人要求撤回")
    assert "政务服务中心周末是否办理业务" not in client.get(url).content.decode()


def test_monthly_statistics_and_csv(client, unit_a, unit_b, handler_a):
    published(unit_a, handler_a)  # received 03-02, replied 03-04 (2 working days), published 03-05
    late, _ = submit_on(D(2026, 3, 2), unit_a)
    with at(D(2026, 4, 1)):
        workflow.reply(late, actor=handler_a, text="答复")  # 22 working days: late
    submit_on(D(2026, 4, 2), unit_a)
    submit_on(D(2026, 4, 2), unit_b)
    with at(D(2026, 5, 1)):
        response = client.get(reverse("interaction:stats"), {"unit": "zwzx", "year": "2026"})
        rows = {row.month: row for row in response.context["rows"]}
        assert (rows[3].received, rows[3].answered, rows[3].on_time, rows[3].published) == (
            2,
            1,
            1,
            1,
        )
        assert rows[3].average_workdays == 2.0
        assert (rows[4].received, rows[4].answered, rows[4].on_time) == (1, 1, 0)
        total = response.context["total"]
        assert (total.received, total.answered, total.on_time) == (3, 2, 1)
        assert total.average_workdays == 12.0
        export = client.get(reverse("interaction:stats_csv"), {"unit": "zwzx", "year": "2026"})
    assert export["Content-Disposition"].endswith('liuyan-2026-zwzx.csv"')
    table = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert table[1] == ["月份", "收到留言", "答复", "按期答复", "平均答复用时（工作日）", "公开"]
    assert table[4] == ["3月", "2", "1", "1", "2.0", "1"]
    assert table[-1] == ["合计", "3", "2", "1", "12.0", "1"]
    everyone = client.get(reverse("interaction:stats"), {"year": "2026"}).context["total"]
    assert everyone.received == 4


def test_navigation_and_unit_page_link_to_interaction(client, unit_a):
    home = client.get("/").content.decode()
    assert 'href="/hudong/"' in home
    unit_page = client.get(unit_a.get_absolute_url()).content.decode()
    assert "/hudong/liuyan/?unit=zwzx" in unit_page and "/hudong/danwei/zwzx/" in unit_page


def test_demo_has_published_questions_and_answers(client, site_profile, mailoutbox):
    from django.core.management import call_command

    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())  # a second run adds nothing
    from interaction.models import Message

    assert Message.objects.published().count() == 4
    assert Message.objects.filter(is_faq=True).count() == 1
    assert mailoutbox == []
    body = client.get(reverse("interaction:index")).content.decode()
    assert "政务服务中心周末是否办理业务" in body and "市民1" not in body


def test_public_lists_take_the_same_queries_for_more_messages(client, unit_a, handler_a):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(url):
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    published(unit_a, handler_a, faq=True)
    urls = [
        reverse("interaction:index"),
        reverse("interaction:unit", args=[unit_a.slug]),
        reverse("interaction:faq"),
    ]
    few = [queries(url) for url in urls]
    for _ in range(4):
        published(unit_a, handler_a, faq=True)
    assert [queries(url) for url in urls] == few
