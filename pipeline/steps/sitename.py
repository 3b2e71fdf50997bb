"""The site of a page from what it says of itself: the portal or newspaper name in the header
that cleaning dropped (a text page has no `og:site_name`), and the address an HTML page gives
as its own (`<link rel="canonical">`, `og:url`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import urlparse

import regex

#: A line that is a portal's or a newspaper's kind without its name ("Cổng thông tin điện tử"),
#: or with it ("Cổng thông tin điện tử tỉnh Hà Giang", "Báo Hòa Bình điện tử").
_PORTAL = regex.compile(
    r"^(?:cổng|trang)\s+(?:thông\s+tin\s+)?(?:điện\s+tử|thông\s+tin)\b(?P<name>.*)$",
    regex.IGNORECASE,
)
_NEWSPAPER = regex.compile(r"^(?:báo|tạp\s+chí)\s+\p{Lu}", regex.IGNORECASE)
_NAME_LINE = regex.compile(r"^\p{Lu}[\p{L}\s.&-]+$")


def host_of(url: str | None) -> str | None:
    """The host of an address, lower case, without "www." and a final dot; None for an
    address with none or one that does not parse (a page's bad link must cost nothing).

    >>> host_of("https://www.Baogialai.com.vn./a"), host_of("http://[abc/x"), host_of("a.txt")
    ('baogialai.com.vn', None, None)
    """
    if not url or "://" not in url:
        return None
    try:
        host = urlparse(url).hostname
    except ValueError:
        return None
    return host.rstrip(".").removeprefix("www.") if host else None


def _is_name(line: str) -> bool:
    """A short line that can be an organisation's name: 2-8 words, letters only."""
    return 2 <= len(line.split()) <= 8 and bool(_NAME_LINE.match(line))


def site_from_header(lines: Sequence[str], outlet: Callable[[str], str | None]) -> str | None:
    """The site a text page's header names: a known outlet (`outlet` gives its name), a
    newspaper's name line, or a portal's kind with the organisation named beside it.

    >>> site_from_header(["Đảng bộ tỉnh Hà Tĩnh", "Cổng thông tin điện tử"], lambda s: None)
    'Cổng thông tin điện tử Đảng bộ tỉnh Hà Tĩnh'
    >>> site_from_header(["Trang chủ", "BÁO HÒA BÌNH ĐIỆN TỬ"], lambda s: None)
    'BÁO HÒA BÌNH ĐIỆN TỬ'
    >>> site_from_header(["Cập nhật:", "Hỏi đáp trực tuyến"], lambda s: None) is None
    True
    """
    for line in lines:
        if name := outlet(line):
            return name
    for i, line in enumerate(lines):
        if _NEWSPAPER.match(line) and _is_name(line):
            return line
        if not (found := _PORTAL.match(line)) or len(line.split()) > 12:
            continue
        if found.group("name").strip():
            return line
        around = [lines[j] for j in (i - 1, i + 1) if 0 <= j < len(lines)]
        if org := next((x for x in around if _is_name(x) and not _PORTAL.match(x)), None):
            return f"{line} {org}"
    return None


def own_url(tree: Any, og_urls: Sequence[str]) -> tuple[str, str] | None:
    """The address a page gives as its own, and where it says so: its canonical link, else
    `og:url` (absolute http(s) addresses only)."""
    for link in tree.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        href = (link.get("href") or "").strip()
        if "canonical" in rel and href.startswith(("http://", "https://")):
            return href, "canonical"
    for href in og_urls:
        if href.strip().startswith(("http://", "https://")):
            return href.strip(), "og:url"
    return None
