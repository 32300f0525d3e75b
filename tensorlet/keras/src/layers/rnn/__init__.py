"""Recurrent layers: the ``RNN`` base, its cells (SimpleRNN, LSTM, GRU, ConvLSTM), the time loop
(``rnn_loop``) and the wrappers that run a layer over time (``Bidirectional``, ``TimeDistributed``)."""
