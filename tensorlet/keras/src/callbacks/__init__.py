"""``keras.callbacks``."""

from tensorlet.keras.src.callbacks.callback import Callback
from tensorlet.keras.src.callbacks.callback_list import CallbackList
from tensorlet.keras.src.callbacks.csv_logger import CSVLogger
from tensorlet.keras.src.callbacks.early_stopping import EarlyStopping
from tensorlet.keras.src.callbacks.history import History
from tensorlet.keras.src.callbacks.lambda_callback import LambdaCallback
from tensorlet.keras.src.callbacks.learning_rate_scheduler import LearningRateScheduler
from tensorlet.keras.src.callbacks.model_checkpoint import ModelCheckpoint
from tensorlet.keras.src.callbacks.progbar_logger import ProgbarLogger
from tensorlet.keras.src.callbacks.reduce_lr_on_plateau import ReduceLROnPlateau
from tensorlet.keras.src.callbacks.tensorboard import TensorBoard
from tensorlet.keras.src.callbacks.terminate_on_nan import TerminateOnNaN

__all__ = [
    "CSVLogger",
    "Callback",
    "CallbackList",
    "EarlyStopping",
    "History",
    "LambdaCallback",
    "LearningRateScheduler",
    "ModelCheckpoint",
    "ProgbarLogger",
    "ReduceLROnPlateau",
    "TerminateOnNaN",
]
