"""Subcommands of the ``fpdesk`` CLI, one module each, each with ``register(subparsers)``."""
