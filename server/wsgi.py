"""WSGI entry point for granian (``krm serve``): settings from KRM_* variables."""

from server import create_app

app = create_app()
