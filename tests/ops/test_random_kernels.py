"""Bit-exactness of tensorlet.ops.random_kernels against TF 2.21 (fixtures topic 06).

Runs the NumPy kernels directly (no tensors): every stateless stream case whose
call string can be parsed, the stateful / Generator cases re-derived from the
seed rules, and every hand-computed ``verify/*`` fact.
"""
import json
import random
import re
import sys
from pathlib import Path

import numpy as np
import pytest

from tensorlet.ops import random_kernels as K
from tensorlet.ops import random_samplers as S

FIXTURES = Path(__file__).resolve().parents[2].parent / "shared" / "fixtures" / "numerics"
if not (FIXTURES / "data" / "06_random.json").exists():
    pytest.skip("numeric fixtures not available", allow_module_level=True)
sys.path.insert(0, str(FIXTURES))
from load_fixtures import Fixtures

FX = Fixtures("06_random")
SEEDS = [[1, 2], [42, 0], [0, 0], [-1, 7]]
STREAM = re.compile(r"tf\.random\.stateless_(uniform|normal|truncated_normal)\((\[[^\]]*\]), "
                    r"seed=(\[[^\]]*\])(?:, minval=([^,]+), maxval=([^,]+))?, dtype=tf\.(\w+)\)$")
F32_LOG = np.log(np.array([[0.1, 0.2, 0.7], [0.5, 0.5, 1e-9]], np.float32))


def out(name):
    return FX.case(name).output()


def same(name, value):
    """Exact equality with the fixture output ``name``."""
    return np.array_equal(out(name), value)


def max_ulp(a, b):
    """Largest distance in units in the last place (same float dtype)."""
    a = np.asarray(a)
    b = np.asarray(b).astype(a.dtype)
    assert a.shape == b.shape
    if a.size == 0:
        return 0
    it = {2: np.int16, 4: np.int32, 8: np.int64}[a.dtype.itemsize]
    return int(np.max(np.abs(a.view(it).astype(np.int64) - b.view(it).astype(np.int64))))


def close(actual, expected, ulps=2):
    """Normal-type streams: within ``ulps`` (TF's glibc sincosf/logf are not correctly rounded)."""
    return max_ulp(expected, actual) <= ulps


def stream_reference(call):
    """Kernel output for a parsed stateless stream call, or None if not a stream call."""
    m = STREAM.match(call or "")
    if not m:
        return None
    kind, shape, seed, lo, hi, dt = m.groups()
    shape = tuple(json.loads(shape))
    kc = K.stateless_key_counter(json.loads(seed))
    if kind == "uniform" and lo is None:
        return K.uniform(*kc, shape, dt)
    if kind == "uniform" and lo == "None":
        return K.uniform_full_int(*kc, shape, dt)
    if kind == "uniform":
        return K.uniform_int(*kc, shape, int(lo), int(hi), dt)
    return (K.normal if kind == "normal" else K.truncated_normal)(*kc, shape, dt)


def stream_matches(name):
    case = FX.case(name)
    ref = stream_reference(case.call)
    exp = case.output()
    if exp.dtype.kind != "f":
        return np.array_equal(ref, exp) and ref.dtype == exp.dtype
    if "normal" in name:
        return close(ref, exp)
    # uniform: exact (bfloat16 fixtures are decoded to float32, exactly)
    return np.array_equal(np.asarray(ref).astype(exp.dtype), exp)


STREAM_CASES = [c.name for c in FX.cases("stateless/")
                if not c.error and STREAM.match(c.call or "")]


# ------------------------------------------------------------------------ Philox
def test_philox_known_answers():
    """Random123 known-answer vectors for philox4x32-10."""
    kat = [((0, 0), (0, 0, 0, 0), (0x6627E8D5, 0xE169C58D, 0xBC57AC4C, 0x9B00DBD8)),
           ((0xFFFFFFFF,) * 2, (0xFFFFFFFF,) * 4, (0x408F276D, 0x41C83B0E, 0xA20BC7C6, 0x6D5451FD)),
           ((0xA4093822, 0x299F31D0), (0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344),
            (0xD16CFE09, 0x94FDCCEB, 0x5001E420, 0x24126EA1))]
    for key, ctr, expected in kat:
        assert K.philox(key, np.array(ctr, np.uint32), 1)[0].tolist() == list(expected)


def test_counter_add_carries_through_128_bits():
    ctr = np.array([0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFF, 5], np.uint32)
    assert K.counter_add(ctr, 1).tolist() == [0, 0, 0, 6]
    assert K.counter_add(ctr, [0, 2]).tolist() == [list(ctr), [1, 0, 0, 6]]


