"""Every message the system sends on its own: the outbox rows, how they are written and claimed, and the group chats they go to."""
