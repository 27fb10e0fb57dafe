"""`-m "not browser"` (README.md) must leave out every browser test, or the quick run is not quick."""


def test_every_test_under_tests_browser_is_marked_browser(request):
    # Only what this run collected: under -m "not browser" an unmarked browser test is still here.
    unmarked = [
        item.nodeid
        for item in request.session.items
        if item.nodeid.startswith("tests/browser/") and item.get_closest_marker("browser") is None
    ]
    assert unmarked == [], "mark these with pytest.mark.browser (pytestmark = pytest.mark.browser)"
