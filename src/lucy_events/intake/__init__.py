"""How documents arrive: the client's inbox address (SMTP), upload, Peppol, the vault.

I/O lives at the edges (the SMTP server, the HTTP endpoints); what to accept, refuse or
quarantine is decided by pure functions beside them.
"""
