"""``tf.strings.regex_replace`` and ``regex_full_match``: RE2 patterns run on Python ``re``.

RE2 syntax is translated where Python differs (POSIX classes ``[[:alpha:]]``, ``\\z``, ``\\C``);
RE2's missing features (look-around, back-references) are errors as in RE2. Matching runs on
the decoded text (``surrogateescape`` keeps invalid bytes) with ``re.ASCII``: RE2's ``\\w``
``\\d`` ``\\s`` ``\\b`` are ASCII while ``.`` matches one UTF-8 character. Rewrites use RE2's
``\\0``-``\\9`` and ``\\\\``.
"""

import functools
import re
import unicodedata
import warnings

from tensorlet.backend import xp
from tensorlet.framework import dtypes, errors
from tensorlet.framework.export import tf_export
from tensorlet.ops import shape_rules as R
from tensorlet.ops.op_def import apply, defop
from tensorlet.ops.string_ops import _map, _strings, ragged_map, string_input

D = dtypes


# ---------------------------------------------------------------- regex (RE2 on Python re)

_POSIX = {
    "alnum": "0-9A-Za-z",
    "alpha": "A-Za-z",
    "ascii": "\\x00-\\x7f",
    "blank": " \\t",
    "cntrl": "\\x00-\\x1f\\x7f",
    "digit": "0-9",
    "graph": "!-~",
    "lower": "a-z",
    "print": " -~",
    "punct": "!-/:-@\\[-`{-~",
    "space": "\\t\\n\\v\\f\\r ",
    "upper": "A-Z",
    "word": "0-9A-Za-z_",
    "xdigit": "0-9A-Fa-f",
}
_LOOKAROUND = ("(?=", "(?!", "(?<=", "(?<!")
# RE2 script names for \p{...} (ICU script codes of string_ops_unicode's range table)
_SCRIPTS = {
    "Latin": 25,
    "Greek": 14,
    "Cyrillic": 8,
    "Armenian": 3,
    "Hebrew": 19,
    "Arabic": 2,
    "Devanagari": 10,
    "Bengali": 4,
    "Thai": 38,
    "Georgian": 12,
    "Hangul": 18,
    "Hiragana": 20,
    "Katakana": 22,
    "Han": 17,
    "Common": 0,
    "Inherited": 1,
}


def _translate(pattern):
    """RE2 syntax -> Python ``re`` (a small tokenizer: escapes, classes, groups)."""
    out, i, n = [], 0, len(pattern)
    class_start = None  # index in `pattern` where the open character class began
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            text, i = _escape(pattern, i, class_start is not None)
            out.append(text)
            continue
        if class_start is not None:
            if pattern.startswith("[:", i):
                end = pattern.find(":]", i + 2)
                if end < 0:
                    raise re.error(f"missing ]: {pattern}")
                out.append(_posix(pattern[i + 2 : end]))
                i = end + 2
                continue
            first = i == class_start + 1 or (i == class_start + 2 and pattern[i - 1] == "^")
            if c == "]" and not first:
                class_start = None
            elif c == "[":
                c = "\\["  # a literal '[' inside a class (Python would warn about nesting)
        elif c == "[":
            class_start = i
        elif c == "(" and pattern.startswith(_LOOKAROUND, i):
            raise re.error(f"invalid perl operator: {pattern[i : i + 3]}")
        out.append(c)
        i += 1
    return "".join(out)


