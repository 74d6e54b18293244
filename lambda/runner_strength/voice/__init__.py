"""The conversation: ask-sdk handlers and interceptors, one module per conversational area."""
