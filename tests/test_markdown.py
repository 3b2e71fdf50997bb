"""Markdown pages as crawlers write them (steps/markdown.py): header into metadata, markup out.

The pages are our own writing, in the shapes of Jina Reader's output and of trafilatura's
Markdown with its YAML header.
"""

from __future__ import annotations

from pipeline.document import Document
from pipeline.steps.clean import clean_text
from pipeline.steps.markdown import read_markdown

READER_PAGE = """Title: Xã An Phú trao 20 suất học bổng cho học sinh nghèo - Báo Điện tử Mẫu
URL Source: https://baomau.example.vn/xa-an-phu-trao-hoc-bong-a1.html
Published Time: 2024-05-06T14:20:00+07:00
Markdown Content:
*   [Thời sự](https://baomau.example.vn/thoi-su)
*   [Xã hội](https://baomau.example.vn/xa-hoi)
Xã An Phú trao 20 suất học bổng cho học sinh nghèo
===============
Sáng 5/5, Hội Khuyến học xã An Phú trao 20 suất học bổng cho học sinh có hoàn cảnh khó khăn.
![Image 1: Trao học bổng tại hội trường xã](https://baomau.example.vn/anh/hoc-bong.jpg)
Mỗi suất trị giá 1 triệu đồng, do [Quỹ Khuyến học](https://baomau.example.vn/quy) của xã trao.
**Trần Văn Mẫu**
### Tin cùng chuyên mục
*   [Xã An Phú khánh thành cầu dân sinh](https://baomau.example.vn/cau-a2.html)
"""

YAML_PAGE = """---
title: Phường Bình Minh kết nạp 5 đảng viên mới
author: Lê Thị Mẫu
date: 2024-03-02
hostname: binhminh.example.gov.vn
license: None
---
Ngày 1/3, Đảng ủy phường Bình Minh tổ chức lễ kết nạp 5 đảng viên mới.
"""


def _clean(raw: str, page_rules) -> Document:
    return clean_text(Document(id="t", source={"format": "text"}, raw=raw), page_rules)


def test_reader_header_gives_title_time_and_url_and_links_go(page_rules) -> None:
    doc = _clean(READER_PAGE, page_rules)
    assert doc.meta.title == "Xã An Phú trao 20 suất học bổng cho học sinh nghèo"
    assert doc.meta.published == "2024-05-06T14:20"
    assert doc.source["url"] == "https://baomau.example.vn/xa-an-phu-trao-hoc-bong-a1.html"
    assert "do Quỹ Khuyến học của xã trao." in doc.text  # a link in a sentence keeps its words
    for gone in ("](", "===", "Thời sự", "Image 1", "cầu dân sinh", "Markdown Content"):
        assert gone not in doc.text
    reasons = {d["reason"] for d in doc.dropped}
    assert {"header", "links", "image", "markup"} <= reasons


def test_yaml_header_gives_title_date_and_author(page_rules) -> None:
    doc = _clean(YAML_PAGE, page_rules)
    assert (doc.meta.title, doc.meta.published) == (
        "Phường Bình Minh kết nạp 5 đảng viên mới",
        "2024-03-02",
    )
    assert doc.meta.authors == ["Lê Thị Mẫu"]
    assert doc.text.startswith("Ngày 1/3,") and "hostname" not in doc.text


def test_a_plain_page_is_no_markdown() -> None:
    lines = ["Tin tức", "* Hội nghị tổng kết năm 2023", "Xem thêm [tại đây](/a)", "Hết."]
    assert read_markdown(lines) is None  # one link and a bullet: too few marks
    assert read_markdown(["---", "Đoạn văn bình thường: không phải khóa", "---"]) is None
