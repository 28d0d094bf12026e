"""People, their messenger accounts and invites; joining, linking accounts, personal data (Law 91/2025/QH15), reachability and nightly housekeeping."""
