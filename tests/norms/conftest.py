import pytest

from selfscan.norms.models import NormVersion
from tests.norms.samples import V1, load_shipped, source


@pytest.fixture
def anb(db):
    """The shipped ANB 2024 and 2025, loaded."""
    load_shipped()
    return {
        "2024": NormVersion.objects.get(norm__key="anb", label="2024"),
        "2025": NormVersion.objects.get(norm__key="anb", label="2025"),
    }


@pytest.fixture
def testnorm_v1(db):
    from selfscan.norms.services import load_norm_files

    report = load_norm_files([source(V1, "v1.yaml")])
    assert report.errors == []
    return report.versions[0]
