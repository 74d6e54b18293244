"""The conversation kernel: the Turn and its replies, when the runner's record is read and written, the
registry of pending questions, and slots. It imports nothing from voice/areas/."""
