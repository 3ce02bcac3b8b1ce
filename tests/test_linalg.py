"""Linear algebra (rdnarray.matmul & co. and rdnarray.linalg) against NumPy."""
import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose, assert_array_equal

import rdnarray as rp
from devices import strided_like

RNG = np.random.default_rng(0)


def rand(shape, dtype=np.float64):
    dt = np.dtype(dtype)
    if dt.kind == "c":
        return (RNG.standard_normal(shape) + 1j * RNG.standard_normal(shape)).astype(dt)
    if dt.kind == "b":
        return RNG.integers(0, 2, shape).astype(dt)
    if dt.kind in "iu":
        return RNG.integers(0, 5, shape).astype(dt)
    return RNG.standard_normal(shape).astype(dt)


def full(shape, value, dtype=np.float64):
    """A filled array made through NumPy (independent of rdnarray's setitem)."""
    return rp.asarray(np.full(shape, value, dtype))


def tol(dt):
    return {"rtol": 1e-4, "atol": 1e-4} if np.dtype(dt) in (np.float32, np.complex64) else {"rtol": 1e-10,
                                                                                             "atol": 1e-10}


def check(result, expected, **kw):
    assert isinstance(result, rp.ndarray)
    got = rp.asnumpy(result)
    assert got.shape == np.shape(expected)
    assert got.dtype == np.asarray(expected).dtype, (got.dtype, np.asarray(expected).dtype)
    if got.dtype.kind in "fc":
        assert_allclose(got, expected, **(kw or tol(got.dtype)))
    else:
        assert_array_equal(got, expected)


# -- matmul --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.bool_, np.int8, np.int32, np.uint16, np.float32, np.float64, np.complex64,
                                   np.complex128])
@pytest.mark.parametrize("s1,s2", [((3, 4), (4, 5)), ((4,), (4, 5)), ((3, 4), (4,)), ((4,), (4,)),
                                   ((2, 1, 3, 4), (5, 4, 2)), ((0, 3), (3, 2)), ((2, 0), (0, 3)),
                                   ((3,), (2, 3, 4))])
def test_matmul(dtype, s1, s2):
    a, b = rand(s1, dtype), rand(s2, dtype)
    check(rp.matmul(rp.asarray(a), rp.asarray(b)), np.matmul(a, b))


def test_matmul_mixed_dtypes_and_views():
    a = rand((6, 8), np.float32)
    b = rand((8, 6), np.int16)
    check(rp.matmul(rp.asarray(a[::2]), rp.asarray(b[:, ::-2])), np.matmul(a[::2], b[:, ::-2]))
    check(rp.matmul(rp.asarray(a).T, rp.asarray(b).T), np.matmul(a.T, b.T))


def test_matmul_errors():
    msg = r"^matmul: shapes \(3, 4\) and \(5, 6\) not aligned: 4 \(dim 1\) != 5 \(dim 0\)$"
    with pytest.raises(ValueError, match=msg):
        rp.matmul(rp.ones((3, 4)), rp.ones((5, 6)))
    with pytest.raises(ValueError, match="matmul"):
        rp.matmul(rp.ones(()), rp.ones((3,)))
    with pytest.raises(ValueError, match="broadcast"):
        rp.matmul(rp.ones((2, 3, 4)), rp.ones((3, 4, 5)))


def test_matmul_out():
    a, b = rand((2, 3, 4)), rand((4, 5))
    out = rp.zeros((2, 3, 5))
    assert rp.matmul(rp.asarray(a), rp.asarray(b), out=out) is out
    check(out, a @ b)
    # Failing calls leave out untouched.
    out = full((2, 3, 5), 7.0)
    with pytest.raises(ValueError):
        rp.matmul(rp.asarray(a), rp.asarray(b), out=rp.zeros((3, 5)))
    bad = full((2, 3, 5), 7, dtype=rp.int32)
    with pytest.raises(TypeError):
        rp.matmul(rp.asarray(a), rp.asarray(b), out=bad)
    assert_array_equal(rp.asnumpy(bad), 7)
    with pytest.raises(ValueError):
        rp.matmul(rp.ones((3, 4)), rp.ones((5, 6)), out=out)
    assert_array_equal(rp.asnumpy(out), 7.0)


