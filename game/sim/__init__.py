"""Headless play: runs, order logs, replays and batches."""
