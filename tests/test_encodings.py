"""Encodings: every letter of each legacy table, whole sentences, repairs that must not fire, and
the hostile pages of fixtures/hostile/encodings/ end to end (made by make_encoding_cases.py)."""

from __future__ import annotations

import io
import json
import random
import shutil
import subprocess
import time
import unicodedata
from pathlib import Path

import pytest

from pipeline import extract
from pipeline.cli import main
from pipeline.steps import legacy_tables
from pipeline.steps.encoding import VISCII_TABLE, decode_cp1258, decode_viscii, guess
from pipeline.steps.pages import decode
from pipeline.steps.repair import fix_mojibake, from_tcvn3, from_vni, repair_text
from pipeline.steps.syllables import evidence, is_syllable

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = ROOT / "fixtures" / "hostile" / "encodings"
CASES = json.loads((Path(__file__).parent / "cases" / "encodings.json").read_text("utf-8"))
TABLES = {
    "tcvn3": from_tcvn3,
    "vni": from_vni,
    "viscii": lambda s: decode_viscii(s.encode("latin-1")),
    "cp1258": lambda s: decode_cp1258(s.encode("latin-1")),
}
LETTERS = [
    pytest.param(name, raw, letter, id=f"{name}-{cls}-{letter}")
    for name in TABLES
    for raw, letter, cls in CASES[name]["letters"]
]
# The 134 accented letters and đ/Đ, lower and upper case.
VIETNAMESE = {
    unicodedata.normalize("NFC", base + mark + tone)
    for base, mark in [("a", ""), ("a", "\u0306"), ("a", "\u0302"), ("e", ""), ("e", "\u0302")]
    + [("i", ""), ("o", ""), ("o", "\u0302"), ("o", "\u031b"), ("u", ""), ("u", "\u031b")]
    + [("y", "")]
    for tone in ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]
} - set("aeiouy") | {"đ"}
VIETNAMESE |= {c.upper() for c in VIETNAMESE}
UNICODE_TEXTS = [
    "Đồng chí Bí thư Tỉnh ủy · Trang chủ · Liên hệ © 2024 Báo Lào Cai « Tin mới »",
    "Hoà Bình, thuỷ lợi, Khánh Hoà: các xã đạt chuẩn nông thôn mới, 3×4 m², 25 °C.",
    "The Party Committee reviewed Resolution 25-NQ/TW on mass mobilization work.",
    "Le comité a examiné où en était la résolution ; Noël, naïve, façade, être, déjà.",
    "Herr Müller aus Düsseldorf ärgert sich über die Größe der Straße; Peña, año, niño.",
]


@pytest.mark.parametrize(("name", "raw", "letter"), LETTERS)
def test_each_letter_of_each_table(name: str, raw: str, letter: str) -> None:
    assert TABLES[name](raw) == letter


def test_cases_and_tables_cover_every_letter() -> None:
    assert len(VIETNAMESE) == 134
    for name in TABLES:
        assert {letter for _, letter, _ in CASES[name]["letters"]} >= VIETNAMESE, name
    tcvn3 = set(legacy_tables.TCVN3_C0.values()) | set(legacy_tables.TCVN3_HIGH) - {"\0"}
    assert tcvn3 == VIETNAMESE
    assert set(VISCII_TABLE) >= VIETNAMESE
    assert set(legacy_tables.VNI.values()) == VIETNAMESE


@pytest.mark.skipif(shutil.which("iconv") is None, reason="needs glibc iconv")
@pytest.mark.parametrize(("charset", "table"), [("VISCII", "viscii"), ("TCVN5712-1", "tcvn3")])
def test_byte_tables_match_glibc_iconv(charset: str, table: str) -> None:
    data = b"".join(bytes([b]) + b"\n" for b in range(1, 256) if b != 0x0A)
    out = subprocess.run(["iconv", "-f", charset, "-t", "UTF-8"], input=data, capture_output=True)
    assert out.returncode == 0
    chars = out.stdout.decode().split("\n")[:-1]
    for byte, char in zip([b for b in range(1, 256) if b != 0x0A], chars, strict=True):
        if table == "viscii":
            assert VISCII_TABLE[byte] == char, hex(byte)
        elif char in VIETNAMESE:  # TCVN3 keeps the letters of VN1, not its combining marks
            assert from_tcvn3(bytes([byte]).decode("latin-1")) == char, hex(byte)


@pytest.mark.parametrize(
    ("name", "raw", "sentence"),
    [
        pytest.param(n, raw, s, id=f"{n}-{i}")
        for n in ("tcvn3", "vni")
        for i, (raw, s) in enumerate(CASES[n]["sentences"])
    ],
)
def test_legacy_font_sentences_are_detected_and_converted(
    name: str, raw: str, sentence: str
) -> None:
    note = f"legacy {name.upper()} font encoding converted to Unicode"
    assert repair_text(raw, "text") == (sentence, [note])
    assert repair_text(sentence, "text") == (sentence, [])