@settings(max_examples=50, deadline=None)
@given(st.data())
def test_matmul_hypothesis(data):
    batch = data.draw(hnp.array_shapes(min_dims=0, max_dims=2, min_side=1, max_side=3))
    m, k, n = (data.draw(st.integers(0, 4)) for _ in range(3))
    b1 = tuple(data.draw(st.sampled_from([1, s])) for s in batch)
    dtype = data.draw(st.sampled_from([np.int32, np.float64, np.complex128]))
    s1 = data.draw(st.sampled_from([(k,), b1 + (m, k)]))
    s2 = data.draw(st.sampled_from([(k,), batch + (k, n)]))
    a, b = rand(s1, dtype), rand(s2, dtype)
    check(rp.matmul(rp.asarray(a), rp.asarray(b)), np.matmul(a, b))


# -- tensordot, vecdot and NumPy's products ----------------------------------------------------------
@pytest.mark.parametrize("s1,s2,axes", [((3, 4, 5), (4, 5, 2), 2), ((3, 4), (4, 5), 1), ((2, 3), (4,), 0),
                                        ((3, 4, 5), (5, 3, 2), ([0, 2], [1, 0])), ((3, 4), (4, 3), ([-1], [0])),
                                        ((2, 3), (2, 3), ((0, 1), (0, 1))), ((0, 3), (3, 2), 1)])
@pytest.mark.parametrize("dtype", [np.int64, np.float32, np.complex128])
def test_tensordot(s1, s2, axes, dtype):
    a, b = rand(s1, dtype), rand(s2, dtype)
    check(rp.tensordot(rp.asarray(a), rp.asarray(b), axes=axes), np.tensordot(a, b, axes=axes))


def test_tensordot_int_pair_axes():
    a, b = rand((3, 4)), rand((4, 3))
    check(rp.tensordot(a, b, axes=(1, 0)), np.tensordot(a, b, axes=(1, 0)))
    check(rp.tensordot(a, b, (0, 1)), np.tensordot(a, b, (0, 1)))


def test_tensordot_errors():
    with pytest.raises(ValueError, match="tensordot: shape mismatch"):
        rp.tensordot(rp.ones((3, 4)), rp.ones((5, 3)), axes=1)
    with pytest.raises(ValueError, match="tensordot"):
        rp.tensordot(rp.ones((3, 4)), rp.ones((4, 3)), axes=-1)
    with pytest.raises(ValueError, match="tensordot"):
        rp.tensordot(rp.ones((3, 4)), rp.ones((4, 3)), axes=([0, 1], [1]))
    with pytest.raises(np.exceptions.AxisError):
        rp.tensordot(rp.ones((3, 4)), rp.ones((4, 3)), axes=([2], [0]))


@settings(max_examples=50, deadline=None)
@given(st.data())
def test_tensordot_hypothesis(data):
    s1 = data.draw(hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=3))
    n = data.draw(st.integers(0, len(s1)))
    extra = data.draw(hnp.array_shapes(min_dims=0, max_dims=2, min_side=0, max_side=3))
    s2 = s1[len(s1) - n:] + extra
    a, b = rand(s1), rand(s2)
    check(rp.tensordot(rp.asarray(a), rp.asarray(b), axes=n), np.tensordot(a, b, axes=n))


@pytest.mark.parametrize("dtype", [np.int32, np.float32, np.float64, np.complex64, np.complex128])
def test_vecdot(dtype):
    a, b = rand((2, 3, 4), dtype), rand((3, 4), dtype)
    check(rp.vecdot(rp.asarray(a), rp.asarray(b)), np.vecdot(a, b))
    check(rp.vecdot(rp.asarray(a), rp.asarray(b), axis=-2), np.vecdot(a, b, axis=-2))
    check(rp.linalg.vecdot(rp.asarray(b[::-1]), rp.asarray(b)), np.vecdot(b[::-1], b))
    with pytest.raises(ValueError, match="vecdot"):
        rp.vecdot(rp.ones((3, 4)), rp.ones((3, 5)))


def test_vecdot_conjugates_x1():
    a, b = rand(4, np.complex128), rand(4, np.complex128)
    check(rp.vecdot(rp.asarray(a), rp.asarray(b)), np.sum(np.conj(a) * b))


