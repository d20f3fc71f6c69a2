import pytest

from regie.assets.models import Asset
from regie.inventory.bench_applying import measure_applying


@pytest.mark.django_db(transaction=True)
def test_measure_applying_returns_the_three_medians():
    medians = measure_applying(3)

    assert set(medians) == {"first", "unchanged", "churn_2_percent"}
    assert all(value > 0 for value in medians.values())
    assert Asset.objects.count() == 3
