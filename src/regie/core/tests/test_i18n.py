"""The French catalogue is complete, and the compiled catalogues match their sources."""

from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
LANGUAGES = ["fr", "en"]


def _po(language):
    return polib.pofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.po"))


def _mo(language):
    return polib.mofile(str(LOCALE_DIR / language / "LC_MESSAGES" / "django.mo"))


def _compiled(entry):
    """Whether msgfmt puts this .po entry in the .mo (the header is compared apart)."""
    if not entry.msgid or entry.obsolete or "fuzzy" in entry.flags:
        return False
    return bool(entry.msgstr) or bool(entry.msgstr_plural and all(entry.msgstr_plural.values()))


def _entries(entries):
    return {
        (entry.msgctxt, entry.msgid, entry.msgid_plural): (
            entry.msgstr,
            tuple(sorted((int(k), v) for k, v in entry.msgstr_plural.items())),
        )
        for entry in entries
    }


def test_french_catalogue_has_no_untranslated_or_fuzzy_entry():
    po = _po("fr")
    assert [entry.msgid for entry in po.untranslated_entries()] == []
    assert [entry.msgid for entry in po.fuzzy_entries()] == []
    assert not po.metadata_is_fuzzy
    assert po.metadata["Plural-Forms"] == "nplurals=2; plural=(n > 1);"


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_its_source(language):
    compiled = [entry for entry in _mo(language) if entry.msgid]
    source = [entry for entry in _po(language) if _compiled(entry)]
    assert _entries(compiled) == _entries(source)


def test_model_choice_labels_are_french_by_default():
    from regie.assets.models import AssetStatus

    assert str(AssetStatus.IN_SERVICE.label) == "En service"
    assert str(AssetStatus.LOST.label) == "Perdu ou volé"