@pytest.mark.parametrize("s1,s2", [((), (3,)), ((3,), (3,)), ((2, 3), (3,)), ((2, 3), (3, 4)),
                                   ((2, 3, 4), (5, 4, 2)), ((3,), (2, 3, 4))])
def test_dot_inner(s1, s2):
    a, b = rand(s1), rand(s2)
    check(rp.dot(rp.asarray(a), rp.asarray(b)), np.dot(a, b))
    bi = rand(s2[:-2] + s2[-1:] if len(s2) >= 2 else s2)
    bi = rand(s2[:-1] + (s1[-1],)) if s1 else bi
    check(rp.inner(rp.asarray(a), rp.asarray(bi)), np.inner(a, bi))


def test_dot_out_and_errors():
    a, b = rand((2, 3)), rand((3, 4))
    out = rp.zeros((2, 4))
    assert rp.dot(a, b, out=out) is out
    check(out, a @ b)
    keep = full((2, 4), 3, dtype=rp.float32)
    with pytest.raises(ValueError):
        rp.dot(a, b, out=keep)
    assert_array_equal(rp.asnumpy(keep), 3)
    with pytest.raises(ValueError, match=r"dot: shapes \(3, 4\) and \(5, 6\) not aligned"):
        rp.dot(rp.ones((3, 4)), rp.ones((5, 6)))
    with pytest.raises(ValueError, match="inner"):
        rp.inner(rp.ones((3, 4)), rp.ones((5, 6)))


def test_vdot_outer_kron():
    a, b = rand((2, 3), np.complex128), rand((3, 2), np.complex128)
    check(rp.vdot(rp.asarray(a), rp.asarray(b)), np.vdot(a, b))
    with pytest.raises(ValueError, match="vdot"):
        rp.vdot(rp.ones(3), rp.ones(4))
    check(rp.outer(rp.asarray(a), rp.asarray(b)), np.outer(a, b))
    check(rp.linalg.outer(rp.arange(3), rp.arange(4.0)), np.outer(np.arange(3), np.arange(4.0)))
    with pytest.raises(ValueError, match="outer"):
        rp.linalg.outer(rp.ones((2, 2)), rp.ones(3))
    for s1, s2 in [((2, 3), (3, 2)), ((2,), (2, 3)), ((), (3,)), ((2, 1, 3), (4, 2))]:
        x, y = rand(s1, np.int64), rand(s2, np.int64)
        check(rp.kron(rp.asarray(x), rp.asarray(y)), np.kron(x, y))


@pytest.mark.parametrize("subscripts,shapes", [
    ("ij,jk->ik", [(2, 3), (3, 4)]), ("ij,jk", [(2, 3), (3, 4)]), ("ii->i", [(3, 3)]), ("ii", [(3, 3)]),
    ("ij->ji", [(2, 3)]), ("...ij,...jk->...ik", [(5, 2, 3), (3, 4)]), ("i,i", [(4,), (4,)]),
    ("i,j->ij", [(2,), (3,)]), ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)]), ("ijk", [(2, 3, 4)]),
    ("ij,ij->ij", [(1, 3), (2, 3)]), ("Ab,bC->AC", [(2, 3), (3, 4)]),
])
def test_einsum(subscripts, shapes):
    ops = [rand(s) for s in shapes]
    check(rp.einsum(subscripts, *[rp.asarray(o) for o in ops]), np.einsum(subscripts, *ops))
    check(rp.einsum(subscripts, *[rp.asarray(o) for o in ops], optimize=True), np.einsum(subscripts, *ops))


