"""The catalogue of hostile and broken inputs, and the harness that runs the CLI on them."""
