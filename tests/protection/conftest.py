import pytest
import time_machine
from django.utils import timezone


@pytest.fixture
def mid_window():
    """Run in the middle of an hour (and of a minute), so fixed-window rate limits cannot roll over
    half-way through a test; the clock still ticks."""
    with time_machine.travel(timezone.now().replace(minute=30, second=5, microsecond=0), tick=True):
        yield
