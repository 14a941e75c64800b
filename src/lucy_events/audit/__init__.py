"""The auditor's side: the hash chain over the stored events, its checkpoints and its
verification, and the exports of a client's history."""
