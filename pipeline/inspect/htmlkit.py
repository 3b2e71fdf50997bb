"""The report's page shell: escaping, the stylesheet, the one script, a strict CSP.

Page content is only ever written as escaped text. Data for the index's script goes in a
`<script type="application/json">` block with `<`, `>`, `&` escaped, so a title holding
`</script>` cannot end it; the Content-Security-Policy allows only our own style and script, by
hash, so even a payload that slipped through could not run.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html import escape
from typing import Any

from pipeline.inspect.charts import KIND_COLORS, USER_COLORS, user_slot


def esc(value: Any) -> str:
    """Text for HTML content or a quoted attribute value (quotes escaped too).

    >>> esc('<img src=x onerror="a()">')
    '&lt;img src=x onerror=&quot;a()&quot;&gt;'
    """
    return escape("" if value is None else str(value), quote=True)


def kind_class(kind: str) -> str:
    """The CSS class of a record kind: a built-in kind's own, else one of the user kinds'
    palette, chosen by a hash of the name (data never names a class).

    >>> kind_class("date"), kind_class('x" onclick="y').startswith("k-u")
    ('k-date', True)
    """
    return f"k-{kind}" if kind in KIND_COLORS else f"k-u{user_slot(kind)}"


def json_script(element_id: str, data: Any) -> str:
    """A JSON data block that no string inside can break out of.

    >>> block = json_script("d", ["</script><b>&"])
    >>> block.count("</script>"), block.count("<"), "u003c/script" in block
    (1, 2, True)
    """
    text = json.dumps(data, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return f'<script type="application/json" id="{esc(element_id)}">{text}</script>'


def _kind_css() -> str:
    rules = [f".k-{k}{{--c:{c};background:{c}}} .o-{k}{{text-decoration-color:{c}}}" for k, c in
             KIND_COLORS.items()]  # fmt: skip
    rules += [f".k-u{i}{{--c:{c};background:{c}}} .o-u{i}{{text-decoration-color:{c}}}" for i, c in
              enumerate(USER_COLORS)]  # fmt: skip
    return "\n".join(rules)


CSS = (
    """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#222}
header,main{padding:0 24px}header{background:#f3f5f8;border-bottom:1px solid #dde;padding:10px 24px}
h1{font-size:22px;margin:8px 0}h2{font-size:18px;margin:22px 0 8px}
a{color:#1a56b0}table{border-collapse:collapse;margin:6px 0 12px}
th,td{border-bottom:1px solid #e3e3e3;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f7f7f7;position:sticky;top:0}td.n{text-align:right}
.charts{display:flex;flex-wrap:wrap;gap:28px;align-items:flex-start}
.filters{display:flex;flex-wrap:wrap;gap:12px;margin:8px 0;align-items:end}
.filters label{display:flex;flex-direction:column;font-size:13px;color:#555}
.filters select,.filters input{font-size:14px;padding:3px}
.text{white-space:pre-wrap;max-width:900px;background:#fcfcfc;border:1px solid #e5e5e5;
padding:12px 16px;line-height:1.8}
mark{border-radius:3px;padding:1px 0;color:inherit}
mark.outer{text-decoration-line:underline;text-decoration-thickness:3px;text-underline-offset:4px}
.badge{border-radius:3px;padding:1px 6px;font-size:13px;white-space:nowrap}
.sentence{color:#444;min-width:340px;max-width:560px}.sentence mark{font-weight:600}
#records,#docs,#dropped{font-size:14px}th .badge{font-size:12px}th.kind{max-width:80px}
th.kind .badge{white-space:normal;display:inline-block}
.fields{font-size:13px;margin:0;padding:0;list-style:none}.meta th{position:static;width:110px}
.err{color:#a00}.muted{color:#777}.legend .badge{margin-right:6px}td.txt{max-width:300px}
nav{margin:8px 0}nav a{margin-right:14px}td.title{min-width:260px;max-width:420px}
td.date{white-space:nowrap}td.site{min-width:110px}
mark.mention{background:transparent;box-shadow:inset 0 -3px 0 var(--c)}
"""
    + _kind_css()
    + "\n"
)

FILTER_JS = """
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('facets').textContent);
  var rows = Array.prototype.slice.call(document.querySelectorAll('#docs tbody tr'));
  function val(id) { return document.getElementById(id).value; }
  function apply() {
    var kind = val('f-kind'), rule = val('f-rule'), site = val('f-site');
    var errors = val('f-errors');
    var q = val('f-q').normalize('NFC').toLowerCase().trim();
    var shown = 0;
    rows.forEach(function (row) {
      var d = data[Number(row.getAttribute('data-i'))];
      var ok = (!kind || d.kinds.indexOf(kind) >= 0) && (!rule || d.rules.indexOf(rule) >= 0) &&
        (!site || d.site === site) &&
        (!errors || (errors === 'yes') === (d.errors > 0)) &&
        (!q || d.q.indexOf(q) >= 0);
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    document.getElementById('shown').textContent =
      shown + ' of ' + rows.length + ' documents shown';
  }
  ['f-kind', 'f-rule', 'f-site', 'f-errors', 'f-q'].forEach(function (id) {
    var el = document.getElementById(id);
    el.addEventListener('input', apply);
    el.addEventListener('change', apply);
  });
  apply();
})();
"""


def _hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def page(title: str, body: str, script: str | None = None) -> str:
    """A whole HTML page; the CSP allows our stylesheet and `script` (by hash), nothing else."""
    scripts = _hash(script) if script else "'none'"
    csp = (
        f"default-src 'none'; style-src {_hash(CSS)}; script-src {scripts}; img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )
    tail = f"<script>{script}</script>" if script else ""
    return (
        '<!DOCTYPE html>\n<html lang="vi"><head><meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{esc(title)}</title><style>{CSS}</style></head>\n"
        f"<body>\n{body}\n{tail}</body></html>\n"
    )


def slug_safe(text: str) -> str:
    """A value usable in an element id (letters, digits, `-`, `_` only).

    >>> slug_safe("../a b")
    '---a-b'
    """
    return re.sub(r"[^A-Za-z0-9_-]", "-", text)
