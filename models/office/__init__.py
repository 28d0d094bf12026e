"""What the LHH office reads and sends: the board of a period, the roster, targets and tasks, chases and broadcasts, the consolidated report."""
