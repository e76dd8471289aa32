"""Widgets shared by the tabs and dialogs: tables, list tabs, previews, editors."""
