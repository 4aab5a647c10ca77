"""Who may be with the children: staff members and clearances learned from team and placements."""
