"""The Welsh catalogue is complete for public pages, has no fuzzy guesses, and the compiled .mo
that ships in the package says exactly what the .po says."""

import gettext
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import groundswell
from tests.i18n.catalogue import WELSH_PO, is_public, welsh_entries

PLURAL_FORMS = "nplurals=6; plural=(n==0) ? 0 : (n==1) ? 1 : (n==2) ? 2 : (n==3) ? 3 : (n==6) ? 4 : 5;"


def test_the_welsh_catalogue_uses_welsh_plural_forms():
    text = WELSH_PO.read_text(encoding="utf-8")
    assert f'"Plural-Forms: {PLURAL_FORMS}\\n"' in text
    assert '"Language: cy\\n"' in text


def test_every_string_a_public_page_uses_is_translated_and_none_is_fuzzy():
    entries = welsh_entries()
    assert len(entries) > 800  # the whole platform, not a sample
    untranslated = [entry.msgid for entry in entries if is_public(entry) and not entry.translated]
    fuzzy = [entry.msgid for entry in entries if entry.fuzzy]
    assert not untranslated, f"{len(untranslated)} public strings have no Welsh yet: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy (guessed) Welsh needs a person to check it: {fuzzy[:10]}"


def test_plural_entries_have_all_six_welsh_forms():
    short = [entry.msgid for entry in welsh_entries() if entry.msgid_plural and is_public(entry) and sorted(entry.msgstr) != list(range(6))]
    assert not short, short[:10]


def test_the_compiled_catalogue_is_current():
    """groundswell/locale/cy/LC_MESSAGES/django.mo holds every translation of the .po, word for
    word: run `groundswell compilemessages` after changing the .po."""
    with open(WELSH_PO.with_suffix(".mo"), "rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    stale = []
    for entry in welsh_entries():
        if not entry.translated:
            continue
        if entry.msgid_plural:
            for n, expected in ((0, 0), (1, 1), (2, 2), (3, 3), (6, 4), (7, 5)):
                if catalogue.ngettext(entry.msgid, entry.msgid_plural, n) != entry.msgstr[expected]:
                    stale.append(entry.msgid)
                    break
        elif catalogue.gettext(entry.msgid) != entry.msgstr[0]:
            stale.append(entry.msgid)
    assert not stale, f"the .mo is older than the .po ({len(stale)} entries): {stale[:5]}"


def test_the_compiled_catalogue_ships_in_the_package():
    package = Path(groundswell.__file__).parent
    pyproject = tomllib.loads((package.parent / "pyproject.toml").read_text())
    patterns = pyproject["tool"]["setuptools"]["package-data"]["*"]
    mo = WELSH_PO.with_suffix(".mo").relative_to(package).as_posix()
    assert any(fnmatch(mo, pattern.replace("**/", "*/")) or fnmatch(mo, pattern) for pattern in patterns), patterns
