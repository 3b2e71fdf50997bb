"""Write tests/cases/encodings.json (every Vietnamese letter and a few sentences in each legacy
encoding) and the pages of fixtures/hostile/encodings/, independently of legacy_tables.py.

TCVN3 (TCVN 5712 VN1), VISCII and windows-1258 bytes come from glibc's `iconv`; VNI from the
composition rule of its marks. Run once (`.venv/bin/python tests/make_encoding_cases.py`) and
commit the output; the tests read the files only, so they do not need iconv.
"""

from __future__ import annotations

import html
import html.entities
import json
import subprocess
import unicodedata
from pathlib import Path

OUT = Path(__file__).parent / "cases" / "encodings.json"
PAGES = Path(__file__).parent.parent / "fixtures" / "hostile" / "encodings"
FAMILIES = ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"]
TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]  # none, huyền, sắc, hỏi, ngã, nặng
SENTENCES = [
    "Ban Thường vụ Tỉnh ủy đã tổ chức hội nghị sơ kết 10 năm thực hiện Nghị quyết số 25-NQ/TW"
    " ngày 3/6/2013 của Ban Chấp hành Trung ương về công tác dân vận.",
    "Đồng chí Bí thư Huyện ủy nhắc mỗi cán bộ, đảng viên phải gần dân, hiểu dân và có trách"
    " nhiệm với dân.",
    "ĐẢNG BỘ XÃ TỔNG KẾT PHONG TRÀO THI ĐUA NĂM 2023",
    "Người dân được hưởng lợi từ những công trình giao thông nông thôn mới ở vùng sâu.",
]
# VNI marks: plain vowels, â/ê/ô, ă; ơ ô, ư ö, đ ñ; i and ỵ take single characters.
VNI_TONE = dict(zip(TONES[1:], "øùûõï", strict=True))
VNI_HAT = dict(zip(TONES, "âàáåãä", strict=True))
VNI_BREVE = dict(zip(TONES, "êèéúüë", strict=True))
VNI_I = dict(zip(TONES[1:], "ìíæóò", strict=True))


def letter(family: str, tone: str) -> str:
    return unicodedata.normalize("NFC", family + tone)


def to_vni(ch: str) -> str:
    """One letter (lower or upper case) in VNI, as windows-1252 reads it."""
    low = ch.lower()
    nfd = unicodedata.normalize("NFD", low)
    tone = next((c for c in nfd if c in TONES[1:]), "")
    base = unicodedata.normalize("NFC", "".join(c for c in nfd if c not in TONES[1:]))
    if low == "đ":
        out = "ñ"
    elif base == "i" and tone:
        out = VNI_I[tone]
    elif base == "y" and tone == "\u0323":
        out = "î"
    elif base in "âêô":
        out = {"â": "a", "ê": "e", "ô": "o"}[base] + VNI_HAT[tone]
    elif base == "ă":
        out = "a" + VNI_BREVE[tone]
    elif base in "ơư":
        out = {"ơ": "ô", "ư": "ö"}[base] + VNI_TONE.get(tone, "")
    else:
        out = base + VNI_TONE.get(tone, "")
    return out.upper() if ch != low else out


def iconv(text: str, charset: str) -> bytes:
    return subprocess.run(
        ["iconv", "-f", "UTF-8", "-t", charset],
        input=text.encode(),
        capture_output=True,
        check=True,
    ).stdout


def as_cp1252(data: bytes) -> str:
    """Bytes as a windows-1252 page reads them (undefined bytes stay C1 controls)."""
    return "".join(bytes([b]).decode("cp1252", "ignore") or chr(b) for b in data)


def letters() -> list[tuple[str, str]]:
    """(letter, class) for all 134 accented letters and the plain vowels, lower and upper case."""
    out = []
    for family in FAMILIES:
        for tone in TONES:
            low = letter(family, tone)
            out += [(low, family), (low.upper(), family.upper())]
    return out + [("đ", "đ"), ("Đ", "Đ")]


