"""Keras under a strategy: ``fit`` inside ``strategy.scope()`` and custom training loops with
``strategy.run`` give the same results as without a strategy (one replica)."""

import numpy as np

import tensorlet as tf


def _data(n=64):
    rng = np.random.default_rng(0)
    x = rng.random((n, 4)).astype("float32")
    return x, x.sum(axis=1, keepdims=True)


def _model():
    tf.keras.utils.set_random_seed(1)
    model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(1)])
    model.compile(optimizer=tf.keras.optimizers.SGD(0.05), loss="mse")
    return model


def test_fit_inside_strategy_scope_matches_plain_fit():
    x, y = _data()
    plain = _model()
    h_plain = plain.fit(x, y, epochs=3, batch_size=16, verbose=0, shuffle=False)
    strategy = tf.distribute.MirroredStrategy()
    with strategy.scope():
        model = _model()
        assert tf.distribute.get_strategy() is strategy
    h = model.fit(x, y, epochs=3, batch_size=16, verbose=0, shuffle=False)
    np.testing.assert_allclose(h.history["loss"], h_plain.history["loss"], rtol=1e-6)
    np.testing.assert_allclose(model.predict(x, verbose=0), plain.predict(x, verbose=0), rtol=1e-6)
    ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(16)
    with strategy.scope():  # fit / evaluate called inside the scope
        model.fit(ds, epochs=1, verbose=0)
        assert np.isfinite(model.evaluate(ds, verbose=0))


def test_custom_training_loop_with_strategy_run():
    x, y = _data()
    strategy = tf.distribute.MirroredStrategy()
    with strategy.scope():
        model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(1)])
        optimizer = tf.keras.optimizers.SGD(0.05)
    reference = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(1)])
    reference.set_weights(model.get_weights())
    ref_optimizer = tf.keras.optimizers.SGD(0.05)
    loss_object = tf.keras.losses.MeanSquaredError()
    dist = strategy.experimental_distribute_dataset(
        tf.data.Dataset.from_tensor_slices((x, y)).batch(16)
    )

    def make_step(m, opt):
        @tf.function
        def train_step(inputs):
            features, labels = inputs
            with tf.GradientTape() as tape:
                loss = loss_object(labels, m(features, training=True))
            grads = tape.gradient(loss, m.trainable_variables)
            opt.apply_gradients(zip(grads, m.trainable_variables))
            return loss

        return train_step

    step = make_step(model, optimizer)
    ref_step = make_step(reference, ref_optimizer)

    @tf.function
    def distributed_step(inputs):
        per_replica = strategy.run(step, args=(inputs,))
        return strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica, axis=None)

    losses, ref_losses = [], []
    for _ in range(3):
        for batch in dist:
            losses.append(float(distributed_step(batch)))
        for batch in tf.data.Dataset.from_tensor_slices((x, y)).batch(16):
            ref_losses.append(float(ref_step(batch)))
    np.testing.assert_allclose(losses, ref_losses, rtol=1e-6)
    assert losses[-1] < losses[0]


def test_batch_norm_synchronized_all_reduce():
    strategy = tf.distribute.MirroredStrategy()
    with strategy.scope():
        layer = tf.keras.layers.BatchNormalization(synchronized=True)
    x = tf.constant(np.random.default_rng(0).random((8, 3)).astype("float32"))
    out = strategy.run(lambda t: layer(t, training=True), args=(x,))
    ref = tf.keras.layers.BatchNormalization()(x, training=True)
    np.testing.assert_allclose(out.numpy(), ref.numpy(), rtol=1e-5, atol=1e-6)
