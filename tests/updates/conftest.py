from tests.geography.conftest import imported_pack, small_pack  # noqa: F401  (the small pack, imported)
