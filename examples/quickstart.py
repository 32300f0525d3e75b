"""tensorlet quickstart: tensors, TF's dtype rules, a gradient and a Keras model, as with TensorFlow."""
import numpy as np

import tensorlet as tf

x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
print(x)                                    # printed exactly as TensorFlow prints it
print(x.shape, x.dtype, x.device)

y = tf.reduce_sum(x * x + 1.0, axis=1)
print(y)

try:                                        # TF never promotes int32 + float32
    tf.constant(1) + tf.constant(1.5)
except tf.errors.InvalidArgumentError as e:
    print("InvalidArgumentError:", e)

w = tf.Variable(3.0)
with tf.GradientTape() as tape:
    loss = w ** 2 + 2 * w + 1
print("d loss / d w =", tape.gradient(loss, w))   # 8.0

# Keras 3 on top: a small classifier trained with model.fit (Keras' own progress output)
keras = tf.keras
keras.utils.set_random_seed(0)
features = np.random.rand(512, 4).astype("float32")
labels = (features.sum(axis=1) > 2.0).astype("int32")
model = keras.Sequential([
    keras.Input((4,)),
    keras.layers.Dense(16, activation="relu"),
    keras.layers.Dense(2, activation="softmax"),
])
model.compile(optimizer=keras.optimizers.Adam(0.02), loss="sparse_categorical_crossentropy",
              metrics=["accuracy"])
model.fit(features, labels, epochs=5, batch_size=32, verbose=2)
print("evaluate [loss, accuracy]:", model.evaluate(features, labels, verbose=0))
