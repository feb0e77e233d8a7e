"""`publish resident`: an opt-in warm server that runs each `publish` call in a fresh fork.

`client.py` is what every `publish` call runs first (the standard library only); `server.py`
is the warm process and the fork that runs one call; `command.py` is `publish resident
start|stop|status`. The reasons and the limits are in README.md ("A resident server").
"""
