"""``tf.distribute``: the Strategy API on one machine.

tensorlet has one compute device (the CPU), so every strategy runs a single replica:
``MirroredStrategy()`` has ``num_replicas_in_sync == 1``, ``strategy.run`` calls the function once
in a replica context, all-reduces and ``strategy.reduce`` of a single replica's value are the value
itself, and a distributed dataset yields the plain batches. The contexts (cross-replica inside
``strategy.scope()``, replica inside ``strategy.run``, the default strategy outside) follow TF.
"""
