"""AutoGraph on Python control flow: a converted function traced by tf.function must return what
the plain Python function returns eagerly (loops with break/continue/return, nested ifs, loops
over lists, tensors, tf.range and Python ranges), and raise TF's errors for what graphs cannot
express (variables undefined in a branch, dtype/shape changes across iterations...).

The functions mirror TF's AutoGraph reference tests (``autograph/tests``)."""
import itertools
import re

import numpy as np
import pytest

import tensorlet as tf


def _np(x):
    if isinstance(x, (list, tuple)):
        return [_np(e) for e in x]
    return np.asarray(x.numpy() if hasattr(x, "numpy") else x)


def assert_function_matches_eager(target, *args):
    expected = target(*args)
    got = tf.function(target)(*args)
    e, g = _np(expected), _np(got)
    if isinstance(e, list):
        assert len(e) == len(g)
        for a, b in zip(e, g):
            np.testing.assert_array_equal(a, b)
    else:
        np.testing.assert_array_equal(e, g)


def assert_raises_traced(exc, regex, target, *args):
    with pytest.raises(exc, match=re.compile(regex, re.DOTALL)):
        tf.function(target)(*args)


def _int(x):
    return tf.constant(x, dtype=tf.int32)


def _ints(values):
    return [_int(v) for v in values]


# ---------------------------------------------------------------- break / continue / return

def continue_in_single_for(l):
    s = 0
    for c in l:
        if c % 2 > 0:
            continue
        s += c
    return s


def continue_in_single_while(x):
    s = 0
    while x > 0:
        x -= 1
        if x % 2 > 0:
            continue
        s += x
    return s


def continue_in_inner_for(m):
    s = 0
    for l in m:
        for c in l:
            if c % 2 > 0:
                continue
            s += c
    return s


def continue_in_inner_while(x, y):
    s = 0
    while x > 0:
        x -= 1
        while y > 0:
            y -= 1
            if (x + y) % 2 > 0:
                continue
            s += x + y
    return s


def break_in_single_for(l):
    s = 0
    for c in l:
        if c % 2 > 0:
            break
        s += c
    return s


def break_in_single_while(x):
    s = 0
    while x > 0:
        x -= 1
        if x % 2 > 0:
            break
        s += x
    return s


def break_in_inner_for(m):
    s = 0
    for l in m:
        for c in l:
            if c % 2 > 0:
                break
            s += c
    return s


def break_in_inner_while(x, y):
    s = 0
    while x > 0:
        x -= 1
        while y > 0:
            y -= 1
            if ((x + y) % 2) == 0:
                break
            s += x + y
    return s


def break_continue_in_inner_for(m):
    s = 0
    for l in m:
        for c in l:
            if c % 2 > 0:
                break
            else:
                continue
            s += c
    return s


def break_continue_in_inner_while(x, y):
    s = 0
    while x > 0:
        x -= 1
        while y > 0:
            y -= 1
            if (x + y) % 2 > 0:
                break
            else:
                continue
            s += x + y
    return s


def break_followed_by_cond_in_single_while(x):
    while x > 0:
        if x == 2:
            break
        if x > 0:
            x -= 1
    return x


def multiple_breaks_in_single_while(n):
    s = 1
    i = 0
    while i < n:
        i += 1
        if i > 10 * n:
            break
        if i == n:
            break
        s = s * 10 + i
    return i, s


def unconditional_return_in_single_for(l):
    s = 0
    for c in l:
        s += c
        return s
    return s


def effectively_unconditional_return_in_single_for(l):
    s = 0
    for c in l:
        s += c
        if c % 2 > 0:
            return s
        else:
            return -s
    return s


def unconditional_return_in_single_while(x):
    s = 0
    while x > 0:
        x -= 1
        s += x
        return s
    return s


def effectively_unconditional_return_in_single_while(x):
    s = 0
    while x > 0:
        x -= 1
        s += x
        if x % 2 > 0:
            return s
        else:
            return -s
    return s


