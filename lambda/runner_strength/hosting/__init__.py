"""Running the skill: the Lambda entry and the Flask web service, both configured from the environment."""
