"""``keras.utils`` console output: ``print_msg`` and the interactive-logging switch."""

import logging
import sys
import threading

from tensorlet.framework.export import keras_export

_state = threading.local()


@keras_export("keras.config.enable_interactive_logging", "keras.utils.enable_interactive_logging")
def enable_interactive_logging():
    """Progress bars and messages go to ``sys.stdout`` (the default)."""
    _state.interactive = True


@keras_export(
    "keras.config.disable_interactive_logging", "keras.utils.disable_interactive_logging"
)
def disable_interactive_logging():
    """Messages go to Python logging (``logging.info``) instead of ``sys.stdout``."""
    _state.interactive = False


@keras_export(
    "keras.config.is_interactive_logging_enabled", "keras.utils.is_interactive_logging_enabled"
)
def is_interactive_logging_enabled():
    return getattr(_state, "interactive", True)


def print_msg(message, line_break=True):
    """Writes ``message`` to stdout (or logs it when interactive logging is disabled)."""
    message = str(message)
    if is_interactive_logging_enabled():
        sys.stdout.write(message + "\n" if line_break else message)
        sys.stdout.flush()
    else:
        logging.info(message)