_RETURNS = (unconditional_return_in_single_for, effectively_unconditional_return_in_single_for,
            unconditional_return_in_single_while, effectively_unconditional_return_in_single_while)


@pytest.mark.parametrize("l, type_, target", itertools.product(
    ([], [1], [1, 2], [1, 2, 3, 4]), (list, _int),
    (continue_in_single_for, break_in_single_for, unconditional_return_in_single_for,
     effectively_unconditional_return_in_single_for)))
def test_single_for(l, type_, target):
    if not l and target in _RETURNS:
        pytest.skip("undefined symbols need at least one iteration")
    assert_function_matches_eager(target, type_(l))


@pytest.mark.parametrize("n, type_, target", itertools.product(
    (0, 1, 2, 4), (int, _int),
    (continue_in_single_while, break_in_single_while, multiple_breaks_in_single_while,
     break_followed_by_cond_in_single_while, unconditional_return_in_single_while,
     effectively_unconditional_return_in_single_while)))
def test_single_while(n, type_, target):
    if not n and target in _RETURNS:
        pytest.skip("undefined symbols need at least one iteration")
    assert_function_matches_eager(target, type_(n))


@pytest.mark.parametrize("target, l", [
    (unconditional_return_in_single_for, _int([])),
    (effectively_unconditional_return_in_single_for, _int([])),
    (unconditional_return_in_single_while, _int(0)),
    (effectively_unconditional_return_in_single_while, _int(0)),
])
def test_return_in_loop_that_never_runs(target, l):
    assert_raises_traced(tf.errors.InvalidArgumentError,
                         "must iterate at least once to initialize", target, l)


@pytest.mark.parametrize("a, type_, target", itertools.product(
    ([[], []], [[1], [2]], [[1, 2], [3, 4]], [[1, 2, 3], [4, 5, 6]]), (list, _int, _ints),
    (continue_in_inner_for, break_in_inner_for, break_continue_in_inner_for)))
def test_nested_for(a, type_, target):
    assert_function_matches_eager(target, type_(a))


@pytest.mark.parametrize("m, n, type_, target", itertools.product(
    (0, 1, 3), (0, 1, 3), (int, _int),
    (continue_in_inner_while, break_in_inner_while, break_continue_in_inner_while)))
def test_nested_while(m, n, type_, target):
    assert_function_matches_eager(target, type_(m), type_(n))


# ---------------------------------------------------------------- conditionals

def if_no_vars(c, v):
    v.assign(0)
    if c:
        v.assign_add(1)
    return v.read_value()


def if_else_two_vars(n):
    i = 0
    j = 1
    if i < n:
        i += 1
        j *= 10
    else:
        i += 2
        j *= 20
    return i, j


def if_creates_var(c):
    if c:
        i = 1
    return i


def if_else_creates_var(c):
    if c:
        i = 1
    else:
        i = 2
    return i


def else_creates_var(c):
    if c:
        pass
    else:
        i = 2
    return i


def if_destroys_var(c):
    i = 1
    if c:
        del i
    return i


def if_else_destroys_var(c):
    i = 1
    if c:
        del i
    else:
        del i
    return i


def if_returns_none(c):
    i = 0
    j = 1
    if c:
        i = None
        j = 2
    return i, j


def if_local_var(c):
    i = 0
    if c:
        j = 1
        i = j + 1
    return i


def if_locally_modified_var(c):
    i = 0
    j = 2
    if c:
        j = j + 1
        i = j + 1
    return i


def nested_if_temporarily_undefined_return(c1, c2):
    if c1:
        if c2:
            return 1
    return 2


def nested_if_elses(n1, n2):
    i = 0
    l = 0
    if i < n1:
        j = 0
        s = 0
        if j < n2:
            s = s * 10 + i * j
            j += 1
        else:
            s = s * 11 + i * j
            j += 2
        l = l * 1000 + s
        i += 1
    else:
        j = 0
        s = 0
        if j < n2:
            s = s * 12 + i * j
            j += 3
        else:
            s = s * 13 + i * j
            j += 4
        l = l * 2000 + s
        i += 1
    return l


