"""A test-only app with a periodic job every second (see periodic_settings)."""