def test_einsum_dtypes_out_path_errors():
    a, b = rand((2, 3), np.int8), rand((3, 4), np.float32)
    check(rp.einsum("ij,jk->ik", rp.asarray(a), rp.asarray(b)), np.einsum("ij,jk->ik", a, b))
    out = full((2, 4), 5.0)
    assert rp.einsum("ij,jk->ik", a, b, out=out) is out
    assert_allclose(rp.asnumpy(out), np.einsum("ij,jk->ik", a, b), rtol=1e-5)
    path = rp.einsum_path("ij,jk,kl->il", rand((2, 3)), rand((3, 4)), rand((4, 5)), optimize="greedy")
    assert path == np.einsum_path("ij,jk,kl->il", rand((2, 3)), rand((3, 4)), rand((4, 5)), optimize="greedy")
    keep = full((2, 4), 5.0)
    with pytest.raises(ValueError, match="einsum"):
        rp.einsum("ij,jk->ik", rp.ones((2, 3)), rp.ones((4, 4)), out=keep)
    with pytest.raises(ValueError, match="einsum"):
        rp.einsum("ij,jk->ik", rp.ones((2, 3)), out=keep)
    with pytest.raises(ValueError, match="einsum"):
        rp.einsum("ij->ijk", rp.ones((2, 3)), out=keep)
    with pytest.raises(ValueError, match="einsum"):
        rp.einsum("ijk->i", rp.ones((2, 3)), out=keep)
    with pytest.raises(TypeError, match="einsum"):
        rp.einsum(rp.ones((2, 3)), [0, 1])
    assert_array_equal(rp.asnumpy(keep), 5.0)


@pytest.mark.parametrize("dtype", [np.int32, np.float32, np.complex128])
def test_cross(dtype):
    a, b = rand((4, 3), dtype), rand((3,), dtype)
    check(rp.cross(rp.asarray(a), rp.asarray(b)), np.cross(a, b))
    a2, b2 = rand((3, 5), dtype), rand((2, 3, 5), dtype)
    check(rp.cross(rp.asarray(a2), rp.asarray(b2), axis=-2), np.cross(a2, b2, axis=-2))
    check(rp.cross(rp.asarray(a2), rp.asarray(b), axisa=0), np.cross(a2, b, axisa=0))
    check(rp.linalg.cross(rp.asarray(a), rp.asarray(b)), np.linalg.cross(a, b))
    check(rp.linalg.cross(rp.asarray(a2), rp.asarray(b2), axis=-2), np.linalg.cross(a2, b2, axis=-2))


def test_cross_errors():
    with pytest.raises(ValueError, match="cross"):
        rp.cross(rp.ones(4), rp.ones(3))
    with pytest.raises(ValueError, match="size 3"):
        rp.linalg.cross(rp.ones((3, 2)), rp.ones((3, 2)))
    with pytest.raises(ValueError, match="cross"):
        rp.linalg.cross(rp.ones((2, 3)), rp.ones((4, 3)))


@pytest.mark.parametrize("dtype", [np.bool_, np.int8, np.uint8, np.int64, np.float32, np.complex64])
def test_trace(dtype):
    a = rand((3, 4, 5), dtype)
    check(rp.trace(rp.asarray(a)), np.trace(a))
    check(rp.trace(rp.asarray(a), 1, 2, 0), np.trace(a, 1, 2, 0))
    wide = np.complex128 if a.dtype.kind == "c" else np.float64
    check(rp.trace(rp.asarray(a), -1, axis1=-1, axis2=-2, dtype=wide), np.trace(a, -1, -1, -2, wide))
    check(rp.linalg.trace(rp.asarray(a), offset=2), np.linalg.trace(a, offset=2))
    check(rp.linalg.trace(rp.asarray(a[..., ::-1]), offset=-1, dtype=np.complex128),
          np.linalg.trace(a[..., ::-1], offset=-1, dtype=np.complex128))
    out = rp.zeros((5,), dtype=np.complex128)
    assert rp.trace(rp.asarray(a), out=out) is out
    expected = np.zeros(5, np.complex128)
    check(out, np.trace(a, out=expected))


def test_trace_errors():
    with pytest.raises(ValueError, match="trace"):
        rp.trace(rp.ones(3))
    with pytest.raises(ValueError, match="trace"):
        rp.trace(rp.ones((3, 3)), axis1=1, axis2=-1)
    keep = full((2,), 4.0)
    with pytest.raises(ValueError, match="trace"):
        rp.trace(rp.ones((3, 3)), out=keep)
    assert_array_equal(rp.asnumpy(keep), 4.0)


