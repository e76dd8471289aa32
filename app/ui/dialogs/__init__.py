"""The dialogs: one form pattern (form.py) and one module per form."""
