"""The date line and the lead of pages that mark neither by class (steps/html.py: near_title)."""

from __future__ import annotations

import lxml.html

from pipeline.steps.html import near_title

PAGE = """<html><body>
<div class="top"><span>Thứ Hai, 4/3/2024 - 08:15</span></div>
<h1>Huyện tổ chức hội nghị tổng kết công tác dân vận năm 2023</h1>
<h2 class="x1">(Báo Làng) - Sáng nay, huyện đã tổ chức hội nghị tổng kết công tác dân vận với
sự tham dự của lãnh đạo các xã và các đoàn thể.</h2>
<p>Hội nghị đánh giá những kết quả nổi bật của năm qua và đề ra nhiệm vụ trong năm tới, trong đó
nhấn mạnh việc nâng cao chất lượng phong trào thi đua dân vận khéo ở cơ sở và khu dân cư.</p>
<ul><li><a href="#">Tin khác</a> <span>(12/10/2023 09:00)</span></li></ul>
</body></html>"""


def test_the_date_line_above_the_headline_and_the_marked_lead_are_found() -> None:
    found = near_title(lxml.html.fromstring(PAGE))
    assert found.date == ("2024-03-04T08:15", "Thứ Hai, 4/3/2024 - 08:15")
    assert found.lead is not None and found.lead.startswith("(Báo Làng) - Sáng nay")


def test_a_date_in_a_related_list_is_not_the_page_date() -> None:
    page = PAGE.replace("<span>Thứ Hai, 4/3/2024 - 08:15</span>", "")
    assert near_title(lxml.html.fromstring(page)).date is None


def test_a_right_aligned_signature_names_the_author(page_rules) -> None:
    from pipeline.steps.html import HtmlPage, page_metadata

    signed = PAGE.replace(
        "</ul>",
        '</ul><p align="right"><strong>Trần Minh Hà</strong></p>'
        '<div style="TEXT-ALIGN: right"><i>Theo Lê Văn An/Báo Làng</i></div>',
    )
    page = HtmlPage(lines=[])
    page_metadata(lxml.html.fromstring(signed), None, page_rules, page)
    assert (page.authors, page.provenance["authors"]) == (["Lê Văn An"], "right-aligned")
    page = HtmlPage(lines=[])
    page_metadata(lxml.html.fromstring(PAGE), None, page_rules, page)
    assert page.authors == []


def test_a_page_gives_its_own_address_and_a_text_page_its_site() -> None:
    """Pages read from disk carry no address: an HTML page's canonical link (else og:url)
    becomes its `source.url`; a text page's dropped header names its portal."""
    from pipeline import extract

    body = "<body><h1>Hội nghị sơ kết</h1><p>Ngày 6/12, Huyện ủy tổ chức hội nghị.</p></body>"
    canonical = '<link rel="Canonical" href="https://tin.example.vn/a-1.html">'
    og = '<meta property="og:url" content="https://tin.example.vn/a-2.html">'
    page = f"<html><head>{og}{canonical}</head>{body}</html>"
    assert extract(page, format="html")["source"] == {
        "format": "html", "url": "https://tin.example.vn/a-1.html", "url_from": "canonical",
    }  # fmt: skip
    page = f"<html><head>{og}</head>{body}</html>"
    assert extract(page, format="html")["source"]["url_from"] == "og:url"
    assert "url" not in extract(f"<html>{body}</html>", format="html")["source"]
    text = (
        "Huyện ủy Lạc Dương\nCổng thông tin điện tử\nTrang chủ | Tin tức | Liên hệ\n"
        "Hội nghị sơ kết công tác dân vận\n06/12/2023 | 17:28\n"
        "Ngày 6/12, Huyện ủy tổ chức hội nghị sơ kết công tác dân vận năm 2023.\n"
    )
    out = extract(text, format="text")
    assert out["meta"]["site"] == "Cổng thông tin điện tử Huyện ủy Lạc Dương", out["dropped"]
