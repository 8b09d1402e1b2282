"""Bringing boxes and people in: dwelling rosters, access codes and their printed letters."""
