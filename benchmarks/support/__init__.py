"""What the benchmarks share: seeding and timing helpers, the bench settings and URLs."""
