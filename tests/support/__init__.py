"""What tests and benchmarks share: Alexa envelopes, servers, the virtual-alexa client, fuzzers, clocks, the
test CA, skills on a fixed clock, and generated workouts. Nothing here is a test, and nothing imports a test."""
