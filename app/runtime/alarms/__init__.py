"""The bot speaks first: alarm evaluation and escalation (engine), the "while the bot was
offline" summary (offline_summary), schedule runs (schedules) and the loop that drives them
(ticker). Each message is queued through the outbox with its alarm events as typed rows, never
parsed back out of its text."""
