"""``keras.utils.Progbar``: the progress bar ``fit``/``evaluate``/``predict`` print.

The text is Keras 3's, escapes included (bold step counter, green/white bar of ``━``,
``\\b``/``\\r`` redraws): ``94/94 ━━━━━━━━━━━━━━━━━━━━ 1s 1ms/step - accuracy: 0.5097 - loss:
1.6262``. Metric values are averaged over the steps unless listed in ``stateful_metrics``
(Keras' trainers report running means already, so its ProgbarLogger shows them as given at the
end of an epoch).
"""

import math
import os
import sys
import time

from tensorlet.backend import xp
from tensorlet.framework.export import keras_export
from tensorlet.keras.src.utils import io_utils


@keras_export("keras.utils.Progbar")
class Progbar:
    """Displays a progress bar.

    Args:
        target: total number of steps expected, None if unknown.
        width: bar width in characters.
        verbose: 0 (silent), 1 (bar), 2 (one line at the end).
        interval: minimum seconds between redraws.
        stateful_metrics: names shown as given instead of averaged over steps.
        unit_name: ``"step"`` or ``"sample"``.
    """

    def __init__(
        self,
        target,
        width=20,
        verbose=1,
        interval=0.05,
        stateful_metrics=None,
        unit_name="step",
    ):
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.unit_name = unit_name
        self.stateful_metrics = set(stateful_metrics) if stateful_metrics else set()
        self._dynamic_display = (
            (hasattr(sys.stdout, "isatty") and sys.stdout.isatty())
            or "ipykernel" in sys.modules
            or "posix" in sys.modules
            or "PYCHARM_HOSTED" in os.environ
        )
        self._seen_so_far = 0
        self._values = {}
        self._values_order = []
        self._start = time.time()
        self._last_update = 0
        self._time_after_first_step = None
        self._prev_total_width = 0

    def update(self, current, values=None, finalize=None):
        """Moves the bar to step ``current`` with ``values``: ``[(name, value), ...]``."""
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        for k, v in values or []:
            if k not in self._values_order:
                self._values_order.append(k)
            if k in self.stateful_metrics or finalize:
                self._values[k] = [v, 1]
            else:
                base = max(current - self._seen_so_far, 1)
                if k not in self._values:
                    self._values[k] = [v * base, base]
                else:
                    self._values[k][0] += v * base
                    self._values[k][1] += base
        self._seen_so_far = current
        now = time.time()
        time_per_unit = self._estimate_step_duration(current, now)

        if self.verbose == 1:
            if now - self._last_update < self.interval and not finalize:
                return
            message = ("\b" * self._prev_total_width + "\r") if self._dynamic_display else "\n"
            special = 0
            if self.target is not None and self.target > 0:
                digits = int(math.log10(self.target)) + 1
                bar = f"\x1b[1m{current:{digits}d}/{self.target}\x1b[0m "
                special += 8
                filled = int(self.width * float(current) / self.target)
                if filled > 0:
                    bar += f"\33[32m{'━' * filled}\x1b[0m"
                    special += 9
                bar += f"\33[37m{'━' * (self.width - filled)}\x1b[0m"
                special += 9
            else:
                bar = "%7d/Unknown" % current
            message += bar
            if self.target is not None and self.target > 0 and not finalize:
                eta = time_per_unit * (self.target - current)
                if eta > 3600:
                    eta_text = "%d:%02d:%02d" % (eta // 3600, (eta % 3600) // 60, eta % 60)
                elif eta > 60:
                    eta_text = "%d:%02d" % (eta // 60, eta % 60)
                else:
                    eta_text = "%ds" % eta
                info = f" \x1b[1m{eta_text}\x1b[0m"
            else:
                info = f" \x1b[1m{now - self._start:.0f}s\x1b[0m"
            special += 8
            info += self._format_time(time_per_unit)
            for k in self._values_order:
                info += f" - {k}:" + self._format_value(self._values[k])
            message += info
            total_width = len(bar) + len(info) - special
            if self._prev_total_width > total_width:
                message += " " * (self._prev_total_width - total_width)
            if finalize:
                message += "\n"
            io_utils.print_msg(message, line_break=False)
            self._prev_total_width = total_width
        elif self.verbose == 2 and finalize and self.target is not None and self.target > 0:
            digits = int(math.log10(self.target)) + 1
            info = f"{current:{digits}d}/{self.target} - {now - self._start:.0f}s"
            info += " -" + self._format_time(time_per_unit)
            for k in self._values_order:
                info += f" - {k}:" + self._format_value(self._values[k], signed=False)
            io_utils.print_msg(info + "\n", line_break=False)
        self._last_update = now

    def add(self, n, values=None):
        self.update(self._seen_so_far + n, values)

    @staticmethod
    def _format_value(entry, signed=True):
        total, count = entry
        if not isinstance(total, float):
            total = float(xp.mean(xp.asarray(total)))
        avg = total / max(1, count)
        big = abs(avg) > 1e-3 if signed else avg > 1e-3
        return f" {avg:.4f}" if big else f" {avg:.4e}"

    def _format_time(self, time_per_unit):
        unit = self.unit_name
        if time_per_unit >= 1 or time_per_unit == 0:
            return f" {time_per_unit:.0f}s/{unit}"
        if time_per_unit >= 1e-3:
            return f" {time_per_unit * 1000.0:.0f}ms/{unit}"
        return f" {time_per_unit * 1000000.0:.0f}us/{unit}"

    def _estimate_step_duration(self, current, now):
        """Seconds per step, leaving out the (compile-heavy) first step once there are more."""
        if not current:
            return 0
        if self._time_after_first_step is not None and current > 1:
            per = (now - self._time_after_first_step) / (current - 1)
        else:
            per = (now - self._start) / current
        if current == 1:
            self._time_after_first_step = now
        return per
