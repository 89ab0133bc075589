"""The feedback API (DESIGN.md §4.3): one router per sub-domain, added in config/api.py."""
