"""The installed package must not need anything only the tests install."""

import ast
from pathlib import Path

import groundswell

# Installed by the `test` extra only (pyproject.toml); a module importing one would break a
# production install the moment it is loaded.
TEST_ONLY = {"aiosmtpd", "pytest", "pytest_django", "playwright", "axe_playwright_python", "time_machine", "tests"}


def _imported_top_level_names(path: Path):
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module.split(".")[0]


def test_no_module_of_the_package_imports_a_test_only_dependency():
    package = Path(groundswell.__file__).parent
    offenders = {
        f"{path.relative_to(package.parent)} imports {name}"
        for path in package.rglob("*.py")
        for name in _imported_top_level_names(path)
        if name in TEST_ONLY
    }
    assert not offenders, sorted(offenders)
