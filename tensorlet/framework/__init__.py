"""The data model, no math: dtypes, TensorShape, Tensor, Variable, Module, errors, context, export."""