@pytest.mark.parametrize(
    ("name", "raw", "sentence"),
    [
        pytest.param(n, raw, s, id=f"{n}-{i}")
        for n in ("viscii", "cp1258")
        for i, (raw, s) in enumerate(CASES[n]["sentences"])
    ],
)
def test_legacy_byte_sentences_are_detected_without_a_declaration(
    name: str, raw: str, sentence: str
) -> None:
    text, chosen = guess(raw.encode("latin-1"), None)
    assert (unicodedata.normalize("NFC", text), chosen) == (sentence, name)


@pytest.mark.parametrize("text", UNICODE_TEXTS + [s for _, s in CASES["vni"]["sentences"]])
def test_repairs_leave_good_text_alone(text: str) -> None:
    assert repair_text(text, "text") == (text, [])
    assert repair_text(f"<p>{text}</p>", "html") == (f"<p>{text}</p>", [])


def test_repairs_leave_every_fixture_page_alone() -> None:
    pages = [*ROOT.glob("fixtures/pages/*"), *ROOT.glob("fixtures/dev/pages/*")]
    pages += list((ROOT.parent / "shared" / "real-html").glob("*.html"))
    assert len(pages) >= 20
    for path in pages:
        text, warning = decode(path.read_bytes())
        fmt = "html" if path.suffix == ".html" else "text"
        assert warning is None and repair_text(text, fmt) == (text, []), path.name


def test_a_page_mixing_unicode_and_tcvn3_converts_only_the_tcvn3_part() -> None:
    tcvn3 = CASES["tcvn3"]["sentences"][0]
    page = (
        "<ul><li>Trang chủ</li><li>Tin tức - Sự kiện</li><li>Công tác dân vận</li></ul>\n"
        f"<p>{tcvn3[0]}</p>\n<p>Bản quyền thuộc Ban Dân vận Tỉnh ủy · © 2024</p>\n"
    )
    text, notes = repair_text(page, "html")
    assert text == page.replace(tcvn3[0], tcvn3[1])
    assert notes == ["legacy TCVN3 font encoding converted to Unicode"]


def test_mojibake_is_repaired_also_when_bytes_were_lost() -> None:
    for sentence in (s for _, s in CASES["tcvn3"]["sentences"]):
        data = sentence.encode()
        sloppy = "".join(bytes([b]).decode("cp1252", "ignore") or chr(b) for b in data)
        assert fix_mojibake(sloppy) == (sentence, True)
        assert fix_mojibake(sentence) == (sentence, False)
    lossy = "Nghị quyết của Đảng về công tác dân vận, người dân".encode()
    for broken in (lossy.decode("cp1252", "ignore"), lossy.decode("cp1252", "replace")):
        assert fix_mojibake(broken)[0] == "Nghị quyết của Đảng về công tác dân vận, người dân"


def test_wrong_or_missing_declarations() -> None:
    body = CASES["cp1258"]["sentences"][0][0].encode("latin-1")
    sentence = CASES["cp1258"]["sentences"][0][1]
    text, warning = decode(b'<meta charset="utf-8"><p>' + body)
    assert sentence in text
    assert warning == "declared charset utf-8 is wrong; decoded as windows-1258"
    assert decode(body, "windows-1258") == (
        sentence,
        "not UTF-8; decoded as windows-1258 (declared)",
    )
    assert decode(sentence.encode(), "iso-8859-1") == (
        sentence,
        "declared charset iso-8859-1 is wrong; decoded as UTF-8",
    )
    assert decode(sentence.encode("utf-16-le"))[0] == sentence  # no BOM
    body = json.loads((HOSTILE / "expected.json").read_text("utf-8"))["lines"]["body"]
    text, warning = decode((HOSTILE / "tcvn3_bytes.txt").read_bytes(), "TCVN3")
    assert body[0] in text and warning == "not UTF-8; decoded as TCVN3 (declared)"
    assert decode(b"\xef\xbb\xbf" + sentence.encode()) == (sentence, None)


def test_syllables_tell_vietnamese_from_wrong_decodings() -> None:
    good = ["Người", "được", "quyết", "khuya", "khuỷu", "giữa", "quý", "Ngoẹo"]
    bad = ["ViÖt", "cuÒa", "Vieät", "cơng", "tàc", "ngưềi", "Müller"]
    assert all(map(is_syllable, good)) and not any(map(is_syllable, bad))
    assert evidence("Đảng bộ") > 0 > evidence("Vieät Nam ñoàng")


