"""Test harnesses: ``op_test`` (OpCase records), ``gradient_check`` (numeric gradients)."""
