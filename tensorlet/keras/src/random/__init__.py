"""``keras.random``: seeded random draws and ``SeedGenerator``."""