def test_consecutive_calls_are_counter_increments():
    key, ctr = K.stateless_key_counter([1, 2])
    many = K.philox(key, ctr, 5)
    assert np.array_equal(many[3], K.philox(key, K.counter_add(ctr, 3), 1)[0])
    assert np.array_equal(K.words(key, ctr, 10), many.reshape(-1)[:10])


# ------------------------------------------------------------------- stateless
@pytest.mark.parametrize("seed", SEEDS)
def test_key_counter(seed):
    st = f"{seed[0]}_{seed[1]}"
    exp = out(f"stateless/get_key_counter/seed_{st}")
    key, ctr = K.key_counter_as_uint64(*K.stateless_key_counter(seed))
    assert np.array_equal(key, exp["key"]) and np.array_equal(ctr, exp["counter"])


@pytest.mark.parametrize("name", STREAM_CASES)
def test_stateless_stream(name):
    assert stream_matches(name)


def test_stream_case_count():
    assert len(STREAM_CASES) == 96 + 48 + 48 + 120 + 96


@pytest.mark.parametrize("seed", SEEDS)
def test_stateless_scaled_and_derived(seed):
    st = f"{seed[0]}_{seed[1]}"
    kc = K.stateless_key_counter(seed)
    assert same(f"stateless/uniform_scaled/seed_{st}", K.uniform(*kc, (4,), "float32", -2.0, 3.0))
    assert same(f"stateless/alg_philox/seed_{st}", K.uniform(*kc, (4,)))
    scaled = K.normal(*kc, (4,), "float32", 1.0, 0.5)
    assert close(scaled, out(f"stateless/normal_scaled/seed_{st}"))
    assert close(K.truncated_normal(*kc, (4,), "float32", -1.0, 2.0),
                 out(f"stateless/truncated_normal_scaled/seed_{st}"))
    assert same(f"stateless/split/seed_{st}", K.stateless_split(seed, 3))
    assert same(f"stateless/fold_in/seed_{st}", K.stateless_fold_in(seed, 5))
    # experimental.stateless_shuffle: recorded-only in the README, but the same Fisher-Yates
    assert same(f"stateless/shuffle/seed_{st}", K.shuffle_permutation(10, *kc))
    keep = K.dropout_mask(*kc, (2, 4), "float32", 0.5)
    assert same(f"stateless/dropout/seed_{st}", np.where(keep, np.float32(2), 0))


@pytest.mark.parametrize("seed", SEEDS)
def test_stateless_categorical(seed):
    st = f"{seed[0]}_{seed[1]}"
    kc = K.stateless_key_counter(seed)
    case = FX.case(f"stateless/categorical/seed_{st}")
    assert np.array_equal(case.output(), K.categorical(case.input("logits"), 7, *kc))
    case = FX.case(f"stateless/categorical_neg_inf/seed_{st}")
    got = K.categorical(case.input("logits"), 9, *kc, dtype="int32")
    assert got.dtype == np.int32 and np.array_equal(case.output(), got)


