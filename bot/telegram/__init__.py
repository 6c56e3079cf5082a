"""The Telegram front end (python-telegram-bot v22): wiring, handlers, keyboards. No business
rule lives here: handlers turn updates into interview calls and outcomes into messages."""
