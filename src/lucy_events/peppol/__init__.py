"""Peppol: safe UBL parsing, validation with the official rules, participant lookups.

Shared by intake (documents received over Peppol), recognition (the UBL method) and
invoicing (invoices sent over Peppol).
"""
