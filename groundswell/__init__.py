"""Groundswell: a self-hosted campaign platform for grassroots coalitions."""

__version__ = "0.1.0"
