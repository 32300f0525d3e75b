"""Objects whose state is saved to and reloaded from a JSON file."""

import json


class Stateful:
    """Base of the objects kept in a tuner's project directory (oracle, trials, tuner)."""

    def get_state(self):
        """A JSON-serializable dict describing this object."""
        raise NotImplementedError

    def set_state(self, state):
        """Restores this object from a ``get_state()`` dict."""
        raise NotImplementedError

    def save(self, fname):
        """Writes ``get_state()`` as compact JSON to ``fname``; returns the path."""
        text = json.dumps(self.get_state())
        with open(fname, "w") as f:
            f.write(text)
        return str(fname)

    def reload(self, fname):
        """Restores the state written by ``save(fname)``."""
        with open(fname) as f:
            self.set_state(json.loads(f.read()))
