"""Files published to one person behind signed, expiring links (what Zalo cannot carry), and the log of their use."""
