"""One parser per agent protocol, all producing ``report.InventoryReport``."""
