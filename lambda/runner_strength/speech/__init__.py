"""Turns what happens in a workout into speech: the SSML builder, the locale files and the coach's lines."""
