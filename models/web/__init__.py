"""What the web layer needs below `bot/`: signed, expiring links to one person's files and
their use log, and the Telegram Mini App's initData check."""