def _escape(pattern, i, in_class):
    """Translates the escape at ``pattern[i]``: ``(python text, next index)``."""
    d = pattern[i + 1]
    if d in "123456789" and not in_class:
        raise re.error(f"invalid escape sequence: \\{d}")
    if d in "pP":
        if pattern[i + 2 : i + 3] == "{":
            end = pattern.find("}", i + 3)
            name, nxt = pattern[i + 3 : end], end + 1
        else:
            name, nxt = pattern[i + 2 : i + 3], i + 3
        negate = (d == "P") != name.startswith("^")
        body = _unicode_class(name.lstrip("^"))
        if in_class:
            if negate:
                raise re.error(f"negated \\{d} classes inside [] are not supported: {name}")
            return body, nxt
        return ("[^" if negate else "[") + body + "]", nxt
    if d == "Q":
        end = pattern.find("\\E", i + 2)
        end = len(pattern) if end < 0 else end
        return re.escape(pattern[i + 2 : end]), min(end + 2, len(pattern))
    if d == "x" and pattern[i + 2 : i + 3] == "{":
        end = pattern.find("}", i + 3)
        return f"\\U{int(pattern[i + 3 : end], 16):08x}", end + 1
    return {"z": "\\Z", "C": "."}.get(d, "\\" + d), i + 2


def _posix(name):
    if name.startswith("^"):
        raise re.error(f"negated POSIX classes are not supported: [:{name}:]")
    if name not in _POSIX:
        raise re.error(f"invalid character class range: [:{name}:]")
    return _POSIX[name]


@functools.lru_cache(maxsize=64)
def _unicode_class(name):
    """Character-class body for a Unicode general category (``L``, ``Lu``, ``P`` ...) or a
    script (``Greek``, ``Han`` ...), built once from ``unicodedata``."""
    if name == "Any":
        return "\\x00-\\U0010ffff"
    if name in _SCRIPTS:
        from tensorlet.ops.string_ops_unicode import _SCRIPT_RANGES

        code = _SCRIPTS[name]
        return "".join(_range(a, b) for a, b, c in _SCRIPT_RANGES if c == code)
    if not (name.isalpha() and len(name) <= 2 and name[0] in "LMNPSZC"):
        raise re.error(f"invalid character class range: \\p{{{name}}}")
    out, start = [], None
    for cp in range(0x110000):
        hit = unicodedata.category(chr(cp)).startswith(name)
        if hit and start is None:
            start = cp
        elif not hit and start is not None:
            out.append(_range(start, cp - 1))
            start = None
    if start is not None:
        out.append(_range(start, 0x10FFFF))
    return "".join(out)


def _range(a, b):
    return f"\\U{a:08x}" if a == b else f"\\U{a:08x}-\\U{b:08x}"


@functools.lru_cache(maxsize=256)
def compile_regex(pattern, op_name):
    """The compiled RE2 ``pattern`` (str), or TF's InvalidArgumentError."""
    try:  # RE2's \w \d \s \b are ASCII; '.' matches one UTF-8 character (we match on str)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            return re.compile(_translate(pattern), re.ASCII)
    except re.error as e:
        raise errors.op_error(
            errors.InvalidArgumentError,
            op_name,
            f"Invalid pattern: {pattern}, error: {_re2_message(e, pattern)}",
        )


def _re2_message(e, pattern):
    msg = str(e.msg) if hasattr(e, "msg") else str(e)
    if "missing )" in msg or "unterminated subpattern" in msg:
        return f"missing ): {pattern}"
    if "unbalanced parenthesis" in msg:
        return f"unexpected ): {pattern}"
    return msg


def _decode(s):
    return s.decode("utf-8", "surrogateescape")


def _encode(s):
    return s.encode("utf-8", "surrogateescape")


@functools.lru_cache(maxsize=256)
def _rewrite_parts(rewrite, groups, op_name):
    """RE2 rewrite string -> list of literal strings / group numbers (``\\0``-``\\9``, ``\\\\``)."""
    parts, i = [], 0
    while i < len(rewrite):
        c = rewrite[i]
        if c != "\\":
            parts.append(c)
            i += 1
            continue
        nxt = rewrite[i + 1] if i + 1 < len(rewrite) else ""
        if nxt.isdigit():
            if int(nxt) > groups:
                raise errors.op_error(
                    errors.InvalidArgumentError,
                    op_name,
                    f"Invalid rewrite pattern: {rewrite}: Rewrite schema requests {nxt} matches, "
                    f"but the regexp only has {groups} parenthesized subexpressions.",
                )
            parts.append(int(nxt))
        elif nxt == "\\":
            parts.append("\\")
        else:
            raise errors.op_error(
                errors.InvalidArgumentError,
                op_name,
                f"Invalid rewrite pattern: {rewrite}: invalid rewrite pattern",
            )
        i += 2
    return tuple(parts)


