"""``tf.version``: the TensorFlow release tensorlet reproduces, and its build constants."""
from tensorlet.framework.export import tf_export

VERSION = "2.21.0"
# tensorlet is not a TF build: there is no git commit to report (TF source builds say 'unknown').
GIT_VERSION = "unknown"
COMPILER_VERSION = "Ubuntu Clang 18.1.8 (++20240731024944+3b5b5c1ec4a3-1~exp1~20240731145000.144)"
# GraphDef versions written into saved graphs (producer); approximately TF 2.21's value.
GRAPH_DEF_VERSION = 2199
GRAPH_DEF_VERSION_MIN_CONSUMER = 0
GRAPH_DEF_VERSION_MIN_PRODUCER = 0
# tf.sysconfig build flags
CXX11_ABI_FLAG = 1
MONOLITHIC_BUILD = 0
CXX_VERSION = 201703

for _name in ("VERSION", "GIT_VERSION", "COMPILER_VERSION", "GRAPH_DEF_VERSION",
              "GRAPH_DEF_VERSION_MIN_CONSUMER", "GRAPH_DEF_VERSION_MIN_PRODUCER"):
    tf_export.constant(__name__, _name, "version." + _name, "compat.v1.version." + _name,
                       "compat.v1." + _name)
for _name in ("CXX11_ABI_FLAG", "MONOLITHIC_BUILD", "CXX_VERSION"):
    tf_export.constant(__name__, _name, "sysconfig." + _name, "compat.v1.sysconfig." + _name)
