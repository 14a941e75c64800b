"""Reading documents: their type and key fields, from UBL, Factur-X, PDF text or OCR.

Extraction is pure functions over bytes (``pipeline.recognise``); the worker that records
what was read as ``DocumentRecognised`` is a consumer like the others.
"""