def _replacer(parts):
    def replace(m):
        return "".join(p if isinstance(p, str) else (m.group(p) or "") for p in parts)

    return replace


def _regex_replace_kernel(x, pattern, rewrite, replace_global, op_name="StaticRegexReplace"):
    regex = compile_regex(_decode(pattern), op_name)
    repl = _replacer(_rewrite_parts(_decode(rewrite), regex.groups, op_name))
    count = 0 if replace_global else 1
    return _map(lambda s: _encode(regex.sub(repl, _decode(s), count=count)), x)


static_regex_replace_op = defop(
    "StaticRegexReplace", _regex_replace_kernel, dtype_rule=string_input(), shape_rule=R.unchanged
)
regex_replace_op = defop(
    "RegexReplace",
    lambda x, p, r, replace_global: _regex_replace_kernel(
        x, p.item(), r.item(), replace_global, "RegexReplace"
    ),
    dtype_rule=string_input(n=3),
    shape_rule=R.unchanged,
)


def _static_string(x):
    if isinstance(x, str):
        return x.encode("utf-8")
    return bytes(x) if isinstance(x, bytes) else None


@tf_export("strings.regex_replace", "compat.v1.regex_replace")
def regex_replace(input, pattern, rewrite, replace_global=True, name=None):
    """Replaces the matches of the RE2 ``pattern`` by ``rewrite`` (``\\1`` = group 1);
    only the first match when ``replace_global=False``.

    Example:
      >>> tf.strings.regex_replace("Text with tags.<br /><b>contains html</b>", "<[^>]+>", " ").numpy()
      b'Text with tags.  contains html '
    """
    p, r = _static_string(pattern), _static_string(rewrite)

    def run(x):
        if p is not None and r is not None:
            compile_regex(_decode(p), "StaticRegexReplace")
            return apply(
                static_regex_replace_op,
                x,
                pattern=p,
                rewrite=r,
                replace_global=bool(replace_global),
                name=name,
            )
        return apply(
            regex_replace_op,
            x,
            _strings(pattern),
            _strings(rewrite),
            replace_global=bool(replace_global),
            name=name,
        )

    return ragged_map(run, input)


def _full_match_kernel(x, pattern, op_name="StaticRegexFullMatch"):
    regex = compile_regex(_decode(pattern), op_name)
    flat = [regex.fullmatch(_decode(s)) is not None for s in x.ravel().tolist()]
    return xp.array(flat, dtype=bool).reshape(x.shape)


static_regex_full_match_op = defop(
    "StaticRegexFullMatch",
    _full_match_kernel,
    dtype_rule=string_input(D.bool),
    shape_rule=R.unchanged,
)
regex_full_match_op = defop(
    "RegexFullMatch",
    lambda x, p: _full_match_kernel(x, p.item(), "RegexFullMatch"),
    dtype_rule=string_input(D.bool, n=2),
    shape_rule=R.unchanged,
)


@tf_export("strings.regex_full_match")
def regex_full_match(input, pattern, name=None):
    """True where the whole string matches the RE2 ``pattern``.

    Example:
      >>> tf.strings.regex_full_match(["TF lib", "lib TF"], ".*lib$").numpy()
      array([ True, False])
    """
    p = _static_string(pattern)

    def run(x):
        if p is not None:
            compile_regex(_decode(p), "StaticRegexFullMatch")
            return apply(static_regex_full_match_op, x, pattern=p, name=name)
        return apply(regex_full_match_op, x, _strings(pattern), name=name)

    return ragged_map(run, input)
