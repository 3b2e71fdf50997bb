"""Normalization, furniture filtering and segmentation on small texts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.document import Document
from pipeline.steps.clean import clean_text
from pipeline.steps.furniture import filter_lines, split_glued_head
from pipeline.steps.normalize import normalize_text
from pipeline.steps.segment import Segmentation, align, segment_text

CASES = json.loads(
    (Path(__file__).parent / "cases" / "normalize.json").read_text(encoding="utf-8")
)["cases"]


@pytest.mark.parametrize(("raw", "normalized"), CASES)
def test_normalize(raw: str, normalized: str) -> None:
    assert normalize_text(raw) == normalized
    assert normalize_text(normalized) == normalized  # idempotent: normalizing twice changes nothing


def test_end_marker_drops_the_rest_and_block_marker_only_its_box(page_rules) -> None:
    lines = [
        "Tiêu đề bài viết về công tác dân vận",
        "Tin liên quan",
        "Huyện A ra mắt mô hình dân vận khéo",
        "Xã B tổng kết phong trào thi đua",
        "Đoạn văn tiếp theo của bài viết, dài hơn tám chữ và kết thúc bằng dấu chấm.",
        "Tin cùng chuyên mục",
        "Một đoạn văn của bài khác cũng dài và cũng kết thúc bằng dấu chấm như thường lệ.",
    ]
    reasons = [reason for _, reason in filter_lines(lines, page_rules)]
    assert reasons == [None, "related", "related", "related", None, "related", "related"]


def test_end_marker_in_the_menus_above_the_article_drops_only_itself(page_rules) -> None:
    lines = [
        "Trang chủ",
        "Tin mới nhất",
        "Tiêu đề bài viết về công tác dân vận",
        "Đoạn văn đầu của bài viết, dài hơn tám chữ và kết thúc bằng dấu chấm.",
        "Tin mới nhất",
        "Huyện A ra mắt mô hình dân vận khéo",
    ]
    reasons = [reason for _, reason in filter_lines(lines, page_rules)]
    assert reasons == ["menu", "related", None, None, "related", "related"]


def test_a_headline_ending_in_a_full_stop_keeps_the_bracketed_date_under_it(page_rules) -> None:
    lines = [
        "Chuyển đến nội dung chính",
        "Đoàn đại biểu của ngành dự đại hội thi đua yêu nước toàn quốc lần thứ mười.",
        "(14/12/2020 09:20)",
        "Đại hội thi đua yêu nước toàn quốc lần thứ mười diễn ra tại Hà Nội trong hai ngày.",
        "(19/01/2021)",
    ]
    reasons = [reason for _, reason in filter_lines(lines, page_rules)]
    assert reasons[1:] == [None, None, None, "related"]  # a date under the body is a list's


def test_a_long_paragraph_loses_the_credit_at_its_end_only(page_rules) -> None:
    body = "Hội nghị đã bàn nhiều việc cho năm tới, có ảnh: trên tường. " * 40  # 2,400 chars
    out = filter_lines([body + "Ảnh: Minh Hà"], page_rules)
    assert out == [("Ảnh: Minh Hà", "caption"), (body.rstrip(), None)]


def test_a_headline_glued_to_its_dated_lead_is_split_and_a_paragraph_is_not() -> None:
    lead = "ĐNO - Tối 16/8, tại công viên, UBND phường tổ chức ngày hội. " + "Người dân dự. " * 15
    glued = "Phường An Hải tổ chức ngày hội toàn dân bảo vệ an ninh Tổ quốc " + lead
    assert split_glued_head(glued) == [glued[: glued.index(" ĐNO")], lead]
    paragraph = "Thực hiện chương trình công tác năm 2023, Sáng ngày 18/5/2023, tại nhà văn hóa. "
    assert split_glued_head(paragraph * 4) == [paragraph * 4]


def test_align_survives_rewritten_tokens() -> None:
    text = 'Ông "Nguyễn Văn A" nói'
    spans = align(["Ông", "``", "Nguyễn Văn A", "''", "nói"], text)
    assert [text[s:e] for s, e in spans] == ["Ông", "Nguyễn Văn A", "nói"]


def test_sentences_and_words_are_segmented_lazily() -> None:
    calls: list[str] = []

    def split(paragraph: str) -> list[str]:
        calls.append("split:" + paragraph)
        return [paragraph]

    def tokenize(sentence: str) -> list[str]:
        calls.append("words:" + sentence)
        return sentence.split()

    text = "Câu thứ nhất.\nMột hai ba bốn năm sáu bảy tám có Chỉ thị 05 của một hai ba bốn năm sáu."
    seg = Segmentation(text, split, tokenize)
    assert seg.segmented == (0, 0) and calls == []
    at = text.index("Chỉ")
    assert seg.on_words(at, at + len("Chỉ thị 05"))
    # the paragraph is split into sentences; words only for six syllables around the span
    assert calls == [
        f"split:{text.split(chr(10))[1]}",
        "words:bốn năm sáu bảy tám có Chỉ thị 05 của một hai ba bốn năm",
    ]
    assert not seg.on_words(at + 1, at + len("Chỉ thị 05"))  # not a word start
    assert len(calls) == 2 and seg.segmented == (1, 1)  # cached


def test_compound_words_are_not_split() -> None:
    text = "Sáng nay các đại biểu dự Hội nghị quyết định 5 nội dung quan trọng của năm."
    seg = segment_text(text)
    start = text.index("nghị quyết")
    assert not seg.on_words(start, text.index("định") + len("định"))  # "Hội nghị" is one word
    assert seg.on_words(text.index("Hội"), text.index(" quyết"))


def test_underthesea_segmentation_offsets() -> None:
    text = "Ngày 6/12, Tỉnh ủy Lào Cai tổ chức hội nghị. Đồng chí Lê Văn Hải phát biểu."
    seg = segment_text(text)
    assert [text[s:e] for s, e in seg.sentences] == [
        "Ngày 6/12, Tỉnh ủy Lào Cai tổ chức hội nghị.",
        "Đồng chí Lê Văn Hải phát biểu.",
    ]
    words = [text[s:e] for s, e in seg.words_in(seg.sentences[1])]
    assert "Lê Văn Hải" in words and "Đồng chí" in words


def _signed_text(source_line: str, page_rules) -> Document:
    raw = "\n".join(
        [
            "Xã tổ chức hội nghị tổng kết công tác dân vận năm nay",
            "Sáng 12/3, Ủy ban nhân dân xã tổ chức hội nghị tổng kết công tác dân vận.",
            source_line,
        ]
    )
    return clean_text(Document(id="t", source={"format": "text"}, raw=raw), page_rules)


def test_a_source_line_that_names_a_reporter_signs_the_page(page_rules) -> None:
    line = "Nguồn tin: Minh Thư - Hội Liên hiệp Phụ nữ xã"
    doc = _signed_text(line, page_rules)
    assert doc.meta.authors == ["Minh Thư"]
    assert {"reason": "source", "text": line} in doc.dropped  # the line still goes
    assert _signed_text("Nguồn tin: Báo Nhân Dân", page_rules).meta.authors == []


def test_a_table_of_honours_keeps_its_rows_and_empty_cells(page_rules) -> None:
    rows = [
        "Hình thức | Tập thể | Cá nhân",
        "Cờ thi đua của Bộ Tư pháp | 01 | -",
        "Giấy khen của Giám đốc Sở | - | 14",
    ]
    raw = "\n".join(
        ["Sở tổng kết công tác thi đua năm nay", "Sáng 9/1, Sở tổ chức hội nghị tổng kết.", *rows]
    )
    doc = clean_text(Document(id="t", source={"format": "text"}, raw=raw), page_rules)
    assert doc.text.split("\n")[-3:] == rows  # no menu, no ruler: a table's rows and cells
    assert doc.dropped == []


def test_a_section_label_under_the_headline_goes(page_rules) -> None:
    raw = "\n".join(
        [
            "Hội Nông dân xã tổng kết phong trào thi đua năm 2024",
            "Sự kiện",
            "Sáng 9/1, Hội Nông dân xã tổ chức hội nghị tổng kết phong trào thi đua năm 2024.",
            "Ngày",
            "10/1, Hội trao quà cho hội viên khó khăn ở các chi hội trong xã nhân dịp Tết.",
        ]
    )
    doc = clean_text(Document(id="t", source={"format": "text"}, raw=raw), page_rules)
    assert {"reason": "section", "text": "Sự kiện"} in doc.dropped
    assert "Ngày" in doc.text  # a sentence a crawler broke keeps its first word
