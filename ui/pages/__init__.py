"""The screens of the main window, one per ledger. Each is a ``Page``: it shows the session's snapshot."""
