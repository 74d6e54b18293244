"""Runner Strength: an Alexa skill that coaches runners through strength circuits hands-free."""
