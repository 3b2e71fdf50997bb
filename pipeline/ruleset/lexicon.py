"""Lexicons in patterns: a word list as a trie-shaped alternation, written once per pattern.

A lexicon of 200 titles is about 4,000 characters of pattern, and a rule that reads a chain of
titles names it a dozen times: written out at each place, such a rule is 100,000 characters and
the regex package takes a second to compile it. So a lexicon a pattern names more than once is
written out where first named, defined once at the pattern's end,
`(?(DEFINE)(?<_lex_titles>...))`, and called where named again, `(?&_lex_titles)`; the
record fields skip groups whose name starts with "_". A call costs a little more to match
than the written-out list (the first place keeps the engine's fast start), so patterns tried at
every place of a window (attach: before) write every lexicon out. A call does not take the
flags around it: a lexicon named inside `(?i:...)` is called in a second, case-blind
definition. Rules load about 2.5 times faster (bench/RESULTS.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import lru_cache

import regex

#: A lexicon placeholder, {@name}.
LEXICON = regex.compile(r"(?<!\\[pPN])\{@([a-z_][A-Za-z0-9_]*)\}")
#: Lexicons shorter than this are written out even when named twice: a call costs more than
#: the few characters it saves.
SHORT = 200


def alternation(entries: Iterable[str], blank: str = r"\s+") -> str:
    """A regex alternation of `entries` as a trie (a shared start is matched once, so that the
    engine does not try each of 140 titles at every position), the blanks between words
    matching `blank` (any blanks by default); a longer entry is tried before its prefix.

    >>> alternation(["Chương trình", "Chương trình hành động", "Luật"])
    '(?:Chương\\\\s+trình(?:\\\\s+hành\\\\s+động)?|Luật)'
    >>> alternation(["bí thư", "bí"], blank=" ")
    '(?:bí(?: thư)?)'
    """
    return _alternation(tuple(sorted(set(entries))), blank)


@lru_cache(maxsize=256)
def _alternation(entries: tuple[str, ...], blank: str) -> str:
    root: _Trie = {}
    for entry in entries:
        node = root
        for token in _tokens(entry, blank):
            node = node.setdefault(token, {})
        node[""] = {}
    return "(?:" + "|".join(_branches(root)) + ")"


_Trie = dict[str, "_Trie"]


def _tokens(entry: str, blank: str) -> list[str]:
    """An entry's characters, escaped, with `blank` between its words."""
    out: list[str] = []
    for i, word in enumerate(entry.split()):
        out.extend([blank] if i else [])
        out.extend(regex.escape(ch) for ch in word)
    return out


def _depth(node: _Trie) -> int:
    return max((1 + _depth(child) for token, child in node.items() if token), default=0)


def _branches(node: _Trie) -> list[str]:
    """The patterns of a trie node's branches, longest first; a chain of single tokens is
    written out without groups."""
    out: list[str] = []
    for token, child in sorted(node.items(), key=lambda kv: (-_depth(kv[1]), kv[0])):
        if not token:
            continue
        chain = [token]
        while len(child) == 1 and "" not in child:
            token, child = next(iter(child.items()))
            chain.append(token)
        out.append("".join(chain) + _render(child))
    return out


def _render(node: _Trie) -> str:
    """What may follow a trie node: nothing, one branch, or a group of them; optional when an
    entry ends here (a greedy `?` tries the longer entries first)."""
    branches = _branches(node)
    if not branches:
        return ""
    if "" in node:
        return "(?:" + "|".join(branches) + ")?"
    return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"


#: What changes the case-blindness in a pattern: an escape, a class, a group's ends.
_SPECIAL = re.compile(r"[\\\[()]")
_FLAGS = re.compile(r"\(\?([a-zA-Z]*)(?:-([a-zA-Z]*))?:")


def case_blind_at(pattern: str) -> list[bool]:
    """For each character of `pattern`, whether a scoped flag group `(?i:...)` (and no
    `(?-i:...)` inside it) holds it. Escapes and character classes are stepped over; the
    plain runs between them are filled at once (patterns run to a million characters).

    >>> p = "a(?i:b(?-i:c)d)e"
    >>> "".join(c for c, blind in zip(p, case_blind_at(p)) if blind and c in "abcde")
    'bd'
    """
    out: list[bool] = []
    stack = [False]
    i, n = 0, len(pattern)
    while i < n:
        special = _SPECIAL.search(pattern, i)
        j = special.start() if special else n
        out.extend([stack[-1]] * (j - i))
        i = j
        if i >= n:
            break
        ch, step = pattern[i], 1
        if ch == "\\":
            step = 2
        elif ch == "[":
            step = _class_end(pattern, i) - i
        elif ch == "(":
            flags = _FLAGS.match(pattern, i, min(n, i + 16))
            on = stack[-1]
            if flags and "i" in flags.group(1):
                on = True
            elif flags and "i" in (flags.group(2) or ""):
                on = False
            stack.append(on)
        elif len(stack) > 1:  # ")"
            out.append(stack.pop())
            i += 1
            continue
        out.extend([stack[-1]] * min(step, n - i))
        i += step
    return out


def _class_end(pattern: str, start: int) -> int:
    """The index after the character class opening at `start` (a `]` right after `[` or `[^`
    is a member; classes nest, as the regex package's V1 sets may)."""
    i, depth = start + 1, 1
    if pattern[i : i + 1] == "^":
        i += 1
    if pattern[i : i + 1] == "]":
        i += 1
    while i < len(pattern) and depth:
        if pattern[i] == "\\":
            i += 1
        elif pattern[i] == "[":
            depth += 1
        elif pattern[i] == "]":
            depth -= 1
        i += 1
    return i


def place_lexicons(
    pattern: str, lexicons: Mapping[str, Mapping[str, str]], calls: bool = True
) -> str:
    """Replace each {@name} of a pattern whose definitions are expanded: written out where
    named once (or short), called where named again, with the definitions at the end."""
    found = list(LEXICON.finditer(pattern))
    if not found:
        return pattern
    counts: dict[str, int] = {}
    for m in found:
        counts[m.group(1)] = counts.get(m.group(1), 0) + 1
    blind = case_blind_at(pattern)
    defined: dict[str, str] = {}
    written: set[str] = set()
    parts: list[str] = []
    last = 0
    for m in found:
        name, text = m.group(1), alternation(lexicons[m.group(1)])
        parts.append(pattern[last : m.start()])
        last = m.end()
        group = f"_lex_{name}_i" if blind[m.start()] else f"_lex_{name}"
        if not calls or counts[name] < 2 or len(text) < SHORT or group not in written:
            written.add(group)
            parts.append(text)
            continue
        defined[group] = f"(?i:{text})" if blind[m.start()] else text
        parts.append(f"(?&{group})")
    parts.append(pattern[last:])
    if not defined:
        return "".join(parts)
    define = "".join(f"(?<{g}>{t})" for g, t in sorted(defined.items()))
    return f"(?:{''.join(parts)})(?(DEFINE){define})"
