"""Reporting periods as rows, each agency's submission and report items, assigned tasks, and what an agency owes."""
