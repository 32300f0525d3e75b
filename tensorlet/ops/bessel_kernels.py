"""NumPy kernels of the Bessel functions I0, I1, J0, J1, Y0, Y1, K0, K1 (and the exponentially
scaled I0e, I1e, K0e, K1e), float64, without SciPy.

Small arguments use the power series; large ones the asymptotic (I) or Hankel (J, Y) expansions,
with the slowly varying factors P, Q (J, Y) and sqrt(x) e^x K(x) given by Chebyshev interpolants
of 60-digit mpmath values (converted to monomials in the scaled variable, as in
``special_kernels``).
"""
import math

from tensorlet.backend import xp
from tensorlet.ops.special_kernels import _EULER, _INF, _NAN, _f64, _horner, _nan_like

# ---------------------------------------------------------------- Bessel I0, I1

def _bessel_ie(x, order):
    """exp(-|x|) I_order(x) for order 0 or 1."""
    x = _f64(x)
    shape, x = x.shape, x.reshape(-1)
    out = _nan_like(x)
    ax = xp.abs(x)
    m = ax <= 20
    if m.any():
        xs = ax[m]
        q = xs * xs / 4
        term = xp.ones_like(xs)
        total = xp.ones_like(xs)
        for k in range(1, 80):
            term = term * q / (k * (k + order))
            total = total + term
        if order == 1:
            total = total * xs / 2
        out[m] = xp.exp(-xs) * total
    m = ax > 20
    if m.any():
        xs = ax[m]
        mu = 4.0 * order * order
        term = xp.ones_like(xs)
        total = xp.ones_like(xs)
        for k in range(1, 30):
            term = term * -(mu - (2 * k - 1) ** 2) / (8 * k * xs)
            total = total + term
        out[m] = total / xp.sqrt(2 * math.pi * xs)
    if order == 1:
        out = xp.copysign(out, x)
    return out.reshape(shape)


def bessel_i0e(x):
    return _bessel_ie(x, 0)


def bessel_i1e(x):
    return _bessel_ie(x, 1)


def bessel_i0(x):
    x = _f64(x)
    with xp.errstate(over="ignore", invalid="ignore"):
        return xp.where(xp.isinf(x), _INF, bessel_i0e(x) * xp.exp(xp.abs(x)))


def bessel_i1(x):
    x = _f64(x)
    with xp.errstate(over="ignore", invalid="ignore"):
        return xp.where(xp.isinf(x), x, bessel_i1e(x) * xp.exp(xp.abs(x)))


# ---------------------------------------------------------------- Bessel J, Y, K of orders 0, 1
# Large arguments: Hankel's form J = A (P cos chi - Q sin chi), Y = A (P sin chi + Q cos chi),
# A = sqrt(2 / (pi x)), chi = x - (2 nu + 1) pi / 4, with P and Q / u fitted in u = 8 / x;
# K uses a fit of sqrt(x) e^x K(x) in u = 2 / x. Small arguments: the power series.

_J0_P = (  # P0(8/x) of the Hankel expansion, u = 8/x in [0, 1]; degree 12, max rel. error 3.3e-16
    -1.873168287147565e-12,
    -1.531463844628434e-12,
    4.123590358062758e-11,
    -1.1052664408706114e-10,
    -3.8176094785402634e-10,
    4.461026419794179e-09,
    -8.809164535328317e-09,
    -1.4452529134949268e-07,
    1.2815570765902645e-06,
    6.231848439406828e-06,
    -0.0002648665392887662,
    -0.0005426655039515565,
    0.9997270203019399,
)

_J0_QU = (  # Q0(8/x) / u, u = 8/x in [0, 1]; degree 14, max rel. error 4.5e-16
    6.536993168992924e-14,
    -4.688541221931077e-13,
    7.005951374594591e-13,
    3.761694081227952e-12,
    -2.312847136032304e-11,
    3.5284227883208855e-11,
    2.518822421471168e-10,
    -1.7693330452020839e-09,
    1.381278003954878e-09,
    4.881501993877981e-08,
    -2.795776929461835e-07,
    -1.5088515743821188e-06,
    3.33393497977153e-05,
    6.986498169997077e-05,
    -0.01558965816851296,
)

