"""Sales invoicing: a client's invoice settings, its invoices and credit notes issued as
Peppol BIS Billing 3.0 UBL with a PDF, validated with the official rules before issue."""
