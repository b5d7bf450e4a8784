"""The figures planners watch: supply and demand, priority groups, zeroing, station workload,
three-colour counts and early warning; each as JSON or CSV for the caller's scope."""
