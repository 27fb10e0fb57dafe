import pytest

from groundswell.geography import actions
from tests.geography.packs import write_pack


@pytest.fixture
def small_pack(tmp_path):
    return write_pack(tmp_path / "pack")


@pytest.fixture
def imported_pack(db, small_pack):
    """The small pack, imported and active."""
    actions.import_pack(directory=small_pack)
    return small_pack
