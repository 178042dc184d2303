"""Fakes of remote services (never of briefbot's own code), served on loopback."""