# -- linalg --------------------------------------------------------------------------------------------
def spd(shape, dtype):
    a = rand(shape, dtype)
    return (a @ np.conj(np.swapaxes(a, -1, -2)) + shape[-1] * np.eye(shape[-1])).astype(dtype)


FLOATS = [np.float32, np.float64, np.complex64, np.complex128]


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("shape", [(3, 3), (2, 4, 4), (0, 2, 2)])
def test_factorizations(dtype, shape):
    a = spd(shape, dtype)
    x = rp.asarray(a)
    check(rp.linalg.cholesky(x), np.linalg.cholesky(a))
    check(rp.linalg.cholesky(x, upper=True), np.linalg.cholesky(a, upper=True))
    check(rp.linalg.inv(x), np.linalg.inv(a))
    check(rp.linalg.det(x), np.linalg.det(a), rtol=1e-3)
    s = rp.linalg.slogdet(x)
    es = np.linalg.slogdet(a)
    check(s.sign, es.sign)
    check(s.logabsdet, es.logabsdet)
    w = rp.linalg.eigh(x)
    check(w.eigenvalues, np.linalg.eigh(a).eigenvalues)
    check(rp.linalg.eigvalsh(x), np.linalg.eigvalsh(a))
    check(rp.linalg.eigvalsh(x, UPLO="U"), np.linalg.eigvalsh(a, UPLO="U"))
    v = rp.asnumpy(w.eigenvectors)
    assert_allclose(a @ v, v * rp.asnumpy(w.eigenvalues)[..., None, :], **tol(dtype))
    cdt = np.complex64 if dtype in (np.float32, np.complex64) else np.complex128
    check(rp.linalg.eigvals(x), np.linalg.eigvals(a).astype(cdt), rtol=1e-3, atol=1e-3)
    e = rp.linalg.eig(x)
    ev, vec = rp.asnumpy(e.eigenvalues), rp.asnumpy(e.eigenvectors)
    assert ev.dtype == cdt and vec.dtype == cdt  # the standard: complex even when NumPy's are real
    assert_allclose(a @ vec, vec * ev[..., None, :], rtol=1e-3, atol=1e-3)
    check(rp.linalg.matrix_power(x, 3), np.linalg.matrix_power(a, 3))
    check(rp.linalg.matrix_power(x, -2), np.linalg.matrix_power(a, -2))
    check(rp.linalg.matrix_power(x, 0), np.linalg.matrix_power(a, 0))


@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("shape", [(4, 3), (3, 5), (2, 3, 3), (2, 0, 3)])
def test_svd_qr_pinv_rank(dtype, shape):
    a = rand(shape, dtype)
    x = rp.asarray(a)
    u, s, vh = rp.linalg.svd(x, full_matrices=False)
    check(s, np.linalg.svd(a, compute_uv=False))
    check(rp.linalg.svdvals(x), np.linalg.svdvals(a))
    assert_allclose(rp.asnumpy(u) * rp.asnumpy(s)[..., None, :] @ rp.asnumpy(vh), a, **tol(dtype))
    full = rp.linalg.svd(x)
    assert rp.asnumpy(full.U).shape == np.linalg.svd(a).U.shape
    assert rp.asnumpy(full.Vh).dtype == np.dtype(dtype)
    for mode in ("reduced", "complete"):
        q, r = rp.linalg.qr(x, mode=mode)
        eq, er = np.linalg.qr(a, mode=mode)
        assert rp.asnumpy(q).shape == eq.shape and rp.asnumpy(r).shape == er.shape
        assert rp.asnumpy(q).dtype == eq.dtype
        assert_allclose(rp.asnumpy(q) @ rp.asnumpy(r), a, **tol(dtype))
    check(rp.linalg.pinv(x), np.linalg.pinv(a))
    check(rp.linalg.pinv(x, rtol=0.5), np.linalg.pinv(a, rtol=0.5))
    check(rp.linalg.matrix_rank(x), np.linalg.matrix_rank(a))
    check(rp.linalg.matrix_rank(x, rtol=0.5), np.linalg.matrix_rank(a, rtol=0.5))
    if len(shape) == 3:
        r = np.array([0.1, 0.9])
        check(rp.linalg.matrix_rank(x, rtol=rp.asarray(r)), np.linalg.matrix_rank(a, rtol=r))


