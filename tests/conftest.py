"""Shared test set-up. Keep fixtures that only one test file needs in that file."""
