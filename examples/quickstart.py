"""tensorlet quickstart: tensors, TF's dtype rules, and a gradient, exactly as with TensorFlow."""
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
