from regie.inventory.bench_parse import measure_parsing


def test_measure_parsing_reports_a_median_per_protocol():
    medians = measure_parsing(repeat=3)

    assert set(medians) == {"glpi-json", "fusion-xml", "ocs-xml"}
    assert all(median > 0 for median in medians.values())
