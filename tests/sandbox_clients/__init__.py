"""Helpers of the sandbox tests: HTTP clients, and a node script that drives node-smsc."""