_K0 = (  # sqrt(x) exp(x) K0(x), u = 2/x in [0, 1]; degree 22, max rel. error 1.9e-16
    1.105945557355882e-10,
    -1.7048478184733554e-10,
    -3.1723175197839785e-10,
    4.064645509060944e-10,
    8.200004231184729e-10,
    -1.1520597809067125e-09,
    4.78216155271498e-11,
    -7.876063661440627e-10,
    3.7995779271241675e-09,
    -7.914074455412164e-09,
    1.7057340841678605e-08,
    -4.112089912525942e-08,
    1.029491039388067e-07,
    -2.689523096002669e-07,
    7.427816141680345e-07,
    -2.191172795496126e-06,
    7.002245433778029e-06,
    -2.4735204715382974e-05,
    9.956054742954973e-05,
    -0.00047976905677946303,
    0.003032891810275808,
    -0.031071461824888888,
    1.2185953385133905,
)

_J1_P = (  # P1(8/x) of the Hankel expansion, u = 8/x in [0, 1]; degree 12, max rel. error 4.4e-16
    2.115818631409639e-12,
    1.5082601834137681e-12,
    -4.573534884144696e-11,
    1.2853054315309364e-10,
    4.11193373794916e-10,
    -5.183267457950503e-09,
    1.1330028870659704e-08,
    1.7328073239420218e-07,
    -1.688795460361159e-06,
    -8.073006370203907e-06,
    0.0004451265480169391,
    0.0009069564769368004,
    1.0004556022479107,
)

_J1_QU = (  # Q1(8/x) / u, u = 8/x in [0, 1]; degree 14, max rel. error 3.0e-16
    -6.572520305780929e-14,
    5.075412312649521e-13,
    -8.125944361836449e-13,
    -3.985446000998042e-12,
    2.5589075303145133e-11,
    -4.1568429601235313e-11,
    -2.74879146180962e-10,
    2.029759388778169e-09,
    -1.8742345632080662e-09,
    -5.7152701705889124e-08,
    3.509701586310162e-07,
    1.8583606338112093e-06,
    -4.709450058798079e-05,
    -9.810143511284589e-05,
    0.04682544741236462,
)

_K1 = (  # sqrt(x) exp(x) K1(x), u = 2/x in [0, 1]; degree 22, max rel. error 5.3e-16
    -2.5611370801925687e-10,
    2.0463630789890903e-10,
    1.0681105777621285e-09,
    -5.382844392443081e-10,
    -2.5676854420453346e-09,
    1.492810497438769e-09,
    2.0909596948637426e-09,
    6.418226983597091e-10,
    -6.078756907155346e-09,
    9.321939758795966e-09,
    -1.8918703751780698e-08,
    4.810963189850797e-08,
    -1.2232764806731824e-07,
    3.230668025124075e-07,
    -9.066484892930818e-07,
    2.7300293035667436e-06,
    -8.961214476686866e-06,
    3.2843866386807664e-05,
    -0.00013959021914218908,
    0.0007357241548981384,
    -0.005566729880084181,
    0.10334973775386444,
    1.3631518903713418,
)


def _series_jy(x, order):
    """J_order(x) and the series part of Y_order(x) for 0 < x <= 8 (1-d arrays)."""
    q = x * x / 4
    term = xp.ones_like(x) if order == 0 else x / 2
    j = term.copy()
    harm = xp.zeros_like(x)            # H_k (order 0) or psi(k+1) + psi(k+2) (order 1)
    if order == 0:
        ysum = xp.zeros_like(x)
    else:
        harm = harm + (-2 * _EULER + 1)
        ysum = term * harm
    for k in range(1, 45):
        term = term * -q / (k * (k + order))
        j = j + term
        harm = harm + (1.0 / k if order == 0 else 1.0 / k + 1.0 / (k + 1))
        ysum = ysum + term * harm
    return j, ysum


