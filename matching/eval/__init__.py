"""Evaluation of the matching engine against labelled data (metrics, baselines, reports)."""
