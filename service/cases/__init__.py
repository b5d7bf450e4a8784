"""Casework: service promises (101, 30-day, 311), the staff queue, three-colour screening."""
