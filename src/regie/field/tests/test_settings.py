"""Bad route-planning settings stop start-up with a message naming the variable."""

import pytest

from regie.core.testing import start_with


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"REGIE_ROUTE_ROAD_FACTOR": "beaucoup"}, "REGIE_ROUTE_ROAD_FACTOR must be a number"),
        ({"REGIE_ROUTE_SPEED_KMH": "500"}, "REGIE_ROUTE_SPEED_KMH must be between 5.0 and 130.0"),
        ({"REGIE_ROUTE_DAY_START": "8h"}, "REGIE_ROUTE_DAY_START must be a time such as 08:00"),
        (
            {"REGIE_ROUTE_DAY_START": "18:00"},
            "REGIE_ROUTE_DAY_END must be later than REGIE_ROUTE_DAY_START",
        ),
    ],
)
def test_bad_route_settings_stop_start_up(tmp_path, env, message):
    result = start_with(tmp_path, **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_good_route_settings_are_read(tmp_path):
    result = start_with(tmp_path, REGIE_ROUTE_ROAD_FACTOR="1,4", REGIE_ROUTE_DAY_END="18:00")
    assert result.returncode == 0, result.stderr
