"""Lookups keep answering, from another connection in a real thread, while a pack is re-imported."""

import threading

import pytest
from django.db import connection

from groundswell.geography import actions, queries
from tests.geography.packs import CONSTITUENCIES, MEMBERS, write_pack


def _many_postcodes():
    """About 30,000 valid postcodes in Guildford (GU1…GU9), so that an import takes a while."""
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    return [
        (f"GU{d} {n}{a}{b}", "E14001234")
        for d in range(1, 10) for n in range(1, 10) for a in letters for b in letters
    ]


@pytest.mark.django_db(transaction=True)
def test_lookups_answer_throughout_a_reimport(tmp_path):
    postcodes = _many_postcodes()
    actions.import_pack(directory=write_pack(tmp_path / "first", postcodes=postcodes))
    moved = [(p, "E14001063") for p, _ in postcodes]  # every postcode moves to Aldershot
    second = write_pack(tmp_path / "second", constituencies=CONSTITUENCIES, members=MEMBERS, postcodes=moved)

    answers, errors, done = [], [], threading.Event()

    def keep_looking_up():
        try:
            while not done.is_set():
                found = queries.lookup_postcode("GU5 5AB")
                answers.append(found.name if found else None)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    reader = threading.Thread(target=keep_looking_up)
    reader.start()
    try:
        actions.import_pack(directory=second)
    finally:
        done.set()
        reader.join(timeout=30)
    assert not errors, errors
    assert answers, "the reader never ran"
    assert None not in answers  # never a miss: the old set answered until the new one took over
    assert set(answers) <= {"Guildford", "Aldershot"}
    assert queries.lookup_postcode("GU5 5AB").name == "Aldershot"
