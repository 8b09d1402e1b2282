"""Reading the news, works notices and events aloud on the box: the voice (voice.py) and
the pass that speaks what is new and forgets what is gone (refresh.py)."""
