"""统计结果: tables, server-rendered SVG, CSV, unit subtree; nothing personal."""

import datetime as dt

import pytest

from tests.applications.test_statistics import make

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(unit_a, bureau):
    make(
        unit_a,
        received=dt.date(2026, 2, 2),
        replied=dt.date(2026, 2, 20),
        result="1",
        channel="online",
    )
    make(unit_a, kind="legal", received=dt.date(2026, 3, 2))
    make(bureau, received=dt.date(2026, 4, 1), replied=dt.date(2026, 4, 10), result="3_4")


def test_stats_page_tables_and_chart(client, data):
    body = client.get("/yishenqing/tongji/", {"year": 2026}).content.decode()
    assert "<svg" in body and '<title id="chart-title">' in body
    assert "予以公开1件" in body and "不予公开1件" in body
    assert "本年收到申请</th><td>3</td>" in body
    assert "申请人" not in body.split("<svg")[1].split("</svg>")[0]


def test_unit_and_subtree(client, data):
    only_bureau = client.get("/yishenqing/tongji/", {"year": 2026, "unit": "sjj"}).content.decode()
    assert "本年收到申请</th><td>1</td>" in only_bureau
    subtree = client.get(
        "/yishenqing/tongji/", {"year": 2026, "unit": "sjj", "subtree": "1"}
    ).content.decode()
    assert "本年收到申请</th><td>3</td>" in subtree


def test_csv_download(client, data):
    response = client.get("/yishenqing/tongji.csv", {"year": 2026, "unit": "zwzx"})
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "本年收到申请,2" in text and "其中：网上申请,1" in text
    assert "（一）予以公开,1" in text


def test_bad_parameters_fall_back_not_500(client, data):
    assert client.get("/yishenqing/tongji/", {"year": "abc", "unit": "nope"}).status_code == 200
    assert client.get("/yishenqing/tongji.csv", {"year": "1900"}).status_code == 200


def test_stats_query_count(client, data, django_assert_max_num_queries):
    client.get("/yishenqing/tongji/")
    with django_assert_max_num_queries(8):
        client.get("/yishenqing/tongji/", {"year": 2026, "unit": "sjj", "subtree": "1"})
