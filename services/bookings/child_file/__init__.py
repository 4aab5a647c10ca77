"""The child's file: its health file, the adults allowed to collect it, the incident register."""
