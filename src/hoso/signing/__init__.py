"""Digital signatures: signer backends, PAdES, detached JSON signatures, verification."""