def build() -> dict[str, object]:
    encoders = {
        "tcvn3": lambda s: as_cp1252(iconv(s, "TCVN5712-1")),
        "vni": lambda s: "".join(to_vni(c) if c.isalpha() and not c.isascii() else c for c in s),
        "viscii": lambda s: iconv(s, "VISCII").decode("latin-1"),
        "cp1258": lambda s: iconv(s, "CP1258").decode("latin-1"),
    }
    cases: dict[str, object] = {
        "_comment": "Made by tests/make_encoding_cases.py. tcvn3 and vni inputs are text as read "
        "in windows-1252; viscii and cp1258 inputs are bytes, one code point U+00XX per byte.",
    }
    for name, encode in encoders.items():
        cases[name] = {
            "letters": [[encode(ch), ch, cls] for ch, cls in letters()],
            "sentences": [[encode(s), s] for s in SENTENCES],
        }
    # A .VnTimeH headline: capitals shown from lower-case codes, ASCII letters typed as capitals.
    low = iconv(SENTENCES[2].lower(), "TCVN5712-1")
    caps = bytes(b - 32 if 0x61 <= b <= 0x7A else b for b in low)
    cases["tcvn3"]["sentences"].append([as_cp1252(caps), SENTENCES[2]])  # type: ignore[index]
    return cases


def dump(cases: dict[str, object]) -> str:
    """JSON with one case per line, non-ASCII written as \\u escapes."""
    out = ["{", f' "_comment": {json.dumps(cases.pop("_comment"))},']
    for i, (name, groups) in enumerate(cases.items()):
        out.append(f' "{name}": {{')
        for j, (group, rows) in enumerate(groups.items()):  # type: ignore[attr-defined]
            out.append(f'  "{group}": [')
            out += [f"   {json.dumps(row)}," for row in rows]
            out[-1] = out[-1].rstrip(",")
            out.append("  ]" + ("," if j < len(groups) - 1 else ""))  # type: ignore[arg-type]
        out.append(" }" + ("," if i < len(cases) - 1 else ""))
    return "\n".join([*out, "}"]) + "\n"


TITLE = "Huyện ủy sơ kết 10 năm thực hiện Nghị quyết số 25-NQ/TW"
BODY = [
    "Sáng 5/3, Ban Thường vụ Huyện ủy tổ chức hội nghị sơ kết 10 năm thực hiện Nghị quyết số"
    " 25-NQ/TW ngày 3/6/2013 của Ban Chấp hành Trung ương về tăng cường và đổi mới sự lãnh đạo"
    " của Đảng đối với công tác dân vận trong tình hình mới.",
    "Đồng chí Bí thư Huyện ủy đề nghị mỗi cán bộ, đảng viên phải gần dân, hiểu dân, học dân và"
    " có trách nhiệm với dân; các đoàn thể tiếp tục đổi mới nội dung, phương thức hoạt động.",
]
# Mixed conventions in one page, and a zero-width space inside the symbol.
MIXED = [
    "Sáng 5/3, Thị uỷ tổ chức hội nghị về công tác hoà giải ở cơ sở, thực hiện Nghị quyết số"
    " 25-\u200bNQ/TW ngày 3/6/2013; công tác hòa giải và thủy lợi được quan tâm.",
    "Nhiều mô hình thuỷ lợi nhỏ ra đời trong qúy I, những đóng góp qúy báu của nhân dân.",
]
TCVN_NOTE = "legacy TCVN3 font encoding converted to Unicode"
VNI_NOTE = "legacy VNI font encoding converted to Unicode"
MOJIBAKE_NOTE = "mojibake (UTF-8 read as windows-1252) repaired"
UNDECLARED = "not UTF-8 and no charset declared; decoded as"
MIXED_EXPECTED = [
    "Sáng 5/3, Thị ủy tổ chức hội nghị về công tác hòa giải ở cơ sở, thực hiện Nghị quyết số"
    " 25-NQ/TW ngày 3/6/2013; công tác hòa giải và thủy lợi được quan tâm.",
    "Nhiều mô hình thủy lợi nhỏ ra đời trong quý I, những đóng góp quý báu của nhân dân.",
]


def page(encode: object, head: str = "", lines: list[str] = BODY) -> str:
    """An HTML page whose Vietnamese text went through `encode` (markup is ASCII)."""
    conv = encode if callable(encode) else (lambda s: s)
    paragraphs = "".join(f"<p>{conv(x)}</p>\n" for x in lines)
    return (
        f'<!DOCTYPE html>\n<html lang="vi"><head>{head}<title>{conv(TITLE)}</title></head>\n'
        f"<body><article><h1>{conv(TITLE)}</h1>\n{paragraphs}</article></body></html>\n"
    )


def text(encode: object = None, lines: list[str] = BODY) -> str:
    conv = encode if callable(encode) else (lambda s: s)
    return "\n".join([conv(TITLE), *map(conv, lines)]) + "\n"


