"""Every TF op exactly once: op_def.py (OpDef, defop, apply) and one module per op family."""
