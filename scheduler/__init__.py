"""The cycles that run the regulation: periods opening and closing, reminders and
escalations, digests to groups, recurring events. Jobs write outbox rows; the database,
not a job store, is the source of truth."""
