"""AWS Lambda code root: Lambda calls `lambda_handler`. The warm-up runs here, in Lambda's init phase."""

from runner_strength.hosting.lambda_entry import handle as lambda_handler
from runner_strength.hosting.lambda_entry import warm_up

warm_up()

__all__ = ["lambda_handler"]
