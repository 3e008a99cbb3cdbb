"""End-to-end tests: a real Home Assistant driven through its web interface."""
