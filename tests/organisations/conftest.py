import pytest

from tests.factories import BestuurFactory, StadsdeelFactory, UserFactory, WijkFactory


@pytest.fixture
def register(db):
    """Two wijken and three besturen; no schools yet."""
    oost = StadsdeelFactory(name="Stad Oost")
    wijken = [
        WijkFactory(name="Stad 1", stadsdeel=oost),
        WijkFactory(name="Stad 2", stadsdeel=oost),
    ]
    besturen = [
        BestuurFactory(bevoegd_gezag_nummer=number, name=f"Stichting {number}")
        for number in ("41001", "41002", "41003")
    ]
    return {"wijken": wijken, "besturen": besturen}


@pytest.fixture
def staff_user(db):
    return UserFactory(email="registerbeheer@example.org", role="staff")