def entities(s: str) -> str:
    names = html.entities.codepoint2name
    return "".join(
        f"&{names[ord(c)]};" if ord(c) in names else f"&#{ord(c)};" if ord(c) > 127 else c
        for c in s
    )


def pages() -> dict[str, tuple[bytes, str | None]]:
    """file name -> (bytes, the note expected in the document's `errors`)."""
    tcvn = lambda s: as_cp1252(iconv(s, "TCVN5712-1"))  # noqa: E731
    vni = lambda s: "".join(to_vni(c) if c.isalpha() and not c.isascii() else c for c in s)  # noqa: E731
    meta = '<meta charset="{}">'.format
    mojibake = as_cp1252(text().encode())
    dump = [{"url": "https://example.vn/a", "text": text(tcvn)}, {"html": page(vni)}]
    dump.append({"text": mojibake})
    wrong = "declared charset {} is wrong; decoded as {}".format
    return {
        "cp1258_meta.html": (
            iconv(page(None, meta("windows-1258")), "CP1258"),
            "not UTF-8; decoded as windows-1258 (declared)",
        ),
        "cp1258_no_meta.html": (
            iconv(page(None), "CP1258"),
            f"{UNDECLARED} windows-1258 (detected)",
        ),
        "viscii_meta.html": (
            iconv(page(None, meta("VISCII")), "VISCII"),
            "not UTF-8; decoded as VISCII (declared)",
        ),
        "viscii_no_meta.txt": (iconv(text(), "VISCII"), f"{UNDECLARED} VISCII (detected)"),
        "wrong_charset_utf8.html": (
            page(None, meta("iso-8859-1")).encode(),
            wrong("iso-8859-1", "UTF-8"),
        ),
        "wrong_charset_cp1258.html": (
            iconv(page(None, meta("windows-1252")), "CP1258"),
            wrong("windows-1252", "windows-1258"),
        ),
        "utf16_bom.html": (page(None).encode("utf-16"), None),
        "utf8_bom.txt": (b"\xef\xbb\xbf" + text().encode(), None),
        "nfd.html": (unicodedata.normalize("NFD", page(None)).encode(), None),
        "mojibake.txt": (mojibake.encode(), MOJIBAKE_NOTE),
        "mojibake_lost_bytes.txt": (
            text().encode().decode("cp1252", "ignore").encode(),
            MOJIBAKE_NOTE,
        ),
        "tcvn3_vntime.html": (
            page(tcvn, '<style>body{font-family:".VnTime"}</style>').encode(),
            TCVN_NOTE,
        ),
        "tcvn3_bytes.txt": (iconv(text(), "TCVN5712-1"), TCVN_NOTE),
        "vni.html": (page(vni, "<style>p{font-family:'VNI-Times'}</style>").encode(), VNI_NOTE),
        "vni_bytes.txt": (text(vni).encode("cp1252"), VNI_NOTE),
        "entities.txt": (text(entities).encode(), "HTML entities in text decoded"),
        "entities_double.html": (
            page(lambda s: entities(s).replace("&", "&amp;")).encode(),
            "double-encoded HTML entities decoded",
        ),
        "zero_width_mixed_tones.txt": (text(None, MIXED).encode(), None),
        "legacy.jsonl": (
            "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in dump).encode(),
            None,
        ),
    }


def write_pages() -> None:
    """The pages, and expected.json: per document id, its note and the lines its text holds."""
    PAGES.mkdir(parents=True, exist_ok=True)
    docs = {}
    for name, (data, note) in pages().items():
        (PAGES / name).write_bytes(data)
        if name.endswith(".jsonl"):
            notes = [TCVN_NOTE, VNI_NOTE, MOJIBAKE_NOTE]
            docs.update({f"{name}:{i}": [n, "body"] for i, n in enumerate(notes, start=1)})
        else:
            docs[name] = [note, "mixed" if name.startswith("zero_width") else "body"]
    rows = [f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in docs.items()]
    lines = json.dumps({"body": BODY, "mixed": MIXED_EXPECTED}, ensure_ascii=False, indent=1)
    out = f'{{\n "lines": {lines},\n "documents": {{\n' + ",\n".join(rows) + "\n }\n}\n"
    (PAGES / "expected.json").write_text(out, encoding="utf-8")


if __name__ == "__main__":
    OUT.write_text(dump(build()), encoding="utf-8")
    write_pages()
    print(f"wrote {OUT} and {PAGES}")