@pytest.mark.parametrize("dtype", FLOATS + [np.int64])
def test_solve_broadcasting(dtype):
    a = spd((2, 3, 3), dtype if dtype != np.int64 else np.float64)
    if dtype == np.int64:
        a = np.round(a).astype(np.int64)
    for b in [rand(3, dtype), rand((3, 2), dtype), rand((2, 3, 2), dtype), rand((4, 1, 3, 2), dtype)]:
        check(rp.linalg.solve(rp.asarray(a), rp.asarray(b)), np.linalg.solve(a, b))
    with pytest.raises(ValueError, match="solve"):
        rp.linalg.solve(rp.asarray(a), rp.ones(4))
    with pytest.raises(ValueError, match="solve"):
        rp.linalg.solve(rp.asarray(a), rp.ones((3, 3, 2)))


def test_strided_inputs():
    base = spd((6, 6), np.float64)
    for view in (base[::2, ::2], base.T, base[::-1, ::-1], base[1::2, ::-2]):
        x = strided_like(view)
        assert not x.flags.c_contiguous or view.flags.c_contiguous
        check(rp.linalg.inv(x), np.linalg.inv(view))
        rhs = base[:view.shape[0], ::-1]
        check(rp.linalg.solve(x, rp.asarray(rhs)), np.linalg.solve(view, rhs))
        check(rp.linalg.svdvals(x), np.linalg.svdvals(view))
        check(rp.linalg.det(x), np.linalg.det(view))


def test_integer_inputs_become_float64():
    a = np.array([[2, 1], [1, 3]], dtype=np.int32)
    for name in ("inv", "det", "cholesky", "eigvalsh", "svdvals"):
        check(getattr(rp.linalg, name)(rp.asarray(a)), getattr(np.linalg, name)(a))
    check(rp.linalg.matrix_power(rp.asarray(a), 2), np.linalg.matrix_power(a, 2))
    check(rp.linalg.vector_norm(rp.asarray(a)), np.linalg.vector_norm(a))
    check(rp.linalg.matrix_norm(rp.asarray(a)), np.linalg.matrix_norm(a))


def test_linalg_errors():
    with pytest.raises(rp.linalg.LinAlgError, match="inv"):
        rp.linalg.inv(rp.ones(3))
    with pytest.raises(rp.linalg.LinAlgError, match="det: last 2 dimensions.*square"):
        rp.linalg.det(rp.ones((2, 3)))
    with pytest.raises(TypeError, match="cholesky.*float16"):
        rp.linalg.cholesky(rp.ones((2, 2), dtype=rp.float16))
    with pytest.raises(np.linalg.LinAlgError):
        rp.linalg.inv(rp.zeros((2, 2)))
    with pytest.raises(np.linalg.LinAlgError):
        rp.linalg.cholesky(rp.asarray(-np.eye(2)))
    with pytest.raises(ValueError, match="qr"):
        rp.linalg.qr(rp.ones((2, 2)), mode="bad")
    with pytest.raises(ValueError, match="matrix_norm"):
        rp.linalg.matrix_norm(rp.ones((2, 2)), ord=3)
    with pytest.raises(TypeError, match="matrix_power"):
        rp.linalg.matrix_power(rp.ones((2, 2)), 1.5)
    with pytest.raises(ValueError, match="diagonal"):
        rp.linalg.diagonal(rp.ones(3))
    assert rp.linalg.LinAlgError is np.linalg.LinAlgError


def test_diagonal_is_a_view():
    a = rand((2, 3, 4))
    x = rp.asarray(a.copy())
    for off in (-2, -1, 0, 1, 3, 5):
        check(rp.linalg.diagonal(x, offset=off), np.linalg.diagonal(a, offset=off))
    d = rp.linalg.diagonal(x)
    assert d.data is x.data
    d[...] = 0
    assert_array_equal(np.diagonal(rp.asnumpy(x), axis1=-2, axis2=-1), 0)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64, np.complex64, np.complex128])
