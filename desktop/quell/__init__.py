"""Quell: a tray companion for people bothered by muscle twitches."""

__version__ = "0.1.0"
APP_ID = "io.github.quellapp.Quell"
APP_NAME = "Quell"
