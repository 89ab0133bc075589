"""The feedback app's pages, one module per sub-domain."""
