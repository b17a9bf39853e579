"""Tongban (通办): one network, every service."""

__version__ = "0.1.0"
