"""Realistic accounting documents for the demo and the recognition benchmark."""
