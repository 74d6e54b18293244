"""AWS Lambda code root: Lambda calls `lambda_handler`."""

from runner_strength.hosting.lambda_entry import handle as lambda_handler

__all__ = ["lambda_handler"]
