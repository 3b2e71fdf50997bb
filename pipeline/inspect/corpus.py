"""The corpus view: facts across pages, by document key and person key.

In the SQLite export (`vnextract export --sqlite` or `vnextract corpus OUT -o FILE`), tables
built from `documents` and `records`: `citations` (one row per record citing a document key),
`cited_documents` (key, symbol, registry facts, pages, sites, first and last seen),
`people` and `person_titles`, `award_tallies` (by site, grantor and year) and
`participant_counts` (by site and year). In the HTML report, `corpus.html`: the most cited
documents month by month, and the people most named.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from pipeline.inspect.htmlkit import esc
from pipeline.inspect.summary import month_of

CORPUS_SQL = """
CREATE TABLE citations AS
SELECT json_extract(r.record, '$.key') AS key, r.doc_id, r.type, r.text, r.symbol,
  d.site, d.published, substr(d.published, 1, 7) AS month, d.year,
  json_extract(r.record, '$.registry.symbol') AS reg_symbol,
  json_extract(r.record, '$.registry.doc_type') AS reg_type,
  json_extract(r.record, '$.registry.issuer') AS reg_issuer,
  json_extract(r.record, '$.registry.issued') AS reg_issued,
  json_extract(r.record, '$.registry.term') AS reg_term,
  json_extract(r.record, '$.registry.subject') AS reg_subject,
  json_extract(r.record, '$.registry.source') AS reg_source
FROM records r JOIN documents d ON d.id = r.doc_id
WHERE r.type IN ('document_ref', 'document_name') AND json_extract(r.record, '$.key') IS NOT NULL;
CREATE INDEX citations_key ON citations(key);

CREATE TABLE cited_documents AS
SELECT key, coalesce(max(reg_symbol), max(symbol)) AS symbol, max(reg_type) AS doc_type,
  max(reg_issuer) AS issuer, max(reg_issued) AS issued, max(reg_term) AS term,
  max(reg_subject) AS subject, max(reg_source) AS source,
  count(DISTINCT doc_id) AS pages, count(DISTINCT site) AS sites,
  min(published) AS first_seen, max(published) AS last_seen
FROM citations GROUP BY key;

CREATE TABLE person_mentions AS
SELECT json_extract(r.record, '$.person') AS person, r.name, r.doc_id, d.site, d.published,
  json_extract(r.record, '$.positions') AS positions
FROM records r JOIN documents d ON d.id = r.doc_id
WHERE r.type = 'official' AND json_extract(r.record, '$.person') IS NOT NULL;
CREATE INDEX person_mentions_person ON person_mentions(person);

CREATE TABLE people AS
SELECT person, json_group_array(DISTINCT name) AS names, count(DISTINCT doc_id) AS pages,
  count(DISTINCT site) AS sites, min(published) AS first_seen, max(published) AS last_seen
FROM person_mentions GROUP BY person;

CREATE TABLE person_titles AS
SELECT m.person, json_extract(p.value, '$.as_written') AS title,
  json_extract(p.value, '$.role') AS role, json_extract(p.value, '$.organisation') AS organisation,
  json_extract(p.value, '$.level') AS level, json_extract(p.value, '$.place') AS place,
  count(DISTINCT m.doc_id) AS pages, min(m.published) AS first_seen,
  max(m.published) AS last_seen
FROM person_mentions m, json_each(coalesce(m.positions, '[]')) p
GROUP BY 1, 2, 3, 4, 5, 6;

CREATE TABLE award_tallies AS
SELECT d.site, r.grantor, d.year, count(*) AS awards, count(DISTINCT r.doc_id) AS pages,
  sum(r.individuals) AS individuals, sum(r.collectives) AS collectives, sum(r.total) AS total
FROM records r JOIN documents d ON d.id = r.doc_id
WHERE r.type = 'award' GROUP BY d.site, r.grantor, d.year;

CREATE TABLE participant_counts AS
SELECT d.site, d.year, count(*) AS counts, count(DISTINCT r.doc_id) AS pages,
  sum(r.count) AS participants
FROM records r JOIN documents d ON d.id = r.doc_id
WHERE r.type = 'participant_count' GROUP BY d.site, d.year;
"""
#: Documents and people the report's corpus page lists.
TOP = 15


@dataclass
class Corpus:
    """Pages citing each document key per month, and pages naming each person, counted a
    document at a time (the report's corpus page; nothing per page is kept)."""

    by_month: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    labels: dict[str, str] = field(default_factory=dict)
    named: Counter[str] = field(default_factory=Counter)
    names: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    titles: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))

    def add(self, doc: dict[str, Any]) -> None:
        """Count one document's keys (each once a page)."""
        month = month_of(doc["meta"].get("published"))
        keys: set[str] = set()
        for rec in doc["records"]:
            if rec["type"] in ("document_ref", "document_name") and rec.get("key"):
                keys.add(rec["key"])
                reg = rec.get("registry") or {}
                self.labels.setdefault(rec["key"], reg.get("symbol") or rec.get("symbol") or "")
        for key in keys:
            self.by_month[key][month] += 1
        people = {
            r["person"]: r for r in doc["records"] if r["type"] == "official" and r.get("person")
        }
        for person, rec in people.items():
            self.named[person] += 1
            self.names[person][str(rec.get("name"))] += 1
            self.titles[person].update(str(t) for t in rec.get("titles") or [])

    def cited(self) -> Counter[str]:
        """Pages citing each document key, all months together."""
        return Counter({key: sum(months.values()) for key, months in self.by_month.items()})


def corpus_html(corpus: Corpus) -> str:
    """The corpus page's body: the most cited documents over time, one line per document per
    month (pages citing it that month), then the people most named."""
    cited = corpus.cited()
    top = [k for k, _ in sorted(cited.items(), key=lambda x: (-x[1], x[0]))[:TOP]]
    rows = "".join(
        f"<tr><td>{esc(corpus.labels.get(k) or k)}</td><td>{esc(k)}</td><td>{esc(month)}</td>"
        f'<td class="n">{n}</td><td class="n">{cited[k]}</td></tr>'
        for k in top
        for month, n in sorted(corpus.by_month[k].items())
    )
    people = sorted(corpus.named.items(), key=lambda x: (-x[1], x[0]))[:TOP]
    prows = "".join(
        f"<tr><td>{esc(corpus.names[p].most_common(1)[0][0])}</td><td>{esc(p)}</td>"
        f'<td class="n">{n}</td><td>{esc(_top_titles(corpus, p))}</td></tr>'
        for p, n in people
    )
    return (
        "<h2>Most cited documents, month by month</h2>"
        "<table><thead><tr><th>document</th><th>key</th><th>month</th><th>pages that month</th>"
        f"<th>pages in all</th></tr></thead><tbody>{rows}</tbody></table>"
        "<h2>People most named</h2>"
        "<table><thead><tr><th>name</th><th>person key</th><th>pages</th><th>titles</th></tr>"
        f"</thead><tbody>{prows}</tbody></table>"
    )


def _top_titles(corpus: Corpus, person: str) -> str:
    return "; ".join(t for t, _ in corpus.titles[person].most_common(3))