def early_return(x):
    if x > 0:
        return x * 2
    return -x


@pytest.mark.parametrize("c, type_", itertools.product((True, False), (bool, tf.constant)))
def test_if_with_side_effects_only(c, type_):
    assert_function_matches_eager(if_no_vars, type_(c), tf.Variable(0))


@pytest.mark.parametrize("n, type_", itertools.product((0, 1), (int, tf.constant)))
def test_if_else_two_vars(n, type_):
    assert_function_matches_eager(if_else_two_vars, type_(n))


@pytest.mark.parametrize("c, type_, target", itertools.product(
    (True, False), (bool, tf.constant), (if_local_var, if_locally_modified_var, if_else_creates_var)))
def test_if_local_and_created_vars(c, type_, target):
    assert_function_matches_eager(target, type_(c))


def test_imbalanced_lifetimes_legal_in_python():
    assert_function_matches_eager(if_creates_var, True)
    assert_function_matches_eager(else_creates_var, False)
    assert_function_matches_eager(if_destroys_var, False)


@pytest.mark.parametrize("target, c, type_, exc, regex", [
    (if_creates_var, False, bool, UnboundLocalError, "'i' is used before assignment"),
    (if_creates_var, True, tf.constant, ValueError,
     "'i' must also be initialized in the else branch"),
    (else_creates_var, True, bool, UnboundLocalError, "'i' is used before assignment"),
    (else_creates_var, False, tf.constant, ValueError,
     "'i' must also be initialized in the main branch"),
    (if_else_destroys_var, True, bool, UnboundLocalError, "'i'"),
    (if_else_destroys_var, True, tf.constant, ValueError, "'i' must also be initialized"),
    (if_returns_none, True, tf.constant, ValueError, "'i' is None"),
])
def test_undefined_in_a_branch(target, c, type_, exc, regex):
    assert_raises_traced(exc, regex, target, type_(c))


@pytest.mark.parametrize("c1, c2", itertools.product((True, False), (True, False)))
def test_nested_if_return(c1, c2):
    assert_function_matches_eager(nested_if_temporarily_undefined_return, c1, c2)
    assert_raises_traced(ValueError, "must also have a return",
                         nested_if_temporarily_undefined_return, tf.constant(c1),
                         tf.constant(c2))


@pytest.mark.parametrize("n1, t1, n2, t2", itertools.product(
    (0, 1), (bool, tf.constant), (0, 1), (bool, tf.constant)))
def test_nested_if_elses(n1, t1, n2, t2):
    assert_function_matches_eager(nested_if_elses, t1(n1), t2(n2))


@pytest.mark.parametrize("x", [3.0, -3.0])
def test_early_return_with_tensor_condition(x):
    f = tf.function(early_return)
    assert f(tf.constant(x)).numpy() == abs(x) * (2 if x > 0 else 1)
    ops = [n.op.name for n in f.get_concrete_function(tf.constant(x)).graph.get_operations()]
    assert "StatelessIf" in ops


# ---------------------------------------------------------------- loops

def for_with_local_var(l):
    s = 0
    for i in l:
        x = i + 2
        s = s * 10 + x
    return s


def while_creates_var(n):
    i = 0
    while i < n:
        i = n + 1
        j = i + 1
    return i, j


def for_defines_iterate(n, fn):
    s = 0
    for i in fn(n):
        s = s * 10 + i
    return i, s


def for_alters_iterate(n, fn):
    i = 7
    s = 0
    for i in fn(n):
        i = 3 * i + 1
        s = s * 10 + i
    return i, s


def nested_while_loops(n1, n2):
    i = 0
    l = tf.TensorArray(tf.int32, size=0, dynamic_size=True, element_shape=())
    while i < n1:
        j = 0
        s = 0
        while j < n2:
            s = s * 10 + i * j
            j += 1
        l = l.write(i, s)
        i += 1
    return l.stack()