def test_hostile_pages_end_to_end(tmp_path: Path) -> None:
    expected = json.loads((HOSTILE / "expected.json").read_text("utf-8"))
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(HOSTILE), "-o", str(out), "-q", "--workers", "1"]) == 0
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert len(rows) == len(expected["documents"])  # one line per input document
    for row in rows:
        name = Path(row["id"]).name
        note, lines = expected["documents"][name]
        assert all(line in row["text"] for line in expected["lines"][lines]), name
        symbols = [r["symbol"] for r in row["records"] if r["type"] == "document_ref"]
        assert symbols == ["25-NQ/TW"], name
        # a charset chosen or a text repaired is a note: nothing was lost, so no error
        messages = [e["message"] for e in row["notes"]]
        assert (note is None and not messages) or any(note in m for m in messages), name
        assert all(e["stage"] == "read" for e in row["notes"]), name
        assert row["errors"] == [], name


def test_warc_with_a_wrong_http_charset_and_stdin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    body = (HOSTILE / "cp1258_no_meta.html").read_bytes()
    warc = tmp_path / "crawl.warc.gz"
    with warc.open("wb") as fh:
        headers = [("Content-Type", "text/html; charset=iso-8859-1")]
        http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.0")
        writer = WARCWriter(fh, gzip=True)
        writer.write_record(
            writer.create_warc_record(
                "https://example.vn/1", "response", payload=io.BytesIO(body), http_headers=http
            )
        )
    out = tmp_path / "out.jsonl"
    assert main(["extract", str(warc), "-o", str(out), "-q", "--workers", "1"]) == 0
    [row] = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    body_lines = json.loads((HOSTILE / "expected.json").read_text("utf-8"))["lines"]["body"]
    assert body_lines[0] in row["text"]
    assert row["notes"] == [
        {
            "stage": "read",
            "message": "declared charset iso-8859-1 is wrong; decoded as windows-1258",
        }
    ]
    assert row["errors"] == []
    stdin = io.TextIOWrapper(io.BytesIO((HOSTILE / "tcvn3_bytes.txt").read_bytes()))
    monkeypatch.setattr("sys.stdin", stdin)
    assert main(["extract", "-", "-o", str(out), "-q", "--workers", "1", "--overwrite"]) == 0
    [row] = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert body_lines[0] in row["text"]


def test_python_api_takes_legacy_bytes_and_text() -> None:
    raw, sentence = CASES["viscii"]["sentences"][0]
    out = extract(raw.encode("latin-1"), format="text")
    assert sentence in out["text"] and out["notes"][0]["stage"] == "read" and not out["errors"]
    raw, sentence = CASES["vni"]["sentences"][0]
    out = extract(f"<html><body><h1>Tin</h1><p>{raw}</p></body></html>", format="html")
    assert sentence in out["text"]
    assert out["notes"] == [
        {"stage": "read", "message": "legacy VNI font encoding converted to Unicode"}
    ]
    assert out["errors"] == []


def test_long_runs_take_linear_time() -> None:
    run = "a" * 200_000
    pages = [
        "§¶ng bé tØnh ñy " * 5 + run + " “x",  # TCVN3 punctuation look-alikes
        "CÃ´ng tÃ¡c " + run + " \ufffd",  # mojibake with a lost byte
        "<p>c&amp;ocirc;ng</p>" + "<script " * 50_000 + "&amp;ocirc;",  # unclosed scripts
    ]
    started = time.monotonic()
    for page in pages:
        repair_text(page, "html")
    assert time.monotonic() - started < 10  # quadratic matching would take minutes


def test_garbage_bytes_never_crash() -> None:
    rng = random.Random(7)
    samples = [bytes(rng.randrange(256) for _ in range(n)) for n in (0, 1, 7, 500, 20_000)]
    samples += [b"\x00" * 1000, b"\xff\xfe" + b"\x00\xd8" * 50, "§¶ng ".encode("latin-1") * 3000]
    for data in samples:
        text, _ = decode(data)
        repair_text(text, "html")
        repair_text(text, "text")


def test_a_declared_charset_is_a_note_and_lost_bytes_an_error(tmp_path: Path) -> None:
    """`errors` says what was lost; a page decoded as it declares is not a page with errors."""
    shutil.copy(HOSTILE / "cp1258_meta.html", tmp_path / "declared.html")
    broken = "Hội nghị tổng kết công tác của huyện đoàn.".encode() + b"\xff\xfe" + b" xong"
    (tmp_path / "broken.txt").write_bytes(broken)
    out, stats = tmp_path / "out.jsonl", tmp_path / "stats.json"
    args = ["extract", str(tmp_path), "-o", str(out), "--stats", str(stats), "-q"]
    assert main([*args, "--workers", "1"]) == 0
    rows = {Path(r["id"]).name: r for r in map(json.loads, out.read_text("utf-8").splitlines())}
    assert rows["declared.html"]["errors"] == []
    assert rows["declared.html"]["notes"] == [
        {"stage": "read", "message": "not UTF-8; decoded as windows-1258 (declared)"}
    ]
    assert rows["broken.txt"]["errors"] == [
        {"stage": "read", "message": "invalid UTF-8 bytes replaced"}
    ]
    summary = json.loads(stats.read_text("utf-8"))
    assert summary["with_errors"] == 1 and summary["counts"]["notes.read"] == 1
