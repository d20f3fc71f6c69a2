"""The machinery of the page-by-page check: what to read from a page and what counts as wrong.

``crawler`` walks the pages; this module knows the catalogues (which strings belong to one
language only), the data (strings that are names, not interface), the scripts run in the page
and the rules that turn what they return into findings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import polib
from django.apps import apps
from django.conf import settings
from django.db import models

PACKAGE_DIR = Path(settings.LOCALE_PATHS[0]).parent
AXE_SCRIPT = (Path(__import__("axe_playwright_python").__file__).parent / "axe.min.js").read_text(
    encoding="utf-8"
)

# One script per page: the visible text, the attributes people read, the page's width and
# the links to follow. Text in an element whose ``lang`` differs from the page's (the language
# switch names each language in itself) is foreign on purpose and left out.
READ_PAGE = """
() => {
  const pageLang = document.documentElement.lang;
  const texts = [];
  const foreign = (el) => {
    const marked = el.closest('[lang]');
    return marked && marked.lang && marked.lang !== pageLang;
  };
  const skipped = 'script,style,template,noscript,textarea';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const text = node.nodeValue.replace(/\\s+/g, ' ').trim();
    const el = node.parentElement;
    if (!text || !el || el.closest(skipped) || foreign(el)) continue;
    if (el.tagName === 'OPTION') {
      if (!el.selected) continue;
    } else if (!el.checkVisibility({visibilityProperty: true, opacityProperty: false})) {
      continue;
    }
    texts.push({text: text, tag: el.tagName.toLowerCase(),
                code: !!el.closest('pre,code,kbd,samp')});
  }
  const attributes = 'placeholder,aria-label,title,alt';
  for (const el of document.body.querySelectorAll(
      '[placeholder],[aria-label],[title],img[alt],input[type=submit],input[type=button]')) {
    if (foreign(el)) continue;
    for (const name of attributes.split(',')) {
      const value = (el.getAttribute(name) || '').trim();
      if (value) texts.push({text: value, tag: el.tagName.toLowerCase() + '@' + name,
                             code: false});
    }
    if (el.tagName === 'INPUT' && el.value) {
      texts.push({text: el.value.trim(), tag: 'input@value', code: false});
    }
  }
  const links = Array.from(document.querySelectorAll('a[href]'), (a) => a.href);
  return {
    texts: texts,
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    links: links,
  };
}
"""

# axe-core once per page; violations, and the colour-contrast items it could not decide on a
# button or a link (white on a transparent background is one: the ticket's invisible buttons).
# Its argument: null for every rule, or the list of rules to run.
RUN_AXE = """
async (only) => {
  const options = {resultTypes: ['violations', 'incomplete']};
  if (only) options.runOnly = {type: 'rule', values: only};
  const results = await axe.run(document, options);
  const violations = results.violations.map((rule) => ({
    id: rule.id,
    impact: rule.impact,
    count: rule.nodes.length,
    targets: rule.nodes.slice(0, 4).map((n) => n.target.join(' ')),
  }));
  const contrast = [];
  for (const rule of results.incomplete) {
    if (rule.id !== 'color-contrast') continue;
    for (const n of rule.nodes) {
      const el = document.querySelector(n.target[n.target.length - 1]);
      const control = el && el.closest(
        'a[href],button,[role=button],input[type=submit],input[type=button],summary');
      if (!control) continue;
      const reason = (n.any[0] && n.any[0].data && n.any[0].data.messageKey) || 'unknown';
      contrast.push(n.target.join(' ') + ' (' + reason + ')');
    }
  }
  return {violations: violations, contrast: contrast};
}
"""

# What axe checks does not depend on the page's language, but for the language attributes:
# every rule runs in French (at both sizes, since layout changes what is visible, scrollable
# and overlapping); the English pass runs only these. Half of the crawl's axe time, with the
# same findings: axe reads colours, names, roles and structure, not the words.
AXE_LANGUAGE_RULES = ("html-has-lang", "html-lang-valid", "html-xml-lang-mismatch", "valid-lang")
AXE_EVERY_RULE_IN = "fr"

_PLACEHOLDER = re.compile(r"%\([^)]+\)[sdif]|%[sdif]|\{[^}]*\}")
ISO_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
# A bare date, not inside a longer token (agents' device ids end with their install date).
ISO_DATE = re.compile(r"(?<![\w-])\d{4}-\d{2}-\d{2}(?![\w-])")
# Python reprs that can only come from a value printed as is, in any language.
REPR_ANYWHERE = re.compile(r"object at 0x|<QuerySet|QuerySet \[|\{'|(?<!\S)\[\](?!\S)")
# ``None``, ``True`` and ``False`` are English words too: on French pages they are reprs
# wherever they stand; on English pages ``True`` and ``False`` only as a whole value, and
# ``None`` not at all ("None" is an interface string there; the French pass finds the repr).
REPR_WORD = re.compile(r"(?<![\w'])(None|True|False)(?![\w'])")
REPR_VALUE_EN = {"True", "False"}


@dataclass
class Phrases:
    """Interface strings of one language only, as exact strings and as patterns."""

    exact: set[str] = field(default_factory=set)
    patterns: list[re.Pattern[str]] = field(default_factory=list)

    def add(self, text: str) -> None:
        text = " ".join(text.split())
        if not _PLACEHOLDER.search(text):
            if sum(c.isalpha() for c in text) >= 2:
                self.exact.add(text)
            return
        literal = _PLACEHOLDER.sub("", text)
        # A pattern made mostly of placeholders would match any text.
        if sum(c.isalpha() for c in literal) < 6:
            return
        parts = _PLACEHOLDER.split(text)
        self.patterns.append(re.compile(".+?".join(re.escape(part) for part in parts)))

    def match(self, text: str) -> str | None:
        for candidate in (text, text.rstrip(" :")):
            if candidate in self.exact:
                return candidate
        for pattern in self.patterns:
            if pattern.fullmatch(text):
                return pattern.pattern
        return None


def catalogue_phrases() -> dict[str, Phrases]:
    """For each language, the strings that may only appear on pages in the other one.

    English msgids whose French differs must not show on French pages, and their French
    translations must not show on English pages. A string that is both an English msgid and a
    French translation somewhere ("Service", "Date") belongs to both and is left out.
    """
    pairs: set[tuple[str, str]] = set()
    for po_path in sorted(PACKAGE_DIR.glob("**/locale/fr/LC_MESSAGES/django.po")):
        for entry in polib.pofile(str(po_path)).translated_entries():
            if entry.msgid_plural:
                forms = entry.msgstr_plural
                pairs.add((entry.msgid, forms.get(0, "")))
                pairs.add((entry.msgid_plural, forms.get(1, forms.get(0, ""))))
            else:
                pairs.add((entry.msgid, entry.msgstr))
    english = {" ".join(en.split()) for en, _fr in pairs}
    french = {" ".join(fr.split()) for _en, fr in pairs}
    phrases = {"fr": Phrases(), "en": Phrases()}
    for en, fr in pairs:
        en, fr = " ".join(en.split()), " ".join(fr.split())
        if not fr or en == fr:
            continue
        if en not in french:
            phrases["fr"].add(en)  # English text, wrong on a French page
        if fr not in english:
            phrases["en"].add(fr)  # French text, wrong on an English page
    return phrases


def data_strings() -> set[str]:
    """Every short text stored in the database: names of sites, people, rooms… are data."""
    values: set[str] = set()
    for model in apps.get_models():
        names = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField) and not f.choices
        ]
        if not names:
            continue
        for row in model._default_manager.values_list(*names):
            values.update(" ".join(str(v).split()) for v in row if v and len(str(v)) < 200)
    return values


@dataclass(frozen=True)
class Finding:
    """One thing wrong with one page, seen by one role in one language at one size."""

    role: str
    lang: str
    size: str
    page: str
    url: str
    reason: str

    def __str__(self) -> str:
        return (
            f"{self.role:<13} {self.lang}-{self.size:<8} {self.page:<38} {self.url}  {self.reason}"
        )


def text_findings(
    texts: list[dict[str, object]], *, lang: str, phrases: Phrases, data: set[str]
) -> list[str]:
    """The other language, ISO timestamps and Python reprs in what the page shows."""
    reasons: list[str] = []
    seen: set[str] = set()

    def report(reason: str) -> None:
        if reason not in seen:
            seen.add(reason)
            reasons.append(reason)

    for item in texts:
        text = str(item["text"])
        tag = str(item["tag"])
        if text not in data:
            other = phrases.match(text)
            if other is not None:
                report(f"text in the other language: {text!r} ({tag})")
        if tag == "input@value":
            continue  # a button's label: checked above; dates in inputs are allowed
        if ISO_TIMESTAMP.search(text) or ISO_DATE.search(text):
            report(f"ISO date in the text: {text[:80]!r} ({tag})")
        french_word = lang == "fr" and REPR_WORD.search(text) and text not in data
        if REPR_ANYWHERE.search(text) or french_word or text in REPR_VALUE_EN:
            report(f"Python repr in the text: {text[:80]!r} ({tag})")
    return reasons
