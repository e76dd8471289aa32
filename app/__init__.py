"""WA-Integration: a WhatsApp bot that answers plant engineers with live plant data."""

__version__ = "0.1.0"
APP_NAME = "WA-Integration"
