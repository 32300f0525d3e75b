"""``keras.Model`` and ``keras.Sequential``."""
