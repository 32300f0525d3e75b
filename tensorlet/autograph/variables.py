"""Special values of converted code: undefined variables and undefined return values."""


class Undefined:
    """The value of a variable that may not be defined yet (``ag__.Undefined('x')``).

    Reading it through ``ld`` raises Python's ``UnboundLocalError``; staged control flow reports
    TF's "must be defined before the loop" / "must also be initialized in the else branch".
    """

    __slots__ = ("symbol_name",)

    def __init__(self, symbol_name):
        self.symbol_name = symbol_name

    def read(self):
        raise UnboundLocalError(f"'{self.symbol_name}' is used before assignment")

    def __repr__(self):
        return self.symbol_name

    def __getattribute__(self, name):
        try:
            return object.__getattribute__(self, name)
        except AttributeError:
            return self

    def __getitem__(self, i):
        return self


class UndefinedReturnValue:
    """The return value of a converted function before any ``return`` ran."""


def ld(v):
    """Loads a variable: an ``Undefined`` one raises ``UnboundLocalError``."""
    if isinstance(v, Undefined):
        return v.read()
    return v


def ldu(load_v, name):
    """Loads a variable that may be unbound, giving ``Undefined(name)`` instead of an error."""
    try:
        return load_v()
    except (KeyError, AttributeError, NameError):
        return Undefined(name)
