"""``keras.optimizers.schedules``: learning rates as functions of the step."""
