"""The backend layer of tensorlet's Keras: settings, dtypes, variables, name scopes, KerasTensor.

Keras 3 has several backends; tensorlet's Keras has one, written on tensorlet's public TF API
(Keras' TensorFlow backend). Modules above this package import it as ``backend``.
"""

from tensorlet.keras.src.backend import global_state  # noqa: F401  (first: no dependencies)
from tensorlet.keras.src.backend.config import (  # noqa: F401
    backend,
    epsilon,
    floatx,
    image_data_format,
    set_epsilon,
    set_floatx,
    set_image_data_format,
    standardize_data_format,
)
from tensorlet.keras.src.backend.core import (  # noqa: F401
    cast,
    convert_to_tensor,
    init_scope,
    is_tensor,
    standardize_shape,
)
from tensorlet.keras.src.backend.dtypes import (  # noqa: F401
    is_float_dtype,
    is_int_dtype,
    result_type,
    standardize_dtype,
)
from tensorlet.keras.src.backend.global_state import clear_session  # noqa: F401
from tensorlet.keras.src.backend.keras_tensor import (  # noqa: F401
    KerasTensor,
    any_symbolic_tensors,
    is_keras_tensor,
)
from tensorlet.keras.src.backend.name_scope import current_path, name_scope  # noqa: F401
from tensorlet.keras.src.backend.output_spec import compute_output_spec  # noqa: F401
from tensorlet.keras.src.backend.variables import Variable, is_variable  # noqa: F401
