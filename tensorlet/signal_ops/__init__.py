"""``tf.signal`` composites over the FFT ops of ``tensorlet.ops.signal_ops``: framing and
overlap-add, windows, STFT / MDCT, DCT, mel filterbanks and MFCCs.

(Named ``signal_ops`` because the generated namespace ``tf.signal`` is ``tensorlet.signal``.)
"""
