"""Staff match runs: top-k recommendations for a set of people, recorded as cases."""
