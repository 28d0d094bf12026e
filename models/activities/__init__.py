"""Coordination activities agencies register (seed 000, Điều 3–4), their partners and attached files."""