def test_categorical_shards_restart_stream():
    lg = np.zeros((8, 3), np.float32)
    kc = K.stateless_key_counter([1, 2])
    one, sharded = K.categorical(lg, 5, *kc), K.categorical(lg, 5, *kc, shard_rows=4)
    assert np.array_equal(one[:4], sharded[:4])
    expect = K.categorical(lg[4:], 5, kc[0], K.counter_add(kc[1], 4 * 8 // 4))
    assert np.array_equal(sharded[4:], expect)


def test_stateless_prefix_and_shape_independence():
    kc = K.stateless_key_counter([1, 2])
    assert np.array_equal(K.uniform(*kc, (7,)), K.uniform(*kc, (9,))[:7])
    assert np.array_equal(K.normal(*kc, (2, 3)).ravel(), K.normal(*kc, (6,)))
    assert out("stateless/large_shape_prefix_consistency") is True
    assert out("stateless/shape_2x3_equals_flat6") is True


def test_truncated_normal_bounds_and_large_sizes():
    kc = K.stateless_key_counter([3, 4])
    for dt in ("float16", "bfloat16", "float32", "float64"):
        z = K.truncated_normal(*kc, (1001,), dt)
        assert z.dtype.name == dt and np.all(np.abs(z.astype(np.float64)) <= 2)
    z = K.truncated_normal(*kc, (40000,))
    assert abs(float(z.std()) - 0.8796) < 0.02  # std of N(0,1) truncated at 2


# -------------------------------------------------------------------- stateful
def _op_kc(global_seed, op_seed, rng=None):
    return K.stateful_key_counter(*K.get_seed(global_seed, op_seed, rng))


def test_get_seed_rules():
    r = random.Random(42)
    seq = out("stateful/internal_op_seed_sequence_42")
    assert [K.get_seed(42, None, r)[1] for _ in range(5)] == seq
    assert K.get_seed(None, 7) == (87654321, 7)
    assert K.get_seed(None, None) == (None, None)
    assert K.get_seed(2**31 + 5, 2**31 + 1) == (6, 2)
    assert K.get_seed(0, 0) == (0, 2**31 - 1)


def test_stateful_global42_streams():
    r = random.Random(42)
    a, b = _op_kc(42, None, r), _op_kc(42, None, r)
    x1, x2 = out("stateful/normal_twice_global42")
    assert close(K.normal(*a, (3,)), x1) and close(K.normal(*b, (3,)), x2)
    assert same("stateful/uniform_global42", K.uniform(*a, (2, 2)))
    n, u = out("stateful/normal_then_uniform_global42")
    assert close(K.normal(*a, (3,)), n) and np.array_equal(u, K.uniform(*b, (2, 2)))
    assert same("stateful/shuffle_global42", K.shuffle_permutation(10, *a))
    rows = np.arange(8).reshape(4, 2)[K.shuffle_permutation(4, *a)]
    assert same("stateful/shuffle_2d_global42", rows)
    assert same("stateful/categorical_global42", K.categorical(F32_LOG, 5, *a))
    assert same("stateful/uniform_int_global42", K.uniform_int(*a, (6,), 0, 10, "int32"))
    assert same("stateful/uniform_int64_global42", K.uniform_int(*a, (4,), -5, 5, "int64"))
    assert close(K.truncated_normal(*a, (6,)), out("stateful/truncated_normal_global42"))
    assert close(K.normal(*a, (3,), "float64"), out("stateful/normal_f64_global42"))
    assert close(K.normal(*a, (3,), "float32", 5.0, 0.1), out("stateful/normal_mean_std_global42"))
    assert same("stateful/uniform_minmax_global42", K.uniform(*a, (3,), "float32", -1.0, 1.0))


def test_stateful_kernel_reuse_advances_counter():
    runs = ((42, "op_seed7_global42_twice", 3), (None, "op_seed7_no_global_twice", 2))
    for global_seed, name, n_calls in runs:
        key, ctr = _op_kc(global_seed, 7)
        offset = 0
        for got in out(f"stateful/{name}")[:n_calls]:
            assert close(K.normal(key, K.counter_add(ctr, offset), got.shape), got)
            offset += K.stateful_skip(got.size)
    assert same("stateful/op_seed7_no_global_uniform", K.uniform(*_op_kc(None, 7), (3,)))


def test_stateful_other_global_seeds():
    assert close(K.normal(*_op_kc(1, None, random.Random(1)), (4,)), out("stateful/global1_normal"))
    assert close(K.normal(*_op_kc(0, None, random.Random(0)), (4,)), out("stateful/global0_normal"))
    assert same("stateful/global42_shuffle_seeded", K.shuffle_permutation(6, *_op_kc(42, 3)))
    a = _op_kc(42, None, random.Random(42))
    for name, kc in (("global42_dropout", a), ("global42_dropout_seeded", _op_kc(42, 1))):
        keep = K.dropout_mask(*kc, (2, 5), "float32", 0.4)
        scale = np.float32(1) / np.float32(0.6)
        assert same(f"stateful/{name}", np.where(keep, scale, np.float32(0)))


def test_skip_amounts():
    assert K.stateful_skip(3) == 768
    assert K.shuffle_skip(10) == 3 and K.shuffle_skip(1) == 0
    assert K.categorical_skip(2, 5) == 2 * 8 * 256


# ------------------------------------------------------------------- Generator
def _gen(state):
    return K.generator_key_counter(state)


def test_generator_streams():
    s1 = [1, 0, 0]
    n, state = out("generator/from_seed1_normal3")
    assert close(K.normal(*_gen(s1), (3,)), n) and state.tolist() == [1 + K.stateful_skip(3), 0, 0]
    _, b, state = out("generator/from_seed1_normal_twice")
    assert close(K.normal(*_gen([769, 0, 0]), (3,)), b) and state.tolist() == [1537, 0, 0]
    u, state = out("generator/from_seed1_uniform")
    assert np.array_equal(u, K.uniform(*_gen(s1), (2, 2))) and state.tolist() == [1025, 0, 0]
    got = K.uniform(*_gen(s1), (4,), "float32", -1.0, 3.0)
    assert same("generator/from_seed1_uniform_minmax", got)
    assert same("generator/from_seed1_uniform_int", K.uniform_int(*_gen(s1), (5,), 0, 100))
    assert same("generator/from_seed1_uniform_full_int", K.uniform_full_int(*_gen(s1), (3,)))
    assert close(K.truncated_normal(*_gen(s1), (5,)), out("generator/from_seed1_truncated"))
    assert close(K.normal(*_gen(s1), (3,), "float64"), out("generator/from_seed1_normal_f64"))
    assert close(K.normal(*_gen([42, 0, 0]), (4,)), out("generator/from_seed42_normal"))
    state, n = out("generator/from_seed_big")  # 2**70 + 5 -> [5, 64, 0]; state read after the draw
    assert close(K.normal(*_gen([5, 64, 0]), (2,)), n) and state.tolist() == [517, 64, 0]
    n, state = out("generator/from_state")
    assert close(K.normal(*_gen([5, 6, 7]), (3,)), n) and state.tolist() == [773, 6, 7]
    assert close(K.normal(*_gen(s1), (3,)), out("generator/reset_from_seed"))
    assert close(K.normal(*_gen([3, 0, 0]), (2,)), out("generator/global_generator_set"))


def test_generator_make_seeds_and_split():
    keys = K.uniform_full_int(*_gen([1, 0, 0]), (2,), "int64")
    seeds, state = out("generator/from_seed1_make_seeds")
    assert np.array_equal(seeds, np.stack([keys, np.zeros_like(keys)]))
    assert state.tolist() == [513, 0, 0]
    states = out("generator/from_seed1_split")
    assert [s.tolist() for s in states] == [[0, 0, int(keys[0])], [0, 0, int(keys[1])], [513, 0, 0]]
    assert out("generator/skip").tolist() == [1 + 10 * 256, 0, 0]


# ---------------------------------------------------------------- verify facts
def _fact_check(text):
    """Re-derives one ``verify/*`` fact; returns True when the kernels agree."""
    if text.startswith("stateless/categorical"):
        seed = [int(s) for s in text.rsplit("seed_", 1)[1].split("_")]
        test_stateless_categorical(seed)
        return True
    if text.startswith("stateless/"):
        return stream_matches(text)
    kinds = "key_counter|stateless_dropout|stateless_split|stateless_fold_in"
    m = re.match(rf"({kinds}) seed=(\[.*\])", text)
    if m:
        seed = json.loads(m.group(2))
        st = f"{seed[0]}_{seed[1]}"
        if m.group(1) == "key_counter":
            test_key_counter(seed)
        elif m.group(1) == "stateless_dropout":  # same model, on x = 1..8
            x = np.arange(1, 9, dtype=np.float32).reshape(2, 4)
            keep = K.dropout_mask(*K.stateless_key_counter(seed), (2, 4), "float32", 0.5)
            ones = np.where(keep, np.float32(2), np.float32(0))
            assert same(f"stateless/dropout/seed_{st}", ones)
            assert np.array_equal(np.where(keep, x * np.float32(2), 0) / x, ones)
        else:
            test_stateless_scaled_and_derived(seed)
        return True
    keras = {"keras GlorotUniform": _keras_glorot, "keras HeNormal": _keras_he,
             "keras.random.normal": _keras_normal}
    for prefix, fn in keras.items():
        if text.startswith(prefix):
            return fn()
    by_prefix = {"stateful normal x2": test_stateful_global42_streams,
                 "stateful op-seed kernel reuse": test_stateful_kernel_reuse_advances_counter,
                 "stateful shuffle": test_stateful_global42_streams,
                 "stateful categorical": test_stateful_global42_streams,
                 "stateful uniform int32": test_stateful_global42_streams,
                 "stateful truncated_normal": test_stateful_global42_streams,
                 "op seed without global seed": test_stateful_kernel_reuse_advances_counter,
                 "Generator.from_seed(1)": test_generator_streams}
    for prefix, fn in by_prefix.items():
        if text.startswith(prefix):
            fn()
            return True
    raise AssertionError(f"no re-derivation for fact {text!r}")


def _keras_glorot():
    lim = np.sqrt(6.0 / 7.0)
    ref = K.uniform(*K.stateless_key_counter([1, 0]), (3, 4), "float32", -lim, lim)
    return same("keras/GlorotUniform_seed1", ref)


def _keras_he():
    sd = np.sqrt(2.0 / 3) / 0.87962566103423978
    ref = K.truncated_normal(*K.stateless_key_counter([1, 0]), (3, 4), "float32", 0.0, sd)
    return np.allclose(out("keras/HeNormal_seed1"), ref, rtol=1e-6, atol=0)


def _keras_normal():
    ref = K.normal(*K.stateless_key_counter([42, 0]), (2, 3))
    return close(ref, out("keras/keras_random_normal_seed42"))


VERIFY = [c.name for c in FX.cases("verify/") if c.name != "verify/summary"]


@pytest.mark.parametrize("name", VERIFY)
def test_verify_fact(name):
    fact = out(name)
    assert fact["verified"] is True
    assert _fact_check(fact["check"])


def test_verify_summary():
    summary = out("verify/summary")
    assert summary["n_checks"] == len(VERIFY) == summary["n_verified"]


# ------------------------------------------------- samplers (random_samplers.py)
@pytest.mark.parametrize("seed", SEEDS)
def test_stateless_samplers(seed):
    st = f"{seed[0]}_{seed[1]}"
    kc = K.stateless_key_counter(seed)
    f32 = np.float32
    assert same(f"stateless/binomial/seed_{st}", S.binomial(*kc, (5,), f32(10), f32(0.3)))
    assert same(f"stateless/poisson/seed_{st}", S.poisson(*kc, (5,), f32(3), "int32"))
    assert same(f"stateless/gamma/seed_{st}", S.gamma(*kc, (5,), f32(2)))
    ptn = S.parameterized_truncated_normal(*kc, (5,), 0.0, 1.0, -0.5, 1.5)
    assert close(ptn, out(f"stateless/param_truncated_normal/seed_{st}"))


def test_stateful_and_generator_samplers():
    a = _op_kc(42, None, random.Random(42))
    assert same("stateful/global42_gamma", S.gamma(*a, (3,), np.float32(2)))
    assert same("stateful/global42_poisson", S.poisson(*a, (3,), np.float32(4)))
    got = S.binomial(*_gen([1, 0, 0]), (4,), np.float32(5), np.float32(0.5))
    assert same("generator/from_seed1_binomial", got)


def test_sampler_branches_have_the_right_moments():
    """Branches the fixtures do not reach (BTRS, PTRS, alpha < 1, ...): statistics only."""
    kc = K.stateless_key_counter([5, 6])
    x = S.poisson(*kc, (20000,), 50.0, "float64")
    assert abs(x.mean() - 50) < 0.3 and abs(x.var() - 50) < 3
    for n, p in ((100.0, 0.3), (100.0, 0.9), (10.0, 0.8)):
        x = S.binomial(*kc, (20000,), n, p, "int64")
        assert abs(x.mean() - n * p) < 0.1 + 0.02 * n * p and x.min() >= 0 and x.max() <= n
    g = S.gamma(*kc, (20000,), np.array([0.5, 3.0]), "float64")
    assert g.shape == (20000, 2) and np.allclose(g.mean(0), [0.5, 3.0], rtol=0.05)
    u = S.parameterized_truncated_normal(*kc, (20000,), 0.0, 1.0, 0.0, 0.5)
    assert u.min() >= 0 and u.max() <= 0.5 and abs(u.mean() - 0.2448) < 0.005
    e = S.parameterized_truncated_normal(*kc, (20000,), 0.0, 1.0, 2.0, np.inf)
    assert e.min() >= 2 and abs(e.mean() - 2.3732) < 0.02


def test_sampler_layouts():
    kc = K.stateless_key_counter([1, 2])
    b = S.binomial(*kc, (3, 2), [0.0, 5.0], [0.5, 1.0])
    assert b.tolist() == [[0, 5]] * 3
    g = S.gamma(*kc, (4,), np.float32([1.0, 2.0]))
    assert g.shape == (4, 2)
    # output (sample i, alpha j) uses sub-stream j * num_samples + i
    assert g[1, 1] == S.gamma(kc[0], K.counter_add(kc[1], 256 * 5), (1,), np.float32(2.0))[0]
    with pytest.raises(ValueError):
        S.binomial(*kc, (3,), [1.0, 2.0], 0.5)
