"""Pure training logic: the exercise catalog, the circuit builder, the workout cursor, the runner's record.

Nothing here knows about Alexa, HTTP or storage.
"""
