"""Reverse-mode autodiff: GradientTape records ``apply`` calls; backprop walks them back."""
