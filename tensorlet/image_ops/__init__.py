"""tf.image, built from tensorlet ops: one module per family (resize, crops/pads, flips and
rotations, colour, metrics, NMS, codecs, random augmentation, patches).

The folder is ``image_ops`` (not ``image``) because ``tensorlet.image`` is the generated public
namespace that ``tensorlet/__init__.py`` installs.
"""