def nested_for_loops(m):
    l = tf.TensorArray(tf.int32, size=0, dynamic_size=True, element_shape=())
    for i in m:
        s = 0
        for j in i:
            s = s * 10 + j
        l = l.write(l.size(), s)
    return l.stack()


def sum_squares(n):
    i, result = tf.constant(0), tf.constant(0)
    while i < n:
        result += i * i
        i += 1
    return result


@pytest.mark.parametrize("l, type_", itertools.product(
    ([], [1], [1, 2]), (list, _int, range, tf.range)))
def test_for_with_local_var(l, type_):
    arg = type_(len(l)) if type_ in (range, tf.range) else type_(l)
    assert_function_matches_eager(for_with_local_var, arg)


@pytest.mark.parametrize("n, fn", itertools.product((0, 1, 2), (range, tf.range)))
def test_for_iterate_scoping(n, fn):
    assert_function_matches_eager(for_alters_iterate, n, fn)
    if n:
        assert_function_matches_eager(for_defines_iterate, n, fn)


def test_for_over_empty_tf_range_defines_iterate_as_start():
    # TF deviates from Python here: the iterate starts as the range's start value
    assert [t.numpy() for t in tf.function(for_defines_iterate)(0, tf.range)] == [0, 0]


def test_loop_created_variables():
    assert_function_matches_eager(while_creates_var, _int(2))
    assert_raises_traced(UnboundLocalError, "used before assignment", while_creates_var, 0)
    assert_raises_traced(tf.errors.InvalidArgumentError, "loop must iterate at least once",
                         while_creates_var, tf.constant(0))


@pytest.mark.parametrize("n1, n2, type_", itertools.product((0, 2), (0, 3), (int, _int)))
def test_nested_loops_with_tensor_arrays(n1, n2, type_):
    assert_function_matches_eager(nested_while_loops, type_(n1), type_(n2))


@pytest.mark.parametrize("m", [[[]], [[1], [2]], [[1, 2], [3, 4]]])
def test_nested_for_loops_over_tensors(m):
    assert_function_matches_eager(nested_for_loops, _int(m))
    assert_function_matches_eager(nested_for_loops, m)


def test_while_with_tensor_condition_is_one_while_node():
    f = tf.function(sum_squares)
    assert f(tf.constant(10)).numpy() == 285
    ops = [n.op.name for n in f.get_concrete_function(tf.constant(1)).graph.get_operations()]
    assert ops.count("StatelessWhile") == 1


def test_for_over_tf_range_elides_the_range():
    @tf.function
    def f(n):
        s = 0
        for i in tf.range(n):
            s += i
        return s

    assert f(tf.constant(5)).numpy() == 10
    ops = [n.op.name for n in f.get_concrete_function(tf.constant(1)).graph.get_operations()]
    assert "StatelessWhile" in ops and "TensorListFromTensor" not in ops


def test_for_over_python_iterables_is_unrolled():
    class Countdown:  # any iterable runs as a Python loop (its __iter__)
        def __init__(self, n):
            self.n = n

        def __iter__(self):
            return iter(range(self.n, 0, -1))

    @tf.function
    def f(x, it):
        for k in it:
            x = x * 10 + k
        return x

    assert f(tf.constant(0), Countdown(3)).numpy() == 321


# ---------------------------------------------------------------- illegal loops (TF's errors)

def while_with_variable_py_type():
    n = tf.constant(0, dtype=tf.int32)
    c = True
    while c:
        c = tf.constant(True)
    return n


def while_with_variable_dtype():
    n = tf.constant(0, dtype=tf.int32)
    while tf.constant(True):
        n = tf.constant(0, dtype=tf.float32)
    return n


