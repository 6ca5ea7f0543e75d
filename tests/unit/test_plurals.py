"""Plural forms by each language's CLDR rules (issue 12, finding 7: "etwa 1 Minuten").

kiosk.core.plurals is a small table so the kiosk's cold start does not import Babel; here every
whole number up to 10000 is checked against Babel's CLDR data, and check-config must name a
plural form a language file leaves out.
"""

from __future__ import annotations

import pytest

from kiosk.cli import main
from kiosk.core.plurals import RULES, category, needed_categories
from tests.config_copy import copy_shipped, edit

babel = pytest.importorskip("babel", reason="Babel is a test dependency (pyproject [test])")


@pytest.mark.parametrize("lang", sorted(RULES))
def test_the_table_agrees_with_cldr(lang):
    from babel import Locale

    plural = Locale.parse(lang).plural_form
    wrong = [
        (n, category(lang, n), plural(n)) for n in range(10001) if category(lang, n) != plural(n)
    ]
    assert wrong == []
    assert set(needed_categories(lang)) == set(plural.tags) | {"other"}


def test_a_language_without_rules_has_only_other():
    assert category("xx", 1) == "other"
    assert needed_categories("xx") == ("other",)


def test_check_config_names_a_missing_plural_form(tmp_path, capsys):
    folder = copy_shipped(tmp_path)
    edit(folder, "lang/uk.toml", r"^wait_estimate\.few = .*\n", "", regex=True)
    assert main(["check-config", "--config", str(folder)]) == 2
    out = capsys.readouterr()
    shown = out.out + out.err
    assert "lang/uk.toml" in shown and "visitor.wait_estimate.few" in shown
    assert "one, few, many, other" in shown


def test_check_config_warns_about_one_text_for_every_number(tmp_path, capsys):
    folder = copy_shipped(tmp_path)
    edit(
        folder,
        "lang/de.toml",
        r"^wait_estimate\.one = .*\n^wait_estimate\.other = .*\n",
        'wait_estimate = "Wartezeit: etwa {minutes} Minuten"\n',
        regex=True,
    )
    assert main(["check-config", "--config", str(folder), "--now", "2026-11-30T13:00"]) == 0
    out = capsys.readouterr()
    assert "visitor.wait_estimate" in out.out + out.err
    assert "plural form (one, other)" in out.out + out.err