def _hankel(x, order):
    u = 8 / x
    v = 2 * u - 1
    p = _horner(_J0_P if order == 0 else _J1_P, v)
    q = u * _horner(_J0_QU if order == 0 else _J1_QU, v)
    a = xp.sqrt(2 / (math.pi * x))
    c, s = xp.cos(x), xp.sin(x)
    if order == 0:   # chi = x - pi/4
        cc, sc = (c + s) / math.sqrt(2), (s - c) / math.sqrt(2)
    else:            # chi = x - 3 pi/4
        cc, sc = (s - c) / math.sqrt(2), -(s + c) / math.sqrt(2)
    return a * (p * cc - q * sc), a * (p * sc + q * cc)


def _bessel_jy(x, order, want_y):
    x = _f64(x)
    shape, x = x.shape, x.reshape(-1)
    out = _nan_like(x)
    ax = xp.abs(x)
    small = (ax <= 8) & (ax > 0)
    if small.any():
        xs = ax[small]
        j, ysum = _series_jy(xs, order)
        if want_y:
            if order == 0:
                out[small] = 2 / math.pi * ((xp.log(xs / 2) + _EULER) * j - ysum)
            else:
                out[small] = (-2 / (math.pi * xs) + 2 / math.pi * xp.log(xs / 2) * j
                              - ysum / math.pi)
        else:
            out[small] = j
    big = (ax > 8) & (ax < _INF)
    if big.any():
        j, y = _hankel(ax[big], order)
        out[big] = y if want_y else j
    if want_y:
        out[x == 0] = -_INF
        out[x < 0] = _NAN
        out[x == _INF] = 0.0
    else:
        out[x == 0] = 1.0 if order == 0 else 0.0
        out[ax == _INF] = 0.0
        if order == 1:
            out = xp.where(x < 0, -out, out)
    return out.reshape(shape)


def bessel_j0(x):
    return _bessel_jy(x, 0, False)


def bessel_j1(x):
    return _bessel_jy(x, 1, False)


def bessel_y0(x):
    """Y0: -inf at 0, NaN for x < 0."""
    return _bessel_jy(x, 0, True)


def bessel_y1(x):
    return _bessel_jy(x, 1, True)


def _bessel_ke(x, order):
    """exp(x) K_order(x): inf at 0, NaN for x < 0."""
    x = _f64(x)
    shape, x = x.shape, x.reshape(-1)
    out = _nan_like(x)
    small = (x > 0) & (x <= 2)
    if small.any():
        xs = x[small]
        q = xs * xs / 4
        lg = xp.log(xs / 2)
        if order == 0:
            term = xp.ones_like(xs)
            total = xp.zeros_like(xs)
            harm = xp.zeros_like(xs)
            for k in range(1, 30):
                term = term * q / (k * k)
                harm = harm + 1.0 / k
                total = total + term * harm
            k0 = -(lg + _EULER) * bessel_i0(xs) + total
            out[small] = k0 * xp.exp(xs)
        else:
            term = xp.ones_like(xs)
            harm = xp.full_like(xs, -2 * _EULER + 1)
            total = term * harm
            for k in range(1, 30):
                term = term * q / (k * (k + 1))
                harm = harm + 1.0 / k + 1.0 / (k + 1)
                total = total + term * harm
            k1 = 1 / xs + bessel_i1(xs) * lg - xs / 4 * total
            out[small] = k1 * xp.exp(xs)
    big = (x > 2) & (x < _INF)
    if big.any():
        xs = x[big]
        u = 2 / xs
        out[big] = _horner(_K0 if order == 0 else _K1, 2 * u - 1) / xp.sqrt(xs)
    out[x == 0] = _INF
    out[x == _INF] = 0.0
    return out.reshape(shape)


def bessel_k0e(x):
    return _bessel_ke(x, 0)


def bessel_k1e(x):
    return _bessel_ke(x, 1)


def bessel_k0(x):
    x = _f64(x)
    with xp.errstate(under="ignore", invalid="ignore"):
        return xp.where(x == 0, _INF, bessel_k0e(x) * xp.exp(-x))


def bessel_k1(x):
    x = _f64(x)
    with xp.errstate(under="ignore", invalid="ignore"):
        return xp.where(x == 0, _INF, bessel_k1e(x) * xp.exp(-x))
