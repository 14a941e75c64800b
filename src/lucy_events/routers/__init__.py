"""Delivery of sent documents to the client's accounting package."""