def test_norms(dtype):
    a = rand((2, 3, 4), dtype)
    x = rp.asarray(a)
    kw = {"rtol": 1e-2, "atol": 1e-2} if dtype == np.float16 else {}
    for ord in (2, 1, 0, -1, -2, 3, 0.5, np.inf, -np.inf):
        for axis in (None, -1, (0, 2), 1):
            check(rp.linalg.vector_norm(x, axis=axis, ord=ord), np.linalg.vector_norm(a, axis=axis, ord=ord), **kw)
        check(rp.linalg.vector_norm(x, axis=1, ord=ord, keepdims=True),
              np.linalg.vector_norm(a, axis=1, ord=ord, keepdims=True), **kw)
    if dtype == np.float16:
        return
    for ord in ("fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf):
        check(rp.linalg.matrix_norm(x, ord=ord), np.linalg.matrix_norm(a, ord=ord))
        check(rp.linalg.matrix_norm(x, ord=ord, keepdims=True), np.linalg.matrix_norm(a, ord=ord, keepdims=True))
    check(rp.linalg.norm(x), np.linalg.norm(a))
    check(rp.linalg.norm(rp.asarray(a[0]), ord=1), np.linalg.norm(a[0], ord=1))
    check(rp.linalg.norm(x, ord=3, axis=-1), np.linalg.norm(a, ord=3, axis=-1))
    check(rp.linalg.norm(x, ord="nuc", axis=(0, 2), keepdims=True), np.linalg.norm(a, "nuc", (0, 2), True))
    with pytest.raises(ValueError, match="norm"):
        rp.linalg.norm(x, ord="fro", axis=0)
    with pytest.raises(ValueError, match="vector_norm"):
        rp.linalg.vector_norm(x, ord="fro")


def test_lstsq_cond_multi_dot_tensor():
    a, b = rand((5, 3)), rand((5, 2))
    got, ex = rp.linalg.lstsq(rp.asarray(a), rp.asarray(b)), np.linalg.lstsq(a, b)
    for g, e in zip(got[:2] + got[3:], ex[:2] + ex[3:]):
        check(g, e)
    assert got[2] == ex[2] and isinstance(got[2], int)
    with pytest.raises(np.linalg.LinAlgError, match="lstsq"):
        rp.linalg.lstsq(rp.ones((5, 3)), rp.ones(4))
    m = spd((3, 3), np.float64)
    for p in (None, 1, -1, 2, -2, np.inf, "fro", "nuc"):
        check(rp.linalg.cond(rp.asarray(m), p), np.linalg.cond(m, p))
    chain = [rand(4), rand((4, 6)), rand((6, 2)), rand((2, 3))]
    check(rp.linalg.multi_dot([rp.asarray(c) for c in chain]), np.linalg.multi_dot(chain))
    check(rp.linalg.multi_dot(chain[1:]), np.linalg.multi_dot(chain[1:]))
    c3 = [chain[1], chain[2], rand(2)]
    check(rp.linalg.multi_dot(c3), np.linalg.multi_dot(c3))
    out = rp.zeros((4, 3))
    assert rp.linalg.multi_dot(chain[1:], out=out) is out
    with pytest.raises(ValueError, match="multi_dot"):
        rp.linalg.multi_dot([rand((2, 3)), rand((4, 2))])
    t = spd((6, 6), np.float64).reshape(6, 2, 3)
    check(rp.linalg.tensorinv(rp.asarray(t), ind=1), np.linalg.tensorinv(t, ind=1))
    t2 = spd((6, 6), np.float64).reshape(2, 3, 6)
    rhs = rand((2, 3))
    check(rp.linalg.tensorsolve(rp.asarray(t2), rp.asarray(rhs)), np.linalg.tensorsolve(t2, rhs))
    t3 = spd((6, 6), np.float64).reshape(2, 3, 2, 3)
    check(rp.linalg.tensorsolve(rp.asarray(t3), rp.asarray(rhs), axes=(0,)), np.linalg.tensorsolve(t3, rhs, (0,)))


def test_namespace():
    for name in rp.linalg.__all__:
        assert hasattr(rp.linalg, name), name
    import rdnarray._linear_algebra_functions as laf
    for name in laf.__all__:
        assert getattr(rp, name) is getattr(laf, name)
    assert rp.linalg.matrix_transpose is rp.matrix_transpose
    assert rp.linalg.tensordot is rp.tensordot
