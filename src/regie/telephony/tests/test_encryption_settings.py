"""The field encryption key: generated once beside the secret key, or given; a bad key stops
start-up naming the variable."""

from regie.core.testing import start_with


def test_a_key_is_generated_once_into_the_data_directory(tmp_path):
    assert start_with(tmp_path).returncode == 0
    key = (tmp_path / "field_encryption_key").read_bytes()
    assert len(key) == 44
    assert (tmp_path / "field_encryption_key").stat().st_mode & 0o777 == 0o600
    assert start_with(tmp_path).returncode == 0
    assert (tmp_path / "field_encryption_key").read_bytes() == key


def test_a_bad_key_stops_start_up(tmp_path):
    result = start_with(tmp_path, REGIE_FIELD_ENCRYPTION_KEY="not-a-key")
    assert result.returncode != 0
    assert "REGIE_FIELD_ENCRYPTION_KEY must be a Fernet key" in result.stderr
    assert not (tmp_path / "field_encryption_key").exists()


def test_a_bad_copper_warning_value_stops_start_up(tmp_path):
    result = start_with(tmp_path, REGIE_TELEPHONY_COPPER_WARNING_DAYS="six months")
    assert result.returncode != 0
    assert "REGIE_TELEPHONY_COPPER_WARNING_DAYS must be a whole number" in result.stderr