def for_with_variable_dtype_and_early_stopping(l):
    n = tf.constant(0, dtype=tf.int32)
    for _ in l:
        n = tf.constant(0, dtype=tf.float32)
        break
    return n


def for_with_variable_shape(l):
    t = tf.constant([1])
    for _ in l:
        t = tf.constant([1, 1])
    return t


def while_with_shape_erasure():
    t = tf.constant([1])
    while tf.constant(True):
        t = tf.range(tf.random.uniform((), 2, 3, dtype=tf.int32))
    return t


def for_with_shape_invariant_violation(l):
    t = tf.constant([1])
    for _ in l:
        tf.autograph.experimental.set_loop_options(shape_invariants=((t, tf.TensorShape([1])),))
        t = tf.range(tf.random.uniform((), 2, 3, dtype=tf.int32))
    return t


def while_with_shape_invariant(n):
    t = tf.zeros([0])
    i = 0
    while i < n:
        tf.autograph.experimental.set_loop_options(shape_invariants=[(t, tf.TensorShape([None]))])
        t = tf.concat([t, [1.0]], 0)
        i += 1
    return t


def while_with_variable_structure():
    s = {"a": tf.constant(0)}
    while tf.constant(True):
        s = tf.constant(7.0)
    return s


def tf_break_in_py_for(l):
    s = 0
    for c in l:
        if tf.greater(c % 2, 0):
            break
        s += c
    return s


def tf_return_in_py_while(x):
    s = 0
    while x > 0:
        x -= 1
        if tf.greater(x % 2, 0):
            return s
        else:
            return s
    return s


@pytest.mark.parametrize("exc, regex, target, args", [
    (NotImplementedError, "condition of while loop started as non-Tensor, then changed to Tensor",
     while_with_variable_py_type, ()),
    (TypeError, "'n' has dtype int32 before the loop, but dtype float32 after one iteration",
     while_with_variable_dtype, ()),
    (TypeError, "'n' has dtype int32 before the loop, but dtype float32 after",
     for_with_variable_dtype_and_early_stopping, (_int([1, 2, 3]),)),
    (ValueError, r"'t' has shape \(1,\) before the loop, but shape \(2,\) after one iteration. "
     "Use tf.autograph.experimental.set_loop_options to set shape invariants.",
     for_with_variable_shape, (tf.range(3),)),
    (ValueError, r"'t' has shape \(1,\) before the loop, but shape \(None,\) after",
     while_with_shape_erasure, ()),
    (ValueError, r"'t' has shape \(None,\) after one iteration, which does not conform with the "
     r"shape invariant \(1,\)", for_with_shape_invariant_violation, (_int([1, 2]),)),
    (TypeError, "'s' does not have the same nested structure after one iteration",
     while_with_variable_structure, ()),
    (NotImplementedError, "not supported in Python for loops", tf_break_in_py_for, ([1, 2],)),
    (NotImplementedError, "condition of while loop started as non-Tensor", tf_return_in_py_while,
     (2,)),
])
def test_illegal_loops(exc, regex, target, args):
    assert_raises_traced(exc, regex, target, *args)


def test_shape_invariants_through_set_loop_options():
    assert tf.function(while_with_shape_invariant)(tf.constant(3)).numpy().tolist() == [1, 1, 1]


# ---------------------------------------------------------------- expressions

def logical(x):
    if x > 0 and x < 10 or not x != 20:
        return 1
    return 0


def if_expression(x):
    return x * 2 if x > 0 else -x


def lazy_and(x, items):
    return len(items) > 0 and items[0] > x


@pytest.mark.parametrize("x", [5, 20, 15, -1])
def test_logical_operators_on_tensors(x):
    assert_function_matches_eager(logical, _int(x))
    assert_function_matches_eager(if_expression, _int(x))


def test_logical_operators_stay_lazy_on_python_values():
    assert not tf.function(lazy_and)(_int(0), []).numpy()  # items[0] is never evaluated
    assert tf.function(lazy_and)(_int(0), [_int(3)]).numpy()
